//go:build !js

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"exosep/site/browser"
	"exosep/site/params"
)

// msgRecorder runs in the top document before the page's scripts and keeps
// every message a child frame posts, with the id of that iframe, in
// window.__msgs.
const msgRecorder = `if (window === window.top) {
  window.__msgs = [];
  window.addEventListener("message", function (e) {
    var who = "";
    var fs = document.querySelectorAll("iframe");
    for (var i = 0; i < fs.length; i++) { if (fs[i].contentWindow === e.source) { who = fs[i].id; } }
    var m = e.data;
    try { if (typeof m === "string") { m = JSON.parse(m); } } catch (err) { return; }
    window.__msgs.push({from: who, m: m});
  });
}`

// openRecorded opens url in a new tab with the message recorder.
func openRecorded(t *testing.T, u string) *tab {
	t.Helper()
	return openWith(t, u, msgRecorder, false, 120*time.Second)
}

// assertOnly fails if the tab requested anything outside the prefixes or
// logged console errors.
func (tb *tab) assertOnly(t *testing.T, prefixes ...string) {
	t.Helper()
	if out := tb.requests.Outside(prefixes...); len(out) > 0 {
		t.Errorf("requests outside %v:\n%s", prefixes, strings.Join(out, "\n"))
	}
	if len(tb.requests.URLs()) == 0 {
		t.Error("the request log saw nothing: the offline check would be vacuous")
	}
	if errs := tb.console.Errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

// hostPage is a course page on another origin (or another folder under
// file://) embedding duc-embed.html by an absolute URL; it keeps the
// embed's messages in window.__host and drives it by the host API.
func hostPage(embedURL string) string {
	return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>A course page</title></head><body>
<h1>Lesson 3: spinning exosomes</h1>
<iframe id="sim" src="` + embedURL + `" title="ExoSep" style="width:100%;aspect-ratio:4/3;border:0" allowfullscreen></iframe>
<script>
window.__host = [];
var sim = document.getElementById("sim");
window.addEventListener("message", function (e) {
  if (e.source !== sim.contentWindow) return;
  var m = e.data;
  if (typeof m === "string") { try { m = JSON.parse(m); } catch (err) { return; } }
  window.__host.push(m);
});
function send(m) { sim.contentWindow.postMessage(m, "*"); }
</script></body></html>`
}

// An embed page inside a host page on another origin (http: another port;
// file://: another folder) runs, and the host receives ready, result and
// done events, drives it with set/play, and sees bad messages rejected.
func TestEmbedInHostPage(t *testing.T) {
	for _, o := range origins(t) {
		t.Run(o.name, func(t *testing.T) {
			dir := t.TempDir()
			embed := o.url("duc-embed.html?timeScale=3600&minutes=10&particles=1000")
			if err := os.WriteFile(filepath.Join(dir, "host.html"), []byte(hostPage(embed)), 0o644); err != nil {
				t.Fatal(err)
			}
			hostURL := browser.FileURL(dir, "host.html")
			hostPrefix := browser.FileURL(dir, "")
			if o.name == "http" {
				base, stop := browser.Serve(dir)
				t.Cleanup(stop)
				hostURL, hostPrefix = base+"/host.html", base+"/"
			}
			tb := newTab(t, 120*time.Second)
			tb.do(t, "open the host", chromedp.Navigate(hostURL))
			waitFor[bool](t, tb, "ready from the embed", `window.__host.some(function(m){ return m.exosep === 1 && m.type === "ready"; })`)
			res := waitFor[map[string]any](t, tb, "a result event", `(function(){ var r = window.__host.filter(function(m){ return m.type === "result"; }); return r.length ? r[r.length-1] : null; })()`)
			if r, _ := res["result"].(map[string]any); r == nil || r["rotor"] != "SW 41 Ti" || r["minutes"] != 10.0 {
				t.Errorf("result event %v", res)
			}
			waitFor[bool](t, tb, "a done event", `window.__host.some(function(m){ return m.type === "done" && m.state && m.state.done && m.result; })`)

			n := eval[int](t, tb, `window.__host.length`)
			tb.do(t, "set by the host", chromedp.Evaluate[chromedp.Void](`send({exosep: 1, type: "set", params: {rotor: "Type 70 Ti", rpm: 50000, minutes: 5}})`))
			got := waitFor[map[string]any](t, tb, "the result for the host's settings", `(function(){ var r = window.__host.slice(`+itoa(n)+`).filter(function(m){ return m.type === "result" && m.result.rotor === "Type 70 Ti"; }); return r.length ? r[0].result : null; })()`)
			if math.Abs(got["rpm"].(float64)-50000) > 1e-6 || got["minutes"] != 5.0 {
				t.Errorf("result after set: %v", got)
			}
			tb.do(t, "play", chromedp.Evaluate[chromedp.Void](`send(JSON.stringify({exosep: 1, type: "play"}))`))
			waitFor[bool](t, tb, "done after play", `window.__host.slice(`+itoa(n)+`).some(function(m){ return m.type === "done" && m.result && m.result.rotor === "Type 70 Ti"; })`)

			// Malformed and unknown messages are ignored (an error event
			// for a bad set, nothing else), never obeyed.
			n = eval[int](t, tb, `window.__host.length`)
			tb.do(t, "bad messages", chromedp.Evaluate[chromedp.Void](`send({exosep: 1, type: "set", params: {rpm: "fast"}});
				send({exosep: 2, type: "reset"}); send({type: "play"}); send("not json"); send({exosep: 1, type: "explode"});
				send({exosep: 1, type: "set", params: {rotor: "SW 28", evil: "<script>"}}); send({exosep: 1, type: "pause", extra: 1});
				send({exosep: 1, type: "get"});`))
			p := waitFor[map[string]any](t, tb, "the answer to get", `(function(){ var r = window.__host.slice(`+itoa(n)+`).filter(function(m){ return m.type === "params"; }); return r.length ? r[0] : null; })()`)
			vals, _ := p["params"].(map[string]any)
			if vals["rotor"] != "Type 70 Ti" || vals["rpm"] != 50000.0 {
				t.Errorf("bad messages changed the settings: %v", vals)
			}
			errs := eval[[]string](t, tb, `window.__host.slice(`+itoa(n)+`).filter(function(m){ return m.type === "error"; }).map(function(m){ return m.field; })`)
			if strings.Join(errs, ",") != "rpm,evil" {
				t.Errorf("error events %v, want rpm then evil", errs)
			}
			tb.assertOnly(t, o.prefix, hostPrefix)
		})
	}
}

// The shipped embed example drives the embed page from the same site, and
// the embed page's keyboard works (arrows step the focused field, Shift
// finer; Space pauses).
func TestEmbedExampleAndKeys(t *testing.T) {
	for _, o := range fileOrigins(t) {
		t.Run(o.name, func(t *testing.T) {
			tb := newTab(t, 120*time.Second)
			tb.do(t, "open the example", chromedp.Navigate(o.url("embed-example.html")))
			waitFor[bool](t, tb, "a result", `(window.exosepHostLog || []).some(function(m){ return m.type === "result"; })`)
			tb.do(t, "set", chromedp.Click(chromedp.CSS("#host-set")))
			waitFor[bool](t, tb, "the set's result", `window.exosepHostLog.some(function(m){ return m.type === "result" && m.result.rotor === "Type 70 Ti"; })`)
			tb.do(t, "play", chromedp.Click(chromedp.CSS("#host-play")))
			waitFor[bool](t, tb, "done", `window.exosepHostLog.some(function(m){ return m.type === "done"; })`)
			tb.do(t, "bad", chromedp.Click(chromedp.CSS("#host-bad")))
			waitFor[bool](t, tb, "an error event", `window.exosepHostLog.some(function(m){ return m.type === "error"; })`)
			if n := eval[int](t, tb, `document.querySelectorAll("#host-log li").length`); n < 3 {
				t.Errorf("the log shows %d lines", n)
			}
			tb.assertClean(t, o)

			k := newTab(t, 90*time.Second)
			k.do(t, "open duc-embed", chromedp.Navigate(o.url("duc-embed.html?minutes=30")))
			waitFor[bool](t, k, "the controls", `!!window.exosepEmbed`)
			arrowKeysStepMinutes(t, k, `window.exosepEmbed.query()`)
			k.assertClean(t, o)
		})
	}
}

// A link from the share panel, opened in a new tab, reproduces the state:
// the same control values and the same result numbers.
func TestShareLinkReproducesState(t *testing.T) {
	for _, o := range fileOrigins(t) {
		t.Run(o.name, func(t *testing.T) {
			tb := newTab(t, 120*time.Second)
			tb.do(t, "open compare.html", chromedp.Navigate(o.url("compare.html?reducedMotion&colorProfile=projector")))
			resultsIn := `(function(){ var t = document.getElementById("results"); return t && !t.classList.contains("stale") && document.querySelector('#results tr[data-row="rotor"] td[data-lane="b"]').textContent.indexOf("Type") >= 0; })()`
			waitFor[bool](t, tb, "results", resultsIn)
			tb.do(t, "change set-up B and the medium", chromedp.Evaluate[chromedp.Void](`(function(){
				var r = document.getElementById("b-rotor"); r.value = "Type 50.2 Ti"; r.dispatchEvent(new Event("change", {bubbles: true}));
				var m = document.getElementById("b-minutes"); m.value = "45"; m.dispatchEvent(new Event("change", {bubbles: true}));
				var d = document.getElementById("input"); d.value = "plasma"; d.dispatchEvent(new Event("change", {bubbles: true}));
			})()`))
			link := waitFor[string](t, tb, "the share link", `(function(){ var v = document.querySelector("[data-testid=share-link]").value; return v.indexOf("b.minutes=45") >= 0 && v.indexOf("input=plasma") >= 0 ? v : ""; })()`)
			if !strings.HasPrefix(link, o.prefix+"compare.html?") || !strings.Contains(link, "b.rotor=Type+50.2+Ti") || !strings.Contains(link, "colorProfile=projector") {
				t.Errorf("share link %q", link)
			}
			snippet := eval[string](t, tb, `document.querySelector("[data-testid=share-snippet]").value`)
			if !strings.Contains(snippet, `src="`+o.prefix+`compare-embed.html?`) || !strings.Contains(snippet, "allowfullscreen") || !strings.Contains(snippet, "aspect-ratio:4/3") {
				t.Errorf("snippet %q", snippet)
			}
			waitFor[bool](t, tb, "results for the new state", `(function(){ var t = document.getElementById("results"); return !t.classList.contains("stale") && document.querySelector('#results tr[data-row="rotor"] td[data-lane="b"]').textContent.indexOf("50.2") >= 0 && document.querySelector('#results tr[data-row="minutes"] td[data-lane="b"]').textContent.indexOf("45") === 0; })()`)
			snapshot := `JSON.stringify({controls: Array.prototype.map.call(document.querySelectorAll("#compare-controls input, #compare-controls select"), function(c){ return c.id + "=" + c.value; }),
				results: Array.prototype.map.call(document.querySelectorAll("#results td:not([hidden])"), function(c){ return c.textContent.trim(); })})`
			before := eval[string](t, tb, snapshot)
			tb.assertClean(t, o)

			nt := newTab(t, 120*time.Second)
			nt.do(t, "open the shared link", chromedp.Navigate(link))
			waitFor[bool](t, nt, "results for the shared state", `(function(){ var t = document.getElementById("results"); return t && !t.classList.contains("stale") && document.querySelector('#results tr[data-row="rotor"] td[data-lane="b"]').textContent.indexOf("50.2") >= 0; })()`)
			after := eval[string](t, nt, snapshot)
			if before != after {
				t.Errorf("the shared link does not reproduce the state:\nbefore %s\nafter  %s", before, after)
			}
			if !eval[bool](t, nt, `document.documentElement.classList.contains("profile-projector")`) {
				t.Error("the shared link lost the colour profile")
			}
			if eval[bool](t, nt, `!document.querySelector("[data-testid=param-warnings]").hidden`) {
				t.Error("the shared link produced warnings")
			}
			nt.assertClean(t, o)
		})
	}
}

