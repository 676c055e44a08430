"""Seven XLSForms Rifd can take whole, each in the style of a different author.

One row of a sheet per line, as in Excel: the lines are long on purpose.
"""
# ruff: noqa: E501
# fmt: off

from tests.forms.xlsforms.forms_nested import FAMILY_VISITS

AR, EN = "label::Arabic (ar)", "label::English (en)"

HOUSEHOLD_NEEDS = {
    "survey": [
        ["type", "name", AR, EN, "hint::Arabic (ar)", "hint::English (en)", "required", "relevant", "constraint", "constraint_message::Arabic (ar)", "constraint_message::English (en)", "appearance", "calculation", "$kuid"],
        ["start", "start"],
        ["end", "end"],
        ["begin_group", "household", "بيانات الأسرة", "Household", "", "", "", "", "", "", "", "field-list", "", "a1b2"],
        ["text", "head_name", "اسم رب الأسرة", "Head of household", "الاسم كما في الهوية", "As on the ID card", "yes", "", "string-length(.) >= 6", "اكتب الاسم كاملًا.", "Write the full name.", "", "", "c3d4"],
        ["select_one districts", "district", "الحي", "District", "", "", True, "", "", "", "", "minimal"],
        ["text", "district_other", "اسم الحي", "Name of the district", "", "", "yes", "${district} = 'other'"],
        ["integer", "hh_size", "عدد أفراد الأسرة", "Household size", "بمن فيهم رب الأسرة", "Including the head", "yes", "", ". >= 1 and . <= 30", "العدد بين ١ و٣٠.", "Between 1 and 30."],
        ["integer", "children", "عدد الأطفال دون ١٨ سنة", "Children under 18", "", "", "", "", ". >= 0 and . <= 20"],
        ["select_one housing", "housing", "نوع السكن", "Housing", "", "", "yes"],
        ["decimal", "annual_rent", "الإيجار السنوي (ريال)", "Annual rent (SAR)", "", "", "yes", "${housing} = 'rented'", ". >= 0"],
        ["end_group"],
        ["begin_group", "income", "الدخل", "Income"],
        ["select_multiple income_sources", "income_sources", "مصادر الدخل", "Sources of income", "اختر كل ما ينطبق", "Choose all that apply", "yes"],
        ["decimal", "salary", "الراتب الشهري", "Monthly salary", "", "", "yes", "selected(${income_sources}, 'salary')", ". >= 0"],
        ["decimal", "social_security", "الضمان الاجتماعي الشهري", "Monthly social security", "", "", "yes", "selected(${income_sources}, 'social_security')", ". >= 0"],
        ["calculate", "total_income", "", "", "", "", "", "", "", "", "", "", "${salary} + ${social_security}"],
        ["note", "low_income_note", "الدخل الشهري أقل من ٣٠٠٠ ريال: يُحال الطلب إلى الباحث الاجتماعي.", "Monthly income below 3,000 SAR: the request goes to the social researcher.", "", "", "", "${total_income} < 3000"],
        ["end_group"],
        ["begin_group", "needs", "الاحتياجات", "Needs"],
        ["select_multiple needs", "needs", "الاحتياجات العاجلة", "Urgent needs", "", "", "yes", "", "", "", "", "columns-pack"],
        ["text", "other_need", "احتياج آخر", "Other need", "", "", "yes", "selected(${needs}, 'other')"],
        ["select_one urgency", "urgency", "درجة الإلحاح", "Urgency", "", "", "yes", "", "", "", "", "likert"],
        ["text", "notes", "ملاحظات الباحث", "Researcher's notes", "", "", "", "", "string-length(.) <= 1000", "", "", "multiline"],
        ["end_group"],
    ],
    "choices": [
        ["list_name", "name", AR, EN],
        ["districts", "north", "الشمال", "North"],
        ["districts", "south", "الجنوب", "South"],
        ["districts", "east", "الشرق", "East"],
        ["districts", "west", "الغرب", "West"],
        ["districts", "other", "حي آخر", "Other"],
        ["housing", "owned", "ملك", "Owned"],
        ["housing", "rented", "إيجار", "Rented"],
        ["housing", "relatives", "مع الأقارب", "With relatives"],
        ["housing", "charity", "سكن خيري", "Charity housing"],
        ["income_sources", "salary", "راتب", "Salary"],
        ["income_sources", "social_security", "ضمان اجتماعي", "Social security"],
        ["income_sources", "pension", "معاش تقاعدي", "Pension"],
        ["income_sources", "none", "لا يوجد دخل", "No income"],
        ["needs", "food", "سلة غذائية", "Food basket"],
        ["needs", "rent", "سداد إيجار", "Rent"],
        ["needs", "medical", "علاج", "Medical care"],
        ["needs", "school", "مستلزمات مدرسية", "School supplies"],
        ["needs", "other", "أخرى", "Other"],
        ["urgency", "low", "منخفضة", "Low"],
        ["urgency", "medium", "متوسطة", "Medium"],
        ["urgency", "high", "عالية", "High"],
    ],
    "settings": [
        ["form_title", "form_id", "version", "default_language"],
        ["استبيان احتياجات الأسرة", "household_needs", 2024051501, "Arabic (ar)"],
    ],
}

