"""Lint a letter template before Rifd accepts it: a safe file, valid Jinja, known placeholders.

The file is checked before anything parses it (size, zip structure, macros,
zip bomb), because python-docx and lxml would happily spend memory on a
hostile upload. Then the template is prepared exactly as a render would
prepare it, so a syntax error is reported with the paragraph around it (a
.docx is one line of XML: a line number helps nobody). Last, every
placeholder is compared with the letter context (letters.context.SPEC) and
with the fields of the chosen form.
"""

from __future__ import annotations

import difflib
import io
import re
import zipfile
from dataclasses import dataclass, field

from jinja2 import nodes
from lxml import etree

from forms import zip_xml
from forms.definition import FormDefinition
from forms.zip_limits import MB, ZIP_ERRORS, ZipLimits
from letters.context import SPEC
from letters.render import NESTED, LetterError, prepare, sandbox

MAX_SIZE = 5 * MB
LIMITS = ZipLimits(entries=1000, unpacked=50 * MB)
CONTENT_TYPES = "[Content_Types].xml"
REQUIRED = (CONTENT_TYPES, "word/document.xml")

_PART = re.compile(r"word/(document|header\d*|footer\d*)\.xml")
_MACRO_FILES = ("vbaproject.bin", "vbadata.xml")
# The content types are read before the zip-bomb check: never read more than this.
_CONTENT_TYPES_LIMIT = MB
_LOADERS = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)

# English for the command line, Arabic for the web page.
MESSAGES = {
    "too_large": ("the file is larger than 5 MB", "حجم الملف أكبر من 5 ميغابايت"),
    "not_docx": ("the file is not a Word document (.docx)", "الملف ليس مستند Word ‏(docx)"),
    "missing_part": (
        "the file is not a Word document (.docx): {part} is missing",
        "الملف ليس مستند Word ‏(docx): الجزء {part} غير موجود",
    ),
    "macros": (
        "the file contains macros: save it as a plain Word document (.docx)",
        "الملف يحتوي على وحدات ماكرو: احفظه مستند Word عاديًا (docx)",
    ),
    "bomb": (
        "the file unpacks to far more than it weighs ({detail})",
        "الملف ينفك إلى حجم يفوق حجمه بكثير ({detail})",
    ),
    "bad_xml": ("{part} is not valid XML ({detail})", "الجزء {part} ليس XML سليمًا ({detail})"),
    "entities": (
        "{part} declares XML entities (<!DOCTYPE), which Word never writes",
        "الجزء {part} يعرّف كيانات XML ‏(‎<!DOCTYPE)، وهو ما لا يكتبه Word أبدًا: رُفض الملف",
    ),
    "encoding": (
        "{part} is XML in an encoding Rifd does not read: save the file from Word again",
        "الجزء {part} مكتوب بترميز لا يقرؤه رِفد: احفظ الملف من Word من جديد",
    ),
    "syntax": ("{message}: «{where}»", "خطأ في صياغة القالب ({message}): «{where}»"),
    "nested": (
        "the template nests too deeply (loops, conditions or macros inside each other)",
        NESTED,
    ),
    "loader": (
        "a letter cannot include, import or extend another template",
        "لا يجوز أن يضمّن الخطاب قالبًا آخر أو يستورده",
    ),
    "forbidden": (
        "forbidden: {path} reaches into Python internals (names starting with _)",
        "ممنوع: {path} يصل إلى خفايا بايثون (الأسماء التي تبدأ بـ _)",
    ),
    "unknown": ("unknown placeholder: {path}", "عنصر غير معروف: {path}"),
    "suggest": (" (did you mean {suggestion}?)", " (هل تقصد {suggestion}؟)"),
}


