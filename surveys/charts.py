"""One chart per question, drawn on the server: SVG for the page, PNG for documents.

Each chart is a matplotlib Figure of its own (no pyplot and its global state, so threads
may draw at once), right to left: bars grow from the right, labels on the right, the
lowest score at the right end of a scale. matplotlib 3.11 shapes Arabic itself: the
labels go in as typed (no reshaping, which would reverse them). SVG stores the glyphs as
paths; `clean_svg` keeps only drawing elements, so no label can carry markup into a page.
"""

from __future__ import annotations

import functools
import io
import re
from typing import TYPE_CHECKING

import orjson

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# matplotlib is imported when the first chart is drawn, not with this module: it took two
# of the seconds every command and server process spent starting (`import app`).

# Arabic first, then a font with Latin letters and digits (Debian: fonts-noto-core, or
# fonts-kacst). Only installed families are named: matplotlib warns for every glyph it
# looks up in a missing one, which made a chart take a second.
ARABIC = ("Noto Sans Arabic", "Noto Naskh Arabic", "KacstOne", "Amiri")
BRAND = {"main": "#0b6e4f", "light": "#8cc7b1", "low": "#b42318", "mid": "#98a2b3"}
ALLOWED = {"svg", "g", "path", "defs", "use", "clipPath", "rect", "line", "polyline", "polygon"}
WIDTH = 6.4


def _installed(family: str) -> bool:
    from matplotlib.font_manager import FontProperties, findfont

    try:
        findfont(FontProperties(family=family), fallback_to_default=False)
    except ValueError:
        return False
    return True


@functools.cache
def fonts() -> list[str]:
    """Return the font families the charts name: the first Arabic one installed, then a
    font with Latin letters and digits."""
    return [family for family in ARABIC if _installed(family)][:1] + ["DejaVu Sans"]


def arabic_font() -> str | None:
    """Return the Arabic font the charts use, or None (they would show empty boxes)."""
    found = fonts()
    return found[0] if len(found) > 1 else None


def _font(size: float = 10) -> dict:
    return {"fontfamily": fonts(), "fontsize": size}


def _bars_rtl(ax, labels: list[str], values: list[float], colours, unit: str) -> None:
    """Horizontal bars growing from the right, first label at the top."""
    places = list(range(len(labels)))[::-1]
    ax.barh(places, values, color=colours, height=0.6)
    ax.set_yticks(places, labels, **_font())
    ax.yaxis.tick_right()
    ax.invert_xaxis()
    ax.set_xlim(max([*values, 1]) * 1.15, 0)
    for y, v in zip(places, values, strict=True):
        ax.text(v, y, f" {v:g}{unit} ", va="center", ha="right", **_font(9))


def _columns(ax, labels: list[str], values: list[int], colours) -> None:
    """Vertical bars of a scale, the lowest score on the right."""
    ax.bar(range(len(labels)), values, color=colours)
    ax.set_xticks(range(len(labels)), labels, **_font())
    ax.invert_xaxis()
    ax.yaxis.tick_right()
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 0.5 of an answer
    for x, v in enumerate(values):
        ax.text(x, v, f"{v}", ha="center", va="bottom", **_font(9))


def _rating_colour(value: str) -> str:
    n = int(value)
    return BRAND["main"] if n >= 4 else BRAND["mid"] if n == 3 else BRAND["low"]


def _nps_colour(value: str) -> str:
    n = int(value)
    return BRAND["main"] if n >= 9 else BRAND["mid"] if n >= 7 else BRAND["low"]


