"""The social research starts filled from its request, and no form version keeps that person.

Rifd once wrote the request's name and ID into the form as defaults, freezing one
form version per beneficiary that quality officers then read in the version list;
an old data folder is cleaned when Rifd starts.
"""

from __future__ import annotations

import json

from accounts.audit import COLLECTION as AUDIT
from app import create_app
from association.profile import current
from forms import drafts, versions
from forms.definition import FormDefinition
from forms.validation import validate_answers
from submissions import service
from tests.cases.conftest import move, post, research_payload, submit_request
from tests.conftest import sign_in

PEOPLE = [
    ("فاطمة", "١٠٠٠٠٠٠٠٠٨", "1000000008"),
    ("مريم", "1098765405", "1098765405"),
]


def _referred(store, people, first_name: str, national_id: str) -> dict:
    """Open a request as intake staff and refer it to the researcher; return the case."""
    sara, channel = people["sara"], current(store)["channels"][0]["value"]
    cid = submit_request(sara, channel, first_name=first_name, national_id=national_id)
    items = current(store).get("verification_checklist") or []
    if not items:
        page = sara.get(f"/cases/{cid}").get_data(as_text=True)
        items = [
            line.split('value="')[1].split('"')[0]
            for line in page.splitlines()
            if 'name="checklist"' in line
        ]
    assert move(sara, cid, "verify", {"checklist": items}).status_code == 302
    assert move(sara, cid, "refer", {"note": "زيارة منزلية"}).status_code == 302
    return store.get("cases", cid)


def _versions_text(store) -> str:
    return json.dumps(store.find(versions.COLLECTION), ensure_ascii=False)


def _shown_to_quality_officer(client, numbers: list) -> str:
    pages = [client.get("/editor/social_research/versions")]
    pages += [
        client.get(f"/editor/social_research/diff?a={a}&b={b}") for a in numbers for b in numbers
    ]
    assert all(page.status_code == 200 for page in pages)
    return "".join(page.get_data(as_text=True) for page in pages)


def test_the_research_page_starts_filled_and_freezes_the_forms_own_version(app, store, people):
    channel = current(store)["channels"][-1]["value"]
    for first_name, typed_id, national_id in PEOPLE:
        case = _referred(store, people, first_name, typed_id)
        url = f"/cases/{case['id']}/research"
        page = people["ali"].get(url).get_data(as_text=True)
        for value in (case["ref"], case["name"], national_id):
            assert f'value="{value}"' in page  # filled in for the researcher
        data = {"rifd-channel": channel, **research_payload()}
        data |= {"request_ref": case["ref"], "applicant_name": case["name"]}
        data |= {"applicant_national_id": national_id}
        assert post(people["ali"], url, url, data).status_code == 302
        research = store.get("cases", case["id"])["research"]
        saved = service.get(store, "social_research", research["submission_id"])
        assert saved["answers"]["applicant_national_id"] == national_id

    frozen = [r for r in store.find(versions.COLLECTION) if r["form_id"] == "social_research"]
    assert len(frozen) == 1  # two researches, one form
    stored = _versions_text(store)
    shown = _shown_to_quality_officer(people["nora"], [r["version"] for r in frozen])
    for first_name, _typed, national_id in PEOPLE:
        for text in (stored, shown):
            assert first_name not in text and national_id not in text


def _as_the_old_code_did(app, case: dict, raw: dict) -> dict:
    """Save a research the way Rifd did before: the request's values as the form's defaults."""
    form = app.extensions["rifd_forms"].get("social_research")
    form = FormDefinition(json.loads(json.dumps(form.data)))
    prefill = {"request_ref": "ref", "applicant_name": "name", "applicant_national_id": "nid"}
    for fdef in form.fields():
        if fdef["name"] in prefill:
            fdef["default"] = case[prefill[fdef["name"]]]
    result = validate_answers(form, raw)
    assert result.errors == {}
    store = app.extensions["rifd_store"]
    return service.save(store, form, result.answers, channel="interview", entered_by="ali")


def test_starting_rifd_cleans_an_old_folder_and_its_submissions_still_open(tmp_path):
    folder = tmp_path / "data"
    old = create_app({"TESTING": True, "DATA_DIR": str(folder), "SECRET_KEY": "t"})
    assert old.test_cli_runner().invoke(args=["seed"]).exit_code == 0
    store = old.extensions["rifd_store"]
    saved = []
    for n, (first_name, _typed, national_id) in enumerate(PEOPLE, start=1):
        case = {"ref": f"SR-1448-0000{n}", "name": f"{first_name} محمد القحطاني"}
        case["nid"] = national_id
        raw = research_payload() | {"request_ref": case["ref"], "applicant_name": case["name"]}
        raw["applicant_national_id"] = national_id
        saved.append(_as_the_old_code_did(old, case, raw))
    assert len({r["form_version"] for r in saved}) == 2  # one polluted version each
    assert all(p[2] in _versions_text(store) for p in PEOPLE)
    # A quality officer started a draft from one of them, copying its defaults too.
    nora = old.test_client()
    sign_in(nora, old, "nora", ["quality_officer"])
    url = f"/editor/social_research/versions/{saved[0]['form_version']}/draft"
    assert post(nora, "/editor/social_research/versions", url).status_code == 302
    assert PEOPLE[0][2] in json.dumps(drafts.get(store, "social_research"))

    app = create_app({"TESTING": True, "DATA_DIR": str(folder), "SECRET_KEY": "t"})
    store = app.extensions["rifd_store"]
    stored = _versions_text(store)
    stored += json.dumps(drafts.get(store, "social_research"), ensure_ascii=False)
    trail = [e for e in store.find(AUDIT) if e["actor"] == "rifd:upgrade"]
    assert len(trail) == 3 and all(e["action"] == "remove_personal_defaults" for e in trail)
    assert sorted(e["entity_id"] for e in trail) == sorted(
        [str(r["form_version"]) for r in saved] + ["draft"]
    )
    assert {json.dumps(e["before"]) for e in trail} == {
        json.dumps({"defaults_on": ["request_ref", "applicant_name", "applicant_national_id"]})
    }
    client = app.test_client()
    sign_in(client, app, "nora", ["quality_officer"])
    shown = _shown_to_quality_officer(client, [r["form_version"] for r in saved] + ["draft"])
    for first_name, _typed, national_id in PEOPLE:
        for text in (stored, shown, json.dumps(trail, ensure_ascii=False)):
            assert national_id not in text and first_name not in text
    assert "data-cleaned" in shown  # the list says what was removed, and when

    for record in saved:  # each still opens with the labels it was given
        page = client.get(f"/forms/social_research/submissions/{record['id']}")
        text = page.get_data(as_text=True)
        assert page.status_code == 200 and "اسم مقدم الطلب" in text
        assert record["answers"]["applicant_name"] in text
        assert store.get(service.collection("social_research"), record["id"]) == record

    again = create_app({"TESTING": True, "DATA_DIR": str(folder), "SECRET_KEY": "t"})
    assert again.extensions["rifd_store"].count(AUDIT) == store.count(AUDIT)  # nothing left
