package site

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"exosep/engine/protocol"
	"fmt"
	"io/fs"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/PuerkitoBio/goquery"

	"exosep/assets"
	"exosep/site/evidence"
)

func loadEvidence(t *testing.T) *evidence.Evidence {
	t.Helper()
	ev, err := evidence.Load(assets.Evidence)
	if err != nil {
		t.Fatalf("evidence.Load: %v", err)
	}
	return ev
}

var evidencePages = []string{"preclinical.html", "trials.html", "methods.html", "references.html", "glossary.html", "about.html"}

func text(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }

// TestEvidenceRowsWithoutJS: every data row is in the HTML and visible
// before any script runs, and the filter forms (useless without the
// script) start hidden.
func TestEvidenceRowsWithoutJS(t *testing.T) {
	files := built(t)
	ev := loadEvidence(t)
	check := func(page, sel string, ids []string) {
		t.Helper()
		doc := parse(t, files, page)
		rows := doc.Find(sel)
		if rows.Length() != len(ids) {
			t.Errorf("%s: %d rows (%s), want %d", page, rows.Length(), sel, len(ids))
		}
		for _, id := range ids {
			r := doc.Find(sel + `[id="` + id + `"]`)
			if r.Length() != 1 {
				t.Errorf("%s: row %q appears %d times, want once", page, id, r.Length())
				continue
			}
			if _, hidden := r.Attr("hidden"); hidden {
				t.Errorf("%s: row %q is hidden in the HTML", page, id)
			}
		}
		doc.Find("[data-explorer] [data-filters]").Each(func(_ int, f *goquery.Selection) {
			if _, hidden := f.Attr("hidden"); !hidden {
				t.Errorf("%s: the filter form should start hidden (the script shows it)", page)
			}
		})
		if doc.Find(`script[src="static/evidence.js"]`).Length() != 1 {
			t.Errorf("%s: does not load static/evidence.js", page)
		}
	}
	var ids []string
	for _, r := range ev.Preclinical.Rows {
		ids = append(ids, r.ID)
	}
	check("preclinical.html", "tr[data-row]", ids)
	ids = nil
	for _, r := range ev.Trials.Rows {
		ids = append(ids, r.ID)
	}
	check("trials.html", "tr[data-row]", ids)
	ids = nil
	for _, r := range ev.References {
		ids = append(ids, refID(r.Number))
	}
	check("references.html", "li[data-row]", ids)
	ids = nil
	v, err := newEvidenceView(ev, mustDownloads(t, ev))
	if err != nil {
		t.Fatal(err)
	}
	for _, term := range ev.Glossary.Terms {
		ids = append(ids, v.TermIDs[term.Term])
	}
	check("glossary.html", "tr[data-row]", ids)
}

