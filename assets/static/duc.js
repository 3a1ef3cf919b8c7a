/* ExoSep: the differential-ultracentrifugation page.
 *
 * Reads the settings form, turns it into protocol.Params and posts it to the
 * stage iframe; renders the stage's answers. The message contract is in
 * wasm/bridge (Go): every message is {"exosep": 1, "type": ..., ...}.
 *
 *   page → stage  params {params}, play, pause, reset
 *   stage → page  ready, result {result}, state {state}, error {field, message}
 *
 * Pages opened from file:// are opaque origins, so messages go out with
 * targetOrigin "*" and come in only from the iframe's window (event.source),
 * and their shape is checked before anything is shown.
 * Plain ES2017, no modules, no framework. Number formats: format.js.
 */
(function () {
  "use strict";

  var VERSION = 1;
  var G = 9.80665; // standard gravity, m/s² (as engine/rotor)
  var SEND_DELAY_MS = 100; // debounce of control changes
  var ERROR_DELAY_MS = 700; // typing pause before an invalid value is reported
  var READY_TIMEOUT_MS = 20000;
  var LIMITS = { minParticles: 100, maxParticles: 50000, minTimeScale: 1, maxTimeScale: 3600 };

  var F = window.ExoSepFormat;
  var form = document.getElementById("controls");
  var iframe = document.getElementById("stage");
  if (!F || !form || !iframe) {
    return;
  }

  function $(id) { return document.getElementById(id); }
  // The protocol builder (protocol.js) shares the stage; this script talks
  // to it only in the one-spin mode.
  var page = window.ExoSepPage || { mode: "spin" };
  function spinMode() { return page.mode !== "protocol"; }
  var ui = {
    rotor: $("rotor"), rotorInfo: $("rotor-info"),
    modeRcf: $("mode-rcf"), modeRpm: $("mode-rpm"),
    speed: $("speed"), speedLabel: $("speed-label"), speedUnit: $("speed-unit"),
    speedRange: $("speed-range"), speedEquiv: $("speed-equiv"),
    rcfAt: $("rcfAt"), minutes: $("minutes"), temperatureC: $("temperatureC"),
    medium: $("medium"), timeScale: $("timeScale"),
    error: $("error"), status: $("stage-status"), description: $("description"),
    readout: $("readout"), play: $("play"), pause: $("pause"), reset: $("reset"),
    permalink: $("permalink")
  };

  // Labels used in messages, by protocol field name.
  var FIELD_LABELS = {
    rotor: "Rotor", rpm: "Speed (rpm)", rcf: "RCF (\u00d7 g)", rcfAt: "RCF quoted at radius",
    minutes: "Duration", temperatureC: "Temperature", medium: "Medium",
    timeScale: "Time scale", particles: "Particles", seed: "Seed",
    params: "Settings", stage: "Animation"
  };
  function controlFor(field) {
    switch (field) {
      case "rotor": return ui.rotor;
      case "rpm": case "rcf": return ui.speed;
      case "rcfAt": return ui.rcfAt;
      case "minutes": return ui.minutes;
      case "temperatureC": return ui.temperatureC;
      case "medium": return ui.medium;
      case "timeScale": return ui.timeScale;
    }
    return null;
  }

  var stage = {
    ready: false, gotState: false, playing: false, done: false, minutes: 0,
    totalMinutes: Number(ui.minutes.value) || 0,
    lastDescription: ""
  };
  var extra = {
    particles: parseInt(form.getAttribute("data-particles"), 10) || 5000,
    seed: parseInt(form.getAttribute("data-seed"), 10) || 0,
    reducedMotion: null // null: follow the browser's preference
  };
  var clientErrors = [];
  var stageErrors = [];
  var reducedMotionQuery = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;

  // ---- rotor geometry and speed ----

  function currentRotor() {
    var o = ui.rotor.options[ui.rotor.selectedIndex];
    return {
      name: o.value,
      kind: o.getAttribute("data-kind"),
      angleDeg: o.getAttribute("data-angle-deg"),
      maxRpm: Number(o.getAttribute("data-max-rpm")),
      rMin: Number(o.getAttribute("data-r-min-m")),
      rMax: Number(o.getAttribute("data-r-max-m"))
    };
  }
  function radius(r, at) {
    if (at === "min") { return r.rMin; }
    if (at === "avg") { return (r.rMin + r.rMax) / 2; }
    return r.rMax;
  }
  function rcfFor(rpm, radiusM) {
    var w = 2 * Math.PI * rpm / 60;
    return w * w * radiusM / G;
  }
  function rpmFor(rcf, radiusM) {
    return 60 / (2 * Math.PI) * Math.sqrt(rcf * G / radiusM);
  }
  function speedMode() { return ui.modeRpm.checked ? "rpm" : "rcf"; }
  function speedUnit(mode) { return mode === "rpm" ? "rpm" : "\u00d7 g"; }
  // The largest accepted speed value, floored so the shown maximum is valid.
  function speedMax(mode) {
    var r = currentRotor();
    return mode === "rpm" ? r.maxRpm : Math.floor(rcfFor(r.maxRpm, radius(r, ui.rcfAt.value)));
  }

  function readNumber(input) {
    if (input.validity && input.validity.badInput) { return NaN; }
    var s = String(input.value).trim();
    return s === "" ? NaN : Number(s);
  }

  function updateRotorAndSpeedHints() {
    var r = currentRotor();
    var mode = speedMode();
    var max = speedMax(mode);
    var info = r.kind + (r.angleDeg ? " " + r.angleDeg + "\u00b0" : "") + ", up to " + F.int(r.maxRpm) +
      " rpm, radius " + F.fixed(r.rMin * 1e3, 1) + "\u2013" + F.fixed(r.rMax * 1e3, 1) + " mm";
    ui.rotorInfo.textContent = info;
    ui.speed.max = String(max);
    ui.speedLabel.textContent = mode === "rpm" ? "Speed (rpm)" : "RCF (\u00d7 g)";
    ui.speedUnit.textContent = speedUnit(mode);
    ui.speedRange.textContent = "Allowed: 1\u2013" + F.int(max) + " " + speedUnit(mode);
    var v = readNumber(ui.speed);
    var at = ui.rcfAt.value;
    if (!isFinite(v) || v <= 0) {
      ui.speedEquiv.textContent = "";
    } else if (mode === "rpm") {
      ui.speedEquiv.textContent = "\u2248 " + F.int(rcfFor(v, radius(r, at))) + " \u00d7 g at r_" + at;
    } else {
      ui.speedEquiv.textContent = "\u2248 " + F.int(rpmFor(v, radius(r, at))) + " rpm";
    }
  }

  // Switching rpm ↔ RCF keeps the physical speed: the value is converted.
  function switchSpeedMode() {
    var mode = speedMode();
    var v = readNumber(ui.speed);
    if (isFinite(v) && v > 0) {
      var rad = radius(currentRotor(), ui.rcfAt.value);
      ui.speed.value = String(Math.round(mode === "rpm" ? rpmFor(v, rad) : rcfFor(v, rad)));
    }
  }

  // ---- validation and params ----

  function rangeError(field, input, lo, hi, unit, opts) {
    var v = readNumber(input);
    var range = (opts && opts.aboveZero ? "above 0 up to " : lo + "\u2013") + F.int(hi);
    if (opts && opts.aboveZero) {
      if (isFinite(v) && v > 0 && v <= hi) { return null; }
    } else if (isFinite(v) && v >= lo && v <= hi) {
      return null;
    }
    var what = isFinite(v) ? input.value.trim() + " " + unit + " is outside the allowed range " : "enter a number in the allowed range ";
    return { field: field, message: what + range + " " + unit + (opts && opts.suffix ? opts.suffix : "") + "." };
  }

  // validate returns {params, errors}; params is null when a value is bad.
  function validate() {
    var errors = [];
    var r = currentRotor();
    var mode = speedMode();
    var at = ui.rcfAt.value;
    var e = rangeError(mode, ui.speed, 1, speedMax(mode), speedUnit(mode),
      { suffix: " for " + r.name + (mode === "rcf" ? " at r_" + at : "") });
    if (e) { errors.push(e); }
    var maxMin = Number(ui.minutes.max);
    e = rangeError("minutes", ui.minutes, 0, maxMin, "min", { aboveZero: true });
    if (e) { errors.push(e); }
    e = rangeError("temperatureC", ui.temperatureC, Number(ui.temperatureC.min), Number(ui.temperatureC.max), "\u00b0C");
    if (e) { errors.push(e); }
    if (errors.length) { return { params: null, errors: errors }; }

    var p = {
      rotor: r.name,
      minutes: readNumber(ui.minutes),
      temperatureC: readNumber(ui.temperatureC),
      medium: ui.medium.value,
      particles: extra.particles,
      timeScale: Number(ui.timeScale.value),
      seed: extra.seed,
      reducedMotion: extra.reducedMotion !== null ? extra.reducedMotion :
        !!(reducedMotionQuery && reducedMotionQuery.matches)
    };
    if (mode === "rpm") {
      p.rpm = readNumber(ui.speed);
    } else {
      p.rcf = readNumber(ui.speed);
      p.rcfAt = at;
    }
    return { params: p, errors: [] };
  }

  function queryFor(p) {
    var q = new URLSearchParams();
    q.set("rotor", p.rotor);
    if (p.rpm !== undefined) {
      q.set("rpm", String(p.rpm));
    } else {
      q.set("rcf", String(p.rcf));
      q.set("rcfAt", p.rcfAt);
    }
    q.set("minutes", String(p.minutes));
    q.set("temperatureC", String(p.temperatureC));
    q.set("medium", p.medium);
    if (p.timeScale !== 60) { q.set("timeScale", String(p.timeScale)); }
    if (p.particles !== 5000) { q.set("particles", String(p.particles)); }
    if (p.seed !== 1) { q.set("seed", String(p.seed)); }
    return "?" + q.toString();
  }

  // ---- messages to the stage ----

  function post(msg) {
    var w = iframe.contentWindow;
    if (!w) { return; }
    msg.exosep = VERSION;
    w.postMessage(msg, "*"); // file:// pages are opaque origins: "*" is the only target that works
  }

  var sendTimer = 0;
  var errorTimer = 0;
  var lastSent = "";
  var shownParams = ""; // the params the readout currently shows (JSON text)

  // sendParams validates the form; valid params go to the stage, invalid
  // values are reported now (showNow) or after a pause in typing.
  function sendParams(showNow, force) {
    clearTimeout(errorTimer);
    if (!spinMode()) { return; }
    updateRotorAndSpeedHints();
    var v = validate();
    if (!v.params) {
      if (showNow) {
        clientErrors = v.errors;
        renderErrors();
      } else {
        errorTimer = setTimeout(function () { clientErrors = v.errors; renderErrors(); }, ERROR_DELAY_MS);
      }
      return;
    }
    if (clientErrors.length) {
      clientErrors = [];
      renderErrors();
    }
    ui.permalink.setAttribute("href", "duc.html" + queryFor(v.params));
    var text = JSON.stringify(v.params);
    if (text === lastSent && !force) { return; }
    lastSent = text;
    stage.totalMinutes = v.params.minutes;
    var stale = text !== shownParams;
    ui.readout.classList.toggle("stale", stale);
    if (stale) { ui.readout.setAttribute("aria-busy", "true"); } else { ui.readout.removeAttribute("aria-busy"); }
    post({ type: "params", params: v.params });
  }

  function scheduleSend() {
    clearTimeout(sendTimer);
    sendTimer = setTimeout(function () { sendParams(false, false); }, SEND_DELAY_MS);
  }

  function play() { post({ type: "play" }); stage.playing = true; stage.done = false; renderTransport(); }
  function pause() { post({ type: "pause" }); stage.playing = false; renderTransport(); }
  function reset() { post({ type: "reset" }); stage.playing = false; stage.done = false; stage.minutes = 0; renderTransport(); }
  function togglePlay() {
    if (!spinMode()) {
      if (page.isPlaying && page.isPlaying()) { pause(); } else { play(); }
      return;
    }
    if (stage.playing) {
      pause();
    } else {
      if (stage.done) { reset(); }
      play();
    }
  }

  // ---- rendering ----

  function renderErrors() {
    var all = clientErrors.concat(stageErrors);
    var controls = [ui.rotor, ui.speed, ui.rcfAt, ui.minutes, ui.temperatureC, ui.medium, ui.timeScale];
    controls.forEach(function (c) { c.removeAttribute("aria-invalid"); });
    ui.error.textContent = "";
    if (!all.length) { return; }
    var intro = document.createElement("p");
    var onlyStage = all.every(function (e) { return e.field === "stage"; });
    if (onlyStage) {
      intro.textContent = "The animation is not available:";
    } else {
      intro.textContent = all.length === 1 ? "Please check this setting (the results shown are for the last valid one):" :
        "Please check these settings (the results shown are for the last valid ones):";
    }
    var list = document.createElement("ul");
    all.forEach(function (e) {
      var li = document.createElement("li");
      var label = document.createElement("strong");
      label.textContent = (FIELD_LABELS[e.field] || e.field || "Settings") + ": ";
      li.appendChild(label);
      li.appendChild(document.createTextNode(e.message));
      list.appendChild(li);
      var c = controlFor(e.field);
      if (c) { c.setAttribute("aria-invalid", "true"); }
    });
    ui.error.appendChild(intro);
    ui.error.appendChild(list);
  }

  function setText(root, selector, text) {
    var n = root.querySelector(selector);
    if (n && n.textContent !== text) { n.textContent = text; }
  }

  function floatedCell(td, fraction) {
    td.setAttribute("data-fraction", String(fraction));
    td.textContent = "";
    if (fraction > 0) {
      td.textContent = F.percent(fraction) + " %";
      return;
    }
    var dash = document.createElement("span");
    dash.setAttribute("aria-hidden", "true");
    dash.textContent = "\u2013";
    var none = document.createElement("span");
    none.className = "visually-hidden";
    none.textContent = "none";
    td.appendChild(dash);
    td.appendChild(none);
  }

  function renderResult(r) {
    var root = ui.readout;
    setText(root, "[data-testid=readout-summary]", r.rotor + " (" + r.rotorKind + ") at " + F.int(r.rpm) +
      " rpm for " + F.minutes(r.minutes) + " min");
    var tbody = root.querySelector("[data-testid=readout] tbody");
    r.species.forEach(function (s) {
      var row = tbody.querySelector('tr[data-species="' + s.id + '"]');
      if (!row) {
        var first = tbody.querySelector("tr");
        if (!first) { return; }
        row = first.cloneNode(true);
        row.setAttribute("data-species", s.id);
        row.setAttribute("data-short", s.short || s.id);
        var sw = row.querySelector(".swatch");
        if (sw && /^#[0-9a-f]{6}$/i.test(s.color || "")) { sw.style.backgroundColor = s.color; }
        setText(row, "[data-col=name]", s.name || s.id);
        tbody.appendChild(row);
      }
      var pel = row.querySelector("[data-col=pelleted]");
      pel.setAttribute("data-fraction", String(s.pelletedFraction));
      setText(pel, "[data-col=pelleted-text]", F.percent(s.pelletedFraction) + " %");
      var fill = pel.querySelector(".bar-fill");
      if (fill) { fill.style.width = (Math.max(0, Math.min(1, s.pelletedFraction)) * 100).toFixed(1) + "%"; }
      floatedCell(row.querySelector("[data-col=floated]"), s.floatedFraction);
      setText(row, "[data-col=svedberg]", F.sci(s.svedberg));
    });
    setText(root, "[data-testid=cutoff]", F.cutoff(r.cutoffDiameterNm));
    setText(root, "[data-testid=kfactor]", F.sci(r.kFactor) + " h\u00b7S");
    setText(root, "[data-testid=rpm]", F.int(r.rpm) + " rpm");
    setText(root, "[data-testid=rcf-min]", F.int(r.rcfMin));
    setText(root, "[data-testid=rcf-avg]", F.int(r.rcfAvg));
    setText(root, "[data-testid=rcf-max]", F.int(r.rcfMax));
    setText(root, "[data-testid=viscosity]", F.fixed(r.viscosityMPas, 3) + " mPa\u00b7s");
    setText(root, "[data-testid=density]", F.fixed(r.mediumDensityGPerMl, 4) + " g/mL");
    root.removeAttribute("aria-busy");
    root.classList.remove("stale");
    stage.totalMinutes = r.minutes;
    shownParams = lastSent;
  }

  function shortName(id) {
    var row = ui.readout.querySelector('tr[data-species="' + id + '"]');
    return (row && row.getAttribute("data-short")) || id;
  }

  // spokenPercent rounds for speech, never claiming 0 or 100 unless exact.
  function spokenPercent(x) {
    if (!(x > 0)) { return "0%"; }
    if (x >= 1) { return "100%"; }
    if (x < 0.005) { return "under 1%"; }
    if (x > 0.995) { return "over 99%"; }
    return Math.round(x * 100) + "%";
  }

  function describe(st) {
    var pelleted = [];
    var floated = [];
    var moved = false;
    st.species.forEach(function (s) {
      var total = s.free + s.pelleted + s.floated;
      if (!(total > 0)) { return; }
      var name = shortName(s.id);
      if (s.pelleted > 0 || s.floated > 0) { moved = true; }
      pelleted.push(spokenPercent(s.pelleted / total) + " of " + name);
      if (s.floated > 0) { floated.push(spokenPercent(s.floated / total) + " of " + name); }
    });
    if (!pelleted.length) { return "No particles are on the stage."; }
    if (!moved && !st.done) {
      return st.minutes > 0 ?
        "After " + F.minutes(st.minutes) + " of " + F.minutes(stage.totalMinutes) + " min nothing has reached the pellet yet." :
        "At the start every population is spread evenly through the tube; nothing has pelleted yet.";
    }
    var head;
    if (st.done) {
      head = "Spin finished after " + F.minutes(st.minutes) + " min: ";
    } else if (F.minutes(st.minutes) === "0.0") {
      head = "In the first seconds of the " + F.minutes(stage.totalMinutes) + " min spin: ";
    } else {
      head = "After " + F.minutes(st.minutes) + " of " + F.minutes(stage.totalMinutes) + " min: ";
    }
    var text = head + pelleted.join(", ") + " have pelleted";
    if (floated.length) { text += "; " + floated.join(", ") + " have floated to the top"; }
    return text + ".";
  }

  function renderTransport() {
    if (!spinMode()) { return; }
    ui.play.classList.toggle("is-active", stage.playing);
    ui.pause.classList.toggle("is-active", !stage.playing && stage.minutes > 0 && !stage.done);
    var total = F.minutes(stage.totalMinutes);
    var text;
    if (!stage.ready) {
      return;
    } else if (!stage.gotState) {
      text = "Starting the animation\u2026";
    } else if (stage.done) {
      text = "Finished: " + F.minutes(stage.minutes) + " min. Press Play to run it again.";
    } else if (stage.playing) {
      var scale = ui.timeScale.options[ui.timeScale.selectedIndex];
      text = "Spinning\u2026 a " + total + " min run, 1 s on screen = " + (scale ? scale.textContent : "?") + ".";
    } else if (stage.minutes > 0) {
      text = "Paused at " + F.minutes(stage.minutes) + " of " + total + " min";
    } else {
      text = "Ready. Press Play (or Space) to spin for " + total + " min.";
    }
    ui.status.textContent = text;
  }

  function renderState(st) {
    stage.gotState = true;
    stage.playing = st.playing;
    stage.done = st.done;
    stage.minutes = st.minutes;
    renderTransport();
    var text = describe(st);
    if (text !== stage.lastDescription) {
      stage.lastDescription = text;
      ui.description.textContent = text;
    }
  }

  // ---- messages from the stage ----

  function isNum(x) { return typeof x === "number" && isFinite(x); }
  function validResult(r) {
    if (!r || typeof r !== "object" || !Array.isArray(r.species)) { return false; }
    var nums = ["rpm", "rcfMin", "rcfAvg", "rcfMax", "kFactor", "cutoffDiameterNm", "minutes",
      "viscosityMPas", "mediumDensityGPerMl"];
    for (var i = 0; i < nums.length; i++) {
      if (!isNum(r[nums[i]])) { return false; }
    }
    if (typeof r.rotor !== "string" || typeof r.rotorKind !== "string") { return false; }
    return r.species.every(function (s) {
      return s && typeof s.id === "string" && isNum(s.pelletedFraction) && isNum(s.floatedFraction) && isNum(s.svedberg);
    });
  }
  function validState(st) {
    return !!st && typeof st === "object" && isNum(st.minutes) && typeof st.playing === "boolean" &&
      typeof st.done === "boolean" && Array.isArray(st.species) && st.species.every(function (s) {
        return s && typeof s.id === "string" && isNum(s.free) && isNum(s.pelleted) && isNum(s.floated);
      });
  }

  var readyTimer = setTimeout(function () {
    if (!stage.ready) {
      ui.status.textContent = "The animation has not started: this browser may lack WebAssembly or WebGL2. " +
        "The results below stay at the settings named above the table.";
    }
  }, READY_TIMEOUT_MS);

  function onMessage(ev) {
    if (ev.source !== iframe.contentWindow) { return; } // not from our stage: ignore
    var m = ev.data;
    if (typeof m === "string") {
      try { m = JSON.parse(m); } catch (err) { console.warn("ExoSep: ignored a stage message that is not JSON:", m); return; }
    }
    if (!m || typeof m !== "object" || m.exosep !== VERSION || typeof m.type !== "string") {
      console.warn("ExoSep: ignored a stage message without {exosep: 1, type}:", m);
      return;
    }
    switch (m.type) {
      case "ready":
        stage.ready = true;
        clearTimeout(readyTimer);
        stageErrors = stageErrors.filter(function (e) { return e.field !== "stage"; });
        renderErrors();
        renderTransport();
        sendParams(true, true);
        return;
      case "result":
        if (!spinMode()) { return; }
        if (!validResult(m.result)) { console.warn("ExoSep: ignored a malformed result message:", m); return; }
        stageErrors = [];
        renderErrors();
        renderResult(m.result);
        renderTransport();
        return;
      case "state":
        if (!validState(m.state)) { console.warn("ExoSep: ignored a malformed state message:", m); return; }
        if (m.state.step || !spinMode()) { return; } // a protocol animation: protocol.js shows it
        renderState(m.state);
        return;
      case "protocolResult":
      case "protocolError":
        return; // protocol.js handles these
      case "error":
        if (typeof m.message !== "string") { console.warn("ExoSep: ignored a malformed error message:", m); return; }
        stageErrors = [{ field: typeof m.field === "string" ? m.field : "", message: m.message }];
        renderErrors();
        ui.readout.removeAttribute("aria-busy");
        ui.readout.classList.remove("stale");
        if (m.field === "stage") {
          clearTimeout(readyTimer);
          ui.status.textContent = "The animation could not start. The results below stay at the settings named above the table.";
        }
        return;
    }
    console.warn("ExoSep: ignored a stage message of unknown type:", m.type);
  }
  window.addEventListener("message", onMessage);

  // ---- URL parameters (same names as protocol.Params) ----

  function normalizeName(s) { return String(s).toLowerCase().replace(/[\s_-]+/g, ""); }
  // warnParam reports a bad URL parameter politely and visibly (and in the
  // console); the control keeps its default.
  function warnParam(name, value, why) {
    var text = "Link setting " + name + "=" + value + " was ignored (" + why + "); the default is used.";
    console.warn("ExoSep: " + text);
    var box = $("param-warnings");
    if (!box) { return; }
    var line = document.createElement("p");
    line.textContent = text;
    box.appendChild(line);
    box.hidden = false;
  }
  function selectOption(select, value) {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === value) { select.selectedIndex = i; return true; }
    }
    return false;
  }

  // applyQuery sets the controls from a query string. A bad value is
  // reported in the console and the control keeps its value.
  function applyQuery(search) {
    var q = new URLSearchParams(search);
    var v;
    if (q.has("rotor")) {
      v = q.get("rotor");
      var found = false;
      for (var i = 0; i < ui.rotor.options.length; i++) {
        if (normalizeName(ui.rotor.options[i].value) === normalizeName(v)) { ui.rotor.selectedIndex = i; found = true; break; }
      }
      if (!found) { warnParam("rotor", v, "unknown rotor"); }
    }
    if (q.has("rcfAt") && !selectOption(ui.rcfAt, q.get("rcfAt"))) { warnParam("rcfAt", q.get("rcfAt"), "allowed min, avg, max"); }
    if (q.has("medium") && !selectOption(ui.medium, q.get("medium"))) { warnParam("medium", q.get("medium"), "unknown medium"); }
    if (q.has("rpm") && q.has("rcf")) {
      warnParam("rpm/rcf", q.get("rpm") + "/" + q.get("rcf"), "give rpm or rcf, not both");
    } else if (q.has("rpm") || q.has("rcf")) {
      var mode = q.has("rpm") ? "rpm" : "rcf";
      v = Number(q.get(mode));
      var max = speedMax(mode);
      if (isFinite(v) && v >= 1 && v <= max) {
        ui.modeRpm.checked = mode === "rpm";
        ui.modeRcf.checked = mode === "rcf";
        ui.speed.value = String(v);
      } else {
        warnParam(mode, q.get(mode), "allowed 1\u2013" + max + " " + speedUnit(mode) + " for this rotor");
      }
    }
    [["minutes", ui.minutes], ["temperatureC", ui.temperatureC]].forEach(function (pair) {
      if (!q.has(pair[0])) { return; }
      var x = Number(q.get(pair[0]));
      var input = pair[1];
      var lo = Number(input.min);
      var ok = isFinite(x) && x <= Number(input.max) && (input.getAttribute("data-min-exclusive") ? x > lo : x >= lo);
      if (ok) { input.value = String(x); } else { warnParam(pair[0], q.get(pair[0]), "allowed " + input.min + "\u2013" + input.max); }
    });
    if (q.has("timeScale")) {
      v = Number(q.get("timeScale"));
      if (isFinite(v) && v >= LIMITS.minTimeScale && v <= LIMITS.maxTimeScale) {
        if (!selectOption(ui.timeScale, String(v))) {
          var o = document.createElement("option");
          o.value = String(v);
          o.textContent = v % 60 === 0 ? (v / 60) + " min" : v + " s";
          ui.timeScale.appendChild(o);
          ui.timeScale.value = String(v);
        }
      } else {
        warnParam("timeScale", q.get("timeScale"), "allowed " + LIMITS.minTimeScale + "\u2013" + LIMITS.maxTimeScale);
      }
    }
    if (q.has("particles")) {
      v = Number(q.get("particles"));
      if (Number.isInteger(v) && v >= LIMITS.minParticles && v <= LIMITS.maxParticles) { extra.particles = v; } else {
        warnParam("particles", q.get("particles"), "allowed " + LIMITS.minParticles + "\u2013" + LIMITS.maxParticles);
      }
    }
    if (q.has("seed")) {
      v = q.get("seed");
      if (/^\d{1,15}$/.test(v)) { extra.seed = Number(v); } else { warnParam("seed", v, "a whole number \u2265 0"); }
    }
    if (q.has("reducedMotion")) {
      v = q.get("reducedMotion");
      if (v === "true" || v === "1") { extra.reducedMotion = true; } else if (v === "false" || v === "0") { extra.reducedMotion = false; } else {
        warnParam("reducedMotion", v, "allowed true, false");
      }
    }
  }

  // ---- wiring ----

  form.addEventListener("submit", function (e) { e.preventDefault(); sendParams(true, false); });
  form.addEventListener("input", function (e) {
    if (e.target.name === "speedMode") { return; }
    scheduleSend();
  });
  form.addEventListener("change", function (e) {
    if (e.target.name === "speedMode") { switchSpeedMode(); }
    clearTimeout(sendTimer);
    sendParams(true, false);
  });
  ui.play.addEventListener("click", play);
  ui.pause.addEventListener("click", pause);
  ui.reset.addEventListener("click", reset);

  function isField(t) {
    var tag = (t && t.tagName) || "";
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || !!(t && t.isContentEditable);
  }
  // Space must not also scroll the page when it played or paused.
  document.addEventListener("keypress", function (e) {
    var tag = (e.target && e.target.tagName) || "";
    if ((e.key === " " || e.key === "Spacebar") && !isField(e.target) && tag !== "BUTTON" && tag !== "A" && tag !== "SUMMARY") {
      e.preventDefault();
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) { return; }
    var tag = (e.target && e.target.tagName) || "";
    var inField = isField(e.target);
    if (e.key === " " || e.key === "Spacebar") {
      // Space keeps its own meaning on buttons, links and form fields.
      if (inField || tag === "BUTTON" || tag === "A" || tag === "SUMMARY") { return; }
      e.preventDefault();
      togglePlay();
    } else if (e.key === "r" || e.key === "R") {
      if (inField) { return; }
      e.preventDefault();
      reset();
    }
  });

  Array.prototype.forEach.call(document.querySelectorAll("a[data-preset]"), function (a) {
    a.addEventListener("click", function (e) {
      if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) { return; }
      e.preventDefault();
      applyQuery(a.search);
      sendParams(true, false);
      ui.speed.focus();
    });
  });

  if (reducedMotionQuery) {
    var onMotion = function () { sendParams(true, false); };
    if (reducedMotionQuery.addEventListener) {
      reducedMotionQuery.addEventListener("change", onMotion);
    } else if (reducedMotionQuery.addListener) {
      reducedMotionQuery.addListener(onMotion);
    }
  }

  page.onSpinMode = function () {
    stage.lastDescription = "";
    stage.gotState = false;
    sendParams(true, true);
  };

  // The pre-rendered readout is for the form's initial (default) values.
  var initial = validate();
  if (initial.params) { shownParams = JSON.stringify(initial.params); }
  applyQuery(window.location.search);
  // The stage may already be listening if it became ready before this
  // script ran; otherwise its "ready" message triggers the send again.
  sendParams(true, true);
})();
