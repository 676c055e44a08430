"""Two XLSForms with what Rifd cannot represent: types, functions, columns.

Each problem sits on its own row, so the test can name the row and column of each.
"""
# ruff: noqa: E501
# fmt: off

FIELD_VISIT = {
    "survey": [
        ["type", "name", "label::Arabic (ar)", "label::English (en)", "required", "appearance", "parameters"],
        ["text", "visitor", "اسم الزائر", "Visitor", "yes"],
        ["geotrace", "route", "مسار الزيارة", "Route of the visit"],
        ["geoshape", "plot", "حدود الأرض", "Plot of land"],
        ["video", "visit_video", "مقطع الزيارة", "Video of the visit"],
        ["select_one_from_file districts.csv", "district", "الحي", "District"],
        ["rank districts", "district2", "الحي", "District"],
        ["audio", "voice_note", "ملاحظة صوتية", "Voice note"],
        ["email", "account", "البريد", "E-mail"],
        ["range", "stress", "مستوى الضغط", "Stress level", "", "", "start=1 end=7 step=1"],
        ["text", "id_number", "رقم الهوية", "ID number", "", "url"],
        ["integer", "rooms", "عدد الغرف", "Rooms"],
    ],
    "choices": [
        ["list_name", "name", "label::Arabic (ar)", "label::English (en)"],
        ["districts", "north", "الشمال", "North"],
    ],
}

FOLLOW_UP = {
    "survey": [
        ["type", "name", "label::Arabic (ar)", "label::English (en)", "relevant", "constraint", "calculation", "choice_filter", "required_message::Arabic (ar)", "label::French"],
        ["text", "name", "الاسم", "Name"],
        ["date", "visit_date", "تاريخ الزيارة", "Date of the visit", "", ". <= today()"],
        ["select_one regions", "region", "المنطقة", "Region"],
        ["select_one cities", "city", "المدينة", "City", "", "", "", "starts-with(region, ${region})"],
        ["integer", "members", "عدد الأفراد", "Members", "${name} != ''", ". mod 2 = 0"],
        ["text", "greeting", "مرحبًا ${nmae}", "Hello ${name}"],
        ["text", "reason", "السبب", "Reason", "coalesce(${members}, 0) > 3"],
        ["text", "big_family", "أسرة كبيرة", "Large family", "${members} mod 2 = 1"],
        ["calculate", "district_name", "", "", "", "", "pulldata('districts', 'name', 'code', ${city})"],
        ["text", "typo", "سؤال", "Question", "${nmae} = 'x'"],
        ["text", "path", "سؤال", "Question", "/data/name = 'x'"],
        ["integer", "age", "العمر", "Age", "", ". > ${members}", "", "", "العمر مطلوب"],
        ["text", "french", "سؤال", "Question", "", "", "", "", "", "Question"],
    ],
    "choices": [
        ["list_name", "name", "label::Arabic (ar)", "label::English (en)", "region"],
        ["regions", "east", "الشرقية", "Eastern", ""],
        ["cities", "dammam", "الدمام", "Dammam", "east"],
    ],
}

BAD = {
    "field_visit_unsupported": FIELD_VISIT,
    "follow_up_unsupported": FOLLOW_UP,
}
