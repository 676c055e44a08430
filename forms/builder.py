"""Build a fresh WTForms class per request from a definition, and read it back.

WTForms renders the inputs, keeps what a person typed and carries the CSRF
token; the checking itself is forms.validation, shared with the CLI and
benchmarks. Field classes are composed dynamically (WTForms' "Dynamic Form
Composition"): one new class per request, never a shared mutable one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wtforms import (
    FieldList,
    FileField,
    Form,
    FormField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice

from forms import choice_filter
from forms.computed_defaults import default_of, page_attrs
from forms.definition import FormDefinition, localized
from forms.messages import message
from forms.types import get_field_type
from forms.types.files import accept_attr, opens_camera

_ACKNOWLEDGE_LABELS = {
    "ar": [SelectChoice("OK", "أُقرّ بذلك")],
    "en": [SelectChoice("OK", "I acknowledge")],
}
_YES_NO_LABELS = {
    "ar": [SelectChoice("yes", "نعم"), SelectChoice("no", "لا")],
    "en": [SelectChoice("yes", "Yes"), SelectChoice("no", "No")],
}


def _choice_pairs(fdef: dict, form: FormDefinition, lang: str) -> list[SelectChoice]:
    return [SelectChoice(c["value"], localized(c["label"], lang)) for c in form.choices(fdef)]


def _default(fdef: dict):
    value = default_of(fdef)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


# Appearances that draw a one-choice list as radio buttons, and a text as a text area.
_RADIO_LOOKS = {"radio", "horizontal", "likert"}


def widget_of(fdef: dict) -> str:
    """Return how a field is drawn: its type's widget, changed by its appearance."""
    widget, look = get_field_type(fdef["type"]).widget, fdef.get("appearance")
    if widget == "select" and look in _RADIO_LOOKS:
        return "radio"
    if widget == "text" and look == "multiline":
        return "textarea"
    return widget


def _unbound(fdef: dict, form: FormDefinition, lang: str, defaults: bool = True):
    """Return the unbound WTForms field for one definition field.

    Defaults only fill a new, empty page: on a POST a default would stand in
    for a choice the person cleared (WTForms keeps it when a radio or
    checkbox list sends nothing).
    """
    ftype = get_field_type(fdef["type"])
    label = localized(fdef.get("label"), lang)
    # A read-only field always shows its default: nothing a person sends replaces it.
    default = _default(fdef) if defaults or fdef.get("read_only") else None
    opts = {"label": label, "default": default, "render_kw": {**ftype.attrs, **page_attrs(fdef)}}
    widget = widget_of(fdef)
    if fdef.get("read_only"):
        # Shown, not editable: the server keeps the default whatever is posted.
        opts["render_kw"]["readonly" if widget in ("text", "textarea", "date") else "disabled"] = (
            True
        )
    if fdef.get("appearance") == "numbers":
        opts["render_kw"].update(inputmode="numeric", dir="ltr")
    if widget == "select":
        empty = [SelectChoice("", "— اختر —" if lang == "ar" else "— choose —")]
        return SelectField(
            choices=empty + _choice_pairs(fdef, form, lang), validate_choice=False, **opts
        )
    if widget == "radio":
        return RadioField(choices=_choice_pairs(fdef, form, lang), validate_choice=False, **opts)
    if widget == "checkboxes":
        return SelectMultipleField(
            choices=_choice_pairs(fdef, form, lang), validate_choice=False, **opts
        )
    if widget == "yes_no":
        return RadioField(
            choices=_YES_NO_LABELS.get(lang, _YES_NO_LABELS["ar"]), validate_choice=False, **opts
        )
    if widget == "acknowledge":
        labels = _ACKNOWLEDGE_LABELS.get(lang, _ACKNOWLEDGE_LABELS["ar"])
        return SelectMultipleField(choices=labels, validate_choice=False, **opts)
    if widget == "calculate":
        # Shown by rifd-forms.js, computed again by the server: nothing posted is read.
        return HiddenField(label=label)
    if widget == "scale":
        low, high = ftype.low, ftype.high
        points = [SelectChoice(str(n), str(n)) for n in range(low, high + 1)]
        return RadioField(choices=points, validate_choice=False, **opts)
    if widget == "textarea":
        return TextAreaField(**opts)
    if widget == "file":
        opts["render_kw"]["accept"] = accept_attr(fdef)
        if opens_camera(fdef):
            opts["render_kw"]["capture"] = "environment"  # the camera on the back
        if fdef["type"] == "image":
            opts["render_kw"]["data-resize"] = "1600"  # longest side, in pixels (device.js)
        return MultipleFileField(**opts) if fdef.get("multiple") else FileField(**opts)
    if widget == "signature":
        return HiddenField(**opts)
    if widget == "repeat":
        return _repeat(fdef, form, lang, defaults)
    return StringField(**opts)


