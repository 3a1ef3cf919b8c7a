package site

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"io"
	"math"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"exosep/engine/catalog"
	"exosep/engine/rotor"
	"exosep/wasm/bridge"
)

// fakeWasm is a tiny stand-in for the stage: the wasm magic and version,
// then bytes that compress poorly, so the round trip is not trivial.
func fakeWasm() []byte {
	b := []byte("\x00asm\x01\x00\x00\x00")
	x := uint32(2463534242)
	for range 4096 {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b = append(b, byte(x))
	}
	return b
}

// wasmExecJS is the toolchain's wasm_exec.js when available (so the
// external-resource scan covers the real file), else a stand-in.
func wasmExecJS(t *testing.T) []byte {
	t.Helper()
	if out, err := exec.Command("go", "env", "GOROOT").Output(); err == nil {
		if b, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "lib", "wasm", "wasm_exec.js")); err == nil {
			return b
		}
	}
	return []byte("// stand-in for wasm_exec.js\nclass Go {}\n")
}

var (
	builtOnce  sync.Once
	builtFiles map[string][]byte
	builtErr   error
)

// built returns the site built once for all tests, with the fake wasm.
func built(t *testing.T) map[string][]byte {
	t.Helper()
	builtOnce.Do(func() {
		cat, err := catalog.Default()
		if err != nil {
			builtErr = err
			return
		}
		builtFiles, builtErr = Build(context.Background(), cat, fakeWasm(), wasmExecJS(t))
	})
	if builtErr != nil {
		t.Fatalf("Build: %v", builtErr)
	}
	return builtFiles
}

func testCatalog(t *testing.T) *catalog.Catalog {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatalf("catalog: %v", err)
	}
	return cat
}

func parse(t *testing.T, files map[string][]byte, name string) *goquery.Document {
	t.Helper()
	b, ok := files[name]
	if !ok {
		t.Fatalf("the build has no %s", name)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s does not parse: %v", name, err)
	}
	return doc
}

func htmlPages(files map[string][]byte) []string {
	var pages []string
	for name := range files {
		if strings.HasSuffix(name, ".html") {
			pages = append(pages, name)
		}
	}
	slices.Sort(pages)
	return pages
}

func TestBuildHasEveryFile(t *testing.T) {
	files := built(t)
	for _, name := range []string{
		"index.html", "duc.html", "gradient.html", "gradient-embed.html", "model.html", "stage.html", "static/gradient.js",
		"preclinical.html", "trials.html", "methods.html", "references.html", "glossary.html", "about.html",
		"static/evidence.js",
		"static/site.css", "static/format.js", "static/duc.js", "static/stage-loader.js",
		"static/favicon.svg", WasmExecFile, StageWasmFile,
	} {
		if len(files[name]) == 0 {
			t.Errorf("the build lacks %s (or it is empty)", name)
		}
	}
}

func TestBuildRejectsMissingInputs(t *testing.T) {
	cat := testCatalog(t)
	ctx := context.Background()
	if _, err := Build(ctx, cat, nil, []byte("x")); err == nil {
		t.Error("Build accepted an empty wasm")
	}
	if _, err := Build(ctx, cat, fakeWasm(), nil); err == nil {
		t.Error("Build accepted an empty wasm_exec.js")
	}
	if _, err := Build(ctx, nil, fakeWasm(), []byte("x")); err == nil {
		t.Error("Build accepted a nil catalogue")
	}
}

