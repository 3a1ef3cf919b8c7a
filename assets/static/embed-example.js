/* ExoSep embed example (embed-example.html): a host page that drives
 * duc-embed.html with the host API and lists what it sends back. Copy it
 * for your own course page. Received messages are also kept, parsed, in
 * window.exosepHostLog (for the site's tests). */
(function () {
  "use strict";
  var frame = document.getElementById("embedded");
  var log = document.getElementById("host-log");
  if (!frame || !log) { return; }
  window.exosepHostLog = [];

  function send(msg) {
    msg.exosep = 1;
    frame.contentWindow.postMessage(msg, "*"); // the embed checks every message; nothing secret is sent
  }
  function line(text) {
    var li = document.createElement("li");
    li.textContent = text;
    log.insertBefore(li, log.firstChild);
    while (log.children.length > 30) { log.removeChild(log.lastChild); }
  }
  window.addEventListener("message", function (ev) {
    if (ev.source !== frame.contentWindow) { return; }
    var m = ev.data;
    if (typeof m === "string") { try { m = JSON.parse(m); } catch (e) { return; } }
    if (!m || m.exosep !== 1 || typeof m.type !== "string") { return; }
    window.exosepHostLog.push(m);
    var text = m.type;
    if (m.type === "result" && m.result) {
      var exo = m.result.species.filter(function (s) { return s.id === "exosome"; })[0];
      text += ": " + m.result.rotor + ", " + Math.round(m.result.rpm) + " rpm, " + m.result.minutes + " min" +
        (exo ? "; exosomes pelleted " + (exo.pelletedFraction * 100).toFixed(1) + " %" : "");
    } else if (m.type === "state" && m.state) {
      text += ": " + m.state.minutes.toFixed(1) + " min" + (m.state.done ? ", done" : m.state.playing ? ", playing" : ", paused");
    } else if (m.type === "error") {
      text += ": " + m.field + ": " + m.message;
    } else if (m.type === "params") {
      text += ": " + m.query;
    }
    line(text);
  });
  var actions = {
    "host-set": function () { send({ type: "set", params: { rotor: "Type 70 Ti", rpm: 50000, minutes: 30 } }); },
    "host-play": function () { send({ type: "play" }); },
    "host-pause": function () { send({ type: "pause" }); },
    "host-reset": function () { send({ type: "reset" }); },
    "host-get": function () { send({ type: "get" }); },
    "host-bad": function () { send({ type: "set", params: { rpm: "fast", evil: "<script>" } }); }
  };
  Object.keys(actions).forEach(function (id) {
    var b = document.getElementById(id);
    if (b) { b.addEventListener("click", actions[id]); }
  });
})();
