"""Error pages a person can read: Arabic (or English) text, never a stack trace."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from accounts import audit as trail
from store.errors import DiskFull, FilesUnavailable, disk_full

INSUFFICIENT_STORAGE = 507
SERVICE_UNAVAILABLE = 503


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
        "disk_full": _(
            "امتلأ قرص الخادم، فلم يكتمل هذا الطلب ولم يُحفظ منه شيء."
            " أبلغ مدير النظام ليوفّر مساحة، ثم أعد المحاولة."
        ),
        "files_unavailable": _(
            "تعذّر الوصول إلى مخزن الملفات، فلم يكتمل هذا الطلب ولم يُحفظ منه شيء."
            " ارجع إلى الصفحة السابقة وأعد الإرسال بعد قليل، وأبلغ مدير النظام إن تكرر ذلك."
        ),
        "disk_pending": _(
            "امتلأ قرص الخادم أثناء الحفظ، لكن الطلب سُجّل كاملًا وسيكتمل حفظه تلقائيًا"
            " حين تتوفر مساحة. لا تُعِد إرساله، وأبلغ مدير النظام."
        ),
    }


def _page(code: int, key: int | str | None = None):
    text = _messages().get(key or code, _messages()[400])
    return render_template("errors/error.html", code=code, text=text), code


def disk_full_page(exc: BaseException | None = None):
    """Return the page of a request stopped by a full disk, saying whether it was kept.

    Kept means a change with its audit entry whose journal was written whole: a
    person's change always has one. A pending write without one is a step the
    store takes first (a form version frozen before the submission that names
    it): the person's own change was not reached.
    """
    kept = isinstance(exc, DiskFull) and exc.pending and trail.COLLECTION in exc.collections
    return _page(INSUFFICIENT_STORAGE, "disk_pending" if kept else "disk_full")


def init_app(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_exc):
        return _page(400, "csrf")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return _page(exc.code or 500)

    @app.errorhandler(FilesUnavailable)
    def files_unavailable(exc: FilesUnavailable):
        # Not a bug: the object storage is down or refuses us (docs/operations.md). The
        # message names the bucket and the reason, never a credential.
        app.logger.error("the files' storage cannot be reached: %s", exc)
        return _page(SERVICE_UNAVAILABLE, "files_unavailable")

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        full = disk_full(exc)
        if full is not None:
            # Not a bug: the administrator frees space (docs/operations.md).
            app.logger.error("the disk is full: %s", full)
            return disk_full_page(full)
        app.logger.exception("unhandled error", exc_info=exc)
        return _page(InternalServerError.code)