func TestPagesHaveTitleLangMainAndSkipLink(t *testing.T) {
	files := built(t)
	for _, name := range htmlPages(files) {
		doc := parse(t, files, name)
		if title := strings.TrimSpace(doc.Find("head > title").Text()); title == "" {
			t.Errorf("%s: no <title>", name)
		}
		if lang, _ := doc.Find("html").Attr("lang"); lang != "en" {
			t.Errorf("%s: <html lang> = %q, want \"en\"", name, lang)
		}
		if doc.Find(`meta[name="viewport"]`).Length() != 1 {
			t.Errorf("%s: want one <meta name=\"viewport\">", name)
		}
		if name == "stage.html" {
			// The stage's body belongs to Ebiten: only scripts (and a
			// <noscript> note) are allowed there.
			doc.Find("body").Children().Each(func(_ int, s *goquery.Selection) {
				if tag := goquery.NodeName(s); tag != "script" && tag != "noscript" {
					t.Errorf("stage.html: <body> holds a <%s>; only scripts are allowed", tag)
				}
			})
			var srcs []string
			doc.Find("body script").Each(func(_ int, s *goquery.Selection) { srcs = append(srcs, s.AttrOr("src", "")) })
			if want := []string{"wasm_exec.js", "stage.wasm.js", "static/stage-loader.js"}; !slices.Equal(srcs, want) {
				t.Errorf("stage.html scripts = %q, want %q in this order", srcs, want)
			}
			continue
		}
		if n := doc.Find("main").Length(); n != 1 {
			t.Errorf("%s: %d <main> elements, want 1", name, n)
		}
		if doc.Find("body[data-embed]").Length() == 1 {
			// Embed pages (for iframes) have minimal chrome: no skip link
			// or navigation, but a heading and the citation and licence.
			if doc.Find("h1").Length() != 1 {
				t.Errorf("%s: want exactly one <h1>", name)
			}
			if foot := doc.Find("footer").Text(); !strings.Contains(foot, "Nikfarjam") || !strings.Contains(foot, "CC BY 4.0") {
				t.Errorf("%s: the footer lacks the review's citation or its licence", name)
			}
			continue
		}
		skip := doc.Find("body a").First()
		href, _ := skip.Attr("href")
		if !strings.HasPrefix(href, "#") || doc.Find(href).Length() != 1 || doc.Find("main"+href).Length() != 1 {
			t.Errorf("%s: the first link of <body> should skip to <main> (got href %q)", name, href)
		}
		if doc.Find("h1").Length() != 1 {
			t.Errorf("%s: want exactly one <h1>", name)
		}
		for _, n := range slices.Concat(nav, evidenceNav) {
			if doc.Find(`header nav a[href="`+n.File+`"]`).Length() != 1 {
				t.Errorf("%s: the navigation lacks a link to %s", name, n.File)
			}
		}
		if doc.Find(`nav a[aria-current="page"]`).AttrOr("href", "") != name && name != "stage.html" {
			t.Errorf("%s: the navigation does not mark the current page", name)
		}
		foot := doc.Find("footer").Text()
		if !strings.Contains(foot, "Nikfarjam") || !strings.Contains(foot, "CC BY 4.0") {
			t.Errorf("%s: the footer lacks the review's citation or its licence", name)
		}
	}
}

// externalAllowed lists the hosts that pages may link to with a plain <a>.
var externalAllowed = map[string]bool{
	"doi.org": true, "creativecommons.org": true,
	"clinicaltrials.gov": true, "pubmed.ncbi.nlm.nih.gov": true,
}

// resourceAttrs are the attributes through which an element loads
// something (or navigates, for <a>).
var resourceAttrs = []struct{ sel, attr string }{
	{"a[href]", "href"},
	{"link[href]", "href"},
	{"script[src]", "src"},
	{"img[src]", "src"},
	{"iframe[src]", "src"},
	{"source[src]", "src"},
	{"video[src]", "src"},
	{"audio[src]", "src"},
	{"embed[src]", "src"},
	{"object[data]", "data"},
	{"form[action]", "action"},
}

