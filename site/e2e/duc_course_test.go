//go:build !js

package e2e

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"exosep/engine/protocol"
	"exosep/wasm/bridge"
)

// shareLink waits until the share panel's link contains every want and
// returns it with the iframe snippet.
func shareLink(t *testing.T, tb *tab, want ...string) (link, snippet string) {
	t.Helper()
	conds := make([]string, len(want))
	for i, w := range want {
		conds[i] = `v.indexOf(` + jsString(w) + `) >= 0`
	}
	link = waitFor[string](t, tb, "the share link with "+strings.Join(want, ", "),
		`(function(){ var v = document.querySelector("[data-testid=share-link]").value; return `+strings.Join(conds, " && ")+` ? v : ""; })()`)
	return link, eval[string](t, tb, `document.querySelector("[data-testid=share-snippet]").value`)
}

// spinSnapshot is the one-spin explorer's state: every control and the
// readout's numbers.
const spinSnapshot = `JSON.stringify({controls: Array.prototype.map.call(document.querySelectorAll("#controls input, #controls select"), function(c){ return c.id + "=" + (c.type === "radio" ? c.checked : c.value); }),
  readout: Array.prototype.map.call(document.querySelectorAll("#readout [data-testid=readout-summary], #readout td, #readout dd"), function(c){ return c.textContent.trim(); }),
  mode: window.ExoSepPage.mode})`

// The share panel of duc.html links to the current state in both modes:
// the one-spin explorer (mode=spin and its settings) and the protocol
// builder (protocol=ID, or p=… for an edited protocol); opened in a new
// tab, the link shows the same settings and the same numbers, without
// warnings. The snippet embeds it with allowfullscreen and an aspect ratio.
func TestDUCShareLinkReproducesState(t *testing.T) {
	for _, o := range fileOrigins(t) {
		t.Run(o.name, func(t *testing.T) {
			// One spin.
			tb := openDUC(t, o, "?mode=spin&timeScale=600&colorProfile=projector", false)
			waitFor[bool](t, tb, "the readout", `!document.getElementById("readout").classList.contains("stale") && window.__stage.some(function(m){ return m.type === "result"; })`)
			tb.do(t, "set Type 70 Ti, 50,000 rpm, 30 min, 20 °C", chromedp.Evaluate[chromedp.Void](`(function(){
				function set(id, v){ var c = document.getElementById(id); c.value = v; c.dispatchEvent(new Event("input", {bubbles: true})); c.dispatchEvent(new Event("change", {bubbles: true})); }
				set("rotor", "Type 70 Ti");
				var r = document.getElementById("mode-rpm"); r.checked = true; r.dispatchEvent(new Event("change", {bubbles: true}));
				set("speed", "50000"); set("minutes", "30"); set("temperatureC", "20");
			})()`))
			link, snippet := shareLink(t, tb, "mode=spin", "rpm=50000", "minutes=30", "temperatureC=20")
			if !strings.HasPrefix(link, o.prefix+"duc.html?") || !strings.Contains(link, "rotor=Type+70+Ti") || !strings.Contains(link, "colorProfile=projector") {
				t.Errorf("share link %q", link)
			}
			if !strings.Contains(snippet, `src="`+o.prefix+`duc-embed.html?`) || !strings.Contains(snippet, "rpm=50000") ||
				!strings.Contains(snippet, "allowfullscreen") || !strings.Contains(snippet, "aspect-ratio:4/3") {
				t.Errorf("snippet %q", snippet)
			}
			if href := eval[string](t, tb, `document.getElementById("permalink").href`); href != link {
				t.Errorf("the permalink %q differs from the share link %q", href, link)
			}
			waitFor[bool](t, tb, "the readout for the new state", `!document.getElementById("readout").classList.contains("stale") && document.querySelector("[data-testid=readout-summary]").textContent.indexOf("Type 70 Ti") >= 0 && document.querySelector("[data-testid=readout-summary]").textContent.indexOf("50,000 rpm") >= 0`)
			before := eval[string](t, tb, spinSnapshot)
			tb.assertClean(t, o)

			nt := openDUC(t, o, strings.TrimPrefix(link, o.url("duc.html")), false)
			waitFor[bool](t, nt, "the shared state's readout", `!document.getElementById("readout").classList.contains("stale") && document.querySelector("[data-testid=readout-summary]").textContent.indexOf("50,000 rpm") >= 0`)
			if after := eval[string](t, nt, spinSnapshot); after != before {
				t.Errorf("the link does not reproduce the one-spin state:\nbefore %s\nafter  %s", before, after)
			}
			if eval[bool](t, nt, `!document.querySelector("[data-testid=param-warnings]").hidden`) || !eval[bool](t, nt, `document.documentElement.classList.contains("profile-projector")`) {
				t.Error("the shared link produced warnings or lost the colour profile")
			}
			nt.assertClean(t, o)

			// The protocol builder: an unchanged preset, then an edit.
			pb := openBuilder(t, o, "?protocol=thery2006")
			plink, psnippet := shareLink(t, pb, "protocol=thery2006")
			if strings.Contains(plink, "mode=spin") || strings.Contains(plink, "rotor=") || !strings.Contains(psnippet, "allowfullscreen") {
				t.Errorf("protocol-mode link %q, snippet %q", plink, psnippet)
			}
			seq := eval[string](t, pb, resultsSeq)
			setStepField(t, pb, 4, "minutes", "45")
			waitNewResult(t, pb, "the edited result", seq)
			elink, _ := shareLink(t, pb, "p=1.")
			first := eval[map[string]string](t, pb, shownNumbers)
			pb.assertClean(t, o)

			pt := openBuilder(t, o, strings.TrimPrefix(elink, o.url("duc.html")))
			if second := eval[map[string]string](t, pt, shownNumbers); !mapsEqual(first, second) {
				t.Errorf("the protocol link shows other results:\nfirst  %v\nsecond %v", first, second)
			}
			if mode := eval[string](t, pt, `window.ExoSepPage.mode`); mode != "protocol" {
				t.Errorf("the protocol link opened mode %q", mode)
			}
			pt.assertClean(t, o)
		})
	}
}

