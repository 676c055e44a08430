"""A person's file finds his submissions through the list of ID numbers each one names."""

from __future__ import annotations

import io

from app import create_app
from privacy.person import find_person
from store import Store
from submissions.service import collection
from tests.conftest import post_form
from tests.web.conftest import PDF
from upgrades.people import PEOPLE_STEP, UPGRADES

HIS_ID, OTHER_ID = "1000000008", "2172323137"


def _submit(client, data: dict) -> None:
    data = dict(data, id_copy=(io.BytesIO(PDF), "a.pdf"))
    response = post_form(client, "/forms/intake/new", data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def test_a_saved_submission_lists_the_people_it_names(client, store, valid_intake):
    _submit(client, dict(valid_intake, national_id="١٠٠٠٠٠٠٠٠٨"))
    (record,) = store.iter(collection("intake"))
    assert record["people"] == [HIS_ID]  # Arabic-Indic digits, stored as one number


def test_his_file_reads_only_the_submissions_that_name_him(
    app, client, store, valid_intake, monkeypatch
):
    _submit(client, dict(valid_intake, national_id=HIS_ID))
    _submit(client, dict(valid_intake, national_id=OTHER_ID, full_name="خالد"))
    read = []
    original = Store.iter

    def iter_(self, name, **kwargs):
        read.append(name)
        return original(self, name, **kwargs)

    monkeypatch.setattr(Store, "iter", iter_)
    person = find_person(store, app.extensions["rifd_forms"], HIS_ID)
    assert [r["answers"]["national_id"] for _f, r in person.submissions] == [HIS_ID]
    assert not [name for name in read if name.startswith("submissions/")]


def test_older_submissions_get_their_list_once_on_start(app, client, store, valid_intake):
    _submit(client, dict(valid_intake, national_id=HIS_ID))
    (record,) = store.iter(collection("intake"))
    # As a Rifd from before this list stored it.
    store.replace(
        collection("intake"), record["id"], {k: v for k, v in record.items() if k != "people"}
    )
    for done in store.find(UPGRADES, where={"step": PEOPLE_STEP}):
        store.delete(UPGRADES, done["id"])
    again = create_app({"TESTING": True, "DATA_DIR": str(store.root), "SECRET_KEY": "test"})
    data = again.extensions["rifd_store"]
    assert data.get(collection("intake"), record["id"])["people"] == [HIS_ID]
    found = find_person(data, again.extensions["rifd_forms"], HIS_ID)
    assert [r["id"] for _f, r in found.submissions] == [record["id"]]
    assert len(data.find(UPGRADES, where={"step": PEOPLE_STEP})) == 1
