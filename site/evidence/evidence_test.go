package evidence_test

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"exosep/assets"
	"exosep/site/evidence"
)

func load(t *testing.T) *evidence.Evidence {
	t.Helper()
	e, err := evidence.Load(assets.Evidence)
	if err != nil {
		t.Fatalf("embedded evidence does not validate:\n%v", err)
	}
	return e
}

func TestEmbeddedDataValidates(t *testing.T) {
	e := load(t)
	if got := len(e.References); got != evidence.ReferenceCount {
		t.Errorf("references: got %d, want %d", got, evidence.ReferenceCount)
	}
	for i, r := range e.References {
		if r.Number != i+1 {
			t.Fatalf("reference at index %d has number %d, want %d", i, r.Number, i+1)
		}
	}
	covered := map[int]bool{}
	for _, r := range e.Preclinical.Rows {
		for _, n := range r.Refs {
			covered[n] = true
		}
	}
	for n := evidence.FirstPreclinicalRef; n <= evidence.LastPreclinicalRef; n++ {
		if !covered[n] {
			t.Errorf("reference %d not covered by Table 2", n)
		}
	}
	wantGroups := map[string]int{"review-table": 9, "also-registered": 8, "clinical-report": 2}
	for g, want := range wantGroups {
		if got := len(e.TrialsInGroup(g)); got != want {
			t.Errorf("trials in group %s: got %d, want %d", g, got, want)
		}
	}
	if e.Review.DOI != "10.1186/s12967-020-02622-3" || e.Review.Licence != "CC BY 4.0" {
		t.Errorf("review: doi %q licence %q", e.Review.DOI, e.Review.Licence)
	}
	if len(e.Glossary.Terms) < 50 {
		t.Errorf("glossary has only %d terms", len(e.Glossary.Terms))
	}
	if got := len(e.Methods.Methods); got != len(evidence.MethodIDs) {
		t.Errorf("methods: got %d, want %d", got, len(evidence.MethodIDs))
	}
}

func TestSpecificFacts(t *testing.T) {
	e := load(t)
	tests := []struct {
		name string
		ok   bool
	}{
		{"NCT04134676 flagged as conditioned medium", func() bool {
			tr, ok := e.Trial("NCT04134676")
			return ok && len(tr.Flags) > 0 && strings.Contains(tr.Flags[0], "conditioned medium")
		}()},
		{"NCT04313647 later completed", func() bool {
			tr, ok := e.Trial("NCT04313647")
			return ok && len(tr.LaterStatus) == 1 && strings.HasPrefix(tr.LaterStatus[0].Status, "Completed")
		}()},
		{"NCT03857841 terminated 2021", func() bool {
			tr, ok := e.Trial("NCT03857841")
			return ok && len(tr.LaterStatus) == 1 && tr.LaterStatus[0].Status == "Terminated" && tr.LaterStatus[0].When == "2021"
		}()},
		{"clinical reports cite 109 and 110", func() bool {
			var refs []int
			for _, tr := range e.TrialsInGroup("clinical-report") {
				refs = append(refs, tr.Refs...)
			}
			slices.Sort(refs)
			return slices.Equal(refs, []int{109, 110})
		}()},
		{"ref 55 DOI from evidence notes", func() bool {
			r, ok := e.Ref(55)
			return ok && r.DOI == "10.1371/journal.pone.0088685" && r.DOISource != ""
		}()},
		{"ref 61 carries no DOI", func() bool {
			r, ok := e.Ref(61)
			return ok && r.DOI == ""
		}()},
		{"refs 113-121 cited only by Table 1", func() bool {
			for _, n := range evidence.TableOnlyRefs {
				r, ok := e.Ref(n)
				if !ok || !slices.Equal(r.CitedIn, []string{"Table 1"}) || len(e.RowsCiting(n)) > 0 {
					return false
				}
			}
			return slices.Equal(e.Methods.TableOnlyRefs.Refs, evidence.TableOnlyRefs)
		}()},
		{"Ref(0) and Ref(122) absent", func() bool {
			_, ok0 := e.Ref(0)
			_, ok122 := e.Ref(122)
			return !ok0 && !ok122
		}()},
		{"engine figures all null", func() bool {
			for _, m := range e.Methods.Methods {
				if m.EngineFigures.Status != evidence.EngineNotBuilt {
					return false
				}
				for _, a := range evidence.Aspects {
					if m.EngineFigure(a) != nil {
						return false
					}
				}
			}
			return true
		}()},
		{"RZUC inherits DGUC claims", func() bool {
			from := map[string]bool{}
			for _, c := range e.ClaimsFor("RZUC", "purity") {
				from[c.From] = true
			}
			return from["DGUC"]
		}()},
		{"glossary lookup", func() bool {
			tm, ok := e.Term("dguc")
			return ok && tm.Term == "DGUC" && tm.Expansion == "Density gradient ultracentrifugation"
		}()},
	}
	for _, tc := range tests {
		if !tc.ok {
			t.Errorf("%s: failed", tc.name)
		}
	}
}

