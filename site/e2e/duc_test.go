//go:build !js

package e2e

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"exosep/site/browser"
)

// recorder runs in the top document before the page's own scripts and keeps
// every message the stage iframe posts, parsed, in window.__stage.
const recorder = `if (window === window.top) {
  window.__stage = [];
  window.addEventListener("message", function (e) {
    var f = document.querySelector("[data-testid=stage]");
    if (!f || e.source !== f.contentWindow) return;
    var m = e.data;
    try { if (typeof m === "string") m = JSON.parse(m); } catch (err) { return; }
    window.__stage.push(m);
  });
}`

// openDUC opens the DUC page with query q, with the message recorder.
func openDUC(t *testing.T, o origin, q string, reducedMotion bool) *tab {
	t.Helper()
	return openPage(t, o, "duc.html"+q, reducedMotion, 90*time.Second)
}

// openPage opens a page (file name and query) with the stage message
// recorder, optionally emulating prefers-reduced-motion, with a deadline.
func openPage(t *testing.T, o origin, fileAndQuery string, reducedMotion bool, timeout time.Duration) *tab {
	t.Helper()
	return openWith(t, o.url(fileAndQuery), recorder, reducedMotion, timeout)
}

type speciesState struct {
	ID       string `json:"id"`
	Free     int    `json:"free"`
	Pelleted int    `json:"pelleted"`
	Floated  int    `json:"floated"`
}

type stageState struct {
	Minutes float64        `json:"minutes"`
	Playing bool           `json:"playing"`
	Done    bool           `json:"done"`
	Species []speciesState `json:"species"`
}

// lastDoneState waits for a state message with done = true posted after the
// first `after` messages, and returns it.
func lastDoneState(t *testing.T, tb *tab, after int) stageState {
	t.Helper()
	return waitFor[stageState](t, tb, "the run to finish on the stage",
		`(function(){ var ms = window.__stage.slice(`+itoa(after)+`).filter(function(m){ return m.type === "state" && m.state.done; });
		  return ms.length ? ms[ms.length-1].state : null; })()`)
}