// Random and malformed URL parameters on duc.html never blank or break
// it: the page is there with its numbers, bad public values are warned
// about visibly, defaults are used, nothing is injected as HTML.
func TestDUCBadURLParams(t *testing.T) {
	fixed := []struct{ q, warn, check string }{
		{"?mode=spin&rotor=%3Cscript%3Ealert(1)%3C/script%3E&minutes=NaN&colorProfile=neon", "rotor=",
			`document.getElementById("rotor").value === "SW 41 Ti" && document.getElementById("minutes").value === "70" && window.ExoSepPage.mode === "spin" && !document.documentElement.className.match(/profile-/)`},
		{"?mode=sideways&rcf=1e308&species=unicorn", "mode=",
			`window.ExoSepPage.mode === "spin" && document.getElementById("speed").value === "100000"`},
		{"?protocol=nope&timeScale=0&particles=-3", "protocol=",
			`window.ExoSepPage.mode === "protocol" && document.getElementById("preset").value === "nikfarjam2020"`},
		{"?p=" + strings.Repeat("A", 9000), "p=", `window.ExoSepPage.mode === "protocol" && document.getElementById("preset").value === "nikfarjam2020"`},
		{"?mode=spin&species=exosome,%F0%9F%A6%84&temperatureC=-40", "species=",
			`document.getElementById("temperatureC").value === "4" && document.querySelectorAll("[data-testid=readout-row]:not([hidden])").length === 1`},
	}
	for _, o := range fileOrigins(t) {
		t.Run(o.name, func(t *testing.T) {
			all := fixed
			n := 3 // random queries: a few per run keep the suite short
			if o.name == "file" {
				n = 1
			}
			for _, q := range fuzzQueries(99, n) {
				all = append(all, struct{ q, warn, check string }{q, "", "true"})
			}
			for _, c := range all {
				name := c.q
				if len(name) > 80 {
					name = name[:80]
				}
				t.Run(name, func(t *testing.T) {
					tb := openDUC(t, o, c.q, false)
					waitFor[bool](t, tb, "the main content and numbers", `!!document.querySelector("main") && document.querySelector("main").innerText.length > 500 &&
						(window.ExoSepPage.mode === "spin" ? !document.getElementById("readout").classList.contains("stale") && window.__stage.some(function(m){ return m.type === "result"; })
						 : document.querySelector("[data-testid=protocol-results]").getAttribute("data-seq") !== null || document.querySelector("[data-testid=builder-warnings]").textContent !== "")`)
					if c.warn != "" {
						w := waitFor[string](t, tb, "the warning", `(function(){ var w = document.querySelector("[data-testid=param-warnings]"); return w && !w.hidden ? w.textContent : ""; })()`)
						if !strings.Contains(w, c.warn) || !strings.Contains(w, "default") {
							t.Errorf("warning %q lacks %q", w, c.warn)
						}
					}
					if !eval[bool](t, tb, c.check) {
						t.Errorf("check failed: %s", c.check)
					}
					if eval[bool](t, tb, `document.querySelectorAll("main script:not([type='application/json'])").length > 0 || !!document.querySelector("main img[src='x']")`) {
						t.Error("a URL value was injected as HTML")
					}
					tb.assertClean(t, o)
				})
			}
		})
	}
}

