"""The admin's gateway settings page, and the gateways' delivery reports (callbacks)."""

from __future__ import annotations

import hashlib
import hmac

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

import store
from messages import sender
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
    if not hmac.compare_digest(token, callback_token()):
        return {"ok": False}, 404
    body = request.get_json(silent=True) if request.is_json else request.form
    body = body if isinstance(body, dict) or hasattr(body, "get") else {}
    provider_id = str(body.get("messageId") or body.get("MessageID") or "")[:64]
    status = str(body.get("status") or body.get("Status") or "")[:40]
    found = sender.delivered(store.get_store(), provider_id, status)
    return {"ok": found}, (200 if found else 404)