func itoa(n int) string {
	b := []byte{}
	if n == 0 {
		return "0"
	}
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// readout returns the page's per-species pelleted fractions (data-fraction).
func readout(t *testing.T, tb *tab) map[string]float64 {
	t.Helper()
	return eval[map[string]float64](t, tb, `(function(){ var o = {};
	  document.querySelectorAll("[data-testid=readout-row]").forEach(function(r){
	    o[r.getAttribute("data-species")] = Number(r.querySelector("[data-col=pelleted]").getAttribute("data-fraction")); });
	  return o; })()`)
}

// stageShare screenshots the page and returns the stage's non-background share.
func stageShare(t *testing.T, tb *tab) (float64, []byte) {
	t.Helper()
	rect, err := browser.ElementRect(tb.ctx, "[data-testid=stage]")
	if err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	share, err := browser.NonBackgroundShare(png, rect)
	if err != nil {
		t.Fatal(err)
	}
	return share, png
}

// agree checks the stage's counts (what is drawn) against the readout (the
// engine's analytic fractions) within 4 binomial standard errors + 0.002.
func agree(t *testing.T, st stageState, want map[string]float64) {
	t.Helper()
	if len(st.Species) < 10 {
		t.Fatalf("stage reported %d species, want the 10 of the catalogue", len(st.Species))
	}
	for _, s := range st.Species {
		n := float64(s.Free + s.Pelleted + s.Floated)
		p, ok := want[s.ID]
		if !ok || n == 0 {
			t.Errorf("species %s: readout has it %v, stage count %g", s.ID, ok, n)
			continue
		}
		got := float64(s.Pelleted) / n
		if se := math.Sqrt(p * (1 - p) / n); math.Abs(got-p) > 4*se+0.002 {
			t.Errorf("%s: %.4f pelleted on the stage, readout says %.4f (4σ = %.4f)", s.ID, got, p, 4*se)
		}
	}
}

// The foundation slice end to end: the stage paints, what it draws agrees
// with the readout, a control changes both readout and animation, and the
// page requests nothing outside the site — over http and from file://.
func TestDUCPageEndToEnd(t *testing.T) {
	for _, o := range origins(t) {
		t.Run(o.name, func(t *testing.T) {
			tb := openDUC(t, o, "?mode=spin&timeScale=3600&particles=5000", false)
			// 1. The run finishes (70 min at 1 s = 60 min) and the stage paints.
			st := lastDoneState(t, tb, 0)
			share, _ := stageShare(t, tb)
			if share <= 0.05 {
				t.Errorf("stage paints %.1f %% non-background pixels, want > 5 %%", share*100)
			}
			// 2. What is drawn is what the engine computes.
			before := readout(t, tb)
			agree(t, st, before)
			if before["exosome"] <= 0 || before["exosome"] >= 1 {
				t.Fatalf("default readout exosome fraction %g: want a partial pellet to compare", before["exosome"])
			}
			sumBefore := eval[string](t, tb, `document.querySelector("[data-testid=readout-summary]").textContent`)
			// 3. Change a control: the speed. Readout and animation both follow.
			n := eval[int](t, tb, `window.__stage.length`)
			tb.do(t, "set RCF to 20000", chromedp.Evaluate[chromedp.Void](`(function(){ var s = document.querySelector("[data-testid=control-speed]");
				s.value = "20000"; s.dispatchEvent(new Event("input", {bubbles: true})); s.dispatchEvent(new Event("change", {bubbles: true})); })()`))
			waitFor[bool](t, tb, "the readout to update", `document.querySelector("[data-testid=readout-summary]").textContent !== `+jsString(sumBefore))
			after := readout(t, tb)
			if !(after["exosome"] < before["exosome"]-0.1) {
				t.Errorf("exosomes pelleted: %.3f at 100,000 × g, %.3f at 20,000 × g: want clearly fewer", before["exosome"], after["exosome"])
			}
			// The stage keeps or restarts its run; play to the end and compare again.
			tb.do(t, "play", chromedp.Click(chromedp.CSS("[data-testid=play]")))
			st2 := lastDoneState(t, tb, n)
			agree(t, st2, after)
			if st2.Species[3].Pelleted >= st.Species[3].Pelleted {
				t.Errorf("animation did not change: exosomes pelleted on the stage %d before, %d after", st.Species[3].Pelleted, st2.Species[3].Pelleted)
			}
			// 4. Nothing left the site; no errors.
			tb.assertClean(t, o)
		})
	}
}

func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// prefers-reduced-motion shows the end state without animating: the first
// state the stage reports is already done, even at 1 s = 1 min.
func TestDUCReducedMotion(t *testing.T) {
	o := fileOrigin(t)
	tb := openDUC(t, o, "?mode=spin", true)
	st := waitFor[stageState](t, tb, "a state message", `(function(){ var m = window.__stage.filter(function(m){ return m.type === "state"; }); return m.length ? m[0].state : null; })()`)
	if !st.Done || st.Minutes != 70 {
		t.Errorf("first state with reduced motion: done %v at %g min, want done at 70", st.Done, st.Minutes)
	}
	agree(t, st, readout(t, tb))
	tb.assertClean(t, o)
}

// Space toggles play/pause, R resets; bad URL settings are reported visibly
// and the defaults are used.
func TestDUCKeyboardAndBadLink(t *testing.T) {
	o := httpOrigin(t)
	tb := openDUC(t, o, "?rotor=SW99&minutes=-5&timeScale=60", false)
	warn := waitFor[string](t, tb, "the link warning", `(function(){ var w = document.querySelector("[data-testid=param-warnings]"); return w && !w.hidden ? w.textContent : ""; })()`)
	for _, want := range []string{"rotor=SW99", "minutes=-5", "allowed"} {
		if !strings.Contains(warn, want) {
			t.Errorf("warning %q lacks %q", warn, want)
		}
	}
	if v := eval[string](t, tb, `document.querySelector("[data-testid=control-rotor]").value`); v != "SW 41 Ti" {
		t.Errorf("rotor after a bad link = %q, want the default SW 41 Ti", v)
	}
	waitFor[bool](t, tb, "the stage to play", `window.__stage.some(function(m){ return m.type === "state" && m.state.playing; })`)
	n := eval[int](t, tb, `window.__stage.length`)
	key := func(k string) {
		tb.do(t, "press "+k, chromedp.Evaluate[chromedp.Void](`document.body.focus()`), chromedp.KeyEvent(k))
	}
	key(" ")
	waitFor[bool](t, tb, "pause after Space", `window.__stage.slice(`+itoa(n)+`).some(function(m){ return m.type === "state" && !m.state.playing; })`)
	n = eval[int](t, tb, `window.__stage.length`)
	key("r")
	waitFor[bool](t, tb, "reset after R", `window.__stage.slice(`+itoa(n)+`).some(function(m){ return m.type === "state" && m.state.minutes === 0; })`)
	tb.assertClean(t, o)
}

// The stage page runs on its own (as the benchmark opens it) and reports
// frames drawn.
func TestStageAlone(t *testing.T) {
	for _, o := range origins(t) {
		t.Run(o.name, func(t *testing.T) {
			tb := newTab(t, 60*time.Second)
			tb.do(t, "open stage.html", chromedp.Navigate(o.url("stage.html?particles=2000")))
			frames := waitFor[int](t, tb, "frames", `window.exosepStats && window.exosepStats.firstFrameMs !== null && window.exosepStats.frames > 10 ? window.exosepStats.frames : 0`)
			if frames <= 10 {
				t.Errorf("frames = %d", frames)
			}
			tb.assertClean(t, o)
		})
	}
}
