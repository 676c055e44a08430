"""Personal survey links: a satisfaction survey sent to one beneficiary after his service.

The link carries a signed token naming the beneficiary and his request, so his
answers join his file over time while the survey itself asks for no ID. A token
that does not verify is ignored: the survey is still answered, anonymously.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

SALT = "rifd-survey-link"
SURVEY_FORM = "satisfaction_survey"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=SALT)


def make(beneficiary_id: int, case_id: int) -> str:
    return _serializer().dumps({"b": beneficiary_id, "c": case_id})


def for_program(program_id: int) -> str:
    """Return the token of a program's survey link: its answers are counted for the
    program (the results filter by it), and join nobody's file."""
    return _serializer().dumps({"p": program_id})


def _an_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def read(token: str | None) -> dict | None:
    """Return {"beneficiary": id, "case": id} or {"program": id} for a genuine token,
    else None."""
    if not token or len(token) > 200:
        return None
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if isinstance(data, dict) and set(data) == {"p"} and _an_id(data["p"]):
        return {"program": data["p"]}
    ids = (data.get("b"), data.get("c")) if isinstance(data, dict) else ()
    if len(ids) != 2 or not all(_an_id(i) for i in ids):
        return None
    return {"beneficiary": ids[0], "case": ids[1]}
