package evidence

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Load reads the evidence files from fsys (files at "evidence/<name>.json"),
// sorts them and validates them. If anything is wrong it returns the data it
// could read together with a *ValidationError listing every problem.
func Load(fsys fs.FS) (*Evidence, error) {
	e := &Evidence{}
	var probs []Problem
	var ok [6]bool
	ok[0] = decodeFile(fsys, FileReview, &e.Review, &probs)
	var refs ReferenceList
	ok[1] = decodeFile(fsys, FileReferences, &refs, &probs)
	e.References = refs.References
	ok[2] = decodeFile(fsys, FilePreclinical, &e.Preclinical, &probs)
	ok[3] = decodeFile(fsys, FileTrials, &e.Trials, &probs)
	ok[4] = decodeFile(fsys, FileGlossary, &e.Glossary, &probs)
	ok[5] = decodeFile(fsys, FileMethods, &e.Methods, &probs)

	e.sortAll()
	e.index()

	v := validator{e: e, loaded: ok}
	v.refsFileMeta = refs
	v.run()
	probs = append(probs, v.probs...)
	if len(probs) > 0 {
		return e, &ValidationError{Problems: probs}
	}
	return e, nil
}

// decodeFile decodes one JSON file strictly into v. It reports problems and
// returns false if the file is missing or malformed.
func decodeFile(fsys fs.FS, name string, v any, probs *[]Problem) bool {
	data, err := fs.ReadFile(fsys, path.Join(Dir, name))
	if err != nil {
		*probs = append(*probs, Problem{File: name, Msg: "cannot read: " + err.Error()})
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		*probs = append(*probs, Problem{File: name, Msg: "invalid JSON: " + jsonErr(data, err)})
		return false
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		*probs = append(*probs, Problem{File: name, Msg: "invalid JSON: data after the top-level value"})
		return false
	}
	return true
}

// jsonErr adds a line number to JSON syntax and type errors.
func jsonErr(data []byte, err error) string {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off < 0 || off > int64(len(data)) {
		return err.Error()
	}
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	return fmt.Sprintf("line %d: %v", line, err)
}

func (e *Evidence) sortAll() {
	sort.SliceStable(e.References, func(i, j int) bool { return e.References[i].Number < e.References[j].Number })

	areaRank := rank(Areas)
	rows := e.Preclinical.Rows
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if ra, rb := rankOf(areaRank, a.Area), rankOf(areaRank, b.Area); ra != rb {
			return ra < rb
		}
		if fa, fb := firstRef(a.Refs), firstRef(b.Refs); fa != fb {
			return fa < fb
		}
		return a.ID < b.ID
	})

	groupRank := rank(TrialGroups)
	trials := e.Trials.Rows
	sort.SliceStable(trials, func(i, j int) bool {
		a, b := trials[i], trials[j]
		if ga, gb := rankOf(groupRank, a.Group), rankOf(groupRank, b.Group); ga != gb {
			return ga < gb
		}
		return a.ID < b.ID
	})

	terms := e.Glossary.Terms
	sort.SliceStable(terms, func(i, j int) bool {
		a, b := strings.ToLower(terms[i].Term), strings.ToLower(terms[j].Term)
		if a != b {
			return a < b
		}
		return terms[i].Term < terms[j].Term
	})

	methodRank := rank(MethodIDs)
	ms := e.Methods.Methods
	sort.SliceStable(ms, func(i, j int) bool {
		return rankOf(methodRank, ms[i].ID) < rankOf(methodRank, ms[j].ID)
	})
}

func (e *Evidence) index() {
	e.refIndex = make(map[int]int, len(e.References))
	for i, r := range e.References {
		if _, dup := e.refIndex[r.Number]; !dup {
			e.refIndex[r.Number] = i
		}
	}
	e.termIndex = make(map[string]int, len(e.Glossary.Terms))
	for i, t := range e.Glossary.Terms {
		if _, dup := e.termIndex[t.Term]; !dup {
			e.termIndex[t.Term] = i
		}
	}
}

func rank(vals []string) map[string]int {
	m := make(map[string]int, len(vals))
	for i, v := range vals {
		m[v] = i
	}
	return m
}

// rankOf puts unknown values last.
func rankOf(m map[string]int, v string) int {
	if r, ok := m[v]; ok {
		return r
	}
	return len(m)
}

func firstRef(refs []int) int {
	if len(refs) == 0 {
		return 1 << 30
	}
	lo := refs[0]
	for _, r := range refs[1:] {
		if r < lo {
			lo = r
		}
	}
	return lo
}
