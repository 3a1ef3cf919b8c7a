/* ExoSep stage client: drives one stage iframe (stage.html) by
 * postMessage for every page with a stage (duc.html, the gradient and
 * filtration pages, the embed and comparison pages). The contract is
 * package exosep/wasm/bridge (Go):
 *
 *   page → stage  params {params}, protocol {seq, protocol, animation},
 *                 gradient {seq, gradient, input, animation},
 *                 filtration {seq, protocol, volumeMl, compare, animation},
 *                 play, pause, reset
 *   stage → page  ready, result {result}, state {state}, error {field, message},
 *                 protocolResult {seq, result}, protocolError {seq, problems},
 *                 gradientResult / filtrationResult {seq, result},
 *                 gradientError / filtrationError {seq, field, message, problems}
 *
 * Messages are accepted only from the iframe's window (event.source) and
 * their shape is checked; anything else is ignored with console.warn.
 *
 *   var c = ExoSepStage.connect(iframe, {ready, result, state, error, protocolResult, protocolError,
 *                                        runResult, runError});
 *   c.send(ExoSepStage.stageParams(values)); c.play(); c.pause(); c.reset();
 *   c.sendProtocol(protocol, ExoSepStage.animation(values)) → seq
 *   c.sendRun("gradient" | "filtration", body) → seq   // body: the message's fields
 *   c.hold = true    // do not re-send the last params/protocol when the stage becomes ready
 *   ExoSepStage.describe(state, {names, totalMinutes, kind, only, steps}) → text
 *
 * Only the answer to the latest request is passed on. A run (gradient,
 * filtration) is not re-sent on ready: those pages read their form again
 * and send a new one from on.ready.
 *
 * Plain ES2017, no modules.
 */
