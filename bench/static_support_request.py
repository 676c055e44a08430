"""The baseline of bench_forms: support_request as a hand-written, static Flask-WTF form.

    from bench import static_support_request
    static_support_request.register(app)   # GET/POST /bench/static in the same app

A benchmark only: no page of Rifd uses it. It stands for what the dynamic engine
(forms/builder.py + forms/validation.py + templates/forms/fill.html) replaces: one
FlaskForm class written once at import, with the validators written the usual WTForms
way, rendered by a plain Jinja template and stored by the same submissions.service.save.

What is equivalent to the dynamic path:
- the same fields, names and sections (every field of support_request.json, the 3-level
  `family_members-0-member_name` names of the repeat included), the same choices, the
  same Arabic labels and hints, and the same "rifd-channel" field checked against the
  channels stored in the association's profile (one store read, as the dynamic path);
- the same WTForms field classes where the engine uses them (StringField, TextAreaField,
  SelectField, RadioField, SelectMultipleField, FileField, HiddenField,
  FieldList(FormField(...))); numbers and dates use IntegerField, DecimalField and
  DateField, the usual way, where the engine parses StringField text itself;
- the same checks: required, lengths, patterns, ranges, choices (AnyOf, or the
  built-in choice check of SelectMultipleField), e-mail syntax (email_validator, as the
  engine), national ID / iqama Luhn, IBAN mod-97 and Saudi mobile (forms.saudi), file
  size and type by content (filetype), the signature as a PNG data URL;
- the same visibility and conditional requirements (visible_if / required_if), written
  by hand as Python predicates: a hidden field is neither checked nor stored;
- the same work after validation: the same answers (values, types, order of lists,
  uploads as PendingFile) go through service.save into the same collection, then a 302.
  bench_forms checks that both paths store identical answers before timing.
- a page of similar size: base.html, a label, hint, input and error slot per field, the
  repeat's rows and its row prototype (in a <template>), the same two scripts.

What is not equivalent (both make the static form cheaper or simpler):
- Arabic only: no language switch (the engine picks labels per request language);
- no Arabic-Indic digits in numbers and dates, no 5000-character guard on every text,
  no error messages from a definition (WTForms' own or short Arabic ones);
- conditions are Python lambdas evaluated once each, where the engine parses and
  evaluates the condition language, recomputing visibility until it is stable;
- blank repeat rows are not dropped, and the row count is only checked against 20;
- the form definition (needed by service.save for id, version and reference prefix) is
  looked up once at registration, where the dynamic view asks the library per request.
"""

from __future__ import annotations

import base64
import binascii
import re

import filetype
from flask import Blueprint, Flask, current_app, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

import store
from association.profile import current as current_profile
from cases import operations
from forms import saudi
from forms.types import PendingFile
from submissions import service
from web import auth
from web.auditing import actor, audit
from web.filling import CHANNEL_FIELD, channels

URL = "/bench/static"
EXTENSION = "bench_static_support_request"
FORM_ID = "support_request"
REQUIRED = "هذا الحقل مطلوب."

# --- choices -------------------------------------------------------------------------

