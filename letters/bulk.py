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

from forms.saudi import normalize_number
from letters.context import PROGRAM_FIELDS, build_context, logo_image, signature_image
from letters.issue import DEFAULT_PATTERN, issue
from letters.pdf import get_converter
from letters.render import LetterError
from store.errors import StoreError

log = logging.getLogger(__name__)

JOBS = "jobs"
DECISION_FIELDS = (
    "reasons",
    "meeting_number",
    "notes",
    "reapply_after",
    "appeal",
    "date",
    "decided_by",  # set from the request's decision only (cases.operations.decision_fields)
)
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
    text = {k: str(v or "").strip() for k, v in fields.items() if not isinstance(v, list)}
    decision = {k: text.get(k, "") for k in DECISION_FIELDS}
    decision["amount"] = normalize_number(text.get("amount", "")).replace(",", "")
    decision["outcome"] = text.get("outcome") or OUTCOMES.get(template_name, "")
    # Chosen from a list (support types): printed as one line, in the order chosen.
    decision["support_types"] = "، ".join(str(v) for v in fields.get("support_types") or ())
    program = {k: text.get(f"program_{k}", "") for k in PROGRAM_FIELDS}
    context = build_context(profile, form, record, decision=decision, program=program)
    context["signature"] = signature_image(form, record, read_file)
    context["association"]["logo"] = logo_image(profile, read_file)
    return context


def issue_one(store, form, record, template, *, fields, issued_by, base_url, audit=None) -> dict:
    """Issue `template` for one submission and return its register record.

    `audit(tx, letter)` is written with the letter (letters.issue.issue); the rules of
    who may issue which letter are cases/operations.py's, which calls this.
    """
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
        audit=audit,
    )


def issue_many(
    records,
    issue_record: Callable[[dict], dict],
    progress: Callable[[int, int], None] | None = None,
) -> list[dict]:
    """Issue a letter per record with `issue_record`; a failed one becomes an error entry.

    An error entry is {"error", "ref", "submission_id"}: the others go on.
    """
    records = list(records)
    out = []
    for done, record in enumerate(records, start=1):
        try:
            out.append(issue_record(record))
        except LETTER_FAILURES as exc:
            out.append(
                {
                    "error": str(exc) or type(exc).__name__,
                    "ref": record.get("ref", ""),
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


Archive = Callable[[int, bytes], dict]  # (letter id, PDF) -> the letter, archived once


def pdfs_of(store, letters: list[dict], archive: Archive) -> list[bytes]:
    """Return each letter's PDF: archived ones as they are, the rest in one conversion."""
    todo = [letter for letter in letters if not letter.get("pdf_sha256")]
    made = get_converter().convert_many([store.read_file(x["sha256"]) for x in todo])
    for letter, pdf in zip(todo, made, strict=True):
        # Once archived a letter's PDF never changes: archive() keeps one made meanwhile.
        letter["pdf_sha256"] = archive(letter["id"], pdf)["pdf_sha256"]
    return [store.read_file(letter["pdf_sha256"]) for letter in letters]


def zip_of(store, letters: list[dict], kind: str = "docx", archive: Archive | None = None):
    """Return a zip of the issued letters as .docx or .pdf, named after their numbers."""
    letters = issued(letters)
    if kind == "pdf":
        files = pdfs_of(store, letters, archive)
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


def pack(store, letters: list[dict], output: str, archive: Archive | None = None) -> bytes:
    """Return the file of `output` (a key of OUTPUTS) for the issued letters.

    A zip of PDFs archives each letter's PDF through `archive` (cases.operations.archive_pdf).
    """
    if output == "zip_docx":
        return zip_of(store, letters, "docx")
    if output == "zip_pdf":
        return zip_of(store, letters, "pdf", archive)
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


def run_job(store, job_id: int, issue: Callable[[Callable], list[dict]], archive: Archive) -> dict:
    """Issue and pack the letters of job `job_id`, keeping its progress and errors in the store.

    `issue(progress)` issues the letters (cases.operations.issue_letters) and returns them.
    """
    job = store.get(JOBS, job_id)
    try:
        letters = issue(lambda done, _total: store.update(JOBS, job_id, {"done": done}))
        ok = issued(letters)
        errors = [{"ref": x["ref"], "error": x["error"]} for x in letters if "error" in x]
        store.update(
            JOBS, job_id, {"letters": [x["id"] for x in ok], "errors": errors, "status": "packing"}
        )
        result = store.put_file(pack(store, ok, job["output"], archive)) if ok else ""
        return store.update(JOBS, job_id, {"status": "done", "result": result})
    except Exception as exc:  # noqa: BLE001  (the last stop of a background thread: keep it)
        log.exception("bulk letters job %s failed", job_id)
        failure = {"ref": "", "error": str(exc) or type(exc).__name__}
        errors = (store.get(JOBS, job_id) or {}).get("errors", []) + [failure]
        return store.update(JOBS, job_id, {"status": "failed", "errors": errors})