func sum(cs []evidence.Count) int {
	n := 0
	for _, c := range cs {
		if c.N <= 0 {
			return -1
		}
		n += c.N
	}
	return n
}

func TestCountsAddUp(t *testing.T) {
	e := load(t)
	rows, trials := len(e.Preclinical.Rows), len(e.Trials.Rows)
	tests := []struct {
		name   string
		counts []evidence.Count
		want   int
	}{
		{"CountsByArea", e.CountsByArea(), rows},
		{"CountsByOrgan", e.CountsByOrgan(), rows},
		{"CountsBySource", e.CountsBySource(), rows},
		{"CountsByTrialGroup", e.CountsByTrialGroup(), trials},
	}
	for _, tc := range tests {
		if got := sum(tc.counts); got != tc.want {
			t.Errorf("%s: counts add up to %d, want %d (%v)", tc.name, got, tc.want, tc.counts)
		}
	}
	for _, c := range e.CountsByArea() {
		if got := len(e.RowsByArea(c.Key)); got != c.N {
			t.Errorf("area %s: count %d but RowsByArea gives %d", c.Key, c.N, got)
		}
	}
	for _, c := range e.CountsByOrgan() {
		if got := len(e.RowsByOrgan(c.Key)); got != c.N {
			t.Errorf("organ %s: count %d but RowsByOrgan gives %d", c.Key, c.N, got)
		}
	}
	organs := e.CountsByOrgan()
	for i := 1; i < len(organs); i++ {
		if organs[i-1].N < organs[i].N {
			t.Errorf("CountsByOrgan not sorted by count: %v", organs)
		}
	}
}

// isSortedOptions checks the documented option order: case-insensitive by
// name, sentinels last, no duplicates.
func isSortedOptions(vals []string) bool {
	sentinel := func(s string) bool {
		return s == evidence.NotStated || s == evidence.NotRecorded || s == evidence.NotApplicable
	}
	seen := map[string]bool{}
	for i, v := range vals {
		if seen[v] || v == "" {
			return false
		}
		seen[v] = true
		if i == 0 {
			continue
		}
		p := vals[i-1]
		switch {
		case sentinel(p) && !sentinel(v):
			return false
		case sentinel(p) == sentinel(v) && strings.ToLower(p) > strings.ToLower(v):
			return false
		}
	}
	return true
}

// inVocabOrder checks that vals follow the order of vocab.
func inVocabOrder(vals, vocab []string) bool {
	last := -1
	for _, v := range vals {
		i := slices.Index(vocab, v)
		if i <= last {
			return false
		}
		last = i
	}
	return true
}

func TestOptionLists(t *testing.T) {
	e := load(t)
	alpha := []struct {
		name string
		vals []string
	}{
		{"Organs", e.Organs()},
		{"Sources", e.Sources()},
		{"Species", e.Species()},
		{"TrialStatuses", e.TrialStatuses()},
		{"TrialRoutes", e.TrialRoutes()},
		{"TrialOrgans", e.TrialOrgans()},
	}
	for _, tc := range alpha {
		if len(tc.vals) == 0 || !isSortedOptions(tc.vals) {
			t.Errorf("%s not sorted or empty: %q", tc.name, tc.vals)
		}
	}
	vocab := []struct {
		name        string
		vals, vocab []string
	}{
		{"Areas", e.Areas(), evidence.Areas},
		{"CargoTypes", e.CargoTypes(), evidence.CargoTypes},
		{"TrialPhases", e.TrialPhases(), evidence.TrialPhases},
	}
	for _, tc := range vocab {
		if len(tc.vals) == 0 || !inVocabOrder(tc.vals, tc.vocab) {
			t.Errorf("%s not in vocabulary order: %q", tc.name, tc.vals)
		}
	}
	if got := len(e.Areas()); got != len(evidence.Areas) {
		t.Errorf("Areas: got %d areas with rows, want all %d", got, len(evidence.Areas))
	}
	if !isSortedOptions([]string{"b", "C", evidence.NotStated}) || isSortedOptions([]string{evidence.NotStated, "a"}) {
		t.Fatal("isSortedOptions helper is wrong")
	}
}

