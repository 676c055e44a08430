"""Sharing a public form: its link to copy, a QR code (PNG, SVG), an A4 poster, WhatsApp.

Every link is built on the association's public address (web/site_address.py), never
on the Host header of the request that asked: a poster printed from a page opened on
http://192.168.1.5 must still send people to the association's own site.
"""

from __future__ import annotations

import io

from flask import Blueprint, abort, render_template, send_file, url_for

from forms.sharing import QR_KINDS, qr_code, whatsapp_link
from web.branding import association
from web.i18n import current_lang
from web.public import public_form_or_404
from web.site_address import public_url

bp = Blueprint("share", __name__, url_prefix="/forms/<form_id>/share")


def public_link(form, **args) -> str:
    """Return the address people open to fill `form`, on the public address."""
    return public_url().rstrip("/") + url_for("public.form", form_id=form.id, **args)


@bp.get("/")
def page(form_id: str):
    form = public_form_or_404(form_id)
    link = public_link(form)
    return render_template(
        "share/page.html",
        form=form,
        link=link,
        whatsapp=whatsapp_link(f"{form.title(current_lang())}\n{link}"),
    )


@bp.get("/qr.<kind>")
def qr(form_id: str, kind: str):
    form = public_form_or_404(form_id)
    if kind not in QR_KINDS:
        abort(404)
    data = qr_code(public_link(form), kind)
    return send_file(
        io.BytesIO(data),
        as_attachment=True,
        download_name=f"{form.id}-qr.{kind}",
        mimetype=QR_KINDS[kind],
    )


@bp.get("/poster")
def poster(form_id: str):
    """An A4 page to print and hang: the association, the form's title, the QR code."""
    form = public_form_or_404(form_id)
    return render_template(
        "share/poster.html", form=form, link=public_link(form), assoc=association()
    )