func TestLinksAreRelativeAndResolve(t *testing.T) {
	files := built(t)
	docs := map[string]*goquery.Document{}
	for _, name := range htmlPages(files) {
		docs[name] = parse(t, files, name)
	}
	for _, name := range htmlPages(files) {
		doc := docs[name]
		for _, ra := range resourceAttrs {
			doc.Find(ra.sel).Each(func(_ int, s *goquery.Selection) {
				raw, _ := s.Attr(ra.attr)
				u, err := url.Parse(raw)
				if err != nil {
					t.Errorf("%s: <%s %s=%q> does not parse: %v", name, goquery.NodeName(s), ra.attr, raw, err)
					return
				}
				if u.Scheme != "" || u.Host != "" || strings.HasPrefix(raw, "/") {
					if goquery.NodeName(s) != "a" {
						t.Errorf("%s: <%s %s=%q> loads a resource by an absolute URL; only relative paths are allowed", name, goquery.NodeName(s), ra.attr, raw)
					} else if u.Scheme != "https" || !externalAllowed[u.Host] {
						t.Errorf("%s: <a href=%q> links outside the site; only https links to doi.org, creativecommons.org, clinicaltrials.gov and pubmed are allowed", name, raw)
					}
					return
				}
				target := name
				if u.Path != "" {
					target = path.Join(path.Dir(name), u.Path)
					if _, ok := files[target]; !ok {
						t.Errorf("%s: <%s %s=%q> points to %s, which the build does not contain", name, goquery.NodeName(s), ra.attr, raw, target)
						return
					}
				}
				if u.Fragment != "" {
					if d, ok := docs[target]; ok && d.Find("#"+u.Fragment).Length() == 0 {
						t.Errorf("%s: <%s %s=%q>: %s has no element with id %q", name, goquery.NodeName(s), ra.attr, raw, target, u.Fragment)
					}
				}
			})
		}
		// No other attribute may name a URL with a scheme or host.
		doc.Find("*").Each(func(_ int, s *goquery.Selection) {
			if goquery.NodeName(s) == "a" {
				return
			}
			for _, a := range s.Nodes[0].Attr {
				v := strings.ToLower(a.Val)
				if strings.Contains(v, "://") || strings.HasPrefix(v, "//") || strings.Contains(v, "url(") {
					t.Errorf("%s: <%s %s=%q> names an external resource", name, goquery.NodeName(s), a.Key, a.Val)
				}
			}
		})
		// Inline styles and scripts must not load anything either.
		doc.Find("style, script").Each(func(_ int, s *goquery.Selection) {
			if u := externalURL.FindString(s.Text()); u != "" {
				t.Errorf("%s: inline <%s> mentions %q", name, goquery.NodeName(s), u)
			}
		})
	}
}

var (
	externalURL = regexp.MustCompile(`(?i)https?://[^\s"')]+`)
	// loadPatterns are the ways CSS and JavaScript load something.
	loadPatterns = regexp.MustCompile(`(?i)(url\(\s*['"]?\s*(https?:)?//|@import|\bimport\s*\(\s*['"\x60]\s*(https?:)?//|\bimport\s+[^;]*\bfrom\s*['"]\s*(https?:)?//|fetch\(\s*['"\x60]\s*(https?:)?//|importScripts\s*\(|new\s+(Shared)?Worker\s*\(\s*['"\x60]\s*(https?:)?//|\.src\s*=\s*['"\x60]\s*(https?:)?//|XMLHttpRequest|new\s+WebSocket|EventSource\s*\(|sendBeacon)`)
)

func TestStaticFilesLoadNothingExternal(t *testing.T) {
	files := built(t)
	for name, b := range files {
		ext := path.Ext(name)
		if ext != ".css" && ext != ".js" && ext != ".svg" {
			continue
		}
		text := string(b)
		if name == StageWasmFile {
			text = text[:min(len(text), 200)] // base64 body
		}
		if m := loadPatterns.FindString(text); m != "" {
			t.Errorf("%s loads something: %q", name, m)
		}
		if name == WasmExecFile {
			continue // the Go toolchain's file; only loading matters (it cites an issue URL in a comment)
		}
		for _, u := range externalURL.FindAllString(text, -1) {
			if ext == ".svg" && u == "http://www.w3.org/2000/svg" {
				continue // the SVG namespace name, not a resource
			}
			t.Errorf("%s mentions the external URL %q", name, u)
		}
	}
}