// fuzzQueries are random and malformed query strings: random keys and
// values, huge numbers, NaN, script tags, unicode, broken escapes.
func fuzzQueries(seed uint64, n int) []string {
	keys := []string{"rotor", "rpm", "rcf", "rcfAt", "minutes", "temperatureC", "medium", "particles", "timeScale", "seed",
		"reducedMotion", "colorProfile", "autoplay", "hide", "lock", "species", "preset", "method", "lanes", "title",
		"a.rotor", "b.rpm", "c.minutes", "a.rcf", "frames", "zzz", "__proto__", "constructor", "ρ", "a..b", "",
		"mode", "p", "protocol", "a.protocol", "input"}
	values := []string{"", "NaN", "Infinity", "-Infinity", "1e308", "-1e308", "1e-320", "0", "-1", "99999999999999999999",
		"<script>alert(1)</script>", `"><img src=x onerror=alert(1)>`, "%", "%E0%A4%A", "🧪🧬", "ünïcødé", "Ω", "\u200b", "true",
		"maybe", "SW+41+Ti", "Type%2070%20Ti", "rotor,speed,nope", "exosome,hdl,🦄", "projector", "high-contrast", "3", "2.5",
		"0x1A", "1,000", "  12  ", strings.Repeat("x", 500), "null", "undefined", "[]", "{}",
		"spin", "thery2006", "1.bm90IGpzb24", "1.eyJzdGVwcyI6W119", "2.AAAA", "msc-cm"}
	rng := rand.New(rand.NewPCG(seed, 7)) // fixed seed: reproducible
	var out []string
	for range n {
		var parts []string
		for range 1 + rng.IntN(5) {
			parts = append(parts, keys[rng.IntN(len(keys))]+"="+values[rng.IntN(len(values))])
		}
		out = append(out, "?"+strings.Join(parts, "&"))
	}
	return out
}

