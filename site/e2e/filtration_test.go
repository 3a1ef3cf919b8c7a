//go:build !js

package e2e

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"exosep/engine/protocol"
)

// openFiltration opens a filtration page with the message recorder.
func openFiltration(t *testing.T, o origin, file string, reducedMotion bool) *tab {
	t.Helper()
	tb := openPage(t, o, file, reducedMotion, 90*time.Second)
	// The stage in view: Chrome throttles offscreen cross-origin frames
	// (file:// pages are opaque origins).
	waitFor[bool](t, tb, "the stage", `!!document.querySelector("[data-testid=stage]")`)
	tb.do(t, "scroll to the stage", chromedp.Evaluate[chromedp.Void](`document.querySelector("[data-testid=stage]").scrollIntoView()`))
	return tb
}

// engineRun runs a protocol natively, as the page builds it.
func engineRun(t *testing.T, p protocol.Protocol) *protocol.Result {
	t.Helper()
	lib, err := protocol.Default()
	if err != nil {
		t.Fatal(err)
	}
	res, err := lib.Run(p, protocol.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// libraryPreset is a protocol of the library, by id.
func libraryPreset(t *testing.T, id string) protocol.Protocol {
	t.Helper()
	lib, err := protocol.Default()
	if err != nil {
		t.Fatal(err)
	}
	p, err := lib.Preset(id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// near: equal to 1e-9 relative (the same engine in wasm and natively).
func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))+1e-15 }

type shownStage struct {
	Minutes   float64 `json:"minutes"`
	FluxStart float64 `json:"fluxStart"`
	FluxEnd   float64 `json:"fluxEnd"`
	Permeate  float64 `json:"permeate"`
}

const readStages = `Array.from(document.querySelectorAll("[data-testid=stage-row]")).map(function(r){
  var f = r.querySelector("[data-testid=stage-flux]");
  return {minutes: Number(r.querySelector("[data-testid=stage-minutes]").getAttribute("data-value")),
    fluxStart: Number(f.getAttribute("data-value")), fluxEnd: Number(f.getAttribute("data-final")),
    permeate: Number(r.querySelector("[data-testid=stage-volumes]").getAttribute("data-value"))}; })`

// checkStages compares the page's per-step figures with the engine's.
func checkStages(t *testing.T, got []shownStage, want *protocol.Result) {
	t.Helper()
	var fds []*protocol.FilterDetail
	for _, s := range want.Steps {
		if s.Filter != nil {
			fds = append(fds, s.Filter)
		}
	}
	if len(got) != len(fds) {
		t.Fatalf("page shows %d membrane steps, engine ran %d", len(got), len(fds))
	}
	for i, g := range got {
		fd := fds[i]
		if !near(g.Minutes, fd.FiltrationMinutes) || !near(g.FluxStart, fd.FluxLMHInitial) || !near(g.FluxEnd, fd.FluxLMHFinal) || !near(g.Permeate, fd.PermeateML) {
			t.Errorf("step %d: page %+v; engine %g min, flux %g → %g LMH, permeate %g mL", i+1, g, fd.FiltrationMinutes, fd.FluxLMHInitial, fd.FluxLMHFinal, fd.PermeateML)
		}
	}
}

// Ultrafiltration from file://: the page's yield, time and fluxes are the
// engine's for the same protocol (computed here natively); the plot and
// the live description follow the stage; a bad pressure shows the
// engine's message naming the field and its range while the stage keeps
// drawing; nothing is requested outside the site and nothing is logged
// as an error.
func TestUltrafiltrationPage(t *testing.T) {
	o := fileOrigin(t)
	tb := openFiltration(t, o, "ultrafiltration.html", false)
	yield := waitFor[float64](t, tb, "the result", `(function(){ var e = document.querySelector("[data-testid=yield]"); return e ? Number(e.getAttribute("data-value")) : 0; })()`)
	want := engineRun(t, protocol.Protocol{Name: "uf", Input: "msc-cm", Steps: []protocol.Step{
		{Kind: "filter", PoreUM: 0.22},
		{Kind: "ultrafilter", Membrane: "pes-100kda", Mode: "deadend", ConcentrationFactor: 20},
	}})
	if !near(yield, want.Final.ExosomeYieldFraction) {
		t.Errorf("yield on the page %g, engine %g", yield, want.Final.ExosomeYieldFraction)
	}
	if m := eval[float64](t, tb, `Number(document.querySelector("[data-testid=total-minutes]").getAttribute("data-value"))`); !near(m, want.Final.TotalMinutes) {
		t.Errorf("time on the page %g min, engine %g", m, want.Final.TotalMinutes)
	}
	checkStages(t, eval[[]shownStage](t, tb, readStages), want)
	if n := eval[int](t, tb, `document.querySelectorAll("[data-testid=compare-row]").length`); n != 3 {
		t.Errorf("comparison rows: %d, want this run and 2 centrifugation presets", n)
	}
	// The stage animates: states with the filtration's progress arrive,
	// the description and the plot's cursor follow them.
	waitFor[bool](t, tb, "a state past the start", `window.__stage.some(function(m){ return m.type === "state" && m.state.filtration && m.state.filtration.minutes > 0; })`)
	desc := waitFor[string](t, tb, "the description", `(function(){ var d = document.querySelector("[data-testid=description]").textContent; return /flux/.test(d) ? d : ""; })()`)
	if !strings.Contains(desc, "exosomes") || !strings.Contains(desc, "permeate") {
		t.Errorf("description %q", desc)
	}
	if eval[string](t, tb, `document.querySelector("[data-testid=plot-flux]").getAttribute("d")`) == "" {
		t.Error("no flux line in the plot")
	}
	if share, _ := stageShare(t, tb); !(share > 0.2) {
		t.Errorf("the stage covers %.3f of its frame with drawing, want > 0.2", share)
	}

	// A bad pressure: the engine's message, naming the field and the range.
	tb.do(t, "tff and a bad pressure",
		chromedp.Click(chromedp.CSS("#fMode-tff")),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("fTMP").value = "5000"`),
		chromedp.Click(chromedp.CSS("[data-testid=run]")))
	msg := waitFor[string](t, tb, "the error", `(function(){ var e = document.querySelector("[data-testid=error]").textContent; return /tmp_kpa/.test(e) ? e : ""; })()`)
	if !strings.Contains(msg, "0.1–1000 kPa") {
		t.Errorf("error %q does not give the allowed range", msg)
	}
	slot := eval[string](t, tb, `document.querySelector("[data-error-for~=tmp_kpa]").textContent`)
	if !strings.Contains(slot, "5000") || eval[string](t, tb, `document.getElementById("fTMP").getAttribute("aria-invalid")`) != "true" {
		t.Errorf("message under the pressure control %q", slot)
	}
	// The stage keeps drawing: frames keep coming.
	before := eval[int](t, tb, `window.__stage.length`)
	tb.do(t, "ask for frames", chromedp.Evaluate[chromedp.Void](`document.querySelector("[data-testid=stage]").scrollIntoView(), document.querySelector("[data-testid=stage]").contentWindow.postMessage({exosep: 1, type: "frames", every: 2}, "*")`))
	waitFor[bool](t, tb, "frames after the error", `window.__stage.slice(`+itoa(before)+`).filter(function(m){ return m.type === "frame"; }).length >= 2`)
	if share, _ := stageShare(t, tb); !(share > 0.2) {
		t.Errorf("after the error the stage covers %.3f, want > 0.2", share)
	}
	tb.assertClean(t, o)
}

// Sequential filtration shows its three steps with the engine's figures
// for the preset's conditions on 1 L; with reduced motion the stage goes
// straight to the end.
func TestSequentialFiltrationPage(t *testing.T) {
	o := fileOrigin(t)
	tb := openFiltration(t, o, "sequential-filtration.html", true)
	for _, id := range []string{"sf-step-1", "sf-step-2", "sf-step-3"} {
		if !eval[bool](t, tb, `!!document.querySelector("[data-testid=`+id+`]")`) {
			t.Errorf("no %s controls", id)
		}
	}
	got := waitFor[[]shownStage](t, tb, "three steps", `(function(){ var r = `+readStages+`; return r.length === 3 ? r : null; })()`)
	p := libraryPreset(t, "heinemann2014-sf")
	checkStages(t, got, engineRun(t, p))
	// Reduced motion: the first filtration state is already the end.
	first := waitFor[map[string]any](t, tb, "a filtration state", `(function(){ var ms = window.__stage.filter(function(m){ return m.type === "state" && m.state.filtration; }); return ms.length ? ms[0].state : null; })()`)
	if first["done"] != true {
		t.Errorf("reduced motion: first state %v, want done", first)
	}
	desc := waitFor[string](t, tb, "the description", `(function(){ var d = document.querySelector("[data-testid=description]").textContent; return /^Done/.test(d) ? d : ""; })()`)
	if !strings.Contains(desc, "(3 of 3") {
		t.Errorf("description %q", desc)
	}
	tb.assertClean(t, o)
}

// The DUC builder never breaks on membrane steps: a link carrying the
// sequential-filtration preset shows its three steps read-only with their
// parameters, runs it (the engine's yield, formatted as the page formats
// it) and logs no error.
func TestBuilderShowsMembraneStepsReadOnly(t *testing.T) {
	o := fileOrigin(t)
	p := libraryPreset(t, "heinemann2014-sf")
	raw, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	tb := openBuilder(t, o, "?p=1."+base64.RawURLEncoding.EncodeToString(raw))
	if n := eval[int](t, tb, `document.querySelectorAll("[data-testid=membrane-step]").length`); n != 3 {
		t.Errorf("%d read-only membrane steps, want 3", n)
	}
	if dl := eval[string](t, tb, `document.querySelector("[data-testid=step]:nth-child(2) [data-testid=membrane-step]").textContent`); !strings.Contains(dl, "pes-500kda") || !strings.Contains(dl, "tff") {
		t.Errorf("step 2 parameters %q", dl)
	}
	got := eval[map[string]string](t, tb, shownNumbers)
	if got["step3.name"] == "" || got["final-yield"] == "" {
		t.Errorf("results %v", got)
	}
	for _, id := range []string{"builder-errors", "builder-warnings"} {
		if e := eval[string](t, tb, `document.querySelector("[data-testid=`+id+`]").textContent.trim()`); e != "" {
			t.Errorf("%s: %q", id, e)
		}
	}
	tb.assertClean(t, o)
}