func TestFormControlsAreLabelled(t *testing.T) {
	files := built(t)
	for _, name := range htmlPages(files) {
		doc := parse(t, files, name)
		doc.Find("input, select, textarea").Each(func(_ int, s *goquery.Selection) {
			typ := strings.ToLower(s.AttrOr("type", ""))
			if typ == "hidden" || typ == "submit" || typ == "button" || typ == "reset" {
				return
			}
			id := s.AttrOr("id", "")
			labelled := s.ParentsFiltered("label").Length() > 0
			if id != "" {
				lab := doc.Find(`label[for="` + id + `"]`)
				labelled = labelled || (lab.Length() == 1 && strings.TrimSpace(lab.Text()) != "")
			}
			if !labelled {
				t.Errorf("%s: <%s id=%q name=%q> has no associated <label>", name, goquery.NodeName(s), id, s.AttrOr("name", ""))
			}
		})
		doc.Find("button").Each(func(_ int, s *goquery.Selection) {
			if strings.TrimSpace(s.Text()) == "" && s.AttrOr("aria-label", "") == "" {
				t.Errorf("%s: a <button> has no text", name)
			}
			if s.AttrOr("type", "") != "button" {
				t.Errorf("%s: <button id=%q> should be type=\"button\" so it never submits the form", name, s.AttrOr("id", ""))
			}
		})
		// aria-describedby must point at existing elements.
		doc.Find("[aria-describedby], [aria-labelledby]").Each(func(_ int, s *goquery.Selection) {
			for _, attr := range []string{"aria-describedby", "aria-labelledby"} {
				for _, id := range strings.Fields(s.AttrOr(attr, "")) {
					if doc.Find("#"+id).Length() != 1 {
						t.Errorf("%s: %s=%q names a missing id %q", name, attr, s.AttrOr(attr, ""), id)
					}
				}
			}
		})
	}
}

func TestIDsAreUnique(t *testing.T) {
	files := built(t)
	for _, name := range htmlPages(files) {
		doc := parse(t, files, name)
		seen := map[string]bool{}
		doc.Find("[id]").Each(func(_ int, s *goquery.Selection) {
			id := s.AttrOr("id", "")
			if seen[id] {
				t.Errorf("%s: duplicate id %q", name, id)
			}
			seen[id] = true
		})
	}
}

func TestSimulatorTestIDs(t *testing.T) {
	doc := parse(t, built(t), "duc.html")
	once := []string{
		"controls", "control-rotor", "control-speed-mode-rcf", "control-speed-mode-rpm", "control-speed",
		"control-rcf-at", "control-minutes", "control-temperature", "control-medium", "control-time-scale",
		"speed-range", "speed-equiv", "rotor-info", "permalink", "presets",
		"stage", "legend", "play", "pause", "reset", "stage-status", "description", "error",
		"readout-region", "readout-summary", "readout", "readout-facts",
		"cutoff", "kfactor", "rpm", "rcf-min", "rcf-avg", "rcf-max", "viscosity", "density",
	}
	for _, id := range once {
		if n := doc.Find(`[data-testid="` + id + `"]`).Length(); n != 1 {
			t.Errorf("duc.html: %d elements with data-testid=%q, want 1", n, id)
		}
	}
	iframe := doc.Find(`iframe[data-testid="stage"]`)
	if iframe.AttrOr("src", "") != "stage.html" || iframe.AttrOr("title", "") != "Animated centrifuge tube: particles sedimenting" {
		t.Errorf("stage iframe: src=%q title=%q", iframe.AttrOr("src", ""), iframe.AttrOr("title", ""))
	}
	if doc.Find(`[data-testid="readout-region"]`).AttrOr("aria-live", "") != "polite" {
		t.Error("the readout is not in an aria-live=\"polite\" region")
	}
	if doc.Find(`[data-testid="description"]`).AttrOr("aria-live", "") != "polite" {
		t.Error("the live description lacks aria-live=\"polite\"")
	}
	if doc.Find(`[data-testid="error"]`).AttrOr("role", "") != "alert" {
		t.Error("the error area lacks role=\"alert\"")
	}
	// Every control lives in a settings form (the buttons by form=): the
	// one-spin form or the protocol builder; the share panel's copy
	// buttons are not settings.
	doc.Find(`[data-testid^="control-"]`).Each(func(_ int, s *goquery.Selection) {
		if s.ParentsFiltered("form#controls").Length() == 0 {
			t.Errorf("%s is outside the settings form", s.AttrOr("data-testid", ""))
		}
	})
	doc.Find(`button[data-testid]`).Each(func(_ int, s *goquery.Selection) {
		f := s.AttrOr("form", "")
		if f != "controls" && f != "builder" && s.ParentsFiltered("form#controls, form#builder, [data-share]").Length() == 0 {
			t.Errorf("button %s is not associated with a settings form", s.AttrOr("data-testid", ""))
		}
	})
}

// cellNumber parses a percentage cell such as "62.3 %" ("<0.1 %" and
// ">99.9 %" give their bound).
func cellNumber(text string) (float64, bool) {
	text = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(text), "%"))
	text = strings.TrimLeft(text, "<>")
	v, err := strconv.ParseFloat(strings.ReplaceAll(text, ",", ""), 64)
	return v, err == nil
}