SATISFACTION_RATINGS = {
    "survey": [
        ["type", "name", EN, AR, "required", "relevant", "appearance", "parameters", "constraint", "hint::English (en)", "hint::Arabic (ar)"],
        ["today", "today"],
        ["select_one services", "service", "Which service did you receive?", "ما الخدمة التي تلقيتها؟", "true"],
        ["range", "rate_reception", "Reception", "الاستقبال", "true", "", "rating", "start=1 end=5 step=1"],
        ["range", "rate_speed", "Speed of service", "سرعة الخدمة", "true", "", "rating", "start=1 end=5 step=1"],
        ["range", "rate_staff", "Staff courtesy", "تعامل الموظفين", "true", "", "rating", "start=1;end=5;step=1"],
        ["range", "rate_overall", "Overall satisfaction", "الرضا العام", "true", "", "", "start=1 end=5"],
        ["text", "low_reason", "What went wrong?", "ما الذي لم يعجبك؟", "", "${rate_overall} <= 2 or ${rate_staff} <= 2", "multiline", "", "string-length(.) <= 500"],
        ["range", "recommend", "How likely are you to recommend us to a friend?", "ما مدى احتمال أن توصي بنا صديقًا؟", "true", "", "", "start=0 end=10 step=1", "", "0 = not at all, 10 = certainly", "٠ = مستبعد تمامًا، ١٠ = بالتأكيد"],
        ["select_one yes_no", "contact_me", "May we contact you about your answers?", "هل تسمح بالتواصل معك بخصوص إجاباتك؟", "", "", "columns-pack"],
        ["text", "phone", "Mobile number", "رقم الجوال", "yes", "${contact_me} = 'yes'", "", "", "regex(., '^05[0-9]{8}$')"],
        ["note", "thanks", "Thank you for your time.", "شكرًا لوقتك."],
    ],
    "choices": [
        ["list_name", "name", EN, AR],
        ["services", "food_basket", "Food basket", "سلة غذائية"],
        ["services", "cash_aid", "Cash aid", "مساعدة نقدية"],
        ["services", "medical", "Medical care", "رعاية صحية"],
        ["services", "training", "Training course", "دورة تدريبية"],
        ["yes_no", "yes", "Yes", "نعم"],
        ["yes_no", "no", "No", "لا"],
    ],
    "settings": [
        ["form_title", "form_id"],
        ["استبيان رضا المستفيدين", "satisfaction_ratings"],
    ],
}