// colorProfile and species reach the stage, in the one-spin explorer, the
// protocol builder and the comparison: its state messages echo them (the
// counts still cover every species), and the page lists only those species.
func TestDisplaySettingsReachTheStage(t *testing.T) {
	o := fileOrigin(t)
	cases := []struct{ page, q, from, profile string }{
		{"duc.html", "?mode=spin&colorProfile=projector&species=exosome,hdl&reducedMotion", "stage", "projector"},
		{"duc.html", "?protocol=thery2006&colorProfile=high-contrast&species=exosome,hdl&reducedMotion", "stage", "high-contrast"},
		{"compare.html", "?colorProfile=projector&species=exosome,hdl&reducedMotion&a.protocol=thery2006", "stage-a", "projector"},
	}
	for _, c := range cases {
		t.Run(c.page+c.q, func(t *testing.T) {
			tb := openRecorded(t, o.url(c.page+c.q))
			// The stage's first states are for its own defaults (before the
			// page's settings arrive): wait for one with the profile.
			st := waitFor[map[string]any](t, tb, "a state message from "+c.from+" with the profile", `(function(){ var s = window.__msgs.filter(function(x){ return x.from === `+jsString(c.from)+` && x.m.type === "state" && x.m.state.colorProfile === `+jsString(c.profile)+`; }); return s.length ? s[s.length-1].m.state : null; })()`)
			shown, _ := st["shown"].([]any)
			if st["colorProfile"] != c.profile || len(shown) != 2 || shown[0] != "exosome" || shown[1] != "hdl" {
				t.Errorf("state: colorProfile %v, shown %v", st["colorProfile"], st["shown"])
			}
			if sp, _ := st["species"].([]any); len(sp) != 10 {
				t.Errorf("the state counts %d species, want all 10", len(sp))
			}
			rows := `[data-testid=readout-row]`
			if c.page == "compare.html" {
				rows = `#results tr[data-species]`
			} else if strings.Contains(c.q, "protocol=") {
				rows = ""
			}
			if rows != "" {
				waitFor[bool](t, tb, "only the listed species in the results", `(function(){ var r = Array.prototype.filter.call(document.querySelectorAll("`+rows+`"), function(x){ return !x.hidden; }).map(function(x){ return x.getAttribute("data-species"); }); return r.join() === "exosome,hdl"; })()`)
			}
			tb.assertOnly(t, o.prefix)
		})
	}
}