// ---- broken fixtures ----

// fixture copies the embedded evidence into a MapFS, letting edit change
// decoded JSON documents (file name -> document) before they are written.
func fixture(t *testing.T, edit func(docs map[string]map[string]any)) fstest.MapFS {
	t.Helper()
	docs := map[string]map[string]any{}
	fsys := fstest.MapFS{}
	err := fs.WalkDir(assets.Evidence, evidence.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(assets.Evidence, p)
		if err != nil {
			return err
		}
		if path.Ext(p) == ".json" {
			var doc map[string]any
			if err := json.Unmarshal(data, &doc); err != nil {
				return err
			}
			docs[path.Base(p)] = doc
			return nil
		}
		fsys[p] = &fstest.MapFile{Data: data}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(docs)
	}
	for name, doc := range docs {
		if doc == nil {
			continue // deleted
		}
		data, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		fsys[path.Join(evidence.Dir, name)] = &fstest.MapFile{Data: data}
	}
	return fsys
}

func arr(doc map[string]any, key string) []any { return doc[key].([]any) }

// row finds the element of doc[key] whose idKey equals id.
func row(t *testing.T, doc map[string]any, key, idKey string, id any) map[string]any {
	for _, r := range arr(doc, key) {
		m := r.(map[string]any)
		if m[idKey] == id {
			return m
		}
	}
	t.Fatalf("no %s with %s=%v", key, idKey, id)
	return nil
}

func without(doc map[string]any, key, idKey string, id any) {
	rows := arr(doc, key)
	out := rows[:0:0]
	for _, r := range rows {
		if r.(map[string]any)[idKey] != id {
			out = append(out, r)
		}
	}
	doc[key] = out
}

type want struct {
	file, id, field string
	msg             *regexp.Regexp
}

