"""Every action a person takes on a request, each one the only home of its rule.

One function per action: it checks who may act and whether the request's state
allows it, makes the change and writes the audit record in one transaction of the
store, so the change and its audit record are stored together or not at all. The
request's page, the submission's page, the bulk page, the bulk job and the command
line call only these functions, and a page asks the same functions what to offer
(`allowed_moves`, `letter_offers`), so a hidden button and a refused POST never
disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from accounts import audit
from accounts.audit import Actor
from accounts.users import full_names
from cases import beneficiaries, served, tidings
from cases.service import (
    CASES,
    CaseError,
    changes_of,
    check_needs,
    for_submission,
    on_time,
    person_details,
    target_of,
)
from cases.workflow import MOVES, OPEN, Move, moves_from
from deliveries import records as deliveries
from forms.dates import saudi_day, saudi_today
from letters import bulk, templates
from letters.issue import REGISTER, SERIES, is_void

ISSUE = "letters.issue"
# letter kind -> the committee's decision a request must carry for it (None: before any)
CASE_LETTERS = {"declaration": None, "acceptance": "accepted", "rejection": "rejected"}
# Held while a letter's "already issued?" is checked and the letter issued: two clicks
# at once cannot both see "not yet" (letters/issue.py takes its own lock inside).
GUARD_LOCK = "letter_guard"
VOID_REASON_MAX = 500  # the reason a letter was voided, shown on its public verify page


class Refused(CaseError):
    """An action the rules refuse now; `again` tells that confirming would allow it."""

    def __init__(self, message, *, again: bool = False):
        super().__init__(message)
        self.again = again


# --- opening and moving a request ------------------------------------------------


def open_request(store, profile: dict, form, record: dict, who: Actor, tell=None) -> dict:
    """Open the request of a saved submission and register (or find) its beneficiary.

    `tell` adds to what his message may say (his own page's link: cases/tidings.py)."""
    answers = record["answers"]
    details = person_details(answers)
    with store.transaction() as tx:
        person, _new = beneficiaries.register(store, tx, answers["national_id"], details)
        case = {
            "ref": record["ref"],
            "form_id": form.id,
            "submission_id": record["id"],
            "beneficiary_id": person["id"],
            "national_id": person["national_id"],
            "name": person.get("name", ""),
            "channel": record.get("channel", ""),
            "state": "received",
            "opened_at": record["created_at"],
            "opened_on": saudi_day(record["created_at"]).isoformat(),
            "opened_by": who.username,
            "deadline": dict(profile["decision_deadline"]),
            "history": [],
            "services": [],
        }
        case["id"] = tx.insert(CASES, case)
        audit.write(
            tx, who, "open", "case", case["id"], after={"ref": case["ref"], "state": "received"}
        )
        tidings.tell(tx, store, profile, case, "open", tell)
    return case


def allowed_moves(case: dict, who: Actor) -> list[Move]:
    """Return the moves `who` may make on the request now, in the policy's order."""
    return [m for m in moves_from(case["state"]) if who.can(m.permission)]


def move(store, profile: dict, case_id: int, name: str, data: dict, who: Actor, tell=None) -> tuple:
    """Make move `name` on the request; return (before, after).

    `tell` adds to what the beneficiary's message may say (cases/tidings.py).

    Raises CaseError (with the reason) when the policy does not allow it now,
    PermissionError when `who` may not make it, LookupError for no such request.
    `data` holds what he entered, cleaned by the page (web/case_input.py).
    """
    chosen = MOVES.get(name)
    if chosen is None:
        raise CaseError(_l("إجراء غير معروف."))
    if not who.can(chosen.permission):
        raise PermissionError(chosen.permission)
    with store.transaction() as tx:
        case = tx.get(CASES, case_id)
        if case is None:
            raise LookupError(case_id)
        if case["state"] not in chosen.sources:
            raise CaseError(_l("لا تسمح السياسة بهذا الإجراء في حالة الطلب الحالية."))
        check_needs(store, case, chosen, data, profile)
        if chosen.name == "serve" and data.get("delivery"):
            # The delivery record and the move that needs it are stored together or not at all.
            entry = deliveries.for_case(store, case, data["delivery"])
            try:
                data = {**data, "delivery_id": deliveries.write(tx, who, entry)["id"]}
            except deliveries.DeliveryError as exc:
                raise CaseError(str(exc)) from None
        step = {
            "move": name,
            "from": case["state"],
            "to": target_of(case, chosen),
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "on": saudi_today().isoformat(),
            "by": who.username,
            "note": data.get("note", ""),
        }
        changes = changes_of(case, chosen, data, step)
        if "decision" in changes:  # kept, so the dashboard counts without recomputing
            changes["decision"]["on_time"] = on_time(store, {**case, **changes})
        after = tx.update(CASES, case_id, changes)
        if chosen.name == "serve":  # counted by day for the survey's response rate
            served.note(tx, after, step)
        entered = {k: v for k, v in data.items() if v and k != "delivery"}
        audit.write(
            tx,
            who,
            f"case.{name}",
            "case",
            case_id,
            before={"state": case["state"]},
            after={"state": after["state"], **entered},
        )
        tidings.tell(tx, store, profile, after, name, tell)
    return case, after


def link_research(store, case_id: int, record: dict, form_id: str, who: Actor) -> dict:
    """Attach the social research the researcher saved to the request it was made for."""
    if not who.can("cases.research"):
        raise PermissionError("cases.research")
    link = {"form_id": form_id, "submission_id": record["id"], "ref": record["ref"]}
    with store.transaction() as tx:
        case = tx.get(CASES, case_id)
        if case is None:
            raise LookupError(case_id)
        if case["state"] != "research":
            raise CaseError(_l("الطلب ليس محالًا للبحث الاجتماعي."))
        after = tx.update(CASES, case_id, {"research": link})
        audit.write(tx, who, "link", "case", case_id, after={"research": record["ref"]})
    return after


# --- letters -----------------------------------------------------------------------


def letter_refusal(case: dict | None, kind: str) -> str:
    """Return why the request may not receive a `kind` letter now; "" when it may.

    Only the policy's letters follow the request's state; any other template
    (a program's acceptance, the association's own) goes out at any time.
    """
    if kind in SERIES:  # a voucher prints a delivery: it goes out from its page only
        return str(_l("يصدر السند من صفحة التسليم فقط."))
    if case is None or kind not in CASE_LETTERS:
        return ""
    if case["state"] == "closed":
        return str(_l("الطلب مغلق: لا يصدر له هذا الخطاب."))
    needed = CASE_LETTERS[kind]
    if needed is None:
        return "" if case["state"] in OPEN else str(_l("يصدر الإقرار قبل قرار اللجنة فقط."))
    if (case.get("decision") or {}).get("outcome") != needed:
        return str(_l("لا يصدر هذا الخطاب قبل قرار اللجنة المطابق له."))
    return ""


def letters_of(store, form_id: str, record: dict) -> list[dict]:
    """Return the letters issued from one submission, oldest first."""
    link = {"form_id": form_id, "submission_id": record["id"], "ref": record["ref"]}
    return store.find(REGISTER, where={"answers": link})


def letter_offers(store, case: dict, record: dict, who: Actor) -> list[dict]:
    """Return the policy's letters the request's page offers: kind and earlier numbers."""
    if not who.can(ISSUE):
        return []
    issued = [x for x in letters_of(store, case["form_id"], record) if not is_void(x)]
    return [
        {
            "kind": kind,
            "earlier": [x["number"] for x in issued if x["letter_type"] == kind],
        }
        for kind in CASE_LETTERS
        if not letter_refusal(case, kind)
    ]


def letter_problem(store, form_id: str, record: dict, kind: str, *, again: bool):
    """Return why this submission may not get a `kind` letter now (Refused), or None."""
    refusal = letter_refusal(for_submission(store, form_id, record["id"]), kind)
    if refusal:
        return Refused(refusal)
    # A voided letter does not count: its correction goes out without a confirmation.
    issued = [x for x in letters_of(store, form_id, record) if not is_void(x)]
    earlier = [x["number"] for x in issued if x["letter_type"] == kind]
    if earlier and not again:
        # Each issue takes the next outgoing number: a second letter of a kind (a lost
        # copy, a correction) goes out only when the person confirms it.
        why = _l("صدر هذا الخطاب لهذا الطلب برقم %(number)s.", number=earlier[-1])
        how = _l("لإصدار خطاب آخر برقم جديد أكّد ذلك بجانب الزر.")
        return Refused(f"{why} {how}", again=True)
    return None


def decision_fields(store, case: dict | None, form) -> dict:
    """Return what the committee decided, as the letter fields print it: who recorded it
    by full name, never by login."""
    decision = dict((case or {}).get("decision") or {})
    fields = {k: v for k, v in decision.items() if k != "by"}
    if decision.get("by"):
        fields["decided_by"] = full_names(store, [decision["by"]]).get(decision["by"], "")
    if isinstance(fields.get("amount"), float | int):
        fields["amount"] = f"{fields['amount']:g}"  # 1500.0 prints as 1500
    if fields.get("support_types"):
        fdef = form.field("support_types")
        labels = {c["value"]: c["label"] for c in (form.choices(fdef) if fdef else [])}
        fields["support_types"] = [_arabic(labels.get(v, v)) for v in fields["support_types"]]
    return fields


def _arabic(label) -> str:
    return label.get("ar") or next(iter(label.values()), "") if isinstance(label, dict) else label


def issue_letter(
    store, form, record: dict, kind: str, *, who: Actor, fields: dict, again: bool, base_url: str
) -> dict:
    """Issue template `kind` for one submission; return its register record.

    For a submission that opened a request, the request's state decides which letters
    it may receive and the committee's decision is what the letter prints, whatever
    was typed. Raises Refused, PermissionError, or letters.render.LetterError (no
    number is used then).
    """
    if not who.can(ISSUE):
        raise PermissionError(ISSUE)
    template = templates.get(store, kind)
    if template is None:
        raise Refused(_l("نموذج الخطاب غير موجود."))
    with store.lock(GUARD_LOCK):
        problem = letter_problem(store, form.id, record, kind, again=again)
        if problem is not None:
            raise problem
        case = for_submission(store, form.id, record["id"])
        if case is not None:
            fields = {**fields, **decision_fields(store, case, form)}

        def write_audit(tx, letter: dict) -> None:
            after = {k: letter.get(k) for k in ("number", "template", "recipient")}
            after["submission"] = record["ref"]
            if case is not None:
                after["case"] = case["id"]
            after["decision"] = {k: v for k, v in fields.items() if v}
            audit.write(tx, who, "issue", "letter", letter["id"], after=after)

        return bulk.issue_one(
            store,
            form,
            record,
            template,
            fields=fields,
            issued_by=who.username,
            base_url=base_url,
            audit=write_audit,
        )


def issue_case_letter(
    store, case_id: int, kind: str, *, form, record: dict, who: Actor, again: bool, **issue
) -> dict:
    """Issue a policy letter (declaration, acceptance, rejection) for a request.

    `form` and `record` are the request's submission and the form version it was
    filled with; `issue` holds attachments and base_url.
    """
    if kind not in CASE_LETTERS:
        raise Refused(_l("نموذج الخطاب غير موجود."))
    case = store.get(CASES, case_id)
    if case is None or case["submission_id"] != record["id"]:
        raise LookupError(case_id)
    fields = {"attachments": issue.pop("attachments", "")}
    return issue_letter(store, form, record, kind, who=who, fields=fields, again=again, **issue)


def bulk_problems(store, form_id: str, records: list[dict], kind: str, *, again: bool) -> list:
    """Return (ref, why) for each chosen submission that may not get a `kind` letter now."""
    found = ((r, letter_problem(store, form_id, r, kind, again=again)) for r in records if r)
    return [(record["ref"], str(why)) for record, why in found if why is not None]


@dataclass
class BulkPlan:
    """The chosen submissions sorted before a bulk issue takes any number."""

    issue: list[dict] = field(default_factory=list)  # each takes one outgoing number
    already: list[dict] = field(default_factory=list)  # have this letter: left out
    refused: list[tuple[str, str]] = field(default_factory=list)  # (ref, why) the rules refuse


def bulk_plan(store, form_id: str, records: list[dict], kind: str, *, again: bool) -> BulkPlan:
    """Sort the chosen submissions: those to issue, those left out, those refused.

    A submission that already has a valid `kind` letter is left out, not refused,
    unless `again` (the person chose explicitly to issue it once more).
    """
    plan = BulkPlan()
    for record in records:
        why = letter_problem(store, form_id, record, kind, again=again)
        if why is None:
            plan.issue.append(record)
        elif why.again:
            plan.already.append(record)
        else:
            plan.refused.append((record["ref"], str(why)))
    return plan


def issue_letters(store, form, records, kind: str, *, who: Actor, fields, again, base_url, **kw):
    """Issue `kind` for many submissions, each as issue_letter does; failures are listed."""
    form_of = kw.get("form_of") or (lambda _record: None)
    return bulk.issue_many(
        records,
        lambda record: issue_letter(
            store,
            form_of(record) or form,
            record,
            kind,
            who=who,
            fields=fields,
            again=again,
            base_url=base_url,
        ),
        progress=kw.get("progress"),
    )


# --- archives and publications -------------------------------------------------------


def archive_pdf(store, letter_id: int, pdf: bytes, who: Actor) -> dict:
    """Archive a letter's PDF once (it never changes after) and audit it; return the letter."""
    digest = store.put_file(pdf)
    with store.transaction() as tx:
        letter = tx.get(REGISTER, letter_id)
        if letter is None:
            raise LookupError(letter_id)
        if letter.get("pdf_sha256"):
            return letter  # another request archived one meanwhile: keep it
        letter = tx.update(REGISTER, letter_id, {"pdf_sha256": digest})
        audit.write(
            tx,
            who,
            "archive",
            "letter",
            letter_id,
            after={"number": letter["number"], "pdf": digest},
        )
    return letter


def void_letter(store, letter_id: int, reason: str, who: Actor) -> dict:
    """Void a letter issued by mistake, with the reason; return the register entry.

    The entry stays in the register with its number (never given again: the next
    number follows the newest entry, void or not) and its archived files; the verify
    page says the letter is void, and why and when.
    """
    if not who.can(ISSUE):
        raise PermissionError(ISSUE)
    reason = reason.strip()
    if not reason:
        raise Refused(_l("اكتب سبب إلغاء الخطاب."))
    if len(reason) > VOID_REASON_MAX:
        raise Refused(_l("سبب الإلغاء أطول من المسموح (%(n)s حرف).", n=VOID_REASON_MAX))
    with store.transaction() as tx:
        letter = tx.get(REGISTER, letter_id)
        if letter is None:
            raise LookupError(letter_id)
        if is_void(letter):
            raise Refused(_l("هذا الخطاب ملغى من قبل."))
        void = {
            "reason": reason,
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "on": saudi_today().isoformat(),
            "by": who.username,
        }
        letter = tx.update(REGISTER, letter_id, {"void": void})
        audit.write(
            tx,
            who,
            "void",
            "letter",
            letter_id,
            before={"number": letter["number"], "void": False},
            after={"number": letter["number"], "void": True, "reason": reason},
        )
    return letter