// Keyboard on duc.html: arrows step the focused number (Shift: a tenth),
// and the new value reaches the link.
func TestDUCArrowKeys(t *testing.T) {
	o := httpOrigin(t)
	tb := openDUC(t, o, "?mode=spin&minutes=30", false)
	waitFor[bool](t, tb, "the form", `!!window.exosepDUC && document.getElementById("minutes").value === "30"`)
	arrowKeysStepMinutes(t, tb, `window.exosepDUC.query()`)
	tb.assertClean(t, o)
}

// arrowKeysStepMinutes steps the #minutes field (30, data-step 5) with
// the keyboard: ArrowUp gives 35, Shift+ArrowDown a tenth of the step
// less, 34.5; the new value reaches query (the page's link, as JS).
func arrowKeysStepMinutes(t *testing.T, tb *tab, query string) {
	t.Helper()
	tb.do(t, "arrow up", chromedp.Focus(chromedp.CSS("#minutes")), chromedp.KeyEvent(kb.ArrowUp))
	if v := eval[string](t, tb, `document.getElementById("minutes").value`); v != "35" {
		t.Errorf("ArrowUp on minutes 30 gave %q, want 35 (data-step 5)", v)
	}
	tb.do(t, "shift arrow down", chromedp.KeyEvent(kb.ArrowDown, chromedp.KeyModifiers(kb.ModifierShift)))
	if v := eval[string](t, tb, `document.getElementById("minutes").value`); v != "34.5" {
		t.Errorf("Shift+ArrowDown gave %q, want 34.5", v)
	}
	waitFor[bool](t, tb, "the new duration in the link", query+`.indexOf("minutes=34.5") >= 0`)
}

// The comparison's numbers are the engine's: every protocol of the
// library is offered, and for library protocols and a one-spin set-up on
// the same sample the table's yield, purity, time, damage, volume and runs
// and each species' share equal those of engine/protocol run here, natively.
func TestCompareEqualsEngine(t *testing.T) {
	lib, err := protocol.Default()
	if err != nil {
		t.Fatal(err)
	}
	ids := lib.PresetIDs()
	if len(ids) < 2 {
		t.Fatalf("the library has %d presets", len(ids))
	}
	o := httpOrigin(t)
	q := "?lanes=3&a.protocol=" + ids[0] + "&b.protocol=" + ids[1] + "&c.rotor=Type+70+Ti&c.rcf=110000&c.rcfAt=avg&c.minutes=90&temperatureC=6&input=msc-cm&reducedMotion&particles=1000"
	tb := newTab(t, 120*time.Second)
	tb.do(t, "open", chromedp.Navigate(o.url("compare.html"+q)))
	waitFor[bool](t, tb, "results from the three set-ups", `(function(){ var t = document.getElementById("results"); return !t.classList.contains("stale") && ["a","b","c"].every(function(l){ return document.querySelector('#results tr[data-row="time"] td[data-lane="' + l + '"]').getAttribute("data-value"); }); })()`)
	offered := eval[[]string](t, tb, `Array.prototype.map.call(document.querySelectorAll("#a-protocol option"), function(o){ return o.value; }).filter(Boolean)`)
	if strings.Join(offered, ",") != strings.Join(ids, ",") {
		t.Errorf("Method menu offers %v, the library has %v", offered, ids)
	}
	if eval[bool](t, tb, `!document.querySelector("[data-testid=param-warnings]").hidden`) {
		t.Errorf("warnings: %s", eval[string](t, tb, `document.querySelector("[data-testid=param-warnings]").textContent`))
	}
	cells := eval[map[string]map[string]string](t, tb, `(function(){ var o = {};
		document.querySelectorAll("#results td[data-lane]").forEach(function(td){ var l = td.getAttribute("data-lane"), r = td.parentNode.getAttribute("data-row");
		  (o[l] = o[l] || {})[r] = td.hasAttribute("data-value") ? td.getAttribute("data-value") : td.textContent; if (r === "capacity") o[l].runs = td.getAttribute("data-runs"); });
		return o; })()`)

	spin := bridge.Params{Rotor: "Type 70 Ti", RCF: 110000, RCFAt: "avg", Minutes: 90, TemperatureC: 6}
	t6 := spin.TemperatureC
	want := map[string]protocol.Protocol{
		"c": {Name: "One spin in Type 70 Ti", Input: "msc-cm", Steps: []protocol.Step{{Kind: protocol.KindSpin, Name: "One spin: 110,000 × g (r_avg), 90 min",
			Rotor: spin.Rotor, RCF: spin.RCF, RCFAt: spin.RCFAt, Minutes: spin.Minutes, TemperatureC: &t6, Keep: protocol.KeepPellet}}},
	}
	for lane, id := range map[string]string{"a": ids[0], "b": ids[1]} {
		p, err := lib.Preset(id)
		if err != nil {
			t.Fatal(err)
		}
		p.Input, p.VolumeML = "msc-cm", 0 // the shared sample at its default volume
		want[lane] = p
	}
	for lane, p := range want {
		res, err := lib.Run(p, protocol.Options{})
		if err != nil {
			t.Fatalf("lane %s: %v", lane, err)
		}
		f := res.Final
		got := cells[lane]
		if lane != "c" && got["method"] != res.Protocol {
			t.Errorf("lane %s: method %q, engine %q", lane, got["method"], res.Protocol)
		}
		nums := map[string]float64{
			"yield": f.ExosomeYieldFraction, "purity": f.ParticlesPerUGProtein, "time": f.TotalMinutes,
			"damage": 1 - f.ExosomeIntactFraction, "capacity": res.Input.VolumeML, "runs": float64(f.Runs),
		}
		for id, in := range res.Input.Species {
			if in > 0 {
				nums["species-"+id] = f.Species[id].Particles / in
			}
		}
		for row, w := range nums {
			var g float64
			if err := json.Unmarshal([]byte(got[row]), &g); err != nil {
				t.Errorf("lane %s, %s: %q is not a number", lane, row, got[row])
				continue
			}
			// The same Go engine compiled to wasm: equal to rounding (1e-9).
			if math.Abs(g-w) > 1e-9*math.Max(math.Abs(w), 1e-12) {
				t.Errorf("lane %s, %s: page %v, engine %v", lane, row, g, w)
			}
		}
	}
	tb.assertClean(t, o)
}

