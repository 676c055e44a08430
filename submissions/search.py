"""What the search box of a form's submissions finds, and who may find what.

Names, references and other answers match on any part of them. Identifiers
(national ID / iqama, mobile, IBAN: the fields the pages mask) match on any part
only for someone who may reveal them (pii.reveal). Anyone else finds a record
by an identifier only when he types it whole: trying one digit after another
rebuilt full IDs in under a hundred searches. The same holds for long runs of
digits typed into free text (a note with an ID in it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from forms import saudi
from forms.definition import FormDefinition
from store import normalize_text
from submissions.view import MASKED

# Digit runs this long in free text are treated as identifiers (IDs have 10,
# mobiles 9-12); IBANs are caught by their shape.
_ID_IN_TEXT = re.compile(r"\d{7,}|sa\d{2}[0-9a-z]{20}")
_CLEANERS = (
    ("national_id", saudi.clean_national_id),
    ("mobile", saudi.clean_mobile),
    ("iban", saudi.clean_iban),
)


def identifier_fields(form: FormDefinition) -> frozenset[str]:
    """Return the names of the masked fields, those inside repeats included."""
    return frozenset(name for name, f in form.all_fields().items() if f["type"] in MASKED)


def as_identifier(query: str) -> tuple[str, str] | None:
    """Return (kind, stored form) when `query` is one whole, valid identifier."""
    for kind, clean in _CLEANERS:
        try:
            return kind, clean(query)
        except ValueError:
            continue
    return None


def masked_identifier(kind: str, value: str) -> str:
    """Return an identifier as the pages show it before anyone reveals it."""
    if kind == "mobile" and value.startswith("+966"):
        value = "0" + value[4:]
    return saudi.mask(value, *MASKED[kind])


def _spellings(kind: str, value: str) -> set[str]:
    if kind == "mobile":  # stored +9665..., typed 05... in a note
        return {value, value[1:], "0" + value[4:]}
    return {value.casefold()}


def _leaves(value, name: str = "") -> Iterator[tuple[str, str]]:
    """Yield (field name, text) for every answer, inside groups and repeats too."""
    if isinstance(value, dict):
        for key, sub in value.items():
            yield from _leaves(sub, key)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item, name)
    elif value is not None and not isinstance(value, bool):
        yield name, normalize_text(str(value))


def matcher(
    form: FormDefinition, query: str, *, any_part_of_ids: bool
) -> Callable[[dict], bool] | None:
    """Return a predicate for records matching `query` (None: no query, every record)."""
    needle = normalize_text(query).strip()
    if not needle:
        return None
    if any_part_of_ids:
        return _any_part(needle)
    whole = as_identifier(query)
    return _ids_whole(needle, _spellings(*whole) if whole else set(), identifier_fields(form))


def needles(query: str, *, any_part_of_ids: bool) -> tuple[set[str], bool]:
    """Return the texts a record must hold one of to match `query`, and whether holding
    one is enough (True) or only makes it a candidate the matcher then checks (False).

    For the store's text index (store.text_search), which finds any part of the
    answers: it answers exactly for someone who may reveal identifiers; for anyone
    else it only narrows the records read, and the whole-identifier rule decides.
    """
    needle = normalize_text(query).strip()
    if not needle:
        return set(), True
    found = {needle}
    if re.fullmatch(r"05\d+", needle):  # mobiles are typed 05..., stored +9665...
        found.add("+966" + needle[1:])
    if any_part_of_ids:
        return found, True
    whole = as_identifier(query)
    return {needle, *(_spellings(*whole) if whole else ())}, False


def _any_part(needle: str) -> Callable[[dict], bool]:
    needles = {needle}
    if re.fullmatch(r"05\d+", needle):  # mobiles are typed 05..., stored +9665...
        needles.add("+966" + needle[1:])

    def match(record: dict) -> bool:
        texts = [normalize_text(str(record.get("ref", "")))]
        texts += [text for _name, text in _leaves(record.get("answers", {}))]
        return any(n in text for text in texts for n in needles)

    return match


def _ids_whole(needle: str, wanted: set[str], ids: frozenset[str]) -> Callable[[dict], bool]:
    def match(record: dict) -> bool:
        texts, found = [normalize_text(str(record.get("ref", "")))], []
        for name, text in _leaves(record.get("answers", {})):
            if name in ids:
                found.append(text)
            else:  # free text: its long digit runs are identifiers too
                found.extend(_ID_IN_TEXT.findall(text))
                texts.append(_ID_IN_TEXT.sub(" ", text))
        return any(needle in text for text in texts) or bool(wanted.intersection(found))

    return match
