"""Say a definition problem in Arabic, for the editor.

The checks (forms.schema_messages, forms.checks, forms.conditions) speak English,
the language of the CLI and of the JSON paths; a quality officer in the editor
reads Arabic. Each known sentence is matched here and rebuilt in Arabic with the
same values; a sentence not known yet comes back as it is, never dropped.
"""

from __future__ import annotations

import re

# What the JSON keys are called on the editor's screen.
KEYS = {
    "label": "نص السؤال",
    "title": "العنوان",
    "name": "الاسم البرمجي",
    "type": "النوع",
    "choices": "الخيارات",
    "fields": "الحقول الفرعية",
    "sections": "الأقسام",
    "value": "القيمة",
    "ar": "النص العربي",
    "id": "معرّف النموذج",
    "version": "الإصدار",
}
TYPES = {
    "an object": "كائنًا",
    "a list": "قائمة",
    "a string": "نصًا",
    "a whole number": "عددًا صحيحًا",
    "a number": "رقمًا",
    "true or false": "نعم أو لا",
}
PATTERNS = {
    "^[A-Z]{1,4}$": "من حرف إلى أربعة أحرف إنجليزية كبيرة",
    "^[A-Za-z0-9_.-]{1,64}$": "أحرف إنجليزية وأرقام و _ . - فقط، حتى ٦٤ خانة",
    # the policy profile's ids and values (channels, documents, rules, ...)
    "^[a-z][a-z0-9_]{0,40}$": "أحرف إنجليزية صغيرة وأرقام و _ فقط، ويبدأ بحرف",
}
_HINT = re.compile(r' \(did you mean "(?P<s>[^"]*)"\?\)$')
_AT = re.compile(r"^(?P<p>.+) at (?P<pos>\d+)$")


def _key(match: re.Match) -> dict:
    return {"k": KEYS.get(match["k"], match["k"])}


def _type(match: re.Match) -> dict:
    return {"t": TYPES.get(match["t"], match["t"])}


def _pattern(match: re.Match) -> dict:
    return {"p": PATTERNS.get(match["p"], match["p"])}


_WORD = {"end of condition": "نهاية الشرط", "string": "نص"}

