"""The web layer: blueprints, language, error pages. Views stay thin."""

from __future__ import annotations

from flask import Flask
from flask_wtf import CSRFProtect

from web import errors, i18n, public, staff

csrf = CSRFProtect()


def register(app: Flask) -> None:
    """Attach extensions, blueprints and error pages to `app`."""
    csrf.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    app.register_blueprint(staff.bp)
    app.register_blueprint(public.bp)
