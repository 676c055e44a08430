"""The one path from a definition to a stored submission, for staff and public pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app, g, get_template_attribute, request
from flask_babel import gettext as _
from flask_wtf import FlaskForm

import store
from accounts import audit as trail
from forms.builder import build_form_class, layout, raw_values
from forms.definition import FormDefinition, localized
from forms.messages import message
from forms.sizes import cut_to_limits
from forms.types import PendingFile
from forms.validation import validate_answers
from submissions import service
from web.auditing import actor
from web.i18n import current_lang

CHANNEL_FIELD = "rifd-channel"  # a hyphen: no definition field can take this name


def library():
    return current_app.extensions["rifd_forms"]


def channels() -> list[dict]:
    """Return the association's intake channels, from its stored profile (read once a
    request: the dashboard labels fifty rows, and each label read the profile)."""
    if "rifd_channels" not in g:
        profile = store.get_store().get("settings", 1) or {}
        g.rifd_channels = profile.get("channels", [])
    return g.rifd_channels


@dataclass
class Filling:
    """The state of one form page: the WTForms form, errors, the saved record."""

    form: FormDefinition
    wtform: object
    audience: str
    errors: dict = field(default_factory=dict)
    form_error: str = ""
    channel: str = ""
    record: dict | None = None
    pristine: bool = False  # a new page with nothing typed and no values given

    def sections(self):
        return layout(self.form, self.wtform, current_lang(), self.audience)

    def fields_html(self):
        """Render the page's fields, section by section.

        A new page is the same for everyone who opens the form (its defaults come from
        the definition; the CSRF token is outside): it is rendered once per definition,
        language and audience and kept in the definition's memo. Building its WTForms
        widgets was most of the public form's CPU time.
        """
        render = get_template_attribute("_macros.html", "render_sections")
        if not self.pristine or current_app.jinja_env.auto_reload:  # make dev: templates change
            return render(self.sections(), self.errors)
        key = ("fields_html", current_lang(), self.audience)
        html = self.form.memo.get(key)
        if html is None:
            html = self.form.memo[key] = render(self.sections(), self.errors)
        return html


def _channel_error(value: str) -> str:
    if not value:
        return _("اختر قناة الاستقبال.")
    if value not in {c["value"] for c in channels()}:
        return _("قناة غير معروفة.")
    return ""


def _files_to_attach_again(form: FormDefinition, answers: dict, errors: dict, lang: str) -> None:
    # A browser cannot keep a chosen file across a page load: ask for it again.
    # (A signature can: it travels back in its hidden input.)
    for name, value in answers.items():
        if isinstance(value, PendingFile) and form.field(name)["type"] == "file":
            errors.setdefault(name, message("file_again", lang))


def _form_class(form: FormDefinition, lang: str, audience: str, with_defaults: bool) -> type:
    # One class per definition, language and audience, kept in the definition's memo:
    # a request binds its own fields to a new instance (as with a form class written in
    # a module), so no request sees another's values. Building it was a fifth of a GET.
    key = ("form_class", lang, audience, with_defaults)
    cls = form.memo.get(key)
    if cls is None:
        cls = build_form_class(form, lang, audience, base=FlaskForm, with_defaults=with_defaults)
        form.memo[key] = cls
    return cls


def fill(
    form: FormDefinition,
    audience: str,
    entered_by: str,
    about: dict | None = None,
    initial: dict | None = None,
) -> Filling:
    """Build the form; on a POST validate it and, if everything holds, store it.

    `initial` fills a new page with values for one request (the research's
    applicant): they are answers to check like any other, never part of the
    form, so the version frozen with the submission is the form's own.
    """
    lang = current_lang()
    posting = request.method == "POST"
    cls = _form_class(form, lang, audience, with_defaults=not posting)
    state = Filling(form, cls(data=None if posting else initial), audience)
    if not posting:
        state.pristine = initial is None
        return state
    state.channel = request.form.get(CHANNEL_FIELD, "") if audience == "staff" else "website"
    csrf_ok = state.wtform.validate()
    result = validate_answers(form, raw_values(state.wtform), lang, audience)
    state.errors = dict(result.errors)
    if audience == "staff" and (err := _channel_error(state.channel)):
        state.errors[CHANNEL_FIELD] = err
    if not csrf_ok:
        state.form_error = _(
            "انتهت صلاحية الصفحة أو تعذّر التحقق منها. راجع البيانات ثم أرسلها مرة أخرى."
        )
    if state.errors:
        state.form_error = state.form_error or _("لم يُحفظ الطلب: صحّح الحقول المشار إليها أدناه.")
        _files_to_attach_again(form, result.answers, state.errors, lang)
    if state.form_error:
        cut_to_limits(form, state.wtform, audience)
        return state
    state.record = service.save(
        store.get_store(),
        form,
        result.answers,
        channel=state.channel,
        entered_by=entered_by,
        about=about,
        # The stored answers: uploads are already references by hash, never their bytes.
        audit=lambda tx, record: trail.write(
            tx, actor(), "create", f"submission:{form.id}", record["id"], after=record["answers"]
        ),
    )
    return state


def channel_label(value: str | None) -> str:
    for chan in channels():
        if chan["value"] == value:
            return localized(chan["label"], current_lang())
    return value or ""
