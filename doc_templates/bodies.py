"""The text of each letter Rifd ships, with its placeholders (see docs/letters.md)."""

from __future__ import annotations

from doc_templates.letterhead import addressee, closing, signatory, title
from doc_templates.ooxml import (
    ACCENT,
    DOTS,
    auto,
    cell,
    code,
    either,
    head_cell,
    if_paragraphs,
    label_cell,
    ltr,
    para,
    row,
    row_tag,
    spacer,
    table,
    tag,
    value_cell,
)

REQUEST = (
    "طلبكم «{{ submission.form_title }}» رقم ("
    + code("submission.ref")
    + ") المقدم بتاريخ {{ submission.date }}"
)
MEETING = (
    "{% if decision.meeting_number %} في اجتماعها رقم ("
    + code("decision.meeting_number")
    + "){% endif %}{% if decision.date %} بتاريخ {{ decision.date }}{% endif %}"
)


def notes() -> list[str]:
    return if_paragraphs("decision.notes", para("**ملاحظات:** {{ decision.notes }}"))


def acceptance() -> list[str]:
    amount = (
        "**مبلغ الدعم:** "
        + ltr("decision.amount")
        + " ريال{% if decision.amount_words %} ({{ decision.amount_words }} فقط){% endif %}"
    )
    return [
        title("إشعار قبول"),
        *addressee(),
        para(
            "يسرنا إبلاغكم بأن لجنة البحث في {{ association.name_ar }} درست "
            + REQUEST
            + "، وقررت"
            + MEETING
            + " **قبول الطلب**."
        ),
        *if_paragraphs("decision.reasons", para("**أسباب القرار:** {{ decision.reasons }}")),
        *if_paragraphs(
            "decision.support_types", para("**نوع الدعم:** {{ decision.support_types }}")
        ),
        *if_paragraphs("decision.amount", para(amount)),
        *notes(),
        para(
            "وسيتواصل معكم المختص في الجمعية لاستكمال إجراءات تقديم الخدمة، ونرجو إبلاغ "
            "الجمعية بأي تغيير يطرأ على بياناتكم أو ظروفكم."
        ),
        closing("شاكرين لكم ثقتكم، وتقبلوا خالص التحية والتقدير،"),
        signatory("لجنة البحث", "decision.decided_by"),
    ]


def rejection() -> list[str]:
    reapply = "**إعادة التقديم:** يمكنكم التقدم بطلب جديد "
    appeal = "**التظلم:** "
    return [
        title("إشعار اعتذار"),
        *addressee(),
        para(
            "نشكر لكم تواصلكم مع {{ association.name_ar }}، ونفيدكم بأن لجنة البحث درست "
            + REQUEST
            + "، وقررت"
            + MEETING
            + " **الاعتذار عن قبوله** في الوقت الحالي."
        ),
        *if_paragraphs("decision.reasons", para("**سبب الاعتذار:** {{ decision.reasons }}")),
        *either(
            "decision.reapply_after",
            para(
                reapply + "بعد {{ decision.reapply_after }}، مع إرفاق ما يعالج سبب الاعتذار "
                "من مستندات، عبر قنوات الجمعية المعتمدة."
            ),
            para(
                reapply + "متى تغيرت ظروفكم أو اكتملت المستندات المطلوبة، عبر قنوات "
                "الجمعية المعتمدة."
            ),
        ),
        *either(
            "decision.appeal",
            para(appeal + "{{ decision.appeal }}"),
            para(
                appeal + "إن كان لديكم ما يغيّر هذا القرار فلكم التظلم منه بطلب مكتوب إلى "
                "الجمعية عبر وسائل التواصل المبينة أعلى هذا الخطاب، مع ذكر رقم الطلب، "
                "ويُعرض تظلمكم على لجنة البحث."
            ),
        ),
        *notes(),
        closing("ونسعد بخدمتكم دائمًا، وتقبلوا خالص التحية والتقدير،"),
        signatory("لجنة البحث", "decision.decided_by"),
    ]


def program_rows() -> list[str]:
    """Return the rows of the program table; time, arrangements, what to bring and contact
    are optional."""
    dates = (
        "{% if program.end_date %}من {{ program.start_date }} إلى {{ program.end_date }}"
        "{% else %}{{ program.start_date }}{% endif %}"
    )
    label, value = 2400, 7238
    rows = [
        row(label_cell("البرنامج", label), value_cell("{{ program.name }}", value)),
        row(label_cell("المكان", label), value_cell("{{ program.place }}", value)),
        row(label_cell("الموعد", label), value_cell(dates, value)),
    ]
    optional = (
        ("program.time", "الوقت", auto("program.time")),
        ("program.arrangements", "الترتيبات", "{{ program.arrangements }}"),
        ("program.what_to_bring", "ما يلزم إحضاره", "{{ program.what_to_bring }}"),
        ("program.contact", "للاستفسار", auto("program.contact")),
    )
    for test, name, text in optional:
        rows += [
            row_tag(f"{{%tr if {test} %}}"),
            row(label_cell(name, label), value_cell(text, value)),
            row_tag("{%tr endif %}"),
        ]
    return rows


