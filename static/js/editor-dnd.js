/* Drag and drop of sections and fields by their handle, with a mouse, a pen or a finger.
 *
 * Pointer events rather than the HTML drag-and-drop API: they work on touch screens
 * and a test can drive them like a person. A card dropped on a list of its kind goes
 * where the marker shows; the up and down buttons do the same from the keyboard.
 */
(function () {
  "use strict";

  function cardsOf(list) {
    return Array.prototype.filter.call(list.children, function (el) { return el.classList.contains("ed-item"); });
  }

  /* The list under the pointer that takes this kind of card, and the index it would go to. */
  function target(x, y, kind, dragged) {
    var el = document.elementFromPoint(x, y);
    var list = el && el.closest(".ed-list[data-accepts~='" + kind + "']");
    if (!list || dragged.contains(list)) { return null; }
    var cards = cardsOf(list);
    var index = cards.length;
    for (var i = 0; i < cards.length; i++) {
      var box = cards[i].getBoundingClientRect();
      if (y < box.top + box.height / 2) { index = i; break; }
    }
    return { list: list, index: index, before: cards[index] || null };
  }

  /* Show where the card would go without moving anything (a marker that took room would
   * shift the cards under the pointer and change the answer). */
  function mark(at) {
    document.querySelectorAll(".drop-before, .drop-after, .drop-into").forEach(function (el) {
      el.classList.remove("drop-before", "drop-after", "drop-into");
    });
    if (!at) { return; }
    var cards = cardsOf(at.list);
    if (at.before) { at.before.classList.add("drop-before"); } else if (cards.length) {
      cards[cards.length - 1].classList.add("drop-after");
    } else { at.list.classList.add("drop-into"); }
  }

  function setup(root, onDrop) {
    var drag = null;

    root.addEventListener("pointerdown", function (ev) {
      var handle = ev.target.closest(".ed-handle");
      if (!handle || ev.button !== 0) { return; }
      var card = handle.closest(".ed-item");
      drag = { card: card, kind: card.getAttribute("data-kind"), at: null };
      card.classList.add("is-dragging");
      handle.setPointerCapture(ev.pointerId);
      ev.preventDefault();
    });
    root.addEventListener("pointermove", function (ev) {
      if (!drag) { return; }
      drag.at = target(ev.clientX, ev.clientY, drag.kind, drag.card);
      mark(drag.at);
    });
    function finish(ev) {
      if (!drag) { return; }
      var done = drag;
      drag = null;
      done.card.classList.remove("is-dragging");
      mark(null);
      if (ev.type === "pointerup" && done.at) {
        onDrop(done.card.getAttribute("data-item"), done.at.list.getAttribute("data-container"), done.at.index);
      }
    }
    root.addEventListener("pointerup", finish);
    root.addEventListener("pointercancel", finish);
  }

  window.RifdEditorDnd = { setup: setup };
})();
