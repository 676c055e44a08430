"""A person's own account: change his password (at once, when it was a one-time password).

The Arabic wording of every account rule lives here, for this page and the
admin's users page alike; accounts/users.py words them in English for the CLI.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from flask_wtf import FlaskForm
from wtforms import PasswordField

import store
from accounts import users
from web.auditing import audit
from web.auth import LOGIN_LIMIT, LOGIN_WINDOW, User
from web.security import limiter

bp = Blueprint("account", __name__, url_prefix="/account")


def account_message(exc: users.AccountError) -> str:
    """Return the Arabic (or English) text of a refused account change."""
    texts = {
        "username": _(
            "اسم المستخدم من 2 إلى 32 حرفًا: أحرف إنجليزية صغيرة وأرقام و _ . - ويبدأ بحرف."
        ),
        "password_short": _("كلمة المرور %(n)s أحرف على الأقل.", n=users.MIN_PASSWORD),
        "password_long": _("كلمة المرور %(n)s حرف على الأكثر.", n=users.MAX_PASSWORD),
        "no_role": _("اختر دورًا واحدًا على الأقل."),
        "full_name": _(
            "الاسم الكامل حروف ومسافات فقط، %(n)s حرفًا على الأكثر.", n=users.FULL_NAME_MAX
        ),
        "unknown_role": _("دور غير معروف."),
        "taken": _("اسم المستخدم هذا موجود من قبل."),
        "no_user": _("المستخدم غير موجود."),
        "last_admin": _(
            "هذا آخر مدير نظام نشط: امنح مستخدمًا آخر دور مدير النظام أولًا، ثم أعد المحاولة."
        ),
    }
    return texts.get(exc.key, str(exc))


def mismatch_message() -> str:
    return _("كلمتا المرور غير متطابقتين.")


class PasswordForm(FlaskForm):
    current = PasswordField()
    password = PasswordField()
    confirm = PasswordField()


@bp.route("/password", methods=["GET", "POST"])
def password():
    form = PasswordForm()
    error = _change_password(form) if form.is_submitted() else ""
    if form.is_submitted() and not error:
        flash(_("غُيّرت كلمة المرور، وخرجت جلساتك الأخرى."), "notice")
        return redirect(url_for("staff.index"))
    forced = bool(current_user.record.get("must_change_password"))
    page = render_template("auth/password.html", form=form, error=error, forced=forced)
    return page, (400 if error else 200)


def _change_password(form: PasswordForm) -> str:
    """Change the signed-in person's password and return "", or return the message to show."""
    if not form.validate():
        return _("انتهت صلاحية الصفحة. أعد المحاولة.")
    name = current_user.username
    # Wrong current passwords count against the same lock-out as /login.
    if not limiter.hit(f"login:user:{name}", LOGIN_LIMIT, LOGIN_WINDOW):
        return _("محاولات دخول فاشلة كثيرة. انتظر ربع ساعة ثم حاول مرة أخرى.")
    data = store.get_store()
    if users.authenticate(data, name, form.current.data or "") is None:
        audit("password_failed", "user", current_user.record["id"])
        return _("كلمة المرور الحالية غير صحيحة.")
    if (form.password.data or "") != (form.confirm.data or ""):
        return mismatch_message()
    if form.password.data == form.current.data:
        return _("اختر كلمة مرور جديدة غير الحالية.")
    try:
        record = users.set_password(data, name, form.password.data)
    except users.AccountError as exc:
        return account_message(exc)
    limiter.reset(f"login:user:{name}")
    before = {"must_change_password": bool(current_user.record.get("must_change_password"))}
    audit(
        "change_password",
        "user",
        record["id"],
        before=before,
        after={"must_change_password": False},
    )
    # The new session version signed every session out, this one included: sign in again.
    login_user(User(record))
    return ""
