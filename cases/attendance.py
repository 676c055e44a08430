"""Attendance of a program's sessions: who came, the signed paper sheet, the rates.

One record per session of a program: the registrations present, who took the
attendance and when, and the scans of the signed paper sheet. A session counts as held
once its attendance is taken. Each change takes the program's lock, checks, changes
and audits in one step.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

from accounts import audit
from accounts.audit import Actor
from cases import programs
from cases.registrations import ACCEPTED, MANAGE, REGISTRATIONS, locked_program
from cases.service import CaseError
from letters.issue import find_by_code

ATTENDANCE = "program_attendance"
MAX_SCANS = 40  # files kept with one session: its signed sheet and the event's photos


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def accepted(store, pid: int) -> list[dict]:
    """Return the program's accepted registrations, by name: who a sheet lists."""
    found = store.find(REGISTRATIONS, where={"program_id": pid, "status": ACCEPTED})
    return sorted(found, key=lambda r: (r.get("name") or "", r["id"]))


def taken(store, pid: int) -> dict[int, dict]:
    """Return the attendance records of the program's sessions, by session number."""
    return {r["session"]: r for r in store.find(ATTENDANCE, where={"program_id": pid})}


def _session_or_refuse(program: dict, number: int) -> dict:
    found = programs.session(program, number)
    if found is None:
        raise CaseError(_l("لا توجد جلسة بهذا الرقم في البرنامج."))
    return found


def _save(tx, store, program: dict, number: int, changes: dict) -> tuple[dict | None, dict]:
    found = store.find(ATTENDANCE, where={"program_id": program["id"], "session": number})
    if found:
        return found[0], tx.update(ATTENDANCE, found[0]["id"], changes)
    record = {"program_id": program["id"], "session": number, "present": [], "scans": []}
    record.update(changes)
    record["id"] = tx.insert(ATTENDANCE, record)
    return None, record


def take(store, pid: int, number: int, present: list[int], who: Actor, *, add: bool = False):
    """Record who attended session `number`: exactly `present`, or these too when `add`.

    Only accepted registrations of the program can be present. Returns the record.
    """
    with locked_program(store, pid, who) as program:
        _session_or_refuse(program, number)
        allowed = {r["id"] for r in accepted(store, pid)}
        chosen = {int(i) for i in present}
        if chosen - allowed:
            raise CaseError(_l("لا يُسجَّل حضور إلا للمقبولين في البرنامج."))
        before = taken(store, pid).get(number) or {}
        if add:
            chosen |= set(before.get("present") or ())
        changes = {"present": sorted(chosen), "taken_at": now(), "taken_by": who.username}
        with store.transaction() as tx:
            _old, record = _save(tx, store, program, number, changes)
            audit.write(
                tx,
                who,
                "attendance",
                "program",
                pid,
                before={"session": number, "present": before.get("present") or []},
                after={"session": number, "present": record["present"]},
            )
    return record


def by_notice_code(store, pid: int, text: str) -> dict:
    """Return the accepted registration whose acceptance notice carries this verification
    code (or its link, as the notice's QR code gives it). Raises CaseError."""
    code = text.strip().rstrip("/").rsplit("/", 1)[-1][:40]
    letter = find_by_code(store, code) if code else None
    for registration in accepted(store, pid) if letter else ():
        if (registration.get("notice") or {}).get("letter_id") == letter["id"]:
            return registration
    raise CaseError(_l("لا يطابق هذا الرمز إشعار قبول في هذا البرنامج."))


# What a file kept with a session is: the signed paper sheet, or the event's own
# documentation (photos, documents), which the policies count among the proofs of delivery.
PURPOSES = {
    "sheet": _l("الكشف الموقّع"),
    "event": _l("توثيق الفعالية"),
}


def attach_scan(store, pid: int, number: int, upload, who: Actor, purpose: str = "sheet") -> dict:
    """Keep a file with session `number`: a scan of the signed paper sheet or a photo or
    document of the event (`purpose`); `upload` is a file the file field type has checked.
    Return the record."""
    if not who.can(MANAGE):
        raise PermissionError(MANAGE)
    if purpose not in PURPOSES:
        raise CaseError(_l("اختر نوع الملف: الكشف الموقّع أو توثيق الفعالية."))
    digest = store.put_file(upload.data)  # a checked file (forms.types: kind, size, content)
    with locked_program(store, pid, who) as program:
        _session_or_refuse(program, number)
        scans = list((taken(store, pid).get(number) or {}).get("scans") or [])
        if len(scans) >= MAX_SCANS:
            raise CaseError(_l("بلغت ملفات هذه الجلسة الحد المسموح."))
        scan = {
            "sha256": digest,
            "name": upload.filename[:120],
            "kind": upload.ext,
            "at": now(),
            "by": who.username,
            "purpose": purpose,
        }
        with store.transaction() as tx:
            _old, record = _save(tx, store, program, number, {"scans": [*scans, scan]})
            after = {"session": number, "scan": digest, "name": scan["name"], "purpose": purpose}
            action = "attach_sheet" if purpose == "sheet" else "attach_event_file"
            audit.write(tx, who, action, "program", pid, after=after)
    return record


def rates(sessions: dict[int, dict], ids) -> dict[int, tuple[int, int]]:
    """Return {registration id: (sessions attended, sessions held)}."""
    held = len(sessions)
    present = [set(r.get("present") or ()) for r in sessions.values()]
    return {rid: (sum(rid in p for p in present), held) for rid in ids}


def percent(attended: int, held: int) -> int | None:
    return round(100 * attended / held) if held else None


def program_rate(sessions: dict[int, dict], people: list[dict]) -> int | None:
    """Return the program's attendance rate: seats filled over seats expected, in %."""
    found = rates(sessions, [r["id"] for r in people])
    attended = sum(a for a, _held in found.values())
    return percent(attended, len(sessions) * len(people))


def of_beneficiary(store, bid: int) -> list[dict]:
    """Return the beneficiary's programs with his status and attendance, newest first."""
    out = []
    for registration in store.find(REGISTRATIONS, where={"beneficiary_id": bid}):
        program = store.get(programs.PROGRAMS, registration["program_id"]) or {}
        sessions = taken(store, registration["program_id"])
        attended, held = rates(sessions, [registration["id"]])[registration["id"]]
        out.append(
            {
                "program": program,
                "registration": registration,
                "attended": attended,
                "absent": held - attended if registration["status"] == ACCEPTED else 0,
                "held": held,
                "rate": percent(attended, held) if registration["status"] == ACCEPTED else None,
            }
        )
    return sorted(out, key=lambda item: item["registration"]["id"], reverse=True)
