"""No request produces a 500: every route is hit with hostile values, GET and POST."""

import pytest

from tests.conftest import sign_in
from web import auth

JUNK = ["intake", "support_request", "../../etc/passwd", "٠١٢", "x" * 3000, "%00", "1", "-1", "<b>"]


def urls(app):
    """Yield each route with every junk value in its arguments (a route without any: once)."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for junk in JUNK if rule.arguments else JUNK[:1]:
            values = {}
            for arg in rule.arguments:
                converter = rule._converters[arg].__class__.__name__
                values[arg] = 7 if converter == "IntegerConverter" else junk
            path = rule.rule
            for arg, value in values.items():
                path = path.replace(f"<int:{arg}>", str(value)).replace(f"<{arg}>", str(value))
            yield path


def test_every_route_survives_hostile_values(app, client):
    seen = 0
    for path in urls(app):
        for method in ("GET", "POST"):
            response = client.open(path, method=method, data={"q": "<script>", "page": "٩٩"})
            assert response.status_code < 500, (method, path, response.status_code)
            assert b"Traceback" not in response.data
            seen += 1
    assert seen > 50


def test_an_unexpected_error_shows_a_readable_page(app, monkeypatch):
    @app.get("/boom")
    def boom():
        raise RuntimeError("a bug")

    monkeypatch.setitem(auth.REQUIRED, "boom", None)
    client = app.test_client()
    sign_in(client, app)

    app.testing = False  # as in production: the error handler answers, not the test runner
    response = client.get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "حدث خطأ غير متوقع" in page and "RuntimeError" not in page


@pytest.mark.parametrize(
    "path", ["/forms/intake/submissions?page=99999999999", "/f/quick_survey/thanks"]
)
def test_odd_queries(client, path):
    assert client.get(path).status_code < 500
