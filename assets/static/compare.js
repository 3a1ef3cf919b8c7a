/* ExoSep comparison (compare.html, compare-embed.html): the same sample
 * through two or three set-ups side by side (lanes a, b, c), each with its
 * own stage, synchronized play/pause/reset and one results table.
 *
 * Every set-up runs in the protocol engine (the stage's "protocol"
 * message, package wasm/bridge): a protocol of the library (a.protocol=ID;
 * every preset appears in the Method menu, no code per method) or one spin
 * as a one-step protocol (spin, keep the pellet). So each column has the
 * engine's yield, purity, time, damage and volume capacity. All set-ups
 * process the same input sample (input=…, at its default volume).
 *
 * URL: lane parameters as a.rotor, b.rpm, c.protocol…; the plain name
 * applies to every lane; input, temperature, particles, seed, time scale,
 * colour profile and species are shared. Checked with static/params.js.
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
  var dataEl = document.getElementById("compare-data");
  if (!P || !S || !F || !H || !window.ExoSepForm || !table || !dataEl) { return; }
  var D;
  try { D = JSON.parse(dataEl.textContent); } catch (e) { console.warn("ExoSep: comparison data unreadable", e); return; }
  var PAGE = document.body.getAttribute("data-page") || "compare.html";

  function $(id) { return document.getElementById(id); }
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function clone(x) { return JSON.parse(JSON.stringify(x)); }

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

  // Lanes not in use are hidden, their stages never loaded.
  P.table.lanes.forEach(function (l) {
    var on = active.indexOf(l) >= 0;
    each(document.querySelectorAll('[data-lane="' + l + '"]'), function (n) { n.hidden = !on; });
  });
  document.body.setAttribute("data-lanes", String(active.length));
  // Title (embed), hide, lock and the fullscreen button.
  window.ExoSepForm.embed(cur);

  // ---- the protocols run ----

  function presetByID(id) {
    for (var i = 0; i < D.presets.length; i++) { if (D.presets[i].id === id) { return D.presets[i]; } }
    return null;
  }
  // spinProtocol is one spin as a one-step protocol (as site/compare.go).
  function spinProtocol(v, input) {
    var st = { kind: "spin", rotor: v.rotor, minutes: v.minutes, temperature_c: v.temperatureC, keep: "pellet" };
    var speed;
    if (v.rpm !== null && v.rpm !== undefined) {
      st.rpm = v.rpm;
      speed = F.int(v.rpm) + " rpm";
    } else {
      st.rcf = v.rcf;
      st.rcf_at = v.rcfAt || "max";
      speed = F.int(v.rcf) + " \u00d7 g (r_" + st.rcf_at + ")";
    }
    st.name = "One spin: " + speed + ", " + v.minutes + " min";
    return { name: "One spin in " + v.rotor, input: input, steps: [st] };
  }
  // protocolFor is what lane l runs: its protocol on the shared sample, or
  // its one spin.
  function protocolFor(l) {
    var v = lanes[l];
    var pr = v.protocol ? presetByID(v.protocol) : null;
    if (!pr) { return spinProtocol(Object.assign({}, v, { temperatureC: cur.temperatureC }), cur.input); }
    var p = clone(pr);
    p.input = cur.input;
    delete p.volume_ml; // the sample's default volume, the same for every set-up
    return p;
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
  function showMethod(l) {
    var spin = !lanes[l].protocol;
    each(document.querySelectorAll('[data-lane="' + l + '"] [data-spin-fields]'), function (n) { n.hidden = !spin; });
  }
  function writeControls() {
    active.forEach(function (l) {
      var v = lanes[l];
      ctl(l, "protocol").value = v.protocol || "";
      selectValue(ctl(l, "rotor"), v.rotor);
      var rpm = v.rpm !== null && v.rpm !== undefined;
      ctl(l, "speedMode").value = rpm ? "rpm" : "rcf";
      ctl(l, "speed").value = String(rpm ? v.rpm : v.rcf);
      ctl(l, "rcfAt").value = v.rcfAt || "max";
      ctl(l, "minutes").value = String(v.minutes);
      speedHints(l);
      showMethod(l);
    });
    ctl(null, "input").value = cur.input;
    ctl(null, "temperatureC").value = String(cur.temperatureC);
    selectValue(ctl(null, "timeScale"), cur.timeScale);
  }
  function num(input) {
    var s = String(input.value).trim();
    return s === "" || (input.validity && input.validity.badInput) ? "?" : s;
  }
  function readLane(l) {
    var ch = {};
    var method = ctl(l, "protocol").value;
    ch[l + ".protocol"] = method === "" ? null : method;
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
  var results = {};
  var allReady = false;
  var playing = false;
  var announced = "";
  var doneSent = false;

  function animation() {
    return S.animation({ particles: cur.particles, timeScale: cur.timeScale, seed: cur.seed, colorProfile: cur.colorProfile, species: cur.species }, reduced());
  }
  function all(fn) { active.forEach(function (l) { fn(clients[l], l); }); }
  function laneDone(l) { return run[l] && run[l].done; }
  function play() {
    if (active.every(laneDone)) { all(function (c) { c.reset(); }); }
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
  var sent = {};
  function send(which) {
    which.forEach(function (l) {
      var p = protocolFor(l);
      sent[l] = p;
      results[l] = null;
      clients[l].sendProtocol(p, animation());
      table.classList.add("stale");
    });
    document.dispatchEvent(new Event("exosep:state"));
  }

  function cell(row, l) { return table.querySelector('tr[data-row="' + row + '"] td[data-lane="' + l + '"]'); }
  function setCell(row, l, text, value) {
    var c = cell(row, l);
    if (!c) { return; }
    c.textContent = text;
    if (value === undefined || value === null) { c.removeAttribute("data-value"); } else { c.setAttribute("data-value", String(value)); }
  }
  // renderResult renders a protocol result as site/compare.go's compareCells.
  function renderResult(l, res) {
    var f = res.final;
    var spins = res.steps.filter(function (s) { return s.spin; });
    var hold = 0;
    spins.forEach(function (s) { hold += s.time.hold_minutes; });
    setCell("method", l, res.protocol);
    var rotors = [];
    spins.forEach(function (s) {
      var r = P.rotor(s.spin.rotor);
      var name = s.spin.rotor + (r ? " (" + r.kind + ")" : "");
      if (rotors.indexOf(name) < 0) { rotors.push(name); }
    });
    setCell("rotor", l, rotors.join(", ") || "\u2013");
    if (spins.length === 1) {
      var d = spins[0].spin;
      setCell("speed", l, F.int(d.rpm) + " rpm", d.rpm);
      setCell("rcf", l, F.int(d.rcf_max) + " / " + F.int(d.rcf_avg) + " \u00d7 g");
      setCell("kfactor", l, F.sci(d.k_factor) + " h\u00b7S", d.k_factor);
      setCell("cutoff", l, d.exosome_cutoff_nm > 0 ? F.int(d.exosome_cutoff_nm) + " nm" : "none pellets completely");
    } else {
      ["speed", "rcf", "kfactor", "cutoff"].forEach(function (r) { setCell(r, l, "\u2013"); });
    }
    setCell("minutes", l, F.minutes(hold) + " min (" + spins.length + (spins.length === 1 ? " spin)" : " spins)"), hold);
    setCell("yield", l, F.percent(f.exosome_yield_fraction) + " %", f.exosome_yield_fraction);
    setCell("purity", l, F.sci(f.particles_per_ug_protein) + " (" + f.purity["class"] + ")", f.particles_per_ug_protein);
    setCell("time", l, F.minutes(f.total_minutes) + " min", f.total_minutes);
    setCell("damage", l, F.percent(1 - f.exosome_intact_fraction) + " %", 1 - f.exosome_intact_fraction);
    var capacity = res.input.volume_ml + " mL in " + f.runs + (f.runs === 1 ? " run" : " runs");
    if (spins.length) {
      var r0 = P.rotor(spins[0].spin.rotor);
      if (r0) { capacity += "; a run of " + r0.name + " holds " + spins[0].spin.tubes_per_run + " \u00d7 " + r0.tubeVolumeML + " mL"; }
    }
    setCell("capacity", l, capacity, res.input.volume_ml);
    var capCell = cell("capacity", l);
    if (capCell) { capCell.setAttribute("data-runs", String(f.runs)); }
    P.table.species.forEach(function (s) {
      var inN = res.input.species[s.id] || 0;
      var share = inN > 0 ? f.species[s.id].particles / inN : 0;
      setCell("species-" + s.id, l, F.percent(share) + " %", share);
    });
    results[l] = res;
    if (active.every(function (k) { return results[k]; })) { table.classList.remove("stale"); }
  }
  each(table.querySelectorAll("tr[data-species]"), function (tr) {
    tr.hidden = !S.shows(cur.species, tr.getAttribute("data-species"));
  });

  function kindOf(l) {
    var r = P.rotor(lanes[l].protocol ? "" : lanes[l].rotor);
    return r ? r.kind : "";
  }
  function describeLane(l) {
    var st = clients[l].state;
    return st ? S.describe(st, { names: names, totalMinutes: lanes[l].minutes, kind: kindOf(l), only: cur.species, steps: results[l] ? results[l].steps : null }) : "not started.";
  }
  function describeAll() {
    return active.map(function (l) {
      return "Set-up " + l.toUpperCase() + " (" + (results[l] ? results[l].protocol : lanes[l].rotor) + "): " + describeLane(l);
    }).join(" ");
  }
  function onState(l, st) {
    var done = st.phase === "done" || (!st.step && st.done);
    run[l] = { playing: st.playing, done: done, minutes: st.minutes };
    var res = results[l];
    var of = res ? res.steps.length : 0;
    var where = st.step ? "step " + st.step + (of ? " of " + of : "") + ", " : "";
    $("status-" + l).textContent = done ? "Finished." :
      st.phase === "pour-off" ? "Pouring off: " + where.slice(0, -2) :
      st.phase === "hand-off" || st.phase === "note" ? "Between steps: " + where.slice(0, -2) :
      (st.playing ? "Spinning\u2026 " : st.minutes > 0 ? "Paused: " : "Ready: ") + where + F.minutes(st.minutes) + " min";
    host.post("state", { lane: l, state: st, description: describeLane(l) });
    var allDone = active.every(laneDone);
    var anyPlaying = active.some(function (k) { return run[k] && run[k].playing; });
    // Announce at milestones only: all playing, all paused, all done, and
    // whenever a set-up finishes.
    var key = allDone ? "done" : (anyPlaying ? "playing" : "paused") + active.filter(laneDone).join("");
    if (key !== announced) {
      announced = key;
      $("description").textContent = describeAll();
    }
    if (!allDone) {
      doneSent = false;
    } else if (!doneSent) {
      doneSent = true;
      playing = false;
      var states = {};
      active.forEach(function (k) { states[k] = clients[k].state; });
      host.post("done", { params: publicValues(), results: clone(results), states: states });
    }
  }
  function publicValues() { return clone({ values: cur, lanes: lanes }); }

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
      protocolResult: function (res) {
        showErrors([]);
        renderResult(l, res);
        host.post("result", { lane: l, params: publicValues(), protocol: sent[l], result: res });
      },
      protocolError: function (problems) {
        showErrors(problems.map(function (p) {
          return { name: l + "." + (p.field || "protocol"), message: (p.step ? "step " + p.step + ": " : "") + p.message };
        }));
      },
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
      ch.input = ctl(null, "input").value;
      ch.temperatureC = num(ctl(null, "temperatureC"));
      ch.timeScale = ctl(null, "timeScale").value;
      var m = P.merge(cur, ch, PAGE, lanes);
      if (!m.ok) { showErrors(m.errors); return; }
      showErrors([]);
      var before = {};
      active.forEach(function (l) { before[l] = JSON.stringify(protocolFor(l)); });
      var animBefore = JSON.stringify(animation());
      cur = m.values;
      lanes = m.lanes;
      active.forEach(showMethod);
      var animChanged = JSON.stringify(animation()) !== animBefore;
      var changed = active.filter(function (l) { return animChanged || JSON.stringify(protocolFor(l)) !== before[l]; });
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
  window.exosepCompare = {
    values: function () { return publicValues(); },
    query: function () { return P.query(cur, PAGE, lanes); },
    protocols: function () { return clone(sent); }
  };
})();