SUMMER_REGISTRATION = {
    "survey": [
        ["type", "name", AR, EN, "required", "relevant", "constraint", "appearance", "repeat_count", "rifd_type", "body::accept", "default"],
        ["begin_group", "guardian", "ولي الأمر", "Guardian"],
        ["text", "guardian_name", "اسم ولي الأمر", "Guardian's name", "yes", "", "string-length(.) >= 6 and string-length(.) <= 100"],
        ["text", "guardian_id", "رقم الهوية أو الإقامة", "National ID or iqama", "yes", "", "", "", "", "national_id"],
        ["text", "guardian_mobile", "رقم الجوال", "Mobile", "yes", "", "", "", "", "mobile"],
        ["text", "guardian_email", "البريد الإلكتروني", "E-mail", "", "", "", "", "", "email"],
        ["select_one gender", "guardian_gender", "الجنس", "Gender", "yes", "", "", "horizontal"],
        ["select_one relation", "relation", "صلة القرابة بالأطفال", "Relation to the children", "yes", "", "", "", "", "", "", "father"],
        ["end_group"],
        ["begin_group", "children_group", "الأطفال", "Children"],
        ["begin_repeat", "child", "طفل", "Child"],
        ["text", "child_name", "اسم الطفل", "Child's name", "yes"],
        ["select_one gender", "child_gender", "الجنس", "Gender", "yes"],
        ["date", "child_birth", "تاريخ الميلاد", "Date of birth", "yes"],
        ["integer", "child_age", "العمر", "Age", "yes", "", ". >= 0 and . <= 17"],
        ["begin_group", "schooling", "الدراسة", "Schooling", "", "${child_age} >= 6"],
        ["text", "school_name", "اسم المدرسة", "School", "yes"],
        ["select_one grades", "grade", "الصف", "Grade"],
        ["end_group"],
        ["end_repeat"],
        ["note", "many_children", "سنتواصل معك لترتيب موعد الاستلام.", "We will call you to arrange a pick-up time.", "", "count(${child}) > 4"],
        ["end_group"],
        ["begin_group", "contacts", "جهات اتصال للطوارئ", "Emergency contacts"],
        ["begin_repeat", "emergency", "جهة اتصال", "Contact", "", "", "", "", 2],
        ["text", "contact_name", "الاسم", "Name", "yes"],
        ["text", "contact_mobile", "الجوال", "Mobile", "yes", "", "", "", "", "mobile"],
        ["end_repeat"],
        ["end_group"],
        ["begin_group", "documents", "المرفقات", "Documents"],
        ["file", "id_copy", "صورة الهوية", "Copy of the ID", "yes", "", "", "", "", "", ".pdf, .jpg, .png"],
        ["file", "vaccination", "شهادة التطعيم", "Vaccination certificate", "", "count(${child}) > 0", "", "", "", "", "application/pdf image/jpeg"],
        ["image", "signature", "توقيع ولي الأمر", "Guardian's signature", "yes", "", "", "signature"],
        ["end_group"],
    ],
    "choices": [
        ["list_name", "name", AR, EN],
        ["gender", "male", "ذكر", "Male"],
        ["gender", "female", "أنثى", "Female"],
        ["relation", "father", "الأب", "Father"],
        ["relation", "mother", "الأم", "Mother"],
        ["relation", "other", "قريب آخر", "Other relative"],
        ["grades", 1, "الأول", "First"],
        ["grades", 2, "الثاني", "Second"],
        ["grades", 3, "الثالث", "Third"],
        ["grades", 4, "الرابع", "Fourth"],
        ["grades", 5, "الخامس", "Fifth"],
        ["grades", 6, "السادس", "Sixth"],
    ],
    "settings": [
        ["form_title", "form_id", "version", "default_language"],
        ["تسجيل الأطفال في البرنامج الصيفي", "summer_registration", 3, "Arabic (ar)"],
    ],
}

COMPLAINT_OLD_STYLE = {
    "survey": [
        ["type", "name", "label:Arabic", "label:English", "hint:Arabic", "hint:English", "required", "relevance", "constraint", "constraint_message:Arabic", "constraint_message:English", "appearance"],
        ["begin group", "message", "رسالتك", "Your message"],
        ["select one kinds", "kind", "نوع الرسالة", "Kind of message", "", "", "yes", "", "", "", "", "minimal"],
        ["text", "subject", "الموضوع", "Subject", "", "", "yes", "", "string-length(.) <= 120"],
        ["text", "details", "التفاصيل", "Details", "اذكر التاريخ والمكان إن أمكن.", "Give the date and place if you can.", "yes", "", "string-length(.) >= 10", "اكتب تفاصيل أكثر.", "Please write a little more.", "multiline"],
        ["end group"],
        ["begin group", "reply", "الرد", "Reply"],
        ["select one yes_no", "wants_reply", "هل ترغب في الرد؟", "Would you like a reply?", "", "", "yes"],
        ["text", "reply_name", "الاسم", "Name", "", "", "", "${wants_reply} = 'yes'"],
        ["text", "reply_mobile", "رقم الجوال", "Mobile", "", "", "", "${wants_reply} = 'yes'", "regex(., '^05[0-9]{8}$')", "رقم الجوال يبدأ بـ 05 ويتكون من ١٠ أرقام.", "A mobile number starts with 05 and has 10 digits."],
        ["end group"],
    ],
    "choices": [
        ["list name", "name", "label:Arabic", "label:English"],
        ["kinds", "complaint", "شكوى", "Complaint"],
        ["kinds", "suggestion", "اقتراح", "Suggestion"],
        ["kinds", "thanks", "شكر", "Thanks"],
        ["yes_no", "yes", "نعم", "Yes"],
        ["yes_no", "no", "لا", "No"],
    ],
    "settings": [
        ["form_title", "form_id", "version", "default_language"],
        ["شكوى أو اقتراح", "complaint_old_style", 1, "Arabic"],
    ],
}

