"""The admin's page for a person's PDPL rights: find him by ID, export his data, erase it."""

from __future__ import annotations

import io

from flask import Blueprint, current_app, render_template, request, send_file
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import StringField

import store
from forms.messages import message
from forms.saudi import compact
from letters.context import LETTER_TYPES
from privacy.erase import erase_person, retention_years
from privacy.export import export_person
from privacy.person import Person, find_person, mask
from web.auditing import audit
from web.i18n import current_lang

bp = Blueprint("privacy", __name__, url_prefix="/privacy")


class PersonForm(FlaskForm):
    national_id = StringField()
    confirm = StringField()


def _page(form: PersonForm, person: Person | None = None, **extra):
    lang = current_lang()
    forms = current_app.extensions["rifd_forms"]
    counts = []
    for form_id, count in sorted((person.counts() if person else {}).items()):
        definition = forms.get(form_id)
        counts.append((definition.title(lang) if definition else form_id, count))
    return render_template(
        "privacy/person.html",
        form=form,
        person=person,
        masked=mask(person.national_id) if person else "",
        counts=counts,
        types={k: v.get(lang, k) for k, v in LETTER_TYPES.items()},
        years=retention_years(store.get_store()),
        **extra,
    )


@bp.route("/", methods=["GET", "POST"])
def person():
    # One page, one permission: the button pressed says find, export or erase.
    form = PersonForm()
    if not form.validate_on_submit():
        return _page(form)
    data = store.get_store()
    try:
        found = find_person(data, current_app.extensions["rifd_forms"], form.national_id.data)
    except ValueError as exc:
        return _page(form, error=message(str(exc), current_lang()))
    if not found.found:
        return _page(form, error=_("لا توجد بيانات لصاحب هذا الرقم."))
    action = request.form.get("action")
    if action == "export":
        return _export(found)
    if action == "erase":
        return _erase(form, found)
    return _page(form, found)


def _export(person: Person):
    data = store.get_store()
    zipped = export_person(data, current_app.extensions["rifd_forms"], person, current_lang())
    counts = {"submissions": len(person.submissions), "letters": len(person.letters)}
    audit("export", "person", mask(person.national_id), after=counts)
    return send_file(
        io.BytesIO(zipped),
        as_attachment=True,
        download_name=f"person-{person.national_id[-4:]}.zip",
        mimetype="application/zip",
    )


def _erase(form: PersonForm, person: Person):
    if compact(form.confirm.data or "") != person.national_id:
        return _page(form, person, confirm_error=_("اكتب رقم الهوية مرة أخرى لتأكيد المسح."))
    data = store.get_store()
    summary = erase_person(
        data,
        current_app.extensions["rifd_forms"],
        person,
        retention_years=retention_years(data),
    )
    audit("erase", "person", mask(person.national_id), after=summary)
    return _page(PersonForm(formdata=None), summary=summary, erased=mask(person.national_id))
