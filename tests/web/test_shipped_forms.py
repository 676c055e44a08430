"""The six forms Rifd ships, filled through their own pages: staff ones and public links."""

import io

import pytest
from werkzeug.datastructures import FileStorage

from tests.conftest import post_form
from tests.test_library import PUBLIC_ANSWERS, _support_request, social_research
from tests.web.test_staff_forms import errors_by_field, stored


def as_post(raw: dict) -> dict:
    """Turn answers as forms.validation reads them into the fields a page posts."""
    posted = {}
    for name, value in raw.items():
        if isinstance(value, FileStorage):
            posted[name] = (io.BytesIO(value.stream.read()), value.filename)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for i, row in enumerate(value):
                posted |= {f"{name}-{i}-{key}": cell for key, cell in row.items()}
        else:
            posted[name] = value
    return posted


@pytest.mark.parametrize(
    ("form_id", "raw"),
    [
        ("support_request", _support_request()),
        ("social_research", social_research(recommendation_reasons="خارج نطاق الخدمة.")),
    ],
    ids=["support_request", "social_research"],
)
def test_staff_forms_are_filled_for_a_beneficiary(client, store, form_id, raw):
    url = f"/forms/{form_id}/new"
    assert client.get(f"/f/{form_id}").status_code == 404  # not on a public link
    response = post_form(client, url, {"rifd-channel": "branch_reps", **as_post(raw)})
    assert response.status_code == 302, errors_by_field(response.get_data(as_text=True))
    [record] = stored(store, form_id)
    assert record["channel"] == "branch_reps" and record["entered_by"] == "staff"
    answers = record["answers"]
    assert answers and "base64" not in repr(record)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert record["ref"] in page
    if form_id == "support_request":
        assert answers["national_id"] == "1000000008" and answers["mobile"] == "+966551234567"
        assert answers["family_members"][0]["member_name"] == "سارة"
        assert store.read_file(answers["applicant_signature"]["sha256"]).startswith(b"\x89PNG")
        assert "فاطمة" in page and "القحطاني" in page


@pytest.mark.parametrize(("form_id", "raw"), PUBLIC_ANSWERS.items(), ids=list(PUBLIC_ANSWERS))
def test_public_forms_are_filled_from_their_link(anon, store, form_id, raw):
    url = f"/f/{form_id}"
    page = anon.get(url).get_data(as_text=True)
    assert 'name="viewport"' in page and "rifd-channel" not in page
    response = post_form(anon, url, as_post(raw))
    assert response.status_code == 302, errors_by_field(response.get_data(as_text=True))
    thanks = anon.get(response.headers["Location"]).get_data(as_text=True)
    [record] = stored(store, form_id)
    assert record["ref"] in thanks
    assert record["channel"] == "website" and record["entered_by"] == "public"
    assert record["answers"]
