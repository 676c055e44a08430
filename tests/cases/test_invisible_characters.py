"""Direction overrides and zero-width characters stay out of names, notes and letters.

Found in use: a right-to-left override (U+202E) typed in a name was stored as typed
and reversed what followed it in lists and in the letters; other direction controls
and zero-width characters reorder or hide text the same way. Letters keep their own
isolates around codes (U+2066..U+2069, U+2060): those are Rifd's, not a person's.
"""

from __future__ import annotations

import io
import re

from docx import Document

from association.profile import current
from cases.programs import PROGRAMS
from letters.issue import REGISTER
from tests.accounts.test_users_page import new_user
from tests.cases.conftest import edit_policy, move, post, submit_request
from tests.cases.test_moves import to_committee
from tests.cases.test_programs_and_people import CATEGORIES, announce

RLO, PDF, ZWSP, ZWJ, LRM, RLI, PDI, BOM = (
    "\u202e",
    "\u202c",
    "\u200b",
    "\u200d",
    "\u200e",
    "\u2067",
    "\u2069",
    "\ufeff",
)
# What a person may not leave in a value; a letter's own isolates are not in this list.
THEIRS = re.compile(f"[{RLO}{PDF}{ZWSP}{ZWJ}{RLI}{BOM}]")


def raw_docx_text(data: bytes) -> str:
    """Return the body, its tables, headers and footers as they are, marks included."""
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    for section in doc.sections:
        for part in (section.header, section.footer):
            parts += [p.text for p in part.paragraphs]
            parts += [c.text for t in part.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def letter_text(client, store, kind: str) -> tuple[dict, str]:
    letter = [x for x in store.iter(REGISTER) if x["letter_type"] == kind][-1]
    response = client.get(f"/letters/{letter['id']}.docx")
    assert response.status_code == 200
    return letter, raw_docx_text(response.data)


def test_a_name_typed_with_an_override_is_stored_and_printed_plainly(store, people):
    sara, huda = people["sara"], people["huda"]
    name = {"first_name": f"{RLO}فاطمة{ZWSP}", "family_name": f"القح{ZWJ}طاني{RLI}{PDI}"}
    cid = submit_request(sara, "interview", **name)
    rid = store.get("cases", cid)["submission_id"]
    answers = store.get("submissions/support_request", rid)["answers"]
    assert (answers["first_name"], answers["family_name"]) == ("فاطمة", "القحطاني")
    to_committee(people, cid)
    decision = {"meeting_number": "12/1448", "reasons": f"اكتمال{RLO} الشروط{PDF}"}
    assert move(huda, cid, "accept", decision).status_code == 302
    assert store.get("cases", cid)["decision"]["reasons"] == "اكتمال الشروط"
    attachments = {"attachments": f"صورة{BOM} القرار{LRM}"}
    assert post(sara, f"/cases/{cid}", f"/cases/{cid}/letter/acceptance", attachments)
    letter, text = letter_text(sara, store, "acceptance")
    assert letter["recipient"] == "فاطمة محمد عبدالله القحطاني"
    assert "فاطمة محمد عبدالله القحطاني" in text and "اكتمال الشروط" in text
    assert "صورة القرار" in text and not THEIRS.search(text)
    assert "\u2066" in text  # the letter's own isolates around its codes stay


def test_a_value_stored_before_the_rule_prints_plainly_all_the_same(store, people):
    sara = people["sara"]
    cid = submit_request(sara, "interview")
    rid = store.get("cases", cid)["submission_id"]
    record = store.get("submissions/support_request", rid)
    # As an older Rifd stored it: the override kept inside the name.
    answers = {**record["answers"], "first_name": f"فاطمة{RLO} ةبذاك"}
    store.update("submissions/support_request", rid, {"answers": answers})
    assert post(sara, f"/cases/{cid}", f"/cases/{cid}/letter/declaration").status_code == 302
    letter, text = letter_text(sara, store, "declaration")
    assert "فاطمة ةبذاك" in text and not THEIRS.search(text)
    assert RLO not in letter["recipient"]


def test_the_profile_programs_holidays_and_users_pages_drop_them(store, people):
    nora = people["nora"]
    assert (
        edit_policy(nora, **CATEGORIES, **{"name.ar": f"جمعية{RLO} سند{ZWSP}"}).status_code == 302
    )
    assert current(store)["name"]["ar"] == "جمعية سند"
    program = {"category": "open", "announced_on": "2026-12-06", "starts_on": "2026-12-20"}
    assert announce(people["sara"], name=f"{RLI}دورة الحاسب{PDI}", **program).status_code == 302
    assert next(store.iter(PROGRAMS))["name"] == "دورة الحاسب"
    boss = people["boss"]
    holiday = {"name": f"عيد{RLO} الفطر", "start": "2026-03-20", "end": "2026-03-22"}
    assert post(boss, "/settings/holidays", "/settings/holidays", holiday).status_code == 302
    assert next(store.iter("holidays"))["name"] == "عيد الفطر"
    # A user name pasted from an Arabic document, with its direction mark.
    made = new_user(boss, username=f"{LRM}omar{ZWSP}", roles=["viewer"], mode="one_time")
    assert made.status_code == 200 and "omar" in made.get_data(as_text=True)
    assert [u["username"] for u in store.iter("users") if "omar" in u["username"]] == ["omar"]
