/* The form editor's property panels: every key of the definition format as a control.
 *
 * Each control carries data-prop (its path inside the item) and data-kind (how its
 * value is read), so editor.js binds them all with one listener and places the
 * server's problems beside them. Text is only ever set with textContent or value:
 * whatever a definition holds is shown, never run.
 */
(function () {
  "use strict";
  var M = window.RifdEditorModel;
  // The kinds of forms/schema.json: documents, pictures, sound and film (forms/file_kinds.py).
  var ACCEPT = ["pdf", "jpg", "png", "gif", "webp", "docx", "xlsx", "m4a", "mp3", "ogg", "wav",
    "aac", "amr", "mp4", "webm", "mov", "3gp"];
  var DIGITS = /[٠-٩۰-۹]/g;

  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    var value;
    Object.keys(attrs || {}).forEach(function (key) {
      var v = attrs[key];
      if (v === undefined || v === null || v === false) { return; }
      if (key === "text") { el.textContent = v; } else if (key === "value") { value = v; } else {
        el.setAttribute(key, v === true ? "" : String(v));
      }
    });
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) { el.appendChild(typeof c === "string" ? document.createTextNode(c) : c); }
    });
    if (value !== undefined) { el.value = value; }
    return el;
  }

  function shown(value) { return value === undefined || value === null ? "" : String(value); }

  function control(env, obj, prop, label, kind, extra) {
    extra = extra || {};
    var id = "ed-" + (++env.seq);
    var value = M.getProp(obj, prop);
    var base = { id: id, "data-prop": prop, "data-kind": kind };
    var input;
    if (kind === "bool") {
      input = h("input", Object.assign(base, { type: "checkbox" }));
      input.checked = value === true;
      return h("div", { "class": "ed-control ed-check", "data-control": prop }, [input, h("label", { "for": id, text: label })]);
    }
    if (kind === "select" || kind === "boolsel" || kind === "multi") {
      input = h("select", Object.assign(base, { "class": "input", multiple: kind === "multi" }),
        extra.options.map(function (o) { return h("option", { value: o[0], text: o[1] }); }));
      var picked = Array.isArray(value) ? value.map(String) : [shown(value)];
      Array.prototype.forEach.call(input.options, function (o) { o.selected = picked.indexOf(o.value) >= 0; });
    } else if (kind === "textarea") {
      input = h("textarea", Object.assign(base, { "class": "input" + (extra.dir === "ltr" ? " ltr" : ""), rows: 2,
        "data-kind": "text", dir: extra.dir, value: shown(value) }));
    } else {
      var numeric = kind === "number" || kind === "int";
      input = h("input", Object.assign(base, {
        "class": "input" + (extra.dir === "ltr" ? " ltr" : ""), type: numeric ? "number" : (extra.type || "text"),
        step: numeric ? (kind === "int" ? "1" : "any") : null, dir: extra.dir, value: shown(value), autocomplete: "off"
      }));
    }
    return h("div", { "class": "ed-control", "data-control": prop }, [
      h("label", { "class": "label", "for": id, text: label }), input,
      extra.hint ? h("p", { "class": "hint", text: extra.hint }) : null
    ]);
  }

  /* The value a control holds, as the definition stores it (undefined: remove the key). */
  function readValue(input) {
    var kind = input.getAttribute("data-kind");
    var text = input.value;
    if (kind === "bool") { return input.checked ? true : undefined; }
    if (kind === "int" || kind === "number") {
      text = text.replace(DIGITS, function (d) { return String("٠١٢٣٤٥٦٧٨٩".indexOf(d) >= 0 ? "٠١٢٣٤٥٦٧٨٩".indexOf(d) : "۰۱۲۳۴۵۶۷۸۹".indexOf(d)); });
      return text.trim() === "" ? undefined : Number(text);
    }
    if (kind === "boolsel") { return text === "" ? undefined : text === "true"; }
    if (kind === "multi") { return Array.prototype.map.call(input.selectedOptions, function (o) { return o.value; }); }
    if (kind === "accept") {
      var box = input.closest("[data-control]");
      return Array.prototype.filter.call(box.querySelectorAll("input"), function (el) { return el.checked; })
        .map(function (el) { return el.value; });
    }
    return text === "" ? undefined : text;
  }

  function texts(env, obj, key, label, area) {
    return [
      control(env, obj, key + ".ar", label + " — " + env.T("arabic"), area ? "textarea" : "text", { dir: "rtl" }),
      control(env, obj, key + ".en", label + " — " + env.T("english"), area ? "textarea" : "text", { dir: "ltr" })
    ];
  }

  function group(title, children) {
    return h("fieldset", { "class": "ed-group" }, [h("legend", { text: title })].concat(children));
  }

  function button(text, action, extra) {
    return h("button", Object.assign({ type: "button", "class": "button small", "data-action": action, text: text }, extra || {}));
  }

  /* Rows of choices under `prefix` (choices, or choice_lists.<name>) of the item. */
  function choiceRows(env, list, prefix) {
    var rows = (Array.isArray(list) ? list : []).map(function (choice, i) {
      var at = prefix + "[" + i + "]";
      var data = { "data-prefix": prefix, "data-index": i };
      return h("div", { "class": "ed-choice", "data-choice": i }, [
        control(env, choice, "value", env.T("choice_value"), "text", { dir: "ltr" }),
        control(env, choice, "label.ar", env.T("choice_label_ar"), "text"),
        control(env, choice, "label.en", env.T("choice_label_en"), "text", { dir: "ltr" }),
        h("div", { "class": "ed-row-buttons" }, [
          button("↑", "choice-up", Object.assign({ "aria-label": env.T("move_up") }, data)),
          button("↓", "choice-down", Object.assign({ "aria-label": env.T("move_down") }, data)),
          button("✕", "choice-remove", Object.assign({ "aria-label": env.T("remove"), "class": "button small danger" }, data))
        ])
      ]);
    });
    // The row controls read the choice itself; their paths are the item's.
    rows.forEach(function (row, i) {
      row.querySelectorAll("[data-prop]").forEach(function (el) {
        el.setAttribute("data-prop", prefix + "[" + i + "]." + el.getAttribute("data-prop"));
        el.closest("[data-control]").setAttribute("data-control", el.getAttribute("data-prop"));
      });
    });
    return h("div", { "class": "ed-choices" }, rows.concat([button(env.T("add_choice"), "add-choice", { "data-prefix": prefix })]));
  }

  function choicesPanel(env, fdef) {
    var lists = Object.keys(env.def.choice_lists || {});
    var shared = typeof fdef.choices === "string";
    var mode = h("select", { "class": "input", "data-action": "choices-mode", "aria-label": env.T("choices_from") }, [
      h("option", { value: "own", text: env.T("own_choices") }),
      lists.length || shared ? h("option", { value: "shared", text: env.T("shared_choices") }) : null
    ]);
    mode.value = shared ? "shared" : "own";
    var body = shared
      ? control(env, fdef, "choices", env.T("shared_list"), "select", { options: lists.map(function (n) { return [n, n]; }) })
      : choiceRows(env, fdef.choices, "choices");
    return group(env.T("choices"), [h("div", { "class": "ed-control", "data-control": "choices" }, [mode]), body]);
  }

  function defaultControl(env, fdef) {
    var type = fdef.type;
    if (M.NO_DEFAULT.indexOf(type) >= 0) { return null; }
    var label = env.T("default");
    if (type === "select_one" || type === "select_multiple") {
      var options = M.choicesOf(env.def, fdef).map(function (c) { return [c.value, (c.label || {}).ar || c.value]; });
      if (type === "select_one") { options.unshift(["", "—"]); }
      return control(env, fdef, "default", label, type === "select_one" ? "select" : "multi", { options: options });
    }
    if (type === "yes_no") {
      return control(env, fdef, "default", label, "boolsel", { options: [["", "—"], ["true", env.T("yes")], ["false", env.T("no")]] });
    }
    var numeric = M.NUMERIC.concat(["rating", "nps"]).indexOf(type) >= 0;
    return control(env, fdef, "default", label, numeric ? "number" : "text", { type: type === "date" ? "date" : "text" });
  }

  function constraintsPanel(env, fdef) {
    var keys = M.NUMERIC.indexOf(fdef.type) >= 0 ? [["min", "number"], ["max", "number"]]
      : M.TEXTUAL.indexOf(fdef.type) >= 0 ? [["min_length", "int"], ["max_length", "int"], ["pattern", "text"]] : [];
    // A rule compares the answer with others (end_date > start_date): any one-answer field.
    if (M.NO_RULE.indexOf(fdef.type) < 0) { keys = keys.concat([["rule", "text"]]); }
    if (!keys.length) { return null; }
    var rows = [];
    keys.forEach(function (k) {
      rows.push(control(env, fdef, "constraints." + k[0], env.T("c_" + k[0]), k[1], { dir: k[0] === "pattern" || k[0] === "rule" ? "ltr" : null }));
      rows.push(control(env, fdef, "constraints.messages." + k[0] + ".ar", env.T("c_message") + " — " + env.T("arabic"), "text"));
      rows.push(control(env, fdef, "constraints.messages." + k[0] + ".en", env.T("c_message") + " — " + env.T("english"), "text", { dir: "ltr" }));
    });
    return group(env.T("constraints"), rows);
  }

  function filePanel(env, fdef) {
    var id = "ed-" + (++env.seq);
    var chosen = fdef.accept || [];
    var boxes = ACCEPT.map(function (ext) {
      var box = h("input", { type: "checkbox", value: ext, "data-prop": "accept", "data-kind": "accept", id: id + ext });
      box.checked = chosen.indexOf(ext) >= 0;
      return h("label", { "class": "choice", "for": id + ext }, [box, " " + ext]);
    });
    return group(env.T("files"), [
      h("div", { "class": "ed-control", "data-control": "accept" }, [h("p", { "class": "label", text: env.T("accept") }), h("div", { "class": "choices" }, boxes)]),
      control(env, fdef, "max_size_mb", env.T("max_size_mb"), "number"),
      control(env, fdef, "multiple", env.T("multiple"), "bool"),
      fdef.multiple ? control(env, fdef, "max_files", env.T("max_files"), "int", { hint: env.T("max_files_hint") }) : null,
      fdef.multiple ? control(env, fdef, "max_total_mb", env.T("max_total_mb"), "number", { hint: env.T("max_total_mb_hint") }) : null,
      control(env, fdef, "camera", env.T("camera"), "bool"),
      h("p", { "class": "hint", text: env.T("camera_hint") })
    ]);
  }

  function repeatPanel(env, fdef) {
    return group(env.T("repeat"), [
      control(env, fdef, "min", env.T("rows_min"), "int"),
      control(env, fdef, "max", env.T("rows_max"), "int")
    ].concat(texts(env, fdef, "add_label", env.T("add_label"))));
  }

  function fieldPanel(env, fdef, path) {
    var type = fdef.type;
    // A repeat inside a repeat, up to the deepest level a form may have.
    var deeper = M.takesRepeat(path.replace(/\.fields\[\d+\]$/, "")) || type === "repeat";
    var types = env.types.filter(function (t) { return deeper || t !== "repeat"; });
    var main = [
      control(env, fdef, "type", env.T("type"), "select", { options: types.map(function (t) { return [t, env.T("type_" + t)]; }) }),
      control(env, fdef, "name", env.T("name"), "text", { dir: "ltr", hint: env.T("name_hint") })
    ].concat(texts(env, fdef, "label", type === "note" ? env.T("note_text") : env.T("label"), type === "note"),
      type === "note" ? [] : texts(env, fdef, "hint", env.T("hint")));
    if (type === "calculate") {
      main.push(control(env, fdef, "calculation", env.T("calculation"), "text", { dir: "ltr", hint: env.T("calculation_hint") }));
    }
    if (type !== "note") { main.push(control(env, fdef, "required", env.T("required"), "bool")); }
    main.push(control(env, fdef, "staff_only", env.T("staff_only"), "bool"));
    if (M.APPEARANCES[type]) {
      main.push(control(env, fdef, "appearance", env.T("appearance"), "select", {
        options: [["", env.T("appearance_default")]].concat(M.APPEARANCES[type].map(function (a) { return [a, env.T("look_" + a)]; }))
      }));
    }
    main.push(defaultControl(env, fdef));
    var out = [group(env.T("general"), main)];
    if (type === "select_one" || type === "select_multiple") {
      out.push(choicesPanel(env, fdef));
      // Cascading choices and "other" (docs/forms.md): a filter in the condition language.
      out.push(group(env.T("choice_more"), [
        control(env, fdef, "or_other", env.T("or_other"), "bool"),
        control(env, fdef, "choice_filter", env.T("choice_filter"), "text", { dir: "ltr", hint: env.T("choice_filter_hint") })
      ]));
    }
    out.push(constraintsPanel(env, fdef));
    if (type === "file") { out.push(filePanel(env, fdef)); }
    if (type === "repeat") { out.push(repeatPanel(env, fdef)); }
    var conds = [env.condition(path, "visible_if")];
    if (type !== "note") { conds.push(env.condition(path, "required_if")); }
    out.push(group(env.T("conditions"), conds));
    return out;
  }

  function sectionPanel(env, section, path) {
    return [group(env.T("general"), [control(env, section, "name", env.T("name"), "text", { dir: "ltr", hint: env.T("name_hint") })]
      .concat(texts(env, section, "title", env.T("title")), texts(env, section, "description", env.T("description"), true),
        [control(env, section, "staff_only", env.T("section_staff_only"), "bool")])),
      group(env.T("conditions"), [env.condition(path, "visible_if")])];
  }

  function listsPanel(env, def) {
    var lists = def.choice_lists || {};
    var blocks = Object.keys(lists).map(function (name) {
      return h("div", { "class": "ed-list-block", "data-list": name }, [
        h("div", { "class": "ed-control" }, [
          h("label", { "class": "label", text: env.T("list_name") }),
          h("input", { "class": "input ltr", dir: "ltr", value: name, "data-action": "rename-list", "data-list": name, "aria-label": env.T("list_name") })
        ]),
        choiceRows(env, lists[name], "choice_lists." + name),
        button(env.T("remove_list"), "remove-list", { "data-list": name, "class": "button small danger" })
      ]);
    });
    return group(env.T("choice_lists"), blocks.concat([button(env.T("add_list"), "add-list")]));
  }

  function formPanel(env, def) {
    return [group(env.T("general"), texts(env, def, "title", env.T("form_title"))
      .concat(texts(env, def, "description", env.T("description"), true), [
        control(env, def, "ref_prefix", env.T("ref_prefix"), "text", { dir: "ltr", hint: env.T("ref_prefix_hint") }),
        control(env, def, "public", env.T("public"), "bool")
      ])), listsPanel(env, def)];
  }

  window.RifdEditorControls = {
    h: h, button: button, readValue: readValue, fieldPanel: fieldPanel, sectionPanel: sectionPanel, formPanel: formPanel
  };
})();
