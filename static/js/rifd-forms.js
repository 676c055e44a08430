/* Rifd forms in the browser: show and hide fields as a person types, add and
 * remove repeat rows, draw a signature.
 *
 * Visibility is computed exactly as the server does it (forms/validation.py):
 * each top-level field is shown when its section's and its own visible_if
 * hold; a hidden field counts as empty for the others, recomputed until
 * nothing changes (at most 8 passes). Inside a repeat row, a sub-field's
 * condition sees the row's values over the top-level ones; a row of an inner
 * repeat (a member's illnesses) sees its own row over its parent row's over those.
 * No inline scripts: everything hangs off data- attributes.
 */
(function () {
  "use strict";
  var C = window.RifdConditions;
  var MAX_PASSES = 8;
  var DIGITS = { "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4", "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9",
    "۰": "0", "۱": "1", "۲": "2", "۳": "3", "۴": "4", "۵": "5", "۶": "6", "۷": "7", "۸": "8", "۹": "9" };

  function asciiDigits(text) {
    return text.replace(/[٠-٩۰-۹]/g, function (d) { return DIGITS[d]; });
  }

  function numberOf(text, decimal) {
    var t = asciiDigits(text).replace(/٫/g, ".").replace(/[٬،,]/g, "").trim();
    var re = decimal ? /^[+-]?(\d{1,15}(\.\d{0,6})?|\.\d{1,6})$/ : /^[+-]?\d{1,15}$/;
    return re.test(t) ? Number(t) : null;
  }

  function inputsOf(box) {
    // The field's own inputs, not those of rows nested inside a repeat.
    return Array.prototype.filter.call(box.querySelectorAll("input, select, textarea"), function (el) {
      return el.closest(".field") === box;
    });
  }

  /* A repeat's own rows, not the rows of the repeats inside them. */
  function rowsOf(box) {
    return box.querySelectorAll(":scope > .repeat-rows > .repeat-row");
  }

  /* A row's own field boxes (an inner repeat's box among them), not those of inner rows. */
  function ownBoxes(row) {
    return Array.prototype.filter.call(row.querySelectorAll(".field[data-name]"), function (box) {
      return box.parentElement.closest(".repeat-row") === row;
    });
  }

  /* The names of every field inside a repeat, in its inner repeats too, read from its
   * prototype (a repeat with no rows yet has its columns all the same). */
  function nestedNames(box) {
    var proto = box.querySelector(":scope > template[data-prototype]");
    var names = [];
    if (!proto) { return names; }
    proto.content.querySelectorAll(".field[data-type]").forEach(function (sub) {
      names.push(sub.getAttribute("data-name"));
      if (sub.getAttribute("data-type") === "repeat") { names = names.concat(nestedNames(sub)); }
    });
    return names.filter(function (name, i) { return names.indexOf(name) === i; });
  }

  /* The value conditions see for one field box, typed as on the server. */
  function valueOf(box) {
    var type = box.getAttribute("data-type");
    if (type === "repeat") {
      return Array.prototype.map.call(rowsOf(box), function (row) {
        return rowIsEmpty(row) ? null : "row";
      }).filter(function (v) { return v !== null; });
    }
    if (type === "calculate") { return box.rifdValue === undefined ? null : box.rifdValue; }
    var inputs = inputsOf(box);
    if (type === "acknowledge") {
      return inputs.some(function (el) { return el.checked; }) ? true : null;
    }
    if (type === "select_multiple") {
      return inputs.filter(function (el) { return el.checked; }).map(function (el) { return el.value; });
    }
    if (type === "yes_no" || type === "rating" || type === "nps" ||
        (inputs.length && inputs[0].type === "radio")) {
      var picked = inputs.filter(function (el) { return el.checked; })[0];
      if (!picked) { return null; }
      if (type === "yes_no") { return picked.value === "yes"; }
      if (type === "rating" || type === "nps") { return numberOf(picked.value, false); }
      return picked.value;
    }
    var el = inputs[0];
    if (!el) { return null; }
    if (type === "file" || type === "image") { return el.files && el.files.length ? "file" : null; }
    if (type === "signature") { return el.value ? "signed" : null; }
    var text = (el.value || "").trim();
    if (!text) { return null; }
    if (type === "integer") { return numberOf(text, false); }
    if (type === "decimal") { return numberOf(text, true); }
    if (type === "geopoint") { return placeOf(text); }
    return text;
  }

  /* A geopoint as conditions see it on the server (forms/types/device.py): "lat lon". */
  function placeOf(text) {
    var parts = asciiDigits(text).replace(/٫/g, ".").replace(/,/g, " ").trim().split(/\s+/);
    var ok = parts.length >= 2 && parts.length <= 4 && parts.every(function (p) {
      return /^[+-]?\d{1,4}(\.\d{1,12})?$/.test(p);
    });
    var lat = Number(parts[0]);
    var lon = Number(parts[1]);
    if (!ok || Math.abs(lat) > 90 || Math.abs(lon) > 180 || parts.slice(3).some(function (p) { return Number(p) < 0; })) {
      return null;
    }
    return String(lat) + " " + String(lon);
  }

  /* A row is filled when a person answered one of its fields: a read-only default or a
   * value computed in the row does not count (forms/rows.py). */
  function rowIsEmpty(row) {
    return Array.prototype.every.call(row.querySelectorAll(".field[data-type]"), function (box) {
      if (box.hasAttribute("data-read-only") || box.getAttribute("data-type") === "calculate") { return true; }
      var v = valueOf(box);
      return v === null || (Array.isArray(v) && v.length === 0);
    });
  }

  function shown(conds, values) {
    for (var i = 0; i < conds.length; i++) {
      try {
        if (!C.evaluate(conds[i], values)) { return false; }
      } catch (e) {
        return true; // the server refused such a definition; never hide on an error
      }
    }
    return true;
  }

  function topLevelBoxes(form) {
    return Array.prototype.filter.call(form.querySelectorAll(".field[data-name]"), function (box) {
      return !box.parentElement.closest(".repeat-row") && !box.closest("template");
    });
  }

  function conditionsOf(box) {
    var conds = [];
    var section = box.closest("[data-section]");
    if (section && section.getAttribute("data-visible-if")) { conds.push(section.getAttribute("data-visible-if")); }
    if (box.getAttribute("data-visible-if")) { conds.push(box.getAttribute("data-visible-if")); }
    return conds;
  }

  function setHidden(el, hidden) {
    el.hidden = hidden;
    el.classList.toggle("is-hidden", hidden);
  }

  function markRequired(box, values) {
    var cond = box.getAttribute("data-required-if");
    var required = box.hasAttribute("data-required") || (cond ? shown([cond], values) : false);
    box.classList.toggle("is-required", required);
  }

  /* Cascading choices (forms/choice_filter.py): offer only the choices the field's
   * filter holds for, given the other answers; a pick no longer offered is cleared.
   * Return whether one was. */
  function filterChoices(box, values) {
    var expr = box.getAttribute("data-choice-filter");
    if (!expr || box.hidden) { return false; }
    var data = JSON.parse(box.getAttribute("data-choice-data") || "{}");
    var cleared = false;
    inputsOf(box).forEach(function (el) {
      var options = el.tagName === "SELECT" ? Array.prototype.slice.call(el.options) : [el];
      options.forEach(function (opt) {
        if (!Object.prototype.hasOwnProperty.call(data, opt.value)) { return; } // "choose", "other"
        var ok = true;
        try {
          ok = C.evaluate(expr, Object.assign({}, values, { "@choice": data[opt.value] }));
        } catch (e) {
          ok = true; // the server refused such a definition
        }
        setHidden(opt.tagName === "OPTION" ? opt : (opt.closest("label") || opt), !ok);
        opt.disabled = !ok;
        if (!ok && (opt.selected || opt.checked)) {
          opt.selected = false;
          opt.checked = false;
          cleared = true;
        }
      });
      if (el.tagName === "SELECT" && cleared && el.selectedIndex > 0 && el.options[el.selectedIndex].disabled) {
        el.value = "";
      }
    });
    return cleared;
  }

  /* A row's calculate fields, in order, each seeing the row over the form (forms/rows.py). */
  function calculateRow(row, rowValues) {
    ownBoxes(row).filter(function (sub) { return sub.getAttribute("data-type") === "calculate"; }).forEach(function (sub) {
      var cond = sub.getAttribute("data-visible-if");
      var value = null;
      if (!cond || shown([cond], rowValues)) {
        try {
          value = C.valueOf(sub.querySelector("[data-calculation]").getAttribute("data-calculation"), rowValues);
        } catch (e) {
          value = null; // the server refuses such a definition
        }
      }
      sub.rifdValue = value;
      rowValues[sub.getAttribute("data-name")] = value;
      sub.querySelector("[data-calculation]").textContent = shownText(value);
    });
    return rowValues;
  }

  /* The values conditions see in row i of a repeat, as forms/validation.py's _row_values:
   * the row's answers over `over` (the form's, or the parent row's), position(), the
   * columns of its inner repeats, then its calculations. */
  function rowValuesOf(row, i, over) {
    var values = Object.assign({}, over, { "@row": i + 1 });
    var subs = ownBoxes(row).filter(function (sub) { return sub.getAttribute("data-type"); });
    subs.forEach(function (sub) { values[sub.getAttribute("data-name")] = valueOf(sub); });
    subs.forEach(function (sub) {
      if (sub.getAttribute("data-type") === "repeat") { Object.assign(values, columnsOf(sub, values)); }
    });
    return calculateRow(row, values);
  }

  function updateRows(box, values) {
    var cleared = false;
    rowsOf(box).forEach(function (row, i) {
      var rowValues = rowValuesOf(row, i, values);
      ownBoxes(row).forEach(function (sub) {
        var cond = sub.getAttribute("data-visible-if");
        var visible = cond ? shown([cond], rowValues) : true;
        setHidden(sub, !visible);
        markRequired(sub, rowValues);
        checkRule(sub, rowValues, visible);
        if (filterChoices(sub, rowValues)) { cleared = true; }
        if (sub.getAttribute("data-type") === "repeat") {
          followCount(sub, rowValues);
          if (updateRows(sub, rowValues)) { cleared = true; }
        }
      });
    });
    return cleared;
  }

  /* Each sub-field's answers down a repeat's filled rows, as forms/validation.py's
   * repeat_columns gives them: shown answers only, a multiple choice item by item, an
   * inner repeat's sub-fields down every inner row of every row. */
  function columnsOf(box, top) {
    var columns = {};
    nestedNames(box).forEach(function (name) { columns[name] = []; });
    rowsOf(box).forEach(function (row, i) {
      if (rowIsEmpty(row)) { return; }
      var rowValues = rowValuesOf(row, i, top);
      ownBoxes(row).forEach(function (sub) {
        var type = sub.getAttribute("data-type");
        var cond = sub.getAttribute("data-visible-if");
        if (!type || (cond && !shown([cond], rowValues))) { return; }
        var names = [sub.getAttribute("data-name")];
        if (type === "repeat") { names = names.concat(nestedNames(sub)); }
        names.forEach(function (name) {
          var value = rowValues[name];
          if (value === null || value === undefined) { return; }
          columns[name] = (columns[name] || []).concat(Array.isArray(value) ? value : [value]);
        });
      });
    });
    return columns;
  }

  function seen(full, columns, visibleNames) {
    var values = {};
    Object.keys(columns).forEach(function (repeat) {
      Object.keys(columns[repeat]).forEach(function (name) {
        values[name] = visibleNames[repeat] ? columns[repeat][name] : [];
      });
    });
    Object.keys(full).forEach(function (name) { values[name] = visibleNames[name] ? full[name] : null; });
    return values;
  }

  /* A calculate with a trigger keeps its value until the trigger's answer changes, then
   * is computed again over the answers and its own last value (the server computes it
   * at the save, when the trigger is answered); an unanswered trigger leaves it empty. */
  function triggered(box, output, values, answer) {
    var seen = JSON.stringify(answer === undefined ? null : answer);
    if (seen === box.rifdTriggerSeen) { return box.rifdValue === undefined ? null : box.rifdValue; }
    box.rifdTriggerSeen = seen;
    if (answer === null || answer === undefined || answer === "" || (Array.isArray(answer) && !answer.length)) {
      return null;
    }
    try {
      var own = Object.assign({}, values);
      own[box.getAttribute("data-name")] = box.rifdValue === undefined ? null : box.rifdValue;
      return C.valueOf(output.getAttribute("data-calculation"), own);
    } catch (e) {
      return null;
    }
  }

  /* A default computed from other answers (data-default-calculation) follows them until
   * the person types in the field; a read-only one always does, as the server stores it
   * (forms/computed_defaults.py). */
  function computeDefaults(form, values) {
    form.querySelectorAll("[data-default-calculation]").forEach(function (input) {
      if (input.rifdTouched) { return; }
      var value = null;
      try {
        value = C.valueOf(input.getAttribute("data-default-calculation"), values);
      } catch (e) {
        value = null; // the server refuses such a definition
      }
      var text = value === null || value === undefined || Array.isArray(value) ? "" : String(value);
      if (input.value !== text) { input.value = text; }
    });
  }

  /* Compute the calculate fields in page order, as forms/validation.py does at save. */
  function calculate(calcs, values, visibleNames) {
    calcs.forEach(function (box) {
      var name = box.getAttribute("data-name");
      var output = box.querySelector("[data-calculation]");
      var trigger = output.getAttribute("data-trigger");
      var value = null;
      if (trigger) {
        value = triggered(box, output, values, values[trigger]);
        if (!visibleNames[name]) { value = null; }
      } else if (visibleNames[name]) {
        try {
          value = C.valueOf(output.getAttribute("data-calculation"), values);
        } catch (e) {
          value = null; // the server refuses such a definition
        }
      }
      box.rifdValue = value;
      values[name] = value;
    });
    return values;
  }

  function shownText(value) {
    var en = document.documentElement.lang === "en";
    if (value === null || value === undefined) { return ""; }
    if (value === true) { return en ? "Yes" : "نعم"; }
    if (value === false) { return en ? "No" : "لا"; }
    if (Array.isArray(value)) { return value.map(shownText).join(" "); }
    return String(value);
  }

  /* ${name} in a label or hint: the answer's text, as the submission page shows it
   * (a choice's label, not its value). textContent, so nothing typed becomes markup. */
  function answerText(box, value) {
    var type = box ? box.getAttribute("data-type") : "";
    if (value !== null && (type === "select_one" || type === "select_multiple" || type === "yes_no")) {
      var labels = inputsOf(box).map(function (el) {
        if (el.tagName === "SELECT") { return el.selectedIndex > 0 ? el.options[el.selectedIndex].text : ""; }
        var label = el.checked && el.closest("label");
        return label ? label.textContent.trim() : "";
      }).filter(function (text) { return text; });
      return labels.join(document.documentElement.lang === "en" ? ", " : "، ");
    }
    return shownText(value);
  }

  function fillRefs(form, values) {
    form.querySelectorAll("[data-ref]").forEach(function (span) {
      var name = span.getAttribute("data-ref");
      // The answer of its own row, else of a row it is in (a member's, for an illness).
      var own = null;
      for (var row = span.closest(".repeat-row"); row && !own; row = row.parentElement.closest(".repeat-row")) {
        own = ownBoxes(row).filter(function (b) { return b.getAttribute("data-name") === name; })[0] || null;
      }
      var box = own || topLevelBoxes(form).filter(function (b) { return b.getAttribute("data-name") === name; })[0];
      var value = own ? valueOf(own) : (name in values ? values[name] : null);
      span.textContent = answerText(box, value);
    });
  }

  /* A rule the answer must meet (constraints.rule), checked once the person has left the
   * field and then as he changes it, in the words the server refuses it with; sending
   * still goes to the server, which checks it again. */
  function checkRule(box, values, visible) {
    var rule = box.getAttribute("data-rule");
    if (!rule) { return; }
    var value = values[box.getAttribute("data-name")];
    var empty = value === null || value === undefined || value === "" ||
      (Array.isArray(value) && !value.length);
    var broken = false;
    if (visible && !empty && box.hasAttribute("data-touched")) {
      try { broken = !C.evaluate(rule, values); } catch (e) { broken = false; }
    }
    var note = box.querySelector(".live-rule");
    if (broken && !note) {
      note = document.createElement("p");
      note.className = "error live-rule";
      note.setAttribute("role", "status");
      box.appendChild(note);
    }
    if (note) {
      note.textContent = broken ? box.getAttribute("data-rule-message") : "";
      note.hidden = !broken;
    }
  }

  function update(form, depth) {
    var boxes = topLevelBoxes(form);
    var full = {};
    var columns = {};
    var all = {};
    boxes.forEach(function (box) {
      if (box.getAttribute("data-type")) { full[box.getAttribute("data-name")] = valueOf(box); }
    });
    boxes.forEach(function (box) {
      var name = box.getAttribute("data-name");
      all[name] = true;
      if (box.getAttribute("data-type") === "repeat") { columns[name] = columnsOf(box, full); }
    });
    var calcs = boxes.filter(function (box) { return box.getAttribute("data-type") === "calculate"; });
    var values = calculate(calcs, seen(full, columns, all), all);
    var visible = [];
    for (var pass = 0; pass < MAX_PASSES; pass++) {
      var now = boxes.map(function (box) { return shown(conditionsOf(box), values); });
      var same = now.join() === visible.join();
      visible = now;
      var visibleNames = {};
      boxes.forEach(function (box, i) { visibleNames[box.getAttribute("data-name")] = visible[i]; });
      values = calculate(calcs, seen(full, columns, visibleNames), visibleNames);
      if (same) { break; }
    }
    calcs.forEach(function (box) {
      box.querySelector("[data-calculation]").textContent = shownText(box.rifdValue);
    });
    computeDefaults(form, values);
    fillRefs(form, values);
    var cleared = false;
    boxes.forEach(function (box, i) {
      setHidden(box, !visible[i]);
      markRequired(box, values);
      checkRule(box, values, visible[i]);
      if (box.getAttribute("data-type") === "repeat") {
        followCount(box, values);
        if (updateRows(box, values)) { cleared = true; }
      }
      if (filterChoices(box, values)) { cleared = true; }
    });
    form.querySelectorAll("[data-section]").forEach(function (section) {
      var cond = section.getAttribute("data-visible-if");
      setHidden(section, cond ? !shown([cond], values) : false);
    });
    // A pick cleared changes what the fields after it see (region -> city -> district).
    if (cleared && (depth || 0) < MAX_PASSES) { update(form, (depth || 0) + 1); }
  }

  /* Repeat rows: copy the prototype with the next free index. */
  function renumber(box) {
    var rows = rowsOf(box);
    rows.forEach(function (row, i) {
      var n = row.querySelector(":scope > .row-head [data-row-number]");
      if (n) { n.textContent = String(i + 1); }
    });
    var add = box.querySelector(":scope > [data-add-row]");
    if (add) { add.disabled = rows.length >= Number(box.getAttribute("data-max") || 50); }
  }

  /* A repeat counted by an answer (data-count), as forms/repeat_count.py counts it:
   * rows are added up to the count and empty rows past it taken away; a filled row
   * past it stays for the person to see (the server refuses it, naming the count). */
  function followCount(box, values) {
    var expr = box.getAttribute("data-count");
    if (!expr) { return; }
    var wanted;
    try {
      wanted = C.valueOf("number(" + expr + ")", values);
    } catch (e) {
      wanted = null; // the server refuses such a definition
    }
    wanted = typeof wanted === "number" ? Math.max(0, Math.min(50, Math.trunc(wanted))) : 0;
    var rows = rowsOf(box);
    for (var i = rows.length; i < wanted; i++) { addRow(box, true); }
    rows = rowsOf(box);
    for (var j = rows.length - 1; j >= wanted && rowIsEmpty(rows[j]); j--) { rows[j].remove(); }
    rowsOf(box).forEach(function (row) {
      row.querySelectorAll(":scope > .row-head [data-remove-row]").forEach(function (button) { button.remove(); });
    });
    renumber(box);
  }

  /* The prototype's placeholder is this repeat's own (__index__ at the top, __index1__
   * one level in, ...): an inner repeat's prototype inside it keeps its own for later. */
  function addRow(box, quiet) {
    var proto = box.querySelector(":scope > template[data-prototype]");
    var rows = box.querySelector(":scope > .repeat-rows");
    var next = 0;
    rowsOf(box).forEach(function (row) {
      next = Math.max(next, Number(row.getAttribute("data-index")) + 1);
    });
    var placeholder = proto.getAttribute("data-placeholder") || "__index__";
    var html = proto.innerHTML.split(placeholder).join(String(next));
    rows.insertAdjacentHTML("beforeend", html);
    renumber(box);
    var added = rows.lastElementChild;
    if (added) {
      added.querySelectorAll(".signature-pad").forEach(setupSignature);
      added.querySelectorAll(".repeat").forEach(renumber);
    }
    var first = added && added.querySelector("input, select, textarea");
    if (first && !quiet) { first.focus(); }
  }

  function removeRow(button, form) {
    var row = button.closest(".repeat-row");
    var box = row.closest(".repeat");
    var message = form.getAttribute("data-confirm-remove") || "حذف هذا الصف؟";
    if (!rowIsEmpty(row) && !window.confirm(message)) { return; }
    row.remove();
    renumber(box);
    update(form);
  }

  /* Signature: drawn with a finger or a mouse, kept as a PNG data URL. */
  function setupSignature(pad) {
    var canvas = pad.querySelector("canvas");
    var input = document.getElementById(pad.getAttribute("data-input"));
    var ctx = canvas.getContext("2d");
    var drawing = false;
    var dirty = false;
    ctx.lineWidth = 2.5;
    ctx.lineCap = "round";
    ctx.strokeStyle = "#102a43";
    function point(ev) {
      var r = canvas.getBoundingClientRect();
      return { x: (ev.clientX - r.left) * canvas.width / r.width, y: (ev.clientY - r.top) * canvas.height / r.height };
    }
    if (input && input.value.indexOf("data:image/png;base64,") === 0) {
      var img = new Image();
      img.onload = function () { ctx.drawImage(img, 0, 0); };
      img.src = input.value;
    }
    canvas.addEventListener("pointerdown", function (ev) {
      drawing = true;
      canvas.setPointerCapture(ev.pointerId);
      var p = point(ev);
      ctx.beginPath();
      ctx.moveTo(p.x, p.y);
      ev.preventDefault();
    });
    canvas.addEventListener("pointermove", function (ev) {
      if (!drawing) { return; }
      var p = point(ev);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
      dirty = true;
    });
    function finish() {
      if (!drawing) { return; }
      drawing = false;
      if (dirty && input) {
        input.value = canvas.toDataURL("image/png");
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", finish);
    pad.querySelector("[data-clear]").addEventListener("click", function () {
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      dirty = false;
      if (input) {
        input.value = "";
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  function setup(form) {
    function changed(ev) {
      // Only a person fires these: a computed default typed over or cleared is theirs now.
      var own = ev.target.closest && ev.target.closest("[data-default-calculation]");
      if (own && !own.readOnly) { own.rifdTouched = true; }
      var box = ev.type === "change" && ev.target.closest && ev.target.closest(".field[data-rule]");
      if (box) { box.setAttribute("data-touched", ""); }
      update(form);
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("click", function (ev) {
      var add = ev.target.closest("[data-add-row]");
      if (add) { addRow(add.closest(".repeat")); update(form); return; }
      var remove = ev.target.closest("[data-remove-row]");
      if (remove) { removeRow(remove, form); }
    });
    form.querySelectorAll(".signature-pad").forEach(setupSignature);
    form.querySelectorAll(".repeat").forEach(renumber);
    update(form);
  }

  /* After a failed save: the summary of the problems takes the focus (a screen reader
   * reads it), and each of its links moves the focus to its field's first input. */
  function setupSummary(summary) {
    summary.addEventListener("click", function (ev) {
      var link = ev.target.closest("a[data-focus]");
      var target = link && document.getElementById(link.getAttribute("data-focus"));
      if (!target) { return; }
      ev.preventDefault();
      var around = target.closest(".field") || target;
      var input = target.matches("input, select, textarea") ? target :
        around.querySelector("input:not([type=hidden]), select, textarea, button");
      target.scrollIntoView({ block: "center" });
      (input || target).focus();
    });
    summary.scrollIntoView({ block: "start" });
    summary.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.rifd-form").forEach(setup);
    var summary = document.getElementById("error-summary");
    if (summary) { setupSummary(summary); }
  });
})();
