"""A form page prefilled for one request: the values are answers, never part of the form.

The social research starts with its request's reference and the applicant's name
and ID. Rifd once wrote them into the form's definition as defaults, so each
research froze a new version of the form holding that person's name and ID,
which every quality officer then saw in the version list and its comparisons.
The page now gets them as starting values (web.filling.fill's `initial`), and
`clean_stored` takes them out of the versions and drafts stored before.
"""

from __future__ import annotations

import datetime as dt

from forms import drafts, versions

# The research form's fields filled from the request: field name -> key of the case.
RESEARCH_PREFILL = {
    "request_ref": "ref",
    "applicant_name": "name",
    "applicant_national_id": "national_id",
}


def research_initial(case: dict) -> dict:
    """Return the values the research page of `case` starts with."""
    return {name: str(case.get(key) or "") for name, key in RESEARCH_PREFILL.items()}


def personal_defaults(definition: dict) -> list[str]:
    """Return the prefilled fields of `definition` that carry a default (one person's data)."""
    return [
        fdef.get("name")
        for section in definition.get("sections") or []
        for fdef in section.get("fields") or []
        if fdef.get("name") in RESEARCH_PREFILL and "default" in fdef
    ]


def without_personal_defaults(definition: dict) -> dict:
    """Return `definition` without the defaults of its prefilled fields."""

    def clean(fdef: dict) -> dict:
        if fdef.get("name") not in RESEARCH_PREFILL:
            return fdef
        return {k: v for k, v in fdef.items() if k != "default"}

    sections = [
        {**section, "fields": [clean(f) for f in section.get("fields") or []]}
        for section in definition.get("sections") or []
    ]
    return {**definition, "sections": sections}


def _polluted(record) -> bool:
    return bool(personal_defaults(record["definition"]))


def _clean_versions(store, now: str) -> list[dict]:
    done = []
    if not store.find(versions.COLLECTION, _polluted):
        return done  # the usual start: no lock taken, nothing written
    with store.lock(versions.LOCK):
        for record in store.find(versions.COLLECTION, _polluted):
            fields = personal_defaults(record["definition"])
            definition = without_personal_defaults(record["definition"])
            # The number stays: submissions, exports and letters cite it, and the
            # labels a submission was given are unchanged.
            store.update(
                versions.COLLECTION,
                record["id"],
                {
                    "definition": definition,
                    "digest": versions.digest(definition),
                    "cleaned": {"at": now, "fields": fields},
                },
            )
            done.append(
                {"form_id": record["form_id"], "version": record["version"], "fields": fields}
            )
    return done


def _clean_drafts(store, now: str) -> list[dict]:
    # A draft started from such a version copied the defaults too.
    done = []
    if not store.find(drafts.COLLECTION, _polluted):
        return done
    with store.lock(drafts.LOCK):
        for record in store.find(drafts.COLLECTION, _polluted):
            fields = personal_defaults(record["definition"])
            definition = without_personal_defaults(record["definition"])
            store.update(drafts.COLLECTION, record["id"], {"definition": definition})
            done.append({"form_id": record["form_id"], "version": "draft", "fields": fields})
    return done


def clean_stored(store) -> list[dict]:
    """Remove personal defaults from stored versions and drafts; return what was cleaned.

    Each item names the form, the version ("draft" for a draft) and the fields, never
    the values. Running it again finds nothing.
    """
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return _clean_versions(store, now) + _clean_drafts(store, now)
