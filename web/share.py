"""Sharing a public form: its link to copy, a QR code (PNG, SVG), an A4 poster, WhatsApp.

Every link is built on the association's public address (web/site_address.py), never
on the Host header of the request that asked: a poster printed from a page opened on
http://192.168.1.5 must still send people to the association's own site.
"""

from __future__ import annotations

import io

from flask import Blueprint, abort, render_template, send_file, url_for
from flask_babel import gettext as _

from forms.sharing import QR_KINDS, qr_code, whatsapp_link
from web.branding import association
from web.i18n import current_lang
from web.public import public_form_or_404
from web.site_address import public_url

bp = Blueprint("share", __name__, url_prefix="/forms/<form_id>/share")


def public_link(form, **args) -> str:
    """Return the address people open to fill `form`, on the public address."""
    return public_url().rstrip("/") + url_for("public.form", form_id=form.id, **args)


def share_page(title: str, link: str, endpoint: str, back: tuple[str, str], **args):
    """Render the share page of a public link: `endpoint` serves its QR code and poster
    (endpoint.qr, endpoint.poster) given `args`; `back` is (address, words)."""
    prefix = endpoint.rsplit(".", 1)[0]
    return render_template(
        "share/page.html",
        heading=_("مشاركة الرابط") if prefix != "share" else _("مشاركة النموذج"),
        title=title,
        link=link,
        whatsapp=whatsapp_link(f"{title}\n{link}"),
        qr_urls={kind: url_for(f"{prefix}.qr", kind=kind, **args) for kind in QR_KINDS},
        poster_url=url_for(f"{prefix}.poster", **args),
        back_url=back[0],
        back_text=back[1],
    )


def qr_file(link: str, kind: str, name: str):
    """Send the QR code of `link` as a PNG or SVG download."""
    if kind not in QR_KINDS:
        abort(404)
    return send_file(
        io.BytesIO(qr_code(link, kind)),
        as_attachment=True,
        download_name=f"{name}-qr.{kind}",
        mimetype=QR_KINDS[kind],
    )


@bp.get("/")
def page(form_id: str):
    form = public_form_or_404(form_id)
    back = (url_for("staff.forms"), _("العودة إلى النماذج"))
    return share_page(
        form.title(current_lang()), public_link(form), "share.page", back, form_id=form.id
    )


@bp.get("/qr.<kind>")
def qr(form_id: str, kind: str):
    form = public_form_or_404(form_id)
    return qr_file(public_link(form), kind, form.id)


@bp.get("/poster")
def poster(form_id: str):
    """An A4 page to print and hang: the association, the form's title, the QR code."""
    form = public_form_or_404(form_id)
    return render_template(
        "share/poster.html",
        title=form.title(current_lang()),
        lead=form.description(current_lang()),
        qr_svg=url_for("share.qr", form_id=form.id, kind="svg"),
        link=public_link(form),
        assoc=association(),
    )
