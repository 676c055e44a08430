"""The delivery register: every delivery of a period, a program or a beneficiary, with proof.

A page reads only its own records: the filters are answered by the store's indexes
(dates as a range, program and beneficiary as equalities), which give record ids
without reading records; the ids are ordered, one page of them read. The Excel
export (and the command line's) reads the same ids and streams the records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from deliveries.records import DELIVERIES, KINDS, TRANSFER_STATES
from forms.dates import format_date
from sheets import write_table

CHUNK = 500  # records read at once by an export


@dataclass(frozen=True)
class Filters:
    start: dt.date | None = None
    end: dt.date | None = None  # inclusive
    program_id: int | None = None
    beneficiary_id: int | None = None

    def equalities(self) -> dict:
        where = {"program_id": self.program_id, "beneficiary_id": self.beneficiary_id}
        return {key: value for key, value in where.items() if value is not None}


def _ids(store, filters: Filters) -> list[int] | None:
    """Return the matching ids newest delivery first, or None when nothing filters."""
    if filters.start is None and filters.end is None:
        return None
    low = filters.start.isoformat() if filters.start else None
    high = (filters.end + dt.timedelta(days=1)).isoformat() if filters.end else None
    found = store.ids_between(DELIVERIES, "date", low, high)
    for key, value in filters.equalities().items():
        held = {rid for _value, rid in store.ids_between(DELIVERIES, key, value, value + 1)}
        found = [(day, rid) for day, rid in found if rid in held]
    return [rid for _day, rid in sorted(found, key=lambda pair: (pair[0], pair[1]), reverse=True)]


def page(store, filters: Filters, offset: int, limit: int) -> tuple[list[dict], int]:
    """Return one page of the register (newest delivery date first) and how many match."""
    ids = _ids(store, filters)
    if ids is None:  # newest recorded first, straight from the index or the collection
        return store.page(
            DELIVERIES, where=filters.equalities() or None, offset=offset, limit=limit
        )
    return store.get_many(DELIVERIES, ids[offset : offset + limit]), len(ids)


def all_of(store, filters: Filters) -> Iterator[dict]:
    """Yield every matching record, in the page's order, a chunk of records at a time."""
    ids = _ids(store, filters)
    if ids is None and filters.equalities():  # a program's or a person's: read once
        yield from reversed(store.find(DELIVERIES, where=filters.equalities()))
        return
    if ids is None:
        yield from store.iter(DELIVERIES, reverse=True, stream=True)
        return
    for start in range(0, len(ids), CHUNK):
        yield from store.get_many(DELIVERIES, ids[start : start + CHUNK])


HEADERS = [
    _l("رقم التسليم"),
    _l("التاريخ"),
    _l("المستفيد"),
    _l("ما قُدّم"),
    _l("المبلغ (ريال)"),
    _l("الكمية"),
    _l("البيان"),
    _l("الطلب"),
    _l("البرنامج"),
    _l("سندات الصرف والقبض"),
    _l("التحويل البنكي"),
    _l("الإثباتات"),
    _l("الرابط"),
]


def _row(record: dict, link, lang: str) -> list:
    transfer = record.get("transfer") or {}
    return [
        record["id"],
        format_date(record.get("date"), lang),
        record.get("name") or record.get("group", ""),
        str(KINDS.get(record.get("kind"), record.get("kind", ""))),
        record.get("amount"),
        record.get("quantity"),
        record.get("description", ""),
        record.get("case_ref", ""),
        record.get("program_name", ""),
        "، ".join(v["number"] for v in record.get("vouchers") or ()),
        f"{TRANSFER_STATES[transfer['status']]} {transfer.get('reference', '')}".strip()
        if transfer
        else "",
        "، ".join(p["name"] for p in record.get("proofs") or ()),
        link(record),
    ]


def export(records, out, link, lang: str = "ar") -> int:
    """Write the register to `out` in `lang` (Arabic right to left); `link(record)` is each
    line's address of its proofs. Return the number of lines."""
    with force_locale(lang):
        rows = (_row(record, link, lang) for record in records)
        title, headers = str(_l("سجل التسليم")), [str(h) for h in HEADERS]
        return write_table(
            title, headers, rows, out, rtl=lang == "ar", numbers=frozenset({0, 4, 5})
        )
