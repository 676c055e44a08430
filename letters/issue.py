"""Issue a letter: render it, give it the next outgoing number, archive it, register it.

The outgoing register (سجل الصادر) is the counter: the next number comes
from its newest entry, read under one lock that also covers the render and
the archive. So a number is used only by a letter that rendered and was
stored, and the next letter takes the next number: none reused, none skipped,
whoever issues at the same time and whatever crashes in between. A letter voided
later (cases/operations.py) stays in the register with its number, marked "void".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import secrets
from collections.abc import Callable
from dataclasses import dataclass

import segno

from forms.dates import hijri_year
from forms.invisible import strip_invisible
from letters.context import LETTER_TYPES, dates
from letters.images import Image
from letters.render import LetterError, render_letter

REGISTER = "letters"
DEFAULT_PATTERN = "{year}/{seq:06d}"
# Letters numbered in a series of their own, apart from the outgoing register's numbers:
# letter type -> its number pattern. Disbursement (صرف) and receipt (قبض) vouchers. A Latin
# prefix, as requests' references have: an Arabic letter inside a number isolated left to
# right was reordered in the PDF (tests/letters/test_pdf_complete.py caught it).
SERIES = {
    "disbursement_voucher": "DV/{year}/{seq:06d}",
    "receipt_voucher": "RV/{year}/{seq:06d}",
}
# No 0/O, 1/I/L: a code read aloud or typed from paper survives.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class TemplateVersion:
    name: str
    version: int
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def new_code(length: int = 10) -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(length))


def qr_png(text: str) -> bytes:
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=6, border=2)
    return out.getvalue()


def format_number(pattern: str, year: int, seq: int) -> str:
    """Format an outgoing number; a pattern must use {seq} (and may use {year})."""
    try:
        text = pattern.format(year=year, seq=seq)
    except (KeyError, IndexError, ValueError) as exc:
        raise LetterError(f"the letter number pattern {pattern!r} is not valid ({exc})") from None
    if "{seq" not in pattern:
        raise LetterError(f"the letter number pattern {pattern!r} must contain {{seq}}")
    return text


def _newest(store, letter_type: str) -> dict | None:
    """Return the newest letter of letter_type's series (its letter type, or the rest)."""
    if letter_type in SERIES:
        items, _total = store.page(REGISTER, where={"letter_type": letter_type}, limit=1)
        return items[0] if items else None
    items, _total = store.page(REGISTER, limit=1, newest_first=True)
    if not items or items[0].get("letter_type") not in SERIES:
        return items[0] if items else None
    # A voucher is the newest entry: the outgoing series' newest is the newest of its
    # letter types, each found by the index (a handful of types, one row each).
    kinds = [k for k in store.tally(REGISTER, "letter_type") if k not in SERIES]
    found = [store.page(REGISTER, where={"letter_type": k}, limit=1)[0] for k in kinds]
    return max((x[0] for x in found if x), key=lambda r: r["id"], default=None)


def _next(store, year: int, pattern: str, letter_type: str = "") -> int:
    """Return the next sequence number: per Hijri year when the pattern prints the year."""
    last = _newest(store, letter_type)
    if last is None:
        return 1
    # A pattern without {year} would print 000001 again after 1 Muharram: it
    # never starts over, so a number is never given twice.
    if "{year" in pattern and last.get("year") != year:
        return 1
    return last["seq"] + 1


def issue(
    store,
    template: TemplateVersion,
    context: dict,
    *,
    letter_type: str,
    recipient: str,
    issued_by: str,
    answers: dict | None = None,
    attachments: str = "",
    base_url: str = "",
    pattern: str = DEFAULT_PATTERN,
    today: dt.date | None = None,
    audit: Callable[[object, dict], None] | None = None,
) -> dict:
    """Render, number, archive and register one letter; return its register record.

    `audit(tx, record)` writes the audit entry in the transaction that registers the
    letter, so a letter is never in the register without it (cases/operations.py).
    """
    today = today or dt.date.today()
    code = new_code()
    verify_url = f"{base_url.rstrip('/')}/verify/{code}"
    context = {**context, "qr": Image(qr_png(verify_url), width_mm=22)}
    year = hijri_year(today)
    pattern = SERIES.get(letter_type, pattern)
    with store.lock("letters"):
        seq = _next(store, year, pattern, letter_type)
        number = format_number(pattern, year, seq)
        context["letter"] = {
            "number": number,
            "type_name": LETTER_TYPES.get(letter_type, {}).get("ar", letter_type),
            "attachments": strip_invisible(attachments),
            "verify_code": code,
            "verify_url": verify_url,
            **dates(today),
        }
        rendered = render_letter(template.data, context)
        digest = store.put_file(rendered.data)
        record = {
            "number": number,
            "year": year,
            "seq": seq,
            "date": today.isoformat(),
            "issued_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "letter_type": letter_type,
            "template": {
                "name": template.name,
                "version": template.version,
                "sha256": template.sha256,
            },
            "recipient": recipient,
            "issued_by": issued_by,
            "answers": answers or {},
            "sha256": digest,
            "size": len(rendered.data),
            "code": code,
            "missing": rendered.missing,
        }
        with store.transaction() as tx:
            record["id"] = tx.insert(REGISTER, record)
            if audit is not None:
                audit(tx, record)
    return record


def is_void(record: dict) -> bool:
    """Tell whether a letter was voided: it stays in the register and keeps its number."""
    return bool(record.get("void"))


def find_by_code(store, code: str) -> dict | None:
    code = code.strip().upper()
    if not code or any(ch not in _CODE_ALPHABET for ch in code):
        return None
    found = store.find(REGISTER, where={"code": code})
    return found[0] if found else None


def is_genuine(record: dict, data: bytes) -> bool:
    """Tell whether `data` is exactly the letter issued (as .docx or its archived PDF)."""
    digest = hashlib.sha256(data).hexdigest()
    return digest in {record.get("sha256"), record.get("pdf_sha256")}
