"""Administration: only admins, accounts (add, edit, reset, deactivate) and team coordinators."""
import datetime as dt
import re

import pytest

from services import (
    account_service,
    audit_service,
    credential_service,
    settings_service,
    token_service,
)
from store import Put
from tests.conftest import PASSWORD
from tests.web.browsing import link_path, set_password_by_link, sign_in

LIFETIME = dt.timedelta(hours=1)




@pytest.fixture
def admin(client, make_user):
    """The client, signed in as an administrator; kim is an ordinary member of staff."""
    make_user("root", "admin")
    make_user("kim", "staff", teams=["CLAMS"])
    assert sign_in(client, "root").status_code == 302
    return client


def admin_urls(app):
    """Every admin route with its methods, so a route added later cannot escape the check."""
    with app.test_request_context():
        from flask import url_for
        return [(url_for(rule.endpoint, **{arg: "kim" for arg in rule.arguments}), method)
                for rule in app.url_map.iter_rules() if rule.endpoint.startswith("admin.")
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]


def test_the_admin_blueprint_has_routes_to_check(app):
    assert len(admin_urls(app)) >= 8


@pytest.mark.parametrize("role", ["staff", "team_leader", "head", "eodb", "smt"])
def test_every_admin_route_is_forbidden_to_other_roles(app, client, store, make_user, role):
    make_user("kim", "staff")
    make_user("someone", role, teams=["CLAMS"])
    sign_in(client, "someone")
    for url, method in admin_urls(app):
        response = client.open(url, method=method, data={"role": ["admin"], "active": "no"})
        assert response.status_code == 403, (url, method)
    assert account_service.find_user(store, "kim").roles == {"staff"}


def test_every_admin_route_sends_the_public_to_sign_in(app, client, make_user):
    make_user("kim", "staff")
    for url, method in admin_urls(app):
        response = client.open(url, method=method)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"], (url, method)


def test_the_account_list_shows_each_account(admin, make_user):
    make_user("hr_lead", "team_leader", teams=["Human Resources"], trained="2006-05-10")
    page = admin.get("/admin/users").text
    assert "hr_lead" in page and "Team leader" in page and "Human Resources" in page and "10 May 2006" in page


def test_an_added_user_sets_their_own_password_through_the_one_time_link(admin, app, store):
    response = admin.post("/admin/users/new", data={
        "name": "new.person", "role": ["staff", "team_leader"], "team": ["CLAMS"], "new_team": "Legal Services",
        "trained": "2007-02-01", "password": "a typed password"})
    assert response.status_code == 200 and "one-time link" in response.text
    assert account_service.find_user(store, "new.person").teams == {"CLAMS", "Legal Services"}
    person = app.test_client()
    assert sign_in(person, "new.person", "a typed password").status_code == 401  # the admin chose nothing
    assert set_password_by_link(person, link_path(response.text), "my own secret").status_code == 302
    assert sign_in(person, "new.person", "my own secret").status_code == 302


def test_an_invalid_new_user_is_refused_with_every_problem_and_keeps_what_was_typed(admin, store):
    response = admin.post("/admin/users/new", data={
        "name": "bad name", "team": ["CLAMS"], "new_team": "Legal", "trained": "2007-13-01"})
    assert response.status_code == 422
    for anchor in ('href="#name"', 'href="#role"', 'href="#trained"'):
        assert anchor in response.text
    assert 'value="bad name"' in response.text and 'value="Legal"' in response.text
    assert 'value="CLAMS" checked' in response.text
    assert account_service.account_record(store, "bad name") is None


def test_a_taken_name_is_refused(admin):
    response = admin.post("/admin/users/new", data={"name": "kim", "role": "staff"})
    assert response.status_code == 422 and "kim is taken" in response.text


def test_an_admin_edits_roles_teams_and_training(admin, store):
    version = account_service.account_record(store, "kim")["version"]
    response = admin.post("/admin/users/kim", data={
        "version": version, "role": ["staff", "team_leader"], "team": ["Human Resources"], "trained": "2007-03-01"})
    assert response.status_code == 302
    kim = account_service.find_user(store, "kim")
    assert kim.roles == {"staff", "team_leader"} and kim.teams == {"Human Resources"} and kim.trained == "2007-03-01"


