/* What the form editor does on a click, a keystroke or a drop: one listener per kind of event.
 *
 * Controls say what they change with data-prop, buttons what they do with data-action;
 * the card they sit in (data-item) says on which section or field. After a change the
 * cards are drawn again from the JSON, and the check and the preview follow.
 */
(function () {
  "use strict";
  var M = window.RifdEditorModel;
  var C = window.RifdEditorControls;

  function install(ctx) {
    var root = ctx.root;
    var state = ctx.state;
    var T = ctx.T;

    function itemPath(el) {
      var box = el.closest(".ed-item");
      return box ? box.getAttribute("data-item") : "form";
    }

    function redraw(selected, focusAction) {
      state.selected = selected;
      ctx.render();
      ctx.changed();
      var box = root.querySelector("[data-item='" + selected + "']");
      var target = box && (focusAction ? box.querySelector("[data-action='" + focusAction + "']") : box.querySelector("[data-prop='label.ar'], [data-prop='title.ar']"));
      if (target) { target.focus(); }
    }

    /* A file field that takes several files shows its limits; one that no longer does drops them. */
    function several(obj, value, path) {
      M.setProp(obj, "multiple", value);
      if (!value) { delete obj.max_files; delete obj.max_total_mb; }
      redraw(path);
      var box = root.querySelector("[data-item='" + path + "'] [data-prop='multiple']");
      if (box) { box.focus(); }
    }

    function freeValue(list) {
      var n = list.length + 1;
      var used = list.map(function (c) { return c.value; });
      while (used.indexOf("option_" + n) >= 0) { n++; }
      return M.newChoice(n, T);
    }

    function choices(action, el, obj) {
      var prefix = el.getAttribute("data-prefix");
      var list = M.getProp(obj, prefix);
      if (!Array.isArray(list)) { list = []; M.setProp(obj, prefix, list); }
      var i = Number(el.getAttribute("data-index"));
      if (action === "add-choice") { list.push(freeValue(list)); } else if (action === "choice-remove") {
        list.splice(i, 1);
      } else {
        var j = action === "choice-up" ? i - 1 : i + 1;
        if (j < 0 || j >= list.length) { return; }
        list.splice(j, 0, list.splice(i, 1)[0]);
      }
    }

    function lists(action, el) {
      var def = state.def;
      def.choice_lists = def.choice_lists || {};
      if (action === "add-list") {
        var n = 1;
        while (def.choice_lists["list_" + n]) { n++; }
        def.choice_lists["list_" + n] = [M.newChoice(1, T), M.newChoice(2, T)];
      } else {
        delete def.choice_lists[el.getAttribute("data-list")];
      }
      if (!Object.keys(def.choice_lists).length) { delete def.choice_lists; }
    }

    function onClick(ev) {
      var el = ev.target.closest("[data-action]");
      if (!el || !root.contains(el) || el.tagName === "SELECT" || el.tagName === "INPUT") { return; }
      var action = el.getAttribute("data-action");
      var path = itemPath(el);
      var def = state.def;
      if (action === "select") {
        var parent = M.steps(path).length >= 3 ? path.replace(/\.fields\[\d+\]$/, "") : "";
        state.selected = state.selected === path ? parent : path;
        ctx.render();
        var again = root.querySelector("[data-item='" + path + "'] .ed-title");
        if (again) { again.focus(); }
      } else if (action === "up" || action === "down") {
        redraw(M.move(def, path, action === "up" ? -1 : 1), action);
      } else if (action === "duplicate") {
        redraw(M.duplicate(def, path));
      } else if (action === "remove") {
        if (window.confirm(T("confirm_remove"))) { M.remove(def, path); redraw(""); }
      } else if (action === "add-field") {
        var type = el.parentNode.querySelector("[data-role='new-type']").value;
        redraw(M.addField(def, el.getAttribute("data-container"), type, T));
      } else if (action === "add-section") {
        redraw(M.addSection(def, T));
      } else if (/choice/.test(action)) {
        choices(action, el, M.itemAt(def, path));
        redraw(state.selected);
      } else if (action === "add-list" || action === "remove-list") {
        lists(action, el);
        redraw("form");
      }
    }

    function switchChoices(el, fdef) {
      var lists = Object.keys(state.def.choice_lists || {});
      if (el.value === "shared" && lists.length) {
        fdef.choices = lists[0];
      } else if (el.value === "own") {
        var had = M.choicesOf(state.def, fdef);
        fdef.choices = had.length ? M.clone(had) : [M.newChoice(1, T), M.newChoice(2, T)];
      }
    }

    function renameList(el) {
      var def = state.def;
      var old = el.getAttribute("data-list");
      var name = el.value.trim();
      if (!name || name === old || def.choice_lists[name]) { el.value = old; return; }
      var renamed = {};
      Object.keys(def.choice_lists).forEach(function (k) { renamed[k === old ? name : k] = def.choice_lists[k]; });
      def.choice_lists = renamed;
      M.eachField(def, function (fdef) { if (fdef.choices === old) { fdef.choices = name; } });
    }

    /* A new item's name follows its Arabic label (editable: writing one stops this). */
    function proposeName(el, obj, label) {
      var name = M.proposeName(state.def, obj, label);
      if (!name || name === obj.name) { return; }
      obj.name = name;
      var input = el.closest(".ed-item").querySelector("[data-prop='name']");
      if (input) { input.value = name; }
    }

    function onEdit(ev) {
      var el = ev.target;
      var picked = el.tagName === "SELECT" || el.type === "checkbox";
      if ((ev.type === "input") === picked) { return; }
      var path = itemPath(el);
      var obj = M.itemAt(state.def, path);
      var action = el.getAttribute("data-action");
      if (action === "choices-mode") { switchChoices(el, obj); redraw(path); return; }
      if (action === "rename-list") { renameList(el); redraw("form"); return; }
      var prop = el.getAttribute("data-prop");
      if (!prop || !obj) { return; }
      var value = C.readValue(el);
      if (prop === "type") { M.fitType(state.def, obj, value, T); redraw(path); return; }
      if (prop === "multiple") { several(obj, value, path); return; }
      M.setProp(obj, prop, value);
      if (prop === "name") { M.nameWritten(obj); }
      if (prop === "label.ar" || prop === "title.ar") { proposeName(el, obj, value); }
      if (/^(label|title)\./.test(prop)) {
        var title = el.closest(".ed-item").querySelector(".ed-title");
        var text = obj.label || obj.title || {};
        title.textContent = text[ctx.env.lang] || text.ar || T("untitled");
      }
      ctx.changed();
    }

    root.addEventListener("click", onClick);
    root.addEventListener("input", onEdit);
    root.addEventListener("change", onEdit);
    window.RifdEditorDnd.setup(root, function (from, container, index) {
      redraw(M.moveTo(state.def, from, container, index));
    });
    document.querySelector("[data-action='save']").addEventListener("click", ctx.save);
    document.querySelector("[data-action='publish']").addEventListener("click", ctx.publish);
    document.getElementById("preview-staff").addEventListener("change", ctx.preview);
    document.getElementById("discard-form").addEventListener("submit", function (ev) {
      if (!window.confirm(T("confirm_discard"))) { ev.preventDefault(); } else { state.dirty = false; }
    });
    window.addEventListener("beforeunload", function (ev) {
      if (state.dirty) { ev.preventDefault(); ev.returnValue = ""; }
    });
  }

  window.RifdEditorActions = { install: install };
})();
