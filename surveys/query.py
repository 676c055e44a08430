"""A form's results for a filter, read from the store: the figures, the response rates,
the comments.

A filter by period and at most one fact (a channel, kind of service, staff member or
program) is answered by the kept tallies: a record per Hijri month the period fills
(surveys/months.py, a few dozen whatever the number of answers, each holding every group,
so two groups side by side read them once), and the day tallies of a month the period
cuts. Two facts at once are answered by the indexes of the answers' facts, which read
only the answers they match.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from cases import served
from forms.definition import FormDefinition
from store import AnyOf, normalize_text
from submissions.service import collection
from surveys import figures, months, tallies

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


def by_month(store, form: FormDefinition, flt: Filter, values=None, dimension=None):
    """Return the answers the filter keeps (or, with values, those of each group
    flt.with_group(dimension, value)) added up by Hijri month, in figures.by_month's shape:
    the whole months from the kept month tallies, the months the period cuts from their
    days, or, for several facts at once, from the answers."""
    flts = [flt] if values is None else [flt.with_group(dimension, v) for v in values]
    wheres = [f.where() for f in flts]
    if any(len(where) > 1 for where in wheres):
        return [_from_answers(store, form, f) for f in flts]
    groups = ["".join(f"{k.removeprefix('facts.')}={v}" for k, v in w.items()) for w in wheres]
    whole, cut = months.read(store, form.id, flt.start, flt.end, groups)
    out = []
    for group in groups:
        found = whole[group]
        for first, last in cut:
            found |= figures.by_month(tallies.days_between(store, form.id, first, last, group))
        out.append(dict(sorted(found.items(), key=lambda item: item[1]["first"])))
    return out


def _from_answers(store, form: FormDefinition, flt: Filter) -> dict:
    records = store.find(collection(form.id), where=flt.where())
    return figures.by_month(tallies.record_days(form, records, flt.start, flt.end))


def _within(day: str | None, flt: Filter) -> bool:
    return bool(day) and (not flt.start or day >= flt.start) and (not flt.end or day <= flt.end)


def delivered(store, flt: Filter) -> dict | None:
    """Return the services delivered in the period and the personal survey links offered
    (one for each request first served in it), or None when the filter names what a
    request does not record (the kind of service answered, a program)."""
    if flt.service or flt.program:
        return None
    return served.count(store, flt.start, flt.end, channel=flt.channel, staff=flt.staff)


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
    found = figures.summary(form, by_month(store, form, flt)[0], lang)
    counts = delivered(store, flt) if form.id == SURVEY_FORM else None
    found["response_rate"] = rates(found, counts)
    found["filter"] = flt.as_dict()
    return found


def compare(store, form: FormDefinition, flt: Filter, dimension: str, values, lang="ar"):
    """Return the headline and question figures of two groups side by side."""
    if dimension not in tallies.DIMENSIONS:
        raise ValueError(dimension)
    out = []
    for value, found in zip(values, by_month(store, form, flt, values, dimension), strict=True):
        group = figures.merged(entry["tally"] for entry in found.values())
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
