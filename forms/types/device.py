"""What the phone itself reads: its location (geopoint) and a code its camera scans."""

from __future__ import annotations

import re

from forms import saudi
from forms.conditions.functions import number_text
from forms.types.base import FieldError, FieldType, register

_NUMBER = re.compile(r"[+-]?[0-9]{1,4}(?:\.[0-9]{1,12})?")


@register("geopoint")
class GeoPoint(FieldType):
    """A place, as ODK writes it: "latitude longitude [altitude [accuracy]]".

    The page fills it from navigator.geolocation (static/js/device.js) with the accuracy
    in metres, and it may be typed. Stored as {"lat", "lon", "accuracy"?, "altitude"?}.
    """

    widget = "geopoint"
    attrs = {"dir": "ltr", "inputmode": "decimal", "placeholder": "24.7136 46.6753"}
    max_chars = 120

    def parse(self, text, fdef, form):
        parts = saudi.normalize_number(text).replace(",", " ").split()
        if not 2 <= len(parts) <= 4 or not all(_NUMBER.fullmatch(p) for p in parts):
            raise FieldError("geopoint")
        numbers = [float(p) for p in parts]
        lat, lon = numbers[0], numbers[1]
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or any(n < 0 for n in numbers[3:]):
            raise FieldError("geopoint")
        point = {"lat": lat, "lon": lon}
        if len(numbers) > 2:
            point["altitude"] = numbers[2]
        if len(numbers) > 3:
            point["accuracy"] = numbers[3]
        return point

    def posted(self, value, fdef, read_file):
        return [self.odk_text(value)] if value else []

    @staticmethod
    def odk_text(value: dict) -> str:
        keys = ("lat", "lon", "altitude", "accuracy")
        numbers = [value[k] for k in keys if k in value]
        if "accuracy" in value and "altitude" not in value:
            numbers.insert(2, 0)
        return " ".join(number_text(n) for n in numbers)

    def condition_value(self, value):
        # The place as "lat lon": filled(location) is what a condition can ask.
        return None if not value else f"{number_text(value['lat'])} {number_text(value['lon'])}"

    def display(self, value, fdef, form, lang):
        if not value:
            return ""
        text = f"{number_text(value['lat'])}, {number_text(value['lon'])}"
        if "accuracy" in value:
            metres = number_text(round(value["accuracy"], 1))
            text += f" (± {metres} م)" if lang != "en" else f" (± {metres} m)"
        return text


@register("barcode")
class Barcode(FieldType):
    # Scanned with the camera where the browser has BarcodeDetector, else typed.
    widget = "barcode"
    attrs = {"dir": "ltr", "autocomplete": "off"}
    max_chars = 500