// At a phone's width (390 px) the header is compact (the navigation one
// scrolling row), nothing overflows the page sideways, and the teacher
// page's parameter table is a list of cards.
func TestNarrowLayout(t *testing.T) {
	o := httpOrigin(t)
	for _, page := range []string{"teacher.html", "duc.html", "compare.html"} {
		t.Run(page, func(t *testing.T) {
			tb := newTab(t, 60*time.Second)
			tb.do(t, "390 px", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 390, Height: 844, DeviceScaleFactor: 3, Mobile: true})
				return err
			}), chromedp.Navigate(o.url(page)))
			waitFor[bool](t, tb, "the page", `document.readyState === "complete"`)
			if h := eval[float64](t, tb, `document.querySelector(".site-header").getBoundingClientRect().height`); h > 110 {
				t.Errorf("the header is %.0f px tall at 390 px, want at most 110", h)
			}
			if w := eval[float64](t, tb, `document.documentElement.scrollWidth`); w > 391 {
				t.Errorf("the page is %.0f px wide at 390 px: something overflows", w)
			}
			if page == "teacher.html" {
				if d := eval[string](t, tb, `getComputedStyle(document.querySelector("[data-testid=param-row]")).display`); d != "block" {
					t.Errorf("parameter rows display %q at 390 px, want cards (block)", d)
				}
				if l := eval[string](t, tb, `getComputedStyle(document.querySelector("[data-testid=param-row] td"), "::before").content`); !strings.Contains(l, "Type") {
					t.Errorf("a card's cell is not labelled: %q", l)
				}
			}
			tb.assertClean(t, o)
		})
	}
}
