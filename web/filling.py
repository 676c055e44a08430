"""The one path from a definition to a stored submission, for staff and public pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app, g, get_template_attribute, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

import store
from accounts import audit as trail
from cases import corrections
from cases.service import CaseError
from forms.builder import build_form_class, layout, problems, raw_values
from forms.computed_defaults import user_defaults, wants_last_saved
from forms.definition import FormDefinition, localized
from forms.languages import extra_languages
from forms.messages import message
from forms.refill import as_posted, file_places, kept_files
from forms.sizes import cut_to_limits
from forms.types import PendingFile, get_field_type
from forms.types.files import FILE_TYPES, file_refs
from forms.validation import validate_answers
from quality import followups
from submissions import drafts, service
from web import entry_drafts
from web.auditing import actor
from web.form_language import FIELD, form_lang
from web.i18n import current_lang

CHANNEL_FIELD = "rifd-channel"  # a hyphen: no definition field can take this name
WHY_FIELD = "rifd-why"  # why a stored submission is corrected


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
    draft: dict | None = None  # the draft the page was opened from (entry_drafts)
    kept_draft: dict | None = None  # set when "save as draft" kept the page
    kept_files: dict = field(default_factory=dict)  # uploads kept by reference, by field
    correcting: dict | None = None  # the stored submission this page corrects
    pristine: bool = False  # a new page: nothing typed, no draft, no values given

    def sections(self):
        found = layout(self.form, self.wtform, form_lang(self.form), self.audience)
        kept = self.kept_files

        def mark(items) -> None:  # by the input's name: a row's file too
            for item in items:
                refs = file_refs(kept.get(item.field.name)) if item.widget == "file" else []
                item.kept = refs or None
                for row in item.rows:
                    mark(row)

        for section in found:
            mark(section["items"])
        return found

    def languages(self) -> list[tuple[str, str, bool]]:
        """Return (code, link, chosen) for the page's language and each one the form adds."""
        extra = extra_languages(self.form)
        if not extra:
            return []
        shown = form_lang(self.form)
        args = {**(request.view_args or {}), **request.args.to_dict()}
        args.pop(FIELD, None)
        links = [("", url_for(request.endpoint, **args), shown not in extra)]
        for code in extra:
            links.append((code, url_for(request.endpoint, **args, **{FIELD: code}), code == shown))
        return links

    def problems(self) -> list[tuple[str, str, str]]:
        """Every field with an error, in page order, for the summary at the top."""
        if not self.errors:  # a new page: its fields are not laid out for nothing
            return []
        found = problems(self.sections(), self.errors)
        if self.errors.get(CHANNEL_FIELD):
            found.insert(0, ("channel", _("قناة الاستقبال"), self.errors[CHANNEL_FIELD]))
        return found

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
        key = ("fields_html", form_lang(self.form), self.audience)
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


