"""Page tests post forms as a browser would, without CSRF tokens: CSRF has tests of its own."""
import pytest

from tests.conftest import HR


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": False}


@pytest.fixture
def people(make_user):
    """A staff member and a team leader of Human Resources, and a Board member."""
    make_user("sam", "staff", teams=[HR])
    make_user("lee", "team_leader", teams=[HR])
    make_user("bea", "eodb")
