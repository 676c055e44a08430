"""An XLSForm with repeats inside repeats, as a social researcher's visit form is written.

Families visited, the members of each family (as many as the family's count says),
and the follow-up notes of each member: three repeats, one inside another. Inner rows
read their own row, the family's row and the form; a calculate of a member's row is
read in place; a group inside the members is flattened; a calculate of the family's row sums its members' column.
"""
# ruff: noqa: E501
# fmt: off

AR, EN = "label::Arabic (ar)", "label::English (en)"

FAMILY_VISITS = {
    "survey": [
        ["type", "name", AR, EN, "required", "relevant", "constraint", "calculation", "read_only", "repeat_count", "default"],
        ["begin_group", "visit", "الزيارة", "Visit"],
        ["text", "researcher", "اسم الباحث الاجتماعي", "Social researcher", "yes"],
        ["begin_repeat", "family", "أسرة", "Family"],
        ["text", "head_name", "اسم رب الأسرة", "Head of the family", "yes"],
        ["integer", "members_count", "عدد أفراد الأسرة", "Family members", "yes", "", ". >= 1 and . <= 20"],
        ["begin_repeat", "member", "فرد من الأسرة", "Family member", "", "", "", "", "", "${members_count}"],
        ["text", "member_name", "اسم الفرد", "Name", "yes"],
        ["integer", "member_age", "العمر", "Age", "yes", "", ". >= 0 and . <= 120"],
        ["calculate", "adult", "", "", "", "", "", "${member_age} >= 18"],
        ["decimal", "member_income", "الدخل الشهري (ريال)", "Monthly income (SAR)", "", "${adult}", ". >= 0"],
        ["begin_group", "schooling", "الدراسة", "Schooling", "", "${member_age} < 18"],
        ["text", "school", "اسم المدرسة", "School"],
        ["text", "guardian", "ولي الأمر", "Guardian", "", "${head_name} != ''", "", "", "yes", "", "رب الأسرة"],
        ["end_group"],
        ["begin_repeat", "follow_up", "متابعة", "Follow-up"],
        ["text", "follow_up_note", "ملاحظة عن ${member_name} من ${researcher}", "Note on ${member_name} by ${researcher}", "yes"],
        ["date", "follow_up_date", "تاريخ المتابعة", "Follow-up date", "", "${members_count} > 1"],
        ["end_repeat"],
        ["end_repeat"],
        ["calculate", "family_income", "", "", "", "", "", "sum(${member_income})"],
        ["note", "income_note", "دخل الأسرة الشهري: ${family_income} ريال", "Family's monthly income: ${family_income} SAR"],
        ["note", "large_family", "أسرة كبيرة: تُحال إلى لجنة الإسكان.", "A large family: referred to the housing committee.", "", "count(${member}) > 8"],
        ["end_repeat"],
        ["end_group"],
    ],
    "settings": [
        ["form_title", "form_id", "version", "default_language"],
        ["زيارات الباحث الاجتماعي للأسر", "family_visits", 1, "Arabic (ar)"],
    ],
}
