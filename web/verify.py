"""The public page a letter's QR code opens: is this letter genuine?"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_wtf import FlaskForm
from wtforms import FileField

import store
from forms.saudi import mask
from letters.context import LETTER_TYPES, dates
from letters.issue import find_by_code, is_genuine

bp = Blueprint("verify", __name__, url_prefix="/verify")
MAX_UPLOAD = 10 * 1024 * 1024


class CheckForm(FlaskForm):
    file = FileField()


def _masked_name(name: str) -> str:
    """Show the first name and the initials of the rest: enough to recognise, not to expose."""
    parts = name.split()
    return " ".join(parts[:1] + [p[0] + "." for p in parts[1:]]) if parts else ""


@bp.route("/<code>", methods=["GET", "POST"])
def letter(code: str):
    record = find_by_code(store.get_store(), code[:40])
    if record is None:
        abort(404)
    check = CheckForm()
    verdict = None
    if request.method == "POST" and check.validate() and getattr(check.file.data, "filename", ""):
        data = check.file.data.stream.read(MAX_UPLOAD + 1)
        verdict = len(data) <= MAX_UPLOAD and is_genuine(record, data)
    shown = {
        "number": record["number"],
        "date": dates(record["date"])["date"],
        # A template of the association's own is named by its template name.
        "type": LETTER_TYPES.get(record["letter_type"])
        or {"ar": record["letter_type"], "en": record["letter_type"]},
        "recipient": _masked_name(record.get("recipient", "")),
        "code": mask(record["code"], 2, 2),
        # A voided letter's page says so, when and why: a printed copy stands for nothing.
        "void": (
            {"date": dates(record["void"]["on"])["date"], "reason": record["void"]["reason"]}
            if record.get("void")
            else None
        ),
    }
    return render_template("letters/verify.html", shown=shown, check=check, verdict=verdict)