def _files_to_attach_again(
    form: FormDefinition, answers: dict, raw: dict, errors: dict, lang: str, kept: set[str]
) -> None:
    # A browser cannot keep a chosen file across a page load: ask for it again, unless
    # the draft the page came from keeps it. (A signature travels back in its input.)
    for name, value in answers.items():
        if name in kept:
            continue
        if form.field(name)["type"] not in FILE_TYPES:
            continue
        if isinstance(value, PendingFile):
            errors.setdefault(name, message("file_again", lang))
        elif isinstance(value, list):
            errors.setdefault(name, message("files_again", lang))
    # A row's files, by the names of their inputs (the answers do not keep those).
    for name, fdef, holder in file_places(form, raw):
        chosen = not get_field_type("file").is_empty(holder.get(fdef["name"]))
        if holder is not raw and chosen and name not in kept:
            again = "files_again" if fdef.get("multiple") else "file_again"
            errors.setdefault(name, message(again, lang))


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
    correcting: dict | None = None,
) -> Filling:
    """Build the form; on a POST validate it and, if everything holds, store it.

    `initial` fills a new page with values for one request (the research's
    applicant): they are answers to check like any other, never part of the
    form, so the version frozen with the submission is the form's own.
    `correcting` is a stored submission opened again: the page starts from its
    answers and a valid POST stores them as its next revision (cases/corrections.py).
    """
    lang, draft = current_lang(), entry_drafts.own_draft(audience)
    posting = request.method == "POST"
    refill, kept_files = _refill(form, draft, correcting)
    defaults = not posting and refill is None
    cls = _form_class(form, form_lang(form), audience, with_defaults=defaults)
    # A new page's values beyond the definition's: this request's, this user's.
    data = None if posting or refill is not None else _new_page_data(form, audience, initial)
    # A draft or a stored submission comes back as it was sent.
    wtform = cls(data=data) if posting or refill is None else cls(formdata=refill)
    state = Filling(form, wtform, audience, draft=draft, kept_files=kept_files)
    state.correcting = correcting
    if not posting:
        state.channel = refill.get(CHANNEL_FIELD, "") if refill else ""
        state.pristine = data is None and refill is None  # the same page for everyone
        return state
    state.channel = request.form.get(CHANNEL_FIELD, "") if audience == "staff" else "website"
    if correcting is not None:
        state.channel = correcting.get("channel") or ""
    elif audience == "staff" and request.form.get(entry_drafts.ACTION_FIELD) == "draft":
        return _keep_as_draft(state)
    csrf_ok = state.wtform.validate()
    raw = raw_values(state.wtform)
    kept = entry_drafts.with_kept_files(form, raw, kept_files)
    result = validate_answers(form, raw, lang, audience)
    state.errors = dict(result.errors)
    if audience == "staff" and correcting is None and (err := _channel_error(state.channel)):
        state.errors[CHANNEL_FIELD] = err
    if not csrf_ok:
        state.form_error = _(
            "انتهت صلاحية الصفحة أو تعذّر التحقق منها. راجع البيانات ثم أرسلها مرة أخرى."
        )
    if state.errors:
        state.form_error = state.form_error or _("لم يُحفظ الطلب: صحّح الحقول المشار إليها أدناه.")
        _files_to_attach_again(form, result.answers, raw, state.errors, lang, kept)
    if state.form_error:
        cut_to_limits(form, state.wtform, audience)
        return state
    if correcting is not None:
        return _correct(state, correcting, result.answers)
    state.record = service.save(
        store.get_store(),
        form,
        result.answers,
        channel=state.channel,
        entered_by=entered_by,
        about=about,
        audit=lambda tx, record: _record_made(tx, form, record, draft),
    )
    return state


def _new_page_data(form: FormDefinition, audience: str, initial: dict | None) -> dict | None:
    """Return what a new page starts with beyond its defaults: the request's values, the
    user's name, the answers of the user's last submission (forms.computed_defaults)."""
    staff = audience == "staff" and current_user.is_authenticated
    username = current_user.record["username"] if staff else None
    wanted = username and wants_last_saved(form)
    last = service.last_entered_by(store.get_store(), form.id, username) if wanted else None
    by_user = user_defaults(form, username, last["answers"] if last else None)
    return {**by_user, **initial} if initial else by_user or None


def _refill(form, draft, correcting) -> tuple[MultiDict | None, dict]:
    """Return what a page opened again starts from (its posted values) and the files it
    keeps by reference, or (None, {}) for a new page."""
    if correcting is not None:
        answers = correcting["answers"]
        pairs = as_posted(form, answers, store.get_store().read_file)
        pairs.append((CHANNEL_FIELD, correcting.get("channel") or ""))
        return MultiDict(pairs), kept_files(form, answers)
    if draft is not None:
        return entry_drafts.formdata(draft), draft.get("files") or {}
    return None, {}


def _correct(state: Filling, record: dict, answers: dict) -> Filling:
    """Store a valid corrected page as the submission's next revision."""
    try:
        state.record = corrections.correct(
            store.get_store(),
            state.form,
            record["id"],
            answers,
            who=actor(),
            why=request.form.get(WHY_FIELD, "")[: corrections.WHY_MAX * 2],
        )
    except CaseError as problem:
        state.form_error = str(problem)
    return state


def _record_made(tx, form: FormDefinition, record: dict, draft: dict | None) -> None:
    """In the submission's own transaction: its audit entry (the stored answers, uploads
    already references by hash), the draft it came from goes, and a low score or a
    complaint opens its follow-up (quality/followups.py), public or entered by staff."""
    after, who = record["answers"], actor()
    trail.write(tx, who, "create", f"submission:{form.id}", record["id"], after=after)
    drafts.sent(tx, draft)
    followups.open_for_answer(tx, store.get_store(), form, record, who)


def _keep_as_draft(state: Filling) -> Filling:
    """Keep the page as it was sent, valid or not, as the person's draft."""
    if not entry_drafts.token_ok():
        state.form_error = _("انتهت صلاحية الصفحة. أعد المحاولة.")
        return state
    uid = current_user.record["id"]
    state.kept_draft = entry_drafts.keep_posted(uid, state.form.id, "draft", state.draft)
    if state.kept_draft is None:
        state.form_error = _("تعذّر حفظ المسودة: البيانات أكبر من المسموح.")
    return state


def channel_label(value: str | None) -> str:
    for chan in channels():
        if chan["value"] == value:
            return localized(chan["label"], current_lang())
    return value or ""
