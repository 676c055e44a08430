/* The form editor's model: a definition (plain JSON) and the changes a person makes to it.
 *
 * Items are named by the server's JSON paths (sections[1].fields[0].fields[2]), so a
 * problem the server reports lands on the card with that path. Properties are paths
 * inside an item (label.ar, constraints.min, choices[2].value). Nothing here touches
 * the page: editor.js draws, this file only changes the JSON.
 */
(function () {
  "use strict";
  var STEP = /([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g;
  var NUMERIC = ["integer", "decimal"];
  var TEXTUAL = ["text", "textarea", "email"];
  var ONLY_FOR = {
    choices: ["select_one", "select_multiple"], accept: ["file"], max_size_mb: ["file"],
    multiple: ["file"], max_files: ["file"], max_total_mb: ["file"], camera: ["file"],
    min: ["repeat"], max: ["repeat"], add_label: ["repeat"], count: ["repeat"], fields: ["repeat"],
    calculation: ["calculate"], trigger: ["calculate"],
    choice_filter: ["select_one", "select_multiple"], or_other: ["select_one", "select_multiple"]
  };
  var APPEARANCES = {
    select_one: ["radio", "dropdown", "horizontal", "likert"], select_multiple: ["checkboxes", "horizontal"],
    rating: ["stars"], text: ["multiline", "numbers"]
  };
  var NO_DEFAULT = ["file", "signature", "repeat", "note", "calculate", "acknowledge"];
  var NO_RULE = ["file", "signature", "repeat", "note", "calculate", "acknowledge"];
  // Repeats one inside another, the outermost counted (forms.checks.MAX_REPEAT_DEPTH).
  var MAX_REPEAT_DEPTH = 3;

  function clone(value) { return JSON.parse(JSON.stringify(value)); }

  /* ["label", "ar"] or ["choices", 2, "label", "ar"] from "label.ar" / "choices[2].label.ar". */
  function parts(path) {
    var out = [];
    String(path || "").replace(STEP, function (all, key, index) {
      out.push(key !== undefined ? key : Number(index));
      return all;
    });
    return out;
  }

  function getProp(obj, path) {
    var node = obj;
    parts(path).forEach(function (key) { node = (node !== null && typeof node === "object") ? node[key] : undefined; });
    return node;
  }

  function isEmpty(value) {
    return value === undefined || value === null || value === "" ||
      (Array.isArray(value) && value.length === 0) ||
      (typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0);
  }

  /* Set a property; an empty value removes it, and parents left empty go with it. */
  function setProp(obj, path, value) {
    var keys = parts(path);
    var trail = [obj];
    for (var i = 0; i < keys.length - 1; i++) {
      var node = trail[i];
      if (node[keys[i]] === null || typeof node[keys[i]] !== "object") {
        if (isEmpty(value)) { return; }
        node[keys[i]] = typeof keys[i + 1] === "number" ? [] : {};
      }
      trail.push(node[keys[i]]);
    }
    var last = keys[keys.length - 1];
    if (!isEmpty(value)) { trail[trail.length - 1][last] = value; return; }
    delete trail[trail.length - 1][last];
    for (var j = trail.length - 1; j > 0; j--) {
      if (!isEmpty(trail[j]) || Array.isArray(trail[j])) { break; }
      delete trail[j - 1][keys[j - 1]];
    }
  }

  function steps(path) {
    var out = [];
    String(path).replace(/(sections|fields)\[(\d+)\]/g, function (all, kind, index) {
      out.push([kind, Number(index)]);
      return all;
    });
    return out;
  }

  function itemAt(def, path) {
    if (path === "form") { return def; }
    var node = def;
    steps(path).forEach(function (step) { node = node && node[step[0]] ? node[step[0]][step[1]] : undefined; });
    return node;
  }

  /* The list an item sits in and its index there. */
  function place(def, path) {
    var all = steps(path);
    var last = all.pop();
    var parent = all.length ? itemAt(def, toPath(all)) : def;
    return { list: parent[last[0]], index: last[1], parentPath: all.length ? toPath(all) : "" };
  }

  function toPath(all) {
    return all.map(function (s) { return s[0] + "[" + s[1] + "]"; }).join(".");
  }

  function child(parentPath, index) {
    return parentPath ? parentPath + ".fields[" + index + "]" : "sections[" + index + "]";
  }

  /* The list a container path holds: "" the sections, a section or repeat its fields. */
  function listOf(def, containerPath) {
    if (!containerPath) { return def.sections; }
    var node = itemAt(def, containerPath);
    if (!node.fields) { node.fields = []; }
    return node.fields;
  }

  /* Visit every field with its path and the repeat holding it (null at a section's top),
   * down through repeats inside repeats. */
  function eachField(def, visit) {
    function walk(items, path, parent) {
      (items || []).forEach(function (fdef, i) {
        var at = path + ".fields[" + i + "]";
        visit(fdef, at, parent);
        if (fdef.type === "repeat") { walk(fdef.fields, at, fdef); }
      });
    }
    (def.sections || []).forEach(function (section, si) { walk(section.fields, "sections[" + si + "]", null); });
  }

  /* Whether the list at a container path (a section, a repeat) may take a repeat: a
   * section's is the first level, a repeat's the next, up to MAX_REPEAT_DEPTH. */
  function takesRepeat(containerPath) {
    return steps(containerPath).length <= MAX_REPEAT_DEPTH;
  }

  function names(def) {
    var found = {};
    eachField(def, function (fdef) { found[fdef.name] = true; });
    (def.sections || []).forEach(function (s) { found[s.name] = true; });
    return found;
  }

  function uniqueName(def, base) {
    var taken = names(def);
    var n = 1;
    while (taken[base + "_" + n]) { n++; }
    return base + "_" + n;
  }

  function newChoice(n, T) { return { value: "option_" + n, label: { ar: T("choice") + " " + n } }; }

  /* Drop what a type cannot have and give it what it needs. */
  function fitType(def, fdef, type, T) {
    fdef.type = type;
    Object.keys(ONLY_FOR).forEach(function (key) {
      if (ONLY_FOR[key].indexOf(type) < 0) { delete fdef[key]; }
    });
    if (fdef.appearance && (APPEARANCES[type] || []).indexOf(fdef.appearance) < 0) { delete fdef.appearance; }
    if (NO_DEFAULT.indexOf(type) >= 0) { delete fdef["default"]; delete fdef.default_calculation; }
    if (type === "note") { delete fdef.required; delete fdef.required_if; delete fdef.required_message; }
    if (type === "calculate" && !fdef.calculation) { fdef.calculation = "0"; }
    var cons = fdef.constraints || {};
    if (NO_RULE.indexOf(type) >= 0) { delete cons.rule; }
    ["min", "max"].forEach(function (k) { if (NUMERIC.indexOf(type) < 0) { delete cons[k]; } });
    ["min_length", "max_length", "pattern"].forEach(function (k) { if (TEXTUAL.indexOf(type) < 0) { delete cons[k]; } });
    Object.keys(cons.messages || {}).forEach(function (k) { if (!(k in cons)) { delete cons.messages[k]; } });
    if (cons.messages && isEmpty(cons.messages)) { delete cons.messages; }
    if (isEmpty(cons)) { delete fdef.constraints; }
    if (ONLY_FOR.choices.indexOf(type) >= 0 && !fdef.choices) {
      fdef.choices = [newChoice(1, T), newChoice(2, T)];
    }
    if (type === "repeat" && !fdef.fields) {
      fdef.fields = [{ name: uniqueName(def, "field"), type: "text", label: { ar: T("question") } }];
    }
    return fdef;
  }

  /* Items made in this editing session: their names follow their Arabic label until the
   * person writes a name herself. A name already published is never changed (answers
   * and conditions are kept under it), so only these are proposed names. */
  var fresh = new WeakSet();
  var LATIN = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ء": "", "ب": "b", "ت": "t", "ث": "th",
    "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s", "ش": "sh",
    "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "a", "غ": "gh", "ف": "f", "ق": "q", "ك": "k",
    "ل": "l", "م": "m", "ن": "n", "ه": "h", "ة": "a", "و": "w", "ؤ": "w", "ي": "y", "ى": "a", "ئ": "y"
  };

  function latin(label) {
    var out = "";
    for (var i = 0; i < label.length; i++) {
      var c = label[i];
      out += c in LATIN ? LATIN[c] : (/[A-Za-z0-9]/.test(c) ? c.toLowerCase() : (/\s|[-_]/.test(c) ? "_" : ""));
    }
    out = out.replace(/_+/g, "_").replace(/^_+|_+$/g, "");
    return /^[a-z]/.test(out) ? out.slice(0, 28).replace(/_+$/, "") : "";
  }

  /* A name for an item from its label: transliterated, or numbered when that gives none. */
  function proposeName(def, item, label, base) {
    if (!fresh.has(item)) { return null; }
    var taken = names(def);
    delete taken[item.name];
    var stem = latin(label || "");
    if (!stem) { return item.name; }
    var name = stem, n = 2;
    while (taken[name]) { name = stem + "_" + n++; }
    return name;
  }

  function nameWritten(item) { fresh.delete(item); }

  function newField(def, type, T) {
    var fdef = fitType(def, { name: uniqueName(def, "field"), type: "text", label: { ar: T("question") } }, type, T);
    fresh.add(fdef);
    return fdef;
  }

  function addField(def, containerPath, type, T) {
    var list = listOf(def, containerPath);
    list.push(newField(def, type, T));
    return child(containerPath, list.length - 1);
  }

  function addSection(def, T) {
    var name = uniqueName(def, "section");
    var section = { name: name, title: { ar: T("section") }, fields: [newField(def, "text", T)] };
    fresh.add(section);
    def.sections.push(section);
    return "sections[" + (def.sections.length - 1) + "]";
  }

  function remove(def, path) {
    var at = place(def, path);
    at.list.splice(at.index, 1);
  }

  function freshName(taken, name) {
    var base = String(name || "").replace(/_\d+$/, "") || "field";
    var n = 1;
    while (taken[base + "_" + n]) { n++; }
    taken[base + "_" + n] = true;
    return base + "_" + n;
  }

  /* A copy placed right after the original, every name in it made new. */
  function duplicate(def, path) {
    var at = place(def, path);
    var copy = clone(at.list[at.index]);
    var taken = names(def);
    (function rename(item) {
      item.name = freshName(taken, item.name);
      (item.fields || []).forEach(rename);
    })(copy);
    at.list.splice(at.index + 1, 0, copy);
    return child(at.parentPath, at.index + 1);
  }

  /* Move an item to `index` of the list at `containerPath`; return its new path. */
  function moveTo(def, path, containerPath, index) {
    var from = place(def, path);
    var item = from.list[from.index];
    var target = listOf(def, containerPath);
    if (target === from.list && from.index < index) { index -= 1; }
    from.list.splice(from.index, 1);
    index = Math.max(0, Math.min(index, target.length));
    target.splice(index, 0, item);
    return child(containerPath, index);
  }

  /* One step up or down; a top-level field at a section's edge goes on into the next one. */
  function move(def, path, delta) {
    var at = place(def, path);
    var all = steps(path);
    var target = at.index + delta;
    if (target >= 0 && target < at.list.length) { return moveTo(def, path, at.parentPath, delta > 0 ? target + 1 : target); }
    if (all.length !== 2) { return path; }
    var section = all[0][1] + delta;
    if (section < 0 || section >= def.sections.length) { return path; }
    var into = "sections[" + section + "]";
    return moveTo(def, path, into, delta > 0 ? 0 : listOf(def, into).length);
  }

  function choicesOf(def, fdef) {
    if (typeof fdef.choices === "string") { return (def.choice_lists || {})[fdef.choices] || []; }
    return Array.isArray(fdef.choices) ? fdef.choices : [];
  }

  /* Fields a condition at `path` may name: every top-level one, and the fields of each
   * repeat's row it is in (its own row, and the rows around it). */
  function conditionFields(def, path) {
    var own = itemAt(def, path);
    var out = [];
    eachField(def, function (fdef, fpath, parent) {
      if (fdef === own || fdef.type === "note") { return; }
      var holder = fpath.replace(/\.fields\[\d+\]$/, "");
      if (parent && path.indexOf(holder + ".") !== 0) { return; }
      out.push(fdef);
    });
    return out;
  }

  window.RifdEditorModel = {
    clone: clone, getProp: getProp, setProp: setProp, itemAt: itemAt, place: place, steps: steps,
    addField: addField, addSection: addSection, remove: remove, duplicate: duplicate,
    move: move, moveTo: moveTo, fitType: fitType, choicesOf: choicesOf, uniqueName: uniqueName,
    conditionFields: conditionFields, newChoice: newChoice, eachField: eachField, takesRepeat: takesRepeat,
    proposeName: proposeName, nameWritten: nameWritten,
    APPEARANCES: APPEARANCES, NUMERIC: NUMERIC, TEXTUAL: TEXTUAL, NO_DEFAULT: NO_DEFAULT, NO_RULE: NO_RULE
  };
})();
