/* ExoSep keyboard: Space plays or pauses, R resets (not while typing in a
 * field), and the arrow keys step the focused numeric field (Shift: a
 * tenth of the step). The step is the field's data-step (else its step,
 * else 1); the value is kept within min and max.
 *
 *   ExoSepKeys.install({toggle: fn, reset: fn})
 */
(function () {
  "use strict";

  function isField(t) {
    var tag = (t && t.tagName) || "";
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || !!(t && t.isContentEditable);
  }
  function keepsSpace(t) {
    var tag = (t && t.tagName) || "";
    return isField(t) || tag === "BUTTON" || tag === "A" || tag === "SUMMARY";
  }
  function decimals(x) {
    var s = String(x);
    var i = s.indexOf(".");
    return i < 0 ? 0 : s.length - i - 1;
  }

  // stepInput changes a number input by dir steps; true when it did.
  function stepInput(input, dir, fine) {
    var step = Number(input.getAttribute("data-step")) || Number(input.step) || 1;
    if (fine) { step = step / 10; }
    var v = Number(String(input.value).trim());
    if (!isFinite(v) || String(input.value).trim() === "") { v = Number(input.min) || 0; }
    var next = v + dir * step;
    var lo = input.min === "" ? -Infinity : Number(input.min);
    var hi = input.max === "" ? Infinity : Number(input.max);
    if (input.getAttribute("data-min-exclusive") && next <= lo) { next = lo + step; }
    next = Math.max(lo, Math.min(hi, next));
    next = Number(next.toFixed(Math.min(10, decimals(step) + 1)));
    if (String(next) === input.value) { return false; }
    input.value = String(next);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  }

  function install(actions) {
    document.addEventListener("keypress", function (e) {
      if ((e.key === " " || e.key === "Spacebar") && !keepsSpace(e.target)) { e.preventDefault(); }
    });
    document.addEventListener("keydown", function (e) {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) { return; }
      var t = e.target;
      if ((e.key === " " || e.key === "Spacebar") && !keepsSpace(t)) {
        e.preventDefault();
        if (actions.toggle) { actions.toggle(); }
      } else if ((e.key === "r" || e.key === "R") && !isField(t)) {
        e.preventDefault();
        if (actions.reset) { actions.reset(); }
      } else if (t && t.tagName === "INPUT" && (t.type === "number" || t.type === "range") && !t.disabled && !t.readOnly) {
        var dir = 0;
        if (e.key === "ArrowUp" || (t.type === "range" && e.key === "ArrowRight")) { dir = 1; }
        if (e.key === "ArrowDown" || (t.type === "range" && e.key === "ArrowLeft")) { dir = -1; }
        if (dir !== 0) {
          e.preventDefault();
          stepInput(t, dir, e.shiftKey);
        }
      }
    });
  }

  window.ExoSepKeys = { install: install, stepInput: stepInput };
})();
