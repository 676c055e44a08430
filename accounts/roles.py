"""Roles, each a fixed set of permissions; a user holds one or more roles.

Least privilege: the admin manages users and settings and follows the requests (their
pages and deadlines, identifiers masked) and may reopen a closed request, but cannot
reveal an identifier, read the answers of a form or otherwise act on a request unless
he also holds a role that does. He and the quality officer follow up low scores and
complaints (the scores that opened one, not the answers' own words, unless he also
reads submissions).
"""

from __future__ import annotations

PERMISSIONS = {
    "forms.fill": "fill intake forms for a beneficiary",
    "submissions.read": "read submissions (identifiers masked)",
    "submissions.export": "export submissions to Excel",
    "submissions.correct": "correct a submitted form (a new revision, with the reason)",
    "pii.reveal": "reveal a full national ID, phone or IBAN",
    "letters.read": "read and download issued letters",
    "letters.issue": "issue letters",
    "templates.manage": "upload and manage letter templates",
    "forms.manage": "manage form definitions",
    "users.manage": "manage users and roles",
    "settings.manage": "manage the association's profile and settings",
    "audit.read": "read the audit trail",
    "cases.read": "read requests, the deadlines dashboard and beneficiaries' files",
    "cases.intake": "move a request through intake: verify, refer, declaration, register, serve",
    "cases.research": "fill the social research of a referred request and send it back",
    "cases.decide": "decide a request for the research committee",
    "cases.reopen": "reopen a closed or withdrawn request, with a reason",
    "policy.read": "read the association's policy and open its documents",
    "policy.manage": "edit the association's policy profile and its documents",
    "programs.manage": "announce programs",
    "deliveries.read": "read the delivery register and deliveries with their proofs",
    "deliveries.record": "record deliveries, attach their proofs, issue vouchers",
    "deliveries.transfers": "make bank transfer batches and record the bank's confirmation",
    "followups.manage": "follow up low scores, complaints and suggestions, and set what opens one",
}

ROLES: dict[str, frozenset[str]] = {
    "admin": frozenset(
        {
            "followups.manage",
            "users.manage",
            "settings.manage",
            "audit.read",
            "policy.read",
            "policy.manage",
            "cases.read",
            "cases.reopen",
        }
    ),
    "quality_officer": frozenset(
        {
            "followups.manage",
            "policy.read",
            "forms.manage",
            "templates.manage",
            "submissions.read",
            "submissions.export",
            "letters.read",
            "cases.read",
            "policy.manage",
            "programs.manage",
            "deliveries.read",
        }
    ),
    "intake": frozenset(
        {
            "policy.read",
            "forms.fill",
            "submissions.correct",
            "submissions.read",
            "pii.reveal",
            "letters.read",
            "letters.issue",
            "cases.read",
            "cases.intake",
            "programs.manage",
            "deliveries.read",
            "deliveries.record",
        }
    ),
    "researcher": frozenset(
        {
            "policy.read",
            "forms.fill",
            "submissions.read",
            "pii.reveal",
            "letters.read",
            "cases.read",
            "cases.research",
        }
    ),
    "committee": frozenset(
        {
            "policy.read",
            "submissions.read",
            "pii.reveal",
            "letters.read",
            "letters.issue",
            "cases.read",
            "cases.decide",
            "deliveries.read",
        }
    ),
    # Pays cash aid by bank transfer and keeps its proofs: the bank's sheet shows IBANs.
    "accountant": frozenset(
        {
            "policy.read",
            "pii.reveal",
            "letters.read",
            "letters.issue",
            "cases.read",
            "deliveries.read",
            "deliveries.record",
            "deliveries.transfers",
        }
    ),
    "viewer": frozenset(
        {"submissions.read", "letters.read", "cases.read", "policy.read", "deliveries.read"}
    ),
}

ROLE_NAMES = {
    "admin": {"ar": "مدير النظام", "en": "Administrator"},
    "quality_officer": {"ar": "مسؤول الجودة", "en": "Quality officer"},
    "intake": {"ar": "موظف الاستقبال", "en": "Intake"},
    "researcher": {"ar": "الباحث الاجتماعي", "en": "Social researcher"},
    "committee": {"ar": "لجنة البحث", "en": "Research committee"},
    "accountant": {"ar": "المحاسب", "en": "Accountant"},
    "viewer": {"ar": "اطلاع فقط", "en": "Viewer"},
}


def permissions_of(roles) -> frozenset[str]:
    """Return the union of the permissions of `roles` (unknown roles give none)."""
    found: set[str] = set()
    for role in roles or ():
        found |= ROLES.get(role, frozenset())
    return frozenset(found)
