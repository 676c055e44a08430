/* The form editor: sections and fields as cards, their properties, checks, save, publish.
 *
 * The draft lives here as JSON (window.RifdEditorModel changes it); every change is
 * checked by the server and drawn in the preview frame, which shows the real fill
 * page. Problems come back by JSON path and are placed beside the control they are
 * about. Requests carry the CSRF token in X-CSRFToken.
 */
(function () {
  "use strict";
  var M = window.RifdEditorModel;
  var C = window.RifdEditorControls;
  var K = window.RifdEditorConditions;
  var h = C.h;
  var root = document.getElementById("form-editor");
  if (!root) { return; }
  var strings = {};
  document.getElementById("editor-strings").content.querySelectorAll("[data-key]").forEach(function (el) {
    strings[el.getAttribute("data-key")] = el.textContent;
  });
  function T(key) { return strings[key] || key; }
  function url(name) { return root.getAttribute("data-" + name + "-url"); }
  var state = { def: null, revision: 0, selected: "form", problems: [], dirty: false, checks: 0 };
  var env = { T: T, seq: 0, lang: document.documentElement.lang === "en" ? "en" : "ar",
    types: JSON.parse(root.getAttribute("data-types")) };
  var statusEl = document.getElementById("editor-status");
  var messageEl = document.getElementById("editor-message");
  var publishButton = document.querySelector("[data-action='publish']");

  function say(text, isError) {
    statusEl.textContent = text;
    statusEl.classList.toggle("error", !!isError);
  }

  function message(lines) {
    messageEl.textContent = "";
    messageEl.hidden = !lines.length;
    lines.forEach(function (line) { messageEl.appendChild(h("p", { text: line })); });
  }

  function request(target, body) {
    return fetch(target, {
      method: body ? "POST" : "GET", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": root.getAttribute("data-csrf") },
      body: body ? JSON.stringify(body) : undefined
    }).then(function (res) {
      return res.json().catch(function () { return { error: T("error_generic") }; })
        .then(function (data) { return { ok: res.ok, status: res.status, data: data }; });
    }, function () { return { ok: false, status: 0, data: { error: T("error_network") } }; });
  }

  /* Drawing ------------------------------------------------------------------------ */

  function label(node) {
    var text = node && (node.label || node.title);
    return (text && (text[env.lang] || text.ar)) || T("untitled");
  }

  function tools(path) {
    return h("span", { "class": "ed-tools" }, [
      C.button("↑", "up", { "aria-label": T("move_up"), title: T("move_up") }),
      C.button("↓", "down", { "aria-label": T("move_down"), title: T("move_down") }),
      C.button("⧉", "duplicate", { "aria-label": T("duplicate"), title: T("duplicate") }),
      C.button("✕", "remove", { "aria-label": T("remove"), title: T("remove"), "class": "button small danger" })
    ]);
  }

  function card(path, kind, node, typeText, body) {
    var open = state.selected === path || state.selected.indexOf(path + ".") === 0;
    var head = h("div", { "class": "ed-head" }, [
      kind === "form" ? null : h("span", { "class": "ed-handle", title: T("drag"), "aria-hidden": "true", text: "⠿" }),
      h("button", { type: "button", "class": "ed-title", "data-action": "select", "aria-expanded": open ? "true" : "false", text: label(node) }),
      typeText ? h("span", { "class": "ed-type", text: typeText }) : null,
      h("span", { "class": "ed-badge", hidden: true }),
      kind === "form" ? null : tools(path)
    ]);
    var el = h("div", { "class": "ed-item ed-" + kind + (open ? " is-open" : ""), "data-item": path, "data-kind": kind },
      [head, h("ul", { "class": "ed-problems" })]);
    var parts = body(open);
    if (parts.length) { el.appendChild(h("div", { "class": "ed-body" }, parts)); }
    return el;
  }

  function adder(container, types) {
    var pick = h("select", { "class": "input", "data-role": "new-type", "aria-label": T("new_type") },
      types.map(function (t) { return h("option", { value: t, text: T("type_" + t) }); }));
    return h("div", { "class": "ed-adder" }, [pick, C.button(T("add_field"), "add-field", { "data-container": container, "class": "button small primary" })]);
  }

  function fieldCard(fdef, path) {
    var kind = fdef.type === "repeat" ? "repeat" : "field";
    return card(path, kind, fdef, T("type_" + fdef.type), function (open) {
      if (!open) { return []; }
      var parts = state.selected === path ? C.fieldPanel(env, fdef, path) : [];
      if (fdef.type === "repeat") {
        // A repeat inside a repeat, up to the deepest level a form may have.
        var deeper = M.takesRepeat(path);
        parts.push(h("div", { "class": "ed-list ed-subfields", "data-container": path, "data-accepts": deeper ? "field repeat" : "field" },
          (fdef.fields || []).map(function (sub, i) { return fieldCard(sub, path + ".fields[" + i + "]"); })));
        parts.push(adder(path, env.types.filter(function (t) { return deeper || t !== "repeat"; })));
      }
      return parts;
    });
  }

  function sectionCard(section, si) {
    var path = "sections[" + si + "]";
    return card(path, "section", section, T("section"), function () {
      var parts = state.selected === path ? C.sectionPanel(env, section, path) : [];
      parts.push(h("div", { "class": "ed-list ed-fields", "data-container": path, "data-accepts": "field repeat" },
        (section.fields || []).map(function (fdef, fi) { return fieldCard(fdef, path + ".fields[" + fi + "]"); })));
      parts.push(adder(path, env.types));
      return parts;
    });
  }

  function render() {
    env.def = state.def;
    env.seq = 0;
    var active = document.activeElement;
    var keep = active && root.contains(active) && active.closest(".ed-item") ? {
      item: active.closest(".ed-item").getAttribute("data-item"),
      prop: active.getAttribute("data-prop"), action: active.getAttribute("data-action")
    } : null;
    root.textContent = "";
    root.appendChild(card("form", "form", { title: state.def.title }, T("form_settings"), function (open) {
      return open && state.selected === "form" ? C.formPanel(env, state.def) : [];
    }));
    root.appendChild(h("div", { "class": "ed-list ed-sections", "data-container": "", "data-accepts": "section" },
      (state.def.sections || []).map(sectionCard)));
    root.appendChild(C.button(T("add_section"), "add-section", { "class": "button" }));
    showProblems();
    if (keep) { refocus(keep); }
  }

  function refocus(keep) {
    var box = root.querySelector("[data-item='" + keep.item + "']");
    var el = box && (keep.prop ? box.querySelector("[data-prop='" + keep.prop + "']") : box.querySelector("[data-action='" + keep.action + "']"));
    if (el) { el.focus(); }
  }

  /* Problems, beside what they are about --------------------------------------------- */

  function nearestCard(item) {
    var path = item === "form" ? "form" : item;
    while (path) {
      var found = root.querySelector("[data-item='" + path + "']");
      if (found) { return found; }
      path = path.indexOf(".") > 0 ? path.replace(/\.[^.]+$/, "") : (path === "form" ? "" : "form");
    }
    return null;
  }

  function findControl(box, prop) {
    var own = Array.prototype.filter.call(box.querySelectorAll("[data-control]"), function (el) {
      return el.closest(".ed-item") === box;
    });
    var wanted = prop;
    while (wanted) {
      var hit = own.filter(function (el) { return el.getAttribute("data-control") === wanted; })[0];
      if (hit) { return hit; }
      wanted = wanted.replace(/(\.[^.[\]]+|\[\d+\])$/, "");
      if (wanted === prop) { break; }
    }
    return own.filter(function (el) {
      var name = el.getAttribute("data-control");
      return prop && (name.indexOf(prop + ".") === 0 || name.indexOf(prop + "[") === 0);
    })[0] || null;
  }

  function showProblems() {
    root.querySelectorAll(".ed-problem").forEach(function (el) { el.remove(); });
    root.querySelectorAll(".ed-problems").forEach(function (el) { el.textContent = ""; });
    root.querySelectorAll(".has-problems").forEach(function (el) { el.classList.remove("has-problems"); });
    root.querySelectorAll(".ed-badge").forEach(function (el) { el.hidden = true; el.textContent = ""; });
    var counts = new Map();
    state.problems.forEach(function (p) {
      var text = env.lang === "en" ? p.message : p.message_ar;
      var box = nearestCard(p.item);
      if (!box) { return; }
      counts.set(box, (counts.get(box) || 0) + 1);
      var control = box.getAttribute("data-item") === p.item ? findControl(box, p.property) : null;
      var said = control && control.querySelector(".ed-cond-problems");
      if (said) {
        said.textContent = text;
        said.className = "ed-cond-problems error";
      } else if (control) {
        control.appendChild(h("p", { "class": "ed-problem error", role: "alert", "data-for": p.property, text: text }));
      } else {
        box.querySelector(".ed-problems").appendChild(h("li", { "class": "ed-problem error", "data-for": p.property, text: text }));
      }
    });
    counts.forEach(function (n, box) {
      box.classList.add("has-problems");
      var badge = box.querySelector(".ed-badge");
      badge.hidden = false;
      badge.textContent = String(n);
    });
    publishButton.disabled = state.problems.length > 0;
    publishButton.title = state.problems.length ? T("fix_first") : "";
  }

  /* Checks, preview, save, publish --------------------------------------------------- */

  var timers = {};
  function later(name, ms, fn) { clearTimeout(timers[name]); timers[name] = setTimeout(fn, ms); }

  function check() {
    var mine = ++state.checks;
    request(url("check"), { definition: state.def }).then(function (res) {
      if (mine !== state.checks) { return; }
      root.setAttribute("aria-busy", "false");
      if (!res.ok) { say(res.data.error || T("error_generic"), true); return; }
      state.problems = res.data.problems;
      showProblems();
    });
  }

  env.checkCondition = function (path, key, expression, said) {
    request(url("condition"), { definition: state.def, where: path, key: key, expression: expression }).then(function (res) {
      if (!res.ok) { return; }
      var found = res.data.problems;
      // Without problems, the condition is read back in words, with the fields' labels.
      said.textContent = found.length ? found.map(function (p) { return env.lang === "en" ? p.message : p.message_ar; }).join(" · ")
        : (expression.trim() ? (res.data.words || T("cond_ok")) : "");
      said.className = "ed-cond-problems " + (found.length ? "error" : "ok");
    });
  };
  env.condition = function (path, key) { return K.widget(env, path, key); };

  var previewForm = document.getElementById("preview-form");
  function preview() {
    previewForm.elements.definition.value = JSON.stringify(state.def);
    previewForm.elements.audience.value = document.getElementById("preview-staff").checked ? "staff" : "public";
    previewForm.submit();
  }

  function changed() {
    state.dirty = true;
    root.setAttribute("aria-busy", "true"); // until the server has checked this change
    say(T("unsaved"));
    later("check", 500, check);
    later("preview", 700, preview);
  }

  function save() {
    say(T("saving"));
    return request(url("save"), { definition: state.def, revision: state.revision }).then(function (res) {
      if (!res.ok) { say(res.data.error || T("error_generic"), true); return false; }
      state.revision = res.data.revision;
      state.dirty = false;
      state.problems = res.data.problems;
      showProblems();
      document.getElementById("discard-revision").value = String(state.revision);
      document.getElementById("discard-form").hidden = false;
      say(state.problems.length ? T("saved_with_problems") : T("saved"));
      return true;
    });
  }

  function publish() {
    var ready = state.dirty || state.revision === 0 ? save() : Promise.resolve(true);
    ready.then(function (ok) {
      if (!ok) { return; }
      say(T("publishing"));
      request(url("publish"), { revision: state.revision }).then(function (res) {
        if (!res.ok) {
          if (res.data.problems) { state.problems = res.data.problems; showProblems(); }
          say(res.data.error || T("error_generic"), true);
          return;
        }
        load(T("published") + " " + res.data.version);
      });
    });
  }

  function load(done) {
    request(url("draft")).then(function (res) {
      if (!res.ok) { say(res.data.error || T("error_generic"), true); return; }
      state.def = res.data.definition;
      state.revision = res.data.revision;
      state.problems = res.data.problems;
      state.dirty = false;
      var link = document.getElementById("public-link");
      link.hidden = !res.data.public_url;
      link.href = res.data.public_url || "#";
      document.getElementById("current-version").textContent = res.data.current_version || T("not_published");
      document.getElementById("discard-revision").value = String(state.revision);
      document.getElementById("discard-form").hidden = !state.revision;
      render();
      root.setAttribute("aria-busy", "false");
      preview();
      say(done || (state.revision ? T("draft_loaded") : T("no_draft")));
    });
  }

  window.RifdEditorActions.install({ root: root, state: state, env: env, T: T, render: render,
    changed: changed, save: save, publish: publish, preview: preview, message: message });
  load();
})();
