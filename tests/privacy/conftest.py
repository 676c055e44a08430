"""The web tests' own forms and a valid intake submission."""

from tests.web.conftest import own_forms, valid_intake  # noqa: F401  (fixtures)