@dataclass
class LintReport:
    """What lint found: refusals, unknown placeholders, and every placeholder used."""

    errors: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)
    suggestions: dict[str, str] = field(default_factory=dict)
    errors_ar: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.unknown

    def refuse(self, key: str, **values) -> None:
        """Add a refusal, in English and in Arabic."""
        english, arabic = MESSAGES[key]
        self.errors.append(english.format(**values))
        self.errors_ar.append(arabic.format(**values))

    def messages(self, lang: str = "en") -> list[str]:
        """Return one line per problem: refusals first, then unknown placeholders."""
        index = 1 if lang == "ar" else 0
        lines = list(self.errors_ar if index else self.errors)
        for path in self.unknown:
            line = MESSAGES["unknown"][index].format(path=path)
            if path in self.suggestions:
                line += MESSAGES["suggest"][index].format(suggestion=self.suggestions[path])
            lines.append(line)
        return lines


def lint(data: bytes, form: FormDefinition | None = None) -> LintReport:
    """Check template bytes; `answers.X` is checked against `form` when one is given."""
    report = check_file(data)
    if report.errors:
        return report
    try:
        prepared = prepare(data)
        _check_placeholders(prepared.sources.values(), form, report)
    except LetterError as exc:
        if exc.key in MESSAGES:
            report.refuse(exc.key)
        else:
            report.refuse("syntax", message=exc.message, where=exc.where)
    except RecursionError:  # walking a tree that compiled: deep, but not too deep for Python
        report.refuse("nested")
    return report


def check_file(data: bytes) -> LintReport:
    """Return a report refusing the file itself: too large, not a .docx, macros, zip bomb."""
    report = LintReport()
    problem = _file_problem(data)
    if problem:
        report.refuse(problem[0], **problem[1])
    return report


