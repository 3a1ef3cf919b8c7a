//go:build !js

package e2e

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"

	"exosep/engine/catalog"
)

// resultsSeq is the seq of the protocol result the page shows ("" before
// the stage answered).
const resultsSeq = `(document.querySelector("[data-testid=protocol-results]").getAttribute("data-seq") || "")`

// shownNumbers are the result figures the page shows, as text: the
// product's facts and every cell of the step table.
const shownNumbers = `(function(){ var o = {};
  ["final-yield","final-exosomes","final-intact","final-per-ug","final-purity","final-protein","final-total-min"].forEach(function(id){
    o[id] = document.querySelector("[data-testid=" + id + "]").textContent.trim(); });
  document.querySelectorAll("[data-testid=step-row]").forEach(function(tr, i){
    tr.querySelectorAll("td[data-c]").forEach(function(td){ o["step" + (i+1) + "." + td.getAttribute("data-c")] = td.textContent.trim(); });
    o["step" + (i+1) + ".name"] = tr.querySelector("th").firstChild.textContent.trim(); });
  return o; })()`

// prerendered reads the same figures from dist/duc.html as built (Go's
// engine and Go's formatting, before any JavaScript).
func prerendered(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(distDir, "duc.html"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := goquery.NewDocumentFromReader(f)
	if err != nil {
		t.Fatal(err)
	}
	o := map[string]string{}
	for _, id := range []string{"final-yield", "final-exosomes", "final-intact", "final-per-ug", "final-purity", "final-protein", "final-total-min"} {
		o[id] = strings.TrimSpace(doc.Find(`[data-testid="` + id + `"]`).Text())
	}
	doc.Find(`[data-testid="step-row"]`).Each(func(i int, tr *goquery.Selection) {
		n := "step" + strconv.Itoa(i+1) + "."
		tr.Find("td[data-c]").Each(func(_ int, td *goquery.Selection) {
			o[n+td.AttrOr("data-c", "")] = strings.TrimSpace(td.Text())
		})
		o[n+"name"] = strings.TrimSpace(tr.Find("th").Contents().First().Text())
	})
	return o
}

// openBuilder opens the DUC page (protocol mode) with query q and waits for
// the stage's first protocol result.
func openBuilder(t *testing.T, o origin, q string) *tab {
	t.Helper()
	tb := openDUC(t, o, q, false)
	waitFor[string](t, tb, "the stage's protocol result", resultsSeq)
	return tb
}

// waitNewResult waits until the page shows a result newer than seq.
func waitNewResult(t *testing.T, tb *tab, what, seq string) string {
	t.Helper()
	return waitFor[string](t, tb, what, `(function(){ var s = `+resultsSeq+`; return s && s !== `+jsString(seq)+` && !document.querySelector("[data-testid=protocol-results]").classList.contains("stale") ? s : ""; })()`)
}

// setStepField sets a field of step n (1-based) and fires input and change.
func setStepField(t *testing.T, tb *tab, n int, field, value string) {
	t.Helper()
	tb.do(t, "set step "+strconv.Itoa(n)+" "+field, chromedp.Evaluate[chromedp.Void](`(function(){
	  var c = document.querySelectorAll("[data-testid=step]")[`+strconv.Itoa(n-1)+`].querySelector("[data-field=`+field+`]");
	  c.value = `+jsString(value)+`; c.dispatchEvent(new Event("input", {bubbles: true})); c.dispatchEvent(new Event("change", {bubbles: true})); })()`))
}

func click(t *testing.T, tb *tab, sel string) {
	t.Helper()
	tb.do(t, "click "+sel, chromedp.Evaluate[chromedp.Void](`document.querySelector(`+jsString(sel)+`).click()`))
}

// The builder end to end, over http and file://: the stage's numbers equal
// the pre-rendered ones; adding, removing and reordering steps change the
// results; a bad value is reported next to its field; the CSV download has
// the rows of `exosep protocol --csv`; nothing leaves the site.
func TestProtocolBuilderEndToEnd(t *testing.T) {
	want := prerendered(t)
	if len(want) < 20 || want["final-yield"] == "" {
		t.Fatalf("pre-rendered figures missing: %v", want)
	}
	for _, o := range origins(t) {
		t.Run(o.name, func(t *testing.T) {
			tb := openBuilder(t, o, "")
			// 1. The engine in wasm, formatted by JavaScript, shows what
			// the engine in Go, formatted by Go, pre-rendered.
			got := eval[map[string]string](t, tb, shownNumbers)
			for k, w := range want {
				if got[k] != w {
					t.Errorf("%s: page shows %q after the stage answered, pre-rendered %q", k, got[k], w)
				}
			}
			base := got

			// 2. Add a step: a second 110,000 × g wash in the same rotor.
			seq := eval[string](t, tb, resultsSeq)
			tb.do(t, "choose spin", chromedp.Evaluate[chromedp.Void](`document.getElementById("add-kind").value = "spin"`))
			click(t, tb, "#add-step")
			seq = waitNewResult(t, tb, "the result with an added step", seq)
			added := eval[map[string]string](t, tb, shownNumbers)
			if added["step11.name"] == "" || added["step12.name"] != "" {
				t.Fatalf("after adding a step: step 11 %q, step 12 %q; want exactly 11 steps", added["step11.name"], added["step12.name"])
			}
			if added["final-total-min"] == base["final-total-min"] {
				t.Errorf("adding a 70-min spin left the total time at %s min", base["final-total-min"])
			}
			// 3. Remove it: the results are the preset's again, and focus
			// goes somewhere sensible.
			click(t, tb, `[data-testid=step]:last-child [data-action=remove]`)
			seq = waitNewResult(t, tb, "the result after removing the step", seq)
			removed := eval[map[string]string](t, tb, shownNumbers)
			if removed["final-yield"] != base["final-yield"] || removed["step11.name"] != "" {
				t.Errorf("after removing the added step: yield %q (was %q), step 11 %q", removed["final-yield"], base["final-yield"], removed["step11.name"])
			}
			if f := eval[string](t, tb, `document.activeElement ? (document.activeElement.getAttribute("aria-label") || document.activeElement.textContent) : ""`); f != "Remove step 10" {
				t.Errorf("focus after removing the last step: %q, want the Remove button of the new last step", f)
			}
			// 4. Reorder: move the 10,000 × g spin (step 4) above the filter.
			click(t, tb, `[data-testid=step]:nth-child(4) [data-action=up]`)
			seq = waitNewResult(t, tb, "the result after moving a step", seq)
			moved := eval[map[string]string](t, tb, shownNumbers)
			if moved["step3.name"] != base["step4.name"] || moved["step4.name"] != base["step3.name"] {
				t.Errorf("after moving step 4 up: steps 3, 4 = %q, %q; want %q, %q", moved["step3.name"], moved["step4.name"], base["step4.name"], base["step3.name"])
			}
			if moved["step3.protein"] == base["step3.protein"] {
				t.Errorf("moving the spin before the filter left step 3's protein at %s µg", moved["step3.protein"])
			}
			if f := eval[string](t, tb, `document.activeElement ? document.activeElement.getAttribute("aria-label") || "" : ""`); f != "Move step 3 up" {
				t.Errorf("focus after the move: %q, want the moved step's Move up button", f)
			}
			click(t, tb, `[data-testid=step]:nth-child(3) [data-action=down]`)
			seq = waitNewResult(t, tb, "the result after moving it back", seq)
			// 5. A bad value: the engine's message next to the field and in
			// the summary, naming step, field and allowed range.
			setStepField(t, tb, 1, "minutes", "-5")
			msg := waitFor[string](t, tb, "the error summary", `document.querySelector("[data-testid=builder-errors]").textContent`)
			for _, w := range []string{"Step 1", "Time at speed", "-5 min is outside the allowed range", "2880"} {
				if !strings.Contains(msg, w) {
					t.Errorf("error summary %q lacks %q", msg, w)
				}
			}
			next := eval[string](t, tb, `document.querySelector("[data-testid=step] [data-error-for=minutes]").textContent`)
			inv := eval[string](t, tb, `document.querySelector("[data-testid=step] [data-field=minutes]").getAttribute("aria-invalid") || ""`)
			if !strings.Contains(next, "allowed range") || inv != "true" {
				t.Errorf("next to the field: %q, aria-invalid %q", next, inv)
			}
			setStepField(t, tb, 1, "minutes", "10")
			waitFor[bool](t, tb, "the error to clear", `document.querySelector("[data-testid=builder-errors]").textContent === ""`)
			// 6. The CSV download: read the Blob the button made.
			waitFor[bool](t, tb, "the preset's result back", `document.querySelector("[data-testid=final-yield]").textContent === `+jsString(base["final-yield"])+` && !document.querySelector("[data-testid=protocol-results]").classList.contains("stale")`)
			tb.do(t, "download CSV", chromedp.Evaluate[chromedp.Void](`window.ExoSepPage.noDownloadClick = true; window.__csv = null;
			  document.querySelector("[data-testid=download-csv]").click();
			  window.ExoSepPage.lastDownload.blob.text().then(function(t){ window.__csv = t; })`))
			text := waitFor[string](t, tb, "the CSV blob", `window.__csv`)
			checkCSV(t, text)
			// Edited and edited back, the protocol is no longer the preset by
			// name: a generic file name.
			if name := eval[string](t, tb, `window.ExoSepPage.lastDownload.name`); name != "exosep-protocol.csv" {
				t.Errorf("download name %q, want exosep-protocol.csv", name)
			}
			tb.assertClean(t, o)
		})
	}
}

// checkCSV compares the page's CSV with `exosep protocol --preset
// nikfarjam2020 --csv`: the same rows with the same keys, values equal to
// 1e-9 (the engine in wasm and natively may differ in the last digit).
func checkCSV(t *testing.T, got string) {
	t.Helper()
	cmd := exec.Command("go", "run", "./engine/cmd/exosep", "protocol", "--preset", "nikfarjam2020", "--csv")
	cmd.Dir = filepath.Join("..", "..")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("exosep protocol --csv: %v", err)
	}
	parse := func(s string) [][]string {
		recs, err := csv.NewReader(strings.NewReader(s)).ReadAll()
		if err != nil {
			t.Fatalf("CSV does not parse: %v\n%.300s", err, s)
		}
		return recs
	}
	g, w := parse(got), parse(string(out))
	if len(g) != len(w) {
		t.Fatalf("CSV has %d rows, the CLI's %d", len(g), len(w))
	}
	if !slices.Equal(g[0], []string{"step", "name", "kind", "quantity", "species", "value", "unit"}) {
		t.Errorf("CSV header %q", g[0])
	}
	for i := range g {
		if len(g[i]) != 7 {
			t.Fatalf("row %d has %d fields", i, len(g[i]))
		}
		for _, c := range []int{0, 1, 2, 3, 4, 6} {
			if g[i][c] != w[i][c] {
				t.Errorf("row %d field %d: %q, CLI %q", i, c, g[i][c], w[i][c])
			}
		}
		a, errA := strconv.ParseFloat(g[i][5], 64)
		b, errB := strconv.ParseFloat(w[i][5], 64)
		if errA != nil || errB != nil {
			if g[i][5] != w[i][5] {
				t.Errorf("row %d value %q, CLI %q", i, g[i][5], w[i][5])
			}
			continue
		}
		if math.Abs(a-b) > 1e-9*math.Max(math.Abs(b), 1e-300) {
			t.Errorf("row %d (%s %s): %g, CLI %g", i, g[i][3], g[i][4], a, b)
		}
	}
}

