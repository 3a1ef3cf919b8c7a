/* ExoSep stage loader (stage.html).
 *
 * stage.wasm.js defines window.EXOSEP_STAGE_WASM: the stage's WebAssembly,
 * gzip-compressed and base64-encoded, because fetch() of a .wasm file fails
 * under file://. This script decodes it, starts it with wasm_exec.js's Go
 * runtime, and, if anything is missing or fails, writes a readable message
 * into the page (never a blank frame) and tells the parent page with an
 * {"exosep": 1, "type": "error", "field": "stage"} message.
 */
(function () {
  "use strict";

  function tellParent(message) {
    if (window.parent && window.parent !== window) {
      window.parent.postMessage({ exosep: 1, type: "error", field: "stage", message: message }, "*");
    }
  }

  function fail(message, err) {
    if (err) { console.error("ExoSep stage:", err); }
    var box = document.createElement("div");
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;display:flex;align-items:center;justify-content:center;" +
      "padding:1.5rem;background:#0d1117;color:#f0f3f6;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;" +
      "text-align:center;z-index:10;";
    var p = document.createElement("p");
    p.style.maxWidth = "32rem";
    p.textContent = message;
    box.appendChild(p);
    (document.body || document.documentElement).appendChild(box);
    tellParent(message);
  }

  function hasWebGL2() {
    try {
      var c = document.createElement("canvas");
      var gl = c.getContext("webgl2");
      if (!gl) { return false; }
      var lose = gl.getExtension("WEBGL_lose_context");
      if (lose) { lose.loseContext(); }
      return true;
    } catch (e) {
      return false;
    }
  }

  var missing = [];
  if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") { missing.push("WebAssembly"); }
  if (!hasWebGL2()) { missing.push("WebGL2"); }
  if (typeof DecompressionStream !== "function" || typeof Blob !== "function" || typeof Response !== "function") {
    missing.push("DecompressionStream");
  }
  if (missing.length) {
    fail("This browser lacks " + missing.join(" and ") + ", which the animation needs. " +
      "Try a current Firefox, Chrome, Edge or Safari. The numbers beside the animation still work.");
    return;
  }
  if (typeof Go !== "function") {
    fail("The animation's runtime (wasm_exec.js) did not load. Rebuild the site or check that the file is present.");
    return;
  }
  if (typeof window.EXOSEP_STAGE_WASM !== "string" || window.EXOSEP_STAGE_WASM === "") {
    fail("The animation's code (stage.wasm.js) did not load. Rebuild the site or check that the file is present.");
    return;
  }

  function decodeBase64(text) {
    var bin = atob(text);
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
    return bytes;
  }

  var go = new Go();
  var exitCode = null;
  var goExit = go.exit;
  go.exit = function (code) {
    exitCode = code;
    if (typeof goExit === "function") { goExit.call(go, code); }
  };

  var gz;
  try {
    gz = decodeBase64(window.EXOSEP_STAGE_WASM);
  } catch (e) {
    fail("The animation's code is damaged (not valid base64). Rebuild the site.", e);
    return;
  }
  delete window.EXOSEP_STAGE_WASM; // free the 3 MB string

  var stream = new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip"));
  new Response(stream).arrayBuffer()
    .then(function (bytes) {
      return WebAssembly.instantiate(bytes, go.importObject);
    })
    .then(function (result) {
      return go.run(result.instance);
    })
    .then(function () {
      // An Ebiten game never returns; reaching here means the program stopped.
      fail("The animation stopped" + (exitCode ? " with an error (exit code " + exitCode + ")" : "") +
        ". Reload the page to start it again.");
    })
    .catch(function (e) {
      fail("The animation could not start: " + (e && e.message ? e.message : String(e)) +
        ". The numbers beside the animation still work.", e);
    });
})();
