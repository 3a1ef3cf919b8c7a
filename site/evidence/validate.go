package evidence

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Problem is one validation failure.
type Problem struct {
	File  string // e.g. "preclinical.json"
	ID    string // row id ("cv-07", reference number, trial id, term); empty for file-level problems
	Field string // JSON field name, e.g. "species" or "cargo[1].type"; empty if the whole row or file
	Msg   string // what is wrong and what is allowed
}

// String renders the problem as
// `preclinical.json row cv-07 field species: "monkey" is not one of ...`.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.ID != "" {
		b.WriteString(" row ")
		b.WriteString(p.ID)
	}
	if p.Field != "" {
		b.WriteString(" field ")
		b.WriteString(p.Field)
	}
	b.WriteString(": ")
	b.WriteString(p.Msg)
	return b.String()
}

// ValidationError lists every problem found by Load.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	lines := make([]string, 0, len(e.Problems)+1)
	lines = append(lines, fmt.Sprintf("evidence: %d problem(s):", len(e.Problems)))
	for _, p := range e.Problems {
		lines = append(lines, "  "+p.String())
	}
	return strings.Join(lines, "\n")
}

var (
	reNCT      = regexp.MustCompile(`^NCT\d{8}$`)
	reDOI      = regexp.MustCompile(`^10\.\d{4,9}/\S+$`)
	rePMID     = regexp.MustCompile(`^\d{1,8}$`)
	rePreRowID = regexp.MustCompile(`^([a-z]{2})-\d{2}$`)
	reTrialID  = regexp.MustCompile(`^(t3|ar|cr)-\d{2}$`)
)

// trialIDPrefix maps a trial group to its row-id prefix.
var trialIDPrefix = map[string]string{"review-table": "t3", "also-registered": "ar", "clinical-report": "cr"}

type validator struct {
	e            *Evidence
	loaded       [6]bool // review, references, preclinical, trials, glossary, methods
	refsFileMeta ReferenceList
	probs        []Problem
}

func (v *validator) add(file, id, field, format string, args ...any) {
	v.probs = append(v.probs, Problem{File: file, ID: id, Field: field, Msg: fmt.Sprintf(format, args...)})
}

func (v *validator) required(file, id, field, val string) {
	if strings.TrimSpace(val) == "" {
		v.add(file, id, field, "required, must not be empty")
	}
}

func (v *validator) oneOf(file, id, field, val string, allowed []string) {
	if strings.TrimSpace(val) == "" {
		v.add(file, id, field, "required, must be one of %s", list(allowed))
		return
	}
	if !slices.Contains(allowed, val) {
		v.add(file, id, field, "%q is not one of %s", val, list(allowed))
	}
}

func (v *validator) refsExist(file, id, field string, refs []int) {
	for i, n := range refs {
		if _, ok := v.e.refIndex[n]; !ok || n < 1 || n > ReferenceCount {
			v.add(file, id, fmt.Sprintf("%s[%d]", field, i), "reference %d does not exist in references.json (allowed 1..%d)", n, ReferenceCount)
		}
	}
}

