/* ExoSep: the protocol builder on the differential-ultracentrifugation page.
 *
 * Keeps a protocol (engine/protocol.Protocol JSON: the format of
 * data/presets/*.json and `exosep protocol --file`) as its state, renders it
 * as an ordered list of step fieldsets, posts it to the stage iframe, and
 * renders the engine's answer. The message contract is in wasm/bridge (Go):
 *
 *   page → stage  protocol {protocol, volumeMl?, seq, animation}, play, pause, reset
 *   stage → page  protocolResult {seq, result}, protocolError {seq, problems},
 *                 state {state: {step, phase, …}}
 *
 * The one-spin explorer (duc.js) shares the stage: window.ExoSepPage.mode
 * says which of the two talks to it ("protocol" or "spin").
 *
 * URL (the schema of static/params.js; documented on model.html and the
 * teacher page): protocol=ID opens a preset unchanged; p=1.<base64url of
 * the protocol's JSON> carries any protocol (version 1); mode=spin opens the
 * one-spin explorer (as does any one-spin setting). A bad value is reported
 * politely and the default preset is used.
 *
 * Plain ES2017, no modules, no framework. Number formats: format.js.
 */
(function () {
  "use strict";

  var VERSION = 1;
  var SEND_DELAY_MS = 150;
  var P_VERSION = "1";
  var F = window.ExoSepFormat;
  function $(id) { return document.getElementById(id); }
  var dataEl = $("protocol-data");
  var form = $("builder");
  var iframe = $("stage");
  if (!F || !dataEl || !form || !iframe) { return; }
  var D;
  try { D = JSON.parse(dataEl.textContent); } catch (e) { console.warn("ExoSep: protocol data unreadable", e); return; }

  var ui = {
    preset: $("preset"), input: $("input"), volume: $("volume"), steps: $("steps"),
    addKind: $("add-kind"), add: $("add-step"), link: $("protocol-link"), linkA: $("protocol-link-a"),
    warnings: $("builder-warnings"), errors: $("builder-errors"), results: $("protocol-results"),
    status: $("stage-status"), description: $("description"),
    play: $("play"), pause: $("pause"), reset: $("reset"),
    tabs: document.querySelector("[data-testid=mode-tabs]"), tabProtocol: $("tab-protocol"), tabSpin: $("tab-spin")
  };

  var SPIN_KEYS = ["rotor", "rpm", "rcf", "rcfAt", "minutes", "temperatureC", "medium", "preset"];
  // The link's settings as the schema checked them (duc.js shows the
  // warnings); null without static/params.js.
  var P = window.ExoSepParams;
  var S = window.ExoSepStage;
  var linkValues = P ? P.parse(window.location.search, "duc.html").values : null;
  var FIELD_LABELS = {
    name: "Name", rotor: "Rotor", rpm: "Speed (rpm)", rcf: "Speed (\u00d7 g)", rcf_at: "\u00d7 g quoted at",
    minutes: "Time at speed", temperature_c: "Temperature", keep: "Keep", pore_um: "Pore size",
    volume_ml: "Volume", factor: "Dilution factor", kind: "Kind", input: "Sample", steps: "Steps",
    accel_minutes: "Acceleration", decel_minutes: "Deceleration", residual_ul: "Residual liquid"
  };
  var KIND_LABELS = { spin: "spin", filter: "filter", ultrafilter: "ultrafilter", resuspend: "resuspend or dilute", pool: "pool", gradient: "density gradient" };

  // A membrane step (an ultrafilter, or a filter named by membrane, module
  // or pressure) is not editable here: it is shown read-only with its
  // parameters, kept as it is, and run by the engine's membrane model.
  var MEMBRANE_FIELDS = ["pore_um", "membrane", "mwco_kda", "mode", "module", "tmp_kpa", "concentration_factor",
    "final_volume_ml", "diafiltration_volumes", "shear_rate_per_s"];
  function membraneStep(s) {
    return s.kind === "ultrafilter" || (s.kind === "filter" && (s.membrane !== undefined || s.module !== undefined || s.tmp_kpa !== undefined));
  }

  // gradientLink opens a gradient step's run on gradient.html (its URL
  // parameters, site/params/gradient.go). Percent layers are written as
  // "10%:3.5"; a linear gradient given in percent keeps the page's
  // densities (the link says so in its title).
  function gradientLink(g, input) {
    var q = new URLSearchParams();
    var approx = false;
    q.set("gMode", g.mode); q.set("gMedium", g.medium);
    if (g.load) { q.set("gLoad", g.load); }
    if (g.layers && g.layers.length) {
      q.set("gShape", "step");
      q.set("gLayers", g.layers.map(function (l) {
        return (l.percent ? l.percent + "%" : String(l.density_g_per_ml)) + ":" + l.volume_ml;
      }).join(","));
    } else {
      var cushion = g.cushion_ml > 0;
      q.set("gShape", g.shape === "uniform" ? "uniform" : cushion ? "cushion" : "linear");
      if (g.from_density_g_per_ml) { q.set("gFrom", String(g.from_density_g_per_ml)); } else { approx = true; }
      if (g.to_density_g_per_ml) { q.set("gTo", String(g.to_density_g_per_ml)); } else if (g.shape !== "uniform") { approx = true; }
      if (cushion) {
        q.set("gCushionMl", String(g.cushion_ml));
        if (g.cushion_density_g_per_ml) { q.set("gCushion", String(g.cushion_density_g_per_ml)); } else { approx = true; }
      }
    }
    if (g.sample_ml) { q.set("gSampleMl", String(g.sample_ml)); }
    q.set("gRotor", g.rotor);
    if (g.rpm) {
      q.set("gSpeedMode", "rpm"); q.set("gSpeed", String(g.rpm));
    } else if (!g.rcf_at || g.rcf_at === "avg") {
      q.set("gSpeed", String(g.rcf));
    } else {
      var r = null;
      D.rotors.forEach(function (x) { if (x.name === g.rotor) { r = x; } });
      if (r) {
        var rad = g.rcf_at === "min" ? r.rMinM : g.rcf_at === "max" ? r.rMaxM : (r.rMinM + r.rMaxM) / 2;
        q.set("gSpeedMode", "rpm"); q.set("gSpeed", String(Math.round(60 / (2 * Math.PI) * Math.sqrt(g.rcf * 9.80665 / rad))));
      }
    }
    q.set("gHours", String(g.minutes / 60));
    q.set("gFractions", String(g.fractions));
    if (input === "plasma" || input === "msc-cm") { q.set("gInput", input); }
    return { href: "gradient.html?" + q.toString(), approx: approx };
  }

  // gradientSummary is a gradient step's parameters in words.
  function gradientSummary(g, keep) {
    var grad = g.layers && g.layers.length ? "step layers " + g.layers.map(function (l) {
      return (l.percent ? l.percent + " %" : l.density_g_per_ml + " g/mL") + " \u00d7 " + l.volume_ml + " mL";
    }).join(", ") : (g.shape === "uniform" ? "self-forming from " : "linear ") +
      (g.from_density_g_per_ml ? g.from_density_g_per_ml + " g/mL" : g.from_percent + " %") +
      (g.shape === "uniform" ? "" : " to " + (g.to_density_g_per_ml ? g.to_density_g_per_ml + " g/mL" : g.to_percent + " %"));
    if (g.cushion_ml) { grad += " over a " + g.cushion_ml + " mL cushion"; }
    var speed = g.rpm ? g.rpm + " rpm" : g.rcf + " \u00d7 g (r_" + (g.rcf_at || "max") + ")";
    return [["Mode", g.mode], ["Medium", g.medium], ["Gradient", grad], ["Sample", (g.sample_ml ? g.sample_ml + " mL, " : "") + "loaded " + (g.load || "top")],
      ["Run", g.rotor + ", " + speed + ", " + (g.minutes / 60) + " h"], ["Fractions", g.fractions + ", keeping " + (keep === undefined ? "the exosome-rich ones" :
        (Array.isArray(keep) ? "fractions " + keep.join(", ") : keep === "peak" ? "the exosome-rich ones" : String(keep)))]];
  }

  function clone(x) { return JSON.parse(JSON.stringify(x)); }
  function presetById(id) {
    for (var i = 0; i < D.presets.length; i++) { if (D.presets[i].id === id) { return D.presets[i]; } }
    return null;
  }

  var page = window.ExoSepPage = window.ExoSepPage || {};
  page.mode = "protocol";

  var state = { protocol: clone(presetById(D["default"])) };
  var stepKeys = []; // a stable key per step, for focus after a re-render
  var nextKey = 1;
  var seq = 0;
  var lastSent = "";
  var shownSeq = -1;
  var linkSeq = -1; // the seq of a protocol that came from the link (p=)
  var lastResult = null;
  var clientProblems = [];
  var stageProblems = [];
  var stageReady = false;
  var sendTimer = 0;
  var anim = { particles: 5000, timeScale: 60, seed: 1, reducedMotion: null };
  var reducedMotionQuery = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;
  var run = { step: 0, phase: "", playing: false, done: false, minutes: 0, lastText: "" };

  function keysFor(n) { stepKeys = []; for (var i = 0; i < n; i++) { stepKeys.push(nextKey++); } }
  keysFor(state.protocol.steps.length);

  // ---- URL: base64url of UTF-8 JSON ----

  function toBase64Url(text) {
    var bytes = new TextEncoder().encode(text);
    var bin = "";
    for (var i = 0; i < bytes.length; i++) { bin += String.fromCharCode(bytes[i]); }
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function fromBase64Url(s) {
    if (!/^[A-Za-z0-9_-]*$/.test(s)) { throw new Error("not base64url"); }
    var b = s.replace(/-/g, "+").replace(/_/g, "/");
    while (b.length % 4) { b += "="; }
    var bin = atob(b);
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  }
  // isUnchangedPreset: the protocol equals its preset (then the link is short).
  function unchangedPreset(p) {
    var pr = p.id ? presetById(p.id) : null;
    return pr && canonical(pr) === canonical(p) ? pr.id : "";
  }
  // canonical is JSON with object keys sorted (edits re-add fields in
  // another order).
  function canonical(x) {
    if (Array.isArray(x)) { return "[" + x.map(canonical).join(",") + "]"; }
    if (x && typeof x === "object") {
      return "{" + Object.keys(x).sort().map(function (k) { return JSON.stringify(k) + ":" + canonical(x[k]); }).join(",") + "}";
    }
    return JSON.stringify(x);
  }
  function linkQuery() {
    var q = new URLSearchParams(window.location.search);
    ["p", "protocol", "mode"].concat(SPIN_KEYS).forEach(function (k) { q["delete"](k); });
    var l = protocolLink();
    if (l.protocol) { q.set("protocol", l.protocol); } else { q.set("p", l.p); }
    return "?" + q.toString();
  }
  // protocolLink is how a link names the protocol: protocol=ID for an
  // unchanged preset, else p=1.<base64url of its JSON>.
  function protocolLink() {
    var id = unchangedPreset(state.protocol);
    return id ? { protocol: id, timeScale: anim.timeScale } :
      { p: P_VERSION + "." + toBase64Url(JSON.stringify(state.protocol)), timeScale: anim.timeScale };
  }
  function updateLink() {
    var rel = "duc.html" + linkQuery();
    ui.linkA.setAttribute("href", rel);
    ui.link.value = new URL(rel, window.location.href).href;
  }

  function warn(text) {
    console.warn("ExoSep: " + text);
    var line = document.createElement("p");
    line.textContent = text;
    ui.warnings.appendChild(line);
    ui.warnings.hidden = false;
  }

  // readLink applies protocol=, p= and the animation settings of the URL.
  function readLink(search) {
    var q = new URLSearchParams(search);
    var v;
    if (linkValues) { // checked by the schema: bad values are already defaults
      anim.particles = linkValues.particles;
      anim.timeScale = linkValues.timeScale;
      anim.seed = linkValues.seed;
      if (q.has("reducedMotion")) { anim.reducedMotion = !!linkValues.reducedMotion; }
      q = new URLSearchParams();
      if (linkValues.p) { q.set("p", linkValues.p); } else if (linkValues.protocol) { q.set("protocol", linkValues.protocol); }
    } else if (q.has("particles")) {
      v = Number(q.get("particles"));
      if (Number.isInteger(v) && v >= 100 && v <= 50000) { anim.particles = v; }
    }
    if (q.has("timeScale")) {
      v = Number(q.get("timeScale"));
      if (isFinite(v) && v >= 1 && v <= 3600) { anim.timeScale = v; }
    }
    if (q.has("seed") && /^\d{1,15}$/.test(q.get("seed"))) { anim.seed = Number(q.get("seed")) || 1; }
    if (q.has("reducedMotion")) {
      v = q.get("reducedMotion");
      if (v === "true" || v === "1") { anim.reducedMotion = true; } else if (v === "false" || v === "0") { anim.reducedMotion = false; }
    }
    var fallback = presetById(D["default"]).name;
    if (q.has("p")) {
      var raw = q.get("p");
      var why = "";
      var p = null;
      var dot = raw.indexOf(".");
      if (dot < 0 || raw.slice(0, dot) !== P_VERSION) {
        why = "unknown format version (this page reads p=" + P_VERSION + ".…)";
      } else {
        try {
          p = JSON.parse(fromBase64Url(raw.slice(dot + 1)));
          if (!p || typeof p !== "object" || Array.isArray(p) || !Array.isArray(p.steps) ||
            !p.steps.every(function (s) { return s && typeof s === "object" && KIND_LABELS[s.kind]; })) {
            why = "not a protocol with a list of steps of kind spin, filter, ultrafilter, resuspend or pool";
            p = null;
          }
        } catch (e) {
          why = "not base64url-encoded JSON";
        }
      }
      if (p) {
        state.protocol = p;
        keysFor(p.steps.length);
        return "link";
      }
      warn("Link parameter p was ignored (" + why + "); the preset \u201c" + fallback + "\u201d is shown instead.");
    } else if (q.has("protocol")) {
      var pr = presetById(q.get("protocol"));
      if (pr) {
        state.protocol = clone(pr);
        keysFor(pr.steps.length);
      } else {
        warn("Link parameter protocol=" + q.get("protocol") + " was ignored (allowed: " +
          D.presets.map(function (x) { return x.id; }).join(", ") + "); the preset \u201c" + fallback + "\u201d is shown instead.");
      }
    }
    return "";
  }

  // ---- rendering the builder ----

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] === false || attrs[k] === null || attrs[k] === undefined) { return; }
        e.setAttribute(k, attrs[k] === true ? "" : String(attrs[k]));
      });
    }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function num(x) { return x === undefined || x === null ? "" : String(x); }
  function field(id, label, control, errFor) {
    var d = el("div", { "class": "field" });
    d.appendChild(el("label", { "for": id }, label));
    d.appendChild(control);
    if (errFor) {
      d.appendChild(el("p", { "class": "field-error", id: id + "-error", "data-error-for": errFor }));
      control.setAttribute("aria-describedby", id + "-error");
    }
    return d;
  }
  function select(attrs, options, value) {
    var s = el("select", attrs);
    options.forEach(function (o) {
      s.appendChild(el("option", { value: o[0], selected: o[0] === value }, o[1]));
    });
    return s;
  }
  function numberInput(attrs, value) {
    var a = { type: "number", min: "0", step: "any", inputmode: "decimal", value: num(value) };
    Object.keys(attrs).forEach(function (k) { a[k] = attrs[k]; });
    return el("input", a);
  }
  function row(children) {
    var d = el("div", { "class": "field-row" });
    children.forEach(function (c) { d.appendChild(c); });
    return d;
  }
  function rotorSelect(id, value) {
    var s = el("select", { id: id, "data-field": "rotor" });
    [["swinging bucket", "Swinging-bucket rotors"], ["fixed angle", "Fixed-angle rotors"]].forEach(function (g) {
      var og = el("optgroup", { label: g[1] });
      D.rotors.forEach(function (r) {
        if ((r.kind === "fixed angle") === (g[0] === "fixed angle")) {
          og.appendChild(el("option", { value: r.name, selected: r.name === value }, r.name));
        }
      });
      if (og.children.length) { s.appendChild(og); }
    });
    return s;
  }

  function stepItem(s, i, n) {
    var N = i + 1;
    var id = function (f) { return "step-" + N + "-" + f; };
    var li = el("li", { "class": "step", "data-testid": "step", "data-kind": s.kind });
    var fs = el("fieldset");
    fs.appendChild(el("legend", { tabindex: "-1" }, "Step " + N + ": " + (KIND_LABELS[s.kind] || s.kind)));
    fs.appendChild(field(id("name"), "Name", el("input", { type: "text", id: id("name"), "data-field": "name", value: s.name || "" })));
    if (membraneStep(s)) {
      var dl = el("dl", { "class": "facts", "data-testid": "membrane-step" });
      MEMBRANE_FIELDS.forEach(function (f) {
        if (s[f] === undefined) { return; }
        dl.appendChild(el("dt", {}, f));
        dl.appendChild(el("dd", {}, String(s[f])));
      });
      fs.appendChild(dl);
      var page = s.kind === "ultrafilter" ? "ultrafiltration.html" : "sequential-filtration.html";
      var hint = el("p", { "class": "hint" }, "A membrane step: shown read-only here, run with the membrane model and played on the stage as a zoomed membrane; explore membranes on ");
      hint.appendChild(el("a", { href: page }, page === "ultrafiltration.html" ? "the ultrafiltration page" : "the sequential filtration page"));
      hint.appendChild(document.createTextNode("."));
      fs.appendChild(hint);
    } else if (s.kind === "spin") {
      fs.appendChild(field(id("rotor"), "Rotor", rotorSelect(id("rotor"), s.rotor), "rotor"));
      var mode = s.rpm ? "rpm" : "rcf";
      var speed = numberInput({ id: id("speed"), "data-field": "speed", "aria-describedby": id("speed-error") }, s.rpm || s.rcf);
      var wrap = el("div", { "class": "input-unit" });
      wrap.appendChild(speed);
      wrap.appendChild(el("label", { "for": id("unit"), "class": "visually-hidden" }, "Unit of the speed of step " + N));
      wrap.appendChild(select({ id: id("unit"), "data-field": "speedMode" }, [["rcf", "\u00d7 g"], ["rpm", "rpm"]], mode));
      var sf = el("div", { "class": "field" });
      sf.appendChild(el("label", { "for": id("speed") }, "Speed"));
      sf.appendChild(wrap);
      sf.appendChild(el("p", { "class": "field-error", id: id("speed-error"), "data-error-for": "rcf rpm" }));
      fs.appendChild(sf);
      fs.appendChild(row([
        field(id("rcfat"), "\u00d7 g quoted at", select({ id: id("rcfat"), "data-field": "rcf_at" }, [["min", "r_min"], ["avg", "r_avg"], ["max", "r_max"]], s.rcf_at || "max")),
        field(id("minutes"), "Time at speed (min)", numberInput({ id: id("minutes"), "data-field": "minutes", "data-testid": "step-minutes" }, s.minutes), "minutes")
      ]));
      fs.appendChild(row([
        field(id("temp"), "Temperature (\u00b0C)", numberInput({ id: id("temp"), "data-field": "temperature_c", placeholder: String(D.limits.defaultTempC), min: null }, s.temperature_c), "temperature_c"),
        field(id("keep"), "Keep", select({ id: id("keep"), "data-field": "keep" }, [["supernatant", "supernatant"], ["pellet", "pellet"]], s.keep || "supernatant"))
      ]));
    } else if (s.kind === "filter") {
      fs.appendChild(field(id("pore"), "Pore size", select({ id: id("pore"), "data-field": "pore_um" },
        [["0.22", "0.22 \u00b5m"], ["0.45", "0.45 \u00b5m"]], String(s.pore_um)), "pore_um"));
    } else if (s.kind === "resuspend") {
      var rmode = s.factor ? "factor" : "volume";
      fs.appendChild(row([
        field(id("rmode"), "Add PBS", select({ id: id("rmode"), "data-field": "resuspendMode" },
          [["volume", "to a volume per vessel (mL)"], ["factor", "to dilute by a factor"]], rmode)),
        field(id("rvalue"), "Volume (mL) or factor", numberInput({ id: id("rvalue"), "data-field": "resuspendValue" }, s.factor || s.volume_ml), "volume_ml factor")
      ]));
    } else if (s.kind === "pool") {
      fs.appendChild(el("p", { "class": "hint" }, "Combines every tube or vessel into one."));
    } else if (s.kind === "gradient" && s.gradient) {
      // Read-only here: the gradient page edits and animates it.
      var dl = el("dl", { "class": "gradient-step", "data-testid": "gradient-step" });
      gradientSummary(s.gradient, s.keep_fractions).forEach(function (kv) {
        dl.appendChild(el("dt", {}, kv[0]));
        dl.appendChild(el("dd", {}, String(kv[1])));
      });
      fs.appendChild(dl);
      var gl = gradientLink(s.gradient, state.protocol.input);
      var a = el("a", { href: gl.href, "data-testid": "gradient-step-link" }, "Open in the gradient page");
      fs.appendChild(el("p", { "class": "hint" }, "Read-only here; the protocol animation plays it (one tube, its bands, then the fractions drawn). "));
      fs.lastChild.appendChild(a);
      fs.lastChild.appendChild(document.createTextNode(gl.approx ? " (percentages are not carried over: check the densities there)." : " to change it and watch the bands form."));
    }
    fs.appendChild(el("p", { "class": "field-error", "data-error-for": "kind step" }));
    var b = el("div", { "class": "step-buttons" });
    b.appendChild(el("button", { type: "button", "data-action": "up", "aria-label": "Move step " + N + " up", disabled: N === 1 }, "Move up"));
    b.appendChild(el("button", { type: "button", "data-action": "down", "aria-label": "Move step " + N + " down", disabled: N === n }, "Move down"));
    b.appendChild(el("button", { type: "button", "data-action": "remove", "aria-label": "Remove step " + N }, "Remove"));
    fs.appendChild(b);
    li.appendChild(fs);
    return li;
  }

  function renderBuilder() {
    var p = state.protocol;
    var id = unchangedPreset(p);
    ui.preset.value = id || (p.id && presetById(p.id) ? p.id : ui.preset.value);
    ui.input.value = p.input;
    ui.volume.value = p.volume_ml ? String(p.volume_ml) : "";
    D.inputs.forEach(function (x) { if (x.id === p.input) { ui.volume.placeholder = String(x.defaultMl); } });
    ui.steps.textContent = "";
    p.steps.forEach(function (s, i) { ui.steps.appendChild(stepItem(s, i, p.steps.length)); });
    ui.add.disabled = p.steps.length >= D.limits.maxSteps;
  }

  // ---- reading the form into the protocol ----

  function readNumber(input) {
    if (input.validity && input.validity.badInput) { return NaN; }
    var s = String(input.value).trim();
    return s === "" ? null : Number(s);
  }

  // readStep updates step i from its fieldset; returns client problems.
  function readStep(li, i) {
    var s = state.protocol.steps[i];
    var probs = [];
    var N = i + 1;
    function q(f) { return li.querySelector("[data-field=" + f + "]"); }
    function need(input, field, optional) {
      var v = readNumber(input);
      if (v === null && optional) { return undefined; }
      if (v === null || !isFinite(v)) {
        probs.push({ step: N, field: field, message: v === null ? "required: enter a number" : "enter a number" });
        return undefined;
      }
      return v;
    }
    var name = q("name").value.trim();
    if (name) { s.name = name; } else { delete s.name; }
    if (membraneStep(s)) {
      return probs; // read-only: kept as it is
    }
    if (s.kind === "spin") {
      s.rotor = q("rotor").value;
      var mode = q("speedMode").value;
      var v = need(q("speed"), mode);
      delete s.rpm; delete s.rcf; delete s.rcf_at;
      if (v !== undefined) { s[mode] = v; }
      if (mode === "rcf") { s.rcf_at = q("rcf_at").value; }
      s.minutes = need(q("minutes"), "minutes");
      if (s.minutes === undefined) { delete s.minutes; }
      var t = need(q("temperature_c"), "temperature_c", true);
      if (t === undefined) { delete s.temperature_c; } else { s.temperature_c = t; }
      s.keep = q("keep").value;
    } else if (s.kind === "filter") {
      s.pore_um = Number(q("pore_um").value);
    } else if (s.kind === "resuspend") {
      var rm = q("resuspendMode").value;
      var rf = rm === "factor" ? "factor" : "volume_ml";
      var rv = need(q("resuspendValue"), rf);
      delete s.factor; delete s.volume_ml;
      if (rv !== undefined) { s[rf] = rv; }
    }
    return probs;
  }

  function readForm() {
    var p = state.protocol;
    clientProblems = [];
    p.input = ui.input.value;
    var vol = readNumber(ui.volume);
    if (vol === null) { delete p.volume_ml; } else if (!isFinite(vol)) {
      clientProblems.push({ step: 0, field: "volume_ml", message: "enter a number, or leave it blank for the sample's default" });
    } else { p.volume_ml = vol; }
    Array.prototype.forEach.call(ui.steps.children, function (li, i) {
      clientProblems = clientProblems.concat(readStep(li, i));
    });
    // An edited preset is no longer the preset.
    if (p.id && !unchangedPreset(p)) { delete p.id; delete p.source; }
  }

  // ---- problems ----

  function stepName(n) {
    var s = state.protocol.steps[n - 1];
    if (!s) { return "Step " + n; }
    return "Step " + n + " (" + (KIND_LABELS[s.kind] || s.kind) + (s.name ? " \u201c" + s.name + "\u201d" : "") + ")";
  }

  function renderProblems() {
    var all = clientProblems.concat(stageProblems);
    Array.prototype.forEach.call(form.querySelectorAll(".field-error"), function (p) { p.textContent = ""; });
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (c) { c.removeAttribute("aria-invalid"); });
    ui.errors.textContent = "";
    if (!all.length) { return; }
    ui.errors.appendChild(el("p", null, all.length === 1 ?
      "Please check this value (the results shown are for the last valid protocol):" :
      "Please check these values (the results shown are for the last valid protocol):"));
    var list = el("ul");
    all.forEach(function (pr) {
      var where = pr.step > 0 ? stepName(pr.step) + ", " : "";
      var label = FIELD_LABELS[pr.field] || pr.field || "Protocol";
      var li = el("li");
      li.appendChild(el("strong", null, where + label + ": "));
      li.appendChild(document.createTextNode(pr.message));
      list.appendChild(li);
      var scope = pr.step > 0 ? ui.steps.children[pr.step - 1] : null;
      if (pr.step === 0 && pr.field === "volume_ml") {
        ui.volume.setAttribute("aria-invalid", "true");
        return;
      }
      if (!scope) { return; }
      var errs = scope.querySelectorAll(".field-error");
      var target = null;
      for (var i = 0; i < errs.length; i++) {
        if ((" " + errs[i].getAttribute("data-error-for") + " ").indexOf(" " + pr.field + " ") >= 0) { target = errs[i]; break; }
      }
      if (!target) { target = scope.querySelector("[data-error-for~=step]"); }
      target.textContent = (target.textContent ? target.textContent + " " : "") + label + ": " + pr.message;
      var ctl = target.parentNode.querySelector("input, select");
      if (ctl) { ctl.setAttribute("aria-invalid", "true"); }
    });
    ui.errors.appendChild(list);
  }

  // ---- talking to the stage ----

  function post(msg) {
    var w = iframe.contentWindow;
    if (!w) { return; }
    msg.exosep = VERSION;
    w.postMessage(msg, "*");
  }
  function animation() {
    var a = {
      particles: anim.particles, timeScale: anim.timeScale, seed: anim.seed,
      reducedMotion: anim.reducedMotion !== null ? anim.reducedMotion : !!(reducedMotionQuery && reducedMotionQuery.matches)
    };
    if (linkValues) { // colour profile and species shown
      a.colorProfile = linkValues.colorProfile;
      var sp = S ? S.shownSpecies(linkValues.species) : null;
      if (sp) { a.species = sp; }
    }
    return a;
  }
  function send(force) {
    if (page.mode !== "protocol") { return; }
    readForm();
    updateLink();
    renderProblems();
    if (clientProblems.length) { return; }
    var text = JSON.stringify(state.protocol);
    if (text === lastSent && !force) { return; }
    lastSent = text;
    seq++;
    ui.results.classList.add("stale");
    ui.results.setAttribute("aria-busy", "true");
    post({ type: "protocol", seq: seq, protocol: state.protocol, animation: animation() });
  }
  function scheduleSend() {
    clearTimeout(sendTimer);
    sendTimer = setTimeout(function () { send(false); }, SEND_DELAY_MS);
  }

  // ---- results ----

  function pct(f) { return F.percent(f) + " %"; }
  function setR(name, text) {
    var n = ui.results.querySelector("[data-r=" + name + "]");
    if (n && n.textContent !== text) { n.textContent = text; }
  }
  function speciesList(res) {
    return D.species.filter(function (s) { return res.input.species[s.id] > 0; });
  }

  function renderResult(res) {
    var f = res.final;
    setR("protocol", res.protocol);
    setR("yield", pct(f.exosome_yield_fraction));
    setR("exosomes", F.sci(f.exosome_particles));
    setR("intact", pct(f.exosome_intact_fraction));
    setR("perUg", F.sci(f.particles_per_ug_protein));
    setR("purity", f.purity["class"]);
    setR("protein", F.sci(f.protein_ug));
    setR("volume", F.sci(f.volume_ml));
    setR("total", F.minutes(f.total_minutes));
    setR("run", F.minutes(f.run_minutes - f.accel_decel_minutes));
    setR("ramps", F.minutes(f.accel_decel_minutes));
    setR("runs", F.int(f.runs));
    setR("handsOn", F.minutes(f.hands_on_minutes));

    var tb = ui.results.querySelector("[data-testid=step-table] tbody");
    tb.textContent = "";
    res.steps.forEach(function (s) {
      var tr = el("tr", { "data-testid": "step-row" });
      tr.appendChild(el("td", { "class": "num" }, F.int(s.index)));
      var th = el("th", { scope: "row" }, s.name);
      (s.warnings || []).forEach(function (w) { th.appendChild(el("span", { "class": "warn-text" }, "Warning: " + w)); });
      tr.appendChild(th);
      var ex = s.species.exosome;
      var cells = [
        ["runs", s.time.runs > 0 ? F.int(s.time.runs) : "\u2013"],
        ["minutes", F.fixed(s.minutes, 1)],
        ["exoKept", ex && ex["in"] > 0 ? pct(ex.kept / ex["in"]) : "\u2013"],
        ["protein", F.sci(s.protein_ug.kept)],
        ["vol", F.sci(s.volume_out_ml)],
        ["damage", s.spin && s.spin.keep === "pellet" ? pct(s.spin.damage.exosomes_damaged_fraction) : "\u2013"]
      ];
      cells.forEach(function (c) { tr.appendChild(el("td", { "class": "num", "data-c": c[0] }, c[1])); });
      tb.appendChild(tr);
    });

    // Where each species went.
    var ft = ui.results.querySelector("[data-testid=flow-table]");
    var head = ft.querySelector("thead tr");
    head.textContent = "";
    head.appendChild(el("th", { scope: "col" }, "Species"));
    res.steps.forEach(function (s) { head.appendChild(el("th", { scope: "col", "class": "num", title: s.name }, F.int(s.index))); });
    var exoNew = [];
    var before = 1;
    res.steps.forEach(function (s, i) {
      var ex = s.species.exosome;
      var after = s.product.exosome_intact_fraction;
      exoNew[i] = ex && ex["in"] > 0 ? Math.max(0, ex.kept / ex["in"] * (before - after)) : 0;
      before = after;
    });
    var fb = ft.querySelector("tbody");
    fb.textContent = "";
    var flows = speciesList(res);
    flows.forEach(function (sp) {
      var tr = el("tr", { "data-species": sp.id });
      var th = el("th", { scope: "row" });
      var sw = el("span", { "class": "swatch", "aria-hidden": "true" });
      sw.style.backgroundColor = sp.color;
      th.appendChild(sw);
      th.appendChild(document.createTextNode(sp.short));
      tr.appendChild(th);
      res.steps.forEach(function (s, i) {
        var td = el("td", { "class": "flow-cell" });
        var fl = s.species[sp.id];
        if (!fl || !(fl["in"] > 0)) {
          td.appendChild(el("span", { "aria-hidden": "true" }, "\u00b7"));
          td.appendChild(el("span", { "class": "visually-hidden" }, "none entered"));
        } else {
          var kept = fl.kept / fl["in"];
          var disc = fl.discarded / fl["in"];
          var dam = 0;
          if (sp.id === "exosome") { dam = Math.min(exoNew[i], kept); kept -= dam; }
          var bar = el("span", { "class": "flow-bar", "aria-hidden": "true" });
          [["kept", kept], ["damaged", dam], ["discarded", disc]].forEach(function (seg) {
            var x = el("span", { "class": "seg " + seg[0] });
            x.style.width = (100 * Math.max(0, Math.min(1, seg[1]))).toFixed(2) + "%";
            if (seg[0] === "kept") { x.style.backgroundColor = sp.color; }
            bar.appendChild(x);
          });
          td.appendChild(bar);
          td.appendChild(el("span", { "class": "flow-text" }, F.percent(kept) + " %"));
          td.appendChild(el("span", { "class": "visually-hidden" }, "kept; " + F.percent(dam) + " % damaged; " + F.percent(disc) + " % discarded"));
        }
        tr.appendChild(td);
      });
      fb.appendChild(tr);
    });
    renderHistogram(res, flows);
    ui.results.classList.remove("stale");
    ui.results.removeAttribute("aria-busy");
  }

  // The same geometry as site/protocol_view.go.
  var H = { w: 640, h: 240, left: 56, right: 12, top: 12, bottom: 40 };
  H.pw = H.w - H.left - H.right;
  H.ph = H.h - H.top - H.bottom;
  function svgNum(x) { return x.toFixed(2).replace(/0+$/, "").replace(/\.$/, ""); }

  function renderHistogram(res, flows) {
    var fig = ui.results.querySelector("[data-testid=histogram]");
    var g = fig.querySelector("[data-r=histBars]");
    var h = res.final.size_distribution;
    var from = D.histFrom, n = D.histTo - D.histFrom;
    var shown = flows.filter(function (f) { return f.id !== "albumin"; });
    var totals = [], all = 0, b, k;
    for (b = 0; b < n; b++) {
      totals[b] = 0;
      for (k = 0; k < shown.length; k++) {
        var c = h.counts[shown[k].id];
        if (c && from + b < c.length) { totals[b] += c[from + b]; }
      }
      all += totals[b];
    }
    while (g.firstChild) { g.removeChild(g.firstChild); }
    var tb = fig.querySelector("[data-testid=hist-table] tbody");
    var thead = fig.querySelector("[data-testid=hist-table] thead tr");
    thead.textContent = "";
    thead.appendChild(el("th", { scope: "col" }, "Diameter"));
    shown.forEach(function (f) { thead.appendChild(el("th", { scope: "col", "class": "num" }, f.short)); });
    thead.appendChild(el("th", { scope: "col", "class": "num" }, "All"));
    tb.textContent = "";
    var summary = fig.querySelector("[data-testid=hist-summary]");
    if (!(all > 0)) {
      summary.textContent = "The product holds no particles between 10 nm and 10 \u00b5m.";
      setR("histMax", "");
      return;
    }
    var maxShare = Math.max.apply(null, totals) / all;
    var bw = H.pw / n;
    var peak = 0;
    var NS = fig.querySelector("svg").namespaceURI;
    for (b = 0; b < n; b++) {
      if (totals[b] > totals[peak]) { peak = b; }
      var range = F.sci(h.edges_nm[from + b]) + "\u2013" + F.sci(h.edges_nm[from + b + 1]) + " nm";
      var tr = el("tr");
      tr.appendChild(el("th", { scope: "row" }, range));
      var y = H.top + H.ph;
      for (k = 0; k < shown.length; k++) {
        var cc = h.counts[shown[k].id];
        var cnt = cc && from + b < cc.length ? cc[from + b] : 0;
        tr.appendChild(el("td", { "class": "num" }, pct(cnt / all)));
        if (!(cnt > 0)) { continue; }
        var hh = cnt / all / maxShare * H.ph;
        y -= hh;
        var r = document.createElementNS(NS, "rect");
        r.setAttribute("x", svgNum(H.left + b * bw + 1));
        r.setAttribute("y", svgNum(y));
        r.setAttribute("width", svgNum(bw - 2));
        r.setAttribute("height", svgNum(hh));
        r.setAttribute("fill", shown[k].color);
        var t = document.createElementNS(NS, "title");
        t.textContent = shown[k].name + ", " + range + ": " + pct(cnt / all) + " of the particles";
        r.appendChild(t);
        g.appendChild(r);
      }
      tr.appendChild(el("td", { "class": "num" }, pct(totals[b] / all)));
      tb.appendChild(tr);
    }
    setR("histMax", pct(maxShare));
    summary.textContent = "Size distribution of the product's particles (albumin excluded): most particles, " +
      pct(totals[peak] / all) + ", are " + F.sci(h.edges_nm[from + peak]) + "\u2013" + F.sci(h.edges_nm[from + peak + 1]) + " nm in diameter.";
  }

  // ---- downloads: the formats of `exosep protocol --json` and `--csv` ----

  // goFloat formats like Go's strconv.FormatFloat(v, 'g', -1, 64).
  function goFloat(v) {
    if (v === 0) { return 1 / v < 0 ? "-0" : "0"; }
    if (!isFinite(v)) { return v > 0 ? "+Inf" : v < 0 ? "-Inf" : "NaN"; }
    // The shortest digits that round-trip, as Go; exponent form when the
    // decimal exponent is below -4 or at least 6 (Go's rule for 'g', -1).
    var parts = v.toExponential().split("e");
    var exp = parseInt(parts[1], 10);
    if (exp < -4 || exp >= 6) {
      var a = Math.abs(exp);
      return parts[0] + "e" + (exp < 0 ? "-" : "+") + (a < 10 ? "0" : "") + a;
    }
    return String(v);
  }
  function csvField(s) {
    s = String(s);
    if (s === "") { return s; }
    if (s === "\\." || /[",\r\n]/.test(s) || /^\s/.test(s)) { return "\"" + s.replace(/"/g, "\"\"") + "\""; }
    return s;
  }
  function toCSV(res) {
    var lines = [];
    function w() { lines.push(Array.prototype.map.call(arguments, csvField).join(",")); }
    function unit(id) { return id === "albumin" ? "molecules" : "particles"; }
    w("step", "name", "kind", "quantity", "species", "value", "unit");
    var ids = Object.keys(res.input.species).sort();
    ids.forEach(function (id) { w("input", res.input.name, "input", "count", id, goFloat(res.input.species[id]), unit(id)); });
    w("input", res.input.name, "input", "protein", "", goFloat(res.input.protein_ug), "ug");
    w("input", res.input.name, "input", "volume", "", goFloat(res.input.volume_ml), "mL");
    res.steps.forEach(function (s) {
      var st = String(s.index);
      ids.forEach(function (id) {
        var f = s.species[id];
        w(st, s.name, s.kind, "in", id, goFloat(f["in"]), unit(id));
        w(st, s.name, s.kind, "kept", id, goFloat(f.kept), unit(id));
        w(st, s.name, s.kind, "discarded", id, goFloat(f.discarded), unit(id));
      });
      w(st, s.name, s.kind, "protein_in", "", goFloat(s.protein_ug["in"]), "ug");
      w(st, s.name, s.kind, "protein_kept", "", goFloat(s.protein_ug.kept), "ug");
      w(st, s.name, s.kind, "protein_discarded", "", goFloat(s.protein_ug.discarded), "ug");
      w(st, s.name, s.kind, "volume_out", "", goFloat(s.volume_out_ml), "mL");
      w(st, s.name, s.kind, "runs", "", String(s.time.runs), "1");
      w(st, s.name, s.kind, "minutes", "", goFloat(s.minutes), "min");
      w(st, s.name, s.kind, "hands_on_minutes", "", goFloat(s.time.hands_on_minutes), "min");
      w(st, s.name, s.kind, "exosome_yield_fraction", "", goFloat(s.product.exosome_yield_fraction), "1");
      w(st, s.name, s.kind, "particles_per_ug_protein", "", goFloat(s.product.particles_per_ug_protein), "1/ug");
      if (s.spin) { w(st, s.name, s.kind, "exosomes_damaged_fraction", "", goFloat(s.spin.damage.exosomes_damaged_fraction), "1"); }
    });
    var f = res.final;
    [["exosome_yield_fraction", f.exosome_yield_fraction, "1"], ["exosome_intact_fraction", f.exosome_intact_fraction, "1"],
      ["particles", f.particles, "particles"], ["protein_ug", f.protein_ug, "ug"],
      ["particles_per_ug_protein", f.particles_per_ug_protein, "1/ug"], ["total_minutes", f.total_minutes, "min"],
      ["run_minutes", f.run_minutes, "min"], ["hands_on_minutes", f.hands_on_minutes, "min"], ["runs", f.runs, "1"],
      ["volume", f.volume_ml, "mL"]].forEach(function (q) { w("final", res.protocol, "final", q[0], "", goFloat(q[1]), q[2]); });
    ids.forEach(function (id) { w("final", res.protocol, "final", "count", id, goFloat(f.species[id].particles), unit(id)); });
    w("final", res.protocol, "final", "purity_class", f.purity["class"], "", f.purity.confidence);
    return lines.join("\n") + "\n";
  }
  function fileName(ext) {
    var base = (unchangedPreset(state.protocol) || "protocol").replace(/[^a-z0-9-]+/gi, "-");
    return "exosep-" + base + "." + ext;
  }
  // download offers text as a file (Blob + a[download]; works offline).
  function download(text, type, name) {
    var blob = new Blob([text], { type: type });
    page.lastDownload = { name: name, blob: blob };
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    if (!page.noDownloadClick) { a.click(); }
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }
  page.isPlaying = function () { return run.playing; };
  page.protocolLink = protocolLink;
  page.protocolCSV = function () { return lastResult ? toCSV(lastResult) : ""; };
  page.protocolJSON = function () { return lastResult ? JSON.stringify(lastResult) + "\n" : ""; };

  // ---- the stage's live description ----

  // describeState is the stage's state in words (ExoSepStage.describe,
  // shared with every page that shows a stage).
  function describeState(st) {
    var names = {};
    D.species.forEach(function (x) { names[x.id] = x.short; });
    return S ? S.describe(st, { names: names, steps: lastResult ? lastResult.steps : null, only: linkValues ? linkValues.species : null }) : "";
  }
  function renderTransport() {
    ui.play.classList.toggle("is-active", run.playing);
    ui.pause.classList.toggle("is-active", !run.playing && run.phase !== "done" && run.step > 0);
    var text;
    if (!stageReady) { return; }
    if (!run.step) {
      text = "Starting the animation\u2026";
    } else if (run.phase === "done") {
      text = "Finished: every step of the protocol has been shown. Press Play to watch again.";
    } else if (run.playing) {
      text = "Animating step " + run.step + (lastResult ? " of " + lastResult.steps.length : "") + "\u2026";
    } else {
      text = "Paused at step " + run.step + ". Press Play (or Space) to continue.";
    }
    ui.status.textContent = text;
  }

  // ---- messages from the stage ----

  function onMessage(ev) {
    if (ev.source !== iframe.contentWindow) { return; }
    var m = ev.data;
    if (typeof m === "string") {
      try { m = JSON.parse(m); } catch (e) { return; } // duc.js reports it
    }
    if (!m || typeof m !== "object" || m.exosep !== VERSION) { return; }
    if (m.type === "ready") {
      stageReady = true;
      if (page.mode === "protocol") { send(true); }
      return;
    }
    if (m.type === "protocolResult") {
      if (typeof m.seq !== "number" || !m.result || !Array.isArray(m.result.steps) || !m.result.final) {
        console.warn("ExoSep: ignored a malformed protocolResult message:", m);
        return;
      }
      if (m.seq !== seq) { return; } // an older request
      shownSeq = m.seq;
      stageProblems = [];
      renderProblems();
      lastResult = m.result;
      renderResult(m.result);
      ui.results.setAttribute("data-seq", String(m.seq));
      run.step = 0;
      if (!m.result.steps.some(function (s) { return s.spin || s.gradient || s.filter; })) {
        ui.status.textContent = "This protocol has no spin, gradient or filtration step, so there is nothing to animate.";
      }
      return;
    }
    if (m.type === "protocolError") {
      if (typeof m.seq !== "number" || !Array.isArray(m.problems)) {
        console.warn("ExoSep: ignored a malformed protocolError message:", m);
        return;
      }
      if (m.seq !== seq) { return; }
      var probs = m.problems.filter(function (p) { return p && typeof p.message === "string"; }).map(function (p) {
        return { step: typeof p.step === "number" ? p.step : 0, field: typeof p.field === "string" ? p.field : "", message: p.message };
      });
      if (m.seq === linkSeq) {
        // The link's protocol is not valid: say so and show the preset.
        warn("Link parameter p was ignored (" + probs.map(function (p) {
          return (p.step ? "step " + p.step + ", " : "") + (p.field ? p.field + ": " : "") + p.message;
        }).join("; ") + "); the preset \u201c" + presetById(D["default"]).name + "\u201d is shown instead.");
        loadPreset(D["default"], false);
        return;
      }
      stageProblems = probs;
      renderProblems();
      ui.results.classList.remove("stale");
      ui.results.removeAttribute("aria-busy");
      return;
    }
    if (m.type === "state" && m.state && typeof m.state.step === "number" && m.state.step > 0 && page.mode === "protocol") {
      var st = m.state;
      if (!Array.isArray(st.species)) { return; }
      run.step = st.step;
      run.phase = st.phase;
      run.playing = !!st.playing;
      run.done = !!st.done;
      renderTransport();
      var text = describeState(st);
      if (text !== run.lastText) {
        run.lastText = text;
        ui.description.textContent = text;
      }
    }
  }
  window.addEventListener("message", onMessage);

  // ---- structure edits ----

  function focusAfter(index, action) {
    var li = ui.steps.children[index];
    if (!li) {
      ui.add.focus();
      return;
    }
    var b = action ? li.querySelector("[data-action=" + action + "]") : null;
    if (!b || b.disabled) { b = li.querySelector("legend"); }
    b.focus();
  }
  function announce(text) {
    var s = $("builder-status");
    if (s) { s.textContent = text; }
  }
  function structural(focusIndex, action, text) {
    var p = state.protocol;
    if (p.id && !unchangedPreset(p)) { delete p.id; delete p.source; }
    renderBuilder();
    focusAfter(focusIndex, action);
    announce(text);
    send(false);
  }

  form.addEventListener("click", function (e) {
    var b = e.target.closest ? e.target.closest("button[data-action]") : null;
    if (!b) { return; }
    var li = b.closest("li.step");
    var i = Array.prototype.indexOf.call(ui.steps.children, li);
    if (i < 0) { return; }
    readForm(); // keep edits made so far
    var steps = state.protocol.steps;
    var act = b.getAttribute("data-action");
    var j;
    if (act === "up" && i > 0) {
      j = i - 1;
    } else if (act === "down" && i < steps.length - 1) {
      j = i + 1;
    } else if (act === "remove") {
      steps.splice(i, 1);
      stepKeys.splice(i, 1);
      structural(Math.min(i, steps.length - 1), "remove", "Step " + (i + 1) + " removed; " + steps.length + " steps left.");
      return;
    } else {
      return;
    }
    var t = steps[i]; steps[i] = steps[j]; steps[j] = t;
    var k = stepKeys[i]; stepKeys[i] = stepKeys[j]; stepKeys[j] = k;
    structural(j, act, "Step " + (i + 1) + " moved " + act + " to step " + (j + 1) + ".");
  });

  var NEW_STEP = {
    spin: function () { return { kind: "spin", rotor: "Type 70 Ti", rcf: 100000, rcf_at: "avg", minutes: 70, keep: "pellet" }; },
    filter: function () { return { kind: "filter", pore_um: 0.22 }; },
    resuspend: function () { return { kind: "resuspend", volume_ml: 1 }; },
    pool: function () { return { kind: "pool" }; }
  };
  ui.add.addEventListener("click", function () {
    readForm();
    var make = NEW_STEP[ui.addKind.value];
    if (!make || state.protocol.steps.length >= D.limits.maxSteps) { return; }
    state.protocol.steps.push(make());
    stepKeys.push(nextKey++);
    var n = state.protocol.steps.length;
    structural(n - 1, "", "Step " + n + " (" + KIND_LABELS[ui.addKind.value] + ") added at the end.");
    var first = ui.steps.children[n - 1].querySelector("input, select");
    if (first) { first.focus(); }
  });

  function loadPreset(id, focus) {
    var pr = presetById(id);
    if (!pr) { return; }
    state.protocol = clone(pr);
    keysFor(pr.steps.length);
    clientProblems = [];
    stageProblems = [];
    renderBuilder();
    announce("Preset loaded: " + pr.name + ", " + pr.steps.length + " steps.");
    send(true);
    if (focus) { ui.preset.focus(); }
  }
  ui.preset.addEventListener("change", function () { loadPreset(ui.preset.value, true); });

  form.addEventListener("input", function (e) {
    if (e.target === ui.preset) { return; }
    scheduleSend();
  });
  form.addEventListener("change", function (e) {
    if (e.target === ui.preset) { return; }
    if (e.target === ui.input) {
      D.inputs.forEach(function (x) { if (x.id === ui.input.value) { ui.volume.placeholder = String(x.defaultMl); } });
    }
    clearTimeout(sendTimer);
    send(false);
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); send(false); });

  $("download-csv").addEventListener("click", function () {
    if (lastResult) { download(toCSV(lastResult), "text/csv;charset=utf-8", fileName("csv")); }
  });
  $("download-json").addEventListener("click", function () {
    if (lastResult) { download(JSON.stringify(lastResult) + "\n", "application/json", fileName("json")); }
  });
  $("copy-link").addEventListener("click", function () {
    ui.link.select();
    var done = function () { announce("Link copied."); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(ui.link.value).then(done, function () { announce("Select the link and copy it."); });
    } else {
      announce("Select the link and copy it.");
    }
  });

  // ---- the mode switch (protocol builder | one spin) ----

  function setMode(mode, focus) {
    page.mode = mode;
    var isP = mode === "protocol";
    ui.tabProtocol.setAttribute("aria-selected", String(isP));
    ui.tabSpin.setAttribute("aria-selected", String(!isP));
    ui.tabProtocol.tabIndex = isP ? 0 : -1;
    ui.tabSpin.tabIndex = isP ? -1 : 0;
    Array.prototype.forEach.call(document.querySelectorAll("[data-mode]"), function (n) {
      n.hidden = n.getAttribute("data-mode") !== mode;
    });
    if (focus) { (isP ? ui.tabProtocol : ui.tabSpin).focus(); }
    if (isP) {
      run.lastText = "";
      if (typeof page.onProtocolMode === "function") { page.onProtocolMode(); }
      send(true);
    } else if (typeof page.onSpinMode === "function") {
      page.onSpinMode();
    }
  }
  ui.tabProtocol.addEventListener("click", function () { setMode("protocol", false); });
  ui.tabSpin.addEventListener("click", function () { setMode("spin", false); });
  ui.tabs.addEventListener("keydown", function (e) {
    if (e.key === "ArrowLeft" || e.key === "ArrowRight" || e.key === "Home" || e.key === "End") {
      e.preventDefault();
      var toSpin = e.key === "End" || (e.key !== "Home" && page.mode === "protocol");
      setMode(toSpin ? "spin" : "protocol", true);
    }
  });

  // ---- start ----

  var q = new URLSearchParams(window.location.search);
  // mode= decides; without it (or with a bad one) any one-spin setting
  // opens the one-spin explorer.
  var modeGiven = q.get("mode") === "spin" || q.get("mode") === "protocol";
  var startMode = modeGiven ? q.get("mode") : SPIN_KEYS.some(function (k) { return q.has(k); }) ? "spin" : "protocol";
  if (q.has("mode") && !modeGiven && !P) {
    warn("Link parameter mode=" + q.get("mode") + " was ignored (allowed: protocol, spin).");
  }
  var from = readLink(window.location.search);
  renderBuilder();
  ui.tabs.hidden = false;
  page.mode = startMode;
  setMode(startMode, false);
  if (from === "link" && startMode === "protocol") { linkSeq = seq; }
  if (reducedMotionQuery) {
    var onMotion = function () { if (page.mode === "protocol") { send(true); } };
    if (reducedMotionQuery.addEventListener) { reducedMotionQuery.addEventListener("change", onMotion); }
  }
})();
