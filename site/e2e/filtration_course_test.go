//go:build !js

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"exosep/site"
	"exosep/site/browser"
)

// filtrationSnapshot is the filtration form's controls and the shown
// results (summary and per-step rows).
const filtrationSnapshot = `JSON.stringify({controls: Array.prototype.map.call(document.querySelectorAll("#filtration-form input, #filtration-form select"), function(c){ return c.id + "=" + (c.type === "radio" || c.type === "checkbox" ? c.checked : c.value); }),
  summary: document.getElementById("results-summary").textContent,
  rows: Array.prototype.map.call(document.querySelectorAll("[data-testid=stage-row] td"), function(c){ return c.textContent.trim(); })})`

// The share panel of ultrafiltration.html links to the form's state; the
// link opened in a new tab shows the same controls and the same results,
// without warnings, and the snippet embeds ultrafiltration-embed.html with
// allowfullscreen and an aspect ratio. The link's display settings
// (colorProfile, species) reach the membrane stage, whose state echoes
// them, and ride along in the share link.
func TestUFShareLinkReproducesState(t *testing.T) {
	o := fileOrigin(t)
	tb := openFiltration(t, o, "ultrafiltration.html?colorProfile=projector&species=exosome,albumin", false)
	waitFor[bool](t, tb, "the first result", `!!document.querySelector("[data-testid=yield]")`)
	shown := waitFor[string](t, tb, "a membrane stage state with the display settings", `(function(){ var s = (window.__stage || []).filter(function(m){ return m.type === "state" && m.state && m.state.filtration; });
	  var m = s.length ? s[s.length-1].state : null; return m && m.colorProfile ? m.colorProfile + "|" + (m.shown || []).join(",") : ""; })()`)
	if shown != "projector|exosome,albumin" {
		t.Errorf("membrane stage state display settings %q, want projector|exosome,albumin", shown)
	}
	tb.do(t, "choose 300 kDa, tangential flow, 80 kPa, CF 10, no clarification", chromedp.Evaluate[chromedp.Void](`(function(){
		var f = document.getElementById("filtration-form");
		function set(id, v){ var c = document.getElementById(id); c.value = v; c.dispatchEvent(new Event("input", {bubbles: true})); }
		set("fMembrane", "pes-300kda"); set("fTMP", "80"); set("fCF", "10");
		document.getElementById("fMode-tff").checked = true;
		document.getElementById("fClarify").checked = false;
		f.dispatchEvent(new Event("change", {bubbles: true}));
	})()`))
	waitFor[bool](t, tb, "the result for the new state", `(function(){ var r = document.querySelectorAll("[data-testid=stage-row]"); return r.length === 1 && r[0].querySelector("[data-testid=stage-tmp]").getAttribute("data-value") === "80" && r[0].textContent.indexOf("tangential") >= 0; })()`)
	link, snippet := shareLink(t, tb, "membrane=pes-300kda", "flow=tff", "tmpKPa=80", "concentrationFactor=10", "clarify=false", "colorProfile=projector", "species=exosome%2Calbumin")
	if !strings.HasPrefix(link, o.prefix+"ultrafiltration.html?") || strings.Contains(link, "volumeMl") {
		t.Errorf("share link %q (the default volume should not be in it)", link)
	}
	if !strings.Contains(snippet, `src="`+o.prefix+`ultrafiltration-embed.html?`) || !strings.Contains(snippet, "flow=tff") ||
		!strings.Contains(snippet, "allowfullscreen") || !strings.Contains(snippet, "aspect-ratio:4/3") {
		t.Errorf("snippet %q", snippet)
	}
	before := eval[string](t, tb, filtrationSnapshot)
	tb.assertClean(t, o)

	nt := newTab(t, 90*time.Second)
	nt.do(t, "open the link", chromedp.Navigate(link))
	waitFor[bool](t, nt, "the shared state's result", `(function(){ var r = document.querySelectorAll("[data-testid=stage-row]"); return r.length === 1 && r[0].querySelector("[data-testid=stage-tmp]").getAttribute("data-value") === "80"; })()`)
	if after := eval[string](t, nt, filtrationSnapshot); after != before {
		t.Errorf("the link does not reproduce the state:\nbefore %s\nafter  %s", before, after)
	}
	if eval[bool](t, nt, `!document.querySelector("[data-testid=param-warnings]").hidden`) {
		t.Errorf("the shared link produced warnings: %q", eval[string](t, nt, `document.querySelector("[data-testid=param-warnings]").textContent`))
	}
	nt.assertClean(t, o)
}

