"""The admin's setting of the association's public address, which every letter's QR code uses."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

import store
from accounts import audit as trail
from letters import address
from web.auditing import actor

bp = Blueprint("site_address", __name__)


def public_url() -> str:
    """Return where this Rifd's letters are verified (never the request's Host header)."""
    return address.public_url(store.get_store())


def missing() -> bool:
    """Tell whether no public address is set, so letters would point at this machine."""
    return not address.configured(store.get_store())


@bp.app_context_processor
def letters_address() -> dict:
    """Let the pages that issue letters warn when no public address is set."""
    return {"public_address_missing": missing, "public_address_fallback": address.fallback}


@bp.route("/settings/address", methods=["GET", "POST"])
def settings():
    """Read or set the public address (admin)."""
    data = store.get_store()
    error = ""
    value = address.configured(data)
    if request.method == "POST":
        value = (request.form.get("public_url") or "").strip()[: address.MAX_LENGTH + 1]
        try:
            cleaned = address.clean(value)
        except address.AddressError:
            error = _(
                "اكتب عنوانًا كاملًا يبدأ بـ https:// مثل https://rifd.example.org.sa، "
                "بلا مسافات ولا علامة ? أو #."
            )
        if not FlaskForm().validate():
            error = _("انتهت صلاحية الصفحة. أعد المحاولة.")
        if not error:
            with data.transaction() as tx:
                before, after = address.save(tx, data, cleaned)
                trail.write(
                    tx,
                    actor(),
                    "update",
                    "public_address",
                    1,
                    before={"public_url": before},
                    after={"public_url": after},
                )
            flash(_("حُفظ العنوان العام. تشير إليه رموز التحقق في الخطابات من الآن."), "notice")
            return redirect(url_for("site_address.settings"))
    return render_template(
        "settings/address.html",
        value=value,
        error=error,
        fallback=address.fallback(),
        token_form=FlaskForm(),
    ), (400 if error else 200)
