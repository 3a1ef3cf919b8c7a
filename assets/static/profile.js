/* ExoSep colour profile: reads colorProfile from the URL (schema entry
 * colorProfile in static/params.js; a Go test keeps the two lists equal)
 * and sets class profile-projector or profile-high-contrast on <html>
 * before the page paints. Load it without defer, in <head>. */
(function () {
  "use strict";
  var PROFILES = ["default", "projector", "high-contrast"];
  var v = null;
  try { v = new URLSearchParams(window.location.search).get("colorProfile"); } catch (e) { v = null; }
  if (v === null) { return; }
  if (PROFILES.indexOf(v) < 0) {
    console.warn("ExoSep: colorProfile=" + String(v).slice(0, 40) + " is not one of " + PROFILES.join(", ") + "; the default is used.");
    return;
  }
  if (v !== "default") { document.documentElement.classList.add("profile-" + v); }
  document.documentElement.setAttribute("data-color-profile", v);
})();
