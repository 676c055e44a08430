"""Error pages a person can read: Arabic (or English) text, never a stack trace."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError


def _messages() -> dict[int, str]:
    return {
        400: _("الطلب غير صالح. ارجع إلى الصفحة السابقة وحاول مرة أخرى."),
        403: _("ليست لديك صلاحية لفتح هذه الصفحة."),
        404: _("الصفحة المطلوبة غير موجودة."),
        405: _("هذه العملية غير مسموحة على هذه الصفحة."),
        413: _("حجم ما أرسلته أكبر من المسموح. صغّر المرفقات وحاول مرة أخرى."),
        429: _("طلبات كثيرة في وقت قصير. انتظر قليلًا ثم حاول مرة أخرى."),
        500: _("حدث خطأ غير متوقع. لم يُحفظ شيء من هذا الطلب، حاول مرة أخرى."),
        "csrf": _("انتهت صلاحية الصفحة. ارجع إليها وحدّثها ثم أعد المحاولة."),
    }


def _page(code: int, key: int | str | None = None):
    text = _messages().get(key or code, _messages()[400])
    return render_template("errors/error.html", code=code, text=text), code


def init_app(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_exc):
        return _page(400, "csrf")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return _page(exc.code or 500)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        app.logger.exception("unhandled error", exc_info=exc)
        return _page(InternalServerError.code)