def test_editing_with_a_stale_version_is_refused(admin, store):
    before = account_service.account_record(store, "kim")
    account_service.update_account(store, audit_service.Actor("root"), "kim", before["version"], ["staff"], ["CLAMS"], "2006-01-01")
    response = admin.post("/admin/users/kim", data={"version": before["version"], "role": ["team_leader"],
                                                     "team": ["CLAMS"]})
    assert response.status_code == 409 and "Someone else saved a change" in response.text
    assert 'value="team_leader" checked' in response.text  # what was typed is still there
    assert account_service.find_user(store, "kim").roles == {"staff"}


def test_an_admin_cannot_change_their_own_roles(admin, store):
    version = account_service.account_record(store, "root")["version"]
    response = admin.post("/admin/users/root", data={"version": version, "role": ["admin", "head"]})
    assert response.status_code == 403 and "You cannot change the roles of your own account" in response.text
    assert account_service.find_user(store, "root").roles == {"admin"}


def test_an_admin_may_change_their_own_teams_but_keeps_their_roles(admin, store):
    version = account_service.account_record(store, "root")["version"]
    response = admin.post("/admin/users/root", data={"version": version, "role": ["admin"], "team": ["CLAMS"]})
    assert response.status_code == 302 and account_service.find_user(store, "root").teams == {"CLAMS"}


def test_a_password_reset_ends_every_session_of_the_account(admin, app, store):
    other = app.test_client()
    sign_in(other, "kim")
    assert other.get("/account").status_code == 200
    response = admin.post("/admin/users/kim/password", data={"password": "a brand new one"})
    assert response.status_code == 200
    assert other.get("/account").status_code == 302
    assert account_service.check_password(store, "kim", PASSWORD) is None
    assert account_service.check_password(store, "kim", "a brand new one") is None


def test_an_admin_cannot_reset_their_own_password_here(admin, store):
    response = admin.post("/admin/users/root/password")
    assert response.status_code == 403 and account_service.check_password(store, "root", PASSWORD)


def test_a_deactivated_account_cannot_sign_in_and_its_session_and_token_stop_working(admin, app, store):
    token = token_service.issue_token(store, "kim")
    other = app.test_client()
    sign_in(other, "kim")
    assert admin.post("/admin/users/kim/active", data={"active": "no"}).status_code == 302
    assert other.get("/account").status_code == 302
    assert app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert sign_in(app.test_client(), "kim").status_code == 401
    assert admin.post("/admin/users/kim/active", data={"active": "yes"}).status_code == 302
    assert sign_in(app.test_client(), "kim").status_code == 302


def test_the_disabled_flag_alone_refuses_password_session_and_token(store, make_user):
    """Not only because deactivation closed the sessions: every way in checks the flag."""
    token = make_user("kim", "staff")
    session_id = credential_service.open_session(store, "kim")
    record = account_service.account_record(store, "kim")
    store.commit([Put("users", "kim", {**record, "disabled": True}, expected_version=record["version"])])
    assert account_service.check_password(store, "kim", PASSWORD) is None
    assert token_service.lookup(store, token)[0] is None
    assert credential_service.session_record(store, session_id, LIFETIME)  # still stored...
    assert account_service.find_user(store, "kim") is None  # ...but no user is loaded for it


def test_an_admin_cannot_deactivate_themselves(admin, store):
    assert admin.post("/admin/users/root/active", data={"active": "no"}).status_code == 403
    assert account_service.find_user(store, "root") is not None


def test_a_coordinator_set_by_an_admin_shows_on_the_contact_list_for_everyone(admin, app, make_user):
    response = admin.post("/admin/teams", data={"team": "Human Resources", "coordinator": "Equalities Adviser (HR)",
                                                "version": ""})
    assert response.status_code == 302
    for role in ("staff", "eodb"):
        reader = app.test_client()
        make_user(f"reader_{role}", role)
        sign_in(reader, f"reader_{role}")
        page = reader.get("/teams")
        assert page.status_code == 200 and "Equalities Adviser (HR)" in page.text
    assert app.test_client().get("/teams").status_code == 302  # not for the public


def test_the_contact_list_names_every_team_of_the_plan_and_added_ones(admin):
    assert admin.post("/admin/teams/new", data={"name": "Legal Services"}).status_code == 302
    page = admin.get("/teams").text
    assert "Legal Services" in page and "Race &amp; Diversity Unit" in page and "Not named yet" in page


def test_a_stale_coordinator_save_is_refused(admin, store):
    admin.post("/admin/teams", data={"team": "CLAMS", "coordinator": "first", "version": ""})
    response = admin.post("/admin/teams", data={"team": "CLAMS", "coordinator": "second", "version": ""})
    assert response.status_code == 409 and 'value="second"' in response.text
    assert store.get("teams", "CLAMS")["coordinator"] == "first"


