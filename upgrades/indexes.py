"""The fields Rifd's pages look records up by, kept indexed in the store.

Each is declared on every start (store.ensure_index): an index missing from a data
folder (one written before indexes existed, or just restored) is built then, with a
progress line, before any request is served.
"""

from __future__ import annotations

import sys

from accounts.users import COLLECTION as USERS
from cases.attendance import ATTENDANCE
from cases.beneficiaries import BENEFICIARIES
from cases.outbox import OUTBOX
from cases.own_access import OWN_CODES
from cases.registrations import REGISTRATIONS
from cases.served import INDEXED, SERVED
from cases.service import CASES
from deliveries.records import DELIVERIES
from forms.versions import COLLECTION as VERSIONS
from letters.issue import REGISTER
from quality import followups, rules
from submissions.drafts import COLLECTION as SUBMISSION_DRAFTS
from surveys.months import MONTHS
from surveys.tallies import TALLIES
from upgrades.people import UPGRADES

INDEXES: dict[str, tuple[str, ...]] = {
    # a request's page, a beneficiary's file, a submission's page, the dashboard
    CASES: (
        "form_id",
        "submission_id",
        "beneficiary_id",
        "national_id",
        "state",
        "channel",
        "decision.on_time",
        "ref",
        # a board's report: the requests opened and decided in a period
        "opened_on",
        "decision.date",
    ),
    # the delivery register (a period, a program, a beneficiary), a request's deliveries,
    # the transfers waiting for a bank batch and those of one batch
    DELIVERIES: (
        "date",
        "case_id",
        "beneficiary_id",
        "program_id",
        "transfer.status",
        "transfer.batch_id",
    ),
    # the search box: a person by his whole ID or mobile
    BENEFICIARIES: ("national_id", "mobile"),
    # the letters of a submission (its link), a letter by its verify code
    REGISTER: ("answers", "answers.submission_id", "code", "letter_type"),
    # a person's program registrations (eligibility counts them), surveys about him, the
    # submissions naming him (his file), the versions in use
    # a results page filtered by channel, service, staff or program, and its comments
    "submissions/*": (
        "answers.national_id",
        "about.beneficiary",
        "people[]",
        "form_version",
        "facts.channel",
        "facts.service",
        "facts.staff",
        "facts.program",
        "facts.texts[]",
        "facts.day",
        # a new page's defaults from the last submission its staff member saved
        "entered_by",
    ),
    # the services delivered and survey links offered in a period (a response rate)
    SERVED: INDEXED,
    # a day's tally of a form's answers, and all of a form's (surveys/tallies.py)
    TALLIES: ("key", "form_id", "group"),
    # a form's tallies by month (surveys/months.py)
    MONTHS: ("key", "form_id", "group"),
    UPGRADES: ("step",),
    SUBMISSION_DRAFTS: ("user_id",),
    USERS: ("username",),
    VERSIONS: ("form_id",),
    # a program's registrations by status, a person's programs (his file), a session's
    # attendance, the queued messages
    REGISTRATIONS: ("program_id", "status", "beneficiary_id", "national_id"),
    ATTENDANCE: ("program_id", "session"),
    # the queue by channel, a person's messages (erasure), a gateway's delivery report;
    # the messages to one number (his file, the limit per number, his refusal)
    # the messages due now, by their place in the queue (sender.claim)
    OUTBOX: ("status", "channel", "registration_id", "case_id", "provider_id", "mobile", "due"),
    # a request's one-time code for its own page
    OWN_CODES: ("case_id",),
    # the follow-ups' list (open first), one answer's follow-up, the complaints' counts;
    # a form's thresholds
    followups.COLLECTION: followups.INDEXES,
    rules.COLLECTION: ("form_id",),
}


def _progress(name: str, done: int, total: int) -> None:
    end = "\n" if done >= total else "\r"
    print(f"Indexing {name}: {done:,} of {total:,} records", end=end, file=sys.stderr, flush=True)


# The search box of a form's submissions finds any part of these (submissions/search.py
# decides who may find identifiers by a part of them).
# The one search box finds a beneficiary by any part of his name (cases/finding.py decides
# who may find him by a part of an identifier).
TEXT_INDEXES: dict[str, tuple[str, ...]] = {
    "submissions/*": ("ref", "answers"),
    BENEFICIARIES: ("name", "national_id", "mobile"),
    # the register's search box: a letter by its number, its recipient, the reference
    REGISTER: ("number", "recipient", "answers.ref"),
}


def ensure(store, progress=_progress) -> None:
    """Declare every index Rifd uses; build those the data folder lacks."""
    store.ensure_indexes(
        [(pattern, field) for pattern, fields in INDEXES.items() for field in fields], progress
    )
    for pattern, fields in TEXT_INDEXES.items():
        store.ensure_text_index(pattern, list(fields))
