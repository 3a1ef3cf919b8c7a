package site

// The evidence pages: what the review says MSC exosomes treat, and how the
// isolation methods compare.
//
//	preclinical.html  Table 2 (reconstructed): filters, search, sorting and
//	                  an organ map, all client-side (static/evidence.js)
//	trials.html       Table 3: the paper's rows, "also registered" trials
//	                  and clinical reports, in three separate tables
//	methods.html      Table 1 (reconstructed): the review's claims per
//	                  method and aspect, beside the engine's figures
//	                  (MethodFigures; "not built yet" until the engine exists)
//	references.html   the review's 121 references, one anchor each (ref-N)
//	glossary.html     the review's abbreviations
//	about.html        the review's citation, licence, and what was rebuilt
//
// Every page shows every row without JavaScript; evidence.js only hides
// and reorders rows. Build also writes each table as CSV and JSON under
// data/ (evidence_data.go).

import (
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"exosep/assets"
	"exosep/site/evidence"
)

// evidenceFS is where Build loads the evidence data from (a variable so
// that tests can hand it broken copies).
var evidenceFS fs.FS = assets.Evidence

// evidenceNav is the second group of the site navigation.
var evidenceNav = []navItem{
	{"preclinical.html", "Preclinical evidence"},
	{"trials.html", "Clinical trials"},
	{"methods.html", "Method comparison"},
	{"references.html", "References"},
	{"glossary.html", "Glossary"},
	{"about.html", "About the review"},
}

// Anchors and links shared by the pages.
const (
	referencesFile = "references.html"
	reviewAnchor   = "review" // the review itself, on references.html
	misev2018DOI   = "https://doi.org/10.1080/20013078.2018.1535750"
	misev2023DOI   = "https://doi.org/10.1002/jev2.12404"
)

// refID is the anchor of reference n on references.html.
func refID(n int) string { return "ref-" + strconv.Itoa(n) }

// refHref links to reference n.
func refHref(n int) string { return referencesFile + "#" + refID(n) }

// evidenceView is everything the evidence pages show.
type evidenceView struct {
	Ev        *evidence.Evidence
	Downloads map[string][]download // by table: "preclinical", "trials", ...
	Methods   []methodView
	Cited     map[int][]citation // where each reference is used on the site
	TermIDs   map[string]string  // glossary term -> anchor id
	Organs    organMap
}

// download is one generated data file, for a link with its size.
type download struct {
	File, Format, Size string
}

// citation is a place on the site that cites a reference.
type citation struct{ Href, Label string }

func newEvidenceView(ev *evidence.Evidence, files map[string][]byte) (*evidenceView, error) {
	if err := checkOrganPlaces(); err != nil {
		return nil, err
	}
	v := &evidenceView{Ev: ev, Downloads: map[string][]download{}, Cited: map[int][]citation{}}
	for _, t := range downloadTables {
		for _, f := range []struct{ ext, label string }{{"csv", "CSV"}, {"json", "JSON"}} {
			name := "data/" + t + "." + f.ext
			b, ok := files[name]
			if !ok {
				return nil, fmt.Errorf("evidence downloads: %s was not generated", name)
			}
			v.Downloads[t] = append(v.Downloads[t], download{name, f.label, formatBytes(len(b))})
		}
	}
	for _, id := range evidence.MethodIDs {
		m, ok := ev.Method(id)
		if !ok {
			return nil, fmt.Errorf("methods.json has no method %s", id)
		}
		figs, err := MethodFigures(id)
		if err != nil {
			return nil, err
		}
		v.Methods = append(v.Methods, methodView{Method: m, Figures: figs})
	}
	// Back-links from each reference to the rows and claims citing it.
	add := func(n int, c citation) {
		if !slices.Contains(v.Cited[n], c) {
			v.Cited[n] = append(v.Cited[n], c)
		}
	}
	for _, r := range ev.Preclinical.Rows {
		for _, n := range r.Refs {
			add(n, citation{"preclinical.html#" + r.ID, "Table 2 row " + r.ID})
		}
	}
	for _, t := range ev.Trials.Rows {
		for _, n := range t.Refs {
			add(n, citation{"trials.html#" + t.ID, "Table 3 " + trialLabel(t)})
		}
	}
	for _, m := range ev.Methods.Methods {
		for _, c := range m.Claims {
			for _, n := range c.Refs {
				add(n, citation{"methods.html#" + claimCellID(c.Aspect, m.ID), "Table 1, " + m.ID + ", " + strings.ToLower(evidence.AspectLabel(c.Aspect))})
			}
		}
	}
	for _, g := range ev.Methods.Groups {
		for _, c := range g.Claims {
			for _, n := range c.Refs {
				add(n, citation{"methods.html#" + aspectID(c.Aspect), "Table 1, " + g.ID + " methods, " + strings.ToLower(evidence.AspectLabel(c.Aspect))})
			}
		}
	}
	for _, n := range ev.Methods.TableOnlyRefs.Refs {
		add(n, citation{"methods.html#table-only", "Table 1 (lost body)"})
	}
	v.TermIDs = termIDs(ev.Glossary.Terms)
	v.Organs = newOrganMap(ev.CountsByOrgan())
	return v, nil
}