func TestValidationRejectsBrokenCopies(t *testing.T) {
	pre := func(t *testing.T, d map[string]map[string]any, id string) map[string]any {
		return row(t, d["preclinical.json"], "rows", "id", id)
	}
	trial := func(t *testing.T, d map[string]map[string]any, id string) map[string]any {
		return row(t, d["trials.json"], "rows", "id", id)
	}
	ref := func(t *testing.T, d map[string]map[string]any, n float64) map[string]any {
		return row(t, d["references.json"], "references", "number", n)
	}
	method := func(t *testing.T, d map[string]map[string]any, id string) map[string]any {
		return row(t, d["methods.json"], "methods", "id", id)
	}
	re := regexp.MustCompile
	tests := []struct {
		name string
		edit func(t *testing.T, d map[string]map[string]any)
		want want
	}{
		{"species vocabulary", func(t *testing.T, d map[string]map[string]any) {
			pre(t, d, "cv-07")["species"] = "monkey"
		}, want{"preclinical.json", "cv-07", "species", re(`"monkey" is not one of "mouse", "rat"`)}},
		{"area vocabulary", func(t *testing.T, d map[string]map[string]any) {
			pre(t, d, "lv-02")["area"] = "hepatology"
		}, want{"preclinical.json", "lv-02", "area", re(`"hepatology" is not one of "cardiovascular"`)}},
		{"organ vocabulary", func(t *testing.T, d map[string]map[string]any) {
			pre(t, d, "nr-01")["organ"] = "cerebrum"
		}, want{"preclinical.json", "nr-01", "organ", re(`"cerebrum" is not one of`)}},
		{"msc source vocabulary", func(t *testing.T, d map[string]map[string]any) {
			pre(t, d, "kd-02")["msc_source"] = "fat"
		}, want{"preclinical.json", "kd-02", "msc_source", re(`"fat" is not one of .*"adipose"`)}},
		{"cargo type vocabulary", func(t *testing.T, d map[string]map[string]any) {
			pre(t, d, "cv-06")["cargo"] = []any{map[string]any{"type": "lipid", "name": "ceramide"}}
		}, want{"preclinical.json", "cv-06", "cargo[0].type", re(`"lipid" is not one of "miRNA", "mRNA", "protein", "lncRNA", "other"`)}},
		{"required field", func(t *testing.T, d map[string]map[string]any) {
			pre(t, d, "wh-02")["mechanism"] = "  "
		}, want{"preclinical.json", "wh-02", "mechanism", re(`required`)}},
		{"duplicate id", func(t *testing.T, d map[string]map[string]any) {
			pre(t, d, "kd-02")["id"] = "kd-01"
		}, want{"preclinical.json", "kd-01", "id", re(`duplicate id "kd-01"`)}},
		{"cited ref must exist", func(t *testing.T, d map[string]map[string]any) {
			pre(t, d, "ot-01")["refs"] = []any{102.0, 999.0}
		}, want{"preclinical.json", "ot-01", "refs[1]", re(`reference 999 does not exist`)}},
		{"refs 50-105 covered", func(t *testing.T, d map[string]map[string]any) {
			without(d["preclinical.json"], "rows", "id", "lv-05")
		}, want{"preclinical.json", "", "rows", re(`reference 77 is not covered`)}},
		{"from_title names a field", func(t *testing.T, d map[string]map[string]any) {
			pre(t, d, "cv-01")["from_title"] = []any{"journal"}
		}, want{"preclinical.json", "cv-01", "from_title[0]", re(`"journal" is not one of`)}},
		{"table status", func(t *testing.T, d map[string]map[string]any) {
			d["preclinical.json"]["status"] = "complete"
		}, want{"preclinical.json", "", "status", re(`must be "reconstructed from the review's text"`)}},
		{"NCT format in review table", func(t *testing.T, d map[string]map[string]any) {
			trial(t, d, "t3-01")["trial_id"] = "NCT0431364"
		}, want{"trials.json", "t3-01", "trial_id", re(`"NCT0431364" does not match`)}},
		{"NCT format in also-registered", func(t *testing.T, d map[string]map[string]any) {
			trial(t, d, "ar-02")["trial_id"] = "ChiCTR2000029990"
		}, want{"trials.json", "ar-02", "trial_id", re(`does not match \^NCT`)}},
		{"route vocabulary", func(t *testing.T, d map[string]map[string]any) {
			trial(t, d, "t3-08")["route"] = "nasal drip"
		}, want{"trials.json", "t3-08", "route", re(`"nasal drip" is not one of .*"intranasal"`)}},
		{"phase vocabulary", func(t *testing.T, d map[string]map[string]any) {
			trial(t, d, "t3-03")["phase"] = "I, II"
		}, want{"trials.json", "t3-03", "phase", re(`"I, II" is not one of .*"I/II"`)}},
		{"status vocabulary", func(t *testing.T, d map[string]map[string]any) {
			trial(t, d, "t3-02")["status_2020"] = "Done"
		}, want{"trials.json", "t3-02", "status_2020", re(`"Done" is not one of`)}},
		{"group vocabulary", func(t *testing.T, d map[string]map[string]any) {
			trial(t, d, "ar-01")["group"] = "extra"
		}, want{"trials.json", "ar-01", "group", re(`"extra" is not one of "review-table"`)}},
		{"clinical report ref exists", func(t *testing.T, d map[string]map[string]any) {
			trial(t, d, "cr-01")["refs"] = []any{500.0}
		}, want{"trials.json", "cr-01", "refs[0]", re(`reference 500 does not exist`)}},
		{"duplicate trial row id", func(t *testing.T, d map[string]map[string]any) {
			trial(t, d, "t3-02")["id"] = "t3-01"
		}, want{"trials.json", "t3-01", "id", re(`duplicate id`)}},
		{"later status provenance", func(t *testing.T, d map[string]map[string]any) {
			trial(t, d, "t3-04")["later_status"] = []any{map[string]any{"status": "Terminated", "when": "2021", "provenance": ""}}
		}, want{"trials.json", "t3-04", "later_status[0].provenance", re(`required`)}},
		{"references gap", func(t *testing.T, d map[string]map[string]any) {
			without(d["references.json"], "references", "number", 60.0)
		}, want{"references.json", "", "references", re(`reference number 60 is missing`)}},
		{"references count", func(t *testing.T, d map[string]map[string]any) {
			without(d["references.json"], "references", "number", 121.0)
		}, want{"references.json", "", "references", re(`has 120 entries, must have 121`)}},
		{"duplicate reference number", func(t *testing.T, d map[string]map[string]any) {
			ref(t, d, 61)["number"] = 60.0
		}, want{"references.json", "60", "number", re(`duplicate reference number 60`)}},
		{"doi needs provenance", func(t *testing.T, d map[string]map[string]any) {
			ref(t, d, 52)["doi_source"] = ""
		}, want{"references.json", "52", "doi_source", re(`required when doi is set`)}},
		{"doi form", func(t *testing.T, d map[string]map[string]any) {
			ref(t, d, 53)["doi"] = "doi:10.1159/000438594"
		}, want{"references.json", "53", "doi", re(`is not of the form`)}},
		{"reference required title", func(t *testing.T, d map[string]map[string]any) {
			ref(t, d, 7)["title"] = ""
		}, want{"references.json", "7", "title", re(`required`)}},
		{"table-only refs stay table-only", func(t *testing.T, d map[string]map[string]any) {
			ref(t, d, 116)["cited_in"] = []any{"Table 1", "Background"}
		}, want{"references.json", "116", "cited_in", re(`must be \["Table 1"\]`)}},
		{"glossary duplicate term", func(t *testing.T, d map[string]map[string]any) {
			row(t, d["glossary.json"], "terms", "term", "RZUC")["term"] = "DUC"
		}, want{"glossary.json", "DUC", "term", re(`duplicate term "DUC"`)}},
		{"glossary definition required", func(t *testing.T, d map[string]map[string]any) {
			row(t, d["glossary.json"], "terms", "term", "MWCO")["definition"] = ""
		}, want{"glossary.json", "MWCO", "definition", re(`required`)}},
		{"glossary source vocabulary", func(t *testing.T, d map[string]map[string]any) {
			row(t, d["glossary.json"], "terms", "term", "SF")["source"] = "memory"
		}, want{"glossary.json", "SF", "source", re(`"memory" is not one of`)}},
		{"engine figures stay null", func(t *testing.T, d map[string]map[string]any) {
			ef := method(t, d, "DUC")["engine_figures"].(map[string]any)
			ef["figures"].(map[string]any)["yield"] = map[string]any{"value": 0.3, "unit": "fraction"}
		}, want{"methods.json", "DUC", "engine_figures.figures.yield", re(`must be null while status is "engine model not built yet"`)}},
		{"claim aspect vocabulary", func(t *testing.T, d map[string]map[string]any) {
			arr(method(t, d, "UF"), "claims")[0].(map[string]any)["aspect"] = "speed"
		}, want{"methods.json", "UF", "claims[0].aspect", re(`"speed" is not one of "principle"`)}},
		{"claim ref exists", func(t *testing.T, d map[string]map[string]any) {
			arr(method(t, d, "SF"), "claims")[0].(map[string]any)["refs"] = []any{0.0}
		}, want{"methods.json", "SF", "claims[0].refs[0]", re(`reference 0 does not exist`)}},
		{"all methods present", func(t *testing.T, d map[string]map[string]any) {
			without(d["methods.json"], "methods", "id", "SF")
		}, want{"methods.json", "", "methods", re(`method "SF" is missing`)}},
		{"unknown field", func(t *testing.T, d map[string]map[string]any) {
			pre(t, d, "cv-01")["dose"] = "1 µg"
		}, want{"preclinical.json", "", "", re(`invalid JSON: .*unknown field "dose"`)}},
		{"missing file", func(t *testing.T, d map[string]map[string]any) {
			d["glossary.json"] = nil
		}, want{"glossary.json", "", "", re(`cannot read`)}},
		{"review licence", func(t *testing.T, d map[string]map[string]any) {
			d["review.json"]["licence"] = "CC BY-NC 4.0"
		}, want{"review.json", "", "licence", re(`must be "CC BY 4.0"`)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fixture(t, func(d map[string]map[string]any) { tc.edit(t, d) })
			_, err := evidence.Load(fsys)
			var ve *evidence.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Load accepted the broken copy (err = %v)", err)
			}
			found := false
			for _, p := range ve.Problems {
				if p.File == tc.want.file && p.ID == tc.want.id && p.Field == tc.want.field && tc.want.msg.MatchString(p.Msg) {
					found = true
					s := p.String()
					for _, part := range []string{tc.want.file, tc.want.id, tc.want.field} {
						if !strings.Contains(s, part) {
							t.Errorf("message %q does not name %q", s, part)
						}
					}
				}
			}
			if !found {
				t.Errorf("no problem {file %s, row %q, field %q, msg ~ %s}; got:\n%v", tc.want.file, tc.want.id, tc.want.field, tc.want.msg, err)
			}
		})
	}
}

