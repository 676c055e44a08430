"""Extensions created unbound, attached to the app in web.register()."""

from flask_wtf import CSRFProtect

csrf = CSRFProtect()
