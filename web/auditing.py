"""Record an audit entry for the request in progress: the signed-in person and his address."""

from __future__ import annotations

from flask import request
from flask_login import current_user

import store
from accounts import audit as trail


def actor() -> trail.Actor:
    """Return the person making the request in progress, as domain operations take him."""
    if current_user.is_authenticated:
        return trail.Actor(current_user.username, request.remote_addr or "", current_user.can)
    return trail.Actor("public", request.remote_addr or "")


def audit(
    action: str, entity: str, entity_id=None, *, before=None, after=None, actor: str = ""
) -> dict:
    """Append to the audit trail as the current user (or `actor`), from the current address."""
    if not actor:
        actor = current_user.username if current_user.is_authenticated else "public"
    return trail.record(
        store.get_store(),
        actor=actor,
        ip=request.remote_addr or "",
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=before,
        after=after,
    )
