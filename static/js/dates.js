/* A date typed in either calendar shows the other beside it as the person types:
 * a Hijri year (1343-1500) reads as Umm al-Qura and shows the Gregorian day, any other
 * year reads as Gregorian and shows the Hijri one, as the server reads it
 * (forms/dates.py read_day). The browser's own Umm al-Qura calendar (Intl) converts;
 * a Hijri date is found by looking at the days around its estimate.
 */
(function () {
  "use strict";
  var HIJRI = { from: 1343, to: 1500 };
  var DIGITS = /[٠-٩۰-۹]/g;
  var PARTS = new Intl.DateTimeFormat("en-u-ca-islamic-umalqura-nu-latn",
    { year: "numeric", month: "numeric", day: "numeric", timeZone: "UTC" });

  function ascii(text) {
    return text.replace(DIGITS, function (d) { return String((d.charCodeAt(0) & 0xf) % 10); });
  }

  function pad(n, size) { return String(n).padStart(size, "0"); }

  function hijriOf(date) {
    var out = {};
    PARTS.formatToParts(date).forEach(function (p) { out[p.type] = parseInt(p.value, 10); });
    return { y: out.year, m: out.month, d: out.day };
  }

  function gregorianOf(y, m, d) {
    // Days from the Hijri epoch (622-07-16) by the mean month, then the days around it.
    var guess = Date.UTC(622, 6, 16) + ((y - 1) * 354.36667 + (m - 1) * 29.530589 + d - 1) * 864e5;
    for (var step = 0; step <= 40; step += 1) {
      for (var sign = -1; sign <= 1; sign += 2) {
        var day = new Date(guess + sign * step * 864e5);
        var h = hijriOf(day);
        if (h.y === y && h.m === m && h.d === d) { return day; }
      }
    }
    return null;
  }

  function other(text) {
    var found = /^(\d{4})\s*[-\/]\s*(\d{1,2})\s*[-\/]\s*(\d{1,2})/.exec(ascii(text).trim());
    if (!found) { return ""; }
    var y = +found[1], m = +found[2], d = +found[3];
    if (y >= HIJRI.from && y <= HIJRI.to) {
      var g = gregorianOf(y, m, d);
      return g ? pad(g.getUTCFullYear(), 4) + "/" + pad(g.getUTCMonth() + 1, 2) + "/" + pad(g.getUTCDate(), 2) + " م" : "";
    }
    var date = new Date(Date.UTC(y, m - 1, d));
    if (date.getUTCMonth() !== m - 1 || y < 1900 || y > 2100) { return ""; }
    var h = hijriOf(date);
    return pad(h.y, 4) + "/" + pad(h.m, 2) + "/" + pad(h.d, 2) + " هـ";
  }

  function setup(input) {
    var note = document.createElement("small");
    note.className = "other-calendar";
    note.setAttribute("aria-live", "polite");
    note.setAttribute("dir", "rtl");
    input.insertAdjacentElement("afterend", note);
    function show() { note.textContent = other(input.value); }
    input.addEventListener("input", show);
    show();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-calendar]").forEach(setup);
  });
})();
