/* ExoSep filtration pages (ultrafiltration.html, sequential-filtration.html).
 *
 * Reads the form, builds a protocol of filter and ultrafilter steps and
 * sends it to the stage iframe (stage.html) as a "filtration" message
 * (wasm/bridge/filtration.go):
 *
 *   page → stage  {exosep: 1, type: "filtration", seq, protocol, volumeMl,
 *                  compare: [preset ids], animation: {particles, reducedMotion,
 *                  colorProfile, species?}},
 *                 play, pause, reset
 *   stage → page  filtrationResult {seq, result: {protocol, stages, comparison}},
 *                 filtrationError {seq, field, message, problems},
 *                 state {state: {filtration: {stage, phase, minutes, flux_lmh,
 *                 permeate_ml, species: [...]}}}
 *
 * The engine validates; every problem it names is shown under its control
 * and in the alert above the form, and the stage keeps showing the last
 * good run. Only the answer to the latest request is shown. The plot of
 * flux and permeate is drawn from the run's series (inline SVG) with a
 * time cursor moved by the stage's state messages. Plain ES2017, no
 * modules, nothing from the network.
 *
 * The URL is read with static/params.js (ExoSepParams, the one schema:
 * membrane, flow, tmpKPa, volumeMl, concentrationFactor, …); a bad value
 * is named in a polite notice and its default used. Values "not set" in
 * the schema are the page's own defaults (the form as rendered). The
 * "Share / embed" panel (static/share.js) links to the form's state, keys
 * are static/keys.js. The same script drives the embed pages
 * (ultrafiltration-embed.html, sequential-filtration-embed.html: body
 * data-embed), which also take title, hide, lock and autoplay and answer
 * the host page through static/host-api.js (set, play, pause, reset, get →
 * ready, params, result, state, done, error). The stage is driven through
 * static/stage-client.js (ExoSepStage.connect, sendRun); number fields,
 * problems, the plot's elements and the embed settings (title, hide, lock,
 * fullscreen) are static/form.js's.
 */
