//go:build !js

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"exosep/site/browser"
)

// gradientSnapshot is the form and the fraction table, as text.
const gradientSnapshot = `JSON.stringify({form: Array.prototype.map.call(document.querySelectorAll("#gradient-form input, #gradient-form select"), function(c){
    return c.name + "=" + (c.type === "radio" || c.type === "checkbox" ? c.checked : c.value); }),
  rows: Array.prototype.map.call(document.querySelectorAll("[data-testid=fraction-row]"), function(r){ return r.textContent; })})`

// A link from gradient.html's share panel reproduces the state (form,
// fractions, display settings), and its iframe snippet points at
// gradient-embed.html with the same state, allowfullscreen and an aspect
// ratio.
func TestGradientShareLinkReproducesState(t *testing.T) {
	o := fileOrigin(t)
	tb := openGradient(t, o, "?colorProfile=projector&species=exosome,hdl", false)
	seq := waitTable(t, tb, "the first run", 0)
	tb.do(t, "change mode, medium, time", chromedp.Evaluate[chromedp.Void](`(function(){
		document.getElementById("gMode-rz").checked = true;
		var set = function(id, v){ var c = document.getElementById(id); c.value = v; c.dispatchEvent(new Event("change", {bubbles: true})); };
		set("gMedium", "sucrose"); set("gFrom", "1.02"); set("gTo", "1.08"); set("gHours", "1.5"); set("gFractions", "10");
	})()`))
	waitTable(t, tb, "the changed run", seq)
	link := waitFor[string](t, tb, "the share link", `(function(){ var v = document.querySelector("[data-testid=share-link]").value; return v.indexOf("gHours=1.5") >= 0 && v.indexOf("gMode=rate-zonal") >= 0 ? v : ""; })()`)
	for _, want := range []string{o.prefix + "gradient.html?", "gMedium=sucrose", "gFractions=10", "colorProfile=projector", "species=exosome%2Chdl"} {
		if !strings.Contains(link, want) {
			t.Errorf("share link %q lacks %q", link, want)
		}
	}
	snippet := eval[string](t, tb, `document.querySelector("[data-testid=share-snippet]").value`)
	if !strings.Contains(snippet, `src="`+o.prefix+`gradient-embed.html?`) || !strings.Contains(snippet, "gHours=1.5") ||
		!strings.Contains(snippet, "allowfullscreen") || !strings.Contains(snippet, "aspect-ratio:4/3") {
		t.Errorf("snippet %q", snippet)
	}
	before := eval[string](t, tb, gradientSnapshot)
	tb.assertClean(t, o)

	nt := openRecorded(t, link)
	waitTable(t, nt, "the shared run", 0)
	if after := eval[string](t, nt, gradientSnapshot); after != before {
		t.Errorf("the shared link does not reproduce the state:\nbefore %s\nafter  %s", before, after)
	}
	if eval[bool](t, nt, `!document.querySelector("[data-testid=param-warnings]").hidden`) {
		t.Error("the shared link produced warnings")
	}
	if !eval[bool](t, nt, `document.documentElement.classList.contains("profile-projector")`) {
		t.Error("the shared link lost the colour profile")
	}
	// The stage received the display settings: its state echoes them.
	shown := waitFor[string](t, nt, "a stage state with the display settings", `(function(){ var s = (window.__msgs || []).filter(function(m){ return m.m && m.m.type === "state" && m.m.state && m.m.state.phase; });
	  var m = s.length ? s[s.length-1].m.state : null; return m && m.colorProfile ? m.colorProfile + "|" + (m.shown || []).join(",") : ""; })()`)
	if shown != "projector|exosome,hdl" {
		t.Errorf("stage state display settings %q, want projector|exosome,hdl", shown)
	}
	nt.assertClean(t, o)
}

