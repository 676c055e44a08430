"""The staff of the requests' tests (one client a role) and the results' known answers."""

from tests.cases.conftest import people  # noqa: F401
from tests.web.test_survey_results import answered, officer  # noqa: F401
