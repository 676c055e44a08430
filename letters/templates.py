"""Letter templates and their versions: the shipped ones and the uploaded ones.

A shipped template (doc_templates/<name>.docx) is version 1 until a quality
officer uploads a new version. Versions are never changed or deleted: the
bytes live in the store by content hash and every issued letter names the
version it was made with.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from letters.issue import TemplateVersion

SHIPPED = Path(__file__).resolve().parent.parent / "doc_templates"
COLLECTION = "letter_templates"


def shipped_names() -> list[str]:
    return sorted(p.stem for p in SHIPPED.glob("*.docx"))


def _shipped(name: str) -> TemplateVersion | None:
    path = SHIPPED / f"{name}.docx"
    if name not in shipped_names():
        return None
    return TemplateVersion(name=name, version=1, data=path.read_bytes())


def _uploaded(store, name: str) -> list[dict]:
    return sorted(store.find(COLLECTION, where={"name": name}), key=lambda r: r["version"])


def versions(store, name: str) -> list[dict]:
    """Return every version of a template, oldest first, as register-like records."""
    out = []
    shipped = _shipped(name)
    if shipped:
        out.append({"name": name, "version": 1, "sha256": shipped.sha256, "shipped": True})
    return out + _uploaded(store, name)


def names(store) -> list[str]:
    uploaded = {r["name"] for r in store.iter(COLLECTION)}
    return sorted(set(shipped_names()) | uploaded)


def get(store, name: str, version: int | None = None) -> TemplateVersion | None:
    """Return one version (the newest when `version` is None), bytes included."""
    for record in reversed(versions(store, name)):
        if version is None or record["version"] == version:
            if record.get("shipped"):
                return _shipped(name)
            return TemplateVersion(name, record["version"], store.read_file(record["sha256"]))
    return None


def add_version(store, name: str, data: bytes, *, uploaded_by: str, form_id: str = "") -> dict:
    """Store a new version of `name` (already linted) and return its record."""
    with store.lock("letter_templates"):
        known = versions(store, name)
        record = {
            "name": name,
            "version": (known[-1]["version"] + 1) if known else 1,
            "sha256": store.put_file(data),
            "form_id": form_id,
            "uploaded_by": uploaded_by,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        record["id"] = store.insert(COLLECTION, record)
    return record
