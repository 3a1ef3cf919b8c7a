//go:build !js

package e2e

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"exosep/engine/gradient"
	"exosep/engine/protocol"
	"exosep/wasm/bridge"
)

// openGradient opens gradient.html with query q and the message recorder.
func openGradient(t *testing.T, o origin, q string, reducedMotion bool) *tab {
	t.Helper()
	return openPage(t, o, "gradient.html"+q, reducedMotion, 120*time.Second)
}

// waitTable waits for the fraction table of a result newer than seq and
// returns its seq.
func waitTable(t *testing.T, tb *tab, what string, seq int) int {
	t.Helper()
	return waitFor[int](t, tb, what, `(function(){ var r = document.querySelector("[data-testid=gradient-results]");
	  var s = parseInt(r.getAttribute("data-seq") || "0", 10);
	  return s > `+strconv.Itoa(seq)+` && !r.classList.contains("stale") && document.querySelectorAll("[data-testid=fraction-row]").length ? s : 0; })()`)
}

// tableValues reads the table's numbers (data-value: the full number the
// page received) per row: column key → value.
const tableValues = `Array.prototype.map.call(document.querySelectorAll("[data-testid=fraction-row]"), function(tr){
  var o = {}; tr.querySelectorAll("td[data-value]").forEach(function(td){ o[td.getAttribute("data-c")] = parseFloat(td.getAttribute("data-value")); });
  o.exosome_rich = tr.querySelector("td[data-c=exosome_rich]").textContent === "yes" ? 1 : 0; return o; })`

// gradientEngineRun computes natively what the page asked for.
func gradientEngineRun(t *testing.T, p gradient.Params, input string) bridge.GradientResult {
	t.Helper()
	gl, err := gradient.Default()
	if err != nil {
		t.Fatal(err)
	}
	pl, err := protocol.Default()
	if err != nil {
		t.Fatal(err)
	}
	run, probs := bridge.RunGradient(bridge.GradientRequest{Params: p, Input: input}, gl, pl)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	return run.Result
}

// close reports whether the page's a equals the engine's b: the engine in
// wasm and natively may differ in the last bits of exp/log/erf, so 1e-6
// relative, or 1e-9 of the column's largest value for tiny entries.
func close(a, b, scale float64) bool {
	return math.Abs(a-b) <= 1e-6*math.Abs(b)+1e-9*scale
}

// From file://, an isopycnic iodixanol run on plasma: the table shows the
// engine's own fractions (computed here natively with the same
// parameters), the live description reaches "done", nothing leaves the
// site and nothing is logged as an error.
func TestGradientIsopycnicPlasmaTableIsEngines(t *testing.T) {
	o := fileOrigin(t)
	tb := openGradient(t, o, "?gMode=isopycnic&gMedium=iodixanol&gFrom=1.05&gTo=1.25&gHours=2&gFractions=12&gInput=plasma", false)
	waitTable(t, tb, "the fraction table", 0)
	got := eval[[]map[string]float64](t, tb, tableValues)
	want := gradientEngineRun(t, gradient.Params{Mode: "isopycnic", Medium: "iodixanol", Shape: "linear", Load: "top", FromDensityGPerML: 1.05, ToDensityGPerML: 1.25,
		Rotor: "SW 41 Ti", RCF: 100000, RCFAt: "avg", Minutes: 120, Fractions: 12}, "plasma")
	if len(got) != len(want.Fractions) {
		t.Fatalf("%d rows, engine %d fractions", len(got), len(want.Fractions))
	}
	scale := map[string]float64{}
	for _, f := range want.Fractions {
		for id, v := range f.Species {
			scale[id] = math.Max(scale[id], v)
		}
	}
	checked := 0
	for j, f := range want.Fractions {
		row := got[j]
		if !close(row["density"], f.DensityGPerML, 0) || !close(row["protein_ug"], f.ProteinUG, 0) || !close(row["particles_per_ug_protein"], f.ParticlesPerUGProtein, 0) {
			t.Errorf("fraction %d: page density %v protein %v per µg %v; engine %v %v %v", j+1, row["density"], row["protein_ug"], row["particles_per_ug_protein"], f.DensityGPerML, f.ProteinUG, f.ParticlesPerUGProtein)
		}
		for id, v := range f.Species {
			pv, ok := row[id]
			if !ok {
				if scale[id] >= 0.5 {
					t.Errorf("fraction %d: the page has no %s column", j+1, id)
				}
				continue
			}
			checked++
			if !close(pv, v, scale[id]) {
				t.Errorf("fraction %d %s: page %g, engine %g", j+1, id, pv, v)
			}
		}
		if (row["exosome_rich"] == 1) != f.ExosomeRich {
			t.Errorf("fraction %d: exosome-rich on the page %v, engine %v", j+1, row["exosome_rich"] == 1, f.ExosomeRich)
		}
	}
	if checked < 12*5 {
		t.Errorf("only %d species counts compared", checked)
	}
	// The plot has a line per species shown and the density line.
	if n := eval[int](t, tb, `document.querySelectorAll("[data-testid=gradient-plot] path").length`); n < 6 {
		t.Errorf("the plot has %d lines", n)
	}
	// Reduced motion (the box) shows the end at once; the live description
	// says where the exosomes ended up.
	tb.do(t, "tick reduced motion", chromedp.Evaluate[chromedp.Void](`(function(){ var c = document.getElementById("reducedMotion");
	  c.checked = true; c.dispatchEvent(new Event("change", {bubbles: true})); })()`))
	desc := waitFor[string](t, tb, "the description of the end", `(function(){ var d = document.querySelector("[data-testid=description]"); return d.getAttribute("data-phase") === "done" ? d.textContent : ""; })()`)
	if !strings.Contains(desc, "fraction "+strconv.Itoa(want.ExosomePeak)) || !strings.Contains(desc, "Exosomes") && !strings.Contains(desc, "exosome") {
		t.Errorf("description at the end: %q (exosome peak %d)", desc, want.ExosomePeak)
	}
	tb.assertClean(t, o)
}

