"""Sample data for previews: what a designer sees before any real letter exists."""

from __future__ import annotations

import json

from forms.dates import format_date
from letters.context import association, dates, logo_image
from letters.images import Image
from letters.issue import qr_png
from letters.templates import SHIPPED


def sample_context(name: str, profile: dict, read_file=None) -> dict:
    """Return the sample context of template `name` with the association's own letterhead."""
    path = SHIPPED / "samples" / f"{name}.json"
    sample = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    sample["association"] = {**sample.get("association", {}), **association(profile)}
    if read_file is not None:
        sample["association"]["logo"] = logo_image(profile, read_file)
    sample.setdefault(
        "letter", {"number": "1448/000000", "verify_code": "SAMPLE", **dates("2026-11-25")}
    )
    sample.setdefault("today", format_date("2026-11-25", "ar"))
    sample["qr"] = Image(qr_png("https://rifd.example/verify/SAMPLE"), width_mm=22)
    sample.setdefault("signature", "")
    return sample