func TestValidationReportsAllProblemsAtOnce(t *testing.T) {
	fsys := fixture(t, func(d map[string]map[string]any) {
		row(t, d["preclinical.json"], "rows", "id", "cv-07")["species"] = "monkey"
		row(t, d["trials.json"], "rows", "id", "t3-01")["trial_id"] = "NCT1"
		without(d["references.json"], "references", "number", 3.0)
		row(t, d["glossary.json"], "terms", "term", "UF")["expansion"] = ""
	})
	_, err := evidence.Load(fsys)
	var ve *evidence.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Load accepted the broken copy (err = %v)", err)
	}
	files := map[string]bool{}
	for _, p := range ve.Problems {
		files[p.File] = true
	}
	for _, f := range []string{"preclinical.json", "trials.json", "references.json", "glossary.json"} {
		if !files[f] {
			t.Errorf("no problem reported for %s; got:\n%v", f, err)
		}
	}
	msg := err.Error()
	if want := `preclinical.json row cv-07 field species: "monkey" is not one of "mouse", "rat"`; !strings.Contains(msg, want) {
		t.Errorf("error text lacks %q:\n%s", want, msg)
	}
}

func TestUnchangedFixtureValidates(t *testing.T) {
	if _, err := evidence.Load(fixture(t, nil)); err != nil {
		t.Fatalf("round-tripped copy fails: %v", err)
	}
}

