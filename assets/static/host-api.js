/* ExoSep host API of the embed pages: lets the page that embeds
 * duc-embed.html or compare-embed.html drive it by postMessage, on any
 * origin and from file://. Documented in package exosep/site/params and
 * on the teacher page ("For web developers").
 *
 *   host → embed  {"exosep":1,"type":"set","params":{…}} | play | pause | reset | get
 *   embed → host  ready, params, result, state, done, error
 *
 * Only messages from window.parent are read. A message of another version,
 * an unknown type, extra fields or a malformed body is ignored with
 * console.warn; a set is applied whole or not at all (handlers.set returns
 * {ok, errors}), and a rejected one is answered with an error message.
 *
 *   var host = ExoSepHost.start({set, play, pause, reset, get});
 *   host.post("result", {params: …, result: …});
 */
(function () {
  "use strict";

  var VERSION = 1;
  var FIELDS = { set: ["params"], play: [], pause: [], reset: [], get: [] };

  function start(handlers) {
    var framed = window.parent && window.parent !== window;
    function post(type, fields) {
      if (!framed) { return; }
      var m = { exosep: VERSION, type: type };
      Object.keys(fields || {}).forEach(function (k) { m[k] = fields[k]; });
      window.parent.postMessage(m, "*"); // the host may be any origin, or file://; nothing secret is sent
    }
    function reject(why, data) {
      console.warn("ExoSep embed: ignored a host message (" + why + "):", data);
    }
    window.addEventListener("message", function (ev) {
      if (!framed || ev.source !== window.parent) { return; } // our own stage, or someone else
      var m = ev.data;
      if (typeof m === "string") {
        try { m = JSON.parse(m); } catch (err) { reject("not JSON", m); return; }
      }
      if (!m || typeof m !== "object" || Array.isArray(m)) { reject("not an object", m); return; }
      if (m.exosep !== VERSION) { reject("exosep must be " + VERSION, m); return; }
      var allowed = Object.prototype.hasOwnProperty.call(FIELDS, m.type) ? FIELDS[m.type] : null;
      if (!allowed) { reject("unknown type " + String(m.type).slice(0, 40), m); return; }
      var extra = Object.keys(m).filter(function (k) { return k !== "exosep" && k !== "type" && allowed.indexOf(k) < 0; });
      if (extra.length) { reject("unknown fields " + extra.join(", "), m); return; }
      if (m.type === "set") {
        var r = handlers.set(m.params);
        if (!r.ok) {
          reject("invalid values", m);
          r.errors.forEach(function (e) { post("error", { field: e.name, message: e.message }); });
        }
        return;
      }
      if (handlers[m.type]) { handlers[m.type](); }
    });
    return { post: post, framed: framed };
  }

  window.ExoSepHost = { start: start, version: VERSION };
})();
