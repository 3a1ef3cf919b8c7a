/* ExoSep number formats for the readout. The same rules as site/format.go
   (a Go test runs both and compares): rounding is floor(x·10^d + ½)/10^d. */
(function (root) {
  "use strict";

  function pow10(e) { return parseFloat("1e" + e); }

  function roundTo(x, d) {
    var p = pow10(d);
    return Math.floor(x * p + 0.5) / p;
  }

  function groupDigits(digits) {
    if (digits.length <= 3) { return digits; }
    var out = "";
    var lead = digits.length % 3;
    if (lead > 0) { out = digits.slice(0, lead); }
    for (var i = lead; i < digits.length; i += 3) {
      if (out !== "") { out += ","; }
      out += digits.slice(i, i + 3);
    }
    return out;
  }

  function fixed(x, d) {
    var neg = x < 0;
    var s = roundTo(Math.abs(x), d).toFixed(d);
    var parts = s.split(".");
    var out = groupDigits(parts[0]);
    if (parts.length > 1) { out += "." + parts[1]; }
    if (neg && out.replace(/[0.,]/g, "") !== "") { out = "\u2212" + out; }
    return out;
  }

  function formatInt(x) { return fixed(x, 0); }

  function formatPercent(fraction) {
    var p = fraction * 100;
    if (!(p > 0)) { return "0"; }
    if (p >= 100) { return "100"; }
    if (p < 0.05) { return "<0.1"; }
    if (p >= 99.95) { return ">99.9"; }
    return fixed(p, 1);
  }

  var SUP = { "0": "\u2070", "1": "\u00b9", "2": "\u00b2", "3": "\u00b3", "4": "\u2074",
    "5": "\u2075", "6": "\u2076", "7": "\u2077", "8": "\u2078", "9": "\u2079", "-": "\u207b" };

  function decade(a) {
    var e = Math.floor(Math.log10(a));
    while (pow10(e + 1) <= a) { e++; }
    while (pow10(e) > a) { e--; }
    return e;
  }

  function formatSci(x) {
    if (x === 0) { return "0"; }
    if (!isFinite(x)) { return "\u2013"; }
    var sign = x < 0 ? "\u2212" : "";
    var a = Math.abs(x);
    var e = decade(a);
    if (e >= -2 && e <= 3) {
      return sign + fixed(a, Math.max(2 - e, 0));
    }
    var m = roundTo(a / pow10(e), 2);
    if (m >= 10) { m /= 10; e++; }
    var exp = String(e).split("").map(function (c) { return SUP[c]; }).join("");
    return sign + m.toFixed(2) + " \u00d7 10" + exp;
  }

  function formatCutoff(nm) {
    if (nm < 0) { return "none: such particles do not sink"; }
    if (nm < 1000) { return formatSci(nm) + " nm"; }
    return formatSci(nm / 1000) + " \u00b5m";
  }

  function formatMinutes(m) {
    if (m === 0) { return "0"; }
    return m >= 10 ? fixed(m, 0) : fixed(m, 1);
  }

  var api = {
    fixed: fixed, int: formatInt, percent: formatPercent, sci: formatSci,
    cutoff: formatCutoff, minutes: formatMinutes
  };
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.ExoSepFormat = api;
  }
})(this);
