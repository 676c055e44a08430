"""Roles, each a fixed set of permissions; a user holds one or more roles.

Least privilege: the admin manages users and settings but does not read
beneficiaries' files unless he also holds a role that does.
"""

from __future__ import annotations

PERMISSIONS = {
    "forms.fill": "fill intake forms for a beneficiary",
    "submissions.read": "read submissions (identifiers masked)",
    "submissions.export": "export submissions to Excel",
    "pii.reveal": "reveal a full national ID, phone or IBAN",
    "letters.read": "read and download issued letters",
    "letters.issue": "issue letters",
    "templates.manage": "upload and manage letter templates",
    "forms.manage": "manage form definitions",
    "users.manage": "manage users and roles",
    "settings.manage": "manage the association's profile and settings",
    "audit.read": "read the audit trail",
}

ROLES: dict[str, frozenset[str]] = {
    "admin": frozenset({"users.manage", "settings.manage", "audit.read"}),
    "quality_officer": frozenset(
        {
            "forms.manage",
            "templates.manage",
            "submissions.read",
            "submissions.export",
            "letters.read",
        }
    ),
    "intake": frozenset(
        {"forms.fill", "submissions.read", "pii.reveal", "letters.read", "letters.issue"}
    ),
    "researcher": frozenset({"forms.fill", "submissions.read", "pii.reveal", "letters.read"}),
    "committee": frozenset({"submissions.read", "pii.reveal", "letters.read", "letters.issue"}),
    "viewer": frozenset({"submissions.read", "letters.read"}),
}

ROLE_NAMES = {
    "admin": {"ar": "مدير النظام", "en": "Administrator"},
    "quality_officer": {"ar": "مسؤول الجودة", "en": "Quality officer"},
    "intake": {"ar": "موظف الاستقبال", "en": "Intake"},
    "researcher": {"ar": "الباحث الاجتماعي", "en": "Social researcher"},
    "committee": {"ar": "لجنة البحث", "en": "Research committee"},
    "viewer": {"ar": "اطلاع فقط", "en": "Viewer"},
}


def permissions_of(roles) -> frozenset[str]:
    """Return the union of the permissions of `roles` (unknown roles give none)."""
    found: set[str] = set()
    for role in roles or ():
        found |= ROLES.get(role, frozenset())
    return frozenset(found)
