"""Correcting a submitted form: a new revision, with who, when and why; nothing is lost.

The corrected answers replace the stored ones in one step with the revision note and
the audit entry that keeps every old value (before) beside the new (after). When the
submission opened a request, the request's copy of the applicant's name follows, and
the beneficiary's contact details too; the ID cannot change under a request (that
would move it to another person: close it and open one for the right person).
Letters already issued are files in the register: they keep what they printed.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

from accounts import audit
from accounts.audit import Actor
from cases.beneficiaries import BENEFICIARIES
from cases.service import CASES, CaseError, for_submission, person_details
from forms.definition import FormDefinition
from forms.people import people_in
from forms.validation import store_files
from submissions.service import collection
from surveys import tallies

WHY_MIN, WHY_MAX = 5, 1000


def _changed(old: dict, new: dict) -> list[str]:
    return sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))


def correct(
    store, form: FormDefinition, record_id: int, answers: dict, *, who: Actor, why: str
) -> dict:
    """Store `answers` as the next revision of a submission; return the stored record.

    Raises CaseError (with the reason to show) for a missing reason, no change, or an
    ID changed under a request; LookupError for no such submission.
    """
    why = " ".join(str(why or "").split())
    if not WHY_MIN <= len(why) <= WHY_MAX:
        raise CaseError(_l("اكتب سبب التصحيح (%(n)s أحرف على الأقل).", n=WHY_MIN))
    answers = store_files(answers, store.put_file)
    case = for_submission(store, form.id, record_id)
    with store.transaction() as tx:
        current = tx.get(collection(form.id), record_id)
        if current is None:
            raise LookupError(record_id)
        changed = _changed(current["answers"], answers)
        if not changed:
            raise CaseError(_l("لم يتغير شيء: لا حاجة إلى تصحيح."))
        if case is not None and "national_id" in changed:
            raise CaseError(_l("لا يُصحَّح رقم الهوية في طلب قائم: أغلقه وافتح طلبًا للشخص الصحيح."))
        revision = {
            "revision": current.get("revision", 1) + 1,
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "by": who.username,
            "why": why,
            "fields": changed,
        }
        changes = {
            "answers": answers,
            "people": people_in(form, answers),
            "revision": revision["revision"],
            "revisions": [*current.get("revisions", []), revision],
        }
        # The results count the corrected answers instead of the old, in the same step.
        changes["facts"] = tallies.replace(store, tx, form, current, current | changes)["facts"]
        record = tx.update(collection(form.id), record_id, changes)
        if case is not None:
            _follow(tx, case, answers)
        before = {k: current["answers"].get(k) for k in changed}
        after = {**{k: answers.get(k) for k in changed}, "why": why}
        audit.write(
            tx, who, "correct", f"submission:{form.id}", record_id, before=before, after=after
        )
    return record


def _follow(tx, case: dict, answers: dict) -> None:
    """The request's and the beneficiary's copies of what was corrected."""
    details = person_details(answers)
    if details.get("name") and details["name"] != case.get("name"):
        tx.update(CASES, case["id"], {"name": details["name"]})
    if case.get("beneficiary_id") and details:
        tx.update(BENEFICIARIES, case["beneficiary_id"], details)
