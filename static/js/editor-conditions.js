/* The condition helper: pick a field, an operator and a value, and it writes the condition.
 *
 * The condition can also be typed in its box. Either way the server checks it where it
 * is written (forms/conditions: syntax, the fields it names) and the problem is named
 * under the box before anything is saved.
 */
(function () {
  "use strict";
  var M = window.RifdEditorModel;
  var C = window.RifdEditorControls;
  var h = C.h;

  function kindOf(type) {
    if (type === "select_one") { return "choice"; }
    if (type === "select_multiple") { return "multi"; }
    if (type === "yes_no") { return "yesno"; }
    if (type === "repeat") { return "rows"; }
    if (["integer", "decimal", "rating", "nps"].indexOf(type) >= 0) { return "number"; }
    return "text";
  }

  function operators(kind, T) {
    var compare = [["==", T("op_eq")], ["!=", T("op_ne")]];
    var order = [[">", T("op_gt")], [">=", T("op_ge")], ["<", T("op_lt")], ["<=", T("op_le")]];
    var presence = [["filled", T("op_filled")], ["empty", T("op_empty")]];
    if (kind === "choice") { return [["==", T("op_is")], ["!=", T("op_is_not")]].concat(presence); }
    if (kind === "multi") { return [["has", T("op_has")], ["has_not", T("op_has_not")]].concat(presence); }
    if (kind === "yesno") { return [["yes", T("op_yes")], ["no", T("op_no")]].concat(presence); }
    if (kind === "rows") { return [["count>", T("op_count_gt")], ["count==", T("op_count_eq")], ["count<", T("op_count_lt")]]; }
    if (kind === "number") { return compare.concat(order, presence); }
    return compare.concat(presence);
  }

  function quote(text) { return "'" + String(text).replace(/\\/g, "\\\\").replace(/'/g, "\\'") + "'"; }

  function number(text) {
    var t = String(text).trim();
    return /^-?[0-9٠-٩۰-۹]+([.٫][0-9٠-٩۰-۹]+)?$/.test(t) ? t.replace("٫", ".") : null;
  }

  /* The expression for one pick, or null when the value is missing or not a number. */
  function build(fdef, op, value) {
    var name = fdef.name;
    var kind = kindOf(fdef.type);
    if (op === "filled" || op === "empty") { return op + "(" + name + ")"; }
    if (op === "yes" || op === "no") { return name + " == " + (op === "yes" ? "true" : "false"); }
    if (op === "has" || op === "has_not") {
      return value ? (op === "has_not" ? "not " : "") + "selected(" + name + ", " + quote(value) + ")" : null;
    }
    if (op.indexOf("count") === 0) {
      var n = number(value);
      return n === null ? null : "count(" + name + ") " + op.slice(5) + " " + n;
    }
    if (kind === "number") {
      var num = number(value);
      return num === null ? null : name + " " + op + " " + num;
    }
    return value === "" ? null : name + " " + op + " " + quote(value);
  }

  function valueControl(env, fdef, op) {
    var attrs = { "class": "input", "data-role": "cond-value", "aria-label": env.T("cond_value") };
    var kind = kindOf(fdef.type);
    if (["filled", "empty", "yes", "no"].indexOf(op) >= 0) { return h("span", { "data-role": "cond-value" }); }
    if (kind === "choice" || kind === "multi") {
      return h("select", attrs, M.choicesOf(env.def, fdef).map(function (c) {
        return h("option", { value: c.value, text: (c.label || {})[env.lang] || (c.label || {}).ar || c.value });
      }));
    }
    return h("input", Object.assign(attrs, { type: "text", inputmode: kind === "text" ? null : "decimal" }));
  }

  function fill(select, options) {
    select.textContent = "";
    options.forEach(function (o) { select.appendChild(h("option", { value: o[0], text: o[1] })); });
  }

  function widget(env, path, key) {
    var T = env.T;
    var item = M.itemAt(env.def, path);
    var fields = M.conditionFields(env.def, path);
    var box = h("input", { "class": "input ltr code", dir: "ltr", "data-prop": key, "data-kind": "text",
      id: "ed-" + (++env.seq), value: (item || {})[key] || "", autocomplete: "off", spellcheck: "false" });
    var pick = h("select", { "class": "input", "data-role": "cond-field", "aria-label": T("cond_field") }, [h("option", { value: "", text: T("cond_pick") })]
      .concat(fields.map(function (f) { return h("option", { value: f.name, text: ((f.label || {})[env.lang] || (f.label || {}).ar || f.name) + " (" + f.name + ")" }); })));
    var op = h("select", { "class": "input", "data-role": "cond-op", "aria-label": T("cond_op") });
    var value = h("span", { "data-role": "cond-value" });
    var join = h("select", { "class": "input", "data-role": "cond-join", "aria-label": T("cond_join") }, [
      h("option", { value: "and", text: T("cond_and") }), h("option", { value: "or", text: T("cond_or") })]);
    var add = C.button(T("cond_add"), "cond-add");
    var said = h("div", { "class": "ed-cond-problems", "aria-live": "polite" });
    var helper = h("div", { "class": "ed-cond-helper" }, [pick, op, value, join, add]);
    function chosen() { return fields.filter(function (f) { return f.name === pick.value; })[0]; }
    function refresh() {
      var fdef = chosen();
      fill(op, fdef ? operators(kindOf(fdef.type), T) : []);
      var next = fdef ? valueControl(env, fdef, op.value) : h("span", { "data-role": "cond-value" });
      helper.replaceChild(next, value);
      value = next;
      join.hidden = !box.value.trim();
    }
    pick.addEventListener("change", refresh);
    op.addEventListener("change", function () {
      var next = valueControl(env, chosen(), op.value);
      helper.replaceChild(next, value);
      value = next;
    });
    add.addEventListener("click", function () {
      var fdef = chosen();
      var expr = fdef ? build(fdef, op.value, value.value === undefined ? "" : value.value) : null;
      if (!expr) { said.textContent = T(fdef ? "cond_need_value" : "cond_need_field"); said.className = "ed-cond-problems error"; return; }
      box.value = box.value.trim() ? box.value.trim() + " " + join.value + " " + expr : expr;
      box.dispatchEvent(new Event("input", { bubbles: true }));
      join.hidden = false;
    });
    var timer = null;
    box.addEventListener("input", function () {
      join.hidden = !box.value.trim();
      clearTimeout(timer);
      timer = setTimeout(function () { env.checkCondition(path, key, box.value, said); }, 350);
    });
    refresh();
    if (box.value.trim()) { env.checkCondition(path, key, box.value, said); }
    var title = key === "visible_if" ? (M.steps(path).length === 1 ? T("section_visible_if") : T("visible_if")) : T("required_if");
    return h("div", { "class": "ed-control ed-condition", "data-control": key, "data-key": key }, [
      h("label", { "class": "label", "for": box.id, text: title }), helper, box,
      h("p", { "class": "hint", text: T("cond_hint") }), said
    ]);
  }

  window.RifdEditorConditions = { widget: widget, build: build, kindOf: kindOf };
})();
