"""Issue many letters in one go and pack them: a zip of .docx/.pdf, or one merged document.

Each letter is issued on its own (letters/issue.py holds the register lock per letter),
so a letter that fails takes no number and the others go on. A merged document keeps
every letter's own header and footer (number, date, verification code and QR code):
docxcompose drops those of appended documents, so each letter is given a section of
its own that points at its own header and footer parts.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import logging
import re
import zipfile
from collections.abc import Callable

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docxcompose.composer import Composer

from forms.definition import FormDefinition
from forms.saudi import normalize_number
from letters.context import build_context, logo_image, signature_image
from letters.issue import DEFAULT_PATTERN, REGISTER, issue
from letters.pdf import get_converter
from letters.render import LetterError
from store.errors import StoreError

log = logging.getLogger(__name__)

JOBS = "jobs"
DECISION_FIELDS = ("reasons", "meeting_number", "notes", "reapply_after", "appeal")
PROGRAM_FIELDS = ("name", "place", "start_date", "end_date", "time", "what_to_bring")
OUTCOMES = {"acceptance": "accepted", "rejection": "rejected"}
# output -> (file suffix, MIME type)
OUTPUTS = {
    "zip_docx": ("zip", "application/zip"),
    "zip_pdf": ("zip", "application/zip"),
    "merged_docx": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "merged_pdf": ("pdf", "application/pdf"),
}
# What can go wrong with one letter without anything else being wrong.
LETTER_FAILURES = (LetterError, StoreError, OSError, ValueError, KeyError)


def profile_of(store) -> dict:
    """Return the association's profile as the letters print it."""
    return store.get("settings", 1) or {}


def context_for(profile: dict, form, record: dict, template_name: str, fields: dict, read_file):
    """Return the context of one submission's letter, filled with the staff's `fields`."""
    text = {k: str(v or "").strip() for k, v in fields.items()}
    decision = {k: text.get(k, "") for k in DECISION_FIELDS}
    decision["amount"] = normalize_number(text.get("amount", "")).replace(",", "")
    decision["outcome"] = OUTCOMES.get(template_name, "")
    program = {k: text.get(f"program_{k}", "") for k in PROGRAM_FIELDS}
    context = build_context(profile, form, record, decision=decision, program=program)
    context["signature"] = signature_image(form, record, read_file)
    context["association"]["logo"] = logo_image(profile, read_file)
    return context


def issue_one(store, form, record, template, *, fields, issued_by, base_url) -> dict:
    """Issue `template` for one submission and return its register record."""
    profile = profile_of(store)
    context = context_for(profile, form, record, template.name, fields, store.read_file)
    return issue(
        store,
        template,
        context,
        letter_type=template.name,
        recipient=context["beneficiary"]["name"],
        issued_by=issued_by,
        answers={"form_id": form.id, "submission_id": record["id"], "ref": record["ref"]},
        attachments=str(fields.get("attachments") or "").strip(),
        base_url=base_url,
        pattern=profile.get("letter_number_pattern") or DEFAULT_PATTERN,
    )


def issue_many(
    store,
    form,
    records,
    template,
    *,
    fields: dict | None = None,
    issued_by: str,
    base_url: str,
    progress: Callable[[int, int], None] | None = None,
    form_of: Callable[[dict], FormDefinition | None] | None = None,
) -> list[dict]:
    """Issue a letter per record; a failed one becomes {"error", "ref", "submission_id"}.

    `form_of(record)` gives the version of the form a record was filled with
    (FormCatalog.for_record), so its answers are read with that version's names and
    labels, as a single letter's are; `form` serves a record it finds none for.
    """
    records = list(records)
    out = []
    for done, record in enumerate(records, start=1):
        try:
            out.append(
                issue_one(
                    store,
                    (form_of(record) if form_of else None) or form,
                    record,
                    template,
                    fields=fields or {},
                    issued_by=issued_by,
                    base_url=base_url,
                )
            )
        except LETTER_FAILURES as exc:
            ref = record.get("ref", "")
            out.append(
                {
                    "error": str(exc) or type(exc).__name__,
                    "ref": ref,
                    "submission_id": record.get("id"),
                }
            )
        if progress:
            progress(done, len(records))
    return out


def issued(letters: list[dict]) -> list[dict]:
    """Return the letters that were issued, leaving out the error entries."""
    return [letter for letter in letters if "error" not in letter]


def file_name(letter: dict, suffix: str) -> str:
    """Return a file name made from the letter's number ("/" cannot be in a name)."""
    return f"letter-{letter['number'].replace('/', '-')}.{suffix}"


def pdfs_of(store, letters: list[dict]) -> list[bytes]:
    """Return each letter's PDF: archived ones as they are, the rest in one conversion."""
    todo = [letter for letter in letters if not letter.get("pdf_sha256")]
    made = get_converter().convert_many([store.read_file(x["sha256"]) for x in todo])
    with store.lock("letters_pdf"):
        for letter, pdf in zip(todo, made, strict=True):
            current = store.get(REGISTER, letter["id"]) or {}
            # Once archived a letter's PDF never changes: keep one made meanwhile.
            digest = current.get("pdf_sha256") or store.put_file(pdf)
            letter["pdf_sha256"] = store.update(REGISTER, letter["id"], {"pdf_sha256": digest})[
                "pdf_sha256"
            ]
    return [store.read_file(letter["pdf_sha256"]) for letter in letters]


