"""What waits for a person: the sections of her home page, chosen by what she may do.

Each section is a list of requests in one step of the policy (nearest deadline first)
or of things a quality officer or admin must see to, with how many there are in all.
Only the open requests are read (a few weeks' intake, found by the state index) and
today's requests (by the date index), however many years are kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from cases.calendar import HOLIDAYS, days_off
from cases.dashboard import Row, open_rows

SHOWN = 10  # lines of one section; the count and a link lead to the rest


@dataclass
class Section:
    key: str
    title: object
    rows: list = field(default_factory=list)  # dashboard Rows, or dicts with label/url
    total: int = 0
    link: tuple[str, dict] | None = None  # endpoint and arguments of "see all"

    @property
    def overdue(self) -> int:
        return sum(1 for r in self.rows if isinstance(r, Row) and r.status == "overdue")


# The requests a permission is waiting on: (section key, title, states).
WAITING = (
    ("cases.intake", "received", _l("بانتظار التحقق من البيانات"), ("received",)),
    ("cases.intake", "verified", _l("بانتظار الإقرار أو الإحالة للبحث"), ("verified",)),
    ("cases.intake", "declared", _l("بانتظار الرفع إلى لجنة البحث"), ("declared",)),
    ("cases.research", "research", _l("محالة إليّ للبحث الاجتماعي"), ("research",)),
    ("cases.decide", "committee", _l("بانتظار قرار اللجنة"), ("committee",)),
)


def _of(rows: list[Row], states: tuple[str, ...]) -> list[Row]:
    return [r for r in rows if r.case["state"] in states]


def _section(key, title, rows: list[Row], link) -> Section:
    return Section(key, title, rows[:SHOWN], len(rows), link)


def request_sections(store, can, today: dt.date) -> list[Section]:
    """Return the request sections for a person whose permissions `can` answers."""
    if not can("cases.read"):
        return []
    rows = open_rows(store, days_off(store.iter(HOLIDAYS)), today)
    out: list[Section] = []
    if can("cases.intake"):
        iso = today.isoformat()
        todays = [r for r in rows if r.case.get("opened_on") == iso]
        out.append(_section("today", _l("طلبات اليوم"), todays, ("cases.index", {})))
    for permission, key, title, states in WAITING:
        if can(permission):
            out.append(_section(key, title, _of(rows, states), ("cases.index", {"state": key})))
    late = [r for r in rows if r.status == "overdue"]
    if late or can("users.manage") or can("forms.manage"):
        out.append(_section("overdue", _l("طلبات تجاوزت موعد القرار"), late, ("cases.index", {})))
    return out