def program_acceptance() -> list[str]:
    return [
        title("إشعار قبول في برنامج"),
        *addressee(),
        para(
            "يسرنا إبلاغكم بقبولكم في برنامج «{{ program.name }}» الذي تنفذه "
            "{{ association.name_ar }}، وفق البيانات الآتية:",
            keep=True,
        ),
        table(program_rows(), [2400, 7238]),
        spacer(6),
        *if_paragraphs(
            "commitments",
            para("**ونأمل منكم الالتزام بما يلي:**", keep=True, after=20),
            tag("{%p for item in commitments %}"),
            para("•  {{ item }}", hanging=240, after=0),
            tag("{%p endfor %}"),
            spacer(6),
        ),
        para(
            "نرجو الحضور قبل الموعد بوقت كافٍ، وإبلاغنا مبكرًا إن تعذر عليكم الحضور ليُتاح "
            "المقعد لغيركم."
        ),
        closing("متمنين لكم الفائدة، وتقبلوا خالص التحية والتقدير،"),
        signatory("إدارة البرامج"),
    ]


def declaration_tables() -> tuple[str, str]:
    """Return the answers table and the commitments table, one row per item."""
    answers = table(
        [
            row(head_cell("البيان", 3400), head_cell("الإجابة", 6238), header=True),
            row_tag("{%tr for row in answer_rows %}"),
            row(
                label_cell("{{ row.label }}", 3400), value_cell(auto("row.value"), 6238), split=True
            ),
            row_tag("{%tr endfor %}"),
        ],
        [3400, 6238],
    )
    commitments = table(
        [
            row(head_cell("م", 700), head_cell("الالتزام", 8938), header=True),
            row_tag("{%tr for item in commitments %}"),
            row(
                value_cell("{{ loop.index }}", 700, jc="center"),
                value_cell("{{ item }}", 8938),
                split=True,
            ),
            row_tag("{%tr endfor %}"),
        ],
        [700, 8938],
    )
    return answers, commitments


def declaration_signatures() -> str:
    """Return the applicant's block (drawn signature, or a line to sign) and the staff's."""
    applicant = [
        para("**مقدم الإقرار**", jc="center", after=40, color=ACCENT),
        para("الاسم: {{ beneficiary.name }}", jc="start", after=40),
        para("التوقيع:", jc="start", after=0),
        *either(
            "signature",
            para("{{ signature }}", jc="center", after=0),
            para(DOTS, jc="center", after=40),
        ),
        para("التاريخ: {{ submission.date }}", jc="start", after=0),
    ]
    office = [
        para("**للاستخدام الرسمي**", jc="center", after=40, color=ACCENT),
        para("طابق الموظف البيانات مع أصول المستندات.", jc="start", after=40, size_pt=11),
        para("اسم الموظف: " + DOTS[:28], jc="start", after=40),
        para("التوقيع: " + DOTS[:32], jc="start", after=0),
    ]
    return table([row(cell(applicant, 4819), cell(office, 4819))], [4819, 4819])


def declaration() -> list[str]:
    answers, commitments = declaration_tables()
    return [
        title("إقرار صحة البيانات والالتزام"),
        para(
            "أقر أنا مقدم الطلب **{{ beneficiary.name }}**، رقم الهوية الوطنية أو الإقامة ("
            + code("beneficiary.national_id")
            + ")، بأن البيانات التي قدمتها في «{{ submission.form_title }}» رقم ("
            + code("submission.ref")
            + ") بتاريخ {{ submission.date }}، الملخصة في الجدول أدناه، والمستندات التي "
            "أرفقتها صحيحة ومطابقة للأصل، وأنني مسؤول مسؤولية مباشرة عن صحتها."
        ),
        para("**ملخص البيانات المقدمة**", color=ACCENT, keep=True, after=40),
        answers,
        spacer(6),
        *if_paragraphs(
            "commitments",
            para("**وألتزم بما يلي:**", color=ACCENT, keep=True, after=40),
            commitments,
            spacer(6),
        ),
        para(
            "وأعلم أن الطلب يُرفع إلى لجنة البحث لدراسته والرد عليه بالقبول أو الاعتذار، وأن "
            "ثبوت عدم صحة أي بيان يترتب عليه إلغاء الطلب أو إيقاف الدعم واسترداد ما صُرف، "
            "وأتعهد بإبلاغ الجمعية بأي تغيير يطرأ على بياناتي، وعلى ذلك أوقّع.",
            keep=True,
        ),
        declaration_signatures(),
    ]


