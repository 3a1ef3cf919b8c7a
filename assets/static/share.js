/* ExoSep "Share / embed" panel (templ component shareEmbedPanel).
 *
 *   var share = ExoSepShare.attach(panelElement, function () {
 *     return {values: {...}, lanes: {...} or null};   // the page's current state
 *   });
 *   share.refresh();   // after the state changed (also done on any change event)
 *
 * values are ExoSepParams values (bridge.Params names for the stage's
 * settings, plus page parameters); the link and the iframe snippet list only
 * what differs from the defaults (ExoSepParams.query), as absolute URLs
 * resolved against this page (a file:// URL when opened from disk).
 */
(function () {
  "use strict";

  function attr(s) {
    return String(s).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function copy(field, status) {
    var done = function (ok) {
      status.textContent = ok ? "Copied." : "Select the text and copy it (Ctrl+C or \u2318C).";
    };
    field.focus();
    field.select();
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(field.value).then(function () { done(true); }, function () {
        var ok = false;
        try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
        done(ok);
      });
      return;
    }
    var ok2 = false;
    try { ok2 = document.execCommand("copy"); } catch (e) { ok2 = false; }
    done(ok2);
  }

  function attach(panel, getState) {
    var P = window.ExoSepParams;
    if (!panel || !P) { return { refresh: function () {} }; }
    var page = panel.getAttribute("data-page");
    var embedPage = panel.getAttribute("data-embed");
    var title = panel.getAttribute("data-title") || "ExoSep simulation";
    var link = panel.querySelector("[data-share-link]");
    var snippet = panel.querySelector("[data-share-snippet]");
    var open = panel.querySelector("[data-share-open]");
    var status = panel.querySelector("[data-share-status]");
    var last = null;

    function refresh() {
      var st = null;
      try { st = getState(); } catch (e) { st = null; }
      if (!st || !st.values) { return; }
      var q = P.query(st.values, page, st.lanes || null);
      var qe = P.query(st.values, embedPage, st.lanes || null);
      var href = new URL(page + q, window.location.href).href;
      var src = new URL(embedPage + qe, window.location.href).href;
      if (href === last) { return; }
      last = href;
      link.value = href;
      if (open) { open.setAttribute("href", page + q); }
      snippet.value = '<iframe src="' + attr(src) + '" title="' + attr(title) +
        '" style="width:100%;aspect-ratio:4/3;border:0" allowfullscreen></iframe>';
      status.textContent = "";
    }

    Array.prototype.forEach.call(panel.querySelectorAll("[data-copy]"), function (b) {
      b.addEventListener("click", function () {
        refresh();
        copy(panel.querySelector("#" + b.getAttribute("data-copy")), status);
      });
    });
    var timer = 0;
    var later = function () { clearTimeout(timer); timer = setTimeout(refresh, 150); };
    document.addEventListener("change", later);
    document.addEventListener("input", later);
    document.addEventListener("exosep:state", later);
    refresh();
    var api = { refresh: function () { last = null; refresh(); } };
    panel.exosepShare = api;
    return api;
  }

  window.ExoSepShare = { attach: attach };
})();