// gradient-embed.html inside a host page opened from file:// (another
// folder) runs; the host receives ready and the result event, drives it
// with set, and a malformed set is answered with an error, not obeyed.
func TestGradientEmbedInFileHost(t *testing.T) {
	o := fileOrigin(t)
	dir := t.TempDir()
	embed := o.url("gradient-embed.html?gMode=rate-zonal&gMedium=sucrose&gFrom=1.02&gTo=1.08&gHours=1&reducedMotion=true")
	if err := os.WriteFile(filepath.Join(dir, "host.html"), []byte(hostPage(embed)), 0o644); err != nil {
		t.Fatal(err)
	}
	tb := newTab(t, 120*time.Second)
	tb.do(t, "open the host", chromedp.Navigate(browser.FileURL(dir, "host.html")))
	waitFor[bool](t, tb, "ready from the embed", `window.__host.some(function(m){ return m.exosep === 1 && m.type === "ready"; })`)
	res := waitFor[map[string]any](t, tb, "a result event", `(function(){ var r = window.__host.filter(function(m){ return m.type === "result"; }); return r.length ? r[r.length-1] : null; })()`)
	if r, _ := res["result"].(map[string]any); r == nil || r["mode"] != "rate-zonal" || r["minutes"] != 60.0 {
		t.Errorf("result event %v", res["result"])
	}
	waitFor[bool](t, tb, "a done event (reduced motion: the end at once)", `window.__host.some(function(m){ return m.type === "done" && m.result && m.state && m.state.done; })`)

	n := eval[int](t, tb, `window.__host.length`)
	tb.do(t, "bad set, then a good one", chromedp.Evaluate[chromedp.Void](`send({exosep: 1, type: "set", params: {gHours: "long"}});
		send({exosep: 1, type: "set", params: {gMode: "isopycnic", gMedium: "iodixanol", gFrom: 1.05, gTo: 1.25, gHours: 2}});`))
	got := waitFor[map[string]any](t, tb, "the result for the host's settings", `(function(){ var r = window.__host.slice(`+itoa(n)+`).filter(function(m){ return m.type === "result" && m.result.mode === "isopycnic"; }); return r.length ? r[0].result : null; })()`)
	if got["minutes"] != 120.0 || got["medium"] != "iodixanol" {
		t.Errorf("result after set: minutes %v, medium %v", got["minutes"], got["medium"])
	}
	errs := eval[[]string](t, tb, `window.__host.slice(`+itoa(n)+`).filter(function(m){ return m.type === "error"; }).map(function(m){ return m.field; })`)
	if strings.Join(errs, ",") != "gHours" {
		t.Errorf("error events %v, want gHours", errs)
	}
	tb.assertOnly(t, o.prefix, browser.FileURL(dir, ""))
}

// gradient-embed.html takes a lesson's settings as the other embeds do:
// the title is shown, hidden controls are gone, locked ones are disabled
// (and so are the example buttons, which would set them), and with
// autoplay=false the computed run waits at t = 0 until Play. A control
// the page lacks (membrane) is named in a visible warning with the
// page's own controls; the rest of the list still applies.
func TestGradientEmbedLessonSettings(t *testing.T) {
	o := fileOrigin(t)
	tb := openPage(t, o, "gradient-embed.html?gHours=1&title=Lesson+4%3A+HDL&hide=rotor,fractions&lock=speed,membrane&autoplay=false", false, 120*time.Second)
	waitTable(t, tb, "the first run", 0)
	if got := eval[string](t, tb, `(function(){ var h = document.getElementById("embed-title"); return h.classList.contains("visually-hidden") ? "" : h.textContent; })()`); got != "Lesson 4: HDL" {
		t.Errorf("visible title %q, want Lesson 4: HDL", got)
	}
	for _, c := range []struct{ what, expr string }{
		{"rotor and fractions hidden", `["rotor", "fractions"].every(function(n){ var b = document.querySelector("[data-control=" + n + "]"); return b.hidden && !b.offsetParent; })`},
		{"speed locked", `["gSpeed", "gSpeedMode-rcf", "gSpeedMode-rpm"].every(function(id){ return document.getElementById(id).disabled; })`},
		{"the examples locked with it", `document.getElementById("example-rz").disabled && document.getElementById("example-ip").disabled`},
		{"the rest free", `["gMode-rz", "gMedium", "gShape", "gHours"].every(function(id){ return !document.getElementById(id).disabled; }) && !document.querySelector("[data-control=medium]").hidden`},
	} {
		if !eval[bool](t, tb, c.expr) {
			t.Errorf("%s: not so", c.what)
		}
	}
	// The host API's values carry the lesson's settings (its query
	// reproduces the embed); the full page's link drops them.
	if got := eval[string](t, tb, `(function(){ var v = window.exosepGradient.values(); return [v.title, v.hide.join(","), v.lock.join(","), v.autoplay].join("|"); })()`); got != "Lesson 4: HDL|rotor,fractions|speed|false" {
		t.Errorf("embed values %q", got)
	}
	if q := eval[string](t, tb, `window.exosepGradient.query()`); strings.Contains(q, "hide=") || !strings.Contains(q, "gHours=1") {
		t.Errorf("gradient.html link %q: want gHours=1 and no embed settings", q)
	}
	warn := eval[string](t, tb, `(function(){ var w = document.querySelector("[data-testid=param-warnings]"); return w.hidden ? "" : w.textContent; })()`)
	for _, want := range []string{"lock=speed,membrane", "ignored membrane", "allowed: rotor, speed, minutes, medium"} {
		if !strings.Contains(warn, want) {
			t.Errorf("warning %q lacks %q", warn, want)
		}
	}
	// autoplay=false: after the result the stage is reset (paused at 0)
	// and stays so until Play. A state a tenth of the way into the 60 min
	// spin (a milestone) means it played on instead (-1: fail at once).
	waitAt := waitFor[int](t, tb, "the run reset to t = 0", `(function(){ var ms = window.__stage, r = -1;
	  for (var i = 0; i < ms.length; i++) { if (ms[i].type === "gradientResult") { r = i; }
	    if (r < 0 || i <= r || ms[i].type !== "state" || !ms[i].state.phase) { continue; }
	    if (!ms[i].state.playing && ms[i].state.minutes === 0) { return i + 1; }
	    if (ms[i].state.minutes >= 6) { return -1; } }
	  return 0; })()`)
	if waitAt < 0 {
		t.Fatal("autoplay=false: the run played on after its result")
	}
	if s := eval[string](t, tb, `document.querySelector("[data-testid=stage-status]").textContent`); !strings.Contains(s, "press Play") {
		t.Errorf("stage status %q does not ask for Play", s)
	}
	n := eval[int](t, tb, `window.__stage.length`)
	if eval[bool](t, tb, `window.__stage.slice(`+itoa(waitAt)+`).some(function(m){ return m.type === "state" && m.state.playing; })`) {
		t.Error("the stage played on before Play was pressed")
	}
	tb.do(t, "press Play", chromedp.Click(chromedp.CSS("[data-testid=play]")))
	waitFor[bool](t, tb, "the spin after Play", `window.__stage.slice(`+itoa(n)+`).some(function(m){ return m.type === "state" && m.state.phase && m.state.playing; })`)
	tb.assertClean(t, o)
}

