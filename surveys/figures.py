"""The figures of a form's answers, from tallies: pure functions, no store, no Flask.

A tally counts answers: how many (n), how many came through a personal survey link, and
for each question how many answered it and how many gave each value:

    {"n": 12, "personal": 3, "q": {"rate_speed": {"a": 12, "v": {"4": 7, "5": 5}}}}

Tallies add up (merge), so a day's tally, a month's and a whole period's are the same
shape: the page, `surveys summary` and a board report print the same figures from them.
CSAT is the share of 4 and 5 among the answers to 1-5 items; NPS the share of 9-10 minus
the share of 0-6 on 0-10 items, from -100 to +100, never an average. Fewer than MIN_SHOWN
answers give no percentage: too few to say anything.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping

from forms.dates import hijri
from forms.definition import FormDefinition, localized

MIN_SHOWN = 5  # fewer answers than this in a group: a warning, not a percentage
RATING, NPS = "rating", "nps"
COUNTED = {"rating", "nps", "select_one", "select_multiple", "yes_no", "integer", "decimal"}
TEXTS = {"text", "textarea"}
HIJRI_MONTHS = {
    "ar": "محرم صفر ربيع_الأول ربيع_الآخر جمادى_الأولى جمادى_الآخرة رجب شعبان رمضان شوال "
    "ذو_القعدة ذو_الحجة",
    "en": "Muharram Safar Rabi'_al-Awwal Rabi'_al-Thani Jumada_al-Ula Jumada_al-Akhirah Rajab "
    "Sha'ban Ramadan Shawwal Dhu_al-Qi'dah Dhu_al-Hijjah",
}


def empty() -> dict:
    return {"n": 0, "personal": 0, "q": {}}


def value_key(value: object) -> str:
    """Return how a value is kept as a tally key (JSON keys are text)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def tally_of(form: FormDefinition, answers: Mapping, *, personal: bool = False) -> dict:
    """Return the tally of one answer to `form`."""
    out = {"n": 1, "personal": int(personal), "q": {}}
    for fdef in form.answer_fields():
        kind, value = fdef["type"], answers.get(fdef["name"])
        if value in (None, "", []):
            continue
        if kind in TEXTS:
            out["q"][fdef["name"]] = {"a": 1, "v": {}}
        elif kind == "select_multiple" and isinstance(value, list):
            out["q"][fdef["name"]] = {"a": 1, "v": {value_key(v): 1 for v in value}}
        elif kind in COUNTED and not isinstance(value, list | dict):
            out["q"][fdef["name"]] = {"a": 1, "v": {value_key(value): 1}}
    return out


def merge(total: dict, more: Mapping, sign: int = 1) -> dict:
    """Add the tally `more` into `total` (sign=-1 takes it away) and return `total`."""
    total["n"] += sign * more.get("n", 0)
    total["personal"] += sign * more.get("personal", 0)
    for name, item in (more.get("q") or {}).items():
        mine = total["q"].setdefault(name, {"a": 0, "v": {}})
        mine["a"] += sign * item.get("a", 0)
        for key, count in (item.get("v") or {}).items():
            left = mine["v"].get(key, 0) + sign * count
            if left:
                mine["v"][key] = left
            else:
                mine["v"].pop(key, None)
        if not mine["a"] and not mine["v"]:
            del total["q"][name]
    return total


def merged(tallies: Iterable[Mapping]) -> dict:
    total = empty()
    for one in tallies:
        merge(total, one)
    return total


def percent(part: int, whole: int) -> float | None:
    """Return part/whole in percent to one decimal, or None under MIN_SHOWN answers."""
    return round(100 * part / whole, 1) if whole >= MIN_SHOWN else None


def _numbers(values: Mapping[str, int]) -> list[tuple[float, int]]:
    found = []
    for key, count in values.items():
        try:
            found.append((float(key), count))
        except ValueError:
            continue
    return sorted(found)


