"""The API against its own OpenAPI document, with schemathesis generating the calls:
no answer is a 5xx and every answer is what the document says (status, content
type, body schema). Run in-process over WSGI (RECIPES.md), as a team leader with a
bearer token and as the public."""
import atexit
import tempfile

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from services import account_service, token_service
from tests.conftest import HR, PASSWORD, complete_eqia
from web import create_app


def _world():
    """An app with a team leader, their token and an EqIA, so id 1 exists. Built at
    import, as schemathesis reads the schema when it collects the tests (its pytest
    fixture loader does not run under this pytest)."""
    folder = tempfile.TemporaryDirectory()
    atexit.register(folder.cleanup)
    app = create_app({"STORE": folder.name, "TESTING": True, "SECRET_KEY": "test", "SESSION_COOKIE_SECURE": False})
    store = app.extensions["store"]
    atexit.register(store.close)
    account_service.add_user(store, "lead", PASSWORD, ("team_leader",), (HR,), "2006-01-01")
    headers = {"Authorization": f"Bearer {token_service.issue_token(store, 'lead')}"}
    app.test_client().post("/api/v1/documents", headers=headers,
                           json={"kind": "eqia", "title": "Draft", "team": HR, "fields": complete_eqia()})
    return app, headers


APP, LEADER = _world()
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP)
# A few examples per operation keep the run under a minute; derandomized, so CI is stable.
SETTINGS = settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
# The document gives shapes; some rules stay with the domain, which names each broken
# one in a 422: a kind's own fields, a financial year's second year following its first.
# So a body the schema allows may still be refused, and that check is left out.
LAX = [positive_data_acceptance]


@schema.parametrize()
@SETTINGS
def test_every_answer_to_a_team_leader_conforms_to_the_openapi_document(case):
    case.call_and_validate(headers=LEADER, excluded_checks=LAX)


@schema.parametrize()
@SETTINGS
def test_every_answer_to_the_public_conforms_to_the_openapi_document(case):
    case.call_and_validate(excluded_checks=LAX)
