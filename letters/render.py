"""Render a Word template into a letter: sandboxed, autoescaped, prepared once.

docxtpl re-opens the .docx and recompiles its Jinja source on every render
(~23 ms a letter). A template version never changes, so Rifd prepares it
once: docxtpl's own clean-up (`patch_xml`) turns each XML part holding tags
into Jinja source, which is compiled once in a sandboxed, autoescaping
environment. A render then only runs the compiled templates and writes the
new parts into a copy of the zip. No DocxTemplate object is shared between
renders (the field notes saw wrong letters and lxml crashes when one was).

Missing values print as empty text and are reported, never as "None".
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
import zipfile
from collections import OrderedDict
from dataclasses import dataclass, field

from docxtpl import DocxTemplate
from jinja2 import ChainableUndefined, TemplateError, TemplateSyntaxError, Undefined
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree
from markupsafe import Markup

from letters import images, limits
from letters.images import Image
from letters.sandbox import charge, size
from letters.sandbox import sandbox as budgeted_sandbox

# Parts that can hold placeholders: the body, headers and footers.
_PART = re.compile(r"word/(document|header\d*|footer\d*)\.xml")
_PARAGRAPH = re.compile(r"<w:p([ >])")
# Characters XML 1.0 cannot hold (control characters, U+FFFE/U+FFFF): one typed
# into a value would make the filled document.xml unreadable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class LetterError(ValueError):
    """A template that cannot be rendered; `where` holds the text around the problem.

    `key` names a refusal letters.lint words in its own MESSAGES ("nested"), or
    a render stopped by its budget ("overrun").
    """

    def __init__(self, message: str, where: str = "", key: str = ""):
        super().__init__(f"{message}: «{where}»" if where else message)
        self.message = message
        self.where = where
        self.key = key


def overrun() -> LetterError:
    """Return the error of a render stopped by its budget (letters/limits.py)."""
    spent = f"{limits.seconds():g} ث، {limits.megabytes():g} ميغابايت"
    return LetterError(f"{OVERRUN} ({spent})", key="overrun")


OVERRUN = "تجاوز القالب الحد المسموح من الوقت أو الذاكرة"
NESTED = "القالب متداخل بعمق لا يُقبل (حلقات أو شروط أو وحدات ماكرو داخل بعضها أو تستدعي نفسها)"


class _Recorder(ChainableUndefined):
    """Undefined that prints as nothing and notes its name as missing."""

    __slots__ = ()

    def __str__(self) -> str:
        state = getattr(images.CURRENT, "state", None)
        missing = state.missing if state is not None else None
        if missing is not None and self._undefined_name:
            missing.append(self._undefined_name)
        return ""

    __html__ = __str__


def _finalize(value):
    if value is None or (callable(value) and not isinstance(value, Undefined | Markup | Image)):
        # `{{ range }}` or `{{ beneficiary.name.upper }}` would print a Python name
        # and a memory address: a letter prints nothing for a function.
        return ""
    charge(size(value))
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return _NOT_XML.sub("", value)  # plain text only: markup was made by Rifd itself
    return value


# Left empty on purpose: a letterhead without a logo, a letter without attachments.
OPTIONAL = frozenset({"association.logo", "letter.attachments"})


def _blank(name: str, value):
    if (value is None or value == "") and name not in OPTIONAL:
        return _Recorder(name=name)
    return value


def _mark_missing(context: dict) -> dict:
    """Return `context` with each empty value ("" or None) noting its name when printed.

    An empty decision reason or program place is as missing to the reader as an
    unknown name: it prints as nothing and is listed, e.g. "program.place".
    """
    marked = {}
    for key, value in context.items():
        if isinstance(value, dict):
            value = {sub: _blank(f"{key}.{sub}", item) for sub, item in value.items()}
        marked[key] = _blank(key, value)
    return marked


def sandbox() -> SandboxedEnvironment:
    """Return the environment every letter renders in: sandboxed, autoescaped, budgeted."""
    return budgeted_sandbox(undefined=_Recorder, finalize=_finalize)


def _paragraph_text(line: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", line)).strip()[:200]


@dataclass
class _State:
    part: str = ""
    missing: list[str] = field(default_factory=list)
    media: images.Media = field(default_factory=images.Media)


@dataclass
class Rendered:
    data: bytes
    missing: list[str]


class PreparedTemplate:
    """A template version, cleaned and compiled once; render() is cheap and thread-safe."""

    def __init__(self, data: bytes):
        self.data = data
        self.sha256 = hashlib.sha256(data).hexdigest()
        try:
            zipped = zipfile.ZipFile(io.BytesIO(data))
            names = zipped.namelist()
            docx = DocxTemplate(io.BytesIO(data))  # only for its clean-up of Word's XML
        except (zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise LetterError("the file is not a Word document (.docx)") from exc
        if "word/document.xml" not in names or "[Content_Types].xml" not in names:
            raise LetterError("the file is not a Word document (.docx)")
        self.env = sandbox()
        self.sources: dict[str, str] = {}
        self.compiled = {}
        for name in names:
            if _PART.fullmatch(name):
                try:
                    xml = zipped.read(name).decode("utf-8")
                except (UnicodeDecodeError, zipfile.BadZipFile) as exc:
                    raise LetterError(f"{name} in the file cannot be read") from exc
                self._compile(name, xml, docx)
        self._split_package(zipped)

    def _compile(self, name: str, xml: str, docx: DocxTemplate) -> None:
        source = _PARAGRAPH.sub(r"\n<w:p\1", docx.patch_xml(xml))
        try:
            self.compiled[name] = self.env.from_string(source)
        except TemplateSyntaxError as exc:
            lines = source.splitlines()
            where = _paragraph_text(lines[exc.lineno - 1]) if 0 < exc.lineno <= len(lines) else ""
            raise LetterError(f"template syntax error: {exc.message}", where) from None
        except (RecursionError, SyntaxError, MemoryError):
            # Jinja's parser recurses, and Python refuses the code Jinja makes of
            # deep nesting: over 100 levels ("too many levels of indentation") or
            # 20 loops inside each other ("too many statically nested blocks").
            raise LetterError(NESTED, key="nested") from None
        self.sources[name] = source

    def placeholder_source(self) -> str:
        """Return the Jinja source of all parts, for linting."""
        return "\n".join(self.sources.values())

    def render(self, context: dict) -> Rendered:
        """Fill the template with `context` and return the new .docx bytes."""
        state = _State()
        images.CURRENT.state = state
        context = _mark_missing(context)
        try:
            with limits.guarded():
                parts = {
                    name: self._render_part(name, tpl, context, state)
                    for name, tpl in self.compiled.items()
                }
                data = self._write(parts, state.media)
        except (limits.Overrun, MemoryError):
            raise overrun() from None
        finally:
            images.CURRENT.state = None
        return Rendered(data, sorted(set(state.missing)))

    def _render_part(self, name: str, template, context: dict, state: _State) -> bytes:
        state.part = name
        state.media.part = name
        try:
            xml = template.render(context)
        except SecurityError as exc:
            raise LetterError(f"the template tried to reach something it may not ({exc})") from None
        except RecursionError:
            raise LetterError(NESTED, key="nested") from None
        except (TemplateError, ArithmeticError, TypeError, ValueError, LookupError) as exc:
            # A template is a quality officer's work, not code: whatever it does
            # wrong becomes a message, never a crash.
            raise LetterError(f"the template could not be filled: {exc}") from None
        xml = _PARAGRAPH.sub(r"<w:p\1", xml.replace("\n<w:p", "<w:p"))
        xml = (
            xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        )
        xml = DocxTemplate.resolve_listing(None, xml)  # pure text clean-up: \n -> <w:br/> etc.
        data = xml.encode("utf-8")
        try:
            etree.fromstring(data)
        except etree.XMLSyntaxError as exc:
            raise LetterError(f"the filled template is not valid Word XML ({exc})") from None
        return data

    def _split_package(self, zipped: zipfile.ZipFile) -> None:
        """Zip once what no render changes; hold back what a render may rewrite."""
        names = set(zipped.namelist())
        held = set(self.compiled) | {"[Content_Types].xml"}
        held |= {f"{n.rpartition('/')[0]}/_rels/{n.rpartition('/')[2]}.rels" for n in self.compiled}
        self._held = {n: zipped.read(n) for n in held if n in names}
        base = io.BytesIO()
        with zipfile.ZipFile(base, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in zipped.infolist():
                if item.filename not in held:
                    dst.writestr(item, zipped.read(item.filename))
        self._base = base.getvalue()

    def _write(self, parts: dict[str, bytes], media: images.Media) -> bytes:
        # Appending to the prepared base zip: the unchanged parts (styles, fonts,
        # themes) are not compressed again for every letter.
        original = self._held.get
        changed = {
            **parts,
            **media.rels(original),
            **media.content_types(original),
            **media.files(),
        }
        out = io.BytesIO(self._base)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as dst:
            for name, body in self._held.items():
                dst.writestr(name, changed.pop(name, body))
            for name, body in changed.items():
                dst.writestr(name, body)
        return out.getvalue()


_CACHE: OrderedDict[str, PreparedTemplate] = OrderedDict()
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 32


def prepare(data: bytes) -> PreparedTemplate:
    """Return the prepared template for these bytes (cached by content: versions never change)."""
    digest = hashlib.sha256(data).hexdigest()
    with _CACHE_LOCK:
        if digest in _CACHE:
            _CACHE.move_to_end(digest)
            return _CACHE[digest]
    prepared = PreparedTemplate(data)
    with _CACHE_LOCK:
        _CACHE[digest] = prepared
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return prepared


def render_letter(data: bytes, context: dict) -> Rendered:
    """Render template bytes with `context`: the one path every letter takes."""
    return prepare(data).render(context)
