/* ExoSep: filters, search and sorting of the evidence tables.
 *
 * Works on the markup the site build renders (site/evidence_common.templ
 * describes the contract): every row is in the page, so nothing is fetched
 * and the pages work from file://. Without this script every row stays
 * visible; with it:
 *
 *   select[data-filter]      keeps rows whose data-<name> holds the value
 *                            ("|" separates several values in one row)
 *   input[data-search]       keeps rows containing every word typed, in any
 *                            cell, ignoring case and accents
 *   th[data-sort-key]        becomes a sort button; aria-sort says the order
 *   [data-facet][data-value] buttons (organ map, area chips) set a filter
 *   [data-count]             "N of M studies shown", announced politely
 *
 * The state lives in the address, e.g. preclinical.html#area=kidney&q=rat,
 * so a filtered view can be linked; "?area=kidney" is read too. A part of
 * the address that is not understood is ignored and named in a polite
 * note. A bare "#cv-01" is an ordinary link to a row and is left alone.
 * Plain ES2017, no modules, no framework.
 */
(function () {
  "use strict";

  var SEP = "|";
  var SEARCH_DELAY_MS = 150;
  var MAX_QUERY = 200;
  var MAX_NOTED = 3;

  // fold lowers case and drops accents and typographic apostrophes so that
  // "Wharton’s", "WHARTON'S" and "whartons" style queries match alike.
  function fold(s) {
    var t = String(s);
    if (t.normalize) {
      t = t.normalize("NFD");
    }
    return t.replace(/[\u0300-\u036f]/g, "")
      .replace(/[\u2018\u2019\u02bc\u0060\u00b4]/g, "'")
      .toLowerCase();
  }

  function words(q) {
    return fold(q).split(/\s+/).filter(function (w) { return w !== ""; });
  }

  var collator = window.Intl && Intl.Collator ?
    new Intl.Collator(undefined, { numeric: true, sensitivity: "base" }) : null;
  function compareText(a, b) {
    if (collator) {
      return collator.compare(a, b);
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function decodePart(s) {
    try {
      return decodeURIComponent(s.replace(/\+/g, " "));
    } catch (e) {
      return null;
    }
  }

  function shorten(s) {
    return s.length > 60 ? s.slice(0, 57) + "\u2026" : s;
  }

  function Explorer(root) {
    this.root = root;
    this.one = root.getAttribute("data-noun-one") || "row";
    this.many = root.getAttribute("data-noun-many") || "rows";
    this.form = root.querySelector("[data-filters]");
    this.search = root.querySelector("[data-search]");
    this.countEl = root.querySelector("[data-count]");
    this.noteEl = root.querySelector("[data-note]");
    this.selects = {};
    this.state = { filters: {}, q: "", sort: "", dir: "asc" };
    this.sortKeys = {};
    this.written = null;
    this.timer = 0;

    var self = this;
    Array.prototype.forEach.call(root.querySelectorAll("select[data-filter]"), function (sel) {
      self.selects[sel.name] = sel;
      self.state.filters[sel.name] = "";
    });
    this.rows = Array.prototype.map.call(root.querySelectorAll("[data-row]"), function (el, i) {
      return { el: el, index: i, text: fold(el.textContent) };
    });
    this.groups = Array.prototype.map.call(root.querySelectorAll("[data-group]"), function (g) {
      var key = g.getAttribute("data-group");
      return {
        el: g,
        rows: self.rows.filter(function (r) { return g.contains(r.el); }),
        order: null,
        empty: g.querySelector("[data-empty]"),
        count: key ? root.querySelector('[data-group-count="' + key + '"]') : null
      };
    });
    this.facets = Array.prototype.slice.call(root.querySelectorAll("[data-facet]"));
    this.setupSorting();
    this.bind();
    if (this.form) {
      this.form.hidden = false;
    }
    this.readAddress(true);
    root.setAttribute("data-ready", "true");
  }

  // ---- sorting ----

  Explorer.prototype.setupSorting = function () {
    var self = this;
    Array.prototype.forEach.call(this.root.querySelectorAll("table[data-sortable]"), function (table) {
      var heads = table.querySelectorAll("thead th");
      Array.prototype.forEach.call(heads, function (th, col) {
        var key = th.getAttribute("data-sort-key");
        if (!key) {
          return;
        }
        self.sortKeys[key] = true;
        th.setAttribute("data-col", String(col));
        var button = document.createElement("button");
        button.type = "button";
        button.className = "sort-button";
        button.setAttribute("data-sort", key);
        while (th.firstChild) {
          button.appendChild(th.firstChild);
        }
        var icon = document.createElement("span");
        icon.className = "sort-icon";
        icon.setAttribute("aria-hidden", "true");
        button.appendChild(icon);
        th.appendChild(button);
        button.addEventListener("click", function () {
          var s = self.state;
          if (s.sort === key) {
            s.dir = s.dir === "asc" ? "desc" : "asc";
          } else {
            s.sort = key;
            s.dir = "asc";
          }
          self.changed();
        });
      });
    });
  };

  // sortValue is a row's value in the column of key, within its own table.
  Explorer.prototype.sortValue = function (row, key) {
    var table = row.el.closest ? row.el.closest("table") : null;
    if (!table) {
      return "";
    }
    var th = table.querySelector('thead th[data-sort-key="' + key + '"]');
    if (!th) {
      return "";
    }
    var cell = row.el.children[Number(th.getAttribute("data-col"))];
    if (!cell) {
      return "";
    }
    var v = cell.getAttribute("data-sort-value");
    return v !== null ? v : cell.textContent.replace(/\s+/g, " ").trim();
  };

  Explorer.prototype.sortRows = function () {
    var self = this;
    var key = this.state.sort;
    var sign = this.state.dir === "desc" ? -1 : 1;
    this.groups.forEach(function (g) {
      var rows = g.rows.slice();
      if (!g.order) {
        g.order = g.rows.slice();
      }
      if (key) {
        rows.forEach(function (r) { r.sortValue = self.sortValue(r, key); });
        rows.sort(function (a, b) {
          var c = compareText(a.sortValue, b.sortValue);
          return c !== 0 ? sign * c : a.index - b.index;
        });
      } else {
        rows.sort(function (a, b) { return a.index - b.index; });
      }
      var same = rows.every(function (r, i) { return r === g.order[i]; });
      if (!same) {
        rows.forEach(function (r) {
          if (r.el.parentNode) {
            r.el.parentNode.appendChild(r.el);
          }
        });
        if (g.empty && g.empty.parentNode) {
          g.empty.parentNode.appendChild(g.empty);
        }
        g.order = rows;
      }
    });
    Array.prototype.forEach.call(this.root.querySelectorAll("th[data-sort-key]"), function (th) {
      var k = th.getAttribute("data-sort-key");
      var button = th.querySelector(".sort-button");
      if (k === key) {
        th.setAttribute("aria-sort", self.state.dir === "desc" ? "descending" : "ascending");
      } else {
        th.removeAttribute("aria-sort");
      }
      if (button) {
        button.setAttribute("data-dir", k === key ? self.state.dir : "");
      }
    });
  };

  // ---- filtering ----

  Explorer.prototype.matches = function (row, terms) {
    var f = this.state.filters;
    for (var name in f) {
      if (!Object.prototype.hasOwnProperty.call(f, name) || f[name] === "") {
        continue;
      }
      var vals = (row.el.getAttribute("data-" + name) || "").split(SEP);
      if (vals.indexOf(f[name]) < 0) {
        return false;
      }
    }
    for (var i = 0; i < terms.length; i++) {
      if (row.text.indexOf(terms[i]) < 0) {
        return false;
      }
    }
    return true;
  };

  Explorer.prototype.apply = function () {
    var self = this;
    var terms = words(this.state.q);
    var shown = 0;
    this.rows.forEach(function (r) {
      var ok = self.matches(r, terms);
      r.el.hidden = !ok;
      if (ok) {
        shown++;
      }
    });
    this.groups.forEach(function (g) {
      var n = g.rows.filter(function (r) { return !r.el.hidden; }).length;
      if (g.empty) {
        g.empty.hidden = n > 0;
      }
      if (g.count) {
        g.count.textContent = n + " of " + g.rows.length + " shown";
      }
    });
    if (this.countEl) {
      var total = this.rows.length;
      this.countEl.textContent = shown + " of " + total + " " + (total === 1 ? this.one : this.many) + " shown";
    }
    this.facets.forEach(function (el) {
      var name = el.getAttribute("data-facet");
      var on = self.state.filters[name] === el.getAttribute("data-value");
      el.setAttribute("aria-pressed", on ? "true" : "false");
    });
    this.sortRows();
  };

  // ---- controls ----

  Explorer.prototype.syncControls = function () {
    for (var name in this.selects) {
      if (Object.prototype.hasOwnProperty.call(this.selects, name)) {
        this.selects[name].value = this.state.filters[name] || "";
      }
    }
    if (this.search) {
      this.search.value = this.state.q;
    }
  };

  // changed applies a change made by the user and records it in the address.
  Explorer.prototype.changed = function () {
    this.showNote([]);
    this.apply();
    this.writeAddress();
  };

  Explorer.prototype.toggleFacet = function (name, value) {
    var cur = this.state.filters[name];
    this.state.filters[name] = cur === value ? "" : value;
    this.syncControls();
    this.changed();
  };

  Explorer.prototype.bind = function () {
    var self = this;
    Object.keys(this.selects).forEach(function (name) {
      self.selects[name].addEventListener("change", function () {
        self.state.filters[name] = self.selects[name].value;
        self.changed();
      });
    });
    if (this.search) {
      var onInput = function () {
        window.clearTimeout(self.timer);
        self.timer = window.setTimeout(function () {
          self.state.q = self.search.value.slice(0, MAX_QUERY);
          self.changed();
        }, SEARCH_DELAY_MS);
      };
      this.search.addEventListener("input", onInput);
      this.search.addEventListener("search", onInput);
    }
    if (this.form) {
      this.form.addEventListener("submit", function (e) { e.preventDefault(); });
      var clear = this.form.querySelector("[data-clear]");
      if (clear) {
        clear.addEventListener("click", function () {
          window.clearTimeout(self.timer);
          Object.keys(self.state.filters).forEach(function (k) { self.state.filters[k] = ""; });
          self.state.q = "";
          self.syncControls();
          self.changed();
        });
      }
    }
    this.facets.forEach(function (el) {
      var activate = function () {
        self.toggleFacet(el.getAttribute("data-facet"), el.getAttribute("data-value"));
      };
      el.addEventListener("click", activate);
      if (el.tagName.toLowerCase() !== "button") {
        // role="button" on SVG: Enter and Space as on a real button.
        el.addEventListener("keydown", function (e) {
          if (e.key === "Enter" || e.key === " " || e.key === "Spacebar") {
            e.preventDefault();
            activate();
          }
        });
        // Keep Space from scrolling the page where a separate keypress
        // arrives (synthetic input).
        el.addEventListener("keypress", function (e) {
          if (e.key === " " || e.key === "Spacebar") {
            e.preventDefault();
          }
        });
      }
    });
    window.addEventListener("hashchange", function () {
      if (location.hash === self.written) {
        return;
      }
      self.readAddress(false);
    });
  };

  // ---- the address ----

  // readAddress sets the state from the query and the hash; first is true
  // on page load.
  Explorer.prototype.readAddress = function (first) {
    var self = this;
    var bad = [];
    var pairs = [];
    var collect = function (text) {
      text.split("&").forEach(function (part) {
        if (part === "") {
          return;
        }
        var eq = part.indexOf("=");
        var k = decodePart(eq < 0 ? part : part.slice(0, eq));
        var v = eq < 0 ? "" : decodePart(part.slice(eq + 1));
        if (k === null || v === null || eq < 0) {
          bad.push(part);
          return;
        }
        pairs.push({ raw: part, key: k, value: v });
      });
    };
    if (first && location.search.length > 1) {
      collect(location.search.slice(1));
    }
    var hash = location.hash.slice(1);
    var anchor = null;
    if (hash !== "") {
      if (hash.indexOf("=") < 0) {
        var id = decodePart(hash);
        anchor = id !== null ? document.getElementById(id) : null;
        if (!anchor) {
          bad.push(hash);
        }
      } else {
        collect(hash);
      }
    }
    var next = { filters: {}, q: "", sort: "", dir: "asc" };
    Object.keys(this.selects).forEach(function (k) { next.filters[k] = ""; });
    pairs.forEach(function (p) {
      if (Object.prototype.hasOwnProperty.call(self.selects, p.key)) {
        if (p.value === "" || self.hasOption(self.selects[p.key], p.value)) {
          next.filters[p.key] = p.value;
          return;
        }
      } else if (p.key === "q" && self.search) {
        next.q = p.value.slice(0, MAX_QUERY);
        return;
      } else if (p.key === "sort" && (p.value === "" || self.sortKeys[p.value])) {
        next.sort = p.value;
        return;
      } else if (p.key === "dir" && (p.value === "asc" || p.value === "desc")) {
        next.dir = p.value;
        return;
      }
      bad.push(p.raw);
    });
    if (anchor && !first) {
      // An ordinary link to a row: show it even if filters hid it.
      var row = anchor.closest ? anchor.closest("[data-row]") : null;
      if (row && row.hidden && this.root.contains(row)) {
        next.sort = this.state.sort;
        next.dir = this.state.dir;
        this.state = next;
        this.syncControls();
        this.apply();
        anchor.scrollIntoView();
      }
      return;
    }
    this.state = next;
    this.syncControls();
    this.apply();
    this.showNote(bad);
    if (bad.length > 0 && !first) {
      this.writeAddress();
    }
  };

  Explorer.prototype.hasOption = function (sel, value) {
    for (var i = 0; i < sel.options.length; i++) {
      if (sel.options[i].value === value) {
        return true;
      }
    }
    return false;
  };

  Explorer.prototype.showNote = function (bad) {
    if (!this.noteEl) {
      return;
    }
    if (bad.length === 0) {
      this.noteEl.hidden = true;
      this.noteEl.textContent = "";
      return;
    }
    var shown = bad.slice(0, MAX_NOTED).map(function (b) {
      var d = decodePart(b);
      return "\u201c" + shorten(d !== null ? d : b) + "\u201d";
    });
    if (bad.length > MAX_NOTED) {
      shown.push("and " + (bad.length - MAX_NOTED) + " more");
    }
    this.noteEl.textContent = "Part of this page's address was not understood and was ignored: " +
      shown.join(", ") + ". The table shows every " + this.one + " the other settings allow.";
    this.noteEl.hidden = false;
  };

  Explorer.prototype.stateString = function () {
    var parts = [];
    var f = this.state.filters;
    Object.keys(this.selects).forEach(function (k) {
      if (f[k]) {
        parts.push(k + "=" + encodeURIComponent(f[k]));
      }
    });
    if (this.state.q.trim() !== "") {
      parts.push("q=" + encodeURIComponent(this.state.q.trim()));
    }
    if (this.state.sort) {
      parts.push("sort=" + encodeURIComponent(this.state.sort));
      parts.push("dir=" + this.state.dir);
    }
    return parts.join("&");
  };

  Explorer.prototype.writeAddress = function () {
    var s = this.stateString();
    var hash = s ? "#" + s : "";
    var base = location.href.split("#")[0].split("?")[0];
    this.written = hash;
    try {
      history.replaceState(history.state, "", base + hash);
      return;
    } catch (e) {
      // Some browsers refuse to rewrite file:// addresses; the hash still works.
    }
    if (hash !== "" || location.hash !== "") {
      location.hash = s;
    }
  };

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-explorer]"), function (root) {
      try {
        new Explorer(root);
      } catch (e) {
        // Never leave a broken page: every row is already visible.
        if (window.console) {
          console.warn("ExoSep evidence filters are off:", e);
        }
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