(function () {
  "use strict";

  var $ = function (id) { return document.getElementById(id); };
  var root = document.querySelector("[data-filtration]");
  var form = $("filtration-form");
  var iframe = $("stage");
  var S = window.ExoSepStage;
  var Fm = window.ExoSepForm;
  if (!root || !form || !iframe || !S || !Fm) { return; }
  var KIND = root.getAttribute("data-filtration"); // uf | sf
  var F = window.ExoSepFormat;
  var P = window.ExoSepParams;
  var H = window.ExoSepHost;
  var EMBED = document.body.hasAttribute("data-embed");
  var FULL = KIND === "uf" ? "ultrafiltration.html" : "sequential-filtration.html";
  var PAGE = EMBED ? document.body.getAttribute("data-page") : FULL;
  var COMPARE = ["nikfarjam2020", "thery2006"];
  var prefersReduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  var LABELS = {
    input: "Sample", volumeMl: "Volume", membrane: "Membrane", mwco_kda: "Membrane", mode: "Mode", module: "Mode",
    tmp_kpa: "Pressure", concentration_factor: "Concentration factor", final_volume_ml: "Concentration factor",
    diafiltration_volumes: "Diafiltration volumes", shear_rate_per_s: "Cross-flow shear rate", pore_um: "Filter",
    steps: "Steps", filtration: "Filtration", kind: "Step"
  };
  var NAMES = {
    cell: "cells", "apoptotic-body": "apoptotic bodies", microvesicle: "microvesicles", exosome: "exosomes",
    albumin: "albumin", "protein-aggregate": "protein aggregates", hdl: "HDL", ldl: "LDL", vldl: "VLDL", chylomicron: "chylomicrons"
  };

  var st = { result: null, shownStage: -1, minutes: 0, playing: false, doneSent: false, announced: "", first: true };

  function ctl(name) { return form.elements[name]; }
  function radio(name) {
    var r = form.querySelector("input[name=" + name + "]:checked");
    return r ? r.value : "";
  }

  // ---- URL parameters (the schema) ⇄ form ----------------------------

  // Form controls of the schema's parameters: [name, control, kind].
  var FIELDS = (KIND === "uf" ? [
    ["membrane", "fMembrane", "select"], ["flow", "fMode", "radio"], ["tmpKPa", "fTMP", "number"],
    ["clarify", "fClarify", "check"], ["cascade", "fLargeFirst", "check"]
  ] : [
    ["tmp1KPa", "fTMP1", "number"], ["tmp2KPa", "fTMP2", "number"], ["tmp3KPa", "fTMP3", "number"]
  ]).concat([
    ["input", "fInput", "select"], ["volumeMl", "fVolume", "number"], ["concentrationFactor", "fCF", "number"],
    ["diafiltrationVolumes", "fDia", "number"], ["shearPerS", "fShear", "number"]
  ]);
  var initial = {}; // the form as rendered: the page's defaults
  FIELDS.forEach(function (f) {
    var c = ctl(f[1]);
    initial[f[0]] = f[2] === "radio" ? radio(f[1]) : f[2] === "check" ? c.checked : String(c.value);
  });
  function writeForm(vals) {
    FIELDS.forEach(function (f) {
      var v = vals[f[0]];
      if (v === undefined) { return; }
      if (v === null) { v = initial[f[0]]; }
      var c = ctl(f[1]);
      if (f[2] === "radio") {
        var r = form.querySelector("input[name=" + f[1] + "][value=\"" + String(v) + "\"]");
        if (r) { r.checked = true; }
      } else if (f[2] === "check") {
        c.checked = !!v;
      } else {
        c.value = String(v);
      }
    });
  }
  // formValues are the form's values by schema name: a number equal to
  // the page's default, or empty, or not a number, is null (not set).
  function formValues() {
    var out = {};
    FIELDS.forEach(function (f) {
      var c = ctl(f[1]);
      if (f[2] === "radio") { out[f[0]] = radio(f[1]); return; }
      if (f[2] === "check") { out[f[0]] = c.checked; return; }
      if (f[2] === "select") { out[f[0]] = c.value; return; }
      var raw = String(c.value).trim();
      out[f[0]] = raw === "" || raw === initial[f[0]] || !isFinite(Number(raw)) ? null : Number(raw);
    });
    return out;
  }
  var search = window.location.search;
  var parsed = P ? P.parse(search, PAGE) : { values: {}, warnings: [], ignored: [] };
  if (P) { P.showWarnings($("param-warnings"), parsed.warnings); }
  if (parsed.ignored.length) { console.info("ExoSep: URL keys not used by this page: " + parsed.ignored.join(", ")); }
  var cur = parsed.values;
  var rmGiven = new URLSearchParams(search).has("reducedMotion");
  writeForm(cur);
  function values() {
    var v = JSON.parse(JSON.stringify(cur));
    var fv = formValues();
    Object.keys(fv).forEach(function (k) { v[k] = fv[k]; });
    return v;
  }
  function reducedMotion() { return rmGiven ? !!cur.reducedMotion : !!(cur.reducedMotion || prefersReduced); }
  function animation() {
    var a = { particles: cur.filtrationParticles || 600, reducedMotion: reducedMotion() };
    if (cur.filtrationTimeScale) { a.timeScale = cur.filtrationTimeScale; }
    if (cur.seed) { a.seed = cur.seed; }
    // The display settings of the link (schema values; no controls on the
    // page): the palette, and the species drawn (sent only when some are
    // left out: none given means all).
    if (cur.colorProfile) { a.colorProfile = cur.colorProfile; }
    if (cur.species && P && cur.species.length < P.table.species.length) { a.species = cur.species; }
    return a;
  }

  function number(name, field, required, problems) { return Fm.number(ctl(name), field, required, problems); }

  // read returns {protocol, volumeMl, problems}.
  function read() {
    var problems = [];
    var vol = number("fVolume", "volumeMl", true, problems);
    var input = ctl("fInput").value;
    var steps = [];
    if (KIND === "uf") {
      var mode = radio("fMode");
      var tmp = number("fTMP", "tmp_kpa", false, problems);
      var cf = number("fCF", "concentration_factor", true, problems);
      var dia = number("fDia", "diafiltration_volumes", false, problems);
      var shear = mode === "tff" ? number("fShear", "shear_rate_per_s", false, problems) : null;
      var mem = ctl("fMembrane");
      var uf = function (name, membrane, factor) {
        var s = { kind: "ultrafilter", name: name, membrane: membrane, mode: mode, concentration_factor: factor };
        if (tmp !== null) { s.tmp_kpa = tmp; }
        if (shear !== null) { s.shear_rate_per_s = shear; }
        return s;
      };
      if (ctl("fClarify").checked) { steps.push({ kind: "filter", name: "0.22 \u00b5m filtration", pore_um: 0.22 }); }
      var modeName = mode === "tff" ? "tangential flow" : "dead-end";
      if (ctl("fLargeFirst").checked) {
        steps.push(uf("1000 kDa " + modeName + ", 4\u00d7", "pes-1000kda", 4));
        if (cf !== null) { cf = cf / 4; }
      }
      var last = uf(mem.options[mem.selectedIndex].text + ", " + modeName + (cf !== null ? ", " + F.sci(cf) + "\u00d7" : ""), mem.value, cf);
      if (dia !== null && dia !== 0) { last.diafiltration_volumes = dia; }
      steps.push(last);
    } else {
      var t1 = number("fTMP1", "steps[1].tmp_kpa", true, problems);
      var t2 = number("fTMP2", "steps[2].tmp_kpa", true, problems);
      var t3 = number("fTMP3", "steps[3].tmp_kpa", true, problems);
      var cf2 = number("fCF", "steps[2].concentration_factor", true, problems);
      var dia2 = number("fDia", "steps[2].diafiltration_volumes", false, problems);
      var sh2 = number("fShear", "steps[2].shear_rate_per_s", false, problems);
      var s2 = { kind: "ultrafilter", name: "500 kDa TFF: concentrate and diafilter", membrane: "pes-500kda", mode: "tff", module: "hollow-fibre-process", tmp_kpa: t2, concentration_factor: cf2 };
      if (dia2 !== null && dia2 !== 0) { s2.diafiltration_volumes = dia2; }
      if (sh2 !== null) { s2.shear_rate_per_s = sh2; }
      steps = [
        { kind: "filter", name: "100 nm dead-end filtration", membrane: "pes-0.1um", module: "disc-142mm", tmp_kpa: t1 },
        s2,
        { kind: "filter", name: "100 nm track-etch filtration at very low pressure", membrane: "te-0.1um", module: "disc-142mm", tmp_kpa: t3 }
      ];
    }
    var name = KIND === "uf" ? "Ultrafiltration (this page)" : "Sequential filtration (this page)";
    return { protocol: { name: name, input: input, steps: steps }, volumeMl: vol, problems: problems };
  }

  // ---- Problems --------------------------------------------------------

  function baseField(f) { return String(f || "").replace(/^steps\[\d+\]\./, "").replace(/^filtration\./, ""); }
  var problems = Fm.problems({
    form: form, box: $("error"), results: $("results"), labels: LABELS, base: baseField,
    head: function () { return "The run was not computed; the stage keeps the last good one."; }
  });

  // ---- Stage -----------------------------------------------------------

  function run() {
    var r = read();
    if (r.problems.length) { problems.show(r.problems); return; }
    problems.clear();
    if (!client.ready) { return; } // sent on ready
    $("stage-status").textContent = "Computing the run\u2026";
    var msg = { protocol: r.protocol, volumeMl: r.volumeMl, animation: animation() };
    if (!EMBED) { msg.compare = COMPARE; }
    client.sendRun("filtration", msg);
    st.doneSent = false;
    if (openFull) { openFull.setAttribute("href", FULL + (P ? P.query(values(), FULL) : "")); }
  }

  // Any change recomputes (debounced); Run and Enter recompute at once.
  var timer = 0;
  form.addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
  form.addEventListener("change", function () {
    showTFF();
    clearTimeout(timer);
    timer = setTimeout(run, 250);
  });
  form.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && ev.target.tagName === "INPUT") { ev.preventDefault(); run(); }
  });
  $("run").addEventListener("click", run);
  function play() { client.play(); st.playing = true; }
  function pause() { client.pause(); st.playing = false; }
  function reset() { client.reset(); st.playing = false; st.announced = ""; }
  $("play").addEventListener("click", play);
  $("pause").addEventListener("click", pause);
  $("reset").addEventListener("click", reset);
  if (window.ExoSepKeys) { window.ExoSepKeys.install({ toggle: function () { if (st.playing) { pause(); } else { play(); } }, reset: reset }); }
  var openFull = $("open-full");

  // ---- Share / embed panel (full pages) ----
  var panel = document.querySelector("[data-share]");
  if (panel && window.ExoSepShare) {
    window.ExoSepShare.attach(panel, function () { return { values: values() }; });
  }

  // ---- Embed pages: title, hide, lock, fullscreen, host API ----
  var host = { post: function () {} };
  if (EMBED) {
    Fm.embed(cur);
    if (H && P) {
      host = H.start({
        set: function (changes) {
          var m = P.merge(values(), changes, PAGE, null);
          if (!m.ok) { return m; }
          cur = m.values;
          writeForm(cur);
          showTFF();
          run();
          host.post("params", { params: values(), query: P.query(values(), PAGE) });
          return m;
        },
        play: play, pause: pause, reset: reset,
        get: function () { host.post("params", { params: values(), query: P.query(values(), PAGE) }); }
      });
    }
  }

  function showTFF() {
    var tff = KIND !== "uf" || radio("fMode") === "tff";
    form.querySelectorAll("[data-tff-only]").forEach(function (el) { el.hidden = !tff; });
  }
  showTFF();

  var client = S.connect(iframe, {
    ready: function () {
      $("stage-status").textContent = "The animation is ready.";
      run();
      host.post("ready", { params: values() });
    },
    runResult: function (result) {
      st.result = result;
      st.shownStage = -1;
      problems.clear();
      $("results").classList.remove("stale");
      render(result);
      st.playing = true;
      // autoplay=false (embed): the first run waits at t = 0 for Play.
      if (st.first) {
        st.first = false;
        if (EMBED && cur.autoplay === false) { client.reset(); client.pause(); st.playing = false; }
      }
      host.post("result", { params: values(), result: result });
      $("stage-status").textContent = prefersReduced ? "Computed; reduced motion: the stage shows the end of the last membrane step." : "Computed; the stage shows each membrane step in turn.";
    },
    runError: function (list) {
      problems.show(list);
      $("stage-status").textContent = "The run was refused; the stage shows the last good run.";
    },
    state: function (state) {
      st.playing = state.playing;
      if (state.filtration) { onState(state.filtration); }
    },
    error: function (field, message) {
      $("stage-status").textContent = "The animation could not start (" + message + ").";
    }
  });

  // ---- Results ---------------------------------------------------------

  var el = Fm.el;
  function pct(x) { return F.percent(x) + " %"; }
  function speciesOf(stage, id) {
    for (var i = 0; i < stage.species.length; i++) { if (stage.species[i].id === id) { return stage.species[i]; } }
    return null;
  }
  function numCell(tr, value, text, testid) {
    var td = el("td", { "class": "num", "data-value": String(value) }, text);
    if (testid) { td.setAttribute("data-testid", testid); }
    tr.appendChild(td);
    return td;
  }

  function render(r) {
    var fin = r.protocol.final;
    var membraneMin = r.stages.reduce(function (a, s) { return a + s.minutes; }, 0);
    var sum = $("results-summary");
    sum.textContent = "";
    sum.appendChild(document.createTextNode("Exosome yield "));
    sum.appendChild(el("strong", { "data-testid": "yield", "data-value": String(fin.exosome_yield_fraction) }, pct(fin.exosome_yield_fraction)));
    sum.appendChild(document.createTextNode(" of the sample's, " + pct(fin.exosome_intact_fraction) + " of them intact (damaged " + pct(1 - fin.exosome_intact_fraction) +
      "); purity " + F.sci(fin.particles_per_ug_protein) + " particles/\u00b5g protein (" + fin.purity.class + "); time "));
    sum.appendChild(el("strong", { "data-testid": "total-minutes", "data-value": String(fin.total_minutes) }, F.minutes(fin.total_minutes) + " min"));
    sum.appendChild(document.createTextNode(" in all, " + F.minutes(membraneMin) + " min of it filtering, for " + F.int(r.protocol.input.volume_ml) + " mL of " + r.protocol.input.name + "."));

    var body = $("stage-rows") || document.createElement("tbody"); // the embed pages have no table
    body.textContent = "";
    var warn = $("warnings");
    warn.textContent = "";
    r.stages.forEach(function (s, k) {
      var tr = el("tr", { "data-testid": "stage-row", "data-step": String(s.step) });
      tr.appendChild(el("th", { scope: "row" }, s.step + ". " + s.name));
      tr.appendChild(el("td", {}, s.membrane + ", " + (s.mode === "tff" ? "tangential flow" : "dead-end") + (s.clogged ? " (clogged)" : "")));
      numCell(tr, s.tmp_kpa, F.sci(s.tmp_kpa), "stage-tmp");
      numCell(tr, s.minutes, F.minutes(s.minutes), "stage-minutes");
      var fl = numCell(tr, s.flux_lmh_initial, F.sci(s.flux_lmh_initial) + " \u2192 " + F.sci(s.flux_lmh_final), "stage-flux");
      fl.setAttribute("data-final", String(s.flux_lmh_final));
      numCell(tr, s.permeate_ml, F.sci(s.permeate_ml) + " / " + F.sci(s.retentate_ml), "stage-volumes");
      var ex = speciesOf(s, "exosome");
      numCell(tr, ex ? ex.passed_fraction : 0, ex ? [ex.passed_fraction, ex.retained_fraction, ex.trapped_fraction, ex.damaged_fraction].map(pct).join(" / ") : "\u2013", "stage-exosomes");
      var al = speciesOf(s, "albumin");
      numCell(tr, al ? al.passed_fraction : 0, al ? pct(al.passed_fraction) : "\u2013");
      body.appendChild(tr);
      (s.warnings || []).forEach(function (w) { warn.appendChild(el("li", {}, "Step " + s.step + ": " + w)); });
      if (k === 0) { drawPlot(s); st.shownStage = 0; }
    });

    var cb = $("compare-rows") || document.createElement("tbody");
    cb.textContent = "";
    var rows = [{ name: r.protocol.protocol, exosome_yield_fraction: fin.exosome_yield_fraction, exosome_intact_fraction: fin.exosome_intact_fraction,
      particles_per_ug_protein: fin.particles_per_ug_protein, purity_class: fin.purity.class, total_minutes: fin.total_minutes, self: true }].concat(r.comparison || []);
    rows.forEach(function (c) {
      var tr = el("tr", { "data-testid": "compare-row", "data-preset": c.preset || "this" });
      tr.appendChild(el("th", { scope: "row" }, c.name));
      numCell(tr, c.exosome_yield_fraction, pct(c.exosome_yield_fraction));
      numCell(tr, c.exosome_intact_fraction, pct(c.exosome_intact_fraction));
      numCell(tr, c.particles_per_ug_protein, F.sci(c.particles_per_ug_protein) + " (" + c.purity_class + ")");
      numCell(tr, c.total_minutes, F.minutes(c.total_minutes));
      cb.appendChild(tr);
    });
  }

  // ---- Live description -------------------------------------------------

  function onState(f) {
    if (!st.result) { return; }
    var k = f.stage - 1;
    if (k !== st.shownStage && st.result.stages[k]) {
      st.shownStage = k;
      drawPlot(st.result.stages[k]);
    }
    moveCursor(f.minutes);
    var parts = f.species.filter(function (s) { return s.drawn > 0; }).map(function (s) {
      var n = s.drawn;
      return (NAMES[s.id] || s.id) + " " + Math.round(100 * s.passed / n) + " % passed, " + Math.round(100 * s.retained / n) + " % retained, " +
        Math.round(100 * s.trapped / n) + " % trapped" + (s.damaged ? " (" + Math.round(100 * s.damaged / n) + " % damaged)" : "");
    });
    var head = f.phase === "done" ? "Done. Last membrane step (" + f.step + " of " + f.of + ", " + f.name + ")" :
      "Step " + f.step + " of " + f.of + " (" + f.name + "), " + f.phase;
    var text = head + ": " + F.minutes(f.minutes) + " min, flux " + F.sci(f.flux_lmh) + " L m\u207b\u00b2 h\u207b\u00b9, permeate " +
      F.sci(f.permeate_ml) + " mL" + (f.cake_thickness_nm > 0 ? ", deposit " + F.sci(f.cake_thickness_nm) + " nm thick" : "") +
      (f.pores_blocked_fraction > 0 ? ", " + pct(f.pores_blocked_fraction) + " of pores plugged" : "") +
      ". Of the particles shown so far: " + parts.join("; ") + ".";
    // Announce politely at milestones only (a new step or phase, a tenth of a step).
    var sr = st.result.stages[f.stage - 1];
    var key = f.step + "/" + f.phase + "/" + (sr && sr.minutes > 0 ? Math.floor(10 * f.minutes / sr.minutes) : 0);
    if (f.phase === "done") { key = "done"; }
    if (key !== st.announced) {
      st.announced = key;
      $("description").textContent = text;
      host.post("state", { state: f, description: text });
    }
    if (f.phase !== "done") {
      st.doneSent = false;
    } else if (!st.doneSent) {
      st.doneSent = true;
      host.post("done", { params: values(), result: st.result, state: f });
    }
  }

  // ---- Plot (inline SVG) --------------------------------------------------

  var plot = { W: 640, H: 260, L: 56, R: 60, T: 14, B: 40, tmax: 1 };
  var s = Fm.svg;
  function drawPlot(stage) {
    var svg = $("plot");
    if (!svg) { return; }
    while (svg.lastChild && svg.lastChild.tagName !== "title") { svg.removeChild(svg.lastChild); }
    var ser = stage.series;
    var tmax = ser[ser.length - 1].time_s / 60 || 1;
    var fmax = Math.max.apply(null, ser.map(function (p) { return p.flux_lmh; })) || 1;
    var vmax = Math.max.apply(null, ser.map(function (p) { return p.permeate_ml; })) || 1;
    plot.tmax = tmax;
    var x = function (t) { return plot.L + t / tmax * (plot.W - plot.L - plot.R); };
    var yf = function (v) { return plot.T + (1 - v / fmax) * (plot.H - plot.T - plot.B); };
    var yv = function (v) { return plot.T + (1 - v / vmax) * (plot.H - plot.T - plot.B); };
    svg.appendChild(s("rect", { x: plot.L, y: plot.T, width: plot.W - plot.L - plot.R, height: plot.H - plot.T - plot.B, fill: "none", stroke: "currentColor", "stroke-opacity": "0.4" }));
    [0, 0.5, 1].forEach(function (q) {
      svg.appendChild(s("text", { x: x(q * tmax), y: plot.H - plot.B + 16, "text-anchor": "middle", "font-size": "11" }, F.minutes(q * tmax)));
      svg.appendChild(s("text", { x: plot.L - 6, y: yf(q * fmax) + 4, "text-anchor": "end", "font-size": "11" }, F.sci(q * fmax)));
      svg.appendChild(s("text", { x: plot.W - plot.R + 6, y: yv(q * vmax) + 4, "text-anchor": "start", "font-size": "11" }, F.sci(q * vmax)));
    });
    svg.appendChild(s("text", { x: (plot.L + plot.W - plot.R) / 2, y: plot.H - 6, "text-anchor": "middle", "font-size": "12" }, "time (min), step " + stage.step + ": " + stage.name));
    svg.appendChild(s("text", { x: 12, y: plot.T + 4, "font-size": "11", "text-anchor": "start" }, "LMH"));
    svg.appendChild(s("text", { x: plot.W - 12, y: plot.T + 4, "font-size": "11", "text-anchor": "end" }, "mL"));
    var path = function (f) { return Fm.path(ser.map(function (p) { return [x(p.time_s / 60), f(p)]; })); };
    svg.appendChild(s("path", { d: path(function (p) { return yf(p.flux_lmh); }), fill: "none", stroke: "#2b6cb0", "stroke-width": "2", "data-testid": "plot-flux" }));
    svg.appendChild(s("path", { d: path(function (p) { return yv(p.permeate_ml); }), fill: "none", stroke: "#b7791f", "stroke-width": "2", "stroke-dasharray": "6 4", "data-testid": "plot-permeate" }));
    svg.appendChild(s("line", { id: "plot-cursor", x1: x(0), x2: x(0), y1: plot.T, y2: plot.H - plot.B, stroke: "currentColor", "stroke-width": "1.5", "data-testid": "plot-cursor" }));
  }
  function moveCursor(minutes) {
    var c = $("plot-cursor");
    if (!c) { return; }
    var x = plot.L + Math.min(minutes / plot.tmax, 1) * (plot.W - plot.L - plot.R);
    c.setAttribute("x1", x.toFixed(1));
    c.setAttribute("x2", x.toFixed(1));
    c.setAttribute("data-minutes", String(minutes));
  }
})();