// Random and malformed URL parameters never leave a blank or broken page:
// no console errors, the page's main content (and, on simulator pages,
// the engine's result) is there, bad public values are warned about, and
// defaults are used.
func TestSchemaBadURLParamsNeverBreakPages(t *testing.T) {
	fixed := map[string][]struct {
		q, warn string // warn: a key the visible warning must name
		check   string // a JS expression that must be true
	}{
		"duc-embed.html": {
			{"?rotor=%3Cscript%3Ealert(1)%3C/script%3E&minutes=NaN&particles=1e9", "rotor=", `document.getElementById("rotor").value === "SW 41 Ti" && document.getElementById("minutes").value === "70"`},
			{"?rpm=1e308&colorProfile=neon&hide=wings", "rpm=", `document.getElementById("speedMode").value === "rcf" && document.getElementById("speed").value === "100000" && !document.documentElement.className.match(/profile-/)`},
			{"?title=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&lock=rotor&hide=transport", "", `document.getElementById("embed-title").textContent.indexOf("<img") === 0 && !document.querySelector("main img") && document.getElementById("rotor").disabled && document.getElementById("play").closest("[data-control]").hidden`},
			{"?species=%F0%9F%A6%84&temperatureC=-40&medium=pbs", "species=", `document.getElementById("temperatureC").value === "4" && document.getElementById("medium").value === "pbs"`},
		},
		"compare.html": {
			{"?lanes=99&a.rcf=-5&b.rotor=%00&timeScale=0x10", "lanes=", `document.querySelectorAll(".lane:not([hidden])").length === 2 && document.getElementById("a-speed").value === "100000" && document.getElementById("b-rotor").value === "Type 70 Ti"`},
			{"?lanes=3&c.rotor=MLS-50&c.rpm=99999", "c.rpm=", `document.querySelectorAll(".lane:not([hidden])").length === 3 && document.getElementById("c-rotor").value === "MLS-50"`},
		},
		"compare-embed.html": {
			{"?a.minutes=%E2%88%9E&colorProfile=high-contrast", "a.minutes=", `document.documentElement.classList.contains("profile-high-contrast") && document.getElementById("a-minutes").value === "70"`},
		},
		"teacher.html": {
			{"?colorProfile=%3Cb%3E&x=%ZZ", "", `document.querySelectorAll("[data-testid=param-row]").length > 15`},
		},
	}
	sims := map[string]bool{"duc-embed.html": true, "compare.html": true, "compare-embed.html": true}
	for _, o := range fileOrigins(t) {
		t.Run(o.name, func(t *testing.T) {
			for pageName, cases := range fixed {
				all := cases
				n := 3
				if o.name == "file" {
					n = 2
				}
				if sims[pageName] {
					for _, q := range fuzzQueries(uint64(len(pageName)), n) {
						all = append(all, struct{ q, warn, check string }{q, "", "true"})
					}
				}
				for _, c := range all {
					t.Run(pageName+c.q, func(t *testing.T) {
						tb := newTab(t, 90*time.Second)
						tb.do(t, "open", chromedp.Navigate(o.url(pageName+c.q)))
						waitFor[bool](t, tb, "the main content", `!!document.querySelector("main") && document.querySelector("main").innerText.length > 200`)
						if sims[pageName] {
							waitFor[bool](t, tb, "the engine's result", `(function(){ var t = document.getElementById("results"); return !!t && !t.classList.contains("stale") && /\d/.test(t.textContent); })()`)
						}
						if c.warn != "" {
							w := waitFor[string](t, tb, "the warning", `(function(){ var w = document.querySelector("[data-testid=param-warnings]"); return w && !w.hidden ? w.textContent : ""; })()`)
							if !strings.Contains(w, c.warn) || !strings.Contains(w, "default") {
								t.Errorf("warning %q lacks %q", w, c.warn)
							}
						}
						if !eval[bool](t, tb, c.check) {
							t.Errorf("check failed: %s", c.check)
						}
						if eval[bool](t, tb, `!!window.__alerted || document.querySelectorAll("main script:not([type='application/json'])").length > 0`) {
							t.Error("a URL value was injected as HTML")
						}
						tb.assertClean(t, o)
					})
				}
			}
		})
	}
}

