"""A body over the app's limit (MAX_CONTENT_LENGTH) is refused with 413 and a reason
— a page on the site, JSON on the API — and nothing is stored."""
from tests.authz_world import fingerprint
from tests.conftest import HR, Api
from tests.web.browsing import eqia_form, sign_in
from web import MAX_BODY


def test_an_oversized_form_post_is_413_with_a_page_saying_why_and_nothing_is_stored(app, client, people):
    sign_in(client, "sam")
    before = fingerprint(app.extensions["store"])
    response = client.post("/documents/new?kind=eqia", data=eqia_form(title="x" * (MAX_BODY + 1)))
    assert response.status_code == 413 and "text/html" in response.content_type
    assert "larger than the 2 MB this site accepts" in response.text and "nothing was saved" in response.text
    assert fingerprint(app.extensions["store"]) == before


def test_an_oversized_api_post_is_413_in_json_and_nothing_is_stored(app, client, make_user):
    api = Api(client, {"lee": make_user("lee", "team_leader", teams=[HR])}, "lee")
    before = fingerprint(app.extensions["store"])
    response = api.post("/documents", {"kind": "eqia", "title": "x" * (MAX_BODY + 1), "team": HR})
    assert response.status_code == 413 and response.is_json
    assert "larger than the 2 MB" in response.json["error"] and response.json["details"] == {}
    assert fingerprint(app.extensions["store"]) == before