// A rate-zonal sucrose run on plasma puts the exosomes and HDL in
// different fractions (separation by size), where an isopycnic run cannot.
func TestGradientRateZonalSeparatesHDL(t *testing.T) {
	o := httpOrigin(t)
	tb := openGradient(t, o, "?gMode=rate-zonal&gMedium=sucrose&gFrom=1.02&gTo=1.08&gHours=1&gInput=plasma", true)
	waitTable(t, tb, "the fraction table", 0)
	rows := eval[[]map[string]float64](t, tb, tableValues)
	peak := func(id string) int {
		best, at := 0.0, 0
		for j, r := range rows {
			if r[id] > best {
				best, at = r[id], j+1
			}
		}
		return at
	}
	exo, hdl := peak("exosome"), peak("hdl")
	if exo == 0 || hdl == 0 || exo == hdl {
		t.Errorf("exosome peak in fraction %d, HDL in %d: want two different fractions", exo, hdl)
	}
	tb.assertClean(t, o)
}

// A bad value is named with its field and allowed range, under its
// control and in the alert; the stage keeps drawing the last good run;
// a fixed-angle rotor gets the engine's reason; a value that is not a
// number is caught before it is sent.
func TestGradientBadValuesNameTheField(t *testing.T) {
	o := fileOrigin(t)
	tb := openGradient(t, o, "?gHours=1", true)
	seq := waitTable(t, tb, "the first table", 0)
	set := func(id, value string) {
		tb.do(t, "set "+id, chromedp.Evaluate[chromedp.Void](`(function(){ var c = document.getElementById(`+jsString(id)+`);
		  c.value = `+jsString(value)+`; c.dispatchEvent(new Event("change", {bubbles: true})); })()`))
	}
	errorText := `(function(){ var e = document.querySelector("[data-testid=error]"); return e.textContent; })()`
	for _, c := range []struct {
		id, value string
		says      []string
	}{
		{"gTo", "1.9", []string{"to_density_g_per_ml", "allowed"}},
		{"gRotor", "Type 70 Ti", []string{"rotor", "swinging-bucket", "SW 41 Ti"}},
		{"gFractions", "0", []string{"fractions", "1–100"}},
		// A number input holds "" for text that is not a number.
		{"gFrom", "abc", []string{"from_density_g_per_ml", "required (a number)"}},
	} {
		set(c.id, c.value)
		msg := waitFor[string](t, tb, "the message for "+c.id, errorText)
		for _, s := range c.says {
			if !strings.Contains(msg, s) {
				t.Errorf("%s=%s: message %q lacks %q", c.id, c.value, msg, s)
			}
		}
		under := eval[string](t, tb, `document.getElementById(`+jsString(c.id)+`).parentNode.querySelector(".field-error").textContent`)
		if under == "" {
			t.Errorf("%s=%s: nothing under the control", c.id, c.value)
		}
		if eval[string](t, tb, `document.getElementById(`+jsString(c.id)+`).getAttribute("aria-invalid") || ""`) != "true" {
			t.Errorf("%s=%s: the control is not marked invalid", c.id, c.value)
		}
		// Put it back: the page runs again and clears the message.
		def := map[string]string{"gTo": "1.25", "gRotor": "SW 41 Ti", "gFractions": "12", "gFrom": "1.05"}[c.id]
		set(c.id, def)
		seq = waitTable(t, tb, "the table after fixing "+c.id, seq)
		if msg := eval[string](t, tb, errorText); msg != "" {
			t.Errorf("after fixing %s the alert still says %q", c.id, msg)
		}
	}
	// The stage draws on after a rejected run.
	set("gTo", "1.9")
	waitFor[string](t, tb, "the message", errorText)
	n := eval[int](t, tb, `window.__stage.length`)
	tb.do(t, "ask for frames", chromedp.Evaluate[chromedp.Void](`document.querySelector("[data-testid=stage]").contentWindow.postMessage({exosep: 1, type: "frames", every: 5}, "*")`))
	frames := waitFor[[]int](t, tb, "two frame messages", `(function(){ var f = window.__stage.slice(`+itoa(n)+`).filter(function(m){ return m.type === "frame"; });
	  return f.length >= 2 ? [f[0].frame.frames, f[f.length-1].frame.frames, f[f.length-1].frame.particles] : null; })()`)
	if !(frames[1] > frames[0]) || frames[2] == 0 {
		t.Errorf("frames after the rejected run: %v (first, last, particles)", frames)
	}
	tb.assertClean(t, o)
}