EMPTY = [("", "— اختر —")]
GENDER = [("male", "ذكر"), ("female", "أنثى")]
NATIONALITIES = [
    ("saudi", "سعودي"),
    ("yemeni", "يمني"),
    ("egyptian", "مصري"),
    ("sudanese", "سوداني"),
    ("syrian", "سوري"),
    ("jordanian", "أردني"),
    ("palestinian", "فلسطيني"),
    ("pakistani", "باكستاني"),
    ("indian", "هندي"),
    ("bangladeshi", "بنغلاديشي"),
    ("filipino", "فلبيني"),
    ("indonesian", "إندونيسي"),
    ("ethiopian", "إثيوبي"),
    ("eritrean", "إريتري"),
    ("somali", "صومالي"),
    ("chadian", "تشادي"),
    ("nigerian", "نيجيري"),
    ("afghan", "أفغاني"),
    ("myanmar", "ميانماري"),
    ("sri_lankan", "سريلانكي"),
    ("nepali", "نيبالي"),
    ("undetermined", "غير محدد الجنسية"),
    ("other", "جنسية أخرى"),
]
CITIES = [
    ("riyadh", "الرياض"),
    ("makkah", "مكة المكرمة"),
    ("madinah", "المدينة المنورة"),
    ("jeddah", "جدة"),
    ("taif", "الطائف"),
    ("dammam", "الدمام"),
    ("khobar", "الخبر"),
    ("dhahran", "الظهران"),
    ("hofuf", "الهفوف (الأحساء)"),
    ("mubarraz", "المبرز (الأحساء)"),
    ("qatif", "القطيف"),
    ("jubail", "الجبيل"),
    ("hafr_albatin", "حفر الباطن"),
    ("kharj", "الخرج"),
    ("buraidah", "بريدة"),
    ("unaizah", "عنيزة"),
    ("hail", "حائل"),
    ("tabuk", "تبوك"),
    ("yanbu", "ينبع"),
    ("abha", "أبها"),
    ("khamis_mushait", "خميس مشيط"),
    ("jazan", "جازان"),
    ("najran", "نجران"),
    ("baha", "الباحة"),
    ("arar", "عرعر"),
    ("sakaka", "سكاكا"),
    ("other", "مدينة أخرى"),
]
HEALTH_STATUS = [
    ("healthy", "سليم"),
    ("chronic_illness", "مرض مزمن"),
    ("disability", "إعاقة"),
    ("chronic_and_disability", "مرض مزمن وإعاقة"),
]
ID_TYPE = [("citizen", "مواطن (هوية وطنية)"), ("resident", "مقيم (إقامة)")]
MARITAL_STATUS = [
    ("single", "أعزب / عزباء"),
    ("married", "متزوج / متزوجة"),
    ("divorced", "مطلق / مطلقة"),
    ("widowed", "أرمل / أرملة"),
    ("separated", "منفصل / منفصلة أو مهجورة"),
]
EMPLOYMENT_STATUS = [
    ("gov_employee", "موظف حكومي"),
    ("private_employee", "موظف قطاع خاص"),
    ("self_employed", "عمل حر"),
    ("retired", "متقاعد"),
    ("job_seeker", "باحث عن عمل"),
    ("student", "طالب"),
    ("homemaker", "ربة منزل"),
    ("unable_to_work", "غير قادر على العمل"),
]
INCOME_SOURCES = [
    ("salary", "الراتب"),
    ("social_security", "الضمان الاجتماعي"),
    ("citizen_account", "حساب المواطن"),
    ("pension", "معاش تقاعدي"),
    ("rehabilitation", "إعانة التأهيل الشامل (الإعاقة)"),
    ("charity", "مساعدات الجمعيات الخيرية"),
    ("alimony", "نفقة"),
    ("other", "مصدر آخر"),
]
HOUSING_TYPE = [
    ("owned", "ملك"),
    ("rented", "إيجار"),
    ("family", "مع الأهل أو الأقارب"),
    ("charity", "سكن خيري"),
    ("other", "أخرى"),
]
HOUSING_UNIT = [
    ("apartment", "شقة"),
    ("villa", "فيلا"),
    ("traditional_house", "بيت شعبي"),
    ("room", "غرفة أو ملحق"),
    ("other", "أخرى"),
]
HOUSING_CONDITION = [
    ("good", "جيدة"),
    ("acceptable", "مقبولة"),
    ("poor", "سيئة"),
    ("unfit", "غير صالحة للسكن"),
]
MEMBER_RELATION = [
    ("spouse", "زوج / زوجة"),
    ("son", "ابن"),
    ("daughter", "ابنة"),
    ("father", "أب"),
    ("mother", "أم"),
    ("brother", "أخ"),
    ("sister", "أخت"),
    ("grandchild", "حفيد / حفيدة"),
    ("other", "قريب آخر"),
]
MEMBER_STATUS = [
    ("below_school_age", "دون سن الدراسة"),
    ("school", "طالب في التعليم العام"),
    ("university", "طالب جامعي"),
    ("employed", "يعمل"),
    ("job_seeker", "باحث عن عمل"),
    ("retired", "متقاعد"),
    ("homemaker", "ربة منزل"),
    ("unable_to_work", "غير قادر على العمل"),
]
BANKS = [
    ("alrajhi", "مصرف الراجحي"),
    ("snb", "البنك الأهلي السعودي"),
    ("riyad", "بنك الرياض"),
    ("sab", "البنك السعودي الأول"),
    ("bsf", "البنك السعودي الفرنسي"),
    ("anb", "البنك العربي الوطني"),
    ("alinma", "مصرف الإنماء"),
    ("albilad", "بنك البلاد"),
    ("aljazira", "بنك الجزيرة"),
    ("saib", "البنك السعودي للاستثمار"),
    ("gib", "بنك الخليج الدولي"),
    ("stc_bank", "بنك إس تي سي"),
    ("other", "بنك آخر"),
]
SUPPORT_TYPES = [
    ("food_basket", "سلة غذائية"),
    ("cash_aid", "مساعدة نقدية"),
    ("rent", "سداد إيجار"),
    ("bills", "سداد فواتير الكهرباء والماء"),
    ("furniture", "أثاث"),
    ("appliances", "أجهزة منزلية"),
    ("medical", "علاج أو أجهزة طبية"),
    ("education", "مستلزمات أو رسوم دراسية"),
    ("clothing", "كسوة"),
    ("home_repair", "ترميم المسكن"),
    ("other", "دعم آخر"),
]
YES_NO = [("yes", "نعم"), ("no", "لا")]

# --- validators ------------------------------------------------------------------------


def _values(choices):
    return [value for value, _label in choices]


class ShownIf:
    """Skip a field its condition hides: no check, and no answer (see `answers`)."""

    def __init__(self, predicate):
        self.predicate = predicate

    def __call__(self, form, field):
        if not self.predicate(form):
            field.errors[:] = []
            raise StopValidation()


class RequiredIf:
    """Required when the predicate holds, otherwise optional."""

    field_flags = {"required_if": True}

    def __init__(self, predicate):
        self.predicate = predicate

    def __call__(self, form, field):
        empty = not field.raw_data or (
            isinstance(field.raw_data[0], str) and not field.raw_data[0].strip()
        )
        if not empty:
            return
        field.errors[:] = []
        raise StopValidation(REQUIRED if self.predicate(form) else None)