func TestReadoutShowsComputeForDefaults(t *testing.T) {
	cat := testCatalog(t)
	res, _, err := bridge.Compute(bridge.Defaults(), cat)
	if err != nil {
		t.Fatal(err)
	}
	doc := parse(t, built(t), "duc.html")
	rows := doc.Find(`table[data-testid="readout"] tbody tr[data-species]`)
	if rows.Length() != len(cat.Species) {
		t.Fatalf("readout has %d species rows, the catalogue %d species", rows.Length(), len(cat.Species))
	}
	for i, sp := range cat.Species {
		row := rows.Eq(i)
		if id := row.AttrOr("data-species", ""); id != sp.ID {
			t.Errorf("row %d: data-species=%q, want %q", i, id, sp.ID)
			continue
		}
		if !strings.Contains(row.Find("th").Text(), sp.Name) {
			t.Errorf("row %s does not name %q", sp.ID, sp.Name)
		}
		want := res.Species[i]
		if want.ID != sp.ID {
			t.Fatalf("Compute's species %d is %q, catalogue's %q", i, want.ID, sp.ID)
		}
		text := strings.TrimSpace(row.Find(`[data-col="pelleted-text"]`).Text())
		if text != formatPercent(want.PelletedFraction)+" %" {
			t.Errorf("%s pelleted: page shows %q, Compute gives %q", sp.ID, text, formatPercent(want.PelletedFraction)+" %")
		}
		// Independently of the formatter: the number is the percentage
		// to within the display's rounding (0.05 points).
		if v, ok := cellNumber(text); !ok || math.Abs(v-want.PelletedFraction*100) > 0.0500001 {
			t.Errorf("%s pelleted: page shows %q, Compute gives %.4f %%", sp.ID, text, want.PelletedFraction*100)
		}
		fl := row.Find(`[data-col="floated"]`)
		if want.FloatedFraction > 0 {
			if v, ok := cellNumber(fl.Text()); !ok || math.Abs(v-want.FloatedFraction*100) > 0.0500001 {
				t.Errorf("%s floated: page shows %q, Compute gives %.4f %%", sp.ID, fl.Text(), want.FloatedFraction*100)
			}
		} else if !strings.Contains(fl.Text(), "none") {
			t.Errorf("%s floated: page shows %q for zero", sp.ID, fl.Text())
		}
	}
	checks := map[string]string{
		"rpm":       formatInt(res.RPM) + " rpm",
		"rcf-max":   formatInt(res.RCFMax),
		"rcf-min":   formatInt(res.RCFMin),
		"rcf-avg":   formatInt(res.RCFAvg),
		"cutoff":    formatCutoff(res.CutoffDiameterNm),
		"kfactor":   formatSci(res.KFactor) + " h·S",
		"viscosity": fixed(res.ViscosityMPas, 3) + " mPa·s",
		"density":   fixed(res.MediumDensity, 4) + " g/mL",
	}
	for id, want := range checks {
		if got := strings.TrimSpace(doc.Find(`[data-testid="` + id + `"]`).Text()); got != want {
			t.Errorf("readout %s = %q, want %q", id, got, want)
		}
	}
	// The defaults are 100,000 × g at r_max: the page must say so.
	if got := strings.ReplaceAll(doc.Find(`[data-testid="rcf-max"]`).Text(), ",", ""); got != "100000" {
		t.Errorf("RCF at r_max for the defaults = %q, want 100000", got)
	}
}