ELIGIBILITY_CHECK = {
    "survey": [
        ["type", "name", "label", EN, "hint", "required", "relevant", "constraint", "constraint_message", "constraint_message::English (en)", "notes for the team"],
        ["integer", "Age", "العمر", "Age", "بالسنوات", "yes", "", ". >= 18 and . <= 100", "يجب أن يكون العمر بين ١٨ و١٠٠.", "Age must be between 18 and 100.", "from the ID"],
        ["text", "mobile", "رقم الجوال", "Mobile", "05XXXXXXXX", "yes", "", "regex(., '^05[0-9]{8}$')", "رقم غير صحيح.", "Not a valid number."],
        ["text", "postal_code", "الرمز البريدي", "Postal code", "", "", "", "regex(., '^[0-9]{5}$')"],
        ["text", "iban_text", "الآيبان", "IBAN", "", "", "", "string-length(.) = 24 and regex(., '^SA')"],
        ["integer", "family", "عدد أفراد الأسرة", "Family members", "", "yes", "", ". > 0 and . < 31"],
        ["decimal", "Income", "الدخل الشهري", "Monthly income", "", "yes", "", ". >= 0"],
        ["decimal", "expenses", "المصروفات الشهرية", "Monthly expenses", "", "yes", "", ". >= 0"],
        ["note", "deficit_note", "المصروفات تتجاوز الدخل.", "Expenses exceed income.", "", "", "${Income} - ${expenses} < 0"],
        ["note", "per_person_note", "دخل الفرد أقل من ٥٠٠ ريال.", "Income per person is below 500 SAR.", "", "", "${Income} div ${family} < 500"],
        ["select_multiple conditions", "conditions", "الحالات التي تنطبق", "Conditions that apply", "", "yes"],
        ["text", "cash_reason", "سبب طلب الدعم النقدي", "Reason for cash support", "", "", "selected(${conditions}, 'low_income') and not(selected(${conditions}, 'has_support'))"],
        ["text", "health_detail", "تفاصيل الحالة الصحية", "Health details", "", "${Age} >= 60", "selected(${conditions}, 'disability') or selected(${conditions}, 'chronic')"],
        ["note", "many_conditions", "تنطبق على الأسرة ثلاث حالات أو أكثر.", "Three or more conditions apply.", "", "", "count-selected(${conditions}) >= 3"],
        ["select_one marital", "marital", "الحالة الاجتماعية", "Marital status", "", "TRUE()"],
        ["text", "spouse_name", "اسم الزوج أو الزوجة", "Spouse's name", "", "", '${marital} = "married"'],
        ["text", "guardian_note", "ملاحظة ولي الأمر", "Guardian's note", "", "", "${spouse_name} != '' and (${family} > 5 or ${Age} < 25)"],
    ],
    "choices": [
        ["list_name", "name", "label", EN],
        ["conditions", "low_income", "دخل منخفض", "Low income"],
        ["conditions", "disability", "إعاقة", "Disability"],
        ["conditions", "chronic", "مرض مزمن", "Chronic illness"],
        ["conditions", "has_support", "يتلقى دعمًا من جهة أخرى", "Supported by another body"],
        ["marital", "single", "أعزب", "Single"],
        ["marital", "married", "متزوج", "Married"],
        ["marital", "widowed", "أرمل", "Widowed"],
        ["marital", "divorced", "مطلق", "Divorced"],
    ],
    "settings": [
        ["form_title", "form_id", "version"],
        ["التحقق من الأهلية", "eligibility_check", "4"],
    ],
}

VOLUNTEER_INTEREST = {
    "survey": [
        ["type", "name", "label", "hint", "required", "constraint"],
        ["text", "full_name", "الاسم الكامل", "", "yes"],
        ["date", "available_from", "متاح ابتداءً من", "", "yes"],
        ["integer", "hours", "الساعات المتاحة أسبوعيًا", "من ١ إلى ٤٠ ساعة", "", ". >= 1 and . <= 40"],
        ["note", "thanks", "شكرًا لك، سنتواصل معك قريبًا."],
    ],
}

GOOD = {
    "household_needs": HOUSEHOLD_NEEDS,
    "satisfaction_ratings": SATISFACTION_RATINGS,
    "summer_registration": SUMMER_REGISTRATION,
    "complaint_old_style": COMPLAINT_OLD_STYLE,
    "eligibility_check": ELIGIBILITY_CHECK,
    "volunteer_interest": VOLUNTEER_INTEREST,
    "family_visits": FAMILY_VISITS,
}