// With prefers-reduced-motion the first state after the result is the
// end: done, every fraction drawn.
func TestGradientReducedMotion(t *testing.T) {
	o := fileOrigin(t)
	tb := openGradient(t, o, "?gHours=1", true)
	waitTable(t, tb, "the table", 0)
	if !eval[bool](t, tb, `document.getElementById("reducedMotion").checked`) {
		t.Error("the reduced-motion box is not ticked under prefers-reduced-motion")
	}
	type st struct {
		Phase     string  `json:"phase"`
		Done      bool    `json:"done"`
		Drawn     int     `json:"drawn"`
		Fractions int     `json:"fractions"`
		Minutes   float64 `json:"minutes"`
	}
	first := waitFor[st](t, tb, "a gradient state", `(function(){ var m = window.__stage.filter(function(m){ return m.type === "state" && m.state.phase && m.state.fractions; }); return m.length ? m[0].state : null; })()`)
	if !first.Done || first.Phase != "done" || first.Drawn != first.Fractions || first.Fractions != 12 {
		t.Errorf("first gradient state with reduced motion: %+v", first)
	}
	tb.assertClean(t, o)
}

// The DUC builder takes the Onódi iodixanol preset, whose first step is a
// density gradient: the step list shows its parameters read-only with a
// link that opens it on the gradient page, the stage answers and plays
// the gradient step on the stage (its states are step 1's, with the
// gradient's fractions, and the live description names it), and the
// linked gradient page runs that gradient.
func TestProtocolBuilderShowsGradientStep(t *testing.T) {
	o := fileOrigin(t)
	tb := openBuilder(t, o, "?protocol=onodi2018-iodixanol")
	waitFor[bool](t, tb, "the preset's result", `(function(){ var r = document.querySelector("[data-testid=protocol-results]"); return !r.classList.contains("stale") && document.querySelectorAll("[data-testid=step-row]").length === 4; })()`)
	summary := eval[string](t, tb, `document.querySelector("[data-testid=step][data-kind=gradient] [data-testid=gradient-step]").textContent`)
	for _, want := range []string{"isopycnic", "iodixanol", "10 %", "SW 41 Ti", "24 h", "10"} {
		if !strings.Contains(summary, want) {
			t.Errorf("gradient step summary %q lacks %q", summary, want)
		}
	}
	href := eval[string](t, tb, `document.querySelector("[data-testid=gradient-step-link]").getAttribute("href")`)
	if !strings.HasPrefix(href, "gradient.html?") || !strings.Contains(href, "gLayers=10%25%3A3.5") {
		t.Errorf("link %q", href)
	}
	waitFor[bool](t, tb, "a state of the gradient step", `window.__stage.some(function(m){ return m.type === "state" && m.state.step === 1 && m.state.phase === "spin" && m.state.fractions === 10; })`)
	desc := waitFor[string](t, tb, "the description of the gradient step", `(function(){ var d = document.getElementById("description").textContent; return d.indexOf("Step 1 of 4") === 0 ? d : ""; })()`)
	if !strings.Contains(desc, "density gradient") {
		t.Errorf("the live description during step 1: %q, want it to name the density gradient", desc)
	}
	tb.assertClean(t, o)

	g := openGradient(t, o, strings.TrimPrefix(href, "gradient.html")+"&gHours=1", true)
	waitTable(t, g, "the linked gradient's table", 0)
	if v := eval[string](t, g, `document.getElementById("gShape").value + " " + document.getElementById("gLayers").value`); !strings.HasPrefix(v, "step 10%:3.5") {
		t.Errorf("the gradient page opened with %q", v)
	}
	g.assertClean(t, o)
}
