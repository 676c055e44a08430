"""Kept tallies of every form's answers, one record per form and Saudi day.

The submission's own save step (submissions.service.save) and a correction
(cases/corrections.py) call `add` / `replace` inside their transaction: the answer, its
facts and its day's tally are stored together or not at all, so a results page reads a
few hundred day tallies instead of every answer. Each answer also keeps its facts (its
day, channel, kind of service, the staff member who served, the program, which comment
fields it filled), indexed, so a filtered page reads only the answers it matches.

Data stored before the tallies existed is counted once, on the first start that finds
it (`rebuild`): an answer without facts is one no tally holds yet.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterable, Mapping

from forms.dates import saudi_day
from forms.definition import FormDefinition
from store import AnyOf
from surveys import figures, months

TALLIES = "survey_tallies"
REBUILT = "rebuilt"  # the key of the record noting that older answers were counted
# The answers a survey gives about its service (the shipped satisfaction survey's names).
CHANNEL_ANSWER, SERVICE_ANSWER = "channel_used", "service_received"
DIMENSIONS = ("channel", "service", "staff", "program")
BATCH = 1000


def facts_of(form: FormDefinition, record: Mapping) -> dict:
    """Return what an answer is filtered by: its Saudi day, and where known the channel,
    the kind of service, who served (a personal link's request) and the program."""
    about, answers = record.get("about") or {}, record.get("answers") or {}
    facts = {
        "day": saudi_day(record["created_at"]).isoformat(),
        "channel": about.get("channel") or answers.get(CHANNEL_ANSWER) or record.get("channel"),
        "service": answers.get(SERVICE_ANSWER) or about.get("service"),
        "staff": about.get("staff"),
        "program": about.get("program"),
        "texts": [
            f["name"]
            for f in form.answer_fields()
            if f["type"] in figures.TEXTS and str(answers.get(f["name"]) or "").strip()
        ],
    }
    return {k: v for k, v in facts.items() if v not in (None, "", [])}


def tally_of(form: FormDefinition, record: Mapping) -> dict:
    return figures.tally_of(
        form,
        record.get("answers") or {},
        personal=bool((record.get("about") or {}).get("beneficiary")),
    )


def groups_of(facts: Mapping) -> list[str]:
    """Return the groups an answer is counted in: all answers (""), and one for each fact
    it has ("channel=phone", "staff=sara"), so that a filter by one of them reads tallies."""
    return ["", *(f"{d}={facts[d]}" for d in DIMENSIONS if d in facts)]


def _key(form_id: str, day: str, group: str) -> str:
    return f"{form_id}|{day}|{group}"


def _change(store, tx, form_id: str, facts: Mapping, tally: Mapping, sign: int) -> None:
    """Merge a tally into its day's records, in the caller's transaction (which holds the
    store's write lock, so no other writer changes them meanwhile)."""
    day, groups = facts["day"], groups_of(facts)
    months.change(store, tx, form_id, day, groups, tally, sign)
    for group in groups:
        found = store.find(TALLIES, where={"key": _key(form_id, day, group)})
        current = tx.get(TALLIES, found[0]["id"]) if found else None
        if current is None:
            base = figures.merge(figures.empty(), tally, sign)
            tx.insert(TALLIES, day_record(form_id, day, group, base))
        else:
            merged = figures.merge(current["tally"], tally, sign)
            tx.update(TALLIES, current["id"], {"tally": merged})


def day_record(form_id: str, day: str, group: str, tally: dict) -> dict:
    key = _key(form_id, day, group)
    return {"key": key, "form_id": form_id, "day": day, "group": group, "tally": tally}


def add(store, tx, form: FormDefinition, record: dict) -> dict:
    """Give a new answer its facts and count it in its day's tallies; return the record."""
    record["facts"] = facts_of(form, record)
    _change(store, tx, form.id, record["facts"], tally_of(form, record), 1)
    return record


def replace(store, tx, form: FormDefinition, old: Mapping, new: dict) -> dict:
    """Count a corrected answer instead of what it said before; return the new record."""
    if "facts" in old:  # counted: take its old answers away from its day
        _change(store, tx, form.id, old["facts"], tally_of(form, old), -1)
    new["facts"] = facts_of(form, new)
    _change(store, tx, form.id, new["facts"], tally_of(form, new), 1)
    return new


def days_between(store, form_id: str, first: str, last: str, group: str = "") -> dict:
    """Return {ISO day: tally} of one group's answers from first to last (both included),
    read by the key of each day (a month's days, not all of them)."""
    begin, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    keys = [
        _key(form_id, (begin + dt.timedelta(days=k)).isoformat(), group)
        for k in range((end - begin).days + 1)
    ]
    out: dict[str, dict] = {}
    for item in store.find(TALLIES, where={"key": AnyOf(keys)}) if keys else []:
        if item["tally"].get("n"):
            day = item["day"]
            out[day] = figures.merge(out[day], item["tally"]) if day in out else item["tally"]
    return out


def days(store, form_id: str, start=None, end=None, group: str = "") -> dict:
    """Return {ISO day: tally} of a form's answers from start to end (both included), all
    of them or those of one group (groups_of)."""
    out: dict[str, dict] = {}
    for item in store.find(TALLIES, where={"form_id": form_id, "group": group}):
        day = item["day"]
        if (start and day < start) or (end and day > end) or not item["tally"].get("n"):
            continue
        # One record a day, or two when a first start counting older answers made one
        # for a day a new answer had just opened: they add up.
        out[day] = figures.merge(out[day], item["tally"]) if day in out else item["tally"]
    return out


def _progress(done: int, total: int) -> None:
    end = "\n" if done >= total else "\r"
    print(
        f"Counting answers for the results pages: {done:,} of {total:,}", end=end, file=sys.stderr
    )


def rebuild(store, forms, progress: Callable[[int, int], None] = _progress) -> int:
    """Count every stored answer no tally holds yet (once per data folder); return how many.

    Under a lock: several server processes starting at once count each answer once.
    """
    counted = _count_older(store, forms, progress)
    with store.lock("survey_tallies"):  # after the days: the months add them up
        months.rebuild(store, TALLIES)
    return counted


def _count_older(store, forms, progress) -> int:
    with store.lock("survey_tallies"):
        if store.count(TALLIES, where={"key": REBUILT}):
            return 0
        names = [c for c in store.collections() if c.startswith("submissions/")]
        total = sum(store.count(c) for c in names)
        done = counted = 0
        for name in names:
            counter = _Counter(store, forms, name)
            batch: list[int] = []
            for record in store.iter(name, stream=True):
                done += 1
                if "facts" not in record:
                    batch.append(record["id"])
                if len(batch) >= BATCH:
                    counted += counter.count(batch)
                if total and done % 5000 == 0:
                    progress(done, total)
            counted += counter.count(batch)
        if total:
            progress(total, total)
        store.insert(TALLIES, {"key": REBUILT, "answers": counted})
    return counted


class _Counter:
    """Counts a collection's older answers batch by batch, each batch in one step."""

    def __init__(self, store, forms, name: str):
        self.store, self.forms, self.name = store, forms, name
        self.form_id = name.split("/", 1)[1]
        self.versions: dict[object, FormDefinition | None] = {}
        # The day tallies already kept, by key (one look-up each, not one per batch).
        found = store.find(TALLIES, where={"form_id": self.form_id})
        self.known = {item["key"]: item["id"] for item in found}

    def _form(self, record: dict) -> FormDefinition | None:
        version = record.get("form_version")
        if version not in self.versions:
            self.versions[version] = self.forms.for_record(record) or self.forms.get(self.form_id)
        return self.versions[version]

    def count(self, batch: list[int]) -> int:
        """Give a batch of older answers their facts and add them to their days' tallies."""
        by_day: dict[tuple[str, str], dict] = {}
        counted = 0
        with self.store.transaction() as tx:
            for rid in batch:
                record = tx.get(self.name, rid)  # as it is now: a correction may have counted it
                form = self._form(record) if record and "facts" not in record else None
                if form is None:
                    continue
                facts = facts_of(form, record)
                tx.update(self.name, rid, {"facts": facts})
                tally = tally_of(form, record)
                for group in groups_of(facts):
                    figures.merge(by_day.setdefault((facts["day"], group), figures.empty()), tally)
                counted += 1
            for (day, group), tally in by_day.items():
                self._add(tx, day, group, tally)
        batch.clear()
        return counted

    def _add(self, tx, day: str, group: str, tally: dict) -> None:
        key = _key(self.form_id, day, group)
        current = tx.get(TALLIES, self.known[key]) if key in self.known else None
        if current is None:
            self.known[key] = tx.insert(TALLIES, day_record(self.form_id, day, group, tally))
        else:
            tx.update(TALLIES, current["id"], {"tally": figures.merge(current["tally"], tally)})


def record_days(form: FormDefinition, records: Iterable[Mapping], start=None, end=None) -> dict:
    """Return {ISO day: tally} of answers read one by one (a filtered page's path)."""
    out: dict[str, dict] = {}
    for record in records:
        day = (record.get("facts") or {}).get("day") or saudi_day(record["created_at"]).isoformat()
        if (start and day < start) or (end and day > end):
            continue
        figures.merge(out.setdefault(day, figures.empty()), tally_of(form, record))
    return out