(function () {
  "use strict";

  var VERSION = 1;
  // RUNS are the run kinds answered by <kind>Result / <kind>Error.
  var RUNS = { gradient: true, filtration: true };

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
    var c = { ready: false, params: null, result: null, state: null, iframe: iframe, pending: 0, startup: false,
      seq: 0, last: null, hold: false, protocolResult: null };
    function post(msg) {
      var w = iframe.contentWindow;
      if (!w) { return; }
      msg.exosep = VERSION;
      w.postMessage(msg, "*"); // file:// pages are opaque origins: "*" is the only target that works
    }
    c.send = function (params) {
      c.params = params;
      c.last = "params";
      c.pending++;
      post({ type: "params", params: params });
    };
    // sendProtocol runs a whole protocol (engine/protocol JSON) on the
    // stage; the answer with the returned seq is the one shown.
    c.sendProtocol = function (protocol, animation, volumeMl) {
      c.seq++;
      c.protocolMsg = { protocol: protocol, animation: animation, volumeMl: volumeMl };
      c.last = "protocol";
      var m = { type: "protocol", seq: c.seq, protocol: protocol };
      if (animation) { m.animation = animation; }
      if (volumeMl) { m.volumeMl = volumeMl; }
      post(m);
      return c.seq;
    };
    // sendRun sends a run request of kind type (RUNS) with the fields of
    // body; the answer with the returned seq is the one passed on.
    c.sendRun = function (type, body) {
      c.seq++;
      c.last = type;
      var m = { type: type, seq: c.seq };
      Object.keys(body).forEach(function (k) { m[k] = body[k]; });
      post(m);
      return c.seq;
    };
    function answered() {
      if (c.pending === 0) { return false; }
      c.pending--;
      return c.pending === 0;
    }
    c.play = function () { post({ type: "play" }); };
    c.pause = function () { post({ type: "pause" }); };
    c.reset = function () { post({ type: "reset" }); };
    // runAnswer passes on a gradient or filtration answer to the latest
    // run request: true when m is one (handled or ignored).
    function runAnswer(m) {
      var r = /^(\w+)(Result|Error)$/.exec(m.type);
      if (!r || !RUNS[r[1]]) { return false; }
      if (typeof m.seq !== "number") { console.warn("ExoSep: ignored a " + m.type + " message without seq"); return true; }
      if (m.seq !== c.seq || c.last !== r[1]) { return true; } // an older request
      if (r[2] === "Result") {
        if (!m.result || typeof m.result !== "object") { console.warn("ExoSep: ignored a malformed " + m.type + " message"); return true; }
        if (on.runResult) { on.runResult(m.result, c); }
        return true;
      }
      var problems = Array.isArray(m.problems) ? m.problems.filter(function (p) { return p && typeof p.message === "string"; }) : [];
      if (!problems.length) { problems = [{ field: typeof m.field === "string" && m.field ? m.field : r[1], message: String(m.message) }]; }
      if (on.runError) { on.runError(problems, c); }
      return true;
    }
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
          if (!c.hold && c.last === "params") { c.send(c.params); }
          if (!c.hold && c.last === "protocol") { c.sendProtocol(c.protocolMsg.protocol, c.protocolMsg.animation, c.protocolMsg.volumeMl); }
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
        case "protocolResult":
          if (typeof m.seq !== "number" || !m.result || !Array.isArray(m.result.steps) || !m.result.final) {
            console.warn("ExoSep: ignored a malformed protocolResult message");
            return;
          }
          if (m.seq !== c.seq || c.last !== "protocol") { return; } // an older request
          c.protocolResult = m.result;
          if (on.protocolResult) { on.protocolResult(m.result, c); }
          return;
        case "protocolError":
          if (typeof m.seq !== "number" || !Array.isArray(m.problems)) { console.warn("ExoSep: ignored a malformed protocolError message"); return; }
          if (m.seq !== c.seq || c.last !== "protocol") { return; }
          if (on.protocolError) {
            on.protocolError(m.problems.filter(function (p) { return p && typeof p.message === "string"; }), c);
          }
          return;
        case "frame":
          return;
      }
      if (runAnswer(m)) { return; }
      console.warn("ExoSep: ignored a stage message of unknown type:", m.type);
    });
    return c;
  }

  // shownSpecies is the species list to send to the stage: null when it
  // names every species (the stage's default) or none.
  function shownSpecies(list) {
    var P = window.ExoSepParams;
    var all = P ? P.table.species.length : Infinity;
    return Array.isArray(list) && list.length > 0 && list.length < all ? list.slice() : null;
  }
  // shows reports whether species id is listed (an empty list shows all).
  function shows(list, id) { return !Array.isArray(list) || list.length === 0 || list.indexOf(id) >= 0; }

  // display adds the display settings (colour profile, species shown) of
  // values v to a stage message body o.
  function display(o, v) {
    o.colorProfile = v.colorProfile || "default";
    var sp = shownSpecies(v.species);
    if (sp) { o.species = sp; }
    return o;
  }

  // animation turns validated values into the animation settings of a
  // protocol message (bridge.Animation).
  function animation(v, reducedMotion) {
    return display({
      particles: v.particles, timeScale: v.timeScale, seed: v.seed,
      reducedMotion: reducedMotion === undefined ? !!v.reducedMotion : !!reducedMotion
    }, v);
  }

  // stageParams turns validated values (ExoSepParams) into bridge.Params.
  function stageParams(v, reducedMotion) {
    var p = display({
      rotor: v.rotor, minutes: v.minutes, temperatureC: v.temperatureC, medium: v.medium,
      particles: v.particles, timeScale: v.timeScale, seed: v.seed,
      reducedMotion: reducedMotion === undefined ? !!v.reducedMotion : !!reducedMotion
    }, v);
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

  // where says where the settled particles are.
  function where(kind) {
    return /fixed/i.test(kind || "") ? " The pellet lies along the tube's outer wall, near its bottom; floating particles gather at the inner wall near the top." :
      " The pellet lies at the bottom of the tube; floating particles gather under the meniscus.";
  }

  // handOff says what a gradient or membrane step of a protocol hands on
  // (sr: the step's result).
  function handOff(sr) {
    if (sr && sr.gradient) {
      var k = sr.gradient.kept_fractions || [];
      return (k.length === 1 ? "fraction " : "fractions ") + k.join(", ") + " are kept and pooled; the rest of the gradient is discarded";
    }
    if (sr && sr.filter && sr.filter.collect === "retentate") { return "the retentate goes on; the permeate is discarded"; }
    return "the filtrate goes on; what the membrane held back is discarded";
  }
  // note says what a step without motion (resuspend, pool) did.
  function note(sr) {
    if (!sr) { return "a step without motion"; }
    if (sr.kind === "pool") { return "the vessels are pooled into one (" + sr.volume_out_ml + " mL)"; }
    return "resuspended or diluted in PBS to " + sr.volume_out_ml + " mL";
  }
  // membraneStep describes a protocol's filter or ultrafilter step: the
  // engine's phase and time, and what the particles drawn have done.
  function membraneStep(st, names, only) {
    var f = st.filtration;
    var parts = [];
    f.species.forEach(function (s) {
      if (!shows(only, s.id) || !(s.drawn > 0)) { return; }
      parts.push((names[s.id] || s.id) + " " + spokenPercent(s.passed / s.drawn) + " through the membrane, " +
        spokenPercent((s.retained + s.trapped) / s.drawn) + " held back");
    });
    return (st.done ? "membrane step finished after " : "membrane " + f.phase + ", after ") + minutes(st.minutes) + " min: " +
      (parts.length ? parts.join("; ") : "no particles shown") + ".";
  }
  // gradientStep describes a protocol's density-gradient step: where each
  // species' band is and what pelleted or floated.
  function gradientStep(st, names, only) {
    var parts = [];
    st.species.forEach(function (s) {
      if (!shows(only, s.id) || !(s.free + s.pelleted + s.floated > 0)) { return; }
      var bits = [];
      if (s.peakFraction > 0) { bits.push("most in fraction " + s.peakFraction); }
      if (s.pelletedShare >= 0.005) { bits.push(spokenPercent(s.pelletedShare) + " pelleted"); }
      if (s.floatedShare >= 0.005) { bits.push(spokenPercent(s.floatedShare) + " floated"); }
      if (bits.length) { parts.push((names[s.id] || s.id) + " " + bits.join(", ")); }
    });
    var head = st.phase === "fractionate" ? (st.done ? "density gradient spun; all " + st.fractions + " fractions drawn" :
      "density gradient spun; drawing " + st.fractions + " fractions from the top") :
      "density gradient spinning, after " + (st.minutes >= 120 ? (Math.round(st.minutes / 6) / 10).toFixed(1) + " h" : minutes(st.minutes) + " min");
    return head + ": " + (parts.length ? parts.join("; ") : "no particles shown") + ".";
  }

  // describe says in words what the stage shows: how much of each
  // population has pelleted or floated, and where the pellet and the
  // floating layer are; in a protocol animation, which step and phase
  // (a spin, a density gradient, a membrane, what a step hands on, or a
  // step without motion).
  // Pages announce it politely (aria-live) at milestones only: the stage
  // posts a state at the start, every tenth of a run, on play, pause,
  // reset, a new step and the end, never per frame.
  // opts: names {id: short name}, totalMinutes, kind (rotor kind), only
  // (species ids to mention; all when empty), steps (a protocol result's
  // steps, to name them).
  function describe(st, opts) {
    opts = opts || {};
    var names = opts.names || {};
    var pelleted = [];
    var floated = [];
    var moved = false;
    st.species.forEach(function (s) {
      if (!shows(opts.only, s.id)) { return; }
      var total = s.free + s.pelleted + s.floated;
      if (!(total > 0)) { return; }
      var name = names[s.id] || s.id;
      if (s.pelleted > 0 || s.floated > 0) { moved = true; }
      pelleted.push(spokenPercent(s.pelleted / total) + " of " + name);
      if (s.floated > 0) { floated.push(spokenPercent(s.floated / total) + " of " + name); }
    });
    if (st.step) {
      var steps = opts.steps || null;
      var sr = steps && steps[st.step - 1];
      var head = "Step " + st.step + (steps ? " of " + steps.length : "") + (sr ? " (" + sr.name + ")" : "");
      if (st.phase === "done") { return "Protocol finished: all its steps have been shown. The results are below."; }
      if (st.phase === "hand-off") { return head + ": " + handOff(sr) + "."; }
      if (st.phase === "note") { return head + ": " + note(sr) + "; nothing moves, so there is nothing to animate."; }
      if (st.filtration) { return head + ", " + membraneStep(st, names, opts.only); }
      if (st.fractions > 0) { return head + ", " + gradientStep(st, names, opts.only); }
      if (st.phase === "pour-off") {
        var keep = sr && sr.spin ? sr.spin.keep : "";
        return head + ": " + (keep === "pellet" ? "the supernatant is poured away and the pellet kept" :
          "the supernatant is poured off and kept; the pellet is discarded") + ". Pelleted: " + pelleted.join(", ") + ".";
      }
      if (st.done) { return head + ", spin finished: " + pelleted.join(", ") + " have pelleted." + where(opts.kind); }
      return head + ", after " + minutes(st.minutes) + " min: " + pelleted.join(", ") + " have pelleted.";
    }
    if (!pelleted.length) { return "No particles are on the stage."; }
    var total = opts.totalMinutes ? minutes(opts.totalMinutes) : "?";
    if (!moved && !st.done) {
      return st.minutes > 0 ? "After " + minutes(st.minutes) + " of " + total + " min nothing has reached the pellet yet." :
        "At the start every population is spread evenly through the tube; nothing has pelleted yet.";
    }
    var text = (st.done ? "Spin finished after " + minutes(st.minutes) + " min: " :
      "After " + minutes(st.minutes) + " of " + total + " min: ") + pelleted.join(", ") + " have pelleted";
    if (floated.length) { text += "; " + floated.join(", ") + " have floated to the top"; }
    return text + "." + (opts.kind ? where(opts.kind) : "");
  }

  window.ExoSepStage = {
    connect: connect, stageParams: stageParams, animation: animation, describe: describe, spokenPercent: spokenPercent,
    shownSpecies: shownSpecies, shows: shows, validResult: validResult, validState: validState
  };
})();
