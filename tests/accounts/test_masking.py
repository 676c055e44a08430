"""Identifiers are masked on pages; revealing one is a deliberate, audited click."""

from accounts.audit import COLLECTION as AUDIT
from tests.conftest import csrf_token, post_form, sign_in


def test_masked_until_revealed_and_the_reveal_is_audited(app, client, store, valid_intake):
    response = post_form(client, "/forms/intake/new", valid_intake)
    page_url = response.headers["Location"].split("?")[0]
    page = client.get(page_url).get_data(as_text=True)
    assert "1•••••••08" in page and "1000000008" not in page
    assert "05••••••78" in page and "0512345678" not in page
    assert "SA03••••••••••••••••7519" in page
    token = csrf_token(client, page_url)
    shown = client.post(page_url + "/reveal", data={"csrf_token": token, "field": "national_id"})
    assert shown.status_code == 200
    text = shown.get_data(as_text=True)
    assert "1000000008" in text and "0512345678" not in text  # only the one asked for
    [entry] = [e for e in store.iter(AUDIT) if e["action"] == "reveal"]
    assert entry["actor"] == "staff" and entry["entity_id"] == page_url.rsplit("/", 1)[1]
    assert entry["before"] == {"field": "national_id", "value": "1•••••••08"}
    assert entry["after"] == {"field": "national_id", "value": "full"}
    shown = client.post(page_url + "/reveal", data={"csrf_token": token, "field": "iban"})
    assert "SA0380000000608010167519" in shown.get_data(as_text=True)
    iban = [e for e in store.iter(AUDIT) if e["action"] == "reveal"][-1]
    assert iban["before"] == {"field": "iban", "value": "SA03••••••••••••••••7519"}
    assert (
        client.post(
            page_url + "/reveal", data={"csrf_token": token, "field": "full_name"}
        ).status_code
        == 404
    )


def test_the_viewer_cannot_reveal(app, client, store, valid_intake):
    response = post_form(client, "/forms/intake/new", valid_intake)
    page_url = response.headers["Location"].split("?")[0]
    viewer = app.test_client()
    sign_in(viewer, app, username="viewer1", roles=["viewer"])
    page = viewer.get(page_url).get_data(as_text=True)
    assert "1•••••••08" in page and "إظهار كاملًا" not in page
    token = csrf_token(viewer, page_url)
    assert (
        viewer.post(
            page_url + "/reveal", data={"csrf_token": token, "field": "national_id"}
        ).status_code
        == 403
    )


def test_the_viewer_cannot_open_attachments(app, client, store, valid_intake):
    response = post_form(client, "/forms/intake/new", valid_intake)
    page_url = response.headers["Location"].split("?")[0]
    digest = next(r for r in store.iter("submissions/intake"))["answers"]["sign"]["sha256"]
    image = f"{page_url}/files/{digest}"
    assert client.get(image).status_code == 200
    viewer = app.test_client()
    sign_in(viewer, app, username="viewer2", roles=["viewer"])
    assert "signature-img" not in viewer.get(page_url).get_data(as_text=True)
    assert viewer.get(image).status_code == 403


def test_the_viewer_sees_no_identifiers_in_lists_and_no_buttons_he_cannot_use(
    app, client, valid_intake
):
    post_form(client, "/forms/intake/new", valid_intake)
    viewer = app.test_client()
    sign_in(viewer, app, username="viewer3", roles=["viewer"])
    listing = viewer.get("/forms/intake/submissions", query_string={"q": "محمد"})
    page = listing.get_data(as_text=True)
    assert listing.status_code == 200 and "IN-" in page  # found, shown by reference only
    assert "1000000008" not in page
    assert "0512345678" not in page and "SA0380000000608010167519" not in page
    assert "/export.xlsx" not in page and "/forms/intake/new" not in page
    assert viewer.get("/forms/intake/export.xlsx").status_code == 403
