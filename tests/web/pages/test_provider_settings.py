"""The identity provider's settings page (Administration → Signing in): issuer, client ID,
the button's name, the groups claim and the group map as a table, saved to the settings;
the client secret write-only ("set" / "not set", never shown back, never logged);
environment variables win over the page, and the page says so."""
import pytest

from services import audit_service, settings_service
from tests.conftest import HR, RDU
from tests.web.browsing import sign_in

SECRET = "s3cret-never-shown"
FORM = {"issuer": "https://login.microsoftonline.com/tenant-id/v2.0", "client_id": "0000-app",
        "client_secret": SECRET, "provider_name": "Contoso Entra ID", "groups_claim": "groups",
        "group.0": "hr-staff", "team.0": HR, "role.0": "staff",
        "group.1": "rdu-leads", "team.1": RDU, "role.1": "team_leader"}


@pytest.fixture
def admin(client, make_user):
    make_user("root", "admin")
    make_user("sam", "staff", teams=[HR])
    make_user("lee", "team_leader", teams=[RDU])
    assert sign_in(client, "root").status_code == 302
    return client


def save(admin, store, **changes):
    version = settings_service.oidc_stored(store).get("version") or ""
    return admin.post("/admin/sign-in/provider", data={**FORM, "version": version, **changes})


def test_the_settings_are_saved_and_read_back_in_effect(admin, store):
    assert save(admin, store).status_code == 302
    found = settings_service.oidc_configuration(store, environ={})
    assert found["issuer"] == FORM["issuer"] and found["client_id"] == "0000-app"
    assert found["client_secret"] == SECRET and found["provider_name"] == "Contoso Entra ID"
    assert found["group_map"] == {"hr-staff": {"team": HR, "role": "staff"},
                                  "rdu-leads": {"team": RDU, "role": "team_leader"}}
    assert found["from_environment"] == []


def test_the_secret_is_never_shown_back_nor_logged(admin, store):
    refused = save(admin, store, issuer="http://elsewhere.example.org")  # a refusal re-renders the form
    assert refused.status_code == 422 and SECRET not in refused.text
    save(admin, store)
    page = admin.get("/admin/sign-in").text
    assert SECRET not in page and "Set. Leave blank to keep it." in page
    assert "0000-app" in page and "rdu-leads" in page  # the rest is shown as saved
    [logged] = [e for e in audit_service.entries(store) if e["subject"] == settings_service.OIDC]
    assert SECRET not in str(logged) and logged["details"]["client_secret"] == "set"
    assert SECRET not in admin.get("/audit").text


def test_a_blank_secret_keeps_the_saved_one_and_removing_it_says_not_set(admin, store):
    save(admin, store)
    assert save(admin, store, client_secret="").status_code == 302
    assert settings_service.oidc_stored(store)["client_secret"] == SECRET
    assert save(admin, store, client_secret="", remove_secret="on").status_code == 302
    assert settings_service.oidc_stored(store)["client_secret"] is None
    assert "Not set." in admin.get("/admin/sign-in").text


@pytest.mark.parametrize("field, value, named", [
    ("issuer", "http://sso.example.org/realms/x", "issuer"),
    ("issuer", "not an address", "issuer"),
    ("client_id", "x" * 201, "client_id"),
    ("provider_name", "two\nlines", "provider_name"),
    ("role.0", "head", "role.0"),          # no group grants sign-off, Board or admin power
    ("role.0", "admin", "role.0"),
    ("role.1", "eodb", "role.1"),
    ("team.0", "No such team", "team.0"),
    ("group.1", "hr-staff", "group.1"),    # one group mapped twice
])
def test_bad_settings_are_named_and_change_nothing(admin, store, field, value, named):
    save(admin, store)
    before = settings_service.oidc_stored(store)
    response = save(admin, store, **{field: value})
    assert response.status_code == 422 and "Nothing was changed" in response.text
    assert f'id="{named.replace(".", "-")}-error"' in response.text  # the field's own message
    assert settings_service.oidc_stored(store) == before


def test_a_cleared_group_removes_its_row(admin, store):
    save(admin, store)
    save(admin, store, **{"group.0": ""})
    assert list(settings_service.oidc_configuration(store, environ={})["group_map"]) == ["rdu-leads"]


def test_environment_variables_win_and_the_page_says_so(admin, store, monkeypatch):
    save(admin, store)
    monkeypatch.setenv("OIDC_ISSUER", "https://sso.example.org/realms/staff")
    monkeypatch.setenv("OIDC_GROUP_MAP", '{"all": {"team": "Human Resources", "role": "staff"}}')
    found = settings_service.oidc_configuration(store)
    assert found["issuer"] == "https://sso.example.org/realms/staff" and found["client_id"] == "0000-app"
    assert found["group_map"] == '{"all": {"team": "Human Resources", "role": "staff"}}'  # as given: read by identity
    assert found["groups_claim"] == "groups" and found["from_environment"] == ["group_map", "issuer"]
    page = admin.get("/admin/sign-in").text
    assert "environment variables, which win" in page and "OIDC_ISSUER" in page and "OIDC_GROUP_MAP" in page


def test_while_passwords_are_off_the_provider_cannot_be_left_unusable(admin, store):
    save(admin, store)
    admin.post("/admin/sign-in/passwords", data={"local_passwords": "off", "break_glass": "root", "version": ""})
    assert settings_service.local_passwords(store)["on"] is False
    response = save(admin, store, issuer="", client_secret="", remove_secret="on")
    assert response.status_code == 422 and "must stay set" in response.text
    assert settings_service.oidc_stored(store)["issuer"] == FORM["issuer"]


def test_only_an_administrator_sees_or_sets_the_provider(app, admin, store):
    sam = app.test_client()
    sign_in(sam, "sam")
    assert sam.get("/admin/sign-in").status_code == 403
    assert sam.post("/admin/sign-in/provider", data=FORM).status_code == 403
    assert settings_service.oidc_stored(store) == {}


def test_a_stale_page_changes_nothing(admin, store):
    save(admin, store)
    seen = settings_service.oidc_stored(store)["version"]
    save(admin, store, provider_name="First")
    stale = admin.post("/admin/sign-in/provider", data={**FORM, "provider_name": "Second", "version": seen})
    assert stale.status_code == 409
    assert settings_service.oidc_stored(store)["provider_name"] == "First"
