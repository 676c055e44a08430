"""Arabic first, with an English switch: locale choice, direction, date filters."""

from __future__ import annotations

import datetime as dt

from flask import (
    Blueprint,
    current_app,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import Babel, get_locale
from markupsafe import Markup

from forms.dates import format_date
from forms.definition import localized
from forms.saudi import mask
from web.redirects import safe_next

bp = Blueprint("i18n", __name__)
babel = Babel()


def current_lang() -> str:
    if not has_request_context():
        return "ar"  # the command line and background jobs speak the users' language
    lang = session.get("lang")
    return lang if lang in current_app.config["LANGUAGES"] else "ar"


def _select_locale() -> str:
    return current_lang()


@bp.get("/lang/<code>")
def switch(code: str):
    """Remember the language and go back where the person was (same site only), query and all."""
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    back = request.args.get("next") or request.referrer or ""
    # The query comes along: a survey link's ?b=... ties the answers to the person's file.
    return redirect(safe_next(back, request.host) or url_for("staff.index"))


def date_html(value) -> Markup:
    """Show a date as Hijri then Gregorian, each half kept whole on one line."""
    # A table cell may wrap between the two dates, never inside one: "(2026/12/17"
    # on one line and "م)" on the next read as two broken dates.
    text = format_date(value, current_lang())
    hijri, sep, gregorian = text.partition(" (")
    if not text:
        return Markup("")
    if not sep:
        return Markup('<span class="date">%s</span>') % text
    return Markup('<span class="date">%s</span> <span class="date">(%s</span>') % (hijri, gregorian)


RIYADH = dt.timezone(dt.timedelta(hours=3), "Asia/Riyadh")  # no daylight saving


def local_time_html(value) -> Markup:
    """Show a stored UTC moment (ISO text) as the day and time in Riyadh."""
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return Markup("%s") % (value or "")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone(RIYADH)
    return date_html(local.date()) + Markup(' <span class="time" dir="ltr">%s</span>') % (
        local.strftime("%H:%M")
    )


def init_app(app) -> None:
    babel.init_app(app, locale_selector=_select_locale)
    app.register_blueprint(bp)

    @app.context_processor
    def language():
        lang = str(get_locale() or "ar")
        return {"lang": lang, "dir": "rtl" if lang == "ar" else "ltr"}

    app.jinja_env.filters["hijri"] = date_html
    app.jinja_env.filters["localtime"] = local_time_html
    app.jinja_env.filters["loc"] = lambda text: localized(text, current_lang())
    app.jinja_env.filters["mask"] = lambda value: mask(str(value)) if value else ""
