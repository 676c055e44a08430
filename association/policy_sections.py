"""The sections of the printed policy, as right-to-left OOXML built from the profile.

Each section function returns its fragments, or nothing when the profile leaves
that part empty, so every association's printed policy holds only its own parts.
Profile text is never read as markup: it goes into runs through ooxml.run, which
escapes it, and characters XML cannot hold are dropped first.
"""

from __future__ import annotations

import re

from doc_templates.ooxml import ACCENT, GREY, LRI, PDI, SHADE, TEXT_WIDTH, cell, para, row, run
from doc_templates.ooxml import table as rtl_table
from forms.dates import arabic_digits, as_date, hijri

DEFAULT_TITLE = "سياسة تنظيم العلاقة مع المستفيدين"
# C0 controls (but tab and newlines), lone surrogates and U+FFFE/U+FFFF: not allowed in XML 1.0.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
ITEM_INDENT = 284  # twips: wrapped lines of a list item stand clear of its number
DOTS = "............"


def clean(text: object) -> str:
    return _NOT_XML.sub("", str(text))


def text_para(pieces, *, bold=False, size_pt=None, color=None, indent=0, latin=False, **look):
    """Return a right-to-left paragraph of profile text: `pieces` is a str or (text, bold) pairs.

    ooxml.para would read `**` inside the text as bold marks; profile text must print as typed.
    """
    pieces = [(pieces, False)] if isinstance(pieces, str) else pieces
    hanging = look.pop("hanging", 0)
    shell = para("", size_pt=size_pt, hanging=hanging, latin=latin, **look)
    if indent:  # para indents by the hanging width alone; a sub-item sits further in
        shell = shell.replace(f'w:start="{hanging}"', f'w:start="{hanging + indent}"', 1)
    runs = "".join(
        # An Arabic piece in a Latin line (a licence number written in words) stays RTL.
        run(
            clean(text),
            bold=bold or strong,
            size_pt=size_pt,
            color=color,
            latin=latin and not ARABIC.search(text),
        )
        for text, strong in pieces
        if text
    )
    return shell.replace("</w:p>", runs + "</w:p>")


def lines(text: str) -> list[str]:
    """Return the paragraphs of a text (one per line, blank lines dropped)."""
    # Not splitlines(): it also breaks at U+000B, U+001C..U+001E, U+0085 and U+2028.
    return [part.strip() for part in str(text).split("\n") if part.strip()]


def heading(number: int, text: str) -> str:
    label = f"{arabic_digits(number)}- {text}"
    return text_para(label, bold=True, size_pt=14, color=ACCENT, keep=True, jc="start", after=80)


def items(texts, *, numbered=False, bullet="•", indent=0) -> list[str]:
    """Return list items: numbered ١) ٢) ... or bulleted, wrapped lines hanging."""
    out = []
    for i, text in enumerate(texts, 1):
        mark = f"{arabic_digits(i)}) " if numbered else f"{bullet} "
        out.append(text_para(mark + text, hanging=ITEM_INDENT, indent=indent))
    return out


def days_words(days: int, *, work: bool = False) -> str:
    """Return a period in Arabic words: 14 -> أسبوعين, 5 work days -> أسبوع عمل, 30 -> ٣٠ يومًا."""
    # The form follows "خلال" or "بمدة لا تقل عن": genitive or accusative, never the nominative.
    if not work and days in (7, 14):
        return "أسبوع" if days == 7 else "أسبوعين"
    if work and days == 5:
        return "أسبوع عمل"
    if days in (1, 2):
        one, two = ("يوم عمل واحد", "يومي عمل") if work else ("يوم واحد", "يومين")
        return one if days == 1 else two
    tail = days % 100
    if 3 <= tail <= 10:
        noun = "أيام"
    elif tail >= 11:
        noun = "يومًا" if not work else "يوم"
    else:  # 100, 101, 102 ...: a hundred takes the singular
        noun = "يوم"
    return f"{arabic_digits(days)} {noun}" + (" عمل" if work else "")


def deadline_words(deadline: dict) -> str:
    return days_words(deadline["days"], work=deadline.get("count") == "work_days")


def gregorian(value) -> str:
    """Return a date as 2024/09/30, isolated: ISO dashes in Arabic text print back to front."""
    day = as_date(value)
    return f"{LRI}{day.year:04d}/{day.month:02d}/{day.day:02d}{PDI}" if day else ""


def hijri_of(approval: dict) -> str:
    """Return the approval's Hijri date as printed, or Umm al-Qura's for its Gregorian date."""
    if approval.get("date_hijri"):
        return f"{LRI}{approval['date_hijri']}{PDI}"
    day = as_date(approval.get("date_gregorian"))
    found = hijri(day) if day else None
    return f"{LRI}{found.year:04d}/{found.month:02d}/{found.day:02d}{PDI}" if found else ""


def intro(text: str) -> list[str]:
    return [text_para(part) for part in lines(text)]


def goals(outline: list) -> list[str]:
    """Return the detailed goals; a goal with sub-items lists them beneath it."""
    out = []
    for goal in outline:
        if isinstance(goal, str):
            out += items([goal])
            continue
        out += items([goal["text"]])
        out += items(goal.get("items", []), bullet="-", indent=ITEM_INDENT)
    return out


def tools(profile: dict) -> list[str]:
    """Return the tools the policy lists, or else the documents the profile keeps at hand."""
    listed = profile.get("policy", {}).get("tools") or [
        doc["title"]["ar"] for doc in profile.get("documents", [])
    ]
    return items(listed)


def handling(profile: dict) -> list[str]:
    deadline = deadline_words(profile["decision_deadline"])
    steps = profile.get("policy", {}).get("handling_steps", [])
    return items([step.replace("{deadline}", deadline) for step in steps], numbered=True)