def _row_class(fdef: dict, form: FormDefinition, lang: str, defaults: bool) -> type[Form]:
    class Row(Form):
        pass

    for sub in fdef["fields"]:
        if sub["type"] != "note":
            setattr(Row, sub["name"], _unbound(sub, form, lang, defaults))
    return Row


class Rows(FieldList):
    """A repeat's rows, read only from row numbers a page writes (ASCII digits), each
    keeping the number its page gave it.

    FieldList takes any key part str.isdigit() admits: "²" or a number of 5,000 digits
    passed that test and then made int() raise, a 500 for whoever posted it. And since
    WTForms 3.3 it numbers the rows again from 0 after reading them: a row removed in
    the browser then shifted the rows after it, and what is kept by a row's name (a
    corrected submission's file, a draft's) landed in the row before. Rows keep their
    names here, as the page (rifd-forms.js numbers a new row after the highest) and
    the errors (keyed by the names posted) expect.
    """

    def _compact_indices(self):
        pass

    def _extract_indices(self, prefix, formdata):
        offset = len(prefix) + 1
        for key in formdata:
            if key.startswith(prefix):
                part = key[offset:].split(self._field_separator, 1)[0]
                if part.isascii() and part.isdigit() and len(part) <= MAX_INDEX_DIGITS:
                    yield int(part)


# A row number a page may post: rows are numbered from 0 as they are added.
MAX_INDEX_DIGITS = 9


def placeholder(depth: int) -> str:
    """Return what stands for a new row's number in the prototype of a repeat `depth` deep.

    Each depth has its own, so that adding a family member (whose prototype holds the
    prototype of the member's illnesses) numbers the member and leaves the illness's
    placeholder for when an illness is added.
    """
    return "__index__" if depth == 0 else f"__index{depth}__"


def _repeat(fdef: dict, form: FormDefinition, lang: str, defaults: bool):
    # One entry more than allowed, so that too many rows is seen and refused
    # rather than silently cut off by FieldList.
    return Rows(
        FormField(_row_class(fdef, form, lang, defaults)),
        label=localized(fdef.get("label"), lang),
        min_entries=max(fdef.get("min", 0), 1),
        max_entries=fdef.get("max", 50) + 1,
    )


def on_page(section: dict, fdef: dict, audience: str) -> bool:
    """Return whether `fdef` is on the page `audience` sees (the public sees no staff field)."""
    return audience != "public" or not (section.get("staff_only") or fdef.get("staff_only"))


def build_form_class(
    form: FormDefinition, lang: str, audience: str = "staff", base=Form, with_defaults: bool = True
) -> type:
    """Return a new form class with one WTForms field per answer field on this page."""

    class DynamicForm(base):
        pass

    for section in form.sections:
        for fdef in section["fields"]:
            if fdef["type"] != "note" and on_page(section, fdef, audience):
                setattr(DynamicForm, fdef["name"], _unbound(fdef, form, lang, with_defaults))
    return DynamicForm


def _raw(wtfield):
    if isinstance(wtfield, FieldList):
        # "#" keeps the row's index in the page (rows removed in the browser leave gaps),
        # so that an error lands beside the row it belongs to.
        return [
            {
                "#": int(entry.short_name.rsplit("-", 1)[-1]),
                **{sub.short_name: _raw(sub) for sub in entry.form},
            }
            for entry in wtfield.entries
        ]
    return wtfield.data