def _file_problem(data: bytes) -> tuple[str, dict] | None:
    if len(data) > MAX_SIZE:
        return "too_large", {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zipped:
            return _package_problem(zipped)
    except ZIP_ERRORS:
        return "not_docx", {}


def _package_problem(zipped: zipfile.ZipFile) -> tuple[str, dict] | None:
    """Return the first refusal of an opened zip as (message key, values), or None."""
    infos = zipped.infolist()
    names = {info.filename for info in infos}
    for part in REQUIRED:
        if part not in names:
            return "missing_part", {"part": part}
    with zipped.open(CONTENT_TYPES) as member:
        content_types = member.read(_CONTENT_TYPES_LIMIT).lower()
    macro_file = any(name.rsplit("/", 1)[-1].lower() in _MACRO_FILES for name in names)
    if macro_file or b"macroenabled" in content_types:
        return "macros", {}
    bomb = LIMITS.excess(infos)
    if bomb:
        return "bomb", {"detail": bomb}
    declared = zip_xml.declaration(zipped)  # before any parser meets an entity
    if declared:
        return declared[0], {"part": declared[1]}
    for name in sorted(names):
        if _PART.fullmatch(name) or name == CONTENT_TYPES:
            problem = _xml_problem(name, zipped.read(name))
            if problem:
                return problem
    return None


def _xml_problem(name: str, xml: bytes) -> tuple[str, dict] | None:
    # docxtpl reads the parts as UTF-8 and renders lean on a well-formed
    # original: catch both here rather than as a crash at the first letter.
    try:
        xml.decode("utf-8")
        # A parser per call: lxml parser objects are not for sharing between threads.
        etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    except UnicodeDecodeError:
        return "bad_xml", {"part": name, "detail": "not UTF-8"}
    except etree.XMLSyntaxError as exc:
        return "bad_xml", {"part": name, "detail": str(exc)}
    return None


def _check_placeholders(sources, form: FormDefinition | None, report: LintReport) -> None:
    """Add forbidden accesses, placeholders and the unknown ones among them to `report`."""
    env = sandbox()
    trees = [env.parse(source) for source in sources]
    if any(tree.find(_LOADERS) for tree in trees):
        report.refuse("loader")
    reader = _Reader()
    for tree in trees:
        # Jinja's own globals (range, namespace, ...) are not placeholders.
        reader.walk(tree, _assigned(tree) | frozenset(env.globals))
    for path in dict.fromkeys(reader.forbidden):
        report.refuse("forbidden", path=path)
    fields = {f["name"] for f in form.answer_fields()} if form else None
    known = _known(fields)
    for path in dict.fromkeys(reader.paths):
        report.placeholders.append(".".join(path))
        wrong = _unknown_part(path, fields)
        if wrong and wrong not in report.unknown:
            report.unknown.append(wrong)
            close = difflib.get_close_matches(wrong, known[wrong.count(".")], n=1)
            if close:
                report.suggestions[wrong] = close[0]


class _Reader:
    """Collect the placeholder paths a Jinja tree reads, and its forbidden accesses."""

    def __init__(self):
        self.paths: list[tuple[str, ...]] = []
        self.forbidden: list[str] = []

    def walk(self, node: nodes.Node, bound: frozenset[str]) -> None:
        if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
            root, attrs = _chain(node)
            if attrs or isinstance(root, nodes.Name):
                self._note(root, attrs, bound)
                if not isinstance(root, nodes.Name):
                    self.walk(root, bound)
                return
        inner = bound | _binds(node)
        for child in node.iter_child_nodes():
            self.walk(child, inner)

    def _note(self, root: nodes.Node, attrs: list[str], bound: frozenset[str]) -> None:
        if any(attr.startswith("_") for attr in attrs):
            start = getattr(root, "name", None) or repr(getattr(root, "value", "…"))
            self.forbidden.append(".".join([start, *attrs]))
        elif isinstance(root, nodes.Name) and root.ctx == "load" and root.name not in bound:
            self.paths.append((root.name, *attrs))


def _chain(node: nodes.Node) -> tuple[nodes.Node, list[str]]:
    """Split `a.b['c'].d` into its root node and the names read from it."""
    attrs = []
    while True:
        if isinstance(node, nodes.Getattr):
            attrs.append(node.attr)
        elif (
            isinstance(node, nodes.Getitem)
            and isinstance(node.arg, nodes.Const)
            and isinstance(node.arg.value, str)
        ):
            attrs.append(node.arg.value)
        else:
            return node, attrs[::-1]
        node = node.node


def _names(target: nodes.Node) -> set[str]:
    """Return the names a target (`x`, `a, b`, macro arguments) binds."""
    found = [target, *target.find_all(nodes.Name)]
    return {node.name for node in found if isinstance(node, nodes.Name)}


def _assigned(tree: nodes.Template) -> frozenset[str]:
    # `{% set %}` binds for the rest of its scope; counting it bound everywhere
    # can only hide a misuse, never report a good template as wrong.
    targets = tree.find_all((nodes.Assign, nodes.AssignBlock))
    names = {name for node in targets for name in _names(node.target)}
    return frozenset(names | {macro.name for macro in tree.find_all(nodes.Macro)})


def _binds(node: nodes.Node) -> frozenset[str]:
    """Return the names a loop, macro, call block or with block binds for its body."""
    if isinstance(node, nodes.For):
        return frozenset(_names(node.target) | {"loop"})
    if isinstance(node, (nodes.Macro, nodes.CallBlock)):
        args = {name for arg in node.args for name in _names(arg)}
        return frozenset(args | {"caller", "varargs", "kwargs"})
    if isinstance(node, nodes.With):
        return frozenset(name for target in node.targets for name in _names(target))
    return frozenset()


def _unknown_part(path: tuple[str, ...], fields: set[str] | None) -> str | None:
    """Return the part of `path` that the context cannot fill, or None when it can."""
    top, attrs = path[0], path[1:]
    if top not in SPEC:
        return ".".join(path[:2])
    if not attrs:
        return None
    if top == "answers":
        known = fields is None or attrs[0] in fields
    else:
        known = SPEC[top] is not None and attrs[0] in SPEC[top]
    return None if known else f"{top}.{attrs[0]}"


def _known(fields: set[str] | None) -> dict[int, list[str]]:
    """Return the paths the context fills, by number of dots, for did-you-mean."""
    attrs = [f"{top}.{attr}" for top, allowed in SPEC.items() for attr in sorted(allowed or ())]
    attrs += [f"answers.{name}" for name in sorted(fields or ())]
    return {0: list(SPEC), 1: attrs}
