"""The admin's gateway settings page, and the gateways' delivery reports (callbacks)."""

from __future__ import annotations

import hashlib
import hmac

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

import store
from messages import events, sender, templates
from messages import settings as gateway_settings
from web.auditing import actor
from web.extensions import csrf
from web.site_address import public_url

bp = Blueprint("message_settings", __name__)
FIELDS = {
    "provider": _l("مزود الرسائل النصية"),
    "sender": _l("اسم المرسل"),
    "key": _l("المفتاح السري"),
    "user": _l("اسم المستخدم"),
    "base_url": _l("عنوان الخدمة"),
    "smtp_url": _l("عنوان خادم البريد"),
    "staff_emails": _l("بريد الموظفين لتنبيهات المواعيد"),
    "quiet_from": _l("بداية ساعات الهدوء"),
    "quiet_until": _l("نهاية ساعات الهدوء"),
    "sms_per_day": _l("أقصى عدد رسائل نصية للرقم الواحد في اليوم"),
}


def callback_token() -> str:
    """Return the secret part of the delivery-report address (the gateway signs nothing)."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, b"unifonic-delivery-report", hashlib.sha256).hexdigest()[:32]


@bp.route("/settings/messages", methods=["GET", "POST"])
def settings():
    """Read or set the SMS gateway and the mail server (admin); secrets never shown whole."""
    data = store.get_store()
    error = ""
    if request.method == "POST":
        if not FlaskForm().validate():
            error = _("انتهت صلاحية الصفحة. أعد المحاولة.")
        else:
            try:
                gateway_settings.save(data, request.form, actor())
            except gateway_settings.SettingsError as exc:
                error = _("قيمة غير صالحة في الحقل: %(field)s", field=FIELDS.get(exc.args[0], ""))
        if not error:
            flash(_("حُفظت إعدادات الرسائل."), "notice")
            return redirect(url_for("message_settings.settings"))
    callback = public_url() + url_for("message_settings.unifonic_report", token=callback_token())
    return render_template(
        "settings/messages.html",
        values=gateway_settings.shown(data),
        providers=gateway_settings.PROVIDERS,
        labels=FIELDS,
        error=error,
        callback=callback,
        token_form=FlaskForm(),
    ), (400 if error else 200)


@bp.post("/messages/unifonic/status/<token>")
@csrf.exempt
def unifonic_report(token: str):
    """Take Unifonic's delivery report for a message it numbered (form or JSON)."""
    if not hmac.compare_digest(token.encode(), callback_token().encode()):
        return {"ok": False}, 404
    body = request.get_json(silent=True) if request.is_json else request.form
    body = body if isinstance(body, dict) or hasattr(body, "get") else {}
    provider_id = str(body.get("messageId") or body.get("MessageID") or "")[:64]
    status = str(body.get("status") or body.get("Status") or "")[:40]
    found = sender.delivered(store.get_store(), provider_id, status)
    return {"ok": found}, (200 if found else 404)


@bp.get("/settings/messages/events")
def events_page():
    """The events that send a message: each switched on or off, its texts, a preview."""
    data = store.get_store()
    return render_template("settings/message_events.html", rows=_rows(data), token_form=FlaskForm())


def _rows(data, edited: dict | None = None) -> list[dict]:
    rows = []
    for name, event in templates.EVENTS.items():
        sources = {lang: events.template(data, name, lang) for lang in events.LANGUAGES}
        row = {"name": name, "title": event.title, "on": events.enabled(data, name)}
        row |= {"sources": sources, "preview": None, "error": ""}
        if edited and edited["name"] == name:
            row |= edited
        rows.append(row)
    return rows


def _preview(name: str, sources: dict) -> dict:
    out = {}
    for lang, source in sources.items():
        made = templates.render(source, templates.EVENTS[name].sample_for(lang))
        length, parts, encoding = templates.sms_parts(made)
        out[lang] = {"text": made, "length": length, "parts": parts, "encoding": encoding}
    return out


@bp.post("/settings/messages/events/<name>")
def save_event(name: str):
    """Preview an event's texts, or keep them with its switch (quality officer)."""
    if name not in templates.EVENTS:
        return redirect(url_for("message_settings.events_page"))
    if not FlaskForm().validate():
        flash(_("انتهت صلاحية الصفحة. أعد المحاولة."), "error")
        return redirect(url_for("message_settings.events_page"))
    data = store.get_store()
    sources = {
        lang: (request.form.get(lang) or "")[: templates.MAX_TEMPLATE + 1]
        for lang in events.LANGUAGES
    }
    on = request.form.get("on") == "yes"
    edited = {"name": name, "sources": sources, "on": on, "preview": None, "error": ""}
    try:
        edited["preview"] = _preview(name, sources)
        if request.form.get("action") != "preview":
            events.save(data, name, on, sources, actor())
            flash(_("حُفظت رسالة الحدث."), "notice")
            return redirect(url_for("message_settings.events_page") + f"#{name}")
    except templates.TemplateProblem as problem:
        edited["error"] = str(problem)
    status = 400 if edited["error"] else 200
    return render_template(
        "settings/message_events.html", rows=_rows(data, edited), token_form=FlaskForm()
    ), status