def raw_values(wtform) -> dict:
    """Return what a person sent, by field name, as forms.validation expects it."""
    return {f.short_name: _raw(f) for f in wtform if f.short_name != "csrf_token"}


@dataclass
class Item:
    """One thing on the page: a field (with its WTForms field) or a note."""

    fdef: dict
    field: object
    label: str
    hint: str
    widget: str
    rows: list = field(default_factory=list)  # for a repeat: one list of Items per row
    prototype: list = field(default_factory=list)  # for a repeat: the row JS copies
    row_indices: list = field(default_factory=list)  # for a repeat: each row's number in names
    placeholder: str = ""  # for a repeat: what stands for a new row's number in it
    kept: list | None = None  # for a file: those a draft keeps (name, size each)
    choice_data: dict | None = None  # for a filtered select: each choice's data by value
    rule_message: str = ""  # for a field with a rule: what the page says when it is broken


def _item(fdef: dict, wtfield, lang: str, form: FormDefinition, depth: int = 0) -> Item:
    """Return the Item of one field `depth` repeats deep; a repeat's rows and prototype too."""
    label, hint = localized(fdef.get("label"), lang), localized(fdef.get("hint"), lang)
    item = Item(fdef, wtfield, label, hint, widget_of(fdef))
    if fdef.get("choice_filter"):
        item.choice_data = choice_filter.page_data(fdef, form.choices(fdef))
    if (fdef.get("constraints") or {}).get("rule"):
        item.rule_message = message("rule", lang, fdef)
    if fdef["type"] == "repeat":
        item.placeholder = placeholder(depth)
        item.rows = [_row_items(fdef, e.form, lang, form, depth + 1) for e in wtfield.entries]
        item.row_indices = [int(e.short_name) for e in wtfield.entries]
        proto = wtfield.unbound_field.args[0](prefix=f"{wtfield.name}-{item.placeholder}-")
        item.prototype = _row_items(fdef, proto, lang, form, depth + 1)
    return item


def _row_items(fdef: dict, row_form, lang: str, form: FormDefinition, depth: int) -> list[Item]:
    return [
        _item(sub, row_form[sub["name"]] if sub["type"] != "note" else None, lang, form, depth)
        for sub in fdef["fields"]
    ]


def layout(form: FormDefinition, wtform, lang: str, audience: str = "staff") -> list[dict]:
    """Return the page's sections, each with its items, for the generic form template."""
    sections = []
    for section in form.sections:
        items = []
        for fdef in section["fields"]:
            if not on_page(section, fdef, audience):
                continue
            wtfield = wtform[fdef["name"]] if fdef["type"] != "note" else None
            items.append(_item(fdef, wtfield, lang, form))
        if items:
            sections.append(
                {
                    "def": section,
                    "title": localized(section["title"], lang),
                    "description": localized(section.get("description"), lang),
                    "items": items,
                }
            )
    return sections


# Widgets drawn as a group of inputs (or a pad) under a label of their own.
GROUPED = frozenset(
    {"radio", "yes_no", "scale", "checkboxes", "signature", "acknowledge", "calculate"}
)


def problems(sections: list[dict], errors: dict) -> list[tuple[str, str, str]]:
    """Return (element id, label, message) of every field with an error, in page order,
    for the summary at the top of a page that failed to save."""
    found: list[tuple[str, str, str]] = []

    def walk(items, rows: tuple[int, ...] = ()) -> None:
        # A field in a row is labelled with the numbers of its row and of the rows
        # around it: "اسم المرض (2، 1)" for the second member's first illness.
        for item in items:
            if item.widget == "note":
                continue
            name = item.field.name if item.field is not None else item.fdef["name"]
            numbers = "، ".join(str(n + 1) for n in rows)
            label = f"{item.label} ({numbers})" if rows else item.label
            if errors.get(name):
                element = "field-" + name if item.widget == "repeat" else item.field.id
                if item.widget in GROUPED:  # no element has the group's id: its label does
                    element += "-label"
                found.append((element, label, errors[name]))
            for number, cells in enumerate(getattr(item, "rows", None) or ()):
                walk(cells, (*rows, number))

    for section in sections:
        walk(section["items"])
    return found