def test_a_coordinator_for_an_unknown_team_or_a_duplicate_team_is_refused(admin):
    assert admin.post("/admin/teams", data={"team": "Nowhere", "coordinator": "x"}).status_code == 422
    assert admin.post("/admin/teams/new", data={"name": "CLAMS"}).status_code == 422


def test_signing_in_does_not_make_an_open_admin_edit_stale(client, store, make_user):
    make_user("ada", "admin")
    make_user("kim", "staff")
    sign_in(client, "ada")
    page = client.get("/admin/users/kim")
    version = re.search(r'name="version" value="(\d+)"', page.text).group(1)
    sign_in(app_client := client.application.test_client(), "kim")
    assert app_client.get("/documents").status_code == 200
    saved = client.post("/admin/users/kim", data={"version": version, "role": ["staff", "team_leader"],
                                                  "trained": ""})
    assert saved.status_code == 302, saved.text
    assert store.get("users", "kim")["roles"] == ["staff", "team_leader"]


def test_an_admin_switches_the_training_rule_off_and_on(admin, store):
    page = admin.get("/admin/settings").get_data(as_text=True)
    assert re.search(r'name="training_rule" value="on" checked', page)
    assert admin.post("/admin/settings/training-rule", data={"training_rule": "off"}).status_code == 302
    assert settings_service.training_rule(store) is False
    assert settings_service.training_rule_record(store)["by"] == "root"
    assert re.search(r'name="training_rule" value="off" checked', admin.get("/admin/settings").get_data(as_text=True))
    admin.post("/admin/settings/training-rule", data={"training_rule": "on", "version": "1"})
    assert settings_service.training_rule(store) is True


def test_two_admins_switching_the_rule_at_once_do_not_cross(admin, store):
    assert admin.post("/admin/settings/training-rule", data={"training_rule": "off"}).status_code == 302
    stale = admin.post("/admin/settings/training-rule", data={"training_rule": "on"})  # rendered before the change above
    assert stale.status_code == 409 and "reload" in stale.get_data(as_text=True)
    assert settings_service.training_rule(store) is False


def test_a_setting_that_is_neither_on_nor_off_is_refused_and_changes_nothing(admin, store):
    refused = admin.post("/admin/settings/training-rule", data={"training_rule": "sometimes"})
    assert refused.status_code == 422
    assert "Select whether the rule applies" in refused.get_data(as_text=True)
    assert settings_service.training_rule_record(store) is None and settings_service.training_rule(store) is True


def test_an_admin_cannot_record_their_own_training_by_editing_their_account(admin, store):
    version = account_service.account_record(store, "root")["version"]
    response = admin.post("/admin/users/root", data={"version": version, "role": ["admin"], "trained": "2007-01-01"})
    assert response.status_code == 403 and "You cannot record the training of your own account" in response.text
    assert account_service.account_record(store, "root")["trained"] is None


def test_a_training_date_set_on_an_account_may_not_lie_in_the_future(admin, store):
    version = account_service.account_record(store, "kim")["version"]
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    response = admin.post("/admin/users/kim", data={"version": version, "role": ["staff"], "trained": tomorrow})
    assert response.status_code == 422 and "The date trained must be today or earlier" in response.text
    assert account_service.account_record(store, "kim")["trained"] is None


def test_a_self_recorded_entry_already_in_the_register_does_not_train_a_new_account(store, make_user):
    store.commit([Put(account_service.TRAINING, "sneaked", {"name": "hd", "group": "staff", "course": "eqia",
                                                    "date": "2006-01-01", "entered_by": "hd"})])
    make_user("hd", "head")
    assert account_service.find_user(store, "hd").meets_training_rule() is False


@pytest.mark.parametrize("team", ["Legal\nServices", "Legal\tServices", "L" * 101])
def test_a_bad_team_name_gets_the_same_refusal_on_the_account_form_and_the_teams_page(admin, store, team):
    """One team-name rule: typed as a new team on an account or added on the teams page."""
    on_account = admin.post("/admin/users/new", data={"name": "new.person", "role": ["staff"], "new_team": team})
    on_teams = admin.post("/admin/teams/new", data={"name": team})
    for response in (on_account, on_teams):
        assert response.status_code == 422
        assert "Enter a team name of 1 to 100 characters on one line, without line breaks, tabs or other control " \
               "characters" in response.text
    assert store.get("users", "new.person") is None and store.get("teams", team) is None
