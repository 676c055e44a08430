/* On every staff page: ask before a step that cannot be undone, and warn before the
 * session ends for want of use, with a button that keeps it.
 *
 * A form with data-confirm="question" is sent only if the person agrees. The body's
 * data-idle-seconds is how long the server keeps a session without a request; two
 * minutes before that a notice offers to stay signed in (a GET of data-alive-url
 * counts as a request). If she does not, nothing is lost: a form sent after the end
 * is kept for her and comes back filled once she signs in again. A button with
 * data-copy copies a link; one with data-print prints the page.
 * No inline scripts: everything hangs off data- attributes.
 */
(function () {
  "use strict";
  var WARN_BEFORE = 120;

  document.addEventListener("submit", function (ev) {
    var form = ev.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.getAttribute("data-confirm"))) { ev.preventDefault(); }
  }, true);

  function setupIdle(body) {
    var idle = parseInt(body.getAttribute("data-idle-seconds"), 10);
    var notice = document.getElementById("session-warning");
    if (!idle || !notice) { return; }
    var timer = null;
    function arm() {
      window.clearTimeout(timer);
      notice.hidden = true;
      timer = window.setTimeout(function () { notice.hidden = false; }, Math.max(idle - WARN_BEFORE, 1) * 1000);
    }
    notice.querySelector("[data-stay]").addEventListener("click", function () {
      fetch(body.getAttribute("data-alive-url"), { credentials: "same-origin" }).then(function (r) {
        if (r.ok) { arm(); }
      });
    });
    arm();
  }

  // A button with data-copy="ID" copies the value of that field (a link to share) and
  // says so; without the script it stays hidden and the field can be selected by hand.
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) { return navigator.clipboard.writeText(text); }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand("copy");
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }

  function setupCopy(button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById("copy-status");
    if (!field) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      copyText(field.value).then(function () {
        if (status) { status.textContent = button.getAttribute("data-copied"); }
      }, function () {
        field.focus();
        field.select();  // the browser refused: the link is selected, ready to copy by hand
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupIdle(document.body);
    Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), setupCopy);
    Array.prototype.forEach.call(document.querySelectorAll("button[data-print]"), function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { window.print(); });
    });
  });
})();