// TestSchemaDocumentsVocabularies checks that SCHEMA.md lists every allowed
// value (in backticks) so the documentation cannot drift from the code.
func TestSchemaDocumentsVocabularies(t *testing.T) {
	data, err := fs.ReadFile(assets.Evidence, "evidence/SCHEMA.md")
	if err != nil {
		t.Fatal(err)
	}
	schema := string(data)
	vocabs := map[string][]string{
		"Areas": evidence.Areas, "Organs": evidence.Organs, "Species": evidence.Species,
		"MSCSources": evidence.MSCSources, "CargoTypes": evidence.CargoTypes,
		"FromTitleFields": evidence.FromTitleFields, "TrialGroups": evidence.TrialGroups,
		"TrialOrgans": evidence.TrialOrgans, "TrialPhases": evidence.TrialPhases,
		"TrialStatuses": evidence.TrialStatuses, "TrialRoutes": evidence.TrialRoutes,
		"ReferenceKinds": evidence.ReferenceKinds, "CitedInValues": evidence.CitedInValues,
		"GlossarySources": evidence.GlossarySources, "MethodIDs": evidence.MethodIDs,
		"MethodFamilies": evidence.MethodFamilies, "Aspects": evidence.Aspects,
	}
	for name, vals := range vocabs {
		for _, v := range vals {
			if !strings.Contains(schema, "`"+v+"`") {
				t.Errorf("SCHEMA.md does not list %s value `%s`", name, v)
			}
		}
	}
}

// TestCellsAreParaphrased guards the copy rule: no table cell may repeat a
// run of 7 or more consecutive words of the review. It needs the review text
// from the shared reference folder and is skipped where that is absent.
func TestCellsAreParaphrased(t *testing.T) {
	const reviewPath = "/work/shared/reference/review-nikfarjam-2020-msc-exosomes.txt"
	data, err := os.ReadFile(reviewPath)
	if err != nil {
		t.Skipf("review text not available: %v", err)
	}
	const n = 7
	words := regexp.MustCompile(`[\p{L}\p{N}]+`)
	shingles := map[string]bool{}
	text := string(data)
	if i := strings.Index(text, "\nReferences\n"); i > 0 {
		text = text[:i] // titles in the reference list are quoted on purpose
	}
	w := words.FindAllString(strings.ToLower(text), -1)
	for i := 0; i+n <= len(w); i++ {
		shingles[strings.Join(w[i:i+n], " ")] = true
	}
	e := load(t)
	var cells []string
	for _, r := range e.Preclinical.Rows {
		cells = append(cells, r.Condition, r.Model, r.Modification, r.Mechanism, r.Outcome, r.Notes)
	}
	for _, tr := range e.Trials.Rows {
		cells = append(cells, tr.Condition, tr.Outcome, tr.Notes)
	}
	for _, g := range e.Glossary.Terms {
		cells = append(cells, g.Definition, g.Note)
	}
	for _, m := range e.Methods.Methods {
		for _, c := range m.Claims {
			cells = append(cells, c.Claim)
		}
	}
	for _, g := range e.Methods.Groups {
		for _, c := range g.Claims {
			cells = append(cells, c.Claim)
		}
	}
	for _, c := range cells {
		cw := words.FindAllString(strings.ToLower(c), -1)
		for i := 0; i+n <= len(cw); i++ {
			if s := strings.Join(cw[i:i+n], " "); shingles[s] {
				t.Errorf("cell repeats the review's wording %q: %q", s, c)
				break
			}
		}
	}
}