def voucher_rows() -> list[str]:
    """Return the rows of a voucher's table; quantity, description, program and reference
    are printed only when the delivery has them."""
    label, value = 2600, 7038
    amount = (
        ltr("voucher.amount")
        + " ريال{% if voucher.amount_words %} ({{ voucher.amount_words }} فقط){% endif %}"
    )
    rows = [
        row(label_cell("المستلم", label), value_cell("{{ beneficiary.name }}", value)),
        row(
            label_cell("رقم الهوية", label),
            value_cell(code("beneficiary.national_id_masked"), value),
        ),
        row(label_cell("نوع ما سُلّم", label), value_cell("{{ voucher.what }}", value)),
    ]
    optional = (
        ("voucher.amount", "المبلغ", amount),
        ("voucher.quantity", "الكمية", ltr("voucher.quantity")),
        ("voucher.description", "البيان", "{{ voucher.description }}"),
        ("voucher.method", "طريقة التسليم", "{{ voucher.method }}"),
        ("voucher.program", "البرنامج", "{{ voucher.program }}"),
        ("voucher.reference", "المرجع", code("voucher.reference")),
    )
    for test, name, text in optional:
        rows += [
            row_tag(f"{{%tr if {test} %}}"),
            row(label_cell(name, label), value_cell(text, value)),
            row_tag("{%tr endif %}"),
        ]
    rows.append(row(label_cell("تاريخ التسليم", label), value_cell("{{ voucher.date }}", value)))
    return rows


def voucher_signatures(giver: str) -> str:
    """Return the recipient's block (drawn signature, or a line to sign) and the giver's."""
    recipient = [
        para("**المستلم**", jc="center", after=40, color=ACCENT),
        para("الاسم: {{ beneficiary.name }}", jc="start", after=40),
        para("التوقيع:", jc="start", after=0),
        *either(
            "signature",
            para("{{ signature }}", jc="center", after=0),
            para(DOTS, jc="center", after=40),
        ),
    ]
    office = [
        para(f"**{giver}**", jc="center", after=40, color=ACCENT),
        para(
            "الاسم: {% if voucher.delivered_by %}{{ voucher.delivered_by }}{% else %}"
            + DOTS[:28]
            + "{% endif %}",
            jc="start",
            after=40,
        ),
        para("التوقيع: " + DOTS[:32], jc="start", after=0),
    ]
    return table([row(cell(recipient, 4819), cell(office, 4819))], [4819, 4819])


def voucher(heading: str, sentence: str, giver: str):
    """Return the body of a voucher: who received what, the table, and both signatures."""

    def body() -> list[str]:
        return [
            title(heading),
            para(sentence, keep=True),
            table(voucher_rows(), [2600, 7038]),
            spacer(6),
            *if_paragraphs("voucher.note", para("**ملاحظات:** {{ voucher.note }}")),
            para(
                "وبتوقيعه على هذا السند يقر المستلم بأنه استلم ما ورد فيه كاملًا، ولا يحق له "
                "المطالبة به مرة أخرى.",
                keep=True,
            ),
            voucher_signatures(giver),
        ]

    return body


disbursement_voucher = voucher(
    "سند صرف",
    "صرفت {{ association.name_ar }} إلى **{{ beneficiary.name }}** ما يلي:",
    "أمين الصندوق / المسلِّم",
)
receipt_voucher = voucher(
    "سند قبض",
    "قبضتُ أنا **{{ beneficiary.name }}** من {{ association.name_ar }} ما يلي:",
    "المسلِّم عن الجمعية",
)


# name -> (document title, body, what the footer calls the document)
LETTERS = {
    "acceptance": ("إشعار قبول", acceptance, "الخطاب"),
    "rejection": ("إشعار اعتذار", rejection, "الخطاب"),
    "declaration": ("إقرار صحة البيانات", declaration, "الإقرار"),
    "program_acceptance": ("إشعار قبول في برنامج", program_acceptance, "الخطاب"),
    "disbursement_voucher": ("سند صرف", disbursement_voucher, "السند"),
    "receipt_voucher": ("سند قبض", receipt_voucher, "السند"),
}
