"""A form's results for a filter, read from the store: the figures, the response rates,
the comments.

A filter by period alone is answered by the kept day tallies (a few hundred records
whatever the number of answers); a filter by channel, service, staff member or program
by the indexes of the answers' facts, which read only the answers it matches.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from cases.service import CASES
from forms.definition import FormDefinition
from store import AnyOf, normalize_text
from submissions.service import collection
from surveys import figures, tallies

SURVEY_FORM = "satisfaction_survey"  # the form personal survey links open
SEARCHED = 2000  # a comment search reads at most this many answers the text index finds


@dataclass(frozen=True)
class Filter:
    """Which answers: a period (ISO days, both included) and the facts they must have."""

    start: str | None = None
    end: str | None = None
    channel: str | None = None
    service: str | None = None
    staff: str | None = None
    program: int | None = None

    def where(self) -> dict:
        """Return the facts the answers must equal (indexed: surveys/tallies.py)."""
        return {
            f"facts.{name}": getattr(self, name)
            for name in tallies.DIMENSIONS
            if getattr(self, name) not in (None, "")
        }

    def with_group(self, dimension: str, value) -> Filter:
        return replace(self, **{dimension: value})

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}


def days(store, form: FormDefinition, flt: Filter) -> dict[str, dict]:
    """Return {ISO day: tally} of the answers the filter keeps: from the kept tallies of
    all answers or of one group, or, for several facts at once, from the answers."""
    where = flt.where()
    if len(where) <= 1:
        group = "".join(f"{k.removeprefix('facts.')}={v}" for k, v in where.items())
        return tallies.days(store, form.id, flt.start, flt.end, group)
    records = store.find(collection(form.id), where=where)
    return tallies.record_days(form, records, flt.start, flt.end)


def _within(day: str | None, flt: Filter) -> bool:
    return bool(day) and (not flt.start or day >= flt.start) and (not flt.end or day <= flt.end)


def delivered(store, flt: Filter) -> dict | None:
    """Return the services delivered in the period and the personal survey links offered
    (one for each request served in it), or None when the filter names what a request
    does not record (the kind of service answered, a program)."""
    if flt.service or flt.program:
        return None
    services = links = 0
    for case in store.find(CASES, where={"state": AnyOf(["served", "closed"])}):
        if flt.channel and case.get("channel") != flt.channel:
            continue
        done = [s for s in case.get("services") or [] if not flt.staff or s.get("by") == flt.staff]
        services += sum(1 for s in done if _within(s.get("service_date") or s["at"][:10], flt))
        first = next((h for h in case.get("history") or [] if h.get("move") == "serve"), None)
        if done and first and _within(first.get("on"), flt):
            links += 1
    return {"services": services, "links": links}


def rates(head: dict, counts: dict | None) -> dict | None:
    """Return the response rates: personal answers per link offered, answers per service."""
    if counts is None:
        return None
    return {
        **counts,
        "per_link": figures.percent(head["personal"], counts["links"]),
        "per_service": figures.percent(head["responses"], counts["services"]),
    }


def results(store, form: FormDefinition, flt: Filter, lang: str = "ar") -> dict:
    """Return every figure of the answers the filter keeps (what page and command print)."""
    found = figures.summary(form, days(store, form, flt), lang)
    counts = delivered(store, flt) if form.id == SURVEY_FORM else None
    found["response_rate"] = rates(found, counts)
    found["filter"] = flt.as_dict()
    return found


def compare(store, form: FormDefinition, flt: Filter, dimension: str, values, lang="ar"):
    """Return the headline and question figures of two groups side by side."""
    if dimension not in tallies.DIMENSIONS:
        raise ValueError(dimension)
    out = []
    for value in values:
        group = figures.merged(days(store, form, flt.with_group(dimension, value)).values())
        out.append(
            {
                "value": value,
                **figures.headline(form, group),
                "questions": [
                    figures.question(form, f, group, lang) for f in figures.charted(form)
                ],
            }
        )
    return out


def choices(store, form: FormDefinition) -> dict[str, list]:
    """Return the values each fact takes among a form's answers (the filters' options)."""
    name = collection(form.id)
    return {
        dim: sorted((v for v in store.tally(name, f"facts.{dim}") if v is not None), key=str)
        for dim in tallies.DIMENSIONS
    }


def comments(store, form, field: str, flt: Filter, query: str = "", page=1, per_page=20):
    """Return (answers, how many) holding a comment in `field`, newest first, that the
    filter keeps and whose comment holds `query`."""
    name, start = collection(form.id), (max(page, 1) - 1) * per_page
    where = {"facts.texts[]": field, **flt.where()}
    needle = normalize_text(" ".join(query.split()))
    if flt.start or flt.end:  # the days of the period that had answers, by the index
        period = tallies.days(store, form.id, flt.start, flt.end)
        if not period:
            return [], 0
        where["facts.day"] = AnyOf(sorted(period))
        if not needle and len(where) == 2:
            total = sum(t["q"].get(field, {}).get("a", 0) for t in period.values())
            return _period_page(store, name, field, where["facts.day"], start, per_page), total
    if not needle:
        return store.page(name, offset=start, limit=per_page, where=where)

    def keeps(record) -> bool:
        facts = record.get("facts") or {}
        text = normalize_text(str((record.get("answers") or {}).get(field) or ""))
        return _within(facts.get("day"), flt) and needle in text

    hits = store.text_search(name, [needle], limit=SEARCHED)
    if hits is None:  # no needle the text index can take: read the commented answers
        return store.page(name, offset=start, limit=per_page, where=where, predicate=keeps)
    found = [r for r in store.get_many(name, hits[0]) if keeps(r) and _holds(r, where)]
    return found[start : start + per_page], len(found)


def _period_page(store, name: str, field: str, days: AnyOf, start: int, per_page: int):
    """Return one page of a period's comments, newest first: the period's answers read a
    window at a time by the index of their days, the commented ones kept. (The index of
    two facts at once, day and comment, walked 100,000 rows for a quarter two years ago.)"""
    found: list[dict] = []
    offset, window = 0, max(4 * per_page, 50)
    while len(found) < start + per_page:
        records, total = store.page(name, offset=offset, limit=window, where={"facts.day": days})
        found += [r for r in records if field in (r.get("facts") or {}).get("texts", [])]
        offset += window
        if offset >= total:
            break
    return found[start : start + per_page]


def _holds(record: dict, where: dict) -> bool:
    facts = record.get("facts") or {}
    for key, value in where.items():
        held = facts.get(key.removeprefix("facts.").removesuffix("[]"))
        if isinstance(value, AnyOf):
            if held not in value:
                return False
        elif (value not in (held or [])) if key.endswith("[]") else held != value:
            return False
    return True
