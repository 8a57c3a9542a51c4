"""The audit log: every account, role, team, training-record and setting change, with who,
when and from which address; readable and filterable by Heads and administrators only."""
import re

import pytest

from services import account_service, audit_service, role_change_service, token_service
from tests.conftest import RDU
from tests.web.browsing import sign_in


@pytest.fixture
def root(app, make_user):
    make_user("hd", "head", teams=[RDU], trained="2006-03-01")
    make_user("kim", "staff", teams=[RDU])
    client = app.test_client()
    make_user("root", "admin")
    assert sign_in(client, "root").status_code == 302
    return client


def logged(store, **match):
    return [item for item in audit_service.entries(store) if all(item.get(k) == v for k, v in match.items())]


def test_every_kind_of_change_lands_in_the_log_with_its_actor_and_address(app, root, store):
    assert root.post("/admin/users/new", data={"name": "ann", "role": ["staff", "head"]}).status_code == 200
    version = account_service.account_record(store, "kim")["version"]
    assert root.post("/admin/users/kim", data={"version": version, "role": ["staff", "team_leader"],
                                               "team": [RDU], "trained": "2007-01-01"}).status_code == 302
    assert root.post("/admin/users/kim/password").status_code == 200
    assert root.post("/admin/users/kim/active", data={"active": "no"}).status_code == 302
    assert root.post("/admin/teams/new", data={"name": "Legal Services"}).status_code == 302
    assert root.post("/admin/teams", data={"team": "Legal Services", "coordinator": "kim", "version": "1"}
                     ).status_code == 302
    assert root.post("/admin/settings/training-rule", data={"training_rule": "off"}).status_code == 302
    assert root.post("/training/add", data={"name": "Jane Smith", "group": "staff", "course": "eqia",
                                            "date": "2006-05-01"}).status_code == 302
    hd = app.test_client()
    sign_in(hd, "hd")
    assert hd.post(f"/role-changes/{role_change_service.pending(store)[0]['id']}", data={"decision": "decline"}).status_code == 302
    expected = [("account", "ann", "created"), ("role", "ann", "proposed"), ("account", "kim", "edited"),
                ("training", "kim", "account date set"), ("account", "kim", "password reset"),
                ("account", "kim", "deactivated"), ("team", "Legal Services", "added"),
                ("team", "Legal Services", "coordinator named"), ("setting", "training_rule", "set"),
                ("training", "Jane Smith", "recorded")]
    for kind, subject, action in expected:
        [item] = logged(store, kind=kind, subject=subject, action=action)
        assert (item["actor"], item["address"]) == ("root", "127.0.0.1"), (kind, action)
        assert item["at"]
    [declined] = logged(store, kind="role", action="declined")
    assert (declined["actor"], declined["subject"], declined["details"]["role"]) == ("hd", "ann", "head")


def test_a_confirmed_role_and_a_password_set_by_link_are_logged_as_who_did_them(app, root, store):
    version = account_service.account_record(store, "kim")["version"]
    root.post("/admin/users/kim", data={"version": version, "role": ["staff", "eodb"], "team": [RDU]})
    hd = app.test_client()
    sign_in(hd, "hd")
    answer = hd.post(f"/role-changes/{role_change_service.pending(store)[0]['id']}", data={"decision": "confirm"})
    [confirmed] = logged(store, kind="role", action="confirmed")
    assert (confirmed["actor"], confirmed["subject"], confirmed["details"]["proposed_by"]) == ("hd", "kim", "root")
    path = re.search(r"/sign-in/link/[\w-]+", answer.text).group(0)  # kim's new credentials come from hd
    app.test_client().post(path, data={"new_password": "kim's own choice", "confirm_password": "kim's own choice"})
    [set_by_link] = logged(store, action="password set with a one-time link")
    assert (set_by_link["actor"], set_by_link["subject"], set_by_link["address"]) == ("kim", "kim", "127.0.0.1")


def test_api_tokens_issued_and_revoked_are_logged_with_who_and_from_where(app, root, store):
    token = token_service.issue_token(store, "kim")
    assert logged(store, action="API token issued", subject="kim")[0]["actor"] == "command line"
    response = app.test_client().delete("/api/v1/tokens/current", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 204
    [revoked] = logged(store, action="API token revoked", subject="kim")
    assert (revoked["actor"], revoked["address"], revoked["details"]["hint"]) == ("kim", "127.0.0.1", token[-4:])


def test_the_log_is_a_chain_each_entry_linking_the_one_before(root, store):
    root.post("/admin/teams/new", data={"name": "Legal Services"})
    entries = store.log(audit_service.AUDIT, audit_service.LOG)
    assert len(entries) >= 4 and entries[0]["prev"] is None
    assert all(later["prev"] == earlier["hash"] for earlier, later in zip(entries, entries[1:]))
    assert audit_service.problem(store) is None


@pytest.mark.parametrize("role", ["staff", "team_leader", "eodb", "smt"])
def test_the_audit_page_is_refused_to_other_roles(app, store, make_user, role):
    make_user("other", role, teams=[RDU])
    client = app.test_client()
    sign_in(client, "other")
    answer = client.get("/audit")
    assert answer.status_code == 403 and "other" not in re.sub(r"Signed in as.*?</form>", "", answer.text, flags=re.S)
    assert 'href="/audit"' not in answer.text


@pytest.mark.parametrize("who", ["hd", "root"])
def test_heads_and_administrators_read_it_newest_first_from_the_navigation(app, root, who):
    root.post("/admin/teams/new", data={"name": "Legal Services"})
    client = app.test_client()
    sign_in(client, who)
    page = client.get("/audit")
    assert page.status_code == 200 and 'href="/audit"' in client.get("/").text
    assert page.text.index("Legal Services") < page.text.index("created")


def test_the_page_filters_by_person_actor_kind_and_days(root, store):
    root.post("/admin/teams/new", data={"name": "Legal Services"})
    today = audit_service.entries(store)[0]["at"][:10]
    rows = lambda text: re.findall(r'<th scope="row">([^<]*)</th>', text)  # noqa: E731
    assert set(rows(root.get("/audit?person=kim").text)) == {"kim"}
    assert set(rows(root.get("/audit?actor=root").text)) == {"Legal Services"}
    assert set(rows(root.get("/audit?kind=team").text)) == {"Legal Services"}
    assert "Legal Services" in rows(root.get(f"/audit?since={today}&until={today}").text)
    assert rows(root.get("/audit?until=2000-01-01").text) == []


@pytest.mark.parametrize("query", ["since=yesterday", "until=2007-13-01", "kind=everything", "since=20070101",
                                   "until=2007-W01-1",
                                   "since=2007-02-01&until=2007-01-01"])
def test_a_bad_filter_is_refused_with_a_message(root, query):
    answer = root.get(f"/audit?{query}")
    assert answer.status_code == 422 and "There is a problem" in answer.text


def test_the_log_is_paginated(root, store, monkeypatch):
    monkeypatch.setattr(audit_service, "PER_PAGE", 2)
    total = len(audit_service.entries(store))
    first, last = root.get("/audit").text, root.get(f"/audit?page={total}").text
    assert f"Entries 1 to 2 of {total}" in first and 'rel="next"' in first
    assert 'rel="prev"' in last and 'rel="next"' not in last
    assert root.get("/audit?page=²").status_code == 200
