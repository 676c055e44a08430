"""The events that send a message, their default texts, and how a text is made and measured.

Each event has an Arabic and an English template in the letters' sandboxed template
language (letters/sandbox.py: no Python internals, a budget on time and size). The quality
officer edits them; a message is plain text, so nothing is HTML-escaped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from jinja2 import TemplateError

from letters import limits
from letters.sandbox import sandbox

MAX_TEMPLATE = 1000


@dataclass(frozen=True)
class Event:
    name: str
    title: object
    ar: str
    en: str
    sample: dict
    channel: str = "sms"
    en_sample: dict = field(default_factory=dict)  # what the English preview words otherwise

    def sample_for(self, language: str) -> dict:
        """Return the values the preview of the `language` text is made with."""
        return self.sample | (EN_SAMPLE | self.en_sample if language == "en" else {})


# The English preview shows English values where the message would carry them.
EN_SAMPLE = {
    "association": "Sanad Association",
    "next_step": "We will review your details and documents and contact you.",
    "decision": "accepted",
}


EVENTS: dict[str, Event] = {
    e.name: e
    for e in (
        Event(
            "request_received",
            _l("استلام الطلب"),
            "{{ association }}: استلمنا طلبك رقم {{ ref }}. {{ next_step }}"
            "{% if link %} تابعه هنا: {{ link }}{% endif %}",
            "{{ association }}: we received your request {{ ref }}. {{ next_step }}"
            "{% if link %} Follow it here: {{ link }}{% endif %}",
            {"association": "جمعية سند", "ref": "SR-1447-0012",
             "next_step": "سنراجع بياناتك ونتواصل معك.",
             "link": "https://rifd.example.org.sa/r/eyJyIjoiU1ItMTQ0Ny0wMDEyIn0.Z1x"},
        ),
        Event(
            "committee_decision",
            _l("قرار لجنة البحث"),
            "{{ association }}: صدر قرار اللجنة في طلبك {{ ref }}: {{ decision }}. "
            "خطاب القرار لدى الجمعية، تستلمه منها أو نرسله لك.",
            "{{ association }}: the committee decided on your request {{ ref }}: "
            "{{ decision }}. Your letter is ready at the association.",
            {"association": "جمعية سند", "ref": "SR-1447-0012", "decision": "مقبول"},
        ),
        Event(
            "research_visit",
            _l("موعد البحث الاجتماعي"),
            "{{ association }}: أُحيل طلبك {{ ref }} إلى الباحث الاجتماعي، "
            "وسيتصل بك لتحديد موعد الزيارة.",
            "{{ association }}: your request {{ ref }} went to the social researcher, "
            "who will call you to set the visit.",
            {"association": "جمعية سند", "ref": "SR-1447-0012"},
        ),
        Event(
            "something_missing",
            _l("ما ينقص الطلب"),
            "{{ association }}: ينقص طلبك {{ ref }}: {{ missing }}."
            "{% if link %} أرسله من صفحة طلبك: {{ link }}{% else %} أحضره إلى الجمعية.{% endif %}",
            "{{ association }}: your request {{ ref }} lacks: {{ missing }}."
            "{% if link %} Send it from your request's page: {{ link }}"
            "{% else %} Bring it to the association.{% endif %}",
            {"association": "جمعية سند", "ref": "SR-1447-0012",
             "missing": "صورة عقد الإيجار ساري المفعول",
             "link": "https://rifd.example.org.sa/r/eyJyIjoiU1ItMTQ0Ny0wMDEyIn0.Z1x"},
            en_sample={"missing": "A copy of the valid lease"},
        ),
        Event(
            "visit_appointment",
            _l("موعد زيارة الباحث الاجتماعي"),
            "{{ association }}: موعد زيارة الباحث الاجتماعي لطلبك {{ ref }}: "
            "{{ day }} {{ date }} الساعة {{ time }}.{% if note %} {{ note }}{% endif %}",
            "{{ association }}: the social researcher will visit you for your request "
            "{{ ref }} on {{ day }} {{ date }} at {{ time }}.{% if note %} {{ note }}{% endif %}",
            {"association": "جمعية سند", "ref": "SR-1447-0012", "day": "الأحد",
             "date": "1448/06/20 هـ (2026/12/13 م)", "time": "10:30", "note": ""},
            en_sample={"day": "Sunday", "date": "1448/06/20 AH (2026/12/13)"},
        ),
        Event(
            "document_received",
            _l("مستند وصل من المستفيد (بريد للموظفين)"),
            "أرسل المستفيد من صفحة طلبه {{ ref }} مستندًا: {{ what }}.\n{{ case_url }}",
            "The beneficiary sent a document from the page of request {{ ref }}: {{ what }}.\n"
            "{{ case_url }}",
            {"association": "جمعية سند", "ref": "SR-1447-0012", "what": "صورة عقد الإيجار",
             "case_url": "https://rifd.example.org.sa/cases/12"},
            channel="email",
        ),
        Event(
            "survey_after_service",
            _l("رابط الاستبانة بعد الخدمة"),
            "{{ association }}: نشكر لك ثقتك. شاركنا رأيك في الخدمة التي قُدّمت لك: "
            "{{ survey_url }}",
            "{{ association }}: thank you. Tell us what you thought of the service: "
            "{{ survey_url }}",
            {"association": "جمعية سند", "ref": "SR-1447-0012",
             "survey_url": "https://rifd.example.org.sa/f/satisfaction_survey?b=x"},
        ),
        Event(
            "deadline_digest",
            _l("طلبات قرب موعد قرارها (بريد للموظفين)"),
            "طلبات يقترب موعد قرار اللجنة فيها أو فات:\n"
            "{% for r in requests %}- {{ r.ref }}: الموعد {{ r.due }}"
            "{% if r.days_left < 0 %} (متأخر {{ -r.days_left }} يومًا){% else %}"
            " (بقي {{ r.days_left }} يومًا){% endif %}\n{% endfor %}",
            "Requests whose committee deadline is near or past:\n"
            "{% for r in requests %}- {{ r.ref }}: due {{ r.due }} "
            "({{ r.days_left }} days left)\n{% endfor %}",
            {"association": "جمعية سند",
             "requests": [{"ref": "SR-1447-0012", "due": "2026-12-09", "days_left": 2},
                          {"ref": "SR-1447-0009", "due": "2026-12-01", "days_left": -6}]},
            channel="email",
        ),
        Event(
            "program_acceptance",
            _l("القبول في برنامج"),
            "{{ association }}: نسعد بقبولكم في برنامج «{{ program }}»\n"
            "الموعد: {{ date }}{% if time %} {{ time }}{% endif %}\n"
            "{% if place %}المكان: {{ place }}\n{% endif %}"
            "{% if arrangements %}{{ arrangements }}\n{% endif %}"
            "{% if what_to_bring %}أحضر معك: {{ what_to_bring }}{% endif %}",
            "{{ association }}: you are accepted in the program “{{ program }}”\n"
            "When: {{ date }}{% if time %} {{ time }}{% endif %}\n"
            "{% if place %}Where: {{ place }}\n{% endif %}"
            "{% if what_to_bring %}Bring: {{ what_to_bring }}{% endif %}",
            {"association": "جمعية سند", "program": "دورة الحاسب", "date": "1447/06/10",
             "time": "16:00", "place": "مقر الجمعية", "arrangements": "",
             "what_to_bring": "صورة الهوية"},
        ),
    )
}  # fmt: skip


class TemplateProblem(ValueError):
    """A template that cannot be used: the text says why."""


def render(source: str, context: dict) -> str:
    """Return the message a template makes, in the sandbox and on its budget."""
    if len(source) > MAX_TEMPLATE:
        raise TemplateProblem(_l("النص أطول من %(n)s حرف.", n=MAX_TEMPLATE))
    env = sandbox()
    env.autoescape = False  # a text message, not HTML
    try:
        with limits.guarded():
            text = env.from_string(source).render(context)
    except (TemplateError, limits.Overrun, MemoryError) as exc:
        raise TemplateProblem(_l("تعذّر تكوين الرسالة من القالب: %(error)s", error=exc)) from exc
    return text.strip()


# The GSM 7-bit alphabet (and its extension, two septets each): text in it fits 160 a part.
GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€")


def sms_parts(text: str) -> tuple[int, int, str]:
    """Return (length, parts, encoding): 160/153 a part in GSM-7, 70/67 in UCS-2 (Arabic)."""
    if all(ch in GSM7 or ch in GSM7_EXTENDED for ch in text):
        length = sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
        single, multi, encoding = 160, 153, "GSM-7"
    else:
        length = len(text.encode("utf-16-le")) // 2  # an emoji takes two
        single, multi, encoding = 70, 67, "UCS-2"
    if length <= single:
        return length, (1 if length else 0), encoding
    return length, -(-length // multi), encoding
