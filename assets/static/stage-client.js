/* ExoSep stage client: drives one stage iframe (stage.html) by
 * postMessage, as duc.js does, for the embed and comparison pages (and, later,
 * duc.js itself). The contract is package exosep/wasm/bridge (Go):
 *
 *   page → stage  params {params}, play, pause, reset
 *   stage → page  ready, result {result}, state {state}, error {field, message}
 *
 * Messages are accepted only from the iframe's window (event.source) and
 * their shape is checked; anything else is ignored with console.warn.
 *
 *   var c = ExoSepStage.connect(iframe, {ready, result, state, error});
 *   c.send(ExoSepStage.stageParams(values)); c.play(); c.pause(); c.reset();
 *   ExoSepStage.describe(state, {names, totalMinutes, kind, only}) → text
 *
 * Plain ES2017, no modules.
 */
(function () {
  "use strict";

  var VERSION = 1;

  function isNum(x) { return typeof x === "number" && isFinite(x); }
  function validResult(r) {
    if (!r || typeof r !== "object" || !Array.isArray(r.species)) { return false; }
    var nums = ["rpm", "rcfMin", "rcfAvg", "rcfMax", "kFactor", "cutoffDiameterNm", "minutes", "viscosityMPas", "mediumDensityGPerMl"];
    for (var i = 0; i < nums.length; i++) {
      if (!isNum(r[nums[i]])) { return false; }
    }
    return typeof r.rotor === "string" && typeof r.rotorKind === "string" && r.species.every(function (s) {
      return s && typeof s.id === "string" && isNum(s.pelletedFraction) && isNum(s.floatedFraction) && isNum(s.svedberg);
    });
  }
  function validState(st) {
    return !!st && typeof st === "object" && isNum(st.minutes) && typeof st.playing === "boolean" &&
      typeof st.done === "boolean" && Array.isArray(st.species) && st.species.every(function (s) {
        return s && typeof s.id === "string" && isNum(s.free) && isNum(s.pelleted) && isNum(s.floated);
      });
  }

  function connect(iframe, on) {
    on = on || {};
    // pending counts params messages not yet answered: the stage answers
    // each with one result or error, in order, and only the answer to the
    // latest one is shown. Right after "ready" the stage posts, in the same
    // turn, its start-up result for its own URL (wasm/doc.go, Messages);
    // startup skips that one, since it is not for this page's params.
    var c = { ready: false, params: null, result: null, state: null, iframe: iframe, pending: 0, startup: false };
    function post(msg) {
      var w = iframe.contentWindow;
      if (!w) { return; }
      msg.exosep = VERSION;
      w.postMessage(msg, "*"); // file:// pages are opaque origins: "*" is the only target that works
    }
    c.send = function (params) {
      c.params = params;
      c.pending++;
      post({ type: "params", params: params });
    };
    function answered() {
      if (c.pending === 0) { return false; }
      c.pending--;
      return c.pending === 0;
    }
    c.play = function () { post({ type: "play" }); };
    c.pause = function () { post({ type: "pause" }); };
    c.reset = function () { post({ type: "reset" }); };
    window.addEventListener("message", function (ev) {
      if (ev.source !== iframe.contentWindow || !iframe.contentWindow) { return; }
      var m = ev.data;
      if (typeof m === "string") {
        try { m = JSON.parse(m); } catch (err) { console.warn("ExoSep: ignored a stage message that is not JSON"); return; }
      }
      if (!m || typeof m !== "object" || m.exosep !== VERSION || typeof m.type !== "string") {
        console.warn("ExoSep: ignored a stage message without {exosep: 1, type}");
        return;
      }
      switch (m.type) {
        case "ready":
          c.ready = true;
          c.startup = true;
          c.pending = 0; // anything sent before the stage listened was lost
          if (c.params) { c.send(c.params); }
          if (on.ready) { on.ready(c); }
          return;
        case "result":
          if (!validResult(m.result)) { console.warn("ExoSep: ignored a malformed result message"); return; }
          if (c.startup) { c.startup = false; return; }
          if (!answered()) { return; }
          c.result = m.result;
          if (on.result) { on.result(m.result, c); }
          return;
        case "state":
          if (!validState(m.state)) { console.warn("ExoSep: ignored a malformed state message"); return; }
          c.state = m.state;
          if (on.state) { on.state(m.state, c); }
          return;
        case "error":
          if (typeof m.message !== "string") { console.warn("ExoSep: ignored a malformed error message"); return; }
          if (m.field !== "stage" && (c.startup || !answered())) { return; } // start-up URL errors, or superseded
          if (on.error) { on.error(typeof m.field === "string" ? m.field : "", m.message, c); }
          return;
        case "frame":
          return;
      }
      console.warn("ExoSep: ignored a stage message of unknown type:", m.type);
    });
    return c;
  }

  // stageParams turns validated values (ExoSepParams) into bridge.Params.
  function stageParams(v, reducedMotion) {
    var p = {
      rotor: v.rotor, minutes: v.minutes, temperatureC: v.temperatureC, medium: v.medium,
      particles: v.particles, timeScale: v.timeScale, seed: v.seed,
      reducedMotion: reducedMotion === undefined ? !!v.reducedMotion : !!reducedMotion
    };
    if (v.rpm !== null && v.rpm !== undefined) {
      p.rpm = v.rpm;
    } else {
      p.rcf = v.rcf;
      p.rcfAt = v.rcfAt || "max";
    }
    return p;
  }

  // spokenPercent rounds for speech, never claiming 0 or 100 unless exact.
  function spokenPercent(x) {
    if (!(x > 0)) { return "0%"; }
    if (x >= 1) { return "100%"; }
    if (x < 0.005) { return "under 1%"; }
    if (x > 0.995) { return "over 99%"; }
    return Math.round(x * 100) + "%";
  }

  function minutes(x) { return (Math.round(x * 10) / 10).toFixed(1); }

  // describe says in words what the stage shows: how much of each
  // population has pelleted or floated, and where the pellet forms.
  // opts: names {id: short name}, totalMinutes, kind ("swinging bucket" |
  // "fixed angle"), only (species ids to mention; all when empty).
  function describe(st, opts) {
    opts = opts || {};
    var names = opts.names || {};
    var only = opts.only && opts.only.length ? opts.only : null;
    var pelleted = [];
    var floated = [];
    var moved = false;
    st.species.forEach(function (s) {
      if (only && only.indexOf(s.id) < 0) { return; }
      var total = s.free + s.pelleted + s.floated;
      if (!(total > 0)) { return; }
      var name = names[s.id] || s.id;
      if (s.pelleted > 0 || s.floated > 0) { moved = true; }
      pelleted.push(spokenPercent(s.pelleted / total) + " of " + name);
      if (s.floated > 0) { floated.push(spokenPercent(s.floated / total) + " of " + name); }
    });
    if (!pelleted.length) { return "No particles are on the stage."; }
    var total = opts.totalMinutes ? minutes(opts.totalMinutes) : "?";
    if (!moved && !st.done) {
      return st.minutes > 0 ? "After " + minutes(st.minutes) + " of " + total + " min nothing has reached the pellet yet." :
        "At the start every population is spread evenly through the tube; nothing has pelleted yet.";
    }
    var head = st.done ? "Spin finished after " + minutes(st.minutes) + " min: " :
      "After " + minutes(st.minutes) + " of " + total + " min: ";
    var text = head + pelleted.join(", ") + " have pelleted";
    if (floated.length) { text += "; " + floated.join(", ") + " have floated to the top"; }
    text += ".";
    if (opts.kind) {
      text += /fixed/i.test(opts.kind) ? " The pellet lies along the tube's outer wall, near its bottom." :
        " The pellet lies at the bottom of the tube.";
    }
    return text;
  }

  window.ExoSepStage = {
    connect: connect, stageParams: stageParams, describe: describe, spokenPercent: spokenPercent,
    validResult: validResult, validState: validState
  };
})();
