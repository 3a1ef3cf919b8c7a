/* ExoSep embed page (duc-embed.html): the stage and compact controls, with
 * minimal chrome, for iframes in slides, course pages and learning
 * management systems.
 *
 * URL parameters are read and checked with static/params.js (the one
 * schema); bad values are listed politely in the page and replaced by
 * their defaults. The stage is driven as in duc.js (static/stage-client.js).
 * The page that embeds this one may drive it through the host API
 * (static/host-api.js): it receives ready, result, state, done and params
 * messages and may send set, play, pause, reset and get. Title, hide, lock
 * and the fullscreen button are static/form.js's (ExoSepForm.embed).
 */
(function () {
  "use strict";

  var P = window.ExoSepParams;
  var S = window.ExoSepStage;
  var F = window.ExoSepFormat;
  var H = window.ExoSepHost;
  var iframe = document.getElementById("stage");
  if (!P || !S || !F || !H || !window.ExoSepForm || !iframe) { return; }
  var PAGE = "duc-embed.html";

  function $(id) { return document.getElementById(id); }
  var ui = {
    rotor: $("rotor"), speed: $("speed"), speedMode: $("speedMode"), rcfAt: $("rcfAt"),
    minutes: $("minutes"), temperatureC: $("temperatureC"), medium: $("medium"), timeScale: $("timeScale"),
    play: $("play"), pause: $("pause"), reset: $("reset"),
    status: $("stage-status"), description: $("description"), error: $("error"),
    results: $("results"), open: $("open-full"), speedRange: $("speed-range")
  };

  var search = window.location.search;
  var parsed = P.parse(search, PAGE);
  P.showWarnings($("param-warnings"), parsed.warnings);
  if (parsed.ignored.length) { console.info("ExoSep: URL keys not used by this page: " + parsed.ignored.join(", ")); }
  var cur = parsed.values;
  var rmGiven = new URLSearchParams(search).has("reducedMotion");
  var motionQuery = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;
  function reduced() { return rmGiven ? !!cur.reducedMotion : !!(cur.reducedMotion || (motionQuery && motionQuery.matches)); }

  // ---- page parameters: title, hide, lock, fullscreen ----

  window.ExoSepForm.embed(cur);

  // ---- controls ⇄ values ----

  function selectValue(select, value) {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === String(value)) { select.selectedIndex = i; return; }
    }
    var o = document.createElement("option");
    o.value = String(value);
    o.textContent = Number(value) % 60 === 0 ? (Number(value) / 60) + " min" : value + " s";
    select.appendChild(o);
    select.value = String(value);
  }
  function speedHints() {
    var r = P.rotor(ui.rotor.value);
    if (!r) { return; }
    var mode = ui.speedMode.value;
    var max = mode === "rpm" ? r.maxRPM : Math.floor(P.rcfFor(r.maxRPM, P.radius(r, ui.rcfAt.value)));
    ui.speed.max = String(max);
    ui.speed.setAttribute("data-step", mode === "rpm" ? "1000" : "1000");
    ui.rcfAt.disabled = mode === "rpm" || ui.speedMode.disabled;
    ui.speedRange.textContent = "1\u2013" + F.int(max) + (mode === "rpm" ? " rpm" : " \u00d7 g");
  }
  function writeControls() {
    selectValue(ui.rotor, cur.rotor);
    var rpm = cur.rpm !== null && cur.rpm !== undefined;
    ui.speedMode.value = rpm ? "rpm" : "rcf";
    ui.speed.value = String(rpm ? cur.rpm : cur.rcf);
    ui.rcfAt.value = cur.rcfAt || "max";
    ui.minutes.value = String(cur.minutes);
    ui.temperatureC.value = String(cur.temperatureC);
    ui.medium.value = cur.medium;
    selectValue(ui.timeScale, cur.timeScale);
    speedHints();
  }
  function num(input) {
    var s = String(input.value).trim();
    return s === "" || (input.validity && input.validity.badInput) ? "?" : s;
  }
  function readControls() {
    var ch = {
      rotor: ui.rotor.value, minutes: num(ui.minutes), temperatureC: num(ui.temperatureC),
      medium: ui.medium.value, timeScale: ui.timeScale.value
    };
    if (ui.speedMode.value === "rpm") { ch.rpm = num(ui.speed); } else { ch.rcf = num(ui.speed); ch.rcfAt = ui.rcfAt.value; }
    return ch;
  }
  var LABELS = { rotor: "Rotor", rpm: "Speed", rcf: "Speed", rcfAt: "Radius", minutes: "Duration",
    temperatureC: "Temperature", medium: "Medium", timeScale: "Time scale" };
  function showErrors(errors) {
    ui.error.textContent = "";
    [ui.speed, ui.minutes, ui.temperatureC].forEach(function (c) { c.removeAttribute("aria-invalid"); });
    errors.forEach(function (e) {
      var p = document.createElement("p");
      p.textContent = (LABELS[e.name] || e.name) + ": " + e.message + ".";
      ui.error.appendChild(p);
      var c = e.name === "rpm" || e.name === "rcf" ? ui.speed : ui[e.name];
      if (c && c.setAttribute) { c.setAttribute("aria-invalid", "true"); }
    });
  }

  // ---- stage ----

  var run = { playing: false, done: false, doneSent: false, announced: "", half: false };
  var names = {};
  P.table.species.forEach(function (s) { names[s.id] = s.short; });

  function stageParams() { return S.stageParams(cur, reduced()); }
  function publicValues() { return JSON.parse(JSON.stringify(cur)); }
  function send() {
    ui.results.classList.add("stale");
    client.send(stageParams());
    if (ui.open) { ui.open.setAttribute("href", "duc.html" + P.query(cur, "duc.html")); }
    run.doneSent = false;
    document.dispatchEvent(new Event("exosep:state"));
  }

  function renderResult(r) {
    var rows = ui.results.querySelectorAll("tbody tr[data-species]");
    Array.prototype.forEach.call(rows, function (row) {
      var id = row.getAttribute("data-species");
      row.hidden = !S.shows(cur.species, id);
      r.species.forEach(function (s) {
        if (s.id !== id) { return; }
        var cell = row.querySelector("[data-col=pelleted]");
        cell.setAttribute("data-fraction", String(s.pelletedFraction));
        cell.textContent = F.percent(s.pelletedFraction) + " %";
      });
    });
    var set = function (sel, text) { var n = ui.results.querySelector(sel); if (n) { n.textContent = text; } };
    set("[data-testid=rpm]", F.int(r.rpm) + " rpm");
    set("[data-testid=rcf-max]", F.int(r.rcfMax) + " \u00d7 g");
    set("[data-testid=kfactor]", F.sci(r.kFactor) + " h\u00b7S");
    set("[data-testid=cutoff]", F.cutoff(r.cutoffDiameterNm));
    ui.results.classList.remove("stale");
  }

  function renderState(st) {
    run.playing = st.playing;
    run.done = st.done;
    var total = cur.minutes;
    var kind = client.result ? client.result.rotorKind : "";
    var text = S.describe(st, { names: names, totalMinutes: total, kind: kind, only: cur.species });
    ui.status.textContent = st.done ? "Finished: " + F.minutes(st.minutes) + " min. Press Play to run again." :
      st.playing ? "Spinning\u2026 " + F.minutes(st.minutes) + " of " + F.minutes(total) + " min" :
      st.minutes > 0 ? "Paused at " + F.minutes(st.minutes) + " of " + F.minutes(total) + " min" :
      "Ready. Press Play (or Space) to spin for " + F.minutes(total) + " min.";
    // Announce at milestones only: the start, half way, a pause, the end.
    var key = st.done ? "done" : !st.playing ? "paused@" + st.minutes : st.minutes >= total / 2 ? "half" : "start";
    if (key !== run.announced) {
      run.announced = key;
      ui.description.textContent = text;
    }
    ui.play.classList.toggle("is-active", st.playing);
    host.post("state", { state: st, description: text });
    if (!st.done) {
      run.doneSent = false;
    } else if (!run.doneSent) {
      run.doneSent = true;
      host.post("done", { params: stageParams(), result: client.result, state: st });
    }
  }

  var firstReady = true;
  var client = S.connect(iframe, {
    ready: function () {
      if (firstReady) {
        firstReady = false;
        if (!cur.autoplay) { client.reset(); }
        host.post("ready", { params: publicValues() });
      }
    },
    result: function (r) {
      showErrors([]);
      renderResult(r);
      host.post("result", { params: stageParams(), result: r });
    },
    state: renderState,
    error: function (field, message) {
      showErrors([{ name: field || "stage", message: message }]);
      if (field === "stage") { ui.status.textContent = "The animation could not start; the numbers still work."; }
    }
  });

  function play() { if (run.done) { client.reset(); } client.play(); run.playing = true; }
  function pause() { client.pause(); run.playing = false; }
  function reset() { client.reset(); run.playing = false; run.announced = ""; }
  function toggle() { if (run.playing) { pause(); } else { play(); } }

  var host = H.start({
    set: function (changes) {
      var m = P.merge(cur, changes, PAGE, null);
      if (!m.ok) { return m; }
      cur = m.values;
      writeControls();
      send();
      host.post("params", { params: publicValues(), query: P.query(cur, PAGE) });
      return m;
    },
    play: play, pause: pause, reset: reset,
    get: function () { host.post("params", { params: publicValues(), query: P.query(cur, PAGE) }); }
  });

  // ---- wiring ----

  var form = $("controls");
  var timer = 0;
  function fromControls(now) {
    clearTimeout(timer);
    var go = function () {
      speedHints();
      var m = P.merge(cur, readControls(), PAGE, null);
      if (!m.ok) { showErrors(m.errors); return; }
      showErrors([]);
      var before = JSON.stringify(stageParams());
      cur = m.values;
      if (JSON.stringify(stageParams()) !== before) { send(); }
    };
    if (now) { go(); } else { timer = setTimeout(go, 250); }
  }
  form.addEventListener("submit", function (e) { e.preventDefault(); fromControls(true); });
  form.addEventListener("input", function () { fromControls(false); });
  form.addEventListener("change", function (e) {
    if (e.target === ui.speedMode) {
      var r = P.rotor(ui.rotor.value);
      var v = Number(ui.speed.value);
      if (r && isFinite(v) && v > 0) {
        var rad = P.radius(r, ui.rcfAt.value);
        ui.speed.value = String(Math.round(ui.speedMode.value === "rpm" ? 60 / (2 * Math.PI) * Math.sqrt(v * 9.80665 / rad) : P.rcfFor(v, rad)));
      }
    }
    fromControls(true);
  });
  ui.play.addEventListener("click", play);
  ui.pause.addEventListener("click", pause);
  ui.reset.addEventListener("click", reset);
  if (window.ExoSepKeys) { window.ExoSepKeys.install({ toggle: toggle, reset: reset }); }

  writeControls();
  send();
  window.exosepEmbed = { values: function () { return publicValues(); }, query: function () { return P.query(cur, PAGE); } };
})();