// Malformed g… parameters show a polite warning naming each, and the
// defaults are used; the page still computes a run.
func TestGradientBadURLParams(t *testing.T) {
	o := fileOrigin(t)
	tb := openGradient(t, o, "?gMode=sideways&gHours=-3&gFractions=2.5&gMedium=%3Cscript%3E&gSpeed=NaN&reducedMotion=maybe&species=unicorn", false)
	waitTable(t, tb, "a run with the defaults", 0)
	warn := eval[string](t, tb, `(function(){ var w = document.querySelector("[data-testid=param-warnings]"); return w.hidden ? "" : w.textContent; })()`)
	for _, k := range []string{"gMode=sideways", "gHours=-3", "gFractions=2.5", "gMedium=", "gSpeed=NaN", "reducedMotion=maybe"} {
		if !strings.Contains(warn, k) {
			t.Errorf("warnings %q do not name %s", warn, k)
		}
	}
	form := eval[string](t, tb, `[document.getElementById("gMode-ip").checked, document.getElementById("gHours").value, document.getElementById("gFractions").value,
		document.getElementById("gMedium").value, document.getElementById("gSpeed").value].join("|")`)
	if form != "true|16|12|iodixanol|100000" {
		t.Errorf("form %q, want the defaults true|16|12|iodixanol|100000", form)
	}
	tb.assertClean(t, o)
}

// The teacher's HDL activity opens gradient.html in the prepared state,
// without warnings: the isopycnic link puts HDL in the exosome-rich
// fractions, the rate-zonal one keeps HDL out of them.
func TestGradientActivityLinks(t *testing.T) {
	o := fileOrigin(t)
	tb := newTab(t, 180*time.Second)
	tb.do(t, "open teacher.html", chromedp.Navigate(o.url("teacher.html")))
	hrefs := eval[[]string](t, tb, `Array.prototype.map.call(document.querySelectorAll('#activity-hdl-gradient a[data-testid=activity-link]'), function(a){ return a.href; })`)
	if len(hrefs) != 2 {
		t.Fatalf("HDL activity links %v, want 2", hrefs)
	}
	for i, href := range hrefs {
		nt := newTab(t, 180*time.Second)
		nt.do(t, "open the activity link", chromedp.Navigate(href))
		waitTable(t, nt, "the prepared run", 0)
		if eval[bool](t, nt, `!document.querySelector("[data-testid=param-warnings]").hidden`) {
			t.Errorf("%s: warnings %q", href, eval[string](t, nt, `document.querySelector("[data-testid=param-warnings]").textContent`))
		}
		if e := eval[string](t, nt, `document.getElementById("error").textContent`); e != "" {
			t.Errorf("%s: the run was refused: %s", href, e)
		}
		hdlRich := eval[float64](t, nt, `(function(){ var s = 0; document.querySelectorAll("[data-testid=fraction-row].exosome-rich td[data-c=hdl]").forEach(function(td){ s += parseFloat(td.getAttribute("data-value")); }); return s; })()`)
		exoRich := eval[float64](t, nt, `(function(){ var s = 0; document.querySelectorAll("[data-testid=fraction-row].exosome-rich td[data-c=exosome]").forEach(function(td){ s += parseFloat(td.getAttribute("data-value")); }); return s; })()`)
		if !(exoRich > 0) {
			t.Errorf("%s: no exosomes in the exosome-rich fractions", href)
		}
		if isopycnic := i == 0; isopycnic && !(hdlRich > 1000*exoRich) {
			t.Errorf("%s: HDL %g in the exosome-rich fractions, exosomes %g: HDL does not co-band", href, hdlRich, exoRich)
		} else if !isopycnic && hdlRich != 0 {
			t.Errorf("%s: HDL %g in the exosome-rich fractions of the rate-zonal run", href, hdlRich)
		}
		nt.assertClean(t, o)
	}
}
