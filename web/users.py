"""The admin's users page: list, create, change roles, disable or enable, sign out, reset.

Every rule (names, passwords, roles, the last admin) is enforced by
accounts/users.py, which the users command uses too; this module only reads
the forms, words the refusals and leaves an audit record of each change.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, SelectMultipleField, StringField
from wtforms.widgets import CheckboxInput, ListWidget

import store
from accounts import users
from accounts.roles import ROLE_NAMES, ROLES
from forms.invisible import strip_invisible
from web.account import account_message, mismatch_message
from web.auditing import audit
from web.i18n import current_lang

bp = Blueprint("users", __name__, url_prefix="/users")


class RolesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        """Leave unknown roles to accounts.users.check_roles, which names them."""


class RolesForm(FlaskForm):
    roles = RolesField()
    # Shown wherever the person appears (lists, history, the audit trail), not the login.
    full_name = StringField(filters=[strip_invisible])


class NewUserForm(RolesForm):
    # A name pasted from an Arabic document may carry a direction mark: it goes.
    username = StringField(filters=[strip_invisible])
    mode = RadioField(default="one_time", validate_choice=False)
    password = PasswordField()
    confirm = PasswordField()


class ActionForm(FlaskForm):
    """A button with nothing to fill in: only its CSRF token."""


def role_choices() -> list[tuple[str, str]]:
    lang = current_lang()
    return [(role, ROLE_NAMES[role][lang]) for role in ROLES]


def _with_choices(form):
    form.roles.choices = role_choices()
    if isinstance(form, NewUserForm):
        form.mode.choices = [
            ("one_time", _("كلمة مرور مؤقتة يغيّرها المستخدم عند أول دخول")),
            ("password", _("أكتب كلمة المرور بنفسي")),
        ]
    return form


def _user_or_404(uid: int) -> dict:
    user = store.get_store().get(users.COLLECTION, uid)
    if user is None:
        abort(404)
    return user


def public_view(user: dict) -> dict:
    """What the trail keeps of a user: never the password hash."""
    keys = ("username", "full_name", "roles", "active", "must_change_password")
    return {key: user.get(key) for key in keys}


@bp.get("/")
def index():
    return render_template(
        "users/list.html", items=users.all_users(store.get_store()), names=dict(role_choices())
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = _with_choices(NewUserForm())
    if request.method == "GET":
        return render_template("users/new.html", form=form, error="")
    error, password = _create(form)
    if error:
        return render_template("users/new.html", form=form, error=error), 400
    if password:  # shown once, on this page only: never in a redirect or a flash cookie
        user = users.find(store.get_store(), form.username.data.strip().lower())
        return render_template("users/one_time.html", user=user, password=password)
    flash(_("أُنشئ المستخدم %(name)s.", name=form.username.data.strip().lower()), "notice")
    return redirect(url_for("users.index"))


def _create(form: NewUserForm) -> tuple[str, str]:
    """Create the user; return ("", one-time password or "") or (message, "")."""
    if not form.validate():
        return _("انتهت صلاحية الصفحة. أعد المحاولة."), ""
    one_time = form.mode.data != "password"
    password = users.one_time_password() if one_time else (form.password.data or "")
    if not one_time and password != (form.confirm.data or ""):
        return mismatch_message(), ""
    name = (form.username.data or "").strip().lower()
    try:
        user = users.create(
            store.get_store(),
            name,
            password,
            form.roles.data or [],
            must_change=one_time,
            full_name=form.full_name.data or "",
        )
    except users.AccountError as exc:
        return account_message(exc), ""
    audit("create", "user", user["id"], after=public_view(user))
    return "", password if one_time else ""


@bp.route("/<int:uid>", methods=["GET", "POST"])
def user(uid: int):
    record = _user_or_404(uid)
    form = _with_choices(
        RolesForm(data={"roles": record["roles"], "full_name": record.get("full_name", "")})
    )
    if request.method == "GET":
        return _user_page(record, form)
    if not form.validate():
        return _user_page(record, form, _("انتهت صلاحية الصفحة. أعد المحاولة."))
    try:
        changed = users.set_roles(
            store.get_store(), record["username"], form.roles.data or [], form.full_name.data or ""
        )
    except users.AccountError as exc:
        return _user_page(record, form, account_message(exc))
    _audit_change("set_roles", record, changed, "roles")
    if changed.get("full_name") != record.get("full_name"):
        _audit_change("set_full_name", record, changed, "full_name")
    flash(_("حُفظت أدوار %(name)s.", name=record["username"]), "notice")
    return redirect(url_for("users.user", uid=uid))


def _audit_change(action: str, before: dict, after: dict, key: str) -> None:
    """Record one change to a user: the value of `key` before and after it."""
    audit(action, "user", before["id"], before={key: before.get(key)}, after={key: after.get(key)})


def _user_page(record: dict, form: RolesForm, error: str = ""):
    page = render_template(
        "users/user.html", user=record, form=form, action=ActionForm(), error=error
    )
    return page, (400 if error else 200)


@bp.post("/<int:uid>/active")
def active(uid: int):
    """Disable (and sign out) or enable the user, as the button pressed says."""
    record = _user_or_404(uid)
    turn_on = request.form.get("active") == "1"
    if not turn_on and not _confirmed():
        return redirect(url_for("users.user", uid=uid))
    change = users.enable if turn_on else users.disable
    try:
        changed = change(store.get_store(), record["username"])
    except users.AccountError as exc:
        roles = RolesForm(formdata=None, data={"roles": record["roles"]})
        return _user_page(record, _with_choices(roles), account_message(exc))
    _audit_change("enable" if turn_on else "disable", record, changed, "active")
    return redirect(url_for("users.user", uid=uid))


def _confirmed() -> bool:
    """Tell whether the admin ticked the box that confirms a step he cannot undo."""
    if request.form.get("confirm") == "yes":
        return True
    flash(_("لم يتغير شيء: أكّد الإجراء أولًا بوضع علامة في المربع بجانبه."), "error")
    return False


@bp.post("/<int:uid>/sessions")
def sessions(uid: int):
    """Sign the user out on every machine."""
    record = _user_or_404(uid)
    users.end_sessions(store.get_store(), uid)
    changed = store.get_store().get(users.COLLECTION, uid)
    _audit_change("end_sessions", record, changed, "session_version")
    flash(_("خرج %(name)s من كل الأجهزة.", name=record["username"]), "notice")
    return redirect(url_for("users.user", uid=uid))


@bp.post("/<int:uid>/password")
def reset_password(uid: int):
    """Give the user a one-time password (shown once) and sign him out everywhere."""
    record = _user_or_404(uid)
    if not _confirmed():
        return redirect(url_for("users.user", uid=uid))
    password = users.one_time_password()
    changed = users.set_password(store.get_store(), record["username"], password, must_change=True)
    _audit_change("reset_password", record, changed, "must_change_password")
    return render_template("users/one_time.html", user=changed, password=password)
