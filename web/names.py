"""People as pages show them: a member of staff by her full name, not her login.

Records keep the user name (it never changes and the audit trail needs one key); a
page asks for the full name when it shows one, each looked up once per request.
"""

from __future__ import annotations

from flask import g
from markupsafe import Markup

import store
from accounts import users


def person(username) -> Markup:
    """Return the full name for a user name (the name itself when he has none)."""
    if not username:
        return Markup("")
    known = g.setdefault("rifd_full_names", {})
    if username not in known:
        known.update({username: ""} | users.full_names(store.get_store(), [username]))
    name = known[username]
    if not name:
        return Markup('<bdi dir="ltr">%s</bdi>') % username
    return Markup('<bdi title="%s">%s</bdi>') % (username, name)


def init_app(app) -> None:
    app.jinja_env.filters["person"] = person