def _draw(q: dict, fig: Figure) -> None:
    ax = fig.subplots()
    rows, kind = q.get("rows") or [], q["type"]
    if kind == "rating":
        colours = [_rating_colour(r["value"]) for r in rows]
        _columns(ax, [r["label"] for r in rows], [r["count"] for r in rows], colours)
    elif kind == "nps":
        colours = [_nps_colour(r["value"]) for r in rows]
        _columns(ax, [r["label"] for r in rows], [r["count"] for r in rows], colours)
    elif kind in ("integer", "decimal"):
        _columns(ax, [r["label"] for r in rows], [r["count"] for r in rows], BRAND["main"])
        s = q.get("spread") or {}
        if s.get("n"):
            line = f"min {s['min']:g} · mean {s['mean']:g} · max {s['max']:g}"
            ax.set_title(line, **_font(9))
    else:
        shares = [r["percent"] or 0 for r in rows]
        _bars_rtl(ax, [r["label"] for r in rows], shares, BRAND["main"], "%")
    for side in ("top", "left"):
        ax.spines[side].set_visible(False)


def _trend(months: list[dict], fig: Figure) -> None:
    from matplotlib.font_manager import FontProperties

    ax = fig.subplots()
    labels = [m["label"] for m in months]
    xs = list(range(len(months)))
    csat = [m["csat"] if m["csat"] is not None else float("nan") for m in months]
    nps = [m["nps"] if m["nps"] is not None else float("nan") for m in months]
    ax.plot(xs, csat, marker="o", color=BRAND["main"], label="CSAT %")
    ax.plot(xs, nps, marker="s", color=BRAND["low"], label="NPS")
    ax.set_xticks(xs, labels, rotation=30, **_font(9))
    ax.invert_xaxis()  # the oldest month on the right
    ax.yaxis.tick_right()
    ax.set_ylim(-100, 100)
    ax.axhline(0, color=BRAND["mid"], linewidth=0.8)
    ax.legend(prop=FontProperties(family=fonts(), size=9))


@functools.lru_cache(maxsize=256)
def _render(data: bytes, fmt: str) -> bytes:
    item = orjson.loads(data)
    rows = len(item.get("rows") or item.get("months") or [])
    tall = 2.6 if item.get("type") in ("select_one", "select_multiple", "yes_no") else 2.8
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH, max(tall, 0.42 * rows + 0.8)), dpi=100)
    if "months" in item:
        _trend(item["months"], fig)
    else:
        _draw(item, fig)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    return out.getvalue()


def question_chart(q: dict, fmt: str = "svg") -> bytes:
    """Return the chart of one question's figures (surveys.figures.question) as SVG or PNG."""
    keep = {k: q.get(k) for k in ("type", "rows", "spread")}
    return _render(orjson.dumps(keep, option=orjson.OPT_SORT_KEYS), fmt)


def trend_chart(months: list[dict], fmt: str = "svg") -> bytes:
    """Return the chart of CSAT and NPS by month (surveys.figures.trend)."""
    keep = [{k: m[k] for k in ("label", "csat", "nps")} for m in months]
    return _render(orjson.dumps({"months": keep}), fmt)


_TAG = re.compile(r"<\s*/?\s*([A-Za-z][\w:.-]*)")


def clean_svg(svg: bytes, prefix: str) -> str:
    """Return SVG fit to put inside a page: no prolog, comments (matplotlib writes each
    label's text in one), metadata or style sheet (its rules would style the whole page);
    every id prefixed, so two charts on one page do not share one; drawing elements only."""
    text = svg.decode()
    text = re.sub(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"<metadata>.*?</metadata>|<style.*?</style>", "", text, flags=re.S)
    text = re.sub(r'id="([^"]+)"', rf'id="{prefix}-\1"', text)
    text = re.sub(r'(href|clip-path)="(url\()?#([^")]+)', rf'\1="\2#{prefix}-\3', text)
    tags = set(_TAG.findall(text))
    if not tags <= ALLOWED:
        raise ValueError(f"unexpected SVG elements: {sorted(tags - ALLOWED)}")
    if re.search(r"\son\w+\s*=|javascript:", text, flags=re.I):
        raise ValueError("SVG with a script")
    return text.strip()
