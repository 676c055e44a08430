"""The sentences of an XLSForm import's problems (file, sheets, rows), each with its Arabic.

Every problem forms.xlsform reports has one shape here: a regular expression of the
English sentence, whose named parts (names, cells, numbers, as the spreadsheet has
them) go unchanged into the Arabic one. forms.xlsform.arabic applies them; the
sentences of expressions and constraints are in forms.xlsform.arabic_expressions. A test
runs every problem the import tests provoke through them, so a new sentence
without its Arabic is noticed.
"""

from __future__ import annotations

Q = r'"(?P<v>.*)"'  # a quoted name or cell, kept as the spreadsheet has it
# The whole file and its sheets.
FILE = [
    (
        r"is an old Excel 97-2003 \(\.xls\) workbook: save it as \.xlsx and try again",
        "مصنف Excel قديم (‎.xls، إصدار 97-2003): احفظه بصيغة ‎.xlsx وأعد المحاولة",
    ),
    (
        r"is not an \.xlsx workbook \(it is not a zip file\)",
        "ليس مصنف Excel بصيغة ‎.xlsx (ليس ملفًا مضغوطًا)",
    ),
    (r"is not a readable \.xlsx workbook \((?P<d>.+)\)", "مصنف ‎.xlsx لا يمكن قراءته ({d})"),
    (
        r"unpacks to far more than an XLSForm \((?P<d>.+)\)",
        "ينفك إلى أكبر بكثير من أي XLSForm ({d})",
    ),
    (
        r"is a Word document \(\.docx\), not an \.xlsx workbook",
        "مستند Word ‏(‎.docx) وليس مصنف Excel ‏(‎.xlsx)",
    ),
    (
        r'has no "survey" sheet \(its XLSForm sheets: (?P<d>.+)\)',
        "ليس فيه ورقة «survey» (أوراق XLSForm فيه: {d})",
    ),
    (r"could not be made a valid Rifd form:", "تعذّر تحويله إلى نموذج رِفد صالح:"),
    (
        r"declares XML entities in (?P<v>.+) \(<!DOCTYPE\), which Excel never writes",
        "يعرّف كيانات XML في {v} (‎<!DOCTYPE)، وهو ما لا يكتبه Excel أبدًا: رُفض الملف",
    ),
    (
        r"holds XML in an encoding Rifd does not read \((?P<v>.+)\)",
        "فيه XML بترميز لا يقرؤه رِفد ({v}): احفظه من Excel من جديد",
    ),
    (r'the "(?P<v>.*)" sheet is not supported by Rifd', "رِفد لا يدعم الورقة «{v}»"),
    (r"this column appears twice", "هذا العمود مكرر"),
    (r"the sheet has more than (?P<n>\d+) rows", "في الورقة أكثر من {n} صف"),
    (r"the sheet has rows past row (?P<n>\d+)", "في الورقة صفوف مستخدمة بعد الصف {n}"),
    (
        r"the sheet goes on past row (?P<n>\d+) \(empty rows count too\): delete the rows"
        r" below the last one in use",
        "تمتد الورقة بعد الصف {n} (والصفوف الفارغة تُحسب): احذف الصفوف التي تلي آخر صف مستخدم",
    ),
    (r'the sheet has no "type" column', "ليس في الورقة عمود «type»"),
    (r"the sheet holds no question", "ليس في الورقة أي سؤال"),
]
# What the details in parentheses of FILE say.
DETAILS = [
    (r"the zip file is damaged", "الملف المضغوط تالف"),
    (r"its list of sheets is not valid XML", "قائمة أوراقه ليست XML سليمًا"),
    (r"it holds no workbook", "لا يحوي مصنفًا"),
    (r"none of survey, choices, settings", "لا شيء من survey وchoices وsettings"),
    (r"(?P<n>\d+) entries, more than (?P<m>\d+)", "{n} ملفًا داخله، أكثر من {m}"),
    (r"(?P<n>\d+) MB unpacked, more than (?P<m>\d+) MB", "{n} ميغابايت بعد فكّه، أكثر من {m}"),
    (
        r"(?P<n>\d+) times its packed size, more than (?P<m>\d+)",
        "{n} ضعف حجمه مضغوطًا، أكثر من {m}",
    ),
]
# Rows of the survey, choices and settings sheets.
ROWS = [
    (
        r'language "(?P<v>.*)" is not supported by Rifd without its code: name it as in'
        r' "(?P=v) \(xx\)"',
        "لا يدعم رِفد اللغة «{v}» بلا رمزها: اكتبها هكذا «{v} (xx)»",
    ),
    (
        r"Rifd texts are fixed: they cannot show another answer \(\$\{\.\.\.\}\)",
        "نصوص رِفد ثابتة: لا تعرض إجابة سؤال آخر (${{...}})",
    ),
    (r"the list_name is empty", "خانة list_name فارغة"),
    (r"the label is empty", "نص السؤال (label) فارغ"),
    (r"the type is empty", "خانة النوع (type) فارغة"),
    (r"the name is empty", "الاسم (name) فارغ"),
    (
        rf"(?:{Q}|an empty name) is not a Rifd choice value: use 1 to 64 English letters,"
        r" digits, _ \. or -",
        "«{v}» لا تصلح قيمةً لخيار في رِفد: من ١ إلى ٦٤ من الأحرف الإنجليزية والأرقام و _ . -",
    ),
    (rf'{Q} appears twice in the list "(?P<l>.*)"', "«{v}» مكرر في القائمة «{l}»"),
    (rf"there is no list {Q} in the choices sheet", "لا توجد قائمة «{v}» في ورقة choices"),
    (rf'{Q} is not a choice of the list "(?P<l>.*)"', "«{v}» ليس من خيارات القائمة «{l}»"),
    (
        rf"{Q} cannot be a Rifd name: use English letters, digits and _ \(e\.g\. family_size\)",
        "«{v}» لا يصلح اسمًا في رِفد: أحرف إنجليزية وأرقام و _ (مثل family_size)",
    ),
    (
        rf"{Q} cannot be a Rifd name: at most 63 letters, digits and _",
        "«{v}» لا يصلح اسمًا في رِفد: ٦٣ حرفًا ورقمًا و _ على الأكثر",
    ),
    (
        r'(?P<v>".*") is already the name of a (?P<w>choice list|question|group) at row'
        r" (?P<n>\d+)",
        "{v} اسم {w_ar} في الصف {n} من قبل",
    ),
    (
        rf"{Q} is not a whole number from 1 up: Rifd versions count 1, 2, 3\.\.\.",
        "«{v}» ليس عددًا صحيحًا من ١ فصاعدًا: إصدارات رِفد تُعدّ 1، 2، 3...",
    ),
    (r"must be 1 to 4 capital letters", "من حرف إلى أربعة أحرف إنجليزية كبيرة"),
    (
        r"Rifd does not encrypt submissions with a public key",
        "رِفد لا يشفّر الطلبات بمفتاح عام",
    ),
    (
        r"Rifd keeps submissions itself; it sends them to no other server",
        "رِفد يحفظ الطلبات بنفسه ولا يرسلها إلى خادم آخر",
    ),
    (rf"{Q} is neither yes nor no", "«{v}» ليست yes ولا no"),
    (r"only a select has a choice_filter", "لا يكون choice_filter إلا لسؤال اختيار (select)"),
    (
        rf"the choices sheet has no column {Q} to filter by",
        "ليس في ورقة choices عمود «{v}» تُصفّى الخيارات به",
    ),
    (
        rf"the column {Q} of the choices sheet cannot be a Rifd name: use English letters,"
        r" digits and _",
        "عمود ورقة choices «{v}» لا يصلح اسمًا في رِفد: استخدم حروفًا إنجليزية وأرقامًا و_",
    ),
    (r"longer than (?P<n>\d+) characters", "أطول من {n} حرفًا"),
    (
        r"the filter is longer than Rifd's (?P<n>\d+) characters",
        "شرط التصفية أطول من {n} حرفًا، وهو حد رِفد",
    ),
    (
        r"a (?P<v>\w+) question cannot be read-only in Rifd",
        "لا يكون سؤال من نوع {v} للقراءة فقط في رِفد",
    ),
    (
        r"guidance hints are not supported by Rifd; use the hint",
        "رِفد لا يدعم guidance_hint؛ استعمل hint",
    ),
    (r"triggers are not supported by Rifd", "رِفد لا يدعم trigger"),
    (
        r"a calculation with a trigger inside a repeat is not supported by Rifd \(yet\)",
        "رِفد لا يدعم (بعد) حسابًا له trigger داخل مجموعة متكررة",
    ),
    (r"a trigger names one question: \$\{name\}", "يسمّي trigger سؤالًا واحدًا: ${{name}}"),
    (r"media is not supported by Rifd", "رِفد لا يدعم الوسائط"),
    (
        r"media \(images, audio, video\) is not supported by Rifd",
        "رِفد لا يدعم الوسائط (الصور والصوت والفيديو)",
    ),
    (
        r"only a calculate row has a calculation in Rifd",
        "في رِفد لا تكون calculation إلا لصف calculate",
    ),
    (r"only a begin_repeat row has a repeat_count", "لا يكون repeat_count إلا لصف begin_repeat"),
    (
        r"only a range question takes parameters in Rifd",
        "في رِفد لا تكون parameters إلا لسؤال range",
    ),
    (r'the column "(?P<v>.*)" is not supported by Rifd', "رِفد لا يدعم العمود «{v}»"),
    (r"a note cannot be required", "الملاحظة (note) لا تكون مطلوبة"),
    (
        r"a calculated default other than today\(\) on a date is not supported by Rifd",
        "رِفد لا يدعم قيمة افتراضية محسوبة إلا today() لتاريخ",
    ),
    (
        r"a default from the last saved record \(last-saved\) is supported by Rifd only as"
        r" the question's own answer: \$\{last-saved#<its name>\}",
        "رِفد لا يدعم قيمة افتراضية من آخر إجابة محفوظة (last-saved) إلا إجابةَ السؤال نفسه:"
        " ${{last-saved#<اسمه>}}",
    ),
    (
        rf"{Q} is not a valid default for a (?P<k>\w+) question",
        "«{v}» ليست قيمة افتراضية صالحة لسؤال من نوع {k}",
    ),
    (rf"{Q} is not yes or no", "«{v}» ليست yes أو no"),
    (rf"{Q} is not a date written YYYY-MM-DD", "«{v}» ليس تاريخًا مكتوبًا YYYY-MM-DD"),
    (r"a (?P<k>\w+) takes no default", "لا قيمة افتراضية لحقل من نوع {k}"),
    (
        r"Rifd accepts only the file kinds (?P<a>.+), not (?P<b>.+)",
        "رِفد يقبل أنواع الملفات {a} فقط، لا {b}",
    ),
    (r"must be a number above 0, up to (?P<n>\d+)", "رقم أكبر من 0 حتى {n}"),
    (r"must be a whole number from 2 to (?P<n>\d+)", "عدد صحيح من 2 إلى {n}"),
    (r"must be a whole number", "عدد صحيح"),
    (
        r"Rifd repeats hold 0 to 50 rows, with at least 1 allowed",
        "المجموعة المتكررة في رِفد من 0 إلى 50 صفًا، ويُسمح بصف واحد على الأقل",
    ),
    (
        rf"the loop {Q} is never closed: add an end_loop row",
        "الحلقة (loop) «{v}» لم تُغلق: أضف سطر end_loop",
    ),
    (
        rf"the (?P<w>group|repeat) {Q} is never closed: add an end_(?P=w) row",
        "لم تُغلق {w_ar} «{v}»: أضف صف end_{w}",
    ),
    (
        rf"appearance {Q} is not supported by Rifd for a group",
        "رِفد لا يدعم طريقة العرض «{v}» للمجموعة",
    ),
    (
        r"more than (?P<n>\d+) repeats one inside another are not supported by Rifd",
        "رِفد لا يدعم أكثر من {n} مجموعات متكررة بعضها داخل بعض",
    ),
    (
        r"end_(?P<k>group|repeat) has no begin_(?P=k) before it",
        "لا يسبق end_{k} صفُّ begin_{k}",
    ),
    (
        rf"end_(?P<k>\w+) closes the (?P<w>group|repeat) {Q} opened at row (?P<n>\d+):"
        r" use end_(?P=w)",
        "end_{k} يغلق {w_ar} «{v}» المفتوحة في الصف {n}: استعمل end_{w}",
    ),
    (rf"the (?P<w>group|repeat) {Q} holds no question", "لا سؤال في {w_ar} «{v}»"),
    (
        r"a calculate with a relevant is not supported by Rifd",
        "رِفد لا يدعم calculate له relevant",
    ),
    (r"a calculate needs a calculation", "صف calculate يحتاج calculation"),
    (
        r"the calculation is longer than Rifd's (?P<n>\d+) characters once translated",
        "الحساب أطول من {n} حرفًا بعد تحويله، وهو حد رِفد",
    ),
    (
        r"the condition is longer than Rifd's (?P<n>\d+) characters once translated",
        "الشرط بعد ترجمته أطول من {n} حرفًا، وهو حد رِفد",
    ),
    (
        rf"{Q} needs the name of its list from the choices sheet",
        "«{v}» يحتاج اسم قائمته من ورقة choices",
    ),
    (
        r'"email" is ODK metadata \(the device account\); for an e-mail question use type'
        r' text with "email" in the rifd_type column',
        "«email» من بيانات ODK الوصفية (حساب الجهاز)؛ لسؤال بريد إلكتروني استعمل النوع text"
        " مع email في عمود rifd_type",
    ),
    (
        r'rifd_type "(?P<v>.*)" is not one of (?P<k>.+)',
        "rifd_type «{v}» ليس من القيم: {k}",
    ),
    (
        r'rifd_type "(?P<v>.*)" goes with type (?P<k>\w+) and no appearance',
        "rifd_type «{v}» يكون مع النوع {k} بلا appearance",
    ),
    (r'range parameter "(?P<v>.*)" is not supported by Rifd', "رِفد لا يدعم معامل range «{v}»"),
    (
        r"a range from (?P<a>-?\d+) to (?P<b>-?\d+) in steps of (?P<s>-?\d+) is not supported:"
        r" Rifd has ratings \(start=1 end=5\) and NPS \(start=0 end=10\)",
        "رِفد لا يدعم range من {a} إلى {b} بخطوة {s}: فيه التقييم (start=1 end=5) واحتمال"
        " التوصية NPS ‏(start=0 end=10)",
    ),
    (
        rf"appearance {Q} is not supported by Rifd for a (?P<k>\w+) question",
        "رِفد لا يدعم طريقة العرض «{v}» لسؤال من نوع {k}",
    ),
    (rf"{Q} is not supported by Rifd", "رِفد لا يدعم «{v}»"),
]
WORDS = {
    "end of the expression": "نهاية التعبير",
    "choice list": "قائمة خيارات",
    "question": "سؤال",
    "group": "مجموعة",
    "repeat": "مجموعة متكررة",
}