def zip_of(store, letters: list[dict], kind: str = "docx") -> bytes:
    """Return a zip of the issued letters as .docx or .pdf, named after their numbers."""
    letters = issued(letters)
    if kind == "pdf":
        files = pdfs_of(store, letters)
    else:
        files = [store.read_file(letter["sha256"]) for letter in letters]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for letter, data in zip(letters, files, strict=True):
            archive.writestr(file_name(letter, kind), data)
    return out.getvalue()


def _template_of(partname: str) -> str:
    # /word/media/image12.png -> /word/media/image%d.png
    return re.sub(r"\d*(\.\w+)$", r"%d\1", partname)


def _rename_tree(package, part, seen: set) -> None:
    """Give `part` and the parts it refers to names still free in `package`."""
    if id(part) in seen:
        return
    seen.add(id(part))
    part.partname = package.next_partname(_template_of(str(part.partname)))
    for rel in part.rels.values():
        if not rel.is_external:
            _rename_tree(package, rel.target_part, seen)


def _adopt_headers(merged, letter) -> None:
    """Point the merged document's last section at `letter`'s own header and footer."""
    target = merged.element.body.sectPr
    for ref in target.xpath("w:headerReference|w:footerReference"):
        target.remove(ref)
    for ref in reversed(letter.element.body.sectPr.xpath("w:headerReference|w:footerReference")):
        part = letter.part.related_parts[ref.rId]
        kind = RT.HEADER if ref.tag == qn("w:headerReference") else RT.FOOTER
        rid = merged.part.relate_to(part, kind)
        _rename_tree(merged.part.package, part, set())
        new = copy.deepcopy(ref)
        new.set(qn("r:id"), rid)
        target.insert(0, new)


def _end_section(merged) -> None:
    """End the letter so far with a next-page section break that keeps its header/footer."""
    body = merged.element.body
    paragraph = OxmlElement("w:p")
    properties = OxmlElement("w:pPr")
    properties.append(copy.deepcopy(body.sectPr))
    paragraph.append(properties)
    body.sectPr.addprevious(paragraph)


def merged(store, letters: list[dict]) -> bytes:
    """Return the issued letters as one .docx, each on new pages with its own header/footer."""
    letters = issued(letters)
    if not letters:
        raise LetterError("no letter was issued, so there is nothing to merge")
    composer = Composer(Document(io.BytesIO(store.read_file(letters[0]["sha256"]))))
    for letter in letters[1:]:
        document = Document(io.BytesIO(store.read_file(letter["sha256"])))
        _end_section(composer.doc)
        composer.append(document)
        _adopt_headers(composer.doc, document)
    out = io.BytesIO()
    composer.doc.save(out)
    return out.getvalue()


def merged_pdf(store, letters: list[dict]) -> bytes:
    """Return the merged document as one PDF, made by a single conversion."""
    return get_converter().convert(merged(store, letters))


def pack(store, letters: list[dict], output: str) -> bytes:
    """Return the file of `output` (a key of OUTPUTS) for the issued letters."""
    if output == "zip_docx":
        return zip_of(store, letters, "docx")
    if output == "zip_pdf":
        return zip_of(store, letters, "pdf")
    if output == "merged_docx":
        return merged(store, letters)
    if output == "merged_pdf":
        return merged_pdf(store, letters)
    raise ValueError(f"unknown output {output!r}")


def new_job(store, *, form_id: str, template: str, output: str, total: int) -> dict:
    """Record a bulk job about to start and return it."""
    job = {
        "kind": "bulk_letters",
        "status": "running",
        "form_id": form_id,
        "template": template,
        "output": output,
        "done": 0,
        "total": total,
        "letters": [],
        "errors": [],
        "result": "",
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    job["id"] = store.insert(JOBS, job)
    return job


def run_job(
    store, job_id: int, form, records, template, *, fields, issued_by, base_url, form_of=None
) -> dict:
    """Issue and pack the letters of job `job_id`, keeping its progress and errors in the store."""
    job = store.get(JOBS, job_id)
    try:
        letters = issue_many(
            store,
            form,
            records,
            template,
            fields=fields,
            issued_by=issued_by,
            base_url=base_url,
            progress=lambda done, _total: store.update(JOBS, job_id, {"done": done}),
            form_of=form_of,
        )
        ok = issued(letters)
        errors = [{"ref": x["ref"], "error": x["error"]} for x in letters if "error" in x]
        store.update(
            JOBS, job_id, {"letters": [x["id"] for x in ok], "errors": errors, "status": "packing"}
        )
        result = store.put_file(pack(store, ok, job["output"])) if ok else ""
        return store.update(JOBS, job_id, {"status": "done", "result": result})
    except Exception as exc:  # noqa: BLE001  (the last stop of a background thread: keep it)
        log.exception("bulk letters job %s failed", job_id)
        failure = {"ref": "", "error": str(exc) or type(exc).__name__}
        errors = (store.get(JOBS, job_id) or {}).get("errors", []) + [failure]
        return store.update(JOBS, job_id, {"status": "failed", "errors": errors})