func TestRotorSelectListsCatalogue(t *testing.T) {
	cat := testCatalog(t)
	doc := parse(t, built(t), "duc.html")
	sel := doc.Find(`select#rotor[data-testid="control-rotor"]`)
	var got []string
	sel.Find("option").Each(func(_ int, s *goquery.Selection) {
		name := s.AttrOr("value", "")
		got = append(got, name)
		r, err := cat.Rotors.Find(name)
		if err != nil {
			t.Errorf("option %q is not a catalogue rotor", name)
			return
		}
		group := s.ParentsFiltered("optgroup").AttrOr("label", "")
		wantGroup := "Swinging-bucket rotors"
		if r.Kind == rotor.FixedAngle {
			wantGroup = "Fixed-angle rotors"
		}
		if group != wantGroup {
			t.Errorf("rotor %s is in group %q, want %q", name, group, wantGroup)
		}
		if v, _ := strconv.ParseFloat(s.AttrOr("data-max-rpm", ""), 64); v != r.MaxRPM {
			t.Errorf("rotor %s: data-max-rpm %q, want %g", name, s.AttrOr("data-max-rpm", ""), r.MaxRPM)
		}
	})
	want := cat.Rotors.Names()
	if !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))) {
		t.Errorf("rotor menu lists %q, catalogue has %q", got, want)
	}
	if s := sel.Find("option[selected]"); s.Length() != 1 || s.AttrOr("value", "") != bridge.Defaults().Rotor {
		t.Errorf("the default rotor %q is not the one selected", bridge.Defaults().Rotor)
	}
	// The speed field's max is the default rotor's RCF limit at r_max.
	r, _ := cat.Rotors.Find(bridge.Defaults().Rotor)
	wantMax := math.Floor(rotor.RCF(r.MaxRPM, r.RMaxM))
	if got := doc.Find("#speed").AttrOr("max", ""); got != strconv.FormatFloat(wantMax, 'f', -1, 64) {
		t.Errorf("speed max = %q, want %g", got, wantMax)
	}
	if got := doc.Find(`[data-testid="speed-range"]`).Text(); !strings.Contains(got, formatInt(wantMax)) {
		t.Errorf("speed range %q does not show the maximum %s", got, formatInt(wantMax))
	}
}

func TestLegendListsEverySpecies(t *testing.T) {
	cat := testCatalog(t)
	doc := parse(t, built(t), "duc.html")
	items := doc.Find(`[data-testid="legend"] li[data-species]`)
	if items.Length() != len(cat.Species) {
		t.Fatalf("legend has %d entries, catalogue %d species", items.Length(), len(cat.Species))
	}
	for i, sp := range cat.Species {
		li := items.Eq(i)
		if !strings.Contains(li.Text(), sp.Name) || !strings.Contains(li.Find(".swatch").AttrOr("style", ""), sp.Color) {
			t.Errorf("legend entry %d: %q lacks %q or colour %s", i, li.Text(), sp.Name, sp.Color)
		}
	}
}

func TestModelPageListsSpeciesAndRotors(t *testing.T) {
	cat := testCatalog(t)
	doc := parse(t, built(t), "model.html")
	for _, sp := range cat.Species {
		row := doc.Find(`table[data-testid="species-table"] tr[data-species="` + sp.ID + `"]`)
		if row.Length() != 1 {
			t.Errorf("model.html: species %s missing from the table", sp.ID)
			continue
		}
		if !strings.Contains(row.Text(), sp.Name) {
			t.Errorf("model.html: species row %s does not name %q", sp.ID, sp.Name)
		}
		for _, mark := range []string{sp.DiameterConfidence, sp.DensityConfidence} {
			if row.Find(".conf-"+mark).Length() == 0 {
				t.Errorf("model.html: species %s lacks its confidence mark %q", sp.ID, mark)
			}
		}
	}
	for _, r := range cat.Rotors.Rotors {
		row := doc.Find(`table[data-testid="rotor-table"] tr[data-rotor="` + r.Name + `"]`)
		if row.Length() != 1 || !strings.Contains(row.Text(), formatInt(r.MaxRPM)) {
			t.Errorf("model.html: rotor %s missing from the table or without its max rpm", r.Name)
		}
	}
	text := doc.Find("main").Text()
	for _, want := range []string{"Stokes", "k-factor", "Livshits", "Tanaka", "Kestin", "acceleration", "diffusion", "wall", "estimate"} {
		if !strings.Contains(text, want) {
			t.Errorf("model.html does not mention %q", want)
		}
	}
}