// Malformed URL parameters on the filtration pages show a polite,
// visible warning naming each, the defaults are used, and the page still
// computes its run; nothing is injected as HTML.
func TestFiltrationBadURLParams(t *testing.T) {
	o := fileOrigin(t)
	cases := []struct {
		file, q string
		warn    []string
		check   string
	}{
		{"ultrafiltration.html", "?membrane=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&flow=sideways&tmpKPa=-5&volumeMl=abc&concentrationFactor=1&clarify=maybe",
			[]string{"membrane=", "flow=", "tmpKPa=", "volumeMl=", "concentrationFactor=", "clarify="},
			`document.getElementById("fMembrane").value === "pes-100kda" && document.getElementById("fMode-deadend").checked && document.getElementById("fTMP").value === "" &&
			 document.getElementById("fVolume").value === "120" && document.getElementById("fCF").value === "20" && document.getElementById("fClarify").checked && !document.querySelector("img[src=x]")`},
		{"sequential-filtration.html", "?tmp1KPa=1e9&volumeMl=0&shearPerS=NaN&input=blood&diafiltrationVolumes=99",
			[]string{"tmp1KPa=", "volumeMl=", "shearPerS=", "input=", "diafiltrationVolumes="},
			`document.getElementById("fVolume").value === "1000" && document.getElementById("fShear").value === "" && document.getElementById("fInput").value === "msc-cm" && document.getElementById("fTMP1").value === document.getElementById("fTMP1").defaultValue`},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			tb := newTab(t, 90*time.Second)
			tb.do(t, "open", chromedp.Navigate(o.url(c.file+c.q)))
			tb.do(t, "scroll to the stage", chromedp.Evaluate[chromedp.Void](`document.querySelector("[data-testid=stage]").scrollIntoView()`))
			waitFor[bool](t, tb, "a result with the defaults", `!!document.querySelector("[data-testid=yield]")`)
			box := eval[string](t, tb, `(function(){ var b = document.querySelector("[data-testid=param-warnings]"); return b.hidden ? "" : b.textContent; })()`)
			for _, w := range c.warn {
				if !strings.Contains(box, w) {
					t.Errorf("warnings %q lack %s", box, w)
				}
			}
			if !strings.Contains(box, "the default is used instead") {
				t.Errorf("warnings %q do not say the default is used", box)
			}
			if !eval[bool](t, tb, c.check) {
				t.Errorf("the controls do not show the defaults: %s", eval[string](t, tb, filtrationSnapshot))
			}
			if eval[string](t, tb, `document.getElementById("error").textContent`) != "" {
				t.Errorf("the form shows an error: %q", eval[string](t, tb, `document.getElementById("error").textContent`))
			}
		})
	}
}

// The filtration embed pages inside a host page opened from file:// (in
// another folder) send ready and the result event with the engine's
// stages; a set from the host reruns with the new value, and a bad set is
// answered with an error naming the field.
func TestFiltrationEmbedInFileHost(t *testing.T) {
	o := fileOrigin(t)
	for _, c := range []struct{ embed, set, want string }{
		{"ultrafiltration-embed.html?volumeMl=50&hide=clarify&lock=flow", `{membrane: "pes-300kda"}`, `r.result.stages[r.result.stages.length-1].membrane_id === "pes-300kda"`},
		{"sequential-filtration-embed.html?volumeMl=200", `{tmp3KPa: 2}`, `r.result.stages[2].tmp_kpa === 2`},
	} {
		t.Run(c.embed, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "host.html"), []byte(hostPage(o.url(c.embed))), 0o644); err != nil {
				t.Fatal(err)
			}
			tb := newTab(t, 120*time.Second)
			tb.do(t, "open the host", chromedp.Navigate(browser.FileURL(dir, "host.html")))
			waitFor[bool](t, tb, "ready from the embed", `window.__host.some(function(m){ return m.exosep === 1 && m.type === "ready"; })`)
			res := waitFor[map[string]any](t, tb, "a result event", `(function(){ var r = window.__host.filter(function(m){ return m.type === "result"; }); return r.length ? r[r.length-1] : null; })()`)
			p, _ := res["params"].(map[string]any)
			r, _ := res["result"].(map[string]any)
			if p == nil || r == nil || r["stages"] == nil {
				t.Fatalf("result event %v", res)
			}
			if in, _ := r["protocol"].(map[string]any)["input"].(map[string]any); in == nil || in["volume_ml"] == nil {
				t.Errorf("result without its input: %v", r["protocol"])
			}
			n := eval[int](t, tb, `window.__host.length`)
			tb.do(t, "set by the host", chromedp.Evaluate[chromedp.Void](`send({exosep: 1, type: "set", params: `+c.set+`})`))
			waitFor[bool](t, tb, "the result for the host's value", `window.__host.slice(`+itoa(n)+`).some(function(r){ return r.type === "result" && (`+c.want+`); })`)
			n = eval[int](t, tb, `window.__host.length`)
			tb.do(t, "a bad set", chromedp.Evaluate[chromedp.Void](`send({exosep: 1, type: "set", params: {volumeMl: -1}})`))
			if f := waitFor[string](t, tb, "the error event", `(function(){ var e = window.__host.slice(`+itoa(n)+`).filter(function(m){ return m.type === "error"; }); return e.length ? e[0].field : ""; })()`); f != "volumeMl" {
				t.Errorf("error for field %q, want volumeMl", f)
			}
		})
	}
}

// The teacher's "DUC vs sequential filtration" link opens the comparison
// with both columns filled (the review's DUC protocol and the SF preset),
// without warnings.
func TestDUCvsSFActivity(t *testing.T) {
	o := fileOrigin(t)
	tb := newTab(t, 120*time.Second)
	tb.do(t, "open", chromedp.Navigate(o.url(site.DUCvsSFActivity)))
	waitFor[bool](t, tb, "the table filled", `(function(){ var t = document.getElementById("results"); return !!t && !t.classList.contains("stale"); })()`)
	yields := waitFor[[]string](t, tb, "both yields", `(function(){ var y = Array.prototype.map.call(document.querySelectorAll('#results tr[data-row="yield"] td:not([hidden])'), function(c){ return c.textContent.trim(); }); return y.length === 2 && y.every(function(s){ return /\d/.test(s); }) ? y : null; })()`)
	if yields[0] == yields[1] {
		t.Errorf("yields %v: want the two methods to differ", yields)
	}
	if eval[bool](t, tb, `!document.querySelector("[data-testid=param-warnings]").hidden`) {
		t.Errorf("warnings %q", eval[string](t, tb, `document.querySelector("[data-testid=param-warnings]").textContent`))
	}
	tb.assertClean(t, o)
}