def spread(values: Mapping[str, int]) -> dict:
    """Return n, mean, standard deviation, min and max of counted numbers."""
    pairs = _numbers(values)
    n = sum(c for _v, c in pairs)
    if not n:
        return {"n": 0, "mean": None, "sd": None, "min": None, "max": None}
    mean = sum(v * c for v, c in pairs) / n
    var = sum(c * (v - mean) ** 2 for v, c in pairs) / n
    return {
        "n": n,
        "mean": round(mean, 2),
        "sd": round(math.sqrt(var), 2),
        "min": _plain(pairs[0][0]),
        "max": _plain(pairs[-1][0]),
    }


def _plain(number: float) -> int | float:
    return int(number) if float(number).is_integer() else number


def csat(values: Mapping[str, int]) -> dict:
    """Return the satisfied (4-5) among the answers to 1-5 items, with the percentage."""
    n = sum(c for k, c in values.items() if k in {"1", "2", "3", "4", "5"})
    satisfied = values.get("4", 0) + values.get("5", 0)
    return {"n": n, "satisfied": satisfied, "percent": percent(satisfied, n)}


def nps(values: Mapping[str, int]) -> dict:
    """Return promoters (9-10), passives (7-8), detractors (0-6) and the score."""
    counts = {str(k): values.get(str(k), 0) for k in range(11)}
    n = sum(counts.values())
    promoters = counts["9"] + counts["10"]
    passives = counts["7"] + counts["8"]
    detractors = n - promoters - passives
    score = round(100 * (promoters - detractors) / n, 1) if n >= MIN_SHOWN else None
    return {
        "n": n,
        "promoters": promoters,
        "passives": passives,
        "detractors": detractors,
        "promoters_percent": percent(promoters, n),
        "passives_percent": percent(passives, n),
        "detractors_percent": percent(detractors, n),
        "score": score,
    }


def _pooled(form: FormDefinition, tally: Mapping, kind: str) -> dict[str, int]:
    pooled: dict[str, int] = {}
    for fdef in form.answer_fields():
        if fdef["type"] == kind:
            for key, count in _values(tally, fdef["name"]).items():
                pooled[key] = pooled.get(key, 0) + count
    return pooled


def _values(tally: Mapping, name: str) -> dict[str, int]:
    return dict(((tally.get("q") or {}).get(name) or {}).get("v") or {})


def _labels(form: FormDefinition, fdef: dict, lang: str) -> dict[str, str]:
    if fdef["type"] == "yes_no":
        return {"yes": "نعم" if lang == "ar" else "Yes", "no": "لا" if lang == "ar" else "No"}
    return {c["value"]: localized(c.get("label"), lang) for c in form.choices(fdef)}


def _rows(order: list[str], labels: Mapping[str, str], values: Mapping[str, int], whole: int):
    """Return one row per value (the defined ones in their order, then any other seen)."""
    keys = order + sorted(k for k in values if k not in order)
    return [
        {
            "value": k,
            "label": labels.get(k, k),
            "count": values.get(k, 0),
            "percent": percent(values.get(k, 0), whole),
        }
        for k in keys
    ]


def _scale(kind: str) -> list[str]:
    return [str(k) for k in (range(1, 6) if kind == RATING else range(11))]


def histogram(values: Mapping[str, int], bins: int = 10) -> list[dict]:
    """Return the bars of a numbers question: one per value when few whole numbers, else
    `bins` equal ranges from the smallest to the largest."""
    pairs = _numbers(values)
    if not pairs:
        return []
    low, high = pairs[0][0], pairs[-1][0]
    if all(v.is_integer() for v, _c in pairs) and high - low < bins:
        return [
            {"low": _plain(v), "high": _plain(v), "label": str(_plain(v)), "count": c}
            for v, c in pairs
        ]
    width = (high - low) / bins
    bars = [
        {"low": round(low + i * width, 2), "high": round(low + (i + 1) * width, 2), "count": 0}
        for i in range(bins)
    ]
    for v, c in pairs:
        bars[min(int((v - low) / width), bins - 1)]["count"] += c
    for bar in bars:
        bar["label"] = f"{bar['low']:g}–{bar['high']:g}"
    return bars


