"""Journeys through the pages with the records in PostgreSQL, in every `make test`.

The same tests as on TinyDB, imported: a request walked through the whole policy, a
rejected one, and the dashboard's page and counts from the indexes. The app of each
test keeps its records in a fresh schema. RIFD_TEST_BACKEND=postgres runs every app
test this way.
"""

from __future__ import annotations

import pytest

from store.postgres.pool import close_all
from tests.cases.test_dashboard_pages import (  # noqa: F401  (fixture and test)
    many,
    test_one_page_of_requests_open_first_then_newest_with_counts_for_all,
)
from tests.cases.test_journey import (  # noqa: F401  (fixture and tests)
    app,
    test_a_rejected_request_gets_its_letter_and_closes,
    test_a_request_walks_the_whole_policy,
)


@pytest.fixture(autouse=True)
def on_postgres(postgres, monkeypatch):
    monkeypatch.setenv("RIFD_DATABASE_URL", postgres.new_url())
    yield
    close_all()


@pytest.fixture
def profile_name():
    return "sanad_alahsa"


def test_the_app_is_on_postgresql(app):  # noqa: F811
    assert type(app.extensions["rifd_store"]).__name__ == "PgStore"