def national_id(form, field):
    if not saudi.luhn_ok(field.data):
        raise ValidationError("رقم الهوية أو الإقامة غير صحيح، تحقق من الأرقام.")


def iban(form, field):
    if not saudi.iban_ok(field.data):
        raise ValidationError("رقم الآيبان غير صحيح، تحقق من الخانات.")


def saudi_mobile(form, field):
    try:
        field.data = saudi.clean_mobile(field.data)
    except ValueError:
        raise ValidationError("أدخل رقم جوال سعودي يبدأ بـ 05 ويتكون من ١٠ أرقام.") from None


class FileKind:
    """Size and type by content; keeps the bytes as a PendingFile for storing."""

    def __init__(self, accept=("pdf", "jpg", "png"), max_mb=5):
        self.accept = accept
        self.limit = max_mb * 1024 * 1024

    def __call__(self, form, field):
        data = field.data.stream.read(self.limit + 1)
        if len(data) > self.limit:
            raise ValidationError("الملف أكبر من المسموح.")
        kind = filetype.guess(data)
        ext = {"jpeg": "jpg"}.get(kind.extension, kind.extension) if kind else ""
        if ext not in self.accept:
            raise ValidationError("نوع الملف غير مسموح.")
        name = re.sub(r"[^\w.\- ]+", "_", field.data.filename.rsplit("/", 1)[-1])
        field.pending = PendingFile(data=data, ext=ext, filename=name[-120:])


