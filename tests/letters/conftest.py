"""The web tests' own forms and a valid intake submission, for the letters pages too."""

from tests.web.conftest import own_forms, valid_intake  # noqa: F401  (fixtures)
