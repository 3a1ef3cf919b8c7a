package evidence

import (
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Ref returns reference n of the review's list.
func (e *Evidence) Ref(n int) (Reference, bool) {
	i, ok := e.refIndex[n]
	if !ok {
		return Reference{}, false
	}
	return e.References[i], true
}

// Refs returns the references with the given numbers, skipping unknown ones,
// in the order given.
func (e *Evidence) Refs(ns []int) []Reference {
	out := make([]Reference, 0, len(ns))
	for _, n := range ns {
		if r, ok := e.Ref(n); ok {
			out = append(out, r)
		}
	}
	return out
}

// FirstAuthor returns the first author's surname as printed ("Bian").
func (r Reference) FirstAuthor() string {
	first, _, _ := strings.Cut(r.Authors, ",")
	first = strings.TrimSpace(first)
	// Drop trailing initials ("Bian S" -> "Bian"); keep multi-word surnames.
	if i := strings.LastIndexByte(first, ' '); i > 0 && isInitials(first[i+1:]) {
		first = first[:i]
	}
	return first
}

func isInitials(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < 'A' || r > 'Z') && r != '-' {
			return false
		}
	}
	return true
}

// Short is a short label such as "Bian et al. 2014" or "Wagers & Weissman 2004".
func (r Reference) Short() string {
	year := strconv.Itoa(r.Year) + r.YearSuffix
	names := strings.Split(r.Authors, ",")
	switch {
	case len(names) == 1 && !strings.Contains(r.Authors, "et al"):
		return r.FirstAuthor() + " " + year
	case len(names) == 2 && !strings.Contains(r.Authors, "et al"):
		second := Reference{Authors: strings.TrimSpace(names[1])}.FirstAuthor()
		return r.FirstAuthor() + " & " + second + " " + year
	}
	return r.FirstAuthor() + " et al. " + year
}

// Citation formats the reference in the review's (Vancouver) style.
func (r Reference) Citation() string {
	var b strings.Builder
	b.WriteString(r.Authors)
	if !strings.HasSuffix(r.Authors, ".") {
		b.WriteString(".")
	}
	b.WriteString(" ")
	b.WriteString(r.Title)
	if !strings.HasSuffix(r.Title, "?") && !strings.HasSuffix(r.Title, ".") {
		b.WriteString(".")
	}
	year := strconv.Itoa(r.Year) + r.YearSuffix
	if r.Kind == "book-chapter" {
		b.WriteString(" In: " + r.Editors + ", editor. " + r.Book + ". ")
		if r.Place != "" {
			b.WriteString(r.Place + ": ")
		}
		b.WriteString(r.Publisher + "; " + year + ".")
		if r.Pages != "" {
			b.WriteString(" p. " + r.Pages + ".")
		}
		return b.String()
	}
	b.WriteString(" " + r.Journal + ". " + year)
	if r.Volume != "" {
		b.WriteString(";" + r.Volume)
		if r.Issue != "" {
			b.WriteString("(" + r.Issue + ")")
		}
		if r.Pages != "" {
			b.WriteString(":" + r.Pages)
		}
	}
	b.WriteString(".")
	return b.String()
}

// DOIURL returns the https://doi.org link, or "" if the DOI is unknown.
func (r Reference) DOIURL() string {
	if r.DOI == "" {
		return ""
	}
	return "https://doi.org/" + r.DOI
}

// PubMedURL returns the PubMed link, or "" if the PMID is unknown.
func (r Reference) PubMedURL() string {
	if r.PMID == "" {
		return ""
	}
	return "https://pubmed.ncbi.nlm.nih.gov/" + r.PMID + "/"
}

// AreaLabel returns the display label of a Table 2 area.
func AreaLabel(area string) string {
	if l, ok := AreaLabels[area]; ok {
		return l
	}
	return area
}

// AspectLabel returns the display label of a Table 1 aspect.
func AspectLabel(a string) string {
	if l, ok := AspectLabels[a]; ok {
		return l
	}
	return a
}

// TrialGroupLabel returns the display label of a trial group.
func TrialGroupLabel(g string) string {
	if l, ok := TrialGroupLabels[g]; ok {
		return l
	}
	return g
}

// ---- Table 2 ----

// CountsByArea counts preclinical rows per area, in the review's section
// order; areas without rows are left out. The counts add up to the number
// of rows.
func (e *Evidence) CountsByArea() []Count {
	n := map[string]int{}
	for _, r := range e.Preclinical.Rows {
		n[r.Area]++
	}
	out := make([]Count, 0, len(n))
	for _, a := range Areas {
		if n[a] > 0 {
			out = append(out, Count{Key: a, Label: AreaLabel(a), N: n[a]})
			delete(n, a)
		}
	}
	return append(out, countsSorted(n, nil)...) // unknown areas (invalid data) last
}

