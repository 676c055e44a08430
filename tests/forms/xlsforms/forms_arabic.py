"""Spreadsheets that provoke the problems the other import tests leave out.

With those of test_xlsform_errors and the two unsupported fixtures, every sentence
forms.xlsform.arabic_rules and arabic_expressions know is provoked by a real import:
test_xlsform_arabic checks each has its Arabic, and that no rule is dead.
"""
# ruff: noqa: E501
# fmt: off

Q = ["type", "name", "label"]
YES_NO = [["list_name", "name", "label"], ["yn", "yes", "نعم"], ["yn", "no", "لا"]]
LONG = " and ".join(["${a} > 1"] * 150)

PROVOKING = {
    "choices": {
        "survey": [Q + ["default"], ["select_one l", "a", "أ", "z"]],
        "choices": [["list_name", "name", "label", "image"], ["", "x", "س"], ["l", "x", "س"], ["l", "x", "س"], ["l", "y", "ص", "y.png"]],
    },
    "names and settings": {
        "survey": [Q, ["text", "a" * 70, "أ"]],
        "settings": [["form_id", "public_key", "submission_url"], ["f", "KEY", "https://example.org"]],
    },
    "columns": {
        "survey": [
            Q + ["read_only", "guidance_hint", "trigger", "autoplay", "calculation", "repeat_count", "parameters", "bind::foo", "required", "default"],
            ["file", "a", "أ", "yes"],
            ["text", "b", "ب", "", "مساعدة"],
            ["text", "c", "ج", "", "", "${a}"],
            ["text", "d", "د", "", "", "", "audio"],
            ["text", "e", "هـ", "", "", "", "", "1 + 1"],
            ["text", "f", "و", "", "", "", "", "", "3"],
            ["text", "g", "ز", "", "", "", "", "", "", "start=1"],
            ["text", "h", "ح", "", "", "", "", "", "", "", "x"],
            ["note", "i", "ط", "", "", "", "", "", "", "", "", "yes"],
            ["integer", "j", "ي", "", "", "", "", "", "", "", "", "", "x"],
            ["date", "k", "ك", "", "", "", "", "", "", "", "", "", "2024-13-45"],
            ["file", "m", "م", "", "", "", "", "", "", "", "", "", "x"],
            ["select_one yn", "n", "ن", "", "", "", "", "", "", "", "", "", "maybe"],
        ],
        "choices": YES_NO,
    },
    "yes_no default": {
        "survey": [Q + ["rifd_type", "default"], ["select_one yn", "n", "ن", "yes_no", "maybe"], ["integer", "o", "س", "email"]],
        "choices": YES_NO,
    },
    "files and repeats": {
        "survey": [
            Q + ["body::accept", "repeat_count", "rifd_min", "rifd_max", "appearance", "parameters"],
            ["file", "f", "ملف", "exe"],
            ["begin_repeat", "r", "صفوف", "", "${x}", "x", "60"],
            ["text", "x", "س"],
            ["end_repeat"],
            ["begin_group", "g", "مجموعة", "", "", "", "", "xyz"],
            ["text", "y", "ص"],
            ["end_group"],
            ["range", "z", "ع", "", "", "", "", "", "foo=1"],
        ],
    },
    "a column of a repeat inside a repeat": {
        "survey": [
            Q + ["relevant"],
            ["begin_repeat", "r", "صفوف"],
            ["begin_repeat", "s", "صفوف داخلية"],
            ["integer", "x", "س"],
            ["end_repeat"],
            ["end_repeat"],
            ["note", "n", "ن", "sum(${x}) > 1"],
        ],
    },
    "calculates": {
        "survey": [
            Q + ["calculation", "relevant"],
            ["integer", "a", "أ"],
            ["calculate", "empty", ""],
            ["calculate", "unused", "", "${a} + 1"],
            ["calculate", "c1", "", "${c2} + 1"],
            ["calculate", "c2", "", "${c1} + 1"],
            ["calculate", "long", "", LONG],
            ["text", "b", "ب", "", "${long} and ${long}"],
            ["text", "c", "ج", "", "${c1} > 1"],
        ],
    },
    "constraints": {
        "survey": [
            Q + ["constraint", "rifd_messages"],
            ["integer", "a", "أ", ". <= 5 and string-length(.) > 3"],
            ["integer", "b", "ب", ". > 1 and . > 2"],
            ["decimal", "c", "ج", ". > 0.5"],
            ["text", "d", "د", "regex(., '(')"],
            ["text", "d2", "د", "regex(., '(?=a)a')"],
            ["text", "d3", "د", "regex(., '((a{1000}){1000}){1000}')"],
            ["integer", "e", "هـ", ". > 1", "{"],
            ["integer", "f", "و", ". > 1", '{"x": 1}'],
            ["integer", "g", "ز", "1 = 1"],
        ],
    },
    "expressions": {
        "survey": [
            Q + ["relevant", "rifd_type"],
            ["start", "start", ""],
            ["select_one yn", "m", "م", "", "yes_no"],
            ["text", "a", "أ", "${a} = 1"],
            ["text", "b", "ب", "${"],
            ["text", "c", "ج", "'abc"],
            ["text", "d", "د", "1.2.3 = 1"],
            ["text", "e", "هـ", "1 # 2"],
            ["text", "f", "و", "(" * 60 + "1" + ")" * 60],
            ["text", "g", "ز", "(1 = 1"],
            ["text", "h", "ح", "selected(${m} 'x')"],
            ["text", "i", "ط", "1 ="],
            ["text", "j", "ي", ". = 1"],
            ["text", "k", "ك", "${start} != ''"],
            ["begin_group", "grp", "مجموعة"],
            ["text", "l", "ل", "${grp} = 1"],
            ["end_group"],
            ["begin_repeat", "rep", "صفوف"],
            ["text", "inner", "داخل"],
            ["end_repeat"],
            ["text", "n", "ن", "${inner} = 'x'"],
            ["text", "o", "س", "1 < 2 < 3"],
            ["text", "p", "ع", "selected(${m}, 'maybe')"],
            ["text", "q", "ف", "regex(${a}, 'x')"],
            ["text", "r", "ص", "not(1, 2)"],
            ["text", "s", "ق", " and ".join(["1 = 1"] * 500)],
        ],
        "choices": YES_NO,
    },
    "cascading choices and labels": {
        "survey": [
            Q + ["choice_filter", "calculation", "relevant"],
            ["select_one l", "a", "أ"],
            ["text", "b", "ب", "x = ${a}"],
            ["select_one l", "c", "ج", "kind = ${a} and zone = ${a}"],
            ["select_one l", "d", "د", "المنطقة = ${a}"],
            ["select_one l", "e", "هـ", " or ".join(["kind = ${a}"] * 190)],
            ["calculate", "k", "", "", "${a}"],
            ["text", "f", "قيمة ${k}", "", "", "${k} != ''"],
        ],
        "choices": [["list_name", "name", "label", "kind"], ["l", "x", "س", "y" * 201]],
    },
    "the same name in two groups, then read": {
        "survey": [
            Q + ["relevant"],
            ["begin_group", "mother", "الأم"],
            ["text", "name", "الاسم"],
            ["end_group"],
            ["begin_group", "father", "الأب"],
            ["text", "name", "الاسم"],
            ["end_group"],
            ["text", "t", "ت", "${name} != ''"],
        ],
    },
}