// The comparison runs both stages in step: one Play, Pause and Reset for
// all, both report results, and the results table has both columns.
func TestCompareSynchronized(t *testing.T) {
	for _, o := range fileOrigins(t) {
		t.Run(o.name, func(t *testing.T) {
			tb := openRecorded(t, o.url("compare.html?timeScale=600&minutes=40&autoplay=false&particles=2000"))
			waitFor[bool](t, tb, "results from both stages", `(function(){ var f = {}; window.__msgs.forEach(function(x){ if (x.m.type === "protocolResult") f[x.from] = 1; }); return !!(f["stage-a"] && f["stage-b"]); })()`)
			waitFor[bool](t, tb, "the table filled", `!document.getElementById("results").classList.contains("stale")`)
			yields := eval[[]string](t, tb, `Array.prototype.map.call(document.querySelectorAll('#results tr[data-row="yield"] td:not([hidden])'), function(c){ return c.textContent; })`)
			if len(yields) != 2 || yields[0] == yields[1] {
				t.Errorf("yields %v: want two different numbers (swinging bucket vs fixed angle)", yields)
			}
			// Both wait at t = 0 (autoplay=false).
			waitFor[bool](t, tb, "both reset", `(function(){ var a = document.getElementById("status-a").textContent, b = document.getElementById("status-b").textContent; return a.indexOf("Ready") === 0 && b.indexOf("Ready") === 0; })()`)
			n := eval[int](t, tb, `window.__msgs.length`)
			tb.do(t, "press Space", chromedp.Evaluate[chromedp.Void](`document.body.focus()`), chromedp.KeyEvent(" "))
			waitFor[bool](t, tb, "both playing", lanesAll(n, `x.m.state.playing`))
			time.Sleep(1200 * time.Millisecond)
			n = eval[int](t, tb, `window.__msgs.length`)
			tb.do(t, "pause", chromedp.Click(chromedp.CSS("#pause")))
			mins := waitFor[[]float64](t, tb, "both paused", `(function(){ var last = {}; window.__msgs.slice(`+itoa(n)+`).forEach(function(x){ if (x.m.type === "state" && !x.m.state.playing) last[x.from] = x.m.state.minutes; });
				return last["stage-a"] !== undefined && last["stage-b"] !== undefined ? [last["stage-a"], last["stage-b"]] : null; })()`)
			if math.Abs(mins[0]-mins[1]) > 1.5 || mins[0] <= 0 {
				t.Errorf("paused at %v min: the stages are not in step", mins)
			}
			n = eval[int](t, tb, `window.__msgs.length`)
			tb.do(t, "play", chromedp.Click(chromedp.CSS("#play")))
			waitFor[bool](t, tb, "both done", lanesAll(n, `x.m.state.done`))
			waitFor[bool](t, tb, "both protocols done", lanesAll(n, `x.m.state.phase === "done"`))
			desc := waitFor[string](t, tb, "the description", `(function(){ var d = document.getElementById("description").textContent; return d.indexOf("Protocol finished") >= 0 ? d : ""; })()`)
			if !strings.Contains(desc, "Set-up A (One spin in SW 41 Ti)") || !strings.Contains(desc, "Set-up B (One spin in Type 70 Ti)") {
				t.Errorf("description %q", desc)
			}
			n = eval[int](t, tb, `window.__msgs.length`)
			tb.do(t, "press R", chromedp.Evaluate[chromedp.Void](`document.body.focus()`), chromedp.KeyEvent("r"))
			waitFor[bool](t, tb, "both reset", lanesAll(n, `x.m.state.minutes === 0 && !x.m.state.playing`))
			tb.assertClean(t, o)
		})
	}
}

