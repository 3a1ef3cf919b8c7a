/* ExoSep comparison (compare.html, compare-embed.html): the same sample
 * through two or three set-ups side by side (lanes a, b, c), each with
 * its own stage, synchronized play/pause/reset and one results table.
 *
 * URL: lane parameters as a.rotor, b.rpm, c.minutes…; the plain name
 * applies to every lane; temperature, medium, particles, seed and time
 * scale are shared (one sample). Checked with static/params.js.
 * compare-embed.html also answers the host API (static/host-api.js):
 * result and state carry "lane"; done is posted when every lane is done.
 */
(function () {
  "use strict";

  var P = window.ExoSepParams;
  var S = window.ExoSepStage;
  var F = window.ExoSepFormat;
  var H = window.ExoSepHost;
  var table = document.getElementById("results");
  if (!P || !S || !F || !H || !table) { return; }
  var PAGE = document.body.getAttribute("data-page") || "compare.html";

  function $(id) { return document.getElementById(id); }
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  var search = window.location.search;
  var parsed = P.parse(search, PAGE);
  P.showWarnings($("param-warnings"), parsed.warnings);
  if (parsed.ignored.length) { console.info("ExoSep: URL keys not used by this page: " + parsed.ignored.join(", ")); }
  var cur = parsed.values;
  var lanes = parsed.lanes;
  var active = Object.keys(lanes);
  var rmGiven = new URLSearchParams(search).has("reducedMotion");
  var motionQuery = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;
  function reduced() { return rmGiven ? !!cur.reducedMotion : !!(cur.reducedMotion || (motionQuery && motionQuery.matches)); }
  var names = {};
  P.table.species.forEach(function (s) { names[s.id] = s.short; });

  if (cur.title && $("embed-title")) {
    $("embed-title").textContent = cur.title;
    $("embed-title").classList.remove("visually-hidden");
  }
  // Lanes not in use are hidden, their stages never loaded.
  P.table.lanes.forEach(function (l) {
    var on = active.indexOf(l) >= 0;
    each(document.querySelectorAll('[data-lane="' + l + '"]'), function (n) { n.hidden = !on; });
  });
  document.body.setAttribute("data-lanes", String(active.length));
  cur.hide.forEach(function (n) { each(document.querySelectorAll('[data-control="' + n + '"]'), function (b) { b.hidden = true; }); });
  cur.lock.forEach(function (n) {
    each(document.querySelectorAll('[data-control="' + n + '"]'), function (b) {
      b.classList.add("is-locked");
      each(b.querySelectorAll("input, select, button"), function (c) { c.disabled = true; c.setAttribute("title", "Locked for this lesson"); });
    });
  });
  var fs = $("fullscreen");
  var root = document.documentElement;
  if (fs && root.requestFullscreen && document.fullscreenEnabled && cur.hide.indexOf("fullscreen") < 0) {
    fs.hidden = false;
    fs.addEventListener("click", function () {
      if (document.fullscreenElement) { document.exitFullscreen(); } else { root.requestFullscreen().catch(function () {}); }
    });
    document.addEventListener("fullscreenchange", function () {
      fs.setAttribute("aria-pressed", document.fullscreenElement ? "true" : "false");
      fs.lastChild.textContent = document.fullscreenElement ? "Exit full screen" : "Full screen";
    });
  }

  // ---- controls ⇄ values ----

  function ctl(lane, name) { return $(lane ? lane + "-" + name : name); }
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
  function speedHints(l) {
    var r = P.rotor(ctl(l, "rotor").value);
    if (!r) { return; }
    var mode = ctl(l, "speedMode").value;
    var max = mode === "rpm" ? r.maxRPM : Math.floor(P.rcfFor(r.maxRPM, P.radius(r, ctl(l, "rcfAt").value)));
    ctl(l, "speed").max = String(max);
    ctl(l, "rcfAt").disabled = mode === "rpm" || ctl(l, "speedMode").disabled;
  }
  function writeControls() {
    active.forEach(function (l) {
      var v = lanes[l];
      selectValue(ctl(l, "rotor"), v.rotor);
      var rpm = v.rpm !== null && v.rpm !== undefined;
      ctl(l, "speedMode").value = rpm ? "rpm" : "rcf";
      ctl(l, "speed").value = String(rpm ? v.rpm : v.rcf);
      ctl(l, "rcfAt").value = v.rcfAt || "max";
      ctl(l, "minutes").value = String(v.minutes);
      speedHints(l);
    });
    ctl(null, "temperatureC").value = String(cur.temperatureC);
    ctl(null, "medium").value = cur.medium;
    selectValue(ctl(null, "timeScale"), cur.timeScale);
  }
  function num(input) {
    var s = String(input.value).trim();
    return s === "" || (input.validity && input.validity.badInput) ? "?" : s;
  }
  function readLane(l) {
    var ch = {};
    ch[l + ".rotor"] = ctl(l, "rotor").value;
    ch[l + ".minutes"] = num(ctl(l, "minutes"));
    if (ctl(l, "speedMode").value === "rpm") {
      ch[l + ".rpm"] = num(ctl(l, "speed"));
    } else {
      ch[l + ".rcf"] = num(ctl(l, "speed"));
      ch[l + ".rcfAt"] = ctl(l, "rcfAt").value;
    }
    return ch;
  }
  function showErrors(errors) {
    var box = $("error");
    box.textContent = "";
    errors.forEach(function (e) {
      var p = document.createElement("p");
      var lane = e.name.indexOf(".") > 0 ? "Set-up " + e.name.slice(0, e.name.indexOf(".")).toUpperCase() + ", " : "";
      p.textContent = lane + e.name.replace(/^[abc]\./, "") + ": " + e.message + ".";
      box.appendChild(p);
    });
  }

  // ---- stages, kept in step ----

  var run = {};
  var clients = {};
  var allReady = false;
  var playing = false;
  var announced = "";
  var doneSent = false;

  function params(l) {
    var v = Object.assign({}, lanes[l], {
      temperatureC: cur.temperatureC, medium: cur.medium, particles: cur.particles,
      timeScale: cur.timeScale, seed: cur.seed
    });
    return S.stageParams(v, reduced());
  }
  function all(fn) { active.forEach(function (l) { fn(clients[l], l); }); }
  function play() {
    if (active.every(function (l) { return run[l].done; })) { all(function (c) { c.reset(); }); }
    all(function (c) { c.play(); });
    playing = true;
  }
  function pause() { all(function (c) { c.pause(); }); playing = false; }
  function reset() { all(function (c) { c.reset(); }); playing = false; announced = ""; }
  function toggle() { if (playing) { pause(); } else { play(); } }
  // restart puts every lane back to t = 0 together (and plays them if they were).
  function restart(wasPlaying) {
    all(function (c) { c.reset(); });
    announced = "";
    doneSent = false;
    if (wasPlaying) { all(function (c) { c.play(); }); }
    playing = wasPlaying;
  }
  function send(which) {
    which.forEach(function (l) {
      clients[l].send(params(l));
      table.classList.add("stale");
    });
    document.dispatchEvent(new Event("exosep:state"));
  }

  function cell(row, l) { return table.querySelector('tr[data-row="' + row + '"] td[data-lane="' + l + '"]'); }
  function setCell(row, l, text) { var c = cell(row, l); if (c) { c.textContent = text; } }
  function renderResult(l, r) {
    var rot = P.rotor(r.rotor);
    setCell("rotor", l, r.rotor + " (" + r.rotorKind + (rot && rot.angleDeg ? ", " + rot.angleDeg + "\u00b0" : "") + ")");
    setCell("speed", l, F.int(r.rpm) + " rpm");
    setCell("rcf", l, F.int(r.rcfMax) + " / " + F.int(r.rcfAvg) + " \u00d7 g");
    setCell("kfactor", l, F.sci(r.kFactor) + " h\u00b7S");
    setCell("minutes", l, F.minutes(r.minutes) + " min");
    setCell("cutoff", l, F.cutoff(r.cutoffDiameterNm));
    r.species.forEach(function (s) {
      var c = cell("species-" + s.id, l);
      if (!c) { return; }
      c.textContent = F.percent(s.pelletedFraction) + " %";
      c.setAttribute("data-fraction", String(s.pelletedFraction));
      if (s.id === "exosome") {
        var y = cell("yield", l);
        y.textContent = F.percent(s.pelletedFraction) + " %";
        y.setAttribute("data-fraction", String(s.pelletedFraction));
      }
    });
    setCell("capacity", l, rot ? rot.tubeCount + " \u00d7 " + rot.tubeVolumeML + " mL = " + F.int(rot.tubeCount * rot.tubeVolumeML) + " mL" : "\u2013");
    if (active.every(function (k) { return clients[k].result; })) { table.classList.remove("stale"); }
  }
  each(table.querySelectorAll("tr[data-species]"), function (tr) {
    tr.hidden = cur.species.indexOf(tr.getAttribute("data-species")) < 0;
  });

  function describeAll() {
    return active.map(function (l) {
      var st = clients[l].state;
      var r = clients[l].result;
      return "Set-up " + l.toUpperCase() + " (" + lanes[l].rotor + "): " +
        (st ? S.describe(st, { names: names, totalMinutes: lanes[l].minutes, kind: r ? r.rotorKind : "", only: cur.species }) : "not started.");
    }).join(" ");
  }
  function onState(l, st) {
    run[l] = { playing: st.playing, done: st.done, minutes: st.minutes };
    var total = lanes[l].minutes;
    $("status-" + l).textContent = st.done ? "Finished: " + F.minutes(st.minutes) + " min" :
      (st.playing ? "Spinning\u2026 " : st.minutes > 0 ? "Paused at " : "Ready: ") + F.minutes(st.minutes) + " of " + F.minutes(total) + " min";
    host.post("state", { lane: l, state: st, description: S.describe(st, { names: names, totalMinutes: total, kind: clients[l].result ? clients[l].result.rotorKind : "", only: cur.species }) });
    var allDone = active.every(function (k) { return run[k] && run[k].done; });
    var anyPlaying = active.some(function (k) { return run[k] && run[k].playing; });
    var key = allDone ? "done" : anyPlaying ? "playing" : "paused";
    if (key !== announced) {
      announced = key;
      $("description").textContent = describeAll();
    }
    if (!allDone) {
      doneSent = false;
    } else if (!doneSent) {
      doneSent = true;
      playing = false;
      var results = {};
      var states = {};
      active.forEach(function (k) { results[k] = clients[k].result; states[k] = clients[k].state; });
      host.post("done", { params: publicValues(), results: results, states: states });
    }
  }
  function publicValues() { return JSON.parse(JSON.stringify({ values: cur, lanes: lanes })); }

  active.forEach(function (l) {
    run[l] = { playing: false, done: false, minutes: 0 };
    var iframe = $("stage-" + l);
    if (!iframe.getAttribute("src") && iframe.getAttribute("data-src")) { iframe.setAttribute("src", iframe.getAttribute("data-src")); }
    clients[l] = S.connect(iframe, {
      ready: function () {
        if (allReady) { return; }
        if (active.every(function (k) { return clients[k].ready; })) {
          allReady = true;
          restart(!!cur.autoplay);
          host.post("ready", { params: publicValues() });
        }
      },
      result: function (r) { renderResult(l, r); host.post("result", { lane: l, params: params(l), result: r }); },
      state: function (st) { onState(l, st); },
      error: function (field, message) { showErrors([{ name: l + "." + (field || "stage"), message: message }]); }
    });
  });

  var host = H.start({
    set: function (changes) {
      var m = P.merge(cur, changes, PAGE, lanes);
      if (!m.ok) { return m; }
      cur = m.values;
      lanes = m.lanes;
      writeControls();
      send(active);
      restart(playing);
      host.post("params", { params: publicValues(), query: P.query(cur, PAGE, lanes) });
      return m;
    },
    play: play, pause: pause, reset: reset,
    get: function () { host.post("params", { params: publicValues(), query: P.query(cur, PAGE, lanes) }); }
  });

  // ---- wiring ----

  var timer = 0;
  function fromControls(now) {
    clearTimeout(timer);
    var go = function () {
      var ch = {};
      active.forEach(function (l) { speedHints(l); Object.assign(ch, readLane(l)); });
      ch.temperatureC = num(ctl(null, "temperatureC"));
      ch.medium = ctl(null, "medium").value;
      ch.timeScale = ctl(null, "timeScale").value;
      var m = P.merge(cur, ch, PAGE, lanes);
      if (!m.ok) { showErrors(m.errors); return; }
      showErrors([]);
      var changed = active.filter(function (l) {
        var before = JSON.stringify(params(l));
        var after = JSON.stringify(S.stageParams(Object.assign({}, m.lanes[l], {
          temperatureC: m.values.temperatureC, medium: m.values.medium, particles: m.values.particles,
          timeScale: m.values.timeScale, seed: m.values.seed }), reduced()));
        return before !== after;
      });
      cur = m.values;
      lanes = m.lanes;
      if (changed.length) {
        send(changed);
        if (allReady) { restart(playing); }
      }
    };
    if (now) { go(); } else { timer = setTimeout(go, 250); }
  }
  var form = $("compare-controls");
  form.addEventListener("submit", function (e) { e.preventDefault(); fromControls(true); });
  form.addEventListener("input", function () { fromControls(false); });
  form.addEventListener("change", function (e) {
    var t = e.target;
    if (t && t.id && /-speedMode$/.test(t.id)) {
      var l = t.id.charAt(0);
      var r = P.rotor(ctl(l, "rotor").value);
      var v = Number(ctl(l, "speed").value);
      if (r && isFinite(v) && v > 0) {
        var rad = P.radius(r, ctl(l, "rcfAt").value);
        ctl(l, "speed").value = String(Math.round(t.value === "rpm" ? 60 / (2 * Math.PI) * Math.sqrt(v * 9.80665 / rad) : P.rcfFor(v, rad)));
      }
    }
    fromControls(true);
  });
  $("play").addEventListener("click", play);
  $("pause").addEventListener("click", pause);
  $("reset").addEventListener("click", reset);
  if (window.ExoSepKeys) { window.ExoSepKeys.install({ toggle: toggle, reset: reset }); }

  var share = document.querySelector("[data-share]");
  if (share && window.ExoSepShare) {
    window.ExoSepShare.attach(share, function () { return { values: cur, lanes: lanes }; });
  }
  writeControls();
  send(active);
  window.exosepCompare = { values: function () { return publicValues(); }, query: function () { return P.query(cur, PAGE, lanes); } };
})();