func mustDownloads(t *testing.T, ev *evidence.Evidence) map[string][]byte {
	t.Helper()
	d, err := evidenceDownloads(ev)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// refAnchors returns the reference numbers anchored on references.html.
func refAnchors(t *testing.T, files map[string][]byte) map[int]int {
	t.Helper()
	doc := parse(t, files, "references.html")
	out := map[int]int{}
	doc.Find(`[id^="ref-"]`).Each(func(_ int, s *goquery.Selection) {
		n, err := strconv.Atoi(strings.TrimPrefix(s.AttrOr("id", ""), "ref-"))
		if err != nil {
			t.Errorf("references.html: odd anchor id %q", s.AttrOr("id", ""))
			return
		}
		out[n]++
	})
	return out
}

// linkedRefs returns the reference numbers a selection links to on
// references.html, failing on links to anchors that do not exist.
func linkedRefs(t *testing.T, where string, s *goquery.Selection, anchors map[int]int) []int {
	t.Helper()
	var out []int
	s.Find(`a[href^="references.html#ref-"]`).Each(func(_ int, a *goquery.Selection) {
		href := a.AttrOr("href", "")
		n, err := strconv.Atoi(strings.TrimPrefix(href, "references.html#ref-"))
		if err != nil || anchors[n] != 1 {
			t.Errorf("%s: link %q does not resolve to exactly one anchor on references.html", where, href)
			return
		}
		out = append(out, n)
	})
	return out
}

// TestReferencesHaveOneAnchorEach and every row links to its references.
func TestEvidenceRowsLinkToReferences(t *testing.T) {
	files := built(t)
	ev := loadEvidence(t)
	anchors := refAnchors(t, files)
	for n := 1; n <= evidence.ReferenceCount; n++ {
		if anchors[n] != 1 {
			t.Errorf("references.html: reference %d has %d anchors, want 1", n, anchors[n])
		}
	}
	if len(anchors) != evidence.ReferenceCount {
		t.Errorf("references.html: %d reference anchors, want %d", len(anchors), evidence.ReferenceCount)
	}

	// Table 2: each row links to exactly the references it cites, and
	// together the rows cover references 50–105.
	doc := parse(t, files, "preclinical.html")
	covered := map[int]bool{}
	for _, r := range ev.Preclinical.Rows {
		row := doc.Find(`tr[data-row][id="` + r.ID + `"]`)
		got := linkedRefs(t, "preclinical.html row "+r.ID, row, anchors)
		if !slices.Equal(got, r.Refs) {
			t.Errorf("preclinical.html row %s links to references %v, want %v", r.ID, got, r.Refs)
		}
		if len(got) == 0 {
			t.Errorf("preclinical.html row %s links to no reference", r.ID)
		}
		for _, n := range got {
			covered[n] = true
		}
	}
	for n := evidence.FirstPreclinicalRef; n <= evidence.LastPreclinicalRef; n++ {
		if !covered[n] {
			t.Errorf("preclinical.html: no row links to reference %d", n)
		}
	}

	// Table 3: cited rows link to their references; the paper's rows link
	// to the review; registry IDs are well formed and linked.
	doc = parse(t, files, "trials.html")
	nct := regexp.MustCompile(`^NCT\d{8}$`)
	reviewDoc := parse(t, files, "references.html")
	if reviewDoc.Find("#"+reviewAnchor).Length() != 1 {
		t.Fatalf("references.html has no #%s anchor", reviewAnchor)
	}
	for _, tr := range ev.Trials.Rows {
		row := doc.Find(`tr[data-row][id="` + tr.ID + `"]`)
		got := linkedRefs(t, "trials.html row "+tr.ID, row, anchors)
		if !slices.Equal(got, tr.Refs) {
			t.Errorf("trials.html row %s links to references %v, want %v", tr.ID, got, tr.Refs)
		}
		if tr.Group == "review-table" && len(tr.Refs) == 0 &&
			row.Find(`a[href="references.html#`+reviewAnchor+`"]`).Length() != 1 {
			t.Errorf("trials.html row %s (the paper's table) does not link to the review", tr.ID)
		}
		if tr.Group == "clinical-report" {
			if tr.TrialID != "" || len(tr.Refs) == 0 {
				t.Errorf("trials.html: clinical report %s should have references and no registry ID", tr.ID)
			}
			continue
		}
		if !nct.MatchString(tr.TrialID) {
			t.Errorf("trials.html row %s: trial ID %q is not NCT followed by 8 digits", tr.ID, tr.TrialID)
		}
		a := row.Find(`a[data-trial-id="` + tr.TrialID + `"]`)
		if a.AttrOr("href", "") != "https://clinicaltrials.gov/study/"+tr.TrialID || text(a) != tr.TrialID {
			t.Errorf("trials.html row %s: registry link %q (%q)", tr.ID, a.AttrOr("href", ""), text(a))
		}
	}

	// Table 1: every claim's references are linked in its method's row.
	doc = parse(t, files, "methods.html")
	for _, m := range ev.Methods.Methods {
		for _, a := range evidence.Aspects {
			var want []int
			for _, c := range ev.ClaimsFor(m.ID, a) {
				want = append(want, c.Refs...)
			}
			row := doc.Find(`tr[id="` + claimCellID(a, m.ID) + `"]`)
			if row.Length() != 1 {
				t.Errorf("methods.html: no row for %s / %s", m.ID, a)
				continue
			}
			if got := linkedRefs(t, "methods.html "+m.ID+"/"+a, row, anchors); !slices.Equal(got, want) {
				t.Errorf("methods.html %s / %s links to %v, want %v", m.ID, a, got, want)
			}
		}
	}
	tableOnly := linkedRefs(t, "methods.html table-only refs", doc.Find("#table-only"), anchors)
	if !slices.Equal(tableOnly, evidence.TableOnlyRefs) {
		t.Errorf("methods.html lists %v as cited only by Table 1, want %v", tableOnly, evidence.TableOnlyRefs)
	}
}

// TestEvidenceCountsMatchData: the counts per area and per organ shown on
// preclinical.html (chips, organ map, filter options, result line) are
// those of the data, and the rows carry the attributes the filters use.
func TestEvidenceCountsMatchData(t *testing.T) {
	files := built(t)
	ev := loadEvidence(t)
	doc := parse(t, files, "preclinical.html")
	total := len(ev.Preclinical.Rows)

	chips := doc.Find(`[data-testid="area-counts"] [data-facet="area"]`)
	if chips.Length() != len(ev.CountsByArea()) {
		t.Errorf("%d area chips, want %d", chips.Length(), len(ev.CountsByArea()))
	}
	sum := 0
	for _, c := range ev.CountsByArea() {
		chip := doc.Find(`[data-facet="area"][data-value="` + c.Key + `"]`)
		n := strconv.Itoa(c.N)
		if chip.AttrOr("data-n", "") != n || text(chip.Find(".chip-n")) != n || !strings.Contains(text(chip), c.Label) {
			t.Errorf("area %s: chip says %q (data-n %q), want %s with %d", c.Key, text(chip), chip.AttrOr("data-n", ""), c.Label, c.N)
		}
		if rows := doc.Find(`tr[data-row][data-area="` + c.Key + `"]`).Length(); rows != c.N {
			t.Errorf("area %s: %d rows carry data-area, want %d", c.Key, rows, c.N)
		}
		sum += c.N
	}
	if sum != total {
		t.Errorf("area counts add up to %d, want %d", sum, total)
	}

	sum = 0
	for _, c := range ev.CountsByOrgan() {
		btn := doc.Find(`[data-testid="organ-map"] [data-facet="organ"][data-value="` + c.Key + `"]`)
		if btn.Length() != 1 {
			t.Errorf("organ %q: %d buttons on the organ map, want 1", c.Key, btn.Length())
			continue
		}
		want := organLabel(c.Key) + ": " + studies(c.N)
		if btn.AttrOr("aria-label", "") != want || btn.AttrOr("data-n", "") != strconv.Itoa(c.N) {
			t.Errorf("organ %q: aria-label %q data-n %q, want %q", c.Key, btn.AttrOr("aria-label", ""), btn.AttrOr("data-n", ""), want)
		}
		shown := text(btn.Find(".organ-n, .chip-n"))
		if shown != strconv.Itoa(c.N) {
			t.Errorf("organ %q: the map shows %q, want %d", c.Key, shown, c.N)
		}
		if goquery.NodeName(btn) == "g" && (btn.AttrOr("role", "") != "button" || btn.AttrOr("tabindex", "") != "0") {
			t.Errorf("organ %q: the SVG organ is not a focusable button", c.Key)
		}
		if rows := doc.Find(`tr[data-row][data-organ="` + c.Key + `"]`).Length(); rows != c.N {
			t.Errorf("organ %q: %d rows carry data-organ, want %d", c.Key, rows, c.N)
		}
		sum += c.N
	}
	if sum != total {
		t.Errorf("organ counts add up to %d, want %d", sum, total)
	}
	if n := doc.Find(`[data-facet="organ"]`).Length(); n != len(ev.CountsByOrgan()) {
		t.Errorf("%d organ buttons, want one per organ with studies (%d)", n, len(ev.CountsByOrgan()))
	}

	// Each filter option's count equals the rows that carry its value.
	doc.Find("select[data-filter]").Each(func(_ int, sel *goquery.Selection) {
		name := sel.AttrOr("name", "")
		sel.Find("option").Each(func(_ int, o *goquery.Selection) {
			val := o.AttrOr("value", "")
			if val == "" {
				return
			}
			n := 0
			doc.Find("tr[data-row]").Each(func(_ int, r *goquery.Selection) {
				if slices.Contains(strings.Split(r.AttrOr("data-"+name, ""), "|"), val) {
					n++
				}
			})
			if want := fmt.Sprintf("(%d)", n); !strings.HasSuffix(text(o), want) || n == 0 {
				t.Errorf("filter %s option %q says %q; %d rows match", name, val, text(o), n)
			}
		})
	})
	if got, want := text(doc.Find("[data-count]")), fmt.Sprintf("%d of %d studies shown", total, total); got != want {
		t.Errorf("result line %q, want %q", got, want)
	}
	if doc.Find("[data-count]").AttrOr("aria-live", "") != "polite" {
		t.Error("the result line is not aria-live=polite")
	}

	// Trials: one table per group, holding exactly that group's rows.
	doc = parse(t, files, "trials.html")
	for _, c := range ev.CountsByTrialGroup() {
		sec := doc.Find(`[data-testid="group-` + c.Key + `"]`)
		rows := sec.Find("tr[data-row]")
		if rows.Length() != c.N {
			t.Errorf("trials.html group %s: %d rows, want %d", c.Key, rows.Length(), c.N)
		}
		rows.Each(func(_ int, r *goquery.Selection) {
			if r.AttrOr("data-group-key", "") != c.Key {
				t.Errorf("trials.html: row %s sits in group %s", r.AttrOr("id", ""), c.Key)
			}
		})
		if !strings.Contains(text(sec.Find("h2")), c.Label) {
			t.Errorf("trials.html group %s: heading %q lacks %q", c.Key, text(sec.Find("h2")), c.Label)
		}
	}
	for _, tr := range ev.Trials.Rows {
		row := doc.Find(`tr[id="` + tr.ID + `"]`)
		if !strings.Contains(text(row.Find(`[data-label="Status (2020)"]`)), tr.Status2020) {
			t.Errorf("trials.html %s: the 2020 status %q is not shown", tr.ID, tr.Status2020)
		}
		for _, l := range tr.LaterStatus {
			if !strings.Contains(text(row.Find(".later-status")), l.Status) {
				t.Errorf("trials.html %s: the later status %q is not noted", tr.ID, l.Status)
			}
		}
	}
}

// TestEvidenceCSVDownloads: each CSV parses as RFC 4180, has the header
// and one record per data row; the pages link it with its size.
func TestEvidenceCSVDownloads(t *testing.T) {
	files := built(t)
	ev := loadEvidence(t)
	cases := []struct {
		name   string
		header []string
		rows   int
	}{
		{"preclinical", PreclinicalCSVHeader, len(ev.Preclinical.Rows)},
		{"trials", TrialsCSVHeader, len(ev.Trials.Rows)},
		{"methods", MethodsCSVHeader, methodCSVRows(ev)},
		{"references", ReferencesCSVHeader, len(ev.References)},
		{"glossary", GlossaryCSVHeader, len(ev.Glossary.Terms)},
	}
	for _, c := range cases {
		name := "data/" + c.name + ".csv"
		b := files[name]
		if len(b) == 0 {
			t.Errorf("the build has no %s", name)
			continue
		}
		if !bytes.HasSuffix(b, []byte("\r\n")) || bytes.Count(b, []byte("\n")) != bytes.Count(b, []byte("\r\n")) {
			t.Errorf("%s: line ends are not CRLF", name)
		}
		r := csv.NewReader(bytes.NewReader(b))
		r.FieldsPerRecord = len(c.header)
		recs, err := r.ReadAll()
		if err != nil {
			t.Errorf("%s does not parse: %v", name, err)
			continue
		}
		if !slices.Equal(recs[0], c.header) {
			t.Errorf("%s header = %q, want %q", name, recs[0], c.header)
		}
		if got := len(recs) - 1; got != c.rows {
			t.Errorf("%s has %d data rows, want %d", name, got, c.rows)
		}
	}
	// A few cells, to be sure the columns line up.
	recs, _ := csv.NewReader(bytes.NewReader(files["data/preclinical.csv"])).ReadAll()
	for i, r := range ev.Preclinical.Rows {
		got := recs[i+1]
		if got[0] != r.ID || got[1] != r.Area || got[2] != r.Organ || got[12] != joinInts(r.Refs, "; ") {
			t.Errorf("preclinical.csv row %d = %q, does not match %s", i+1, got[:3], r.ID)
		}
	}
	recs, _ = csv.NewReader(bytes.NewReader(files["data/methods.csv"])).ReadAll()
	claims := 0
	for _, m := range ev.Methods.Methods {
		for _, a := range evidence.Aspects {
			claims += len(ev.ClaimsFor(m.ID, a))
		}
	}
	stated := 0
	for _, r := range recs[1:] {
		if r[4] != evidence.NotStated {
			stated++
		}
		built := r[0] == "DUC" || r[0] == "UF" || r[0] == "SF" // the methods with an engine model so far
		if slices.Contains([]string{"yield", "purity", "time", "scalability"}, r[3]) && !built && r[9] != evidence.EngineNotBuilt {
			t.Errorf("methods.csv %s/%s: engine status %q, want %q", r[0], r[3], r[9], evidence.EngineNotBuilt)
		}
		if !built && r[10] != "" {
			t.Errorf("methods.csv %s/%s: an engine value %q appears while no model is built", r[0], r[3], r[10])
		}
	}
	if stated != claims {
		t.Errorf("methods.csv holds %d claims, want %d", stated, claims)
	}

	// Every evidence page that has a table links its downloads with sizes.
	for page, table := range map[string]string{
		"preclinical.html": "preclinical", "trials.html": "trials", "methods.html": "methods",
		"references.html": "references", "glossary.html": "glossary",
	} {
		doc := parse(t, files, page)
		for _, ext := range []string{"csv", "json"} {
			file := "data/" + table + "." + ext
			a := doc.Find(`[data-testid="downloads-` + table + `"] a[href="` + file + `"]`)
			if a.Length() != 1 {
				t.Errorf("%s does not link %s", page, file)
				continue
			}
			if size := text(a.Parent().Find(".size")); size != "("+formatBytes(len(files[file]))+")" {
				t.Errorf("%s: %s size shown as %q, want (%s)", page, file, size, formatBytes(len(files[file])))
			}
		}
	}
}

// strictDecode decodes a JSON download, rejecting unknown fields.
func strictDecode[T any](t *testing.T, b []byte) DownloadJSON[T] {
	t.Helper()
	var d DownloadJSON[T]
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return d
}

// TestEvidenceJSONRoundTrips: each JSON download decodes strictly into the
// evidence types and equals the loaded data; it carries the attribution.
func TestEvidenceJSONRoundTrips(t *testing.T) {
	files := built(t)
	ev := loadEvidence(t)
	checkAbout := func(name string, a Attribution) {
		if a.Source != ev.Review.Citation || a.Licence != "CC BY 4.0" || a.LicenceURL == "" || a.DOI != ev.Review.DOI {
			t.Errorf("%s: attribution %+v is incomplete", name, a)
		}
	}
	pre := strictDecode[evidence.PreclinicalTable](t, files["data/preclinical.json"])
	checkAbout("preclinical.json", pre.About)
	if !reflect.DeepEqual(pre.Data, ev.Preclinical) {
		t.Error("data/preclinical.json does not round-trip to the loaded Table 2")
	}
	tri := strictDecode[evidence.TrialTable](t, files["data/trials.json"])
	checkAbout("trials.json", tri.About)
	if !reflect.DeepEqual(tri.Data, ev.Trials) {
		t.Error("data/trials.json does not round-trip to the loaded Table 3")
	}
	met := strictDecode[evidence.MethodTable](t, files["data/methods.json"])
	checkAbout("methods.json", met.About)
	if !reflect.DeepEqual(met.Data, ev.Methods) {
		t.Error("data/methods.json does not round-trip to the loaded Table 1")
	}
	for _, id := range evidence.MethodIDs {
		want, _ := MethodFigures(id)
		if !reflect.DeepEqual(met.EngineFigures[id], want) {
			t.Errorf("data/methods.json engine figures of %s = %+v, want %+v", id, met.EngineFigures[id], want)
		}
	}
	refs := strictDecode[ReferencesData](t, files["data/references.json"])
	checkAbout("references.json", refs.About)
	if !reflect.DeepEqual(refs.Data.References, ev.References) {
		t.Error("data/references.json does not round-trip to the loaded references")
	}
	glo := strictDecode[evidence.Glossary](t, files["data/glossary.json"])
	checkAbout("glossary.json", glo.About)
	if !reflect.DeepEqual(glo.Data, ev.Glossary) {
		t.Error("data/glossary.json does not round-trip to the loaded glossary")
	}
}

// TestMISEVNoteWhereverExosome: every page whose text says "exosome" has
// the note on MISEV2018/MISEV2023 terms, linking both guidelines.
func TestMISEVNoteWhereverExosome(t *testing.T) {
	files := built(t)
	for _, name := range htmlPages(files) {
		doc := parse(t, files, name)
		doc.Find("script, style").Remove()
		if !strings.Contains(strings.ToLower(doc.Find("html").Text()), "exosome") {
			continue
		}
		note := doc.Find(`[data-testid="misev-note"]`)
		if note.Length() != 1 {
			t.Errorf("%s says \"exosome\" but has %d MISEV notes, want 1", name, note.Length())
			continue
		}
		for _, href := range []string{misev2018DOI, misev2023DOI} {
			if note.Find(`a[href="`+href+`"]`).Length() != 1 {
				t.Errorf("%s: the MISEV note does not link %s", name, href)
			}
		}
		if s := text(note); !strings.Contains(s, "small extracellular vesicles") || !strings.Contains(s, "MISEV2018") || !strings.Contains(s, "MISEV2023") {
			t.Errorf("%s: the MISEV note does not name the operational term: %q", name, s)
		}
	}
}

// TestReconstructedTablesAreMarked: Tables 1 and 2 say they were rebuilt
// from the review's text, in the status line and in the caption.
func TestReconstructedTablesAreMarked(t *testing.T) {
	files := built(t)
	for _, page := range []string{"preclinical.html", "methods.html"} {
		doc := parse(t, files, page)
		if !strings.Contains(text(doc.Find(`[data-testid="table-status"]`)), evidence.ReconstructedStatus) {
			t.Errorf("%s: the status line does not say %q", page, evidence.ReconstructedStatus)
		}
		if !strings.Contains(text(doc.Find("table caption").First()), evidence.ReconstructedStatus) {
			t.Errorf("%s: the table caption does not say %q", page, evidence.ReconstructedStatus)
		}
	}
}

// TestMethodFigures: DUC's, UF's and SF's figures come from runs of their
// presets through the protocol engine; methods without a model are marked
// not built, and the page shows the status, never a number.
func TestMethodFigures(t *testing.T) {
	lib, err := protocol.Default()
	if err != nil {
		t.Fatal(err)
	}
	presets := map[string]string{"DUC": "nikfarjam2020", "UF": "uf-100kda", "SF": "heinemann2014-sf"}
	want := map[string]map[string]float64{}
	for id, pid := range presets {
		p, _ := lib.Preset(pid)
		res, err := lib.Run(p, protocol.Options{})
		if err != nil {
			t.Fatal(err)
		}
		want[id] = map[string]float64{"yield": res.Final.ExosomeYieldFraction * 100, "purity": res.Final.ParticlesPerUGProtein,
			"time": res.Final.TotalMinutes}
		if id != "DUC" { // membranes only: the volume the preset filters
			want[id]["max_volume"] = res.Input.VolumeML
		}
	}
	for _, id := range evidence.MethodIDs {
		figs, err := MethodFigures(id)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, f := range figs {
			keys = append(keys, f.Key)
			if w, built := want[id]; built {
				if !f.Built || !(f.Value > 0) || f.Unit == "" || f.Note == "" {
					t.Errorf("%s %s: %+v, want a computed value with unit and note", id, f.Key, f)
				}
				if v, ok := w[f.Key]; ok && f.Value != v {
					t.Errorf("%s %s = %g, the preset run gives %g", id, f.Key, f.Value, v)
				}
				if f.Key == "max_volume" && f.Value < 1 {
					t.Errorf("%s max volume per run %g mL", id, f.Value)
				}
			} else if f.Built || f.Status != evidence.EngineNotBuilt || f.Text() != evidence.EngineNotBuilt {
				t.Errorf("%s %s: %+v, want not built", id, f.Key, f)
			}
			if !slices.Contains(evidence.Aspects, f.Aspect) {
				t.Errorf("%s %s: aspect %q is not a Table 1 aspect", id, f.Key, f.Aspect)
			}
		}
		if want := []string{"yield", "purity", "time", "max_volume"}; !slices.Equal(keys, want) {
			t.Errorf("%s: figures %v, want %v", id, keys, want)
		}
	}
	// SF processes its 1 L within a day
	// (the review's claim, which the model reproduces).
	if sf := want["SF"]; !(sf["time"] < 24*60) {
		t.Errorf("SF of 1 L takes %g min, want within a day", sf["time"])
	}
	if _, err := MethodFigures("XYZ"); err == nil {
		t.Error("MethodFigures accepted an unknown method")
	}
	doc := parse(t, built(t), "methods.html")
	if want := len(evidence.MethodIDs) * 4; doc.Find("[data-engine-figure]").Length() != want {
		t.Errorf("methods.html: %d engine cells, want %d", doc.Find("[data-engine-figure]").Length(), want)
	}
	if n := doc.Find(".engine-not-built").Length(); n != (len(evidence.MethodIDs)-len(presets))*4 {
		t.Errorf("methods.html: %d not-built cells, want %d", n, (len(evidence.MethodIDs)-len(presets))*4)
	}
	doc.Find(".engine-not-built").Each(func(_ int, s *goquery.Selection) {
		if text(s) != evidence.EngineNotBuilt {
			t.Errorf("methods.html: not-built cell shows %q", text(s))
		}
	})
	if n := doc.Find(".engine-value").Length(); n != 4*len(presets) {
		t.Errorf("methods.html shows %d engine values, want %d", n, 4*len(presets))
	}
	if !strings.Contains(text(doc.Find(".engine-value[data-engine-figure=yield]")), "%") {
		t.Error("methods.html: DUC yield lacks its unit")
	}
}

// TestOrganMapDrawing: the drawing table names only Table 2 organs, once
// each, and every organ of the data is on the map or beside it.
func TestOrganMapDrawing(t *testing.T) {
	if err := checkOrganPlaces(); err != nil {
		t.Fatal(err)
	}
	ev := loadEvidence(t)
	m := newOrganMap(ev.CountsByOrgan())
	seen := map[string]int{}
	for _, s := range m.Drawn {
		seen[s.Organ] += s.N
	}
	for _, c := range m.Elsewhere {
		seen[c.Key] += c.N
	}
	for _, c := range ev.CountsByOrgan() {
		if seen[c.Key] != c.N {
			t.Errorf("organ %q: the map counts %d, want %d", c.Key, seen[c.Key], c.N)
		}
	}
	if m.Total != len(ev.Preclinical.Rows) {
		t.Errorf("organ map total %d, want %d", m.Total, len(ev.Preclinical.Rows))
	}
}

// TestBuildFailsOnBadEvidence: invalid evidence data stop the build with
// the loader's message.
func TestBuildFailsOnBadEvidence(t *testing.T) {
	broken := fstest.MapFS{}
	err := fs.WalkDir(assets.Evidence, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(assets.Evidence, p)
		if p == "evidence/preclinical.json" {
			b = bytes.Replace(b, []byte(`"species": "rat"`), []byte(`"species": "unicorn"`), 1)
		}
		broken[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	saved := evidenceFS
	evidenceFS = broken
	defer func() { evidenceFS = saved }()
	_, err = Build(context.Background(), testCatalog(t), fakeWasm(), []byte("x"))
	if err == nil {
		t.Fatal("Build accepted invalid evidence data")
	}
	if !strings.Contains(err.Error(), "preclinical.json") || !strings.Contains(err.Error(), "unicorn") {
		t.Errorf("the build error does not pass on the loader's message: %v", err)
	}
}

// TestEvidenceAccessibilityHooks: the parts evidence.js relies on for
// accessibility are in the HTML.
func TestEvidenceAccessibilityHooks(t *testing.T) {
	files := built(t)
	for _, page := range evidencePages {
		doc := parse(t, files, page)
		doc.Find("[data-explorer]").Each(func(_ int, ex *goquery.Selection) {
			if ex.Find("[data-count][aria-live=polite]").Length() != 1 {
				t.Errorf("%s: explorer without a polite result count", page)
			}
			if ex.Find("[data-note][aria-live=polite]").Length() != 1 {
				t.Errorf("%s: explorer without a polite note for bad addresses", page)
			}
			if ex.Find("[data-search]").Length() != 1 || ex.Find("button[data-clear]").Length() != 1 {
				t.Errorf("%s: explorer without a search field and a clear button", page)
			}
		})
		doc.Find(`[role="region"][tabindex="0"]`).Each(func(_ int, s *goquery.Selection) {
			if s.AttrOr("aria-labelledby", "") == "" {
				t.Errorf("%s: a scrollable region has no name", page)
			}
		})
	}
}
