"""The states of a support request and the moves between them, as the policy orders them.

received -> data verified -> (referred to research) -> declaration signed ->
with the committee -> accepted or rejected -> registered -> served -> closed.
An admin may reopen a closed request: it goes back to the state it was closed from.
Each move names who may make it (a permission), what it needs before it is
allowed, and what the person must enter with it. A move not listed here is
refused: this table is the whole of what the policy allows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

STATES: dict[str, object] = {
    "received": _l("مستلم"),
    "verified": _l("تم التحقق من البيانات"),
    "research": _l("محال للبحث الاجتماعي"),
    "declared": _l("تم توقيع الإقرار"),
    "committee": _l("لدى لجنة البحث"),
    "accepted": _l("مقبول"),
    "rejected": _l("مرفوض"),
    "registered": _l("مسجل"),
    "served": _l("قُدّمت الخدمة"),
    "closed": _l("مغلق"),
}
# The states in which the committee has not yet decided: the deadline still runs.
OPEN = frozenset({"received", "verified", "research", "declared", "committee"})
DECIDED = frozenset({"accepted", "rejected", "registered", "served", "closed"})

# What the policy asks staff to do next in each state.
NEXT_STEP: dict[str, object] = {
    "received": _l(
        "طابق بيانات الطلب مع المستندات وتحقق من صلاحيتها، ثم أكّد كل بند في قائمة التحقق. "
        "إن لم تتضح الإجراءات للمستفيد فأحله إلى الباحث الاجتماعي."
    ),
    "verified": _l("أصدر إقرار صحة البيانات ليوقعه المستفيد، أو أحل الطلب إلى الباحث الاجتماعي."),
    "research": _l("يعبّئ الباحث الاجتماعي نموذج البحث الاجتماعي للطلب ثم يعيده."),
    "declared": _l("أبلغ المستفيد أن طلبه سيُرفع إلى لجنة البحث، ثم ارفعه إليها."),
    "committee": _l("تقرر لجنة البحث قبول الطلب أو رفضه قبل موعد القرار، مع رقم الاجتماع."),
    "accepted": _l("أصدر خطاب القبول واستكمل إجراءات التسجيل."),
    "rejected": _l("أصدر خطاب الاعتذار مع السبب وطريقة إعادة التقديم أو التظلم، ثم أغلق الطلب."),
    "registered": _l("قدّم الخدمة ووثّق وصولها للمستفيد."),
    "served": _l("وثّق كل خدمة تُقدَّم، وأغلق الطلب عند اكتمالها."),
    "closed": _l("الطلب مغلق."),
}

DEFAULT_CHECKLIST = (
    "مطابقة رقم الهوية أو الإقامة مع صورة الهوية وسريانها",
    "التأكد من بيانات التواصل والعنوان الوطني",
    "مطابقة أفراد الأسرة مع سجل الأسرة أو الإقامات",
    "التحقق من مستندات الدخل والمصروفات والديون",
    "التحقق من عقد الإيجار أو ملكية السكن",
    "مطابقة الآيبان مع شهادة الحساب البنكي عند طلب دعم نقدي",
    "اكتمال المرفقات المطلوبة",
)


@dataclass(frozen=True)
class Move:
    """One move the policy allows: from which states, to which, by whom, needing what."""

    name: str
    label: object
    sources: frozenset[str]
    target: str  # "" when the move goes back where the request came from
    permission: str
    needs_note: bool = False
    needs: tuple[str, ...] = ()  # checks made by cases.service before moving
    fields: tuple[str, ...] = field(default=())  # what the person enters with the move
    # The question the page asks before a move that decides or ends the request
    # (static/js/page.js asks it); such a move is never the box opened by default.
    confirm: object = None


MOVES: dict[str, Move] = {
    m.name: m
    for m in (
        Move(
            "verify",
            _l("تأكيد التحقق من البيانات"),
            frozenset({"received"}),
            "verified",
            "cases.intake",
            needs=("checklist",),
        ),
        Move(
            "refer",
            _l("إحالة إلى الباحث الاجتماعي"),
            frozenset({"received", "verified"}),
            "research",
            "cases.intake",
            needs_note=True,
        ),
        Move(
            "research_done",
            _l("إنهاء البحث الاجتماعي وإعادة الطلب"),
            frozenset({"research"}),
            "",
            "cases.research",
            needs=("research",),
        ),
        Move(
            "declare",
            _l("تأكيد توقيع المستفيد على الإقرار"),
            frozenset({"verified"}),
            "declared",
            "cases.intake",
            needs=("declaration",),
        ),
        Move(
            "submit",
            _l("رفع الطلب إلى لجنة البحث"),
            frozenset({"declared"}),
            "committee",
            "cases.intake",
        ),
        Move(
            "accept",
            _l("قبول الطلب"),
            frozenset({"committee"}),
            "accepted",
            "cases.decide",
            fields=("meeting_number", "reasons", "support_types", "amount"),
            confirm=_l("قبول الطلب قرار للجنة يُبلَّغ للمستفيد. هل تريد تسجيل القبول؟"),
        ),
        Move(
            "reject",
            _l("رفض الطلب"),
            frozenset({"committee"}),
            "rejected",
            "cases.decide",
            fields=("meeting_number", "reasons", "reapply_after", "appeal"),
            confirm=_l("رفض الطلب قرار للجنة يُبلَّغ للمستفيد. هل تريد تسجيل الرفض؟"),
        ),
        Move(
            "return_to_research",
            _l("إعادة الطلب للبحث الاجتماعي"),
            frozenset({"committee"}),
            "research",
            "cases.decide",
            needs_note=True,
        ),
        Move(
            "register",
            _l("استكمال التسجيل"),
            frozenset({"accepted"}),
            "registered",
            "cases.intake",
        ),
        Move(
            "serve",
            _l("توثيق تقديم الخدمة"),
            frozenset({"registered", "served"}),
            "served",
            "cases.intake",
            needs=("delivery",),
            fields=("proof", "service_date", "service_note", "kind", "amount", "quantity"),
        ),
        Move(
            "close",
            _l("إغلاق الطلب"),
            frozenset({"served", "rejected"}),
            "closed",
            "cases.intake",
            confirm=_l("بعد الإغلاق لا يتحرك الطلب إلا إذا أعاد مدير النظام فتحه. هل تريد إغلاقه؟"),
        ),
        Move(
            "withdraw",
            _l("إغلاق الطلب دون قرار (انسحاب أو تكرار)"),
            frozenset({"received", "verified", "research", "declared"}),
            "closed",
            "cases.intake",
            needs_note=True,
            confirm=_l(
                "سيُغلق الطلب دون قرار ولا يتحرك بعدها إلا إذا أعاد مدير النظام فتحه. "
                "هل تريد إغلاقه؟"
            ),
        ),
        Move(
            "reopen",
            _l("إعادة فتح الطلب"),
            frozenset({"closed"}),
            "",  # back to the state it was closed from (cases.service.target_of)
            "cases.reopen",
            needs_note=True,
        ),
    )
}

# The box a request's page opens by default: the policy's next step in each state, and
# never a move that decides or ends the request (those wait for a deliberate click).
DEFAULT_MOVE: dict[str, str] = {
    "received": "verify",
    "verified": "declare",
    "research": "research_done",
    "declared": "submit",
    "accepted": "register",
    "registered": "serve",
    "served": "serve",
}


def moves_from(state: str) -> list[Move]:
    """Return the moves the policy allows from `state`, in the table's order."""
    return [move for move in MOVES.values() if state in move.sources]


def default_move(state: str, allowed: list[Move]) -> str:
    """Return the name of the move whose box opens by default, or "" for none."""
    name = DEFAULT_MOVE.get(state, "")
    return name if any(m.name == name and m.confirm is None for m in allowed) else ""
