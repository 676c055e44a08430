"""Messages a person sees beside a field, in Arabic and English.

The form engine stays Flask-free, so its messages live here keyed by name
rather than in the web layer's gettext catalogue. A definition may override
the constraint messages per field (constraints.messages), and the message of a
missing answer (required_message).
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "required": {"ar": "هذا الحقل مطلوب.", "en": "This field is required."},
    "too_long": {
        "ar": "النص أطول من المسموح ({limit} حرفًا).",
        "en": "The text is longer than allowed ({limit} characters).",
    },
    "integer": {"ar": "أدخل عددًا صحيحًا.", "en": "Enter a whole number."},
    "decimal": {"ar": "أدخل رقمًا.", "en": "Enter a number."},
    "date": {
        "ar": "أدخل تاريخًا صحيحًا، هجريًا أو ميلاديًا (سنة/شهر/يوم).",
        "en": "Enter a valid date, Hijri or Gregorian (year/month/day).",
    },
    "time": {"ar": "أدخل وقتًا صحيحًا (ساعة:دقيقة).", "en": "Enter a valid time (hour:minute)."},
    "datetime": {
        "ar": "أدخل تاريخًا ووقتًا صحيحين.",
        "en": "Enter a valid date and time.",
    },
    "geopoint": {
        "ar": "حدد الموقع، أو اكتب خط العرض ثم خط الطول (مثل 24.7136 46.6753).",
        "en": "Get the location, or type the latitude then the longitude (like 24.7136 46.6753).",
    },
    "acknowledge": {"ar": "ضع علامة للإقرار.", "en": "Tick the box to acknowledge."},
    "choice": {"ar": "اختر من القائمة.", "en": "Choose from the list."},
    "choice_filter": {
        "ar": "هذا الاختيار لا يوافق إجابة سابقة، اختر من الخيارات المعروضة.",
        "en": "This choice does not match an earlier answer; choose from the choices shown.",
    },
    "yes_no": {"ar": "اختر نعم أو لا.", "en": "Choose yes or no."},
    "rating": {"ar": "اختر تقييمًا من ١ إلى ٥.", "en": "Choose a rating from 1 to 5."},
    "nps": {"ar": "اختر رقمًا من ٠ إلى ١٠.", "en": "Choose a number from 0 to 10."},
    "email": {"ar": "أدخل بريدًا إلكترونيًا صحيحًا.", "en": "Enter a valid e-mail address."},
    "mobile_format": {
        "ar": "أدخل رقم جوال سعودي يبدأ بـ 05 ويتكون من ١٠ أرقام.",
        "en": "Enter a Saudi mobile number: 05 followed by 8 digits.",
    },
    "national_id_format": {
        "ar": "رقم الهوية أو الإقامة يتكون من ١٠ أرقام.",
        "en": "A national ID or iqama number has 10 digits.",
    },
    "national_id_prefix": {
        "ar": "رقم الهوية يبدأ بـ 1 ورقم الإقامة يبدأ بـ 2.",
        "en": "A national ID starts with 1 and an iqama number with 2.",
    },
    "national_id_check": {
        "ar": "رقم الهوية أو الإقامة غير صحيح، تحقق من الأرقام.",
        "en": "This national ID or iqama number is not valid; check the digits.",
    },
    "iban_format": {
        "ar": "الآيبان السعودي يبدأ بـ SA ويتكون من ٢٤ خانة.",
        "en": "A Saudi IBAN starts with SA and has 24 characters.",
    },
    "iban_check": {
        "ar": "رقم الآيبان غير صحيح، تحقق من الخانات.",
        "en": "This IBAN is not valid; check the characters.",
    },
    "min": {"ar": "القيمة أقل من {limit}.", "en": "The value is below {limit}."},
    "max": {"ar": "القيمة أكبر من {limit}.", "en": "The value is above {limit}."},
    "min_length": {
        "ar": "النص أقصر من {limit} حرفًا.",
        "en": "The text is shorter than {limit} characters.",
    },
    "max_length": {
        "ar": "النص أطول من {limit} حرفًا.",
        "en": "The text is longer than {limit} characters.",
    },
    "pattern": {"ar": "الصيغة غير صحيحة.", "en": "The format is not valid."},
    "file_type": {
        "ar": "نوع الملف غير مسموح. الأنواع المسموحة: {allowed}.",
        "en": "This type of file is not allowed. Allowed: {allowed}.",
    },
    "file_size": {
        "ar": "حجم الملف أكبر من {limit} ميجابايت.",
        "en": "The file is larger than {limit} MB.",
    },
    "files_count": {
        "ar": "عدد الملفات أكثر من المسموح (الحد الأقصى: {limit})."
        " لم يُحفظ شيء منها، أرفق عددًا أقل.",
        "en": "More files than allowed (at most {limit}). None was kept; attach fewer.",
    },
    "files_total": {
        "ar": "مجموع أحجام الملفات أكبر من {limit} ميجابايت."
        " لم يُحفظ شيء منها، صغّرها أو أرفق عددًا أقل.",
        "en": "The files together are larger than {limit} MB."
        " None was kept; make them smaller or attach fewer.",
    },
    "file_again": {
        "ar": "أعد إرفاق الملف بعد تصحيح الأخطاء.",
        "en": "Attach the file again after correcting the errors.",
    },
    "files_again": {
        "ar": "أعد إرفاق الملفات بعد تصحيح الأخطاء.",
        "en": "Attach the files again after correcting the errors.",
    },
    "signature": {
        "ar": "التوقيع غير صالح، وقّع مرة أخرى.",
        "en": "The signature could not be read; please sign again.",
    },
    "rows_max": {"ar": "عدد الصفوف أكثر من {limit}.", "en": "More than {limit} rows."},
    "rows_min": {"ar": "أضف {limit} صفًا على الأقل.", "en": "Add at least {limit} rows."},
    "in_rows": {"ar": "{text} ({where})", "en": "{text} ({where})"},
    "row_of": {"ar": "{label}: الصف {n}", "en": "{label}: row {n}"},
    "rule": {
        "ar": "الإجابة لا تتفق مع الإجابات الأخرى، راجعها.",
        "en": "This answer does not agree with the other answers; check it.",
    },
    "bad_value": {"ar": "قيمة غير مقبولة.", "en": "This value is not accepted."},
}


def message(key: str, lang: str = "ar", fdef: dict | None = None, **params) -> str:
    """Return the message `key` in `lang`, preferring the field's own constraint message."""
    custom = ((fdef or {}).get("constraints") or {}).get("messages", {}).get(key)
    if key == "required":
        custom = (fdef or {}).get("required_message")
    if custom:  # a quality officer's own words, shown as written
        return custom.get(lang) or custom["ar"]
    texts = MESSAGES.get(key) or MESSAGES["bad_value"]
    text = texts.get(lang) or texts["ar"]
    return text.format(**params) if params else text