// formatBytes formats a file size in bytes or kB (1 kB = 1000 bytes).
func formatBytes(n int) string {
	if n < 1000 {
		return strconv.Itoa(n) + " bytes"
	}
	return fixed(float64(n)/1000, 1) + " kB"
}

// termIDs gives each glossary term a unique ASCII anchor: "term-bm-msc".
func termIDs(terms []evidence.Term) map[string]string {
	greek := map[rune]string{'α': "alpha", 'β': "beta", 'γ': "gamma", 'κ': "kappa"}
	out := map[string]string{}
	used := map[string]bool{}
	for _, t := range terms {
		var b strings.Builder
		dash := false
		for _, r := range strings.ToLower(t.Term) {
			switch {
			case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
				b.WriteRune(r)
				dash = false
			case greek[r] != "":
				b.WriteString(greek[r])
				dash = false
			case !dash && b.Len() > 0:
				b.WriteByte('-')
				dash = true
			}
		}
		id := "term-" + strings.TrimSuffix(b.String(), "-")
		for base, i := id, 2; used[id]; i++ {
			id = base + "-" + strconv.Itoa(i)
		}
		used[id] = true
		out[t.Term] = id
	}
	return out
}

// ---- shared cell helpers ----

// notStated reports whether a value is one of the "source is silent" marks.
func notStated(s string) bool {
	return s == evidence.NotStated || s == evidence.NotRecorded || s == evidence.NotApplicable
}

// sortKey is the data-sort-value of a cell: the text, with the "silent"
// marks sorted after every real value.
func sortKey(s string) string {
	if notStated(s) || s == "" {
		return "\uffff" + s
	}
	return s
}

// refShort is the short label of a reference: "Bian et al. 2014".
func (v *evidenceView) refShort(n int) string {
	if r, ok := v.Ev.Ref(n); ok {
		return r.Short()
	}
	return "reference " + strconv.Itoa(n)
}

// refsSortKey sorts rows by their first cited reference.
func refsSortKey(refs []int) string {
	if len(refs) == 0 {
		return "\uffff"
	}
	return fmt.Sprintf("%04d", slices.Min(refs))
}

// joinInts joins reference numbers as the CSV and the filters show them.
func joinInts(ns []int, sep string) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, sep)
}

// plural picks the singular or plural noun for a count.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// ---- Table 2 ----

// cargoTypes is a row's data-cargo value: its distinct cargo types joined
// by "|", or "none" when the review names no cargo.
func cargoTypes(r evidence.PreclinicalRow) string {
	var ts []string
	for _, c := range r.Cargo {
		if !slices.Contains(ts, c.Type) {
			ts = append(ts, c.Type)
		}
	}
	if len(ts) == 0 {
		return cargoNone
	}
	return strings.Join(ts, "|")
}

// cargoNone is the cargo filter value of rows that name no cargo.
const cargoNone = "none"

// areaRank is the data-sort-value of an area: the review's section order.
func areaRank(area string) string {
	if i := slices.Index(evidence.Areas, area); i >= 0 {
		return strconv.Itoa(i)
	}
	return "9" + area
}

// filterOption is one <option> of a filter, with its row count.
type filterOption struct {
	Value, Label string
	N            int
}

func (o filterOption) text() string {
	return o.Label + " (" + strconv.Itoa(o.N) + ")"
}

// preclinicalFilter is one <select> above Table 2.
type preclinicalFilter struct {
	Name, Label, All string
	Options          []filterOption
}

// preclinicalFilters are the filters of Table 2, each option with the
// number of rows it keeps. The names are the rows' data-* attributes.
func (v *evidenceView) preclinicalFilters() []preclinicalFilter {
	rows := v.Ev.Preclinical.Rows
	count := func(keep func(evidence.PreclinicalRow) bool) int {
		n := 0
		for _, r := range rows {
			if keep(r) {
				n++
			}
		}
		return n
	}
	var areas, organs, sources, cargo, species []filterOption
	for _, c := range v.Ev.CountsByArea() {
		areas = append(areas, filterOption{c.Key, c.Label, c.N})
	}
	for _, o := range v.Ev.Organs() {
		organs = append(organs, filterOption{o, organLabel(o), len(v.Ev.RowsByOrgan(o))})
	}
	for _, s := range v.Ev.Sources() {
		sources = append(sources, filterOption{s, s, count(func(r evidence.PreclinicalRow) bool { return r.MSCSource == s })})
	}
	for _, t := range v.Ev.CargoTypes() {
		cargo = append(cargo, filterOption{t, t, count(func(r evidence.PreclinicalRow) bool {
			return slices.ContainsFunc(r.Cargo, func(c evidence.Cargo) bool { return c.Type == t })
		})})
	}
	if n := count(func(r evidence.PreclinicalRow) bool { return len(r.Cargo) == 0 }); n > 0 {
		cargo = append(cargo, filterOption{cargoNone, "none named", n})
	}
	for _, s := range v.Ev.Species() {
		species = append(species, filterOption{s, s, count(func(r evidence.PreclinicalRow) bool { return r.Species == s })})
	}
	return []preclinicalFilter{
		{"area", "Disease area", "All areas", areas},
		{"organ", "Organ", "All organs", organs},
		{"source", "MSC source", "All sources", sources},
		{"cargo", "Cargo type", "Any cargo", cargo},
		{"species", "Species", "All species", species},
	}
}