func list(vals []string) string {
	q := make([]string, len(vals))
	for i, s := range vals {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

func rowID(id string, i int) string {
	if strings.TrimSpace(id) == "" {
		return "#" + strconv.Itoa(i+1)
	}
	return id
}

func (v *validator) run() {
	if v.loaded[0] {
		v.review()
	}
	if v.loaded[1] {
		v.references()
	}
	if v.loaded[2] {
		v.preclinical()
	}
	if v.loaded[3] {
		v.trials()
	}
	if v.loaded[4] {
		v.glossary()
	}
	if v.loaded[5] {
		v.methods()
	}
	if v.loaded[1] && v.loaded[2] && v.loaded[3] && v.loaded[5] {
		v.tableOnly()
	}
}

func (v *validator) fileField(file, got string) {
	if got != file {
		v.add(file, "", "file", "is %q, must be %q", got, file)
	}
}

func (v *validator) review() {
	const f = FileReview
	r := v.e.Review
	v.fileField(f, r.File)
	v.required(f, "", "title", r.Title)
	v.required(f, "", "authors", r.Authors)
	v.required(f, "", "journal", r.Journal)
	v.required(f, "", "citation", r.Citation)
	v.required(f, "", "doi_source", r.DOISource)
	v.required(f, "", "licence_url", r.LicenceURL)
	v.required(f, "", "licence_source", r.LicenceSource)
	if r.DOI != "10.1186/s12967-020-02622-3" {
		v.add(f, "", "doi", "is %q, must be the review's DOI 10.1186/s12967-020-02622-3", r.DOI)
	}
	if r.Licence != "CC BY 4.0" {
		v.add(f, "", "licence", "is %q, must be \"CC BY 4.0\"", r.Licence)
	}
	if r.Year != 2020 {
		v.add(f, "", "year", "is %d, must be 2020", r.Year)
	}
	seen := map[int]bool{}
	for i, t := range r.Tables {
		id := "table " + strconv.Itoa(t.Number)
		if t.Number < 1 || t.Number > 3 || seen[t.Number] {
			v.add(f, id, "tables["+strconv.Itoa(i)+"].number", "must be 1, 2 or 3, each once")
		}
		seen[t.Number] = true
		v.required(f, id, "caption", t.Caption)
		v.required(f, id, "status", t.Status)
		v.oneOf(f, id, "file", t.File, []string{FileMethods, FilePreclinical, FileTrials})
	}
	if len(r.Tables) != 3 {
		v.add(f, "", "tables", "has %d entries, must have 3", len(r.Tables))
	}
}

func (v *validator) references() {
	const f = FileReferences
	v.fileField(f, v.refsFileMeta.File)
	v.required(f, "", "source", v.refsFileMeta.Source)
	refs := v.e.References
	if len(refs) != ReferenceCount {
		v.add(f, "", "references", "has %d entries, must have %d (numbered 1..%d)", len(refs), ReferenceCount, ReferenceCount)
	}
	seen := map[int]bool{}
	for _, r := range refs {
		id := strconv.Itoa(r.Number)
		if r.Number < 1 || r.Number > ReferenceCount {
			v.add(f, id, "number", "%d is outside 1..%d", r.Number, ReferenceCount)
		}
		if seen[r.Number] {
			v.add(f, id, "number", "duplicate reference number %d", r.Number)
		}
		seen[r.Number] = true
		v.oneOf(f, id, "kind", r.Kind, ReferenceKinds)
		v.required(f, id, "authors", r.Authors)
		v.required(f, id, "title", r.Title)
		switch r.Kind {
		case "journal-article":
			v.required(f, id, "journal", r.Journal)
		case "book-chapter":
			v.required(f, id, "book", r.Book)
		}
		if r.Year < 1900 || r.Year > 2020 {
			v.add(f, id, "year", "%d is outside 1900..2020 (the review is from 2020)", r.Year)
		}
		if r.YearSuffix != "" && !slices.Contains([]string{"a", "b"}, r.YearSuffix) {
			v.add(f, id, "year_suffix", "%q is not one of \"\", \"a\", \"b\"", r.YearSuffix)
		}
		v.identifier(f, id, "doi", r.DOI, r.DOISource, reDOI, "10.NNNN/suffix")
		v.identifier(f, id, "pmid", r.PMID, r.PMIDSource, rePMID, "1 to 8 digits")
		for i, c := range r.CitedIn {
			if !slices.Contains(CitedInValues, c) {
				v.add(f, id, fmt.Sprintf("cited_in[%d]", i), "%q is not one of %s", c, list(CitedInValues))
			}
		}
	}
	for n := 1; n <= ReferenceCount; n++ {
		if !seen[n] {
			v.add(f, "", "references", "reference number %d is missing (numbers must run 1..%d without gaps)", n, ReferenceCount)
		}
	}
}

// identifier checks an optional identifier and its provenance field.
func (v *validator) identifier(f, id, field, val, src string, re *regexp.Regexp, form string) {
	switch {
	case val == "" && src != "":
		v.add(f, id, field+"_source", "is %q but %s is empty; leave both empty when the identifier is unknown", src, field)
	case val != "" && !re.MatchString(val):
		v.add(f, id, field, "%q is not of the form %s", val, form)
	case val != "" && strings.TrimSpace(src) == "":
		v.add(f, id, field+"_source", "required when %s is set (say where the identifier was read)", field)
	}
}

func (v *validator) preclinical() {
	const f = FilePreclinical
	t := v.e.Preclinical
	v.fileField(f, t.File)
	if t.Table != 2 {
		v.add(f, "", "table", "is %d, must be 2", t.Table)
	}
	if t.Status != ReconstructedStatus {
		v.add(f, "", "status", "is %q, must be %q", t.Status, ReconstructedStatus)
	}
	v.required(f, "", "caption", t.Caption)
	v.required(f, "", "source", t.Source)
	if len(t.Rows) == 0 {
		v.add(f, "", "rows", "no rows")
	}
	ids := map[string]bool{}
	covered := map[int]bool{}
	for i, r := range t.Rows {
		id := rowID(r.ID, i)
		if r.ID == "" {
			v.add(f, id, "id", "required, must not be empty")
		} else if ids[r.ID] {
			v.add(f, id, "id", "duplicate id %q", r.ID)
		}
		ids[r.ID] = true
		v.oneOf(f, id, "area", r.Area, Areas)
		if m := rePreRowID.FindStringSubmatch(r.ID); r.ID != "" && (m == nil || (slices.Contains(Areas, r.Area) && m[1] != AreaIDPrefix[r.Area])) {
			v.add(f, id, "id", "must look like %q (area prefix %q, two digits)", AreaIDPrefix[r.Area]+"-01", AreaIDPrefix[r.Area])
		}
		v.oneOf(f, id, "organ", r.Organ, Organs)
		v.required(f, id, "condition", r.Condition)
		v.required(f, id, "model", r.Model)
		v.oneOf(f, id, "species", r.Species, Species)
		v.oneOf(f, id, "msc_source", r.MSCSource, MSCSources)
		if r.MSCSource == NotRecorded {
			v.add(f, id, "msc_source", "%q is only for trials; use %q", NotRecorded, NotStated)
		}
		v.required(f, id, "mechanism", r.Mechanism)
		v.required(f, id, "outcome", r.Outcome)
		for j, c := range r.Cargo {
			fld := fmt.Sprintf("cargo[%d]", j)
			v.oneOf(f, id, fld+".type", c.Type, CargoTypes)
			v.required(f, id, fld+".name", c.Name)
		}
		if len(r.Refs) == 0 {
			v.add(f, id, "refs", "required, must list at least one reference number")
		}
		v.refsExist(f, id, "refs", r.Refs)
		for j, n := range r.Refs {
			if n < FirstPreclinicalRef || n > LastPreclinicalRef {
				v.add(f, id, fmt.Sprintf("refs[%d]", j), "reference %d is outside Table 2's range %d..%d", n, FirstPreclinicalRef, LastPreclinicalRef)
			}
			covered[n] = true
		}
		for j, fld := range r.FromTitle {
			name := fmt.Sprintf("from_title[%d]", j)
			if !slices.Contains(FromTitleFields, fld) {
				v.add(f, id, name, "%q is not one of %s", fld, list(FromTitleFields))
				continue
			}
			if val := r.field(fld); val == NotStated || val == "" {
				v.add(f, id, name, "marks %s as taken from the cited title, but %s is empty or %q", fld, fld, NotStated)
			}
		}
	}
	for n := FirstPreclinicalRef; n <= LastPreclinicalRef; n++ {
		if !covered[n] {
			v.add(f, "", "rows", "reference %d is not covered by any row (every reference %d..%d needs at least one row)", n, FirstPreclinicalRef, LastPreclinicalRef)
		}
	}
}

// field returns the text of a from_title-able field ("cargo" joins names).
func (r PreclinicalRow) field(name string) string {
	switch name {
	case "condition":
		return r.Condition
	case "model":
		return r.Model
	case "species":
		return r.Species
	case "msc_source":
		return r.MSCSource
	case "modification":
		return r.Modification
	case "mechanism":
		return r.Mechanism
	case "outcome":
		return r.Outcome
	case "cargo":
		names := make([]string, len(r.Cargo))
		for i, c := range r.Cargo {
			names[i] = c.Name
		}
		return strings.Join(names, ", ")
	}
	return ""
}

func (v *validator) trials() {
	const f = FileTrials
	t := v.e.Trials
	v.fileField(f, t.File)
	if t.Table != 3 {
		v.add(f, "", "table", "is %d, must be 3", t.Table)
	}
	v.required(f, "", "caption", t.Caption)
	v.required(f, "", "status", t.Status)
	for _, g := range TrialGroups {
		if strings.TrimSpace(t.Groups[g]) == "" {
			v.add(f, "", "groups", "must describe group %q", g)
		}
	}
	ids := map[string]bool{}
	nct := map[string]string{}
	for i, r := range t.Rows {
		id := rowID(r.ID, i)
		if r.ID == "" {
			v.add(f, id, "id", "required, must not be empty")
		} else if ids[r.ID] {
			v.add(f, id, "id", "duplicate id %q", r.ID)
		}
		ids[r.ID] = true
		v.oneOf(f, id, "group", r.Group, TrialGroups)
		if m := reTrialID.FindStringSubmatch(r.ID); r.ID != "" && (m == nil || (trialIDPrefix[r.Group] != "" && m[1] != trialIDPrefix[r.Group])) {
			v.add(f, id, "id", "must look like %q (group prefix, two digits)", trialIDPrefix[r.Group]+"-01")
		}
		v.oneOf(f, id, "organ", r.Organ, TrialOrgans)
		v.required(f, id, "condition", r.Condition)
		v.oneOf(f, id, "phase", r.Phase, TrialPhases)
		v.oneOf(f, id, "status_2020", r.Status2020, TrialStatuses)
		v.required(f, id, "source", r.Source)
		v.oneOf(f, id, "msc_source", r.MSCSource, MSCSources)
		v.required(f, id, "dose_frequency_route", r.DoseFrequencyRoute)
		v.oneOf(f, id, "route", r.Route, TrialRoutes)
		v.required(f, id, "location", r.Location)
		v.required(f, id, "provenance", r.Provenance)
		v.refsExist(f, id, "refs", r.Refs)
		switch r.Group {
		case "review-table", "also-registered":
			if !reNCT.MatchString(r.TrialID) {
				v.add(f, id, "trial_id", "%q does not match ^NCT\\d{8}$ (required for group %q)", r.TrialID, r.Group)
			}
			if r.Phase == NotApplicable {
				v.add(f, id, "phase", "%q is only for clinical reports", NotApplicable)
			}
		case "clinical-report":
			if r.TrialID != "" {
				v.add(f, id, "trial_id", "must be empty for a clinical report (got %q)", r.TrialID)
			}
			if len(r.Refs) == 0 {
				v.add(f, id, "refs", "required for a clinical report: give the review's reference number")
			}
			v.required(f, id, "outcome", r.Outcome)
		}
		if r.Group != "also-registered" {
			for _, fv := range [][2]string{{"phase", r.Phase}, {"status_2020", r.Status2020}, {"msc_source", r.MSCSource}, {"dose_frequency_route", r.DoseFrequencyRoute}, {"route", r.Route}, {"location", r.Location}} {
				if fv[1] == NotRecorded {
					v.add(f, id, fv[0], "%q is only for group \"also-registered\"; use %q", NotRecorded, NotStated)
				}
			}
		}
		if r.TrialID != "" {
			if prev, dup := nct[r.TrialID]; dup {
				v.add(f, id, "trial_id", "%s already used by row %s", r.TrialID, prev)
			}
			nct[r.TrialID] = id
		}
		for j, l := range r.LaterStatus {
			fld := fmt.Sprintf("later_status[%d]", j)
			v.required(f, id, fld+".status", l.Status)
			v.required(f, id, fld+".when", l.When)
			v.required(f, id, fld+".provenance", l.Provenance)
		}
		for j, fl := range r.Flags {
			v.required(f, id, fmt.Sprintf("flags[%d]", j), fl)
		}
	}
}

func (v *validator) glossary() {
	const f = FileGlossary
	g := v.e.Glossary
	v.fileField(f, g.File)
	v.required(f, "", "source", g.Source)
	if len(g.Terms) == 0 {
		v.add(f, "", "terms", "no terms")
	}
	seen := map[string]bool{}
	for i, t := range g.Terms {
		id := rowID(t.Term, i)
		if t.Term == "" {
			v.add(f, id, "term", "required, must not be empty")
		} else if seen[t.Term] {
			v.add(f, id, "term", "duplicate term %q", t.Term)
		}
		seen[t.Term] = true
		v.required(f, id, "expansion", t.Expansion)
		v.required(f, id, "definition", t.Definition)
		v.oneOf(f, id, "source", t.Source, GlossarySources)
	}
}

func (v *validator) methods() {
	const f = FileMethods
	m := v.e.Methods
	v.fileField(f, m.File)
	if m.Table != 1 {
		v.add(f, "", "table", "is %d, must be 1", m.Table)
	}
	if m.Status != ReconstructedStatus {
		v.add(f, "", "status", "is %q, must be %q", m.Status, ReconstructedStatus)
	}
	v.required(f, "", "caption", m.Caption)
	v.required(f, "", "source", m.Source)
	for i, a := range m.Aspects {
		if !slices.Contains(Aspects, a) {
			v.add(f, "", fmt.Sprintf("aspects[%d]", i), "%q is not one of %s", a, list(Aspects))
		}
	}
	groups := map[string]MethodGroup{}
	for i, g := range m.Groups {
		id := rowID(g.ID, i)
		if g.ID == "" {
			v.add(f, id, "id", "required, must not be empty")
		} else if _, dup := groups[g.ID]; dup {
			v.add(f, id, "id", "duplicate group id %q", g.ID)
		}
		groups[g.ID] = g
		v.required(f, id, "name", g.Name)
		for j, mem := range g.Members {
			if !slices.Contains(MethodIDs, mem) {
				v.add(f, id, fmt.Sprintf("members[%d]", j), "%q is not one of %s", mem, list(MethodIDs))
			}
		}
		v.claims(f, id, g.Claims)
	}
	seen := map[string]bool{}
	for i, me := range m.Methods {
		id := rowID(me.ID, i)
		if me.ID != "" && seen[me.ID] {
			v.add(f, id, "id", "duplicate method id %q", me.ID)
		}
		seen[me.ID] = true
		v.oneOf(f, id, "id", me.ID, MethodIDs)
		v.required(f, id, "name", me.Name)
		v.oneOf(f, id, "family", me.Family, MethodFamilies)
		if me.Parent != "" && !slices.Contains(MethodIDs, me.Parent) {
			v.add(f, id, "parent", "%q is not one of %s", me.Parent, list(MethodIDs))
		}
		for j, g := range me.Groups {
			grp, ok := groups[g]
			if !ok {
				v.add(f, id, fmt.Sprintf("groups[%d]", j), "group %q is not defined in groups", g)
				continue
			}
			if !slices.Contains(grp.Members, me.ID) {
				v.add(f, id, fmt.Sprintf("groups[%d]", j), "group %q does not list %q among its members", g, me.ID)
			}
		}
		if len(me.Claims) == 0 {
			v.add(f, id, "claims", "required, at least one claim")
		}
		v.claims(f, id, me.Claims)
		ef := me.EngineFigures
		v.required(f, id, "engine_figures.status", ef.Status)
		for k, fig := range ef.Figures {
			if !slices.Contains(Aspects, k) {
				v.add(f, id, "engine_figures.figures."+k, "key %q is not one of %s", k, list(Aspects))
			}
			if ef.Status == EngineNotBuilt && fig != nil {
				v.add(f, id, "engine_figures.figures."+k, "must be null while status is %q (never invent figures)", EngineNotBuilt)
			}
		}
	}
	for _, want := range MethodIDs {
		if !seen[want] {
			v.add(f, "", "methods", "method %q is missing (need %s)", want, list(MethodIDs))
		}
	}
	for _, g := range m.Groups {
		for _, mem := range g.Members {
			for _, me := range m.Methods {
				if me.ID == mem && !slices.Contains(me.Groups, g.ID) {
					v.add(f, mem, "groups", "group %q lists %q as a member, but the method does not list the group", g.ID, mem)
				}
			}
		}
	}
}

func (v *validator) claims(f, id string, cs []Claim) {
	for j, c := range cs {
		fld := fmt.Sprintf("claims[%d]", j)
		v.oneOf(f, id, fld+".aspect", c.Aspect, Aspects)
		v.required(f, id, fld+".claim", c.Claim)
		v.refsExist(f, id, fld+".refs", c.Refs)
	}
}

// tableOnly checks the references cited only by Table 1: methods.json must
// record them, and no row of the other tables may cite them.
func (v *validator) tableOnly() {
	const f = FileMethods
	t := v.e.Methods.TableOnlyRefs
	if !slices.Equal(t.Refs, TableOnlyRefs) {
		v.add(f, "", "table_only_refs.refs", "is %v, must be %v (evidence-notes.md)", t.Refs, TableOnlyRefs)
	}
	v.required(f, "", "table_only_refs.source", t.Source)
	v.refsExist(f, "", "table_only_refs.refs", t.Refs)
	for _, n := range TableOnlyRefs {
		if i, ok := v.e.refIndex[n]; ok {
			if c := v.e.References[i].CitedIn; !slices.Equal(c, []string{"Table 1"}) {
				v.add(FileReferences, strconv.Itoa(n), "cited_in", "is %q, must be [\"Table 1\"] (cited only by Table 1)", c)
			}
		}
	}
	for _, r := range v.e.Preclinical.Rows {
		for _, n := range r.Refs {
			if slices.Contains(TableOnlyRefs, n) {
				v.add(FilePreclinical, r.ID, "refs", "cites %d, which only Table 1 cites", n)
			}
		}
	}
	for _, r := range v.e.Trials.Rows {
		for _, n := range r.Refs {
			if slices.Contains(TableOnlyRefs, n) {
				v.add(FileTrials, r.ID, "refs", "cites %d, which only Table 1 cites", n)
			}
		}
	}
}
