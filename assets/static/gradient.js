/* ExoSep density-gradient page (gradient.html, gradient-embed.html).
 *
 * Reads the gradient builder, sends the run to the stage iframe
 * (stage.html) as a "gradient" message (wasm/bridge/gradient.go):
 *
 *   page → stage  {exosep: 1, type: "gradient", seq, gradient: <engine/gradient.Params>,
 *                  input, animation: {particles, reducedMotion}}, play, pause, reset
 *   stage → page  gradientResult {seq, result}, gradientError {seq, field, message, problems},
 *                 state {state} (phase spin | fractionate | done, per species the
 *                 band's fraction and density, shares pelleted and floated)
 *
 * The engine validates; every problem it names is shown under its control
 * and in the alert above the form, and the stage keeps showing the last
 * good run. Only the answer to the latest request is shown. URL parameters
 * (g…, and the display settings reducedMotion, colorProfile and species)
 * are the schema's (static/params.js); bad ones are reported and their
 * defaults used. Keys: static/keys.js (Space play/pause, R reset, arrows
 * step the focused number). gradient.html has the "Share / embed" panel
 * (static/share.js); gradient-embed.html has a fullscreen button and the
 * host API (static/host-api.js): a host page may send set (any g…
 * parameter, reducedMotion, species), play, pause, reset and get, and
 * receives ready, params, result (each computed run), state and done (the
 * animation finished: the run's result). gradient-embed.html also takes
 * title, hide, lock and autoplay (static/form.js: ExoSepForm.embed). The
 * stage is driven through static/stage-client.js (ExoSepStage.connect,
 * sendRun) and the form's problems, number fields and plot drawn with
 * static/form.js. Plain ES2017, no modules, nothing from the network.
 */
