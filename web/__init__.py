"""The web layer: blueprints, language, error pages. Views stay thin."""

from __future__ import annotations

from flask import Flask

from deliveries import transfer_views
from deliveries import views as delivery_views
from forms.builder import GROUPED
from forms.references import live_html
from web import (
    account,
    attendance,
    audit_views,
    auth,
    branding,
    bulk,
    case_followups,
    cases,
    disk_space,
    editor,
    editor_api,
    entry_drafts,
    errors,
    exports,
    followups,
    form_versions,
    i18n,
    letters,
    message_settings,
    names,
    outbox,
    own_request,
    people,
    policy,
    privacy,
    program_public,
    program_review,
    programs,
    public,
    reports,
    results,
    security,
    share,
    site_address,
    staff,
    static_files,
    users,
    verify,
    xlsform_views,
)
from web.extensions import csrf


def register(app: Flask) -> None:
    """Attach extensions, blueprints and error pages to `app`."""
    auth.init_app(app)  # first: who may ask is settled before what was sent is read
    csrf.init_app(app)
    i18n.init_app(app)
    names.init_app(app)
    errors.init_app(app)
    disk_space.init_app(app)  # after the checks of who asks and of the token
    security.init_app(app)
    static_files.init_app(app)
    app.register_blueprint(staff.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(results.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(share.bp)
    # The form macros draw these under a label of their own (forms/builder.py).
    app.jinja_env.globals["grouped_widgets"] = GROUPED
    # ${name} in a label or hint: a span that rifd-forms.js fills as the person types.
    app.jinja_env.filters["live_refs"] = live_html
    branding.init_app(app)
    app.register_blueprint(letters.bp)
    app.register_blueprint(bulk.bp)
    app.register_blueprint(exports.bp)
    app.register_blueprint(verify.bp)
    app.register_blueprint(audit_views.bp)
    app.register_blueprint(privacy.bp)
    app.register_blueprint(cases.bp)
    app.register_blueprint(case_followups.bp)
    app.register_blueprint(people.bp)
    app.register_blueprint(entry_drafts.bp)
    app.register_blueprint(policy.bp)
    app.register_blueprint(programs.bp)
    app.register_blueprint(program_review.bp)
    app.register_blueprint(program_public.bp)
    app.register_blueprint(attendance.bp)
    app.register_blueprint(outbox.bp)
    app.register_blueprint(message_settings.bp)
    app.register_blueprint(own_request.bp)
    app.register_blueprint(delivery_views.bp)
    app.register_blueprint(transfer_views.bp)
    app.register_blueprint(followups.bp)
    app.register_blueprint(users.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(editor.bp)
    app.register_blueprint(editor_api.bp)
    app.register_blueprint(form_versions.bp)
    app.register_blueprint(xlsform_views.bp)
    app.register_blueprint(site_address.bp)
