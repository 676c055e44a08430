/* Bulk letters in the browser: "select all on this page" on the submissions list, and
 * the progress bar of a bulk job, which asks the server every second how far it got
 * (GET data-job-url) until the job is done or failed, then shows the download link.
 * No inline scripts: everything hangs off data- attributes and ids.
 */
(function () {
  "use strict";
  var POLL_MS = 1000;

  function initSelectAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-select-all]"), function (box) {
      var rows = document.querySelectorAll("input[data-bulk-row]");
      box.addEventListener("change", function () {
        Array.prototype.forEach.call(rows, function (row) { row.checked = box.checked; });
      });
      Array.prototype.forEach.call(rows, function (row) {
        row.addEventListener("change", function () {
          box.checked = Array.prototype.every.call(rows, function (r) { return r.checked; });
        });
      });
    });
  }

  function showErrors(errors) {
    var box = document.getElementById("job-errors");
    var list = document.getElementById("job-error-list");
    if (!box || !list || !errors.length) { return; }
    list.textContent = "";
    errors.forEach(function (item) {
      var li = document.createElement("li");
      var ref = document.createElement("span");
      ref.dir = "ltr";
      ref.textContent = item.ref || "";
      li.appendChild(ref);
      li.appendChild(document.createTextNode(" " + item.error));
      list.appendChild(li);
    });
    box.hidden = false;
  }

  function show(job, state) {
    var bar = document.getElementById("job-progress");
    bar.max = state.total || 1;
    bar.value = state.done;
    document.getElementById("job-count").textContent = state.done + " / " + state.total;
    document.getElementById("job-status").textContent =
      job.getAttribute("data-label-" + state.status) || state.status;
    showErrors(state.errors || []);
    var link = document.getElementById("job-download");
    if (state.download) {
      link.href = state.download;
      link.hidden = false;
    }
    job.setAttribute("data-status", state.status);
  }

  function poll(job) {
    var url = job.getAttribute("data-job-url");
    fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (state) {
        show(job, state);
        if (state.status !== "done" && state.status !== "failed") {
          window.setTimeout(function () { poll(job); }, POLL_MS);
        }
      })
      .catch(function () {
        document.getElementById("job-status").textContent =
          job.getAttribute("data-label-unreachable");
        window.setTimeout(function () { poll(job); }, POLL_MS * 3);
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    initSelectAll();
    var job = document.getElementById("job");
    if (job) { poll(job); }
  });
})();