(function () {
  "use strict";

  var S = window.ExoSepStage;
  var Fm = window.ExoSepForm;
  var PAGE = document.body.getAttribute("data-page") || "gradient.html";
  var $ = function (id) { return document.getElementById(id); };
  var form = $("gradient-form");
  var iframe = $("stage");
  if (!form || !iframe || !S || !Fm) { return; }
  var speciesInfo = {};
  (function () {
    var el = $("gradient-species");
    if (!el) { return; }
    try {
      JSON.parse(el.textContent).forEach(function (s) { speciesInfo[s.ID] = s; });
    } catch (err) { console.warn("ExoSep: species list unreadable"); }
  })();

  var LABELS = {
    mode: "Mode", medium: "Gradient medium", shape: "Gradient", load: "Sample loaded", input: "Sample",
    from_density_g_per_ml: "Top density", from_percent: "Top density", to_density_g_per_ml: "Bottom density",
    to_percent: "Bottom density", layers: "Layers", cushion_density_g_per_ml: "Cushion density",
    cushion_percent: "Cushion density", cushion_ml: "Cushion volume", sample_ml: "Sample volume",
    gradient_ml: "Gradient volume", rotor: "Rotor", rpm: "Speed", rcf: "Speed", rcf_at: "Speed",
    minutes: "Time at speed", fractions: "Fractions", temperature_c: "Temperature",
    "animation.particles": "Particles", "animation.timeScale": "Time scale", gradient: "Gradient run"
  };

  var state = { shown: 0, result: null, timer: 0, playing: false, done: false, doneSent: false, first: true };
  var prefersReduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var P = window.ExoSepParams;
  var EMBED = PAGE === "gradient-embed.html";
  // The display settings of the link (schema values): the page has no
  // controls for them, so they ride along unchanged.
  var display = { colorProfile: "default", species: null };
  var host = null;

  function ctl(name) { return form.elements[name]; }
  function radioValue(name) {
    var r = form.querySelector("input[name=" + name + "]:checked");
    return r ? r.value : "";
  }
  function setRadio(name, value) {
    var r = form.querySelector("input[name=" + name + "][value=\"" + value + "\"]");
    if (r) { r.checked = true; }
  }

  // ---- Reading the form -------------------------------------------------

  var NUM = Fm.NUM;
  function number(name, field, required, problems) { return Fm.number(ctl(name), field, required, problems); }

  function parseLayers(text, problems) {
    var out = [];
    var parts = String(text).split(",").map(function (s) { return s.trim(); }).filter(function (s) { return s !== ""; });
    if (!parts.length) { problems.push({ field: "layers", message: "required: 1\u201312 density:volume pairs such as 1.08:3.5" }); }
    parts.forEach(function (p) {
      var m = p.split(":");
      var d = m.length === 2 ? m[0].trim() : "";
      var pctLayer = /%$/.test(d);
      if (pctLayer) { d = d.slice(0, -1).trim(); }
      if (m.length !== 2 || !NUM.test(d) || !NUM.test(m[1].trim())) {
        problems.push({ field: "layers", message: "\u201c" + p + "\u201d is not a density:volume pair such as 1.08:3.5 (g/mL:mL) or 10%:3.5 (percent:mL)" });
        return;
      }
      var layer = { volume_ml: parseFloat(m[1]) };
      if (pctLayer) { layer.percent = parseFloat(d); } else { layer.density_g_per_ml = parseFloat(d); }
      out.push(layer);
    });
    return out;
  }

  // read returns {params, input, problems} from the form.
  function read() {
    var problems = [];
    var shape = ctl("gShape").value;
    var p = { mode: radioValue("gMode"), medium: ctl("gMedium").value, load: ctl("gLoad").value, rotor: ctl("gRotor").value };
    if (shape === "step") {
      p.shape = "step";
      p.layers = parseLayers(ctl("gLayers").value, problems);
    } else {
      p.shape = shape === "uniform" ? "uniform" : "linear";
      var from = number("gFrom", "from_density_g_per_ml", true, problems);
      if (from !== null) { p.from_density_g_per_ml = from; }
      if (shape !== "uniform") {
        var to = number("gTo", "to_density_g_per_ml", true, problems);
        if (to !== null) { p.to_density_g_per_ml = to; }
      }
      if (shape === "cushion") {
        var cd = number("gCushion", "cushion_density_g_per_ml", true, problems);
        var cv = number("gCushionMl", "cushion_ml", true, problems);
        if (cd !== null) { p.cushion_density_g_per_ml = cd; }
        if (cv !== null) { p.cushion_ml = cv; }
      }
    }
    var speed = number("gSpeed", radioValue("gSpeedMode") === "rpm" ? "rpm" : "rcf", true, problems);
    if (speed !== null) {
      if (radioValue("gSpeedMode") === "rpm") { p.rpm = speed; } else { p.rcf = speed; p.rcf_at = "avg"; }
    }
    var hours = number("gHours", "minutes", true, problems);
    if (hours !== null) { p.minutes = hours * 60; }
    var fr = number("gFractions", "fractions", true, problems);
    if (fr !== null) {
      if (fr !== Math.floor(fr)) { problems.push({ field: "fractions", message: fr + " is not a whole number (allowed: 1\u2013100)" }); } else { p.fractions = fr; }
    }
    var sml = number("gSampleMl", "sample_ml", false, problems);
    if (sml !== null) { p.sample_ml = sml; }
    return { params: p, input: ctl("gInput").value, problems: problems };
  }

  // values are the form as URL parameter values (the schema's g… names).
  function values() {
    var v = {
      gMode: radioValue("gMode"), gMedium: ctl("gMedium").value, gShape: ctl("gShape").value, gLoad: ctl("gLoad").value,
      gRotor: ctl("gRotor").value, gSpeedMode: radioValue("gSpeedMode"), gInput: ctl("gInput").value,
      gLayers: ctl("gLayers").value.replace(/\s+/g, "")
    };
    [["gFrom"], ["gTo"], ["gCushion"], ["gCushionMl"], ["gSampleMl"], ["gSpeed"], ["gHours"], ["gFractions"]].forEach(function (a) {
      var raw = String(ctl(a[0]).value).trim();
      v[a[0]] = NUM.test(raw) ? parseFloat(raw) : null;
    });
    v.colorProfile = display.colorProfile;
    if (display.species) { v.species = display.species; }
    v.reducedMotion = !!ctl("reducedMotion").checked && !prefersReduced; // the browser's preference needs no link
    if (EMBED && cur) { // the lesson's embed settings ride along (gradient.html's links drop them)
      ["title", "hide", "lock", "autoplay"].forEach(function (k) { v[k] = cur[k]; });
    }
    return v;
  }

  function apply(v) {
    setRadio("gMode", v.gMode);
    setRadio("gSpeedMode", v.gSpeedMode);
    ["gMedium", "gShape", "gLoad", "gRotor", "gInput"].forEach(function (k) { if (v[k] !== undefined && v[k] !== null) { ctl(k).value = v[k]; } });
    ["gFrom", "gTo", "gCushion", "gCushionMl", "gSampleMl", "gSpeed", "gHours", "gFractions", "gLayers"].forEach(function (k) {
      if (v[k] !== undefined) { ctl(k).value = v[k] === null ? "" : String(v[k]); }
    });
    showShape();
  }

  function showShape() {
    var shape = ctl("gShape").value;
    form.querySelectorAll("[data-shape]").forEach(function (el) {
      el.hidden = el.getAttribute("data-shape").split(" ").indexOf(shape) < 0;
    });
    $("gSpeed-label").textContent = radioValue("gSpeedMode") === "rpm" ? "Speed (rpm)" : "RCF (\u00d7 g at r_avg)";
  }

  // ---- Problems ---------------------------------------------------------

  function baseField(f) { return String(f || "").replace(/\[\d+\].*$/, "").replace(/^gradient\./, ""); }

  var problems = Fm.problems({
    form: form, box: $("error"), results: $("results"), labels: LABELS, base: baseField,
    head: function (list) { return list.length === 1 ? "This run cannot be computed:" : "These values cannot be used:"; }
  });

  // ---- Talking to the stage --------------------------------------------

  function run() {
    clearTimeout(state.timer);
    var r = read();
    updateLink();
    if (r.problems.length) {
      problems.show(r.problems);
      return;
    }
    if (!client.ready) { return; } // sent on ready
    $("stage-status").textContent = "Computing the run\u2026";
    client.sendRun("gradient", { gradient: r.params, input: r.input, animation: animation() });
    state.doneSent = false;
  }

  // animation are the stage-only settings of a run: particles, motion and
  // the link's display settings.
  function animation() {
    var a = { particles: 4000, reducedMotion: !!ctl("reducedMotion").checked, colorProfile: display.colorProfile };
    if (display.species && P && display.species.length < P.table.species.length) { a.species = display.species; }
    return a;
  }

  function soon() {
    clearTimeout(state.timer);
    state.timer = setTimeout(run, 350);
  }

  function updateLink() {
    if (!window.ExoSepParams) { return; }
    var a = $("permalink");
    if (a) { a.href = PAGE.replace("-embed", "") + window.ExoSepParams.query(values(), "gradient.html"); }
    var full = $("open-full");
    if (full) { full.href = "gradient.html" + window.ExoSepParams.query(values(), "gradient.html"); }
  }

  var client = S.connect(iframe, {
    ready: function () {
      $("stage-status").textContent = "The animation is ready.";
      if (host && !state.hostReady) { state.hostReady = true; host.post("ready", { params: values() }); }
      run();
    },
    runResult: function (result, c) {
      problems.clear();
      state.result = result;
      state.shown = c.seq;
      render(result);
      // autoplay=false (embed): the first run waits at t = 0 for Play.
      var wait = state.first && EMBED && !!cur && cur.autoplay === false;
      state.first = false;
      if (wait) { reset(); }
      if (host) { host.post("result", { params: values(), result: result }); }
      $("stage-status").textContent = wait ? "Run computed; press Play (or Space) to spin, then draw the fractions." :
        "Run computed; the animation plays the spin, then draws the fractions.";
    },
    runError: function (list) {
      problems.show(list);
      if (host) { host.post("error", { field: list[0].field, message: list[0].message }); }
      $("stage-status").textContent = "The run was not computed; the animation still shows the last good run.";
    },
    state: function (st) {
      if (!st.phase || !state.result) { return; } // the stage's own start-up spin
      describe(st);
      state.playing = st.playing && !st.done;
      state.done = st.done;
      if (host) {
        host.post("state", { state: st, description: $("description").textContent });
        if (state.done && !state.doneSent) {
          state.doneSent = true;
          host.post("done", { params: values(), result: state.result, state: st });
        }
      }
    },
    error: function (field, message) {
      $("stage-status").textContent = "The animation could not start (" + message + ").";
    }
  });

  // ---- Results ----------------------------------------------------------

  function sig(x) {
    if (x === 0) { return "0"; }
    var a = Math.abs(x);
    if (a >= 1e5 || a < 1e-3) { return x.toExponential(2).replace("e+", "e"); }
    if (a >= 100) { return x.toFixed(0); }
    return String(parseFloat(x.toPrecision(3)));
  }
  function count(x) { return x < 0.5 ? "0" : sig(x); }
  function name(id) { return speciesInfo[id] ? speciesInfo[id].Name : id; }
  function short(id) { return speciesInfo[id] ? speciesInfo[id].Short : id; }
  var el = Fm.el;
  var svg = Fm.svg;

  function shownSpecies(r) {
    return r.species.filter(function (id) {
      return r.fractions.some(function (f) { return (f.species[id] || 0) >= 0.5; });
    });
  }

  function render(r) {
    var res = $("results");
    res.classList.remove("stale");
    res.setAttribute("data-seq", String(state.shown));
    var ids = shownSpecies(r);
    var head = $("fraction-head");
    var body = $("fraction-body");
    head.textContent = "";
    body.textContent = "";
    var tr = el("tr");
    tr.appendChild(el("th", { scope: "col" }, "#"));
    tr.appendChild(el("th", { scope: "col", "class": "num" }, "Density (g/mL)"));
    ids.forEach(function (id) { tr.appendChild(el("th", { scope: "col", "class": "num", "data-species": id }, short(id))); });
    tr.appendChild(el("th", { scope: "col", "class": "num" }, "Protein (\u00b5g)"));
    tr.appendChild(el("th", { scope: "col", "class": "num" }, "Particles per \u00b5g"));
    tr.appendChild(el("th", { scope: "col" }, "Exosome-rich"));
    head.appendChild(tr);
    r.fractions.forEach(function (f) {
      var row = el("tr", { "data-testid": "fraction-row", "data-index": String(f.index) });
      if (f.exosome_rich) { row.className = "exosome-rich"; }
      row.appendChild(el("th", { scope: "row" }, String(f.index)));
      var cell = function (key, value, text) {
        row.appendChild(el("td", { "class": "num", "data-c": key, "data-value": String(value) }, text));
      };
      cell("density", f.density_g_per_ml, f.density_g_per_ml.toFixed(4));
      ids.forEach(function (id) { cell(id, f.species[id] || 0, count(f.species[id] || 0)); });
      cell("protein_ug", f.protein_ug, sig(f.protein_ug));
      cell("particles_per_ug_protein", f.particles_per_ug_protein, sig(f.particles_per_ug_protein));
      row.appendChild(el("td", { "data-c": "exosome_rich" }, f.exosome_rich ? "yes" : ""));
      body.appendChild(row);
    });
    var s = r.mode + " run, " + r.medium_name + ", " + r.rotor + " at " + Math.round(r.rpm) + " rpm (" + Math.round(r.rcf_avg) +
      " \u00d7 g at r_avg), " + sig(r.minutes / 60) + " h, " + r.sample_ml.toFixed(2) + " mL of " + (r.input === "plasma" ? "plasma" : "MSC-conditioned medium") + ". ";
    s += r.exosome_peak_fraction > 0 ? "Exosome peak: fraction " + r.exosome_peak_fraction + "; exosome-rich fractions: " + r.exosome_rich_fractions.join(", ") + ". " :
      "No exosomes are left in the liquid. ";
    s += "The medium's own redistribution is " + Math.round(100 * r.medium_report.approach_at_end) + " % of the way to equilibrium at the end of the run.";
    $("summary").textContent = s;
    var w = $("warnings");
    w.textContent = "";
    (r.warnings || []).forEach(function (t) { w.appendChild(el("li", {}, t)); });
    var eq = ids.filter(function (id) { return r.equilibrated_share && r.equilibrated_share[id] !== undefined && r.equilibrated_share[id] < 0.9; });
    if (eq.length) {
      w.appendChild(el("li", {}, "Not yet at their buoyant density (or pelleted or floated) at the end: " + eq.map(function (id) {
        return name(id) + " " + Math.round(100 * r.equilibrated_share[id]) + " % there";
      }).join(", ") + "."));
    }
    w.hidden = !w.children.length;
    plot(r, ids);
  }

  // plot draws density (right axis) and each species' share of its own
  // peak (left axis) against fraction number.
  function plot(r, ids) {
    var box = $("plot");
    box.textContent = "";
    var W = 640, H = 300, L = 48, R = 64, T = 14, B = 40;
    var n = r.fractions.length;
    var s = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-labelledby": "plot-title", "class": "plot-svg" });
    s.appendChild(svg("title", { id: "plot-title" }, "Density and particles against fraction number, 1 at the top"));
    var x = function (i) { return L + (n === 1 ? 0.5 : (i - 1) / (n - 1)) * (W - L - R); };
    var y = function (v) { return T + (1 - v) * (H - T - B); };
    var dens = r.fractions.map(function (f) { return f.density_g_per_ml; });
    var lo = Math.min.apply(null, dens), hi = Math.max.apply(null, dens);
    if (!(hi > lo)) { hi = lo + 0.01; }
    var axis = "#56697c";
    s.appendChild(svg("line", { x1: L, y1: y(0), x2: W - R, y2: y(0), stroke: axis }));
    s.appendChild(svg("line", { x1: L, y1: y(0), x2: L, y2: y(1), stroke: axis }));
    s.appendChild(svg("line", { x1: W - R, y1: y(0), x2: W - R, y2: y(1), stroke: axis }));
    var step = Math.max(1, Math.ceil(n / 12));
    for (var i = 1; i <= n; i += step) {
      s.appendChild(svg("text", { x: x(i), y: H - B + 16, "text-anchor": "middle", "font-size": 11 }, String(i)));
    }
    s.appendChild(svg("text", { x: (L + W - R) / 2, y: H - 6, "text-anchor": "middle", "font-size": 12 }, "fraction (1 = top)"));
    [0, 0.5, 1].forEach(function (q) {
      s.appendChild(svg("text", { x: L - 6, y: y(q) + 4, "text-anchor": "end", "font-size": 11 }, Math.round(q * 100) + " %"));
      s.appendChild(svg("text", { x: W - R + 6, y: y(q) + 4, "font-size": 11 }, (lo + q * (hi - lo)).toFixed(3)));
    });
    s.appendChild(svg("text", { x: W - 4, y: T - 2, "text-anchor": "end", "font-size": 11 }, "g/mL"));
    var line = function (vals, color, width, dash, id) {
      var a = { d: Fm.path(vals.map(function (v, k) { return [x(k + 1), y(v)]; })), fill: "none", stroke: color, "stroke-width": width };
      if (dash) { a["stroke-dasharray"] = dash; }
      if (id) { a["data-species"] = id; }
      s.appendChild(svg("path", a));
    };
    ids.forEach(function (id) {
      var v = r.fractions.map(function (f) { return f.species[id] || 0; });
      var peak = Math.max.apply(null, v);
      if (!(peak > 0)) { return; }
      line(v.map(function (c) { return c / peak; }), speciesInfo[id] ? speciesInfo[id].Color : "#999", id === "exosome" ? 3 : 1.5, "", id);
    });
    line(dens.map(function (d) { return (d - lo) / (hi - lo); }), "currentColor", 2, "5 4", "");
    box.appendChild(s);
  }

  // ---- Live description ------------------------------------------------

  function pct(x) {
    if (!(x > 0)) { return "0 %"; }
    if (x < 0.005) { return "under 1 %"; }
    if (x > 0.995) { return "over 99 %"; }
    return Math.round(100 * x) + " %";
  }

  function describe(st) {
    var r = state.result;
    var parts = [];
    st.species.forEach(function (s) {
      if (!(s.free + s.pelleted + s.floated > 0)) { return; }
      var bits = [];
      if (s.peakFraction > 0) { bits.push("most in the liquid in fraction " + s.peakFraction + " (" + s.peakDensityGPerMl.toFixed(3) + " g/mL)"); }
      if (s.pelletedShare >= 0.005) { bits.push(pct(s.pelletedShare) + " pelleted"); }
      if (s.floatedShare >= 0.005) { bits.push(pct(s.floatedShare) + " floated to the top"); }
      if (bits.length) { parts.push(name(s.id) + ": " + bits.join(", ")); }
    });
    var hours = sig(st.minutes / 60);
    var total = sig(r.minutes / 60);
    var head;
    if (st.phase === "fractionate") {
      head = "The spin is over. Drawing " + st.fractions + " fractions from the top. ";
    } else if (st.done) {
      head = "Done: " + st.fractions + " fractions drawn" + (r.exosome_peak_fraction > 0 ? "; the exosome peak is fraction " + r.exosome_peak_fraction +
        " and the exosome-rich fractions are " + r.exosome_rich_fractions.join(", ") : "") + ". ";
    } else {
      head = "Spinning, " + hours + " of " + total + " h" + (st.playing ? "" : " (paused)") + ". ";
    }
    $("description").textContent = head + parts.join("; ") + (parts.length ? "." : "");
    $("description").setAttribute("data-phase", st.phase);
  }

  // ---- Wiring ------------------------------------------------------------

  var EXAMPLES = {
    "rate-zonal": { gMode: "rate-zonal", gMedium: "sucrose", gShape: "linear", gFrom: 1.02, gTo: 1.08, gLoad: "top", gRotor: "SW 41 Ti", gSpeedMode: "rcf", gSpeed: 100000, gHours: 1, gFractions: 12 },
    isopycnic: { gMode: "isopycnic", gMedium: "iodixanol", gShape: "linear", gFrom: 1.05, gTo: 1.25, gLoad: "top", gRotor: "SW 41 Ti", gSpeedMode: "rcf", gSpeed: 100000, gHours: 16, gFractions: 12 }
  };
  $("example-rz").addEventListener("click", function () { apply(EXAMPLES["rate-zonal"]); run(); });
  $("example-ip").addEventListener("click", function () { apply(EXAMPLES.isopycnic); run(); });
  form.addEventListener("change", function () { showShape(); soon(); });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
  $("run").addEventListener("click", run);
  function play() { client.play(); state.playing = true; state.done = false; }
  function pause() { client.pause(); state.playing = false; }
  function reset() { client.reset(); state.playing = false; state.done = false; }
  function toggle() { if (state.playing) { pause(); } else { if (state.done) { reset(); } play(); } }
  $("play").addEventListener("click", play);
  $("pause").addEventListener("click", pause);
  $("reset").addEventListener("click", reset);
  if (window.ExoSepKeys) { window.ExoSepKeys.install({ toggle: toggle, reset: reset }); }

  // applyValues puts schema values onto the form and the display settings.
  function applyValues(v) {
    v = Object.assign({}, v);
    if (v.gLayers !== undefined && v.gLayers !== null) { v.gLayers = String(v.gLayers).replace(/,/g, ", "); }
    if (v.gSampleMl === undefined) { v.gSampleMl = null; }
    if (v.colorProfile) { display.colorProfile = v.colorProfile; }
    if (Array.isArray(v.species)) { display.species = v.species.slice(); }
    ctl("reducedMotion").checked = !!v.reducedMotion || !!prefersReduced;
    apply(v);
    Array.prototype.forEach.call(document.querySelectorAll(".legend [data-species]"), function (li) {
      li.hidden = !!display.species && display.species.indexOf(li.getAttribute("data-species")) < 0;
    });
  }

  ctl("reducedMotion").checked = !!prefersReduced;
  var cur = null;
  if (P) {
    var parsed = P.parse(location.search, PAGE);
    cur = parsed.values;
    applyValues(cur);
    P.showWarnings($("param-warnings"), parsed.warnings);
    if (parsed.ignored.length) { console.info("ExoSep: URL keys not used by this page: " + parsed.ignored.join(", ")); }
  }
  showShape();
  updateLink();

  var panel = document.querySelector("[data-share]");
  if (panel && window.ExoSepShare) {
    window.ExoSepShare.attach(panel, function () { return { values: values() }; });
  }

  if (EMBED && P && window.ExoSepHost) {
    host = window.ExoSepHost.start({
      set: function (changes) {
        var m = P.merge(Object.assign({}, cur, values()), changes, PAGE, null);
        if (!m.ok) { return m; }
        cur = m.values;
        applyValues(cur);
        run();
        host.post("params", { params: values(), query: P.query(values(), PAGE) });
        return m;
      },
      play: play, pause: pause, reset: reset,
      get: function () { host.post("params", { params: values(), query: P.query(values(), PAGE) }); }
    });
  }
  if (EMBED && cur && Fm.embed(cur)) {
    // The examples set every control: with any control locked they would
    // undo the lesson's lock, so they are locked too.
    ["example-rz", "example-ip"].forEach(function (id) {
      $(id).disabled = true;
      $(id).setAttribute("title", "Locked for this lesson");
    });
  }
  window.exosepGradient = { values: values, query: function () { return P ? P.query(values(), "gradient.html") : ""; } };
})();
