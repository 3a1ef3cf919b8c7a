/* ExoSep: the differential-ultracentrifugation page, one-spin explorer
 * (the protocol builder is protocol.js) and what both modes share: the
 * link's settings, the keyboard and the "Share / embed" panel.
 *
 * Reads the settings form, turns it into bridge.Params and sends it to the
 * stage iframe through static/stage-client.js (ExoSepStage.connect: the
 * message contract of wasm/bridge, checked both ways); renders the stage's
 * answers. The URL is read with static/params.js (ExoSepParams: the one
 * schema): a bad value is listed politely on the page and its default used.
 * Keys: static/keys.js (Space play/pause, R reset, arrows step the focused
 * field, Shift finer). Plain ES2017, no modules. Number formats: format.js.
 */
(function () {
  "use strict";

  var SEND_DELAY_MS = 100; // debounce of control changes
  var ERROR_DELAY_MS = 700; // typing pause before an invalid value is reported
  var READY_TIMEOUT_MS = 20000;
  var PAGE = "duc.html";

  var F = window.ExoSepFormat;
  var P = window.ExoSepParams;
  var S = window.ExoSepStage;
  var form = document.getElementById("controls");
  var iframe = document.getElementById("stage");
  if (!F || !P || !S || !form || !iframe) {
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
  // The link's settings, checked with the schema (defaults where bad).
  var parsed = P.parse(window.location.search, PAGE);
  P.showWarnings($("param-warnings"), parsed.warnings);
  if (parsed.ignored.length) { console.info("ExoSep: URL keys not used by this page: " + parsed.ignored.join(", ")); }
  var cur = parsed.values;
  var extra = {
    particles: cur.particles, seed: cur.seed,
    // null: follow the browser's preference
    reducedMotion: new URLSearchParams(window.location.search).has("reducedMotion") ? !!cur.reducedMotion : null
  };
  var names = {};
  P.table.species.forEach(function (s) { names[s.id] = s.short; });
  var clientErrors = [];
  var stageErrors = [];
  var reducedMotionQuery = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;

  // ---- rotor geometry and speed ----

  // currentRotor is the selected rotor as the schema describes it.
  function currentRotor() {
    var r = P.rotor(ui.rotor.value) || P.rotor(P.entry("rotor").default);
    return { name: r.name, kind: r.kind, angleDeg: r.angleDeg, maxRpm: r.maxRPM, rMin: r.rMinM, rMax: r.rMaxM, raw: r };
  }
  function radius(r, at) { return P.radius(r.raw, at); }
  var rcfFor = P.rcfFor;
  function rpmFor(rcf, radiusM) {
    return 60 / (2 * Math.PI) * Math.sqrt(rcf * 9.80665 / radiusM); // inverse of rcfFor
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
        !!(reducedMotionQuery && reducedMotionQuery.matches),
      colorProfile: cur.colorProfile
    };
    var sp = S.shownSpecies(cur.species);
    if (sp) { p.species = sp; }
    if (mode === "rpm") {
      p.rpm = readNumber(ui.speed);
    } else {
      p.rcf = readNumber(ui.speed);
      p.rcfAt = at;
    }
    return { params: p, errors: [] };
  }

  // spinValues are the page's values (schema names) for params p of the
  // one-spin mode: what its link carries.
  function spinValues(p) {
    var v = Object.assign({}, cur, {
      mode: "spin", rotor: p.rotor, rpm: p.rpm === undefined ? null : p.rpm, rcf: p.rcf === undefined ? null : p.rcf,
      rcfAt: p.rcfAt === undefined ? null : p.rcfAt, minutes: p.minutes, temperatureC: p.temperatureC, medium: p.medium,
      timeScale: p.timeScale, particles: p.particles, seed: p.seed, protocol: null, p: "", preset: null
    });
    if (extra.reducedMotion !== null) { v.reducedMotion = extra.reducedMotion; }
    return v;
  }
  // protocolValues are the page's values in the protocol mode: the
  // protocol (protocol=ID or p=…) and the animation settings, no spin.
  function protocolValues() {
    var d = P.defaults(PAGE, null);
    var link = page.protocolLink ? page.protocolLink() : {};
    return Object.assign(d, {
      mode: "protocol", protocol: link.protocol || null, p: link.p || "",
      colorProfile: cur.colorProfile, species: cur.species, particles: cur.particles, seed: cur.seed,
      timeScale: link.timeScale || cur.timeScale, reducedMotion: extra.reducedMotion !== null ? extra.reducedMotion : d.reducedMotion
    });
  }

  // ---- the stage ----

  var client = S.connect(iframe, {
    ready: onReady,
    result: function (r) {
      if (!spinMode()) { return; }
      stageErrors = [];
      renderErrors();
      renderResult(r);
      renderTransport();
    },
    state: function (st) {
      if (st.step || !spinMode()) { return; } // a protocol animation: protocol.js shows it
      renderState(st);
    },
    error: function (field, message) {
      stageErrors = [{ field: field, message: message }];
      renderErrors();
      ui.readout.removeAttribute("aria-busy");
      ui.readout.classList.remove("stale");
      if (field === "stage") {
        clearTimeout(readyTimer);
        ui.status.textContent = "The animation could not start. The results below stay at the settings named above the table.";
      }
    }
  });
  client.hold = !spinMode();

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
    ui.permalink.setAttribute("href", PAGE + P.query(spinValues(v.params), PAGE));
    if (share) { share.refresh(); }
    var text = JSON.stringify(v.params);
    if (text === lastSent && !force) { return; }
    lastSent = text;
    stage.totalMinutes = v.params.minutes;
    var stale = text !== shownParams;
    ui.readout.classList.toggle("stale", stale);
    if (stale) { ui.readout.setAttribute("aria-busy", "true"); } else { ui.readout.removeAttribute("aria-busy"); }
    client.hold = false;
    client.send(v.params);
  }

  function scheduleSend() {
    clearTimeout(sendTimer);
    sendTimer = setTimeout(function () { sendParams(false, false); }, SEND_DELAY_MS);
  }

  function play() { client.play(); stage.playing = true; stage.done = false; renderTransport(); }
  function pause() { client.pause(); stage.playing = false; renderTransport(); }
  function reset() { client.reset(); stage.playing = false; stage.done = false; stage.minutes = 0; renderTransport(); }
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
      row.hidden = !S.shows(cur.species, s.id); // species=: the populations listed
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
    var kind = client.result ? client.result.rotorKind : currentRotor().kind;
    var text = S.describe(st, { names: names, totalMinutes: stage.totalMinutes, kind: kind, only: cur.species });
    if (text !== stage.lastDescription) {
      stage.lastDescription = text;
      ui.description.textContent = text;
    }
  }

  // ---- the link's settings onto the form ----

  function selectOption(select, value) {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === String(value)) { select.selectedIndex = i; return true; }
    }
    return false;
  }
  // writeControls puts validated values (schema names) into the form.
  function writeControls(v) {
    selectOption(ui.rotor, v.rotor);
    var rpm = v.rpm !== null && v.rpm !== undefined;
    ui.modeRpm.checked = rpm;
    ui.modeRcf.checked = !rpm;
    ui.speed.value = String(rpm ? v.rpm : v.rcf);
    selectOption(ui.rcfAt, v.rcfAt || "max");
    ui.minutes.value = String(v.minutes);
    ui.temperatureC.value = String(v.temperatureC);
    selectOption(ui.medium, v.medium);
    if (!selectOption(ui.timeScale, v.timeScale)) {
      var o = document.createElement("option");
      o.value = String(v.timeScale);
      o.textContent = v.timeScale % 60 === 0 ? (v.timeScale / 60) + " min" : v.timeScale + " s";
      ui.timeScale.appendChild(o);
      ui.timeScale.value = String(v.timeScale);
    }
    extra.particles = v.particles;
    extra.seed = v.seed;
  }

  var readyTimer = setTimeout(function () {
    if (!stage.ready) {
      ui.status.textContent = "The animation has not started: this browser may lack WebAssembly or WebGL2. " +
        "The results below stay at the settings named above the table.";
    }
  }, READY_TIMEOUT_MS);

  function onReady() {
    stage.ready = true;
    clearTimeout(readyTimer);
    stageErrors = stageErrors.filter(function (e) { return e.field !== "stage"; });
    renderErrors();
    renderTransport();
    sendParams(true, false); // the client re-sent the last params already
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

  if (window.ExoSepKeys) { window.ExoSepKeys.install({ toggle: togglePlay, reset: reset }); }

  Array.prototype.forEach.call(document.querySelectorAll("a[data-preset]"), function (a) {
    a.addEventListener("click", function (e) {
      if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) { return; }
      e.preventDefault();
      var v = P.parse(a.search, PAGE);
      P.showWarnings($("param-warnings"), v.warnings);
      writeControls(Object.assign({}, v.values, { timeScale: Number(ui.timeScale.value), particles: extra.particles, seed: extra.seed }));
      sendParams(true, false);
      ui.speed.focus();
    });
  });

  // The "Share / embed" panel: the link carries the mode and the state.
  // Protocols have no embed page of their own: their snippet embeds
  // duc.html itself.
  var share = null;
  var panel = document.querySelector("[data-share]");
  if (panel && window.ExoSepShare) {
    share = window.ExoSepShare.attach(panel, function () {
      if (!spinMode()) { return { values: protocolValues(), embed: PAGE }; }
      var v = validate();
      return v.params ? { values: spinValues(v.params) } : null;
    });
  }

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
    if (share) { share.refresh(); }
  };
  page.onProtocolMode = function () {
    client.hold = true; // protocol.js drives the stage now
    if (share) { share.refresh(); }
  };
  // The pre-rendered readout is for the form's initial (default) values.
  var initial = validate();
  if (initial.params) { shownParams = JSON.stringify(initial.params); }
  writeControls(cur);
  Array.prototype.forEach.call(document.querySelectorAll(".legend [data-species]"), function (li) {
    li.hidden = !S.shows(cur.species, li.getAttribute("data-species"));
  });
  // The stage may already be listening if it became ready before this
  // script ran; otherwise its "ready" message triggers the send again.
  sendParams(true, true);
  window.exosepDUC = {
    values: function () { return spinMode() ? (validate().params ? spinValues(validate().params) : null) : protocolValues(); },
    query: function () { var v = window.exosepDUC.values(); return v ? P.query(v, PAGE) : ""; }
  };
})();
