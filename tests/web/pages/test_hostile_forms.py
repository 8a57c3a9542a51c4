"""Whatever a browser (or something posing as one) posts to the HTML forms — any
unicode, huge values, missing or doubled fields, names the form never had — the
answer is a page (200, 302 or 4xx), never a 5xx, and a refusal changes nothing."""
import re

import hypothesis.strategies as st
from hypothesis import HealthCheck, given, settings

from services.account_service import find_user
from tests.authz_world import fingerprint
from tests.conftest import HR, complete_eqia
from tests.web.browsing import sign_in

SPECIAL = st.sampled_from(["", " ", "0", "-1", "1.5", "99999999999999999999", "2007-13-45", "2007-08 Q9", "yes",
                           "no", "negative", "race", "\x00", "\u202e", "<script>", "x" * 100_000])
VALUES = st.lists(st.text(max_size=40) | SPECIAL, min_size=1, max_size=2)
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def form_names(html):
    """The names of a form page's inputs, so the fuzzing posts what the form posts."""
    return sorted(set(re.findall(r'name="([^"]+)"', html)) - {"csrf_token"})


def targets(app, client, make_user):
    """[(person, address, input names)] for the create, edit, screening, account and admin forms."""
    make_user("lee", "team_leader", teams=[HR], trained="2006-01-01")
    make_user("root", "admin")
    make_user("head", "head", teams=[HR], trained="2006-01-01")
    documents, store = app.extensions["documents"], app.extensions["store"]
    lee = find_user(store, "lee")
    eqia = documents.create(lee, "eqia", "EqIA", HR, complete_eqia())["id"]
    objective = documents.create(lee, "objective", "Objective", HR, {})["id"]
    found = []
    for who, address in [("lee", "/documents/new?kind=eqia"), ("lee", "/documents/new?kind=objective"),
                         ("lee", "/documents/new?kind=team_plan"), ("lee", f"/documents/{eqia}/edit"),
                         ("lee", f"/documents/{objective}/edit"), ("lee", f"/documents/{eqia}/screening/race"),
                         ("lee", f"/documents/{eqia}/assessment"), ("lee", "/account/password"),
                         ("root", "/admin/users/new"), ("root", "/admin/users/lee"), ("root", "/admin/teams"),
                         ("head", "/meetings/new"), ("head", "/periods")]:
        sign_in(client, who)
        page = client.get(address)
        assert page.status_code == 200, address
        found.append((who, address, form_names(page.text)))
    return found


@SETTINGS
@given(data=st.data())
def test_any_form_post_gets_a_page_and_a_refusal_changes_nothing(app, client, make_user, data):
    if not hasattr(app, "_form_targets"):  # the forms are set up once, not per example
        app._form_targets, app._signed_in = targets(app, client, make_user), None
    who, address, names = data.draw(st.sampled_from(app._form_targets))
    fields = data.draw(st.dictionaries(st.sampled_from(names) | st.text(max_size=10), VALUES, max_size=len(names)))
    if app._signed_in != who:
        sign_in(client, who)
        app._signed_in = who
    store = app.extensions["store"]
    before = fingerprint(store)
    response = client.post(address, data=fields)
    assert response.status_code in (200, 302) or 400 <= response.status_code < 500, (address, response.status_code)
    assert "text/html" in response.content_type
    if response.status_code >= 400:
        assert fingerprint(store) == before, (address, response.status_code)