// CountsByOrgan counts preclinical rows per organ, most rows first, ties by
// name. The counts add up to the number of rows.
func (e *Evidence) CountsByOrgan() []Count {
	n := map[string]int{}
	for _, r := range e.Preclinical.Rows {
		n[r.Organ]++
	}
	return countsSorted(n, nil)
}

// CountsBySource counts preclinical rows per MSC source, most rows first.
func (e *Evidence) CountsBySource() []Count {
	n := map[string]int{}
	for _, r := range e.Preclinical.Rows {
		n[r.MSCSource]++
	}
	return countsSorted(n, nil)
}

// CountsByTrialGroup counts trials per group, in TrialGroups order.
func (e *Evidence) CountsByTrialGroup() []Count {
	n := map[string]int{}
	for _, t := range e.Trials.Rows {
		n[t.Group]++
	}
	out := []Count{}
	for _, g := range TrialGroups {
		if n[g] > 0 {
			out = append(out, Count{Key: g, Label: TrialGroupLabel(g), N: n[g]})
			delete(n, g)
		}
	}
	return append(out, countsSorted(n, nil)...)
}

func countsSorted(n map[string]int, label func(string) string) []Count {
	out := make([]Count, 0, len(n))
	for k, c := range n {
		l := k
		if label != nil {
			l = label(k)
		}
		out = append(out, Count{Key: k, Label: l, N: c})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		return lessOption(out[i].Key, out[j].Key)
	})
	return out
}

// lessOption sorts case-insensitively, with the sentinels NotStated,
// NotRecorded and NotApplicable last.
func lessOption(a, b string) bool {
	sa, sb := isSentinel(a), isSentinel(b)
	if sa != sb {
		return sb
	}
	la, lb := strings.ToLower(a), strings.ToLower(b)
	if la != lb {
		return la < lb
	}
	return a < b
}

func isSentinel(s string) bool {
	return s == NotStated || s == NotRecorded || s == NotApplicable
}