// model.html and teacher.html render the URL-parameter table from the one
// schema: every entry, once, with its allowed values and default.
func TestParamTablesListEverySchemaEntry(t *testing.T) {
	files := built(t)
	schema, err := newSchema(testCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{"model.html", "teacher.html"} {
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(files[file]))
		if err != nil {
			t.Fatal(err)
		}
		rows := doc.Find(`table[data-testid="param-table"] tr[data-param]`)
		if rows.Length() != len(schema.Entries) {
			t.Errorf("%s: %d parameter rows, the schema has %d entries", file, rows.Length(), len(schema.Entries))
		}
		for _, e := range schema.Entries {
			row := doc.Find(`table[data-testid="param-table"] tr[data-param="` + e.Name + `"]`)
			if row.Length() != 1 {
				t.Errorf("%s: parameter %s listed %d times", file, e.Name, row.Length())
				continue
			}
			text := row.Text()
			if !strings.Contains(text, e.Allowed) || !strings.Contains(text, e.DefaultText()) || !strings.Contains(text, e.Description) {
				t.Errorf("%s: the row of %s lacks its allowed values, default or description: %q", file, e.Name, text)
			}
		}
	}
}

func TestStageWasmJSRoundTrips(t *testing.T) {
	files := built(t)
	m := regexp.MustCompile(`window\.EXOSEP_STAGE_WASM = "([A-Za-z0-9+/=]+)";`).FindSubmatch(files[StageWasmFile])
	if m == nil {
		t.Fatalf("%s does not define window.EXOSEP_STAGE_WASM as a base64 string", StageWasmFile)
	}
	gz, err := base64.StdEncoding.DecodeString(string(m[1]))
	if err != nil {
		t.Fatalf("base64: %v", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatalf("gzip: %v", err)
	}
	got, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	if !bytes.Equal(got, fakeWasm()) {
		t.Errorf("decoded wasm differs from the input (%d vs %d bytes)", len(got), len(fakeWasm()))
	}
}

func TestIndexLinksToSimulatorAndModel(t *testing.T) {
	doc := parse(t, built(t), "index.html")
	main := doc.Find("main")
	for _, href := range []string{"duc.html", "model.html"} {
		if main.Find(`a[href="`+href+`"]`).Length() == 0 {
			t.Errorf("index.html: <main> does not link to %s", href)
		}
	}
	text := main.Text()
	for _, want := range []string{"Students", "Teachers", "Researchers", "offline"} {
		if !strings.Contains(text, want) {
			t.Errorf("index.html does not mention %q", want)
		}
	}
}

func TestPresetLinksAreValidParams(t *testing.T) {
	cat := testCatalog(t)
	for _, p := range presets() {
		if _, _, err := bridge.Compute(p.Params, cat); err != nil {
			t.Errorf("preset %q: %v", p.Label, err)
		}
	}
}

func TestWriteReplacesOnlyItsOwnFiles(t *testing.T) {
	dir := t.TempDir()
	// A file the build did not write (the input wasm lives here).
	foreign := filepath.Join(dir, "stage.wasm")
	if err := os.WriteFile(foreign, []byte("input"), 0o644); err != nil {
		t.Fatal(err)
	}
	first := map[string][]byte{"index.html": []byte("a"), "static/old.js": []byte("b"), "static/site.css": []byte("c")}
	if err := Write(dir, first); err != nil {
		t.Fatal(err)
	}
	for name, want := range first {
		if got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name))); err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: got %q, %v; want %q", name, got, err, want)
		}
	}
	second := map[string][]byte{"index.html": []byte("A"), "duc.html": []byte("d")}
	if err := Write(dir, second); err != nil {
		t.Fatal(err)
	}
	for _, stale := range []string{"static/old.js", "static/site.css"} {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(stale))); !os.IsNotExist(err) {
			t.Errorf("stale %s was not removed (err %v)", stale, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "static")); !os.IsNotExist(err) {
		t.Errorf("the emptied static/ directory was not removed")
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "index.html")); string(got) != "A" {
		t.Errorf("index.html not rewritten: %q", got)
	}
	if got, err := os.ReadFile(foreign); err != nil || string(got) != "input" {
		t.Errorf("Write touched a file it does not own: %q, %v", got, err)
	}
	for _, bad := range []string{"../x.html", "/abs.html", "a/../../b", "", ManifestFile} {
		if err := Write(dir, map[string][]byte{bad: []byte("x")}); err == nil {
			t.Errorf("Write accepted the file name %q", bad)
		}
	}
}

func TestWriteRealBuild(t *testing.T) {
	dir := t.TempDir()
	files := built(t)
	if err := Write(dir, files); err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s not written correctly (err %v)", name, err)
		}
	}
}
