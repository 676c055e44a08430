"""Public pages say whose they are: the association's name and logo, in both languages."""

import pytest

from association.profile import current
from tests.conftest import post_form
from tests.web.conftest import PDF, PNG

LOGO_TAG = '<img class="brand-logo" src="/association/logo.png"'


def _set_logo(app, tmp_path) -> None:
    path = tmp_path / "logo.png"
    path.write_bytes(PNG)
    result = app.test_cli_runner().invoke(args=["association", "logo", str(path)])
    assert result.exit_code == 0, result.output


def _letter(store) -> str:
    """Put one issued letter in the register, as issuing leaves it; return its code."""
    store.insert(
        "letters",
        {
            "number": "1448/0001",
            "date": "2026-12-07",
            "letter_type": "acceptance",
            "recipient": "سعد بن عبدالله العتيبي",
            "code": "ABCD2345EF",
            "sha256": "0" * 64,
        },
    )
    return "ABCD2345EF"


def _in(client, lang: str):
    client.get(f"/lang/{lang}")
    return client


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_public_pages_carry_the_associations_name_and_logo(app, anon, store, tmp_path, lang):
    _set_logo(app, tmp_path)
    name = current(store)["name"][lang]
    client = _in(anon, lang)
    code = _letter(store)
    response = post_form(client, "/f/quick_survey", {"overall": "4"})
    assert response.status_code == 302
    pages = {
        "form": client.get("/f/quick_survey"),
        "thanks": client.get(response.headers["Location"]),
        "verify": client.get(f"/verify/{code}"),
        "login": client.get("/login"),
    }
    for page_name, page in pages.items():
        html = page.get_data(as_text=True)
        assert page.status_code == 200, page_name
        assert f'<html lang="{lang}"' in html
        assert LOGO_TAG in html and name in html, page_name
        title = html.split("<title>")[1].split("</title>")[0]
        assert title.endswith(f"· {name}"), (page_name, title)
    logo = client.get("/association/logo.png")
    assert logo.status_code == 200 and logo.mimetype == "image/png" and logo.data == PNG


def test_without_a_logo_the_name_stands_alone(anon, store):
    html = anon.get("/f/quick_survey").get_data(as_text=True)
    assert current(store)["name"]["ar"] in html and "brand-logo" not in html
    assert anon.get("/association/logo.png").status_code == 404


def test_the_logo_route_serves_that_one_file_and_nothing_else(app, anon, store, tmp_path):
    id_copy = store.put_file(PDF)  # an upload: never reachable through the logo's route
    _set_logo(app, tmp_path)
    assert anon.get(f"/association/logo.png?sha256={id_copy}").data == PNG
    assert anon.get(f"/association/logo.png/{id_copy}").status_code == 404
    assert anon.get(f"/association/{id_copy}").status_code == 404
    for broken in ("../../secret_key", "f" * 64):  # a bad reference: no logo, never a 500
        store.update("settings", 1, {"logo_sha256": broken})
        assert anon.get("/association/logo.png").status_code == 404
        page = anon.get("/f/quick_survey")
        assert page.status_code == 200 and "brand-logo" not in page.get_data(as_text=True)