// A shared link reproduces an edited protocol in a new tab; a broken link
// is reported and the default preset shown.
func TestProtocolLink(t *testing.T) {
	for _, o := range fileOrigins(t) {
		t.Run(o.name, func(t *testing.T) {
			tb := openBuilder(t, o, "?protocol=thery2006")
			if n := eval[int](t, tb, `document.querySelectorAll("[data-testid=step]").length`); n != 9 {
				t.Fatalf("protocol=thery2006 shows %d steps, want 9", n)
			}
			seq := eval[string](t, tb, resultsSeq)
			setStepField(t, tb, 4, "minutes", "45")
			setStepField(t, tb, 4, "name", "100,000 × g, 45 min")
			waitNewResult(t, tb, "the edited result", seq)
			time.Sleep(300 * time.Millisecond) // let the name edit's debounced send settle
			waitFor[bool](t, tb, "no pending result", `!document.querySelector("[data-testid=protocol-results]").classList.contains("stale")`)
			first := eval[map[string]string](t, tb, shownNumbers)
			link := eval[string](t, tb, `document.getElementById("protocol-link").value`)
			if !strings.Contains(link, "p=1.") {
				t.Fatalf("link of an edited protocol %q lacks p=1.…", link)
			}
			tb.assertClean(t, o)

			tb2 := newTab(t, 90*time.Second)
			tb2.do(t, "open the link", chromedp.Navigate(link))
			waitFor[string](t, tb2, "the linked protocol's result", resultsSeq)
			second := eval[map[string]string](t, tb2, shownNumbers)
			if !mapsEqual(first, second) {
				t.Errorf("the link shows other results:\nfirst  %v\nsecond %v", first, second)
			}
			if second["step4.name"] != "100,000 × g, 45 min" {
				t.Errorf("linked step 4 is %q", second["step4.name"])
			}
			tb2.assertClean(t, o)

			tb3 := openBuilder(t, o, "?p=1.bm90IGpzb24")
			warn := eval[string](t, tb3, `document.querySelector("[data-testid=builder-warnings]").textContent`)
			if !strings.Contains(warn, "Link parameter p") || !strings.Contains(warn, "preset") {
				t.Errorf("warning for a broken p: %q", warn)
			}
			if v := eval[string](t, tb3, `document.getElementById("preset").value`); v != "nikfarjam2020" {
				t.Errorf("preset after a broken link: %q", v)
			}
		})
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

type protoResult struct {
	Steps []struct {
		Index   int `json:"index"`
		Species map[string]struct {
			In, Kept, Discarded float64
		} `json:"species"`
		Spin *struct {
			Rotor             string   `json:"rotor"`
			Keep              string   `json:"keep"`
			ResidualULPerTube float64  `json:"residual_ul_per_tube"`
			LammSpecies       []string `json:"lamm_species"`
		} `json:"spin"`
	} `json:"steps"`
}

// The stage animates the protocol's spins in turn; for the first spin,
// the pelleted share of each species on the stage agrees with the engine's
// split of that step: P_s within [k − f − tol, k + tol], k the engine's
// share sent to the pellet, f the residual liquid's share of the tube
// (which the animation does not draw), tol 4 binomial standard errors +
// 0.002; species for which the engine used the Lamm equation are not
// compared (see wasm/stage's TestSpinStagesAgreeWithEngineSplit).
func TestProtocolStageAgreesWithSteps(t *testing.T) {
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	o := fileOrigin(t)
	tb := openBuilder(t, o, "?reducedMotion=1&particles=20000")
	var res protoResult
	if err := json.Unmarshal([]byte(eval[string](t, tb, `window.ExoSepPage.protocolJSON()`)), &res); err != nil {
		t.Fatal(err)
	}
	var first, spins []int
	for _, s := range res.Steps {
		if s.Spin != nil {
			spins = append(spins, s.Index)
		}
	}
	first = spins[:1]
	st := waitFor[stageState](t, tb, "the first spin's end state", `(function(){ var ms = window.__stage.filter(function(m){ return m.type === "state" && m.state.step === `+strconv.Itoa(first[0])+` && m.state.phase === "spin" && m.state.done; });
	  return ms.length ? ms[ms.length-1].state : null; })()`)
	s := res.Steps[first[0]-1]
	r, err := cat.Rotors.Find(s.Spin.Rotor)
	if err != nil {
		t.Fatal(err)
	}
	f := s.Spin.ResidualULPerTube * 1e-9 / r.TubeVolumeM3
	compared := 0
	for _, sp := range st.Species {
		n := float64(sp.Free + sp.Pelleted + sp.Floated)
		fl := s.Species[sp.ID]
		if n == 0 || fl.In == 0 || slices.Contains(s.Spin.LammSpecies, sp.ID) {
			continue
		}
		k := fl.Discarded / fl.In
		if s.Spin.Keep == "pellet" {
			k = fl.Kept / fl.In
		}
		got := float64(sp.Pelleted) / n
		tol := 4*math.Sqrt(math.Max(k*(1-k), 1/n)/n) + 0.002
		if got < k-f-tol || got > k+tol {
			t.Errorf("step %d, %s: %.4f pelleted on the stage, the engine sends %.4f to the pellet (f %.4f, tol %.4f)", first[0], sp.ID, got, k, f, tol)
		}
		compared++
	}
	if compared < 4 {
		t.Errorf("only %d species compared", compared)
	}
	// Every spin is shown in turn, and the live description names the step.
	waitFor[bool](t, tb, "every spin to be shown", `(function(){ var want = `+jsonInts(spins)+`; var seen = {};
	  window.__stage.forEach(function(m){ if (m.type === "state" && m.state.done && m.state.phase === "spin") seen[m.state.step] = true; });
	  return want.every(function(s){ return seen[s]; }); })()`)
	waitFor[bool](t, tb, "the end of the protocol", `window.__stage.some(function(m){ return m.type === "state" && m.state.phase === "done"; })`)
	if d := eval[string](t, tb, `document.getElementById("description").textContent`); !strings.Contains(d, "Protocol finished") {
		t.Errorf("description at the end: %q", d)
	}
	tb.assertClean(t, o)
}

func jsonInts(v []int) string {
	b, _ := json.Marshal(v)
	return string(b)
}
