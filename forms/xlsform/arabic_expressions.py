"""The sentences of XLSForm expressions and constraints in an import's problems, with Arabic.

What relevant, required, calculation and constraint cells can be refused for: the
parser's (forms.xlsform.xpath), the translator's (forms.xlsform.translate) and the
constraint reader's (forms.xlsform.constraints). Named parts go unchanged into the
Arabic, as in forms.xlsform.arabic_rules.
"""

from __future__ import annotations

from forms.xlsform.arabic_rules import Q

HELP = (
    r"Rifd constraints are ranges \(\. >= 1\), lengths \(string-length\(\.\) <= 50\) and"
    r" patterns \(regex\(\., '\^\[0-9\]\{5\}\$'\)\) joined with and"
)
HELP_AR = (
    "قيود رِفد مدى (‎. >= 1) أو طول (‎string-length(.) <= 50) أو صيغة"
    " (‎regex(., '^[0-9]{{5}}$')) يُربط بينها بـ and"
)

# Constraints: what the constraint and rifd_messages columns say.
CONSTRAINTS = [
    (rf"(?P<why>.+): {HELP}", "{why}: " + HELP_AR),
    (
        r"a (?P<k>[a-z ]+) limit does not apply to a field of type (?P<t>\".*\") in Rifd",
        "الحد {k} لا ينطبق في رِفد على حقل من نوع {t}",
    ),
    (r"the constraint sets (?P<k>[a-z ]+) twice", "القيد يحدد {k} مرتين"),
    (
        r'"(?P<v>.*)" on a decimal cannot be represented: use ">=" or "<="',
        "لا يمكن تمثيل «{v}» على رقم عشري: استعمل ‎>= أو ‎<=",
    ),
    (
        r"the pattern (?P<v>.+) is not one Rifd can use \((?P<why>.+)\)",
        "رِفد لا يستطيع استعمال الصيغة {v} ({why})",
    ),
    (r"is not valid JSON \((?P<e>.+)\)", "ليس JSON سليمًا ({e})"),
    (
        r'must map limits \(min, max, min_length, max_length, pattern\) to \{"ar": \.\.\.,'
        r' "en": \.\.\.\}',
        'يربط كل حد (min وmax وmin_length وmax_length وpattern) بـ {{"ar": ...، "en": ...}}',
    ),
]
# Why a constraint is more than a limit (the part before HELP).
WHY = [
    (
        r"the function (?P<f>.+)\(\) is not supported in a Rifd constraint",
        "قيود رِفد لا تدعم الدالة {f}()",
    ),
    (
        r"a Rifd constraint cannot compare with another answer \((?P<v>.*)\)",
        "قيد رِفد لا يقارن بإجابة أخرى ({v})",
    ),
    (r'"mod" is not supported in a Rifd constraint', "قيود رِفد لا تدعم mod"),
    (r"this constraint cannot be represented", "لا يمكن تمثيل هذا القيد"),
    (
        r"Rifd runs patterns without look-arounds or back-references: (?P<e>.+)",
        "يفحص رِفد الصيغ في وقت محدود، فلا تُستعمل فيها ‎(?= ولا ‎(?! ولا ‎(?<= ولا الإحالة إلى"
        " مجموعة سابقة مثل ‎\\1: {e}",
    ),
    (r"it is too large to run", "الصيغة أكبر من أن تُفحص"),
]
# Expressions: what relevant, required and calculation say (XPath, then its translation).
EXPRESSIONS = [
    (r"the expression is longer than (?P<n>\d+) characters", "التعبير أطول من {n} حرفًا"),
    (r"the expression is empty", "التعبير فارغ"),
    (r'"\$\{" is not closed with "\}"', "«${{» لم تُغلق بـ «}}»"),
    (r"a text in quotes is not closed", "نص بين علامتي اقتباس لم يُغلق"),
    (rf"{Q} is not a number", "«{v}» ليس رقمًا"),
    (r'unexpected character "(?P<v>.*)"', "حرف غير متوقع «{v}»"),
    (r"the expression is nested more than (?P<n>\d+) deep", "التعبير متداخل أكثر من {n} مستوى"),
    (
        r"paths \(/data/name, \.\./name, name\) are not supported: refer to a field as"
        r" \$\{name\}",
        "رِفد لا يدعم المسارات (‎/data/name و‎../name وname): اكتب الحقل هكذا ${{name}}",
    ),
    (r'expected "\)" but found (?P<w>.+)', "يُنتظر «)» لكن وُجد {w_ar}"),
    (
        r'expected "," or "\)" in (?P<f>.+\(\)) but found (?P<w>.+)',
        "يُنتظر «,» أو «)» في {f} لكن وُجد {w_ar}",
    ),
    (r"unexpected (?P<w>.+)", "{w_ar} في غير موضعه"),
    (
        r'"\." \(the answer itself\) can only be used in a constraint',
        "«.» (الإجابة نفسها) لا تُستعمل إلا في constraint",
    ),
    (rf"unknown field {Q}", "لا يوجد حقل «{v}»"),
    (
        rf"{Q} is ODK metadata, which Rifd does not keep",
        "«{v}» من بيانات ODK الوصفية التي لا يحفظها رِفد",
    ),
    (rf"{Q} is a group: an expression reads fields", "«{v}» مجموعة: التعبير يقرأ الحقول"),
    (
        rf"{Q} names questions in several groups: which one is meant cannot be told \(give"
        r" each its own name\)",
        "«{v}» اسم أسئلة في أكثر من مجموعة: لا يُعرف أيها المقصود (أعطِ كلًّا منها اسمًا خاصًا به)",
    ),
    (rf"a field cannot depend on itself \({Q}\)", "لا يجوز أن يعتمد الحقل على نفسه («{v}»)"),
    (
        rf'{Q} is inside the repeat "(?P<r>.*)": from outside a repeat Rifd can only count its'
        r" rows \((?P<c>.*)\)",
        "«{v}» داخل المجموعة المتكررة «{r}»: من خارجها لا يستطيع رِفد إلا عدّ صفوفها ({c})",
    ),
    (
        rf'{Q} is inside the repeat "(?P<r>.*)", which is inside the repeat "(?P<p>.*)":'
        r" Rifd reads its column only from a row of that repeat",
        "«{v}» داخل المجموعة المتكررة «{r}» التي داخل المجموعة المتكررة «{p}»:"
        " لا يقرأ رِفد عمودها إلا من صف من صفوف «{p}»",
    ),
    (
        r"the calculations read each other in a circle: (?P<c>.+)",
        "الحسابات يقرأ بعضها بعضًا في دائرة: {c}",
    ),
    (
        r'comparisons cannot be chained: join them with "and"',
        "لا تُسلسل المقارنات: اربطها بـ and",
    ),
    (
        rf'the yes/no field {Q} is "yes" or "no", not "(?P<o>.*)"',
        "حقل نعم/لا «{v}» قيمته yes أو no، لا «{o}»",
    ),
    (r'"mod" is not supported by Rifd', "رِفد لا يدعم mod"),
    (
        r"regex\(\) can only be used in a constraint, as regex\(\., '\.\.\.'\)",
        "لا تُستعمل regex() إلا في constraint، هكذا: regex(., '...')",
    ),
    (r"the function (?P<f>.+)\(\) is not supported by Rifd", "رِفد لا يدعم الدالة {f}()"),
    (
        r"(?P<f>.+)\(\) takes (?P<n>\d+) argument\(s\), not (?P<m>\d+)",
        "الدالة {f}() تأخذ {n} من القيم، لا {m}",
    ),
]
