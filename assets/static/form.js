/* ExoSep form helpers shared by the pages that build a run from a form and
 * draw its result (gradient.js, filtration.js) and by the embed pages
 * (embed.js, compare.js, gradient.js, filtration.js):
 *
 *   ExoSepForm.el(tag, attrs, text)          an HTML element
 *   ExoSepForm.svg(tag, attrs, text)         an SVG element
 *   ExoSepForm.path(points)                  SVG path data through [[x, y], …]
 *   ExoSepForm.number(control, field, required, problems) → number | null
 *   ExoSepForm.problems({form, box, results, labels, base, head})
 *       → {show(problems), clear()}          the engine's problems, named
 *   ExoSepForm.embed(values)                 title, hide, lock, fullscreen
 *   ExoSepForm.fullscreen(button, off)       the fullscreen button
 *
 * A problem is {field, message[, step]} (the engine's, or the form's own
 * for a value that is not a number). Plain ES2017, no modules, nothing
 * from the network.
 */
(function () {
  "use strict";

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  // The SVG namespace, from the page's own inline <svg> (no URL in this
  // file: the build test refuses external addresses in scripts).
  function svgNS() {
    var s = document.querySelector("svg");
    return s ? s.namespaceURI : "";
  }
  function svg(tag, attrs, text) {
    var e = document.createElementNS(svgNS(), tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function path(points) {
    return points.map(function (p, i) { return (i ? "L" : "M") + p[0].toFixed(1) + " " + p[1].toFixed(1); }).join(" ");
  }

  // number reads a numeric control: null when empty (a problem if
  // required) or not a number (a problem).
  var NUM = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
  function number(control, field, required, problems) {
    var raw = String(control.value).trim();
    if (raw === "" && control.validity && control.validity.badInput) {
      problems.push({ field: field, message: "not a number" });
      return null;
    }
    if (raw === "") {
      if (required) { problems.push({ field: field, message: "required (a number)" }); }
      return null;
    }
    if (!NUM.test(raw) || !isFinite(parseFloat(raw))) {
      problems.push({ field: field, message: "\u201c" + raw + "\u201d is not a number" });
      return null;
    }
    return parseFloat(raw);
  }

  // problems shows a run's problems: all of them in box (role=alert), each
  // also in the first slot of the form ([data-error-for] listing the
  // field or its base name) with its control marked aria-invalid, and the
  // results marked stale. o: form, box, results, labels {base: label},
  // base(field) → the name labels and slots use, head(problems) → the
  // sentence above the list.
  function problems(o) {
    function clear() {
      o.box.textContent = "";
      each(o.form.querySelectorAll("[data-error-for]"), function (s) { s.textContent = ""; });
      each(o.form.querySelectorAll("[aria-invalid]"), function (c) { c.removeAttribute("aria-invalid"); });
    }
    function show(list) {
      clear();
      var ul = el("ul");
      list.forEach(function (p) {
        var base = o.base(p.field);
        ul.appendChild(el("li", { "data-field": p.field }, (o.labels[base] || base) + " (" + (p.step ? "step " + p.step + ", " : "") + "field " + p.field + "): " + p.message));
        var slots = o.form.querySelectorAll("[data-error-for]");
        for (var i = 0; i < slots.length; i++) {
          var names = slots[i].getAttribute("data-error-for").split(" ");
          if (names.indexOf(p.field) < 0 && names.indexOf(base) < 0) { continue; }
          slots[i].textContent = (slots[i].textContent ? slots[i].textContent + " " : "") + p.message;
          var field = slots[i].closest(".field");
          var control = field && field.querySelector("input, select");
          if (control) { control.setAttribute("aria-invalid", "true"); }
          break;
        }
      });
      o.box.appendChild(el("p", {}, o.head(list)));
      o.box.appendChild(ul);
      if (o.results) { o.results.classList.add("stale"); }
    }
    return { show: show, clear: clear };
  }

  // fullscreen shows and wires the fullscreen button where the browser
  // allows it, unless off.
  function fullscreen(button, off) {
    var root = document.documentElement;
    if (!button || off || !root.requestFullscreen || !document.fullscreenEnabled) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      if (document.fullscreenElement) {
        document.exitFullscreen();
      } else {
        root.requestFullscreen().catch(function (e) { console.warn("ExoSep: fullscreen refused:", e && e.message); });
      }
    });
    document.addEventListener("fullscreenchange", function () {
      var on = !!document.fullscreenElement;
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.lastChild.textContent = on ? "Exit full screen" : "Full screen";
    });
  }

  // embed applies an embed page's own parameters (validated schema
  // values): the title above the simulation, the controls hidden and the
  // controls locked ([data-control] boxes, see site/params), and the
  // fullscreen button (unless hidden). Returns whether anything is locked.
  function embed(v) {
    var title = document.getElementById("embed-title");
    if (v.title && title) {
      title.textContent = v.title;
      title.classList.remove("visually-hidden");
    }
    var boxes = function (name) { return document.querySelectorAll('[data-control="' + name + '"]'); };
    var hide = v.hide || [];
    var lock = v.lock || [];
    hide.forEach(function (n) { each(boxes(n), function (b) { b.hidden = true; }); });
    lock.forEach(function (n) {
      each(boxes(n), function (b) {
        b.classList.add("is-locked");
        each(b.querySelectorAll("input, select, button"), function (c) {
          c.disabled = true;
          c.setAttribute("title", "Locked for this lesson");
        });
      });
    });
    fullscreen(document.getElementById("fullscreen"), hide.indexOf("fullscreen") >= 0);
    return lock.length > 0;
  }

  window.ExoSepForm = { el: el, svg: svg, path: path, NUM: NUM, number: number, problems: problems, embed: embed, fullscreen: fullscreen };
})();
