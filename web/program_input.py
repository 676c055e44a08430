"""A program as the staff enter it: read from the page, checked, with problems by input."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from cases import programs
from forms.conditions import ConditionError, parse
from forms.dates import read_day
from forms.invisible import strip_invisible
from forms.problem_text import arabic
from forms.saudi import normalize_digits

TEXTS = ("name", "place", "notes", "arrangements", "what_to_bring")
MAX_TEXT = 500
MAX_ROWS = 60  # sessions or conditions on one page
MAX_CAPACITY = 100_000


def _text(value: str | None, most: int = MAX_TEXT) -> str:
    return strip_invisible(value or "").strip()[:most]


def _dates(program: dict, errors: dict) -> None:
    form = request.form
    for key in ("announced_on", "starts_on", "ends_on", "closes_on"):
        day = read_day(form.get(key, ""))
        if day is None and (key in ("announced_on", "starts_on") or form.get(key)):
            errors[key] = _("اكتب التاريخ بالصيغة YYYY-MM-DD.")
        program[key] = day.isoformat() if day else ""
    if errors:
        return
    if program["starts_on"] < program["announced_on"]:
        errors["starts_on"] = _("يبدأ البرنامج بعد الإعلان عنه.")
    elif program["ends_on"] and program["ends_on"] < program["starts_on"]:
        errors["ends_on"] = _("ينتهي البرنامج بعد بدايته.")
    elif program["closes_on"] and not (
        program["announced_on"] <= program["closes_on"] <= (program["ends_on"] or "9999")
    ):
        errors["closes_on"] = _("يُغلق التسجيل بين الإعلان ونهاية البرنامج.")


def _capacity(program: dict, errors: dict) -> None:
    raw = normalize_digits(request.form.get("capacity", "")).strip()
    program["capacity"] = None
    if raw:
        if not raw.isdigit() or not 0 < int(raw) <= MAX_CAPACITY:
            errors["capacity"] = _("اكتب عدد المقاعد رقمًا صحيحًا أكبر من صفر، أو اتركه فارغًا.")
        else:
            program["capacity"] = int(raw)


def _sessions(program: dict, errors: dict) -> None:
    """Read the sessions; each keeps its number (attendance is kept by it), a new one
    takes the next, so that adding or removing a session renumbers none."""
    form = request.form
    days = form.getlist("session_day")[:MAX_ROWS]
    ids = form.getlist("session_id")[: len(days)]
    rows = list(
        zip(
            ids + [""] * (len(days) - len(ids)),
            days,
            form.getlist("session_time"),
            form.getlist("session_place"),
            form.getlist("session_mode"),
            strict=False,
        )
    )
    taken = {int(i) for i, *_rest in rows if i.isdigit() and 0 < int(i) <= MAX_ROWS * 100}
    sessions = []
    for number, day_text, time, place, mode in rows:
        if not (day_text.strip() or time.strip() or place.strip()):
            continue  # an empty row of the page
        day = read_day(day_text)
        if day is None:
            errors["sessions"] = _("اكتب يوم كل جلسة بالصيغة YYYY-MM-DD.")
        if not (number.isdigit() and int(number) in taken):
            number = str(max(taken, default=0) + 1)
            taken.add(int(number))
        session = {
            "id": int(number),
            "day": day.isoformat() if day else day_text[:20],
            "time": _text(time, 100),
            "place": _text(place),
            "mode": mode if mode in programs.MODES else "in_person",
        }
        sessions.append(session)
    program["sessions"] = sorted(sessions, key=lambda s: (s["day"], s["id"]))


def _conditions(program: dict, errors: dict) -> None:
    form = request.form
    rows = zip(
        form.getlist("condition_text")[:MAX_ROWS], form.getlist("condition_rule"), strict=False
    )
    conditions = []
    for number, (text, rule) in enumerate(rows, start=1):
        text, rule = _text(text), _text(rule, 1000)
        if not (text or rule):
            continue
        if not text:
            errors["conditions"] = _("اكتب نص كل شرط كما يقرؤه الناس.")
        if rule:
            try:
                parse(rule)
            except ConditionError as problem:
                errors["conditions"] = _(
                    "القاعدة «%(rule)s» غير صحيحة: %(why)s", rule=rule, why=arabic(str(problem))
                )
        conditions.append({"id": f"c{number}", "text": {"ar": text}, "rule": rule})
    program["conditions"] = conditions


def read_program(profile: dict, forms) -> tuple[dict, dict]:
    """Return the program the page describes and the problems by input name."""
    form = request.form
    program = {key: _text(form.get(key)) for key in TEXTS}
    program["category"] = form.get("category", "")
    program["form_id"] = form.get("form_id") or programs.DEFAULT_FORM
    errors: dict = {}
    if not program["name"]:
        errors["name"] = _("اكتب اسم البرنامج.")
    if programs.category(profile, program["category"]) is None:
        errors["category"] = _("اختر فئة البرنامج.")
    if forms.get(program["form_id"]) is None:
        errors["form_id"] = _("اختر نموذج التسجيل من النماذج الموجودة.")
    _dates(program, errors)
    _capacity(program, errors)
    _sessions(program, errors)
    _conditions(program, errors)
    return program, errors
