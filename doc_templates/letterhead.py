"""What every letter shares: the letterhead, the verification footer, greeting and signature."""

from __future__ import annotations

from doc_templates.ooxml import (
    ACCENT,
    DOTS,
    GREY,
    TEXT_WIDTH,
    auto,
    cell,
    code,
    if_paragraphs,
    ltr,
    para,
    row,
    spacer,
    table,
    tag,
)

NAME_WIDTHS = [4000, 1638, 4000]  # Arabic name | logo (up to about 27 mm) | English name
FIELD_WIDTHS = [2600, 4438, 2600]  # number | date | attachments


def _names() -> list[str]:
    """Return the cells of the first letterhead row: Arabic name, logo, English name."""
    look = {"jc": "start", "after": 0}
    # The licence in the association's words (letters.context.licence_sentence); the
    # English side names no licensing body, since that is the association's to say.
    arabic = [
        para("{{ association.name_ar }}", bold=True, size_pt=15, color=ACCENT, **look),
        para("{{ association.licence_sentence }}", size_pt=9, **look),
    ]
    licence = "{% if association.licence_number %}Licence No. " + code("association.licence_number")
    english = [
        para("{{ association.name_en }}", bold=True, size_pt=12, color=ACCENT, latin=True, **look),
        para(licence + "{% endif %}", size_pt=9, latin=True, **look),
    ]
    logo = para("{{ association.logo }}", jc="center", after=0)
    widths = NAME_WIDTHS
    return [cell(arabic, widths[0]), cell(logo, widths[1]), cell(english, widths[2])]


def _contacts() -> list[str]:
    """Return centred lines: address, phone, e-mail; the association's own lines (a
    supervising ministry, accounts, more phones), each as typed; website, bank and IBAN."""
    first = (
        "{{ association.address }}"
        "{% if association.phone %}  •  هاتف: " + code("association.phone") + "{% endif %}"
        "{% if association.email %}  •  البريد الإلكتروني: "
        + ltr("association.email")
        + "{% endif %}"
    )
    second = (
        "{% if association.website %}" + ltr("association.website") + "{% endif %}"
        "{% if association.website and association.iban %}  •  {% endif %}"
        "{% if association.iban %}الحساب البنكي: {{ association.bank_name }} — الآيبان: "
        + code("association.iban")
        + "{% endif %}"
    )
    look = {"jc": "center", "after": 0, "size_pt": 9}
    return [
        para(first, **look),
        tag("{%p for line in association.letterhead_lines %}"),
        para(auto("line"), **look),
        tag("{%p endfor %}"),
        para(second, **{**look, "after": 40}),
    ]


def association_head() -> str:
    """Return the association's part of the header: names, logo, licence, contacts, bank."""
    return table(
        [row(*_names()), row(cell(_contacts(), TEXT_WIDTH, span=3, bottom=ACCENT))],
        NAME_WIDTHS,
        grid=False,
    )


def letterhead() -> list[str]:
    """Return the page header: names, logo, licence, contacts, bank; number, date, attachments."""
    head = association_head()
    attachments = "{% if letter.attachments %}{{ letter.attachments }}{% else %}لا يوجد{% endif %}"
    look = {"after": 0, "size_pt": 11}
    number, date, attached = FIELD_WIDTHS
    fields = table(
        [
            row(
                cell(para("**الرقم:** " + code("letter.number"), jc="start", **look), number),
                cell(para("**التاريخ:** {{ letter.date }}", jc="center", **look), date),
                cell(para("**المرفقات:** " + attachments, jc="end", **look), attached),
            )
        ],
        FIELD_WIDTHS,
        grid=False,
    )
    return [head, spacer(2), fields, spacer(4)]


def footer(document: str) -> list[str]:
    """Return the page footer: how to verify the `document`, its short code and QR code."""
    check = f"للتحقق من صحة هذا {document}: " + ltr("letter.verify_url")
    text = [
        para(check + " — الرمز: " + code("letter.verify_code"), jc="start", after=0, size_pt=9),
        para(
            f"امسح رمز الاستجابة السريعة أو افتح الرابط للتأكد من صدور هذا {document} عن الجمعية.",
            jc="start",
            after=0,
            size_pt=8,
            color=GREY,
        ),
    ]
    qr = para("{{ qr }}", jc="center", after=0)
    return [
        table(
            [row(cell(text, 7838, top=ACCENT), cell(qr, 1800, top=ACCENT))],
            [7838, 1800],
            grid=False,
        ),
        spacer(2),
    ]


def title(text: str) -> str:
    return para(f"**{text}**", jc="center", size_pt=16, color=ACCENT, after=120)


def addressee() -> list[str]:
    """Return the beneficiary's title and name, masked ID, and the greeting."""
    masked = "رقم الهوية: " + code("beneficiary.national_id_masked")
    return [
        para(
            "**{{ beneficiary.title }} / {{ beneficiary.name }}**", jc="start", size_pt=13, after=0
        ),
        *if_paragraphs(
            "beneficiary.national_id_masked", para(masked, jc="start", size_pt=10, after=0)
        ),
        para("السلام عليكم ورحمة الله وبركاته، وبعد:", jc="start", after=100),
    ]


def closing(text: str) -> str:
    return para(text, jc="center", keep=True, after=100)


def signatory(role: str, name: str = "") -> str:
    """Return the signature block: room for the stamp on the right, the signatory on the left.

    `name` is the field holding the full name of the person who signs for `role` (the
    committee member who recorded the decision): printed under the role when known.
    """
    stamp = para("الختم", jc="center", after=0, size_pt=10, color=GREY)
    who = if_paragraphs(name, para(f"{{{{ {name} }}}}", jc="center", keep=True, after=0))
    block = [
        para(f"**{role}**", jc="center", keep=True, after=0),
        *(who if name else []),
        para("{{ association.name_ar }}", jc="center", keep=True, after=360),
        para("التوقيع: " + DOTS[:24], jc="center", after=0),
    ]
    return table([row(cell(stamp, 4819), cell(block, 4819))], [4819, 4819], grid=False)