def question(form: FormDefinition, fdef: dict, tally: Mapping, lang: str = "ar") -> dict:
    """Return the figures of one question: what its chart and its table show."""
    kind, name = fdef["type"], fdef["name"]
    item = (tally.get("q") or {}).get(name) or {}
    answered, values = item.get("a", 0), dict(item.get("v") or {})
    out = {
        "name": name,
        "type": kind,
        "label": localized(fdef.get("label"), lang),
        "answered": answered,
        "few": 0 < answered < MIN_SHOWN,
    }
    if kind in (RATING, NPS):
        scale = _scale(kind)
        out["rows"] = _rows(scale, {k: k for k in scale}, values, answered)
        out["spread"] = spread(values)
        out["csat" if kind == RATING else "nps"] = csat(values) if kind == RATING else nps(values)
    elif kind in ("select_one", "select_multiple", "yes_no"):
        labels = _labels(form, fdef, lang)
        out["rows"] = _rows(list(labels), labels, values, answered)
    elif kind in ("integer", "decimal"):
        out["spread"] = spread(values)
        out["rows"] = histogram(values)
    return out


def charted(form: FormDefinition) -> list[dict]:
    """Return the fields whose answers the results show (a chart or the comments)."""
    return [f for f in form.answer_fields() if f["type"] in COUNTED | TEXTS]


def headline(form: FormDefinition, tally: Mapping) -> dict:
    """Return responses, CSAT over every 1-5 item and NPS over every 0-10 item."""
    has = {f["type"] for f in form.answer_fields()}
    return {
        "responses": tally.get("n", 0),
        "personal": tally.get("personal", 0),
        "few": 0 < tally.get("n", 0) < MIN_SHOWN,
        "csat": csat(_pooled(form, tally, RATING)) if RATING in has else None,
        "nps": nps(_pooled(form, tally, NPS)) if NPS in has else None,
    }


def month_of(day: dt.date) -> tuple[int, int, bool]:
    """Return (year, month, is_hijri): the Umm al-Qura month, or the Gregorian outside it."""
    h = hijri(day)
    return (h.year, h.month, True) if h else (day.year, day.month, False)


def month_label(year: int, month: int, is_hijri: bool, lang: str = "ar") -> str:
    if not is_hijri:
        return f"{year:04d}/{month:02d}"
    name = HIJRI_MONTHS["en" if lang == "en" else "ar"].split()[month - 1].replace("_", " ")
    return f"{name} {year}" + (" هـ" if lang != "en" else " AH")


def by_month(days: Mapping[str, Mapping]) -> dict[tuple, dict]:
    """Return the tallies of days added up by Hijri month, with each month's first and
    last day that had answers, oldest month first."""
    months: dict[tuple, dict] = {}
    for iso, tally in sorted(days.items()):
        day = dt.date.fromisoformat(iso)
        entry = months.setdefault(month_of(day), {"tally": empty(), "first": day, "last": day})
        merge(entry["tally"], tally)
        entry["last"] = day
    return months


def trend(form: FormDefinition, days: Mapping[str, Mapping], lang: str = "ar") -> list[dict]:
    """Return CSAT and NPS by Hijri month (oldest first), with the Gregorian days each
    month's answers came on."""
    return _trend(form, by_month(days), lang)


def _trend(form: FormDefinition, months: dict[tuple, dict], lang: str) -> list[dict]:
    out = []
    for (year, month, is_hijri), entry in months.items():
        head = headline(form, entry["tally"])
        out.append(
            {
                "month": f"{year:04d}-{month:02d}",
                "calendar": "hijri" if is_hijri else "gregorian",
                "label": month_label(year, month, is_hijri, lang),
                "from": entry["first"].isoformat(),
                "to": entry["last"].isoformat(),
                "responses": head["responses"],
                "csat": (head["csat"] or {}).get("percent"),
                "nps": (head["nps"] or {}).get("score"),
            }
        )
    return out


def summary(form: FormDefinition, months: Mapping[tuple, Mapping], lang: str = "ar") -> dict:
    """Return every figure of a form's answers, from their tallies by month (by_month)."""
    total = merged(entry["tally"] for entry in months.values())
    return {
        "form": form.id,
        "title": form.title(lang),
        **headline(form, total),
        "questions": [question(form, f, total, lang) for f in charted(form)],
        "trend": _trend(form, months, lang),
    }