def categories(profile: dict) -> list[str]:
    """Return the eligibility mechanism: the intro, then each program category."""
    cats = profile.get("program_categories", [])
    if not cats:
        return []
    out = intro(profile.get("policy", {}).get("eligibility_intro", ""))
    for i, cat in enumerate(cats, 1):
        out.append(text_para(f"{arabic_digits(i)}- {cat['name']['ar']}", bold=True, keep=True))
        lead = days_words(cat["lead_work_days"], work=True) if cat["lead_work_days"] else ""
        text = cat.get("description", "")
        if lead and "{lead_time}" not in text:
            text += f"\nويُعلن عنها قبل موعدها بمدة لا تقل عن {lead}."
        out += [
            text_para(part, indent=ITEM_INDENT) for part in lines(text.replace("{lead_time}", lead))
        ]
    return out


def conditions(profile: dict) -> list[str]:
    """Return the conditions for a service: general ones, then those for cash aid."""
    rules = profile.get("eligibility", {})
    general = [rule["text"]["ar"] for rule in rules.get("general", [])]
    cash = [rule["text"]["ar"] for rule in rules.get("cash", [])]
    out = []
    if general:
        out.append(
            text_para(
                "تدرس الجمعية الفئات المستهدفة وفق الإجراءات والشروط المعتمدة، وتحدد ما إذا كان "
                "المستفيد يستوفي الشروط اللازمة للحصول على الخدمة، وهي كما يلي:"
            )
        )
        out += items(general, bullet="○")
    if cash:
        out.append(text_para("وفي حال كانت الخدمة المقدمة للمستفيد نقدية فيلزم الآتي:", keep=True))
        out += items(cash, bullet="-")
    return out


def proof(profile: dict) -> list[str]:
    kinds = [kind["label"]["ar"] for kind in profile.get("proof_of_delivery", [])]
    if not kinds:
        return []
    lead = text_para("يتم توثيق وصول خدمات الجمعية للمستفيدين عن طريق الآتي:", keep=True)
    return [lead, *items(kinds, numbered=True)]


def approval_text(approval: dict) -> list[str]:
    """Return the board's approval: meeting, Hijri and Gregorian dates; [] when none is given."""
    meeting = approval.get("board_meeting")
    hijri_date, greg = hijri_of(approval), gregorian(approval.get("date_gregorian"))
    if not (meeting or hijri_date or greg):
        return []
    text = "تم اعتماد هذه السياسة في اجتماع مجلس الإدارة"
    text += f" رقم ({LRI}{meeting}{PDI})" if meeting else ""
    dates = [f"{hijri_date} هـ" if hijri_date else "", f"{greg} م" if greg else ""]
    dated = [d for d in dates if d]
    if dated:
        text += " بتاريخ " + " الموافق ".join(dated)
    return [text_para(text + ".")]


def signatory(person: dict) -> list[str]:
    look = {"jc": "center", "keep": True, "after": 0}
    out = [text_para(person.get("title", ""), bold=True, **look)] if person.get("title") else []
    out.append(text_para(person.get("name", ""), **look))
    return out


def _person_cell(role: str, person: dict, width: int) -> str:
    look = {"jc": "start", "after": 0, "size_pt": 11}
    body = [
        text_para(role, bold=True, color=ACCENT, **{**look, "jc": "center"}),
        text_para([("الاسم: ", True), (person.get("name", ""), False)], **look),
        text_para([("الوظيفة: ", True), (person.get("title", ""), False)], **look),
        text_para([("التوقيع: ", True), (DOTS, False)], **look, color=GREY),
        text_para([("التاريخ: ", True), (gregorian(person.get("date")) or DOTS, False)], **look),
    ]
    return cell(body, width)


def _field(label: str, value: str, width: int, span: int = 1) -> list[str]:
    look = {"jc": "start", "after": 0, "size_pt": 11}
    return [
        cell(text_para(label, bold=True, **look), 1800, fill=SHADE),
        cell(text_para(value or "—", **look), width, span=span),
    ]


def has_control_block(approval: dict) -> bool:
    return any(approval.get(key) for key in ("version", "prepared_by", "reviewed_by"))


def control_table(profile: dict) -> list[str]:
    """Return the document-control block (version, amendment, who prepared, reviewed, approved)."""
    approval = profile.get("approval", {})
    if not has_control_block(approval):
        return []
    title = profile.get("policy", {}).get("title") or DEFAULT_TITLE
    value = (TEXT_WIDTH - 2 * 1800) // 2
    facts = rtl_table(
        [
            row(*_field("المستند", title, 2 * value + 1800, span=3)),
            row(
                *_field("رقم الإصدار", approval.get("version", ""), value),
                *_field("تاريخ الإصدار", gregorian(approval.get("issue_date")), value),
            ),
            row(
                *_field("رقم التعديل", approval.get("amendment", ""), value),
                *_field("تاريخ التعديل", gregorian(approval.get("amendment_date")), value),
            ),
        ],
        [1800, value, 1800, value],
    )
    prepared, reviewed = approval.get("prepared_by"), approval.get("reviewed_by")
    roles = [("الإعداد والمراجعة", prepared)] if prepared == reviewed else []
    roles = roles or [("الإعداد", prepared), ("المراجعة", reviewed)]
    roles = [(r, p) for r, p in [*roles, ("الاعتماد", approval.get("approved_by"))] if p]
    width = TEXT_WIDTH // max(len(roles), 1)
    people = [
        rtl_table([row(*(_person_cell(r, p, width) for r, p in roles))], [width] * len(roles))
    ]
    return [facts, para(after=0, size_pt=4), *(people if roles else []), para(after=120)]
