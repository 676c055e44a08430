/* A file field that takes several files (input[multiple]).
 *
 * A browser replaces the chosen files at each pick, and a phone's camera gives one
 * photo a pick: here each pick adds to those chosen before, the list under the field
 * names them, and each can be taken off before sending. The input itself holds them
 * all (DataTransfer), so the form posts them as any multiple input does. Without
 * DataTransfer the browser's own behaviour stays: the last pick is what is sent.
 */
(function () {
  "use strict";

  function same(a, b) {
    return a.name === b.name && a.size === b.size && a.lastModified === b.lastModified;
  }

  function setup(input) {
    var list = document.querySelector("[data-chosen='" + input.id + "']");
    if (!list || typeof DataTransfer === "undefined") { return; }
    var chosen = [];

    function show() {
      var all = new DataTransfer();
      chosen.forEach(function (file) { all.items.add(file); });
      input.files = all.files;
      list.textContent = "";
      chosen.forEach(function (file, index) {
        var item = document.createElement("li");
        item.textContent = file.name + " ";
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "button small";
        remove.textContent = list.getAttribute("data-remove");
        remove.setAttribute("aria-label", list.getAttribute("data-remove") + " " + file.name);
        remove.setAttribute("data-remove-file", String(index));
        item.appendChild(remove);
        list.appendChild(item);
      });
    }

    input.addEventListener("change", function () {
      Array.prototype.forEach.call(input.files, function (file) {
        if (!chosen.some(function (old) { return same(old, file); })) { chosen.push(file); }
      });
      show();
    });
    list.addEventListener("click", function (ev) {
      var remove = ev.target.closest("[data-remove-file]");
      if (!remove) { return; }
      chosen.splice(Number(remove.getAttribute("data-remove-file")), 1);
      show();
      input.dispatchEvent(new Event("input", { bubbles: true }));  // conditions see it
      input.focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.rifd-form input[type=file][multiple]").forEach(setup);
  });
})();
