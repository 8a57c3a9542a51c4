"""Every answer to a signed-in person or to a bearer token (pages, exports, the API, files,
refusals and redirects alike) carries Cache-Control: no-store, on every route of the URL map."""
import pytest

from tests.conftest import HR, complete_eqia
from tests.web.browsing import sign_in

LAST = ("/sign-out", "/api/v1/tokens/current")  # they end the session or the token: asked last


@pytest.fixture
def world(api, store):
    doc = api.as_("hr_staff").post("/documents", {"kind": "eqia", "title": "Flexi-time", "team": HR,
                                                   "fields": complete_eqia()}).json
    meeting = api.as_("head").post("/meetings", {"title": "EODB", "date": "2030-01-01"}).json
    return {"doc_id": doc["id"], "strand": "race", "file_key": "missing", "kind": "eqia",
            "meeting_id": meeting["id"], "number": 1, "name": "hr_staff", "key": "missing",
            "period": "2007-08", "filename": "style.css", "secret": "no-such-link",
            "action_id": "missing", "batch_id": "missing", "plan_key": "cep-2004", "team": HR,
            "contact_id": "missing", "partner_id": "missing", "complaint_id": "missing", "consultation_id": "missing"}


def requests(app, values):
    """(method, address) for every method of every rule but the style sheets, those ending a session last."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        address = rule.build({name: values[name] for name in rule.arguments})[1]
        found += [(method, address) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return sorted(found, key=lambda request: (request[1] in LAST, request))


def test_the_url_map_is_walked_whole(app, world):
    assert len(requests(app, world)) > 80


@pytest.mark.parametrize("credentials", ["session", "token"])
def test_every_answer_to_a_signed_in_person_or_a_token_is_not_stored(app, client, cast, world, credentials):
    headers = {}
    if credentials == "session":
        assert sign_in(client, "head").status_code == 302
    else:
        headers = {"Authorization": f"Bearer {cast['head']}"}
    stored = []
    for method, address in requests(app, world):
        response = client.open(address, method=method, headers=headers, data={}, json=None)
        if "no-store" not in response.headers.get("Cache-Control", ""):
            stored.append((method, address, response.status_code, response.mimetype))
    assert not stored