# (English sentence, Arabic sentence, optional function giving extra values)
RULES = [
    (r"(?P<v>.+) is not a field type", "{v} ليس من أنواع الحقول", None),
    (r"(?P<v>.+) is not one of (?P<o>.+)", "{v} ليس من القيم المسموحة: {o}", None),
    (r'unknown key "(?P<k>[^"]*)"', 'خاصية غير معروفة "{k}"', None),
    (
        r'"fields" belongs only to a field of type "repeat"',
        "الحقول الفرعية لا تكون إلا في مجموعة متكررة",
        None,
    ),
    (r'a note cannot be "required"', "الملاحظة لا تكون مطلوبة", None),
    (r"is not allowed here", "غير مسموح هنا", None),
    (
        r"must be the name of a shared choice list or a list of choices",
        "اختر قائمة خيارات مشتركة أو اكتب الخيارات",
        None,
    ),
    (r"does not match any of the allowed forms", "لا يطابق أيًّا من الصيغ المسموحة", None),
    (
        r"(?P<v>.+) is not valid: use lower-case ASCII letters, digits and _, "
        r"starting with a letter",
        "{v} غير صالح: أحرف إنجليزية صغيرة وأرقام و _ فقط، ويبدأ بحرف",
        None,
    ),
    (r"(?P<v>.+) does not match the pattern (?P<p>.+)", "{v} غير صالح: {p}", _pattern),
    (r'"(?P<k>[^"]*)" is required', "«{k}» مطلوب", _key),
    (r"must be (?P<t>.+?), not (?P<v>.+)", "يجب أن يكون {t}، لا {v}", _type),
    (r"must not be empty", "لا يجوز أن يكون فارغًا", None),
    (r"(?P<v>\S+) is greater than the maximum of (?P<m>\S+)", "{v} أكبر من الحد الأعلى {m}", None),
    (r"(?P<v>\S+) is less than the minimum of (?P<m>\S+)", "{v} أقل من الحد الأدنى {m}", None),
    (
        r"(?P<v>\S+) is less than or equal to the minimum of (?P<m>\S+)",
        "يجب أن يكون أكبر من {m}",
        None,
    ),
    (r"(?P<v>.+) has non-unique elements", "فيه عناصر مكررة", None),
    (r"(?P<v>.+) is too long", "أطول من المسموح", None),
    (r'"(?P<n>[^"]*)" is already used by (?P<p>\S+)', "الاسم «{n}» مستخدم في حقل آخر", None),
    (r'there is no choice list "(?P<n>[^"]*)"', "لا توجد قائمة خيارات باسم «{n}»", None),
    (r'"(?P<v>[^"]*)" appears twice', "القيمة «{v}» مكررة", None),
    (r'"(?P<v>[^"]*)" is used twice', "القيمة «{v}» مكررة", None),
    (r"unknown name '(?P<n>[^']*)'", "لا توجد إجابة ولا قيمة محسوبة باسم «{n}»", None),
    (
        r'a field cannot depend on itself \("(?P<n>[^"]*)"\)',
        "لا يجوز أن يعتمد الحقل على نفسه («{n}»)",
        None,
    ),
    (r'unknown field "(?P<n>[^"]*)"', "لا يوجد حقل باسم «{n}»", None),
    (
        r'"(?P<a>[^"]*)" does not apply to a field of type "(?P<t>[^"]*)"',
        "«{a}» لا ينطبق على حقل من نوع «{t}»",
        None,
    ),
    (r'does not apply to a field of type "(?P<t>[^"]*)"', "لا ينطبق على حقل من نوع «{t}»", None),
    (
        r"repeats nest (?P<n>\d+) levels deep at most \(this one is level (?P<d>\d+)\)",
        "لا تتداخل المجموعات المتكررة أكثر من {n} مستويات، وهذه في المستوى {d}:"
        " انقل حقولها إلى المجموعة التي تحتويها أو إلى مجموعة مستقلة",
        None,
    ),
    (
        r"choice\(\) reads a choice only inside a choice_filter",
        "لا تُقرأ choice()‎ إلا في شرط تصفية الخيارات (choice_filter)",
        None,
    ),
    (
        r"choice\(\) takes a key written in quotes, as choice\('region'\)",
        "تأخذ choice()‎ اسم عمود بين علامتي تنصيص، مثل choice('region')",
        None,
    ),
    (r'the choices hold no "(?P<n>[^"]*)"', "لا تحمل الخيارات قيمة باسم «{n}»", None),
    (
        r'"(?P<n>[^"]*)" is taken: name the datum otherwise',
        "الاسم «{n}» محجوز، فسمِّ هذه القيمة باسم آخر",
        None,
    ),
    (
        r'the field "(?P<n>[^"]*)" it brings is already in the form',
        "الحقل «{n}» الذي يضيفه خيار «أخرى» موجود في النموذج من قبل",
        None,
    ),
    (
        r'the field "(?P<n>[^"]*)" it brings has a name too long',
        "اسم الحقل «{n}» الذي يضيفه خيار «أخرى» أطول من المسموح",
        None,
    ),
    (
        r'the choices already hold "other"',
        "في الخيارات قيمة «other» من قبل، فلا يضاف خيار «أخرى»",
        None,
    ),
    (r"is greater than (?P<k>max|max_length)", "الحد الأدنى أكبر من الحد الأعلى", None),
    (
        r"is not a valid pattern \(Rifd runs patterns without look-arounds or back-references:"
        r" (?P<e>.+)\)",
        "لا يقبل رِفد هذه الصيغة: يفحص رِفد الصيغ في وقت محدود، فلا تُستعمل فيها ‎(?= ولا ‎(?!"
        " ولا ‎(?<= ولا الإحالة إلى مجموعة سابقة مثل ‎\\1 ({e})",
        None,
    ),
    (r"is not a valid pattern \(it is too large to run\)", "الصيغة أكبر من أن تُفحص", None),
    (r"is not a valid pattern \((?P<e>.+)\)", "ليست صيغة صحيحة ({e})", None),
    (
        r'(?P<v>.+) is not a valid value for a field of type "(?P<t>[^"]*)"',
        "{v} ليست قيمة صالحة لحقل من نوع «{t}»",
        None,
    ),
]
CONDITION_RULES = [
    (
        r"condition is too long \(the limit is (?P<n>\d+) characters\)",
        "الشرط أطول من المسموح ({n} حرف)",
        None,
    ),
    (r"empty condition", "الشرط فارغ", None),
    (
        r"condition is nested too deeply \(the limit is (?P<n>\d+)\)",
        "الأقواس متداخلة أكثر من المسموح ({n})",
        None,
    ),
    (r'expected "\)" but found (?P<w>.+)', "يُنتظر «)» لكن وُجد {w}", None),
    (r'expected "," or "\)" but found (?P<w>.+)', "يُنتظر «,» أو «)» لكن وُجد {w}", None),
    (r"unexpected (?P<w>.+)", "{w} في غير موضعه", None),
    (
        r'comparisons cannot be chained: join them with "and"',
        "لا تُسلسل المقارنات: اربطها بـ and",
        None,
    ),
    (
        r'"(?P<f>\w+)" takes (?P<n>\d+) arguments?, not (?P<m>\d+)',
        "الدالة «{f}» تأخذ {n} من القيم، لا {m}",
        None,
    ),
    (r'unknown function "(?P<f>[^"]*)"(?: \(known: (?P<k>.+)\))?', "دالة غير معروفة «{f}»", None),
    (r'use "and" instead of "&&"', "اكتب and بدل &&", None),
    (r'use "or" instead of "\|\|"', "اكتب or بدل ||", None),
    (r'use "not" or "!=" instead of "!"', "اكتب not أو != بدل !", None),
    (r'write field names without "\$\{ \}"', "اكتب أسماء الحقول بلا ${{ }}", None),
    (r"a digit must follow the decimal point", "يجب أن يلي الفاصلة العشرية رقم", None),
    (r'unknown escape "(?P<e>.+)" in string', "رمز غير معروف «{e}» في النص", None),
    (r"unterminated string", "نص لم تُغلق علامة اقتباسه", None),
    (
        r'"(?P<w>[^"]*)" must be lowercase: write "(?P<l>[^"]*)"',
        "«{w}» يُكتب بأحرف صغيرة: {l}",
        None,
    ),
    (r'unexpected character "(?P<c>.+)"', "حرف غير متوقع «{c}»", None),
]


def _apply(rules, text: str) -> str | None:
    for english, arabic, extra in rules:
        match = re.fullmatch(english, text)
        if match:
            values = {k: v for k, v in match.groupdict().items() if v is not None}
            values.update({k: _WORD.get(v, v) for k, v in values.items() if k == "w"})
            values.update(extra(match) if extra else {})
            return arabic.format(**values)
    return None


def _say(rules, text: str) -> str | None:
    hint = _HINT.search(text)
    said = _apply(rules, text[: hint.start()] if hint else text)
    if said is None:
        return None
    return said + (f" (هل تقصد «{hint['s']}»؟)" if hint else "")


def arabic(message: str) -> str:
    """Return a problem's message (the part after its path) in Arabic."""
    said = _say(RULES, message)
    if said is None and (where := _AT.fullmatch(message)):
        inner = _say(CONDITION_RULES, where["p"])
        said = f"{inner} (عند الحرف {where['pos']})" if inner else None
    return said or message
