"""A condition in words, for the person who wrote it: «الحالة الاجتماعية» = «متزوج».

The form editor shows this beside the expression, so that a quality officer reads what
the condition says with the labels of the fields and of their choices, not their codes.
It reads any definition, even a draft with problems (a name it does not know stays
as written); it never evaluates anything.
"""

from __future__ import annotations

from forms.conditions.parser import parse
from forms.conditions.syntax import ConditionError, Node
from forms.definition import localized

WORDS = {
    "ar": {
        "visible_if": "يظهر إذا كان {}",
        "required_if": "مطلوب إذا كان {}",
        "and": " و",
        "or": " أو",
        "not": "ليس ({})",
        "true": "نعم",
        "false": "لا",
        "null": "فارغ",
        "selected": "{} يشمل {}",
        "empty": "{} فارغًا",
        "filled": "{} معبأً",
        "count": "عدد {}",
        "length": "طول {}",
        "number": "{}",
        "count_selected": "عدد المختار في {}",
        "string_length": "طول {}",
        "if": "({1} إذا كان {0}، وإلا {2})",
        "concat": "{}",
        "today": "تاريخ اليوم",
        "now": "التاريخ والوقت الآن",
        "round": "تقريب {}",
        "age": "العمر بالسنوات من {}",
        "sum": "مجموع {}",
        "min": "أصغر {}",
        "max": "أكبر {}",
        "choice": "{} في الاختيار",
        "ops": {
            "==": "=",
            "!=": "≠",
            "<": "أقل من",
            "<=": "أقل من أو يساوي",
            ">": "أكبر من",
            ">=": "أكبر من أو يساوي",
        },
    },
    "en": {
        "visible_if": "Shown when {}",
        "required_if": "Required when {}",
        "and": " and",
        "or": " or",
        "not": "not ({})",
        "true": "yes",
        "false": "no",
        "null": "empty",
        "selected": "{} includes {}",
        "empty": "{} is empty",
        "filled": "{} is filled in",
        "count": "the count of {}",
        "length": "the length of {}",
        "number": "{}",
        "count_selected": "the number chosen in {}",
        "string_length": "the length of {}",
        "if": "({1} if {0}, else {2})",
        "concat": "{}",
        "today": "today's date",
        "now": "the date and time now",
        "round": "{} rounded",
        "age": "the age in years from {}",
        "sum": "the sum of {}",
        "min": "the least of {}",
        "max": "the greatest of {}",
        "choice": "the choice's {}",
        "ops": {"==": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥"},
    },
}


def _fields(data: dict) -> dict[str, dict]:
    """Return every field by name: a section's, then those inside repeats (at any depth)."""
    found: dict[str, dict] = {}

    def add(fields) -> None:  # a repeat's rows' fields, and its inner repeats', too
        for fdef in fields if isinstance(fields, list) else []:
            if isinstance(fdef, dict) and isinstance(fdef.get("name"), str):
                found.setdefault(fdef["name"], fdef)
                add(fdef.get("fields"))

    for section in data.get("sections") or []:
        add(section.get("fields") if isinstance(section, dict) else None)
    return found


class _Reader:
    def __init__(self, data: dict, lang: str):
        self.data, self.lang = data, lang if lang in WORDS else "ar"
        self.words = WORDS[self.lang]
        self.fields = _fields(data)

    def label(self, name: str) -> str:
        fdef = self.fields.get(name)
        return f"«{localized(fdef.get('label'), self.lang) or name}»" if fdef else name

    def choice(self, field: str, value: object) -> str:
        fdef = self.fields.get(field) or {}
        choices = fdef.get("choices") or []
        if isinstance(choices, str):
            choices = (self.data.get("choice_lists") or {}).get(choices) or []
        for choice in choices if isinstance(choices, list) else []:
            if isinstance(choice, dict) and choice.get("value") == value:
                return f"«{localized(choice.get('label'), self.lang) or value}»"
        return f"«{value}»" if isinstance(value, str) else self.literal(value)

    def literal(self, value: object) -> str:
        if value is True or value is False or value is None:
            return self.words[str(value).lower() if value is not None else "null"]
        return f"«{value}»" if isinstance(value, str) else str(value)

    def read(self, node: Node) -> str:
        kind = node.kind
        if kind == "literal":
            return self.literal(node.value)
        if kind == "name":
            return self.label(node.value)
        if kind in ("and", "or"):
            return (self.words[kind] + " ").join(self.read(a) for a in node.args)
        if kind == "not":
            return self.words["not"].format(self.read(node.args[0]))
        if kind == "neg":
            return "-" + self.read(node.args[0])
        if kind == "compare":
            return self.compare(node)
        if kind == "arith":
            parts = [self.read(node.args[0])]
            for op, arg in zip(node.value, node.args[1:], strict=False):
                parts += [op, self.read(arg)]
            return " ".join(parts)
        return self.call(node)

    def compare(self, node: Node) -> str:
        left, right = node.args
        op = self.words["ops"].get(node.value, node.value)
        if left.kind == "name" and right.kind == "literal":
            return f"{self.label(left.value)} {op} {self.choice(left.value, right.value)}"
        return f"{self.read(left)} {op} {self.read(right)}"

    def call(self, node: Node) -> str:
        args = node.args
        if node.value == "selected" and len(args) == 2 and args[0].kind == "name":
            value = self.choice(args[0].value, args[1].value) if args[1].kind == "literal" else ""
            return self.words["selected"].format(self.label(args[0].value), value)
        template = self.words.get(node.value, node.value + "({})")
        parts = [self.read(a) for a in args]
        if node.value in ("if", "today", "now"):
            return template.format(*parts)
        joiner = "، " if self.lang == "ar" else ", "
        if node.value == "concat":
            return " + ".join(parts)
        return template.format(joiner.join(parts))


def in_words(data: dict, key: str, expr: str, lang: str = "ar") -> str:
    """Return what the condition `expr` (a visible_if or required_if) says, or "" if it
    does not parse."""
    try:
        node = parse(expr)
    except ConditionError:
        return ""
    reader = _Reader(data if isinstance(data, dict) else {}, lang)
    frame = reader.words.get(key, "{}")
    return frame.format(reader.read(node))
