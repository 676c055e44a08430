"""The sections of the policy profile page: which inputs, in which order, with which labels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from association.editor import Input, Table

AR, EN = _l("بالعربية"), _l("بالإنجليزية")


def _person(path: str, who) -> list[Input]:
    return [
        Input(f"{path}.name", _l("%(who)s: الاسم", who=who)),
        Input(f"{path}.title", _l("%(who)s: الوظيفة", who=who)),
        Input(f"{path}.date", _l("%(who)s: التاريخ (YYYY/MM/DD)", who=who), "date"),
    ]


def _rules(path: str, label) -> Table:
    return Table(
        path,
        label,
        (
            Input("id", _l("المعرّف")),
            Input("text.ar", _l("نص الشرط بالعربية")),
            Input("text.en", _l("نص الشرط بالإنجليزية")),
            Input("rule", _l("القاعدة (اتركها فارغة إذا كان التحقق بشريًا)")),
        ),
    )


def _choices(path: str, label) -> Table:
    return Table(
        path,
        label,
        (Input("value", _l("المعرّف")), Input("label.ar", AR), Input("label.en", EN)),
    )


SECTIONS = [
    (
        "identity",
        _l("هوية الجمعية والترويسة"),
        [
            Input("name.ar", _l("اسم الجمعية بالعربية")),
            Input("name.en", _l("اسم الجمعية بالإنجليزية")),
            Input("licence_number", _l("رقم الترخيص من المركز الوطني لتنمية القطاع غير الربحي")),
            Input(
                "licence_sentence",
                _l(
                    "جملة الترخيص في الترويسة كما تكتبها الجمعية، و{licence_number} مكان الرقم "
                    "(إن تُركت فارغة: مسجلة لدى المركز الوطني لتنمية القطاع غير الربحي برقم "
                    "ترخيص …)"
                ),
            ),
            Input("contact.address", _l("العنوان")),
            Input("contact.phone", _l("الهاتف")),
            Input("contact.email", _l("البريد الإلكتروني")),
            Input("contact.website", _l("الموقع الإلكتروني")),
            Input("bank.name", _l("البنك")),
            Input("bank.iban", _l("رقم الحساب (الآيبان)")),
            Input(
                "letterhead_lines",
                _l(
                    "أسطر أخرى في الترويسة، تُطبع تحت العنوان كما تُكتب: جهة الإشراف، حسابات "
                    "التواصل الاجتماعي، أرقام أخرى (سطر في كل سطر)"
                ),
                "lines",
            ),
            Input("letter_number_pattern", _l("نمط رقم الصادر")),
        ],
    ),
    ("channels", _l("قنوات التواصل مع المستفيدين"), [_choices("channels", _l("القنوات"))]),
    (
        "documents",
        _l("الأدوات المتاحة لموظف علاقات المستفيدين"),
        [
            Table(
                "documents",
                _l("المستندات"),
                (Input("id", _l("المعرّف")), Input("title.ar", AR), Input("title.en", EN)),
            )
        ],
    ),
    (
        "deadline",
        _l("مدة الرد على الطلب"),
        [
            Input("decision_deadline.days", _l("عدد الأيام"), "int"),
            Input(
                "decision_deadline.count",
                _l("طريقة العد"),
                "choice",
                (("calendar_days", _l("أيام تقويمية")), ("work_days", _l("أيام عمل"))),
            ),
            Input(
                "complaint_deadline.days", _l("مدة الرد على الشكوى أو الاقتراح: عدد الأيام"), "int"
            ),
            Input(
                "complaint_deadline.count",
                _l("مدة الرد على الشكوى أو الاقتراح: طريقة العد"),
                "choice",
                (("calendar_days", _l("أيام تقويمية")), ("work_days", _l("أيام عمل"))),
            ),
        ],
    ),
    (
        "programs",
        _l("فئات البرامج ومدد الإعلان"),
        [
            Table(
                "program_categories",
                _l("الفئات"),
                (
                    Input("id", _l("المعرّف")),
                    Input("name.ar", AR),
                    Input("name.en", EN),
                    Input("needs_registration", _l("تتطلب تسجيلًا"), "bool"),
                    Input("lead_work_days", _l("الإعلان قبلها بأيام عمل"), "int"),
                    Input("description", _l("الوصف")),
                ),
            )
        ],
    ),
    (
        "eligibility",
        _l("شروط الحصول على الخدمة"),
        [
            _rules("eligibility.general", _l("الشروط العامة")),
            _rules("eligibility.cash", _l("شروط المساعدة النقدية")),
            Input("eligibility.area_cities", _l("مدن نطاق عمل الجمعية (معرّف في كل سطر)"), "lines"),
            Input(
                "eligibility.cash_support_types", _l("أنواع الدعم النقدي (معرّف في كل سطر)"), "lines"
            ),
            Input("eligibility.income_threshold", _l("حد دخل الفرد الشهري"), "number"),
        ],
    ),
    (
        "commitments",
        _l("الضوابط والتوثيق"),
        [
            Input("commitments", _l("ضوابط يلتزم بها المستفيد (ضابط في كل سطر)"), "lines"),
            _choices("proof_of_delivery", _l("طرق توثيق وصول الخدمات")),
            Input(
                "verification_checklist", _l("قائمة التحقق عند الاستقبال (بند في كل سطر)"), "lines"
            ),
        ],
    ),
    (
        "text",
        _l("نص السياسة"),
        [
            Input("policy.title", _l("العنوان")),
            Input("policy.preamble", _l("التمهيد"), "textarea"),
            Input("policy.general_goal", _l("الهدف العام"), "textarea"),
            Input(
                "policy.goals",
                _l("الأهداف التفصيلية (هدف في كل سطر، والبند الفرعي يبدأ بـ -)"),
                "outline",
            ),
            Input("policy.tools", _l("الأدوات (أداة في كل سطر)"), "lines"),
            Input(
                "policy.handling_steps", _l("خطوات التعامل مع المستفيد (خطوة في كل سطر)"), "lines"
            ),
            Input("policy.eligibility_intro", _l("مقدمة آلية الاستحقاق"), "textarea"),
            Input("policy.closing", _l("الخاتمة")),
        ],
    ),
    (
        "approval",
        _l("الاعتماد وضبط الوثيقة"),
        [
            Input("approval.version", _l("رقم الإصدار")),
            Input("approval.issue_date", _l("تاريخ الإصدار (YYYY/MM/DD)"), "date"),
            Input("approval.amendment", _l("رقم التعديل")),
            Input("approval.amendment_date", _l("تاريخ التعديل (YYYY/MM/DD)"), "date"),
            Input("approval.board_meeting", _l("رقم اجتماع مجلس الإدارة"), "int"),
            Input("approval.date_gregorian", _l("تاريخ الاعتماد الميلادي (YYYY/MM/DD)"), "date"),
            Input("approval.date_hijri", _l("تاريخ الاعتماد الهجري (YYYY/MM/DD)"), "hijri"),
            *_person("approval.approved_by", _l("المعتمد")),
            *_person("approval.prepared_by", _l("المُعِد")),
            *_person("approval.reviewed_by", _l("المراجع")),
        ],
    ),
]