// options returns the distinct non-empty values, sorted by lessOption.
func options(vals []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, v := range vals {
		if v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	sort.Slice(out, func(i, j int) bool { return lessOption(out[i], out[j]) })
	return out
}

// ordered returns the distinct values that occur, in the order of vocab,
// with values outside vocab last (sorted).
func ordered(vals, vocab []string) []string {
	present := map[string]bool{}
	for _, v := range vals {
		if v != "" {
			present[v] = true
		}
	}
	out := []string{}
	for _, v := range vocab {
		if present[v] {
			out = append(out, v)
			delete(present, v)
		}
	}
	rest := make([]string, 0, len(present))
	for v := range present {
		rest = append(rest, v)
	}
	return append(out, options(rest)...)
}

func (e *Evidence) rowValues(get func(PreclinicalRow) string) []string {
	out := make([]string, len(e.Preclinical.Rows))
	for i, r := range e.Preclinical.Rows {
		out[i] = get(r)
	}
	return out
}

// Areas returns the areas that have rows, in the review's section order.
func (e *Evidence) Areas() []string {
	return ordered(e.rowValues(func(r PreclinicalRow) string { return r.Area }), Areas)
}

// Organs returns the organs that occur in Table 2, sorted by name
// (NotStated last).
func (e *Evidence) Organs() []string {
	return options(e.rowValues(func(r PreclinicalRow) string { return r.Organ }))
}

// Sources returns the MSC sources that occur in Table 2, sorted by name
// (NotStated last).
func (e *Evidence) Sources() []string {
	return options(e.rowValues(func(r PreclinicalRow) string { return r.MSCSource }))
}

// Species returns the species that occur in Table 2, sorted by name
// (NotStated last).
func (e *Evidence) Species() []string {
	return options(e.rowValues(func(r PreclinicalRow) string { return r.Species }))
}

// CargoTypes returns the cargo types that occur in Table 2, in CargoTypes
// order.
func (e *Evidence) CargoTypes() []string {
	var vals []string
	for _, r := range e.Preclinical.Rows {
		for _, c := range r.Cargo {
			vals = append(vals, c.Type)
		}
	}
	return ordered(vals, CargoTypes)
}

// Row returns the preclinical row with the given id.
func (e *Evidence) Row(id string) (PreclinicalRow, bool) {
	for _, r := range e.Preclinical.Rows {
		if r.ID == id {
			return r, true
		}
	}
	return PreclinicalRow{}, false
}

// RowsByArea returns the preclinical rows of one area, in table order.
func (e *Evidence) RowsByArea(area string) []PreclinicalRow {
	return e.filterRows(func(r PreclinicalRow) bool { return r.Area == area })
}

// RowsByOrgan returns the preclinical rows of one organ, in table order.
func (e *Evidence) RowsByOrgan(organ string) []PreclinicalRow {
	return e.filterRows(func(r PreclinicalRow) bool { return r.Organ == organ })
}

// RowsCiting returns the preclinical rows that cite reference n.
func (e *Evidence) RowsCiting(n int) []PreclinicalRow {
	return e.filterRows(func(r PreclinicalRow) bool { return slices.Contains(r.Refs, n) })
}

func (e *Evidence) filterRows(keep func(PreclinicalRow) bool) []PreclinicalRow {
	out := []PreclinicalRow{}
	for _, r := range e.Preclinical.Rows {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

// FromTitleField reports whether field (a JSON name such as "species") was
// taken from the cited paper's title rather than the review's text.
func (r PreclinicalRow) FromTitleField(field string) bool {
	return slices.Contains(r.FromTitle, field)
}

// CargoNames returns the cargo names of a row joined by ", ".
func (r PreclinicalRow) CargoNames() string {
	return r.field("cargo")
}

// ---- Table 3 ----

func (e *Evidence) trialValues(get func(Trial) string) []string {
	out := make([]string, len(e.Trials.Rows))
	for i, t := range e.Trials.Rows {
		out[i] = get(t)
	}
	return out
}

// TrialsInGroup returns the trials of one group, in table order.
func (e *Evidence) TrialsInGroup(group string) []Trial {
	out := []Trial{}
	for _, t := range e.Trials.Rows {
		if t.Group == group {
			out = append(out, t)
		}
	}
	return out
}

// Trial returns the trial with the given registry ID (e.g. "NCT04313647").
func (e *Evidence) Trial(nct string) (Trial, bool) {
	for _, t := range e.Trials.Rows {
		if t.TrialID == nct && nct != "" {
			return t, true
		}
	}
	return Trial{}, false
}

// TrialPhases returns the phases that occur, in phase order.
func (e *Evidence) TrialPhases() []string {
	return ordered(e.trialValues(func(t Trial) string { return t.Phase }), TrialPhases)
}

// TrialStatuses returns the 2020 statuses that occur, sorted by name
// (sentinels last).
func (e *Evidence) TrialStatuses() []string {
	return options(e.trialValues(func(t Trial) string { return t.Status2020 }))
}

// TrialRoutes returns the routes that occur, sorted by name (sentinels
// last).
func (e *Evidence) TrialRoutes() []string {
	return options(e.trialValues(func(t Trial) string { return t.Route }))
}

// TrialOrgans returns the organs that occur in trials, sorted by name.
func (e *Evidence) TrialOrgans() []string {
	return options(e.trialValues(func(t Trial) string { return t.Organ }))
}

// RegistryURL returns the clinicaltrials.gov page, or "" for a clinical
// report without a registry ID.
func (t Trial) RegistryURL() string {
	if t.TrialID == "" {
		return ""
	}
	return "https://clinicaltrials.gov/study/" + t.TrialID
}

// ---- Glossary ----

// Term returns the glossary entry for an abbreviation (exact match first,
// then case-insensitive).
func (e *Evidence) Term(term string) (Term, bool) {
	if i, ok := e.termIndex[term]; ok {
		return e.Glossary.Terms[i], true
	}
	for _, t := range e.Glossary.Terms {
		if strings.EqualFold(t.Term, term) {
			return t, true
		}
	}
	return Term{}, false
}

// ---- Table 1 ----

// Method returns the isolation method with the given ID ("DUC", ...).
func (e *Evidence) Method(id string) (Method, bool) {
	for _, m := range e.Methods.Methods {
		if m.ID == id {
			return m, true
		}
	}
	return Method{}, false
}

// ClaimsFor returns the claims on one aspect of a method: first those the
// review makes about the method's groups (in the method's group order), then
// the method's own. An empty result means the review says nothing on it.
func (e *Evidence) ClaimsFor(methodID, aspect string) []SourcedClaim {
	m, ok := e.Method(methodID)
	if !ok {
		return nil
	}
	out := []SourcedClaim{}
	for _, gid := range m.Groups {
		for _, g := range e.Methods.Groups {
			if g.ID != gid {
				continue
			}
			for _, c := range g.Claims {
				if c.Aspect == aspect {
					out = append(out, SourcedClaim{Claim: c, From: g.ID})
				}
			}
		}
	}
	for _, c := range m.Claims {
		if c.Aspect == aspect {
			out = append(out, SourcedClaim{Claim: c, From: m.ID})
		}
	}
	return out
}

// EngineFigure returns the engine's figure for a method and aspect; nil
// until the engine fills it.
func (m Method) EngineFigure(aspect string) *EngineFigure {
	return m.EngineFigures.Figures[aspect]
}
