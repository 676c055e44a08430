"""Saudi identifiers: mobile numbers, national ID / iqama, IBAN."""

from __future__ import annotations

from forms import saudi
from forms.types.base import FieldError, FieldType, register


class _Identifier(FieldType):
    """IDs, phones and IBANs: typed left to right, masked in lists."""

    attrs = {"dir": "ltr", "inputmode": "numeric", "autocomplete": "off"}
    max_chars = 64
    cleaner = staticmethod(str)

    def parse(self, text, fdef, form):
        try:
            return self.cleaner(text)
        except ValueError as exc:
            raise FieldError(str(exc)) from None


@register("mobile")
class Mobile(_Identifier):
    attrs = {"dir": "ltr", "inputmode": "tel", "type": "tel", "autocomplete": "tel"}
    cleaner = staticmethod(saudi.clean_mobile)

    def display(self, value, fdef, form, lang):
        # Shown as people dial it locally; stored in international form.
        return "0" + value[4:] if value and value.startswith("+966") else (value or "")


@register("national_id")
class NationalId(_Identifier):
    cleaner = staticmethod(saudi.clean_national_id)


@register("iban")
class Iban(_Identifier):
    attrs = {"dir": "ltr", "autocomplete": "off", "autocapitalize": "characters"}
    cleaner = staticmethod(saudi.clean_iban)