def png_signature(form, field):
    prefix = "data:image/png;base64,"
    if not field.data.startswith(prefix):
        raise ValidationError("التوقيع غير صالح.")
    try:
        data = base64.b64decode(field.data[len(prefix) :], validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError("التوقيع غير صالح.") from None
    if not data.startswith(b"\x89PNG\r\n\x1a\n") or len(data) < 60:
        raise ValidationError("التوقيع غير صالح.")
    field.pending = PendingFile(data=data, ext="png", filename="signature.png")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _upper(value):
    return value.upper() if isinstance(value, str) else value


STRIP = [_strip]
NAME_CHECKS = [
    DataRequired(REQUIRED),
    Length(2, 30, "عدد أحرف الاسم غير مقبول."),
    Regexp(r"^\D+\Z", message="الاسم لا يحتوي على أرقام."),
]
LTR = {"dir": "ltr", "inputmode": "numeric", "autocomplete": "off"}
NUMBER = {"dir": "ltr", "inputmode": "decimal"}


def _amount(label, shown, high=100000, required=True):
    checks = [InputRequired(REQUIRED)] if required else [Optional()]
    return DecimalField(
        label,
        validators=[ShownIf(shown), *checks, NumberRange(0, high)],
        render_kw=NUMBER,
    )


def _file(label, shown=None, hint="", required=False, required_if=None, accept=None, mb=5):
    checks = [ShownIf(shown)] if shown else []
    if required:
        checks.append(FileRequired(REQUIRED))
    elif required_if:
        checks.append(RequiredIf(required_if))
    else:
        checks.append(Optional())
    checks.append(FileKind(accept or ("pdf", "jpg", "png"), mb))
    return FileField(label, description=hint, validators=checks)


def _ill(status) -> bool:
    return bool(status) and status != "healthy"


def _income(source):
    return lambda f: f.has_income.data == "yes" and source in (f.income_sources.data or [])


def _cash_aid(f) -> bool:
    return "cash_aid" in (f.support_types.data or [])


# --- the form --------------------------------------------------------------------------


class MemberForm(Form):
    member_name = StringField(
        "الاسم",
        filters=STRIP,
        validators=[
            DataRequired(REQUIRED),
            Length(3, 100),
            Regexp(r"^\D+\Z", message="الاسم لا يحتوي على أرقام."),
        ],
    )
    member_relation = SelectField(
        "صلة القرابة",
        choices=EMPTY + MEMBER_RELATION,
        validate_choice=False,
        validators=[DataRequired(REQUIRED), AnyOf(_values(MEMBER_RELATION))],
    )
    member_gender = RadioField(
        "الجنس",
        choices=GENDER,
        validate_choice=False,
        validators=[DataRequired(REQUIRED), AnyOf(_values(GENDER))],
    )
    member_birth_date = DateField(
        "تاريخ الميلاد", validators=[DataRequired(REQUIRED)], render_kw={"dir": "ltr"}
    )
    member_nationality = SelectField(
        "الجنسية",
        choices=EMPTY + NATIONALITIES,
        validate_choice=False,
        validators=[Optional(), AnyOf(_values(NATIONALITIES))],
    )
    member_national_id = StringField(
        "رقم الهوية أو الإقامة",
        description="اختياري؛ اتركه فارغًا لمن ليس له رقم.",
        filters=STRIP,
        validators=[Optional(), Regexp(r"^[12]\d{9}\Z"), national_id],
        render_kw=LTR,
    )
    member_status = SelectField(
        "الحالة الدراسية أو العملية",
        choices=EMPTY + MEMBER_STATUS,
        validate_choice=False,
        validators=[DataRequired(REQUIRED), AnyOf(_values(MEMBER_STATUS))],
    )
    member_health = SelectField(
        "الحالة الصحية",
        choices=EMPTY + HEALTH_STATUS,
        validate_choice=False,
        validators=[DataRequired(REQUIRED), AnyOf(_values(HEALTH_STATUS))],
    )
    member_health_details = StringField(
        "وصف الحالة الصحية",
        filters=STRIP,
        validators=[
            ShownIf(lambda f: _ill(f.member_health.data)),
            DataRequired(REQUIRED),
            Length(max=300),
        ],
    )


class SupportRequestForm(FlaskForm):
    # applicant
    first_name = StringField("الاسم الأول", filters=STRIP, validators=NAME_CHECKS)
    father_name = StringField("اسم الأب", filters=STRIP, validators=NAME_CHECKS)
    grandfather_name = StringField("اسم الجد", filters=STRIP, validators=NAME_CHECKS)
    family_name = StringField("اسم العائلة", filters=STRIP, validators=NAME_CHECKS)
    id_type = RadioField(
        "نوع الهوية",
        choices=ID_TYPE,
        validate_choice=False,
        validators=[DataRequired(REQUIRED), AnyOf(_values(ID_TYPE))],
    )
    national_id = StringField(
        "رقم الهوية الوطنية أو الإقامة",
        description="عشرة أرقام: يبدأ رقم الهوية بـ 1 ورقم الإقامة بـ 2.",
        filters=STRIP,
        validators=[
            DataRequired(REQUIRED),
            Regexp(r"^[12]\d{9}\Z", message="رقم الهوية أو الإقامة يتكون من ١٠ أرقام."),
            national_id,
        ],
        render_kw=LTR,
    )
    iqama_expiry = DateField(
        "تاريخ انتهاء الإقامة",
        description="بالتاريخ الميلادي. الإقامة النظامية شرط للحصول على الخدمة.",
        validators=[ShownIf(lambda f: f.id_type.data == "resident"), DataRequired(REQUIRED)],
        render_kw={"dir": "ltr"},
    )
    nationality = SelectField(
        "الجنسية",
        choices=EMPTY + NATIONALITIES,
        validate_choice=False,
        validators=[DataRequired(REQUIRED), AnyOf(_values(NATIONALITIES))],
    )
    birth_date = DateField(
        "تاريخ الميلاد",
        description="بالتاريخ الميلادي.",
        validators=[DataRequired(REQUIRED)],
        render_kw={"dir": "ltr"},
    )
    gender = RadioField(
        "الجنس",
        choices=GENDER,
        validate_choice=False,
        validators=[DataRequired(REQUIRED), AnyOf(_values(GENDER))],
    )
    marital_status = SelectField(
        "الحالة الاجتماعية",
        choices=EMPTY + MARITAL_STATUS,
        validate_choice=False,
        validators=[DataRequired(REQUIRED), AnyOf(_values(MARITAL_STATUS))],
    )
    health_status = SelectField(
        "الحالة الصحية",
        choices=EMPTY + HEALTH_STATUS,
        validate_choice=False,
        validators=[DataRequired(REQUIRED), AnyOf(_values(HEALTH_STATUS))],
    )
    health_details = StringField(
        "وصف الحالة الصحية",
        description="اسم المرض أو نوع الإعاقة، ويُرفق التقرير الطبي إن وجد.",
        filters=STRIP,
        validators=[
            ShownIf(lambda f: _ill(f.health_status.data)),
            DataRequired(REQUIRED),
            Length(max=300),
        ],
    )
    # contact
    mobile = StringField(
        "رقم الجوال",
        description="مثال: 05XXXXXXXX",
        filters=STRIP,
        validators=[DataRequired(REQUIRED), saudi_mobile],
        render_kw={"dir": "ltr", "inputmode": "tel", "type": "tel"},
    )
    alt_mobile = StringField(
        "رقم جوال بديل",
        description="رقم قريب أو معرِّف يمكن التواصل معه عند تعذر الوصول إليك.",
        filters=STRIP,
        validators=[Optional(), saudi_mobile],
        render_kw={"dir": "ltr", "inputmode": "tel", "type": "tel"},
    )
    email = StringField(
        "البريد الإلكتروني",
        description="اختياري.",
        filters=STRIP,
        validators=[Optional(), Length(max=254), Email("أدخل بريدًا إلكترونيًا صحيحًا.")],
        render_kw={"type": "email", "dir": "ltr", "autocomplete": "email"},
    )
    city = SelectField(
        "المدينة",
        choices=EMPTY + CITIES,
        validate_choice=False,
        validators=[DataRequired(REQUIRED), AnyOf(_values(CITIES))],
    )
    city_other = StringField(
        "اسم المدينة",
        filters=STRIP,
        validators=[
            ShownIf(lambda f: f.city.data == "other"),
            DataRequired(REQUIRED),
            Length(max=60),
        ],
    )
    district = StringField(
        "الحي", filters=STRIP, validators=[DataRequired(REQUIRED), Length(max=60)]
    )
    street = StringField(
        "اسم الشارع", filters=STRIP, validators=[DataRequired(REQUIRED), Length(max=100)]
    )
    building_number = StringField(
        "رقم المبنى",
        description="من العنوان الوطني (سُبل).",
        filters=STRIP,
        validators=[DataRequired(REQUIRED), Regexp(r"^\d{4}\Z")],
        render_kw=LTR,
    )
    additional_number = StringField(
        "الرقم الإضافي",
        description="من العنوان الوطني (سُبل).",
        filters=STRIP,
        validators=[Optional(), Regexp(r"^\d{4}\Z")],
        render_kw=LTR,
    )
    postal_code = StringField(
        "الرمز البريدي",
        description="من العنوان الوطني (سُبل).",
        filters=STRIP,
        validators=[DataRequired(REQUIRED), Regexp(r"^\d{5}\Z")],
        render_kw=LTR,
    )
    short_address = StringField(
        "العنوان المختصر",
        description="اختياري، مثل ABCD1234.",
        filters=STRIP,
        validators=[Optional(), Regexp(r"^[A-Za-z]{4}\d{4}\Z")],
        render_kw={"dir": "ltr"},
    )
    # work
    employment_status = SelectField(
        "الحالة الوظيفية",
        choices=EMPTY + EMPLOYMENT_STATUS,
        validate_choice=False,
        validators=[DataRequired(REQUIRED), AnyOf(_values(EMPLOYMENT_STATUS))],
    )
    employer = StringField(
        "جهة العمل",
        filters=STRIP,
        validators=[
            ShownIf(lambda f: f.employment_status.data in ("gov_employee", "private_employee")),
            DataRequired(REQUIRED),
            Length(max=100),
        ],
    )
    job_title = StringField(
        "المسمى الوظيفي",
        filters=STRIP,
        validators=[
            ShownIf(
                lambda f: (
                    f.employment_status.data
                    in ("gov_employee", "private_employee", "self_employed")
                )
            ),
            Optional(),
            Length(max=100),
        ],
    )
    # income
    has_income = RadioField(
        "هل للأسرة دخل شهري؟",
        choices=YES_NO,
        validate_choice=False,
        validators=[DataRequired(REQUIRED), AnyOf(["yes", "no"])],
    )
    income_sources = SelectMultipleField(
        "مصادر الدخل",
        description="اختر كل ما ينطبق، ثم أدخل مبلغ كل مصدر.",
        choices=INCOME_SOURCES,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[ShownIf(lambda f: f.has_income.data == "yes"), DataRequired(REQUIRED)],
    )
    income_other_source = StringField(
        "ما المصدر الآخر؟",
        filters=STRIP,
        validators=[ShownIf(_income("other")), DataRequired(REQUIRED), Length(max=100)],
    )
    income_salary = _amount("الراتب الشهري (ريال)", _income("salary"))
    income_social_security = _amount(
        "مبلغ الضمان الاجتماعي الشهري (ريال)", _income("social_security")
    )
    income_citizen_account = _amount("دعم حساب المواطن الشهري (ريال)", _income("citizen_account"))
    income_pension = _amount("المعاش التقاعدي الشهري (ريال)", _income("pension"))
    income_rehabilitation = _amount("إعانة التأهيل الشهرية (ريال)", _income("rehabilitation"))
    income_charity = _amount("متوسط المساعدات الشهرية من الجمعيات (ريال)", _income("charity"))
    income_alimony = _amount("النفقة الشهرية (ريال)", _income("alimony"))
    income_other = _amount("الدخل الشهري من المصدر الآخر (ريال)", _income("other"))
    # expenses
    expense_utilities = DecimalField(
        "متوسط فواتير الكهرباء والماء شهريًا (ريال)",
        validators=[Optional(), NumberRange(0, 100000)],
        render_kw=NUMBER,
    )
    expense_other = DecimalField(
        "مصروفات شهرية ثابتة أخرى (ريال)",
        description="مثل النقل المدرسي والأدوية والأقساط.",
        validators=[Optional(), NumberRange(0, 100000)],
        render_kw=NUMBER,
    )
    has_debts = RadioField(
        "هل على الأسرة ديون؟",
        choices=YES_NO,
        validate_choice=False,
        validators=[DataRequired(REQUIRED), AnyOf(["yes", "no"])],
    )
    debt_amount = DecimalField(
        "إجمالي الديون المتبقية (ريال)",
        validators=[
            ShownIf(lambda f: f.has_debts.data == "yes"),
            RequiredIf(lambda f: f.has_debts.data == "yes"),
            NumberRange(0, 5000000),
        ],
        render_kw=NUMBER,
    )
    debt_creditor = StringField(
        "الجهة الدائنة",
        description="مثل بنك أو شركة تمويل أو فرد.",
        filters=STRIP,
        validators=[
            ShownIf(lambda f: f.has_debts.data == "yes"),
            RequiredIf(lambda f: f.has_debts.data == "yes"),
            Length(max=150),
        ],
    )
    debt_enforcement = RadioField(
        "هل صدر بالدين حكم أو طلب تنفيذ؟",
        choices=YES_NO,
        validate_choice=False,
        validators=[
            ShownIf(lambda f: f.has_debts.data == "yes"),
            Optional(),
            AnyOf(["yes", "no"]),
        ],
    )
    # housing
    housing_type = SelectField(
        "نوع الحيازة",
        choices=EMPTY + HOUSING_TYPE,
        validate_choice=False,
        validators=[DataRequired(REQUIRED), AnyOf(_values(HOUSING_TYPE))],
    )
    housing_unit = SelectField(
        "نوع المسكن",
        choices=EMPTY + HOUSING_UNIT,
        validate_choice=False,
        validators=[DataRequired(REQUIRED), AnyOf(_values(HOUSING_UNIT))],
    )
    rooms = IntegerField("عدد الغرف", validators=[Optional(), NumberRange(1, 30)], render_kw=LTR)
    housing_condition = SelectField(
        "حالة المسكن",
        description="كما يصفها المتقدم؛ ويقيّمها الباحث الاجتماعي عند الزيارة.",
        choices=EMPTY + HOUSING_CONDITION,
        validate_choice=False,
        validators=[DataRequired(REQUIRED), AnyOf(_values(HOUSING_CONDITION))],
    )
    annual_rent = _amount(
        "قيمة الإيجار السنوي (ريال)", lambda f: f.housing_type.data == "rented", 500000
    )
    ejar_contract = RadioField(
        "هل عقد الإيجار موثق في منصة إيجار؟",
        choices=YES_NO,
        validate_choice=False,
        validators=[
            ShownIf(lambda f: f.housing_type.data == "rented"),
            Optional(),
            AnyOf(["yes", "no"]),
        ],
    )
    # family
    family_count = IntegerField(
        "عدد أفراد الأسرة",
        description="شاملًا مقدم الطلب.",
        validators=[InputRequired(REQUIRED), NumberRange(1, 30)],
        render_kw=LTR,
    )
    family_members = FieldList(
        FormField(MemberForm),
        "أفراد الأسرة المقيمون مع مقدم الطلب",
        description="أضف كل فرد عدا مقدم الطلب.",
        validators=[Length(max=20, message="عدد الأفراد أكثر من المسموح.")],
        min_entries=1,
        max_entries=21,
    )
    # bank
    bank_name = SelectField(
        "البنك",
        description="مطلوب عند طلب مساعدة نقدية.",
        choices=EMPTY + BANKS,
        validate_choice=False,
        validators=[RequiredIf(_cash_aid), AnyOf(_values(BANKS))],
    )
    iban = StringField(
        "رقم الآيبان",
        description="يبدأ بـ SA ويتكون من ٢٤ خانة، ويكون الحساب باسم مقدم الطلب.",
        filters=[_strip, _upper],
        validators=[
            RequiredIf(_cash_aid),
            Regexp(
                r"^SA\d{2}[0-9A-Z]{20}\Z", message="الآيبان السعودي يبدأ بـ SA ويتكون من ٢٤ خانة."
            ),
            iban,
        ],
        render_kw={"dir": "ltr", "autocomplete": "off"},
    )
    # support
    support_types = SelectMultipleField(
        "نوع الدعم المطلوب",
        choices=SUPPORT_TYPES,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[DataRequired(REQUIRED)],
    )
    support_other = StringField(
        "ما الدعم الآخر المطلوب؟",
        filters=STRIP,
        validators=[
            ShownIf(lambda f: "other" in (f.support_types.data or [])),
            DataRequired(REQUIRED),
            Length(max=150),
        ],
    )
    description = TextAreaField(
        "وصف الحالة وسبب الطلب",
        description="اكتب ما يوضح حاجة الأسرة وما تغيّر في ظروفها.",
        filters=STRIP,
        validators=[
            DataRequired(REQUIRED),
            Length(20, 3000, "اكتب وصفًا أوضح (٢٠ حرفًا على الأقل)."),
        ],
    )
    # attachments
    id_copy = _file("صورة الهوية الوطنية أو الإقامة", required=True)
    family_card_copy = _file(
        "صورة سجل الأسرة",
        lambda f: f.id_type.data == "citizen",
        "اجمع الصفحات في ملف PDF واحد.",
        mb=10,
    )
    family_iqama_copies = _file(
        "صور إقامات أفراد الأسرة",
        lambda f: f.id_type.data == "resident" and len(f.family_members.entries) > 0,
        "اجمع الصفحات في ملف PDF واحد.",
        mb=10,
    )
    income_proof = _file(
        "تعريف بالراتب أو إثبات الدخل",
        lambda f: f.has_income.data == "yes",
        "مثل تعريف الراتب أو إشعار الضمان الاجتماعي أو مسير المعاش.",
    )
    lease_contract = _file("عقد الإيجار", lambda f: f.housing_type.data == "rented")
    iban_certificate = _file(
        "شهادة الآيبان من البنك", lambda f: bool(f.iban.data), required_if=_cash_aid
    )
    medical_report = _file(
        "تقرير طبي",
        lambda f: "medical" in (f.support_types.data or []) or _ill(f.health_status.data),
    )
    debt_documents = _file(
        "ما يثبت الدين",
        lambda f: f.has_debts.data == "yes",
        "مثل كشف حساب أو حكم أو طلب تنفيذ.",
    )
    other_attachment = _file("مرفق آخر", accept=("pdf", "jpg", "png", "docx"))
    # declaration
    applicant_signature = HiddenField(
        "توقيع مقدم الطلب",
        description="أقر بأن البيانات أعلاه صحيحة وأنني مسؤول عنها.",
        filters=STRIP,
        validators=[DataRequired(REQUIRED), Length(max=512 * 1024 * 4 // 3 + 100), png_signature],
    )
    data_verified = RadioField(
        "طابق الموظف البيانات مع أصول المستندات",
        description="يعبئه موظف علاقات المستفيدين وقت التقديم.",
        choices=YES_NO,
        validate_choice=False,
        validators=[DataRequired(REQUIRED), AnyOf(["yes", "no"])],
    )
    staff_notes = TextAreaField(
        "ملاحظات الموظف",
        description="مثل إحالة المتقدم إلى الباحث الاجتماعي أو نواقص المستندات.",
        filters=STRIP,
        validators=[RequiredIf(lambda f: f.data_verified.data == "no"), Length(max=2000)],
    )


SECTIONS = [
    (
        "بيانات مقدم الطلب",
        [
            "first_name",
            "father_name",
            "grandfather_name",
            "family_name",
            "id_type",
            "national_id",
            "iqama_expiry",
            "nationality",
            "birth_date",
            "gender",
            "marital_status",
            "health_status",
            "health_details",
        ],
    ),
    (
        "التواصل والعنوان الوطني",
        [
            "mobile",
            "alt_mobile",
            "email",
            "city",
            "city_other",
            "district",
            "street",
            "building_number",
            "additional_number",
            "postal_code",
            "short_address",
        ],
    ),
    ("العمل", ["employment_status", "employer", "job_title"]),
    (
        "مصادر الدخل",
        [
            "has_income",
            "income_sources",
            "income_other_source",
            "income_salary",
            "income_social_security",
            "income_citizen_account",
            "income_pension",
            "income_rehabilitation",
            "income_charity",
            "income_alimony",
            "income_other",
        ],
    ),
    (
        "المصروفات والديون",
        [
            "expense_utilities",
            "expense_other",
            "has_debts",
            "debt_amount",
            "debt_creditor",
            "debt_enforcement",
        ],
    ),
    (
        "السكن",
        [
            "housing_type",
            "housing_unit",
            "rooms",
            "housing_condition",
            "annual_rent",
            "ejar_contract",
        ],
    ),
    ("أفراد الأسرة", ["family_count", "family_members", "family_count_note"]),
    ("البيانات البنكية", ["bank_name", "iban"]),
    ("الدعم المطلوب", ["support_types", "support_other", "description"]),
    (
        "المرفقات",
        [
            "id_copy",
            "family_card_copy",
            "family_iqama_copies",
            "income_proof",
            "lease_contract",
            "iban_certificate",
            "medical_report",
            "debt_documents",
            "other_attachment",
        ],
    ),
    ("الإقرار والتوقيع", ["applicant_signature", "data_verified", "staff_notes"]),
]

FAMILY_COUNT_NOTE = (
    "عدد الأفراد المضافين لا يطابق عدد أفراد الأسرة المذكور أعلاه؛ تحقق من البيانات."
)
DECLARATION = (
    "إقرار: أقر أنا مقدم الطلب بأن جميع البيانات المذكورة أعلاه والمستندات المرفقة صحيحة "
    "ومطابقة للأصل، وأنني مسؤول مسؤولية مباشرة عن صحتها، وأعلم أن الطلب يُرفع إلى لجنة البحث "
    "لدراسته والرد عليه بالقبول أو الاعتذار، وأن ثبوت عدم صحة أي بيان يترتب عليه إلغاء الطلب "
    "أو إيقاف الدعم واسترداد ما صُرف."
)

# --- turning the validated form into answers -------------------------------------------


def _shown(form, field) -> bool:
    return all(v.predicate(form) for v in field.validators if isinstance(v, ShownIf))


def _value(field):
    if field.type in ("FileField", "HiddenField"):
        return getattr(field, "pending", None)  # set by FileKind / png_signature
    data = field.data
    if field.type == "RadioField" and data in ("yes", "no") and field.choices == YES_NO:
        return data == "yes"
    if field.type == "DecimalField" and data is not None:
        number = float(data)
        return int(number) if number.is_integer() else number
    if field.type == "DateField" and data is not None:
        return data.isoformat()
    if data in ("", None, []):
        return None
    return data


def _fields_answers(form) -> dict:
    answers = {}
    for field in form:
        if field.short_name == "csrf_token" or not _shown(form, field):
            continue
        if field.type == "FieldList":
            rows = [_fields_answers(entry.form) for entry in field.entries]
            if rows:
                answers[field.short_name] = rows
            continue
        value = _value(field)
        if value is not None:
            answers[field.short_name] = value
    return answers


def answers(form: SupportRequestForm) -> dict:
    """Return the stored answers of a validated form, shaped as the engine shapes them."""
    return _fields_answers(form)


# --- the page --------------------------------------------------------------------------

TEMPLATE = """{% extends "base.html" %}
{% macro field_block(field) -%}
  <div class="field{% if field.errors %} has-error{% endif %}" data-name="{{ field.short_name }}">
    <label class="label" id="{{ field.id }}-label" for="{{ field.id }}">
      {{- field.label.text }}
      {%- if field.flags.required %} <span class="req" aria-hidden="true">*</span>{% endif -%}
    </label>
    {% if field.description -%}
      <p class="hint" id="{{ field.id }}-hint">{{ field.description }}</p>
    {%- endif %}
    {{ field(class="input") }}
    {% for error in field.errors %}<p class="error" role="alert">{{ error }}</p>{% endfor %}
  </div>
{%- endmacro %}
{% macro row_block(row, index) -%}
  <div class="repeat-row card" data-index="{{ index }}">
    <div class="row-head"><span class="row-number">صف {{ index }}</span>
      <button type="button" class="button small danger" data-remove-row>حذف الصف</button></div>
    {% for sub in row %}{{ field_block(sub) }}{% endfor %}
  </div>
{%- endmacro %}
{% block title %}طلب دعم مستفيد{% endblock %}
{% block content %}
<h1>طلب دعم مستفيد</h1>
{% if form.errors or channel_error -%}
<div class="alert" role="alert">لم يُحفظ الطلب: صحّح الحقول المشار إليها أدناه.</div>
{%- endif %}
<form method="post" action="{{ action }}" enctype="multipart/form-data" class="rifd-form"
      novalidate>
  {{ form.csrf_token }}
  <fieldset class="section card">
    <legend>بيانات الاستقبال</legend>
    <div class="field{% if channel_error %} has-error{% endif %}">
      <label class="label" for="channel">قناة الاستقبال <span class="req">*</span></label>
      <select class="input" id="channel" name="{{ channel_field }}" required>
        <option value="">— اختر —</option>
        {% for chan in channels %}
        <option value="{{ chan.value }}" {% if chan.value == channel %}selected{% endif %}>
          {{- chan.label|loc }}</option>
        {% endfor %}
      </select>
      {% if channel_error %}<p class="error" role="alert">{{ channel_error }}</p>{% endif %}
    </div>
  </fieldset>
  {% for title, names in sections %}
  <fieldset class="section card">
    <legend>{{ title }}</legend>
    {% for name in names %}
      {% set field = form[name] if name in form else none %}
      {% if field.type == "FieldList" %}
      <div class="repeat field" data-name="{{ field.short_name }}" data-max="20">
        <p class="label">{{ field.label.text }}</p>
        <p class="hint">{{ field.description }}</p>
        {% for error in field.errors if error is string -%}
          <p class="error" role="alert">{{ error }}</p>
        {%- endfor %}
        <div class="repeat-rows">
          {% for entry in field.entries %}{{ row_block(entry.form, loop.index0) }}{% endfor %}
        </div>
        <template data-prototype>{{ row_block(prototype, "__index__") }}</template>
        <button type="button" class="button" data-add-row>إضافة فرد</button>
      </div>
      {% elif name == "family_count_note" %}
      <div class="note field"><p>{{ family_count_note }}</p></div>
      {% else %}{{ field_block(field) }}{% endif %}
    {% endfor %}
    {% if loop.last %}<div class="note field"><p>{{ declaration }}</p></div>{% endif %}
  </fieldset>
  {% endfor %}
  <p class="actions"><button type="submit" class="button primary">إرسال</button></p>
</form>
{% endblock %}
{% block scripts %}
<script src="{{ url_for('static', filename='js/conditions.js') }}"></script>
<script src="{{ url_for('static', filename='js/rifd-forms.js') }}"></script>
{% endblock %}
"""

bp = Blueprint("bench_static", __name__)


@bp.route(URL, methods=["GET", "POST"])
def support_request():
    state = current_app.extensions[EXTENSION]  # the compiled template and the definition
    form = SupportRequestForm()
    known = channels()
    channel = request.form.get(CHANNEL_FIELD, "")
    channel_error = ""
    if form.is_submitted():
        if channel not in {c["value"] for c in known}:
            channel_error = "اختر قناة الاستقبال."
        if form.validate() and not channel_error:
            record = service.save(
                store.get_store(),
                state["definition"],
                answers(form),
                channel=channel,
                entered_by="staff",
            )
            # Every saved submission is audited, on this path as on the engine's.
            audit("create", f"submission:{FORM_ID}", record["id"], after=record["answers"])
            # And, as the engine's page does for the association's request form, it opens
            # the request that follows the policy (the registry looked up, the case made).
            data = store.get_store()
            profile = current_profile(data)
            case = operations.open_request(data, profile, state["definition"], record, actor())
            return redirect(url_for("cases.case_page", cid=case["id"], saved=1))
    page = render_template(
        state["template"],
        form=form,
        prototype=MemberForm(prefix="family_members-__index__-"),
        sections=SECTIONS,
        declaration=DECLARATION,
        family_count_note=FAMILY_COUNT_NOTE,
        channels=known,
        channel=channel,
        channel_error=channel_error,
        channel_field=CHANNEL_FIELD,
        action=URL,
    )
    return page, (400 if form.is_submitted() else 200)


def register(app: Flask) -> None:
    """Add /bench/static to `app`, with its template compiled once and its definition."""
    definition = app.extensions["rifd_forms"].get(FORM_ID)
    if definition is None:
        raise LookupError(f"the form library has no {FORM_ID}")
    app.extensions[EXTENSION] = {
        "template": app.jinja_env.from_string(TEMPLATE),
        "definition": definition,
    }
    app.register_blueprint(bp)
    # Staff fill it as they fill the real one: the same permission guards it.
    auth.REQUIRED.setdefault(f"{bp.name}.support_request", "forms.fill")