// lanesAll is a JS expression: both stages posted, after message n, a
// state for which cond (on x) holds.
func lanesAll(n int, cond string) string {
	return fmt.Sprintf(`(function(){ var f = {}; window.__msgs.slice(%d).forEach(function(x){ if (x.m.type === "state" && (%s)) f[x.from] = 1; }); return !!(f["stage-a"] && f["stage-b"]); })()`, n, cond)
}

// The teacher page lists every schema entry (read from the shipped
// params.js), its activity links open prepared states without warnings,
// a colour profile applies, and the print stylesheet keeps only the
// worksheet.
func TestTeacherPage(t *testing.T) {
	js, err := os.ReadFile(filepath.Join(distDir, params.File))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := params.TableFromJS(js)
	if err != nil {
		t.Fatal(err)
	}
	var table struct{ Entries []struct{ Name string } }
	if err := json.Unmarshal(raw, &table); err != nil {
		t.Fatal(err)
	}
	for _, o := range fileOrigins(t) {
		t.Run(o.name, func(t *testing.T) {
			tb := newTab(t, 60*time.Second)
			tb.do(t, "open", chromedp.Navigate(o.url("teacher.html?colorProfile=projector")))
			names := waitFor[[]string](t, tb, "the table", `Array.prototype.map.call(document.querySelectorAll("[data-testid=param-row]"), function(r){ return r.getAttribute("data-param"); })`)
			var want []string
			for _, e := range table.Entries {
				want = append(want, e.Name)
			}
			if strings.Join(names, ",") != strings.Join(want, ",") {
				t.Errorf("table rows %v\nparams.js  %v", names, want)
			}
			if !eval[bool](t, tb, `document.documentElement.classList.contains("profile-projector") && parseFloat(getComputedStyle(document.documentElement).fontSize) > 16`) {
				t.Error("the projector profile did not apply")
			}
			links := eval[[]string](t, tb, `Array.prototype.map.call(document.querySelectorAll("[data-testid=activity-link]"), function(a){ return a.href; })`)
			if len(links) < 6 {
				t.Fatalf("%d activity links", len(links))
			}
			tb.do(t, "print media", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
				return err
			}))
			if !eval[bool](t, tb, `getComputedStyle(document.querySelector(".site-header")).display === "none" && getComputedStyle(document.getElementById("parameters").closest("section")).display === "none" && getComputedStyle(document.querySelector(".worksheet")).display !== "none"`) {
				t.Error("the print stylesheet does not keep only the worksheet")
			}
			tb.assertClean(t, o)
			// Each compare activity opens without warnings.
			for _, l := range links {
				u, _ := url.Parse(l)
				if !strings.HasSuffix(u.Path, "compare.html") {
					continue
				}
				lt := newTab(t, 90*time.Second)
				lt.do(t, "open "+l, chromedp.Navigate(l))
				waitFor[bool](t, lt, "results", `(function(){ var t = document.getElementById("results"); return !!t && !t.classList.contains("stale"); })()`)
				if eval[bool](t, lt, `!document.querySelector("[data-testid=param-warnings]").hidden`) {
					t.Errorf("%s: warnings %q", l, eval[string](t, lt, `document.querySelector("[data-testid=param-warnings]").textContent`))
				}
				lt.assertClean(t, o)
			}
		})
	}
}
