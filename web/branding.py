"""The association on its public pages: its name and logo where a beneficiary looks.

A beneficiary opening a survey link, the thank-you page or a letter's QR code
should see whose page it is. The logo is the one the profile names
(`flask --app app association logo`), served by a route that takes no digest, so
no other stored file (ID copies, signatures) can be reached through it.
"""

from __future__ import annotations

import io

from flask import Blueprint, abort, send_file

import store
from association.profile import current as current_profile
from forms.definition import localized
from store import StoreError
from web.i18n import current_lang

bp = Blueprint("branding", __name__)


def _logo_digest(profile: dict | None = None) -> str:
    """Return the digest of the stored logo, or "" when there is none to show."""
    profile = profile if profile is not None else current_profile(store.get_store())
    digest = profile.get("logo_sha256") or ""
    try:
        # A broken or dangling reference means no logo: never an error page.
        return digest if digest and store.get_store().has_file(digest) else ""
    except StoreError:
        return ""


@bp.get("/association/logo.png")
def logo():
    """Serve the association's logo, and nothing else."""
    digest = _logo_digest()
    if not digest:
        abort(404)
    data = store.get_store().read_file(digest)
    return send_file(io.BytesIO(data), mimetype="image/png", download_name="logo.png")


def association() -> dict:
    """Return the association's name (in the page's language) and whether it has a logo."""
    profile = current_profile(store.get_store())
    name = profile.get("name")
    shown = localized(name, current_lang()) if isinstance(name, dict) else str(name or "")
    return {"name": shown, "logo": bool(_logo_digest(profile))}


def init_app(app) -> None:
    app.register_blueprint(bp)
    # A function, called by the public pages only: staff pages read no profile for it.
    app.context_processor(lambda: {"association": association})
