"""The audit trail in words: what was done, to what, and what changed, as a person reads it.

Entries keep short codes ("case.accept", "submission:support_request", {"state": ...});
the page says them in the reader's language. A code no list here knows is shown as it
is, so a new action is never hidden, only less readable until it gets its words.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from cases.workflow import MOVES, STATES
from forms.definition import localized
from quality.followups import KINDS
from quality.followups import STATES as FOLLOWUP_STATES
from web.i18n import current_lang

ACTIONS = {
    "create": _l("إنشاء"),
    "update": _l("تعديل"),
    "delete": _l("حذف"),
    "open": _l("فتح طلب"),
    "link": _l("ربط البحث الاجتماعي بالطلب"),
    "issue": _l("إصدار خطاب"),
    "issue_bulk": _l("إصدار خطابات جماعي"),
    "archive": _l("أرشفة نسخة PDF"),
    "void": _l("إلغاء خطاب صدر بالخطأ"),
    "download": _l("تنزيل"),
    "export": _l("تصدير"),
    "start_export": _l("بدء تصدير"),
    "search": _l("بحث برقم كامل"),
    "reveal": _l("إظهار رقم كامل"),
    "publish": _l("نشر"),
    "import": _l("استيراد"),
    "save_draft": _l("حفظ مسودة نموذج"),
    "start_draft": _l("بدء مسودة نموذج"),
    "keep_draft": _l("حفظ مسودة تعبئة"),
    "correct": _l("تصحيح إجابات"),
    "discard_draft": _l("حذف مسودة تعبئة"),
    "upload": _l("رفع ملف"),
    "erase": _l("محو بيانات شخص"),
    "login": _l("تسجيل الدخول"),
    "login_failed": _l("محاولة دخول فاشلة"),
    "logout": _l("تسجيل الخروج"),
    "password_failed": _l("كلمة مرور حالية خاطئة"),
    "change_password": _l("تغيير كلمة المرور"),
    "reset_password": _l("كلمة مرور مؤقتة جديدة"),
    "set_roles": _l("تغيير الأدوار"),
    "set_full_name": _l("تغيير الاسم الكامل"),
    "enable": _l("تفعيل حساب"),
    "disable": _l("إيقاف حساب"),
    "end_sessions": _l("إخراج من كل الأجهزة"),
    "set_retention": _l("تغيير مدة الاحتفاظ"),
    "remove_personal_defaults": _l("إزالة قيم شخصية افتراضية"),
    "followup.open": _l("فتح متابعة"),
    "followup.note": _l("تسجيل ما تم في متابعة"),
    "followup.close": _l("إغلاق متابعة"),
    "followup.reopen": _l("إعادة فتح متابعة"),
    "register": _l("تسجيل في برنامج"),
    "review": _l("مراجعة تسجيل في برنامج"),
    "walk_in": _l("تسجيل حاضر دون تسجيل مسبق"),
    "attendance": _l("تسجيل الحضور"),
    "attach_sheet": _l("إرفاق كشف حضور موقّع"),
    "attach_event_file": _l("إرفاق توثيق فعالية"),
    "record": _l("تسجيل تسليم"),
    "attach": _l("إرفاق إثبات"),
    "sign": _l("توقيع المستلم"),
    "confirm": _l("تأكيد البنك للتحويلات"),
    "requeue": _l("إعادة إرسال رسالة"),
    "refuse_messages": _l("تسجيل رفض المستفيد للرسائل"),
    "allow_messages": _l("إلغاء رفض المستفيد للرسائل"),
    "ask_missing": _l("تسجيل ناقص في الطلب"),
    "settle_missing": _l("تسجيل وصول ناقص"),
    "schedule_visit": _l("تحديد موعد زيارة البحث الاجتماعي"),
    "message_language": _l("تغيير لغة رسائل المستفيد"),
    "send_code": _l("إرسال رمز دخول إلى صفحة الطلب"),
    "enter_code": _l("دخول المستفيد إلى صفحة طلبه بالرمز"),
    "wrong_code": _l("رمز دخول خاطئ لصفحة الطلب"),
    "view": _l("اطلاع المستفيد على صفحة طلبه"),
}
ENTITIES = {
    "case": _l("طلب"),
    "letter": _l("خطاب"),
    "letters_register": _l("سجل الصادر"),
    "letter_template": _l("قالب خطاب"),
    "user": _l("مستخدم"),
    "beneficiary": _l("مستفيد"),
    "person": _l("صاحب بيانات"),
    "holiday": _l("إجازة"),
    "policy_profile": _l("ملف السياسة"),
    "policy_document": _l("وثيقة من وثائق السياسة"),
    "form": _l("نموذج"),
    "form_draft": _l("مسودة نموذج"),
    "submission_draft": _l("مسودة تعبئة"),
    "job": _l("مهمة في الخلفية"),
    "audit": _l("سجل التدقيق"),
    "program": _l("برنامج"),
    "settings": _l("الإعدادات"),
    "followup": _l("متابعة تقييم أو شكوى"),
    "followup_rule": _l("ما يفتح متابعة في نموذج"),
    "program_registration": _l("تسجيل في برنامج"),
    "delivery": _l("سجل تسليم"),
    "transfer_batch": _l("دفعة تحويلات بنكية"),
    "message": _l("رسالة إلى مستفيد"),
    "message_event": _l("رسالة حدث"),
    "message_settings": _l("إعدادات الرسائل"),
    "public_address": _l("عنوان الموقع العام"),
}
# Keys of the before/after of an entry, in words (anything else shows as its code).
KEYS = {
    "state": _l("الحالة"),
    "ref": _l("الرقم المرجعي"),
    "note": _l("ملاحظة"),
    "reasons": _l("الأسباب"),
    "number": _l("الرقم"),
    "template": _l("القالب"),
    "recipient": _l("المستلم"),
    "submission": _l("الطلب"),
    "case": _l("رقم الطلب"),
    "roles": _l("الأدوار"),
    "username": _l("اسم المستخدم"),
    "full_name": _l("الاسم الكامل"),
    "active": _l("نشط"),
    "field": _l("الحقل"),
    "value": _l("القيمة"),
    "found": _l("وُجد"),
    "count": _l("العدد"),
    "records": _l("السجلات"),
    "version": _l("الإصدار"),
    "session_version": _l("إصدار الجلسة"),
    "must_change_password": _l("كلمة مرور مؤقتة"),
    "form_id": _l("النموذج"),
    "reason": _l("السبب"),
    "files": _l("الملفات"),
    "meeting_number": _l("رقم الاجتماع"),
    "amount": _l("المبلغ"),
    "support_types": _l("أنواع الدعم"),
    "research": _l("البحث الاجتماعي"),
    "why": _l("السبب"),
    "void": _l("ملغى"),
    "left_out": _l("طلبات تُركت لأن لها الخطاب"),
    "followup_state": _l("حالة المتابعة"),
    "resolution": _l("ما انتهت إليه"),
    "on_time": _l("في موعد الرد"),
    "kind": _l("النوع"),
    "scores": _l("حدود التقييمات"),
    "choices": _l("الاختيارات"),
    "every": _l("كل إجابة"),
    "respond": _l("تحتاج ردًا"),
    "at_most": _l("الحد"),
}


def action_text(action: str) -> str:
    if action.startswith("case."):
        move = MOVES.get(action[5:])
        return str(move.label) if move else action
    return str(ACTIONS.get(action, action))


def _form_title(form_id: str) -> str:
    form = current_app.extensions["rifd_forms"].get(form_id)
    return form.title(current_lang()) if form else form_id


def entity_text(entity: str) -> str:
    kind, _sep, form_id = entity.partition(":")
    if kind == "submission" and form_id:
        return _("إجابة نموذج «%(title)s»", title=_form_title(form_id))
    return str(ENTITIES.get(entity, entity))


def _value_text(key: str, value) -> str:
    if isinstance(value, bool):
        return _("نعم") if value else _("لا")
    if key == "state" and value in STATES:
        return str(STATES[value])
    if key == "followup_state" and value in FOLLOWUP_STATES:
        return str(FOLLOWUP_STATES[value])
    if key == "kind" and value in KINDS:
        return str(KINDS[value])
    if isinstance(value, list):
        return "، ".join(_value_text(key, v) for v in value)
    if isinstance(value, dict):
        return "؛ ".join(f"{_key_text(k, None)}: {_value_text(k, v)}" for k, v in value.items())
    return "" if value is None else str(value)


def _key_text(key: str, labels: dict | None) -> str:
    if labels and key in labels:
        return labels[key]
    return str(KEYS.get(key, key))


def readable(entity: str, value) -> list[tuple[str, str]]:
    """Return a before/after as (what, value) lines; a submission's keys by their labels."""
    if value is None:
        return []
    if not isinstance(value, dict):
        return [("", _value_text("", value))]
    labels = None
    kind, _sep, form_id = entity.partition(":")
    if kind == "submission" and form_id:
        form = current_app.extensions["rifd_forms"].get(form_id)
        if form is not None:
            lang = current_lang()
            labels = {f["name"]: localized(f.get("label"), lang) for f in form.answer_fields()}
    return [(_key_text(k, labels), _value_text(k, v)) for k, v in value.items()]