// organLabel capitalises an organ for display ("Spinal cord").
func organLabel(o string) string {
	if o == "" || notStated(o) {
		return o
	}
	return strings.ToUpper(o[:1]) + o[1:]
}

// fromTitleNote is the marker text for a cell taken from a cited title.
const fromTitleNote = "from the cited paper's title, not the review's text"

// ---- Table 3 ----

// trialLabel names a trial: its registry ID or, for a clinical report, its
// row id.
func trialLabel(t evidence.Trial) string {
	if t.TrialID != "" {
		return t.TrialID
	}
	return "report " + t.ID
}

// trialFilter is one <select> above the trial tables.
type trialFilter struct {
	Name, Label, All string
	Options          []filterOption
}

func (v *evidenceView) trialFilters() []trialFilter {
	rows := v.Ev.Trials.Rows
	opts := func(vals []string, get func(evidence.Trial) string, label func(string) string) []filterOption {
		var out []filterOption
		for _, val := range vals {
			n := 0
			for _, t := range rows {
				if get(t) == val {
					n++
				}
			}
			out = append(out, filterOption{val, label(val), n})
		}
		return out
	}
	same := func(s string) string { return s }
	return []trialFilter{
		{"phase", "Phase", "All phases", opts(v.Ev.TrialPhases(), func(t evidence.Trial) string { return t.Phase }, same)},
		{"status", "Status in 2020", "All statuses", opts(v.Ev.TrialStatuses(), func(t evidence.Trial) string { return t.Status2020 }, same)},
		{"route", "Route", "All routes", opts(v.Ev.TrialRoutes(), func(t evidence.Trial) string { return t.Route }, same)},
		{"organ", "Organ", "All organs", opts(v.Ev.TrialOrgans(), func(t evidence.Trial) string { return t.Organ }, organLabel)},
	}
}

// trialGroup is one of the three trial tables.
type trialGroup struct {
	Key, Title, Description string
	Rows                    []evidence.Trial
}

func (v *evidenceView) trialGroups() []trialGroup {
	var out []trialGroup
	for _, g := range evidence.TrialGroups {
		out = append(out, trialGroup{
			Key:         g,
			Title:       evidence.TrialGroupLabel(g),
			Description: v.Ev.Trials.Groups[g],
			Rows:        v.Ev.TrialsInGroup(g),
		})
	}
	return out
}

// ---- Table 1 ----

// methodView is one method of Table 1 with the engine's figures.
type methodView struct {
	Method  evidence.Method
	Figures []EngineFigure
}

// figureFor returns the engine figure shown on an aspect's row, if any.
func (m methodView) figureFor(aspect string) (EngineFigure, bool) {
	for _, f := range m.Figures {
		if f.Aspect == aspect {
			return f, true
		}
	}
	return EngineFigure{}, false
}

// aspectID is the anchor of an aspect's rows in Table 1.
func aspectID(aspect string) string { return "aspect-" + aspect }

// claimCellID is the anchor of one method's row under one aspect.
func claimCellID(aspect, methodID string) string {
	return aspect + "-" + strings.ToLower(methodID)
}

// methodID is the anchor of a method's description on methods.html.
func methodAnchor(methodID string) string { return "method-" + strings.ToLower(methodID) }

// methodSummary describes a method's family and relations.
func methodSummary(m evidence.Method) string {
	s := m.Family
	if m.Parent != "" {
		s += ", a variant of " + m.Parent
	}
	if len(m.Groups) > 0 {
		s += "; the claims on all " + strings.Join(m.Groups, " and all ") + " methods apply to it"
	}
	return s
}

// claimSource labels a claim made about a group of methods.
func (v *evidenceView) claimSource(from, methodID string) string {
	if from == methodID {
		return ""
	}
	for _, g := range v.Ev.Methods.Groups {
		if g.ID == from {
			return "All " + g.ID + " methods (" + strings.Join(g.Members, ", ") + ")"
		}
	}
	return from
}

// tableOnlyRefs are the references cited only by Table 1, with the
// summaries of evidence-notes.md.
func (v *evidenceView) tableOnlyRefs() []citation {
	var out []citation
	for _, n := range v.Ev.Methods.TableOnlyRefs.Refs {
		out = append(out, citation{refHref(n), v.Ev.Methods.TableOnlyRefs.Summaries[strconv.Itoa(n)]})
	}
	return out
}

// ---- references ----

// refCited lists the sections of the review that cite a reference.
func refCited(r evidence.Reference) string { return strings.Join(r.CitedIn, ", ") }
