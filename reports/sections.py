"""What a report prints, in the order it prints it: sections of (label, value) rows with a
chart each where one helps. The Word, PDF and Excel documents print the same sections.

Figures come in (reports/board.py, surveys/query.py), text comes out: Arabic, with
"too few answers" where a percentage would mean nothing.
"""

from __future__ import annotations

from deliveries.records import KINDS
from forms.dates import format_date
from forms.definition import localized
from surveys import charts, figures

FEW = f"أقل من {figures.MIN_SHOWN} إجابات: لا نسبة"
NPS_NAMES = (
    ("promoters", "المروّجون (9-10)"),
    ("passives", "المحايدون (7-8)"),
    ("detractors", "المنتقدون (0-6)"),
)


def pct(value) -> str:
    return FEW if value is None else f"{value:g}٪"


def share(value) -> str:
    """A share of requests: every one counts, so none is too few (a dash when none)."""
    return "—" if value is None else f"{value:g}٪"


def signed(value) -> str:
    return FEW if value is None else f"{value:+g}"


def section(title: str, rows: list[tuple[str, object]], chart: bytes | None = None) -> dict:
    return {"title": title, "rows": [(label, str(value)) for label, value in rows], "chart": chart}


def channel_names(profile: dict) -> dict[str, str]:
    return {c["value"]: localized(c.get("label"), "ar") for c in profile.get("channels") or []}


def satisfaction(found: dict, charts_on: bool = True) -> list[dict]:
    """Return the sections of a survey's figures: headline, NPS split, trend, lowest items."""
    head = [("عدد الإجابات", found["responses"])]
    if found.get("csat"):
        head.append(("رضا المستفيدين CSAT (نسبة 4-5 من 5)", pct(found["csat"]["percent"])))
        head.append(("عدد التقييمات", found["csat"]["n"]))
    if found.get("nps"):
        head.append(("صافي نقاط الترويج NPS", signed(found["nps"]["score"])))
    out = [section("رضا المستفيدين", head)]
    if found.get("nps") and found["nps"]["n"]:
        nps = found["nps"]
        rows = [(name, f"{nps[k]} ({pct(nps[k + '_percent'])})") for k, name in NPS_NAMES]
        out.append(section("توزيع صافي نقاط الترويج", rows))
    if found.get("trend"):
        rows = [
            (m["label"], f"CSAT {pct(m['csat'])} — NPS {signed(m['nps'])} — {m['responses']} إجابة")
            for m in found["trend"]
        ]
        chart = charts.trend_chart(found["trend"], "png") if charts_on else None
        out.append(section("الاتجاه الشهري", rows, chart))
    if found.get("lowest"):
        rows = [(q["label"], f"{q['spread']['mean']:g} من 5") for q in found["lowest"]]
        out.append(section("البنود الأدنى تقييمًا (المتوسط)", rows))
    return out


def questions(found: dict, charts_on: bool = True) -> list[dict]:
    """Return a section per charted question: its rows and its chart (a survey's results)."""
    out = []
    for q in found["questions"]:
        if not q.get("rows"):
            continue
        rows = [(r["label"], f"{r['count']} ({pct(r.get('percent'))})") for r in q["rows"]]
        if q.get("spread") and q["spread"]["n"]:
            rows.append(("المتوسط", q["spread"]["mean"]))
        chart = charts.question_chart(q, "png") if charts_on else None
        out.append(section(q["label"], rows, chart))
    return out


def board(found: dict, profile: dict, charts_on: bool = True) -> list[dict]:
    """Return the sections of a board's report."""
    names = channel_names(profile)
    req, dec = found["requests"], found["decisions"]
    received = [("الطلبات الواردة", req["received"])]
    received += [(names.get(k) or k or "غير محدد", n) for k, n in req["channels"].items()]
    decided = [
        ("الطلبات التي بُتّ فيها", dec["decided"]),
        ("في المدة المحددة في السياسة", f"{dec['on_time']} ({share(dec['on_time_percent'])})"),
        (
            "متوسط مدة البت (يوم)",
            "—" if dec["average_days"] is None else f"{dec['average_days']:g}",
        ),
        ("المقبولة", f"{dec['accepted']} ({share(dec['accepted_percent'])})"),
    ]
    delivered = [
        (
            str(KINDS.get(kind, kind)),
            f"{d['count']}" + (f" — {d['amount']:,.2f} ريال" if d["amount"] else ""),
        )
        for kind, d in found["deliveries"].items()
    ] or [("لا توجد خدمات مقدمة في الفترة", "0")]
    c = found["complaints"]
    complaints = [
        ("الواردة في الفترة", c["received"]),
        ("المغلقة في الفترة", c["closed"]),
        ("منها ما أُغلق في موعد الرد", c["on_time"]),
        ("المفتوحة يوم الطباعة", c["open"]),
        ("المتأخرة عن موعد الرد يوم الطباعة", c["overdue"]),
    ]
    out = [
        section("الطلبات الواردة حسب القناة", received),
        section("البت في الطلبات", decided),
        section("الخدمات المقدمة حسب النوع", delivered),
    ]
    if found["satisfaction"] is not None:
        out += satisfaction(found["satisfaction"], charts_on)
    out.append(section("الشكاوى والمقترحات ومتابعتها", complaints))
    return out


def printed_on(today) -> str:
    return format_date(today)
