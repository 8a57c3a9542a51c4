"""Local passwords off: an administrator switches them off for everyone but a break-glass
administrator, once a provider is there for everyone else. Then the sign-in form, one's own
password change, an administrator's reset, one-time links and new accounts' links refuse
everyone else, from every door; API tokens keep working (they are not passwords)."""
import pytest

from services import (
    account_service,
    audit_service,
    credential_service,
    role_change_service,
    settings_service,
    sign_in_setting_service,
    throttle_service,
)
from services.sign_in_service import PasswordsOff, set_password_by_link
from services.sign_in_service import sign_in as service_sign_in
from tests.conftest import HR, PASSWORD
from tests.web.browsing import link_path, sign_in
from workflow.errors import Forbidden, Invalid

PROVIDER = {"issuer": "https://login.example.org/realms/staff", "client_id": "equality",
            "client_secret": "s3cret-value", "provider_name": "Contoso"}
OFF_WORDS = "Passwords are switched off here: sign in with Contoso"


@pytest.fixture
def tokens(make_user):
    return {"root": make_user("root", "admin"), "ada": make_user("ada", "admin"),
            "sam": make_user("sam", "staff", teams=[HR]), "head": make_user("head", "head")}


@pytest.fixture
def admin(client, tokens):
    assert sign_in(client, "root").status_code == 302
    return client


def with_provider(admin):
    response = admin.post("/admin/sign-in/provider", data=PROVIDER)
    assert response.status_code == 302, response.text


def switch(admin, choice, break_glass="root", version=None, store=None):
    if version is None and store is not None:
        version = settings_service.local_passwords(store)["version"] or ""
    return admin.post("/admin/sign-in/passwords", data={"local_passwords": choice, "break_glass": break_glass,
                                                         "version": version or ""})


@pytest.fixture
def off(admin, store):
    """Passwords off, root breaking glass; the admin client stays signed in as root."""
    with_provider(admin)
    response = switch(admin, "off", store=store)
    assert response.status_code == 302, response.text
    return admin


def test_passwords_are_on_until_switched_off(app, store, tokens):
    assert settings_service.local_passwords(store)["on"] is True
    assert "switched off" not in app.test_client().get("/sign-in").text
    assert sign_in(app.test_client(), "sam").status_code == 302


def test_passwords_cannot_be_switched_off_without_a_provider(admin, store):
    response = switch(admin, "off", store=store)
    assert response.status_code == 422 and "Set the identity provider" in response.text
    assert settings_service.local_passwords(store)["on"] is True


@pytest.mark.parametrize("break_glass, why", [
    ("", "Choose the administrator who may still sign in with a password"),
    ("sam", "sam is not an administrator"),
    ("nobody", "There is no account named nobody"),
])
def test_passwords_cannot_be_switched_off_without_a_break_glass_administrator(admin, store, break_glass, why):
    with_provider(admin)
    response = switch(admin, "off", break_glass, store=store)
    assert response.status_code == 422 and why in response.text
    assert settings_service.local_passwords(store)["on"] is True


def test_a_deactivated_or_passwordless_administrator_cannot_break_glass(admin, store):
    with_provider(admin)
    account_service.set_active(store, audit_service.Actor("root"), "ada", False)
    assert "deactivated" in switch(admin, "off", "ada", store=store).text
    account_service.add_user(store, "eve", None, ["admin"])
    assert "has no password yet" in switch(admin, "off", "eve", store=store).text
    assert settings_service.local_passwords(store)["on"] is True


def test_only_an_administrator_switches_passwords(app, store, tokens):
    head = app.test_client()
    sign_in(head, "head")
    assert head.post("/admin/sign-in/passwords", data={"local_passwords": "on"}).status_code == 403
    assert head.get("/admin/sign-in").status_code == 403
    with pytest.raises(Forbidden):
        sign_in_setting_service.set_local_passwords(store, account_service.find_user(store, "head"), "on", None,
                                                    None, audit_service.Actor("head"))


def test_a_stale_page_changes_nothing(off, store):
    seen = settings_service.local_passwords(store)["version"]
    assert switch(off, "on", version=seen).status_code == 302  # another administrator, first
    stale = switch(off, "off", version=seen)
    assert stale.status_code == 409 and "reload it" in stale.text
    assert settings_service.local_passwords(store)["on"] is True


def test_the_switch_is_in_the_audit_log(off, store):
    [logged] = [e for e in audit_service.entries(store) if e["subject"] == settings_service.LOCAL_PASSWORDS]
    assert logged["actor"] == "root" and logged["details"] == {"value": "off", "break_glass": "root"}


def test_when_off_the_sign_in_page_says_to_use_the_provider(off, app):
    page = app.test_client().get("/sign-in").text
    assert OFF_WORDS in page and "Break-glass administrator" in page


def test_when_off_only_the_break_glass_administrator_signs_in_with_a_password(off, app, store):
    refused = sign_in(app.test_client(), "sam")
    assert refused.status_code == 401 and OFF_WORDS in refused.text
    assert store.scan(credential_service.SESSIONS, {"user": "sam"}) == []
    assert sign_in(app.test_client(), "ada").status_code == 401  # another administrator: no
    assert sign_in(app.test_client(), "root").status_code == 302


def test_when_off_a_wrong_password_answers_as_a_right_one_does(off, app):
    """Which name breaks glass is not told by the answers."""
    right, wrong = sign_in(app.test_client(), "sam"), sign_in(app.test_client(), "sam", "not it at all")
    glass_wrong = sign_in(app.test_client(), "root", "not it at all")
    assert right.status_code == wrong.status_code == glass_wrong.status_code == 401
    assert OFF_WORDS in right.text and OFF_WORDS in wrong.text and OFF_WORDS in glass_wrong.text


def test_when_off_the_service_refuses_too(off, store):
    with pytest.raises(PasswordsOff):
        service_sign_in(store, "sam", PASSWORD, "10.0.0.1", throttle_service.utc_now())


def test_switching_off_signs_out_everyone_but_the_break_glass_administrator(app, admin, store):
    sam, ada = app.test_client(), app.test_client()
    sign_in(sam, "sam"), sign_in(ada, "ada")
    with_provider(admin)
    assert switch(admin, "off", store=store).status_code == 302
    assert sam.get("/account").status_code == 302 and ada.get("/account").status_code == 302  # to sign in
    assert admin.get("/account").status_code == 200  # root breaks glass
    [logged] = [e for e in audit_service.entries(store) if e["subject"] == settings_service.LOCAL_PASSWORDS]
    assert logged["details"]["ended"] == "every other session"


def signed_in_without_a_password(app, store, name):
    """A browser holding a session of `name` opened while passwords are off (as the provider's sign-in opens one)."""
    person = app.test_client()
    with person.session_transaction() as session:
        session["_user_id"], session["_fresh"] = credential_service.open_session(store, name), True
    assert person.get("/account").status_code == 200
    return person


def test_when_off_nobody_else_changes_their_password(off, app, store):
    sam = signed_in_without_a_password(app, store, "sam")
    page = sam.get("/account/password")
    assert page.status_code == 403 and OFF_WORDS in page.text
    response = sam.post("/account/password", data={"current_password": PASSWORD, "new_password": "a new password!",
                                                   "confirm_password": "a new password!"})
    assert response.status_code == 403 and OFF_WORDS in response.text
    assert account_service.check_password(store, "sam", "a new password!") is None


def test_when_off_the_break_glass_administrator_still_changes_theirs(off, store):
    response = off.post("/account/password", data={"current_password": PASSWORD, "new_password": "a new password!",
                                                   "confirm_password": "a new password!"})
    assert response.status_code == 302
    assert account_service.check_password(store, "root", "a new password!") is not None


def test_when_off_an_administrator_cannot_reset_a_password(off, store):
    response = off.post("/admin/users/sam/password")
    assert response.status_code == 403 and OFF_WORDS in response.text
    assert store.scan(credential_service.SIGN_IN_LINKS, {"user": "sam"}) == []
    assert account_service.check_password(store, "sam", PASSWORD) is not None


def test_when_off_a_link_made_before_no_longer_sets_a_password(admin, app, store):
    path = link_path(admin.post("/admin/users/sam/password").text)
    with_provider(admin)
    assert switch(admin, "off", store=store).status_code == 302
    person = app.test_client()
    assert person.get(path).status_code == 403
    response = person.post(path, data={"new_password": "mine and only mine", "confirm_password": "mine and only mine"})
    assert response.status_code == 403 and OFF_WORDS in response.text
    assert account_service.check_password(store, "sam", "mine and only mine") is None


def test_when_off_the_link_service_refuses_too(admin, store):
    secret = link_path(admin.post("/admin/users/sam/password").text).rsplit("/", 1)[1]
    with_provider(admin)
    switch(admin, "off", store=store)
    with pytest.raises(Forbidden):
        set_password_by_link(store, secret, "mine and only mine", "mine and only mine", "10.0.0.1")
    assert account_service.check_password(store, "sam", "mine and only mine") is None


def test_when_off_a_new_account_gets_no_link(off, store):
    response = off.post("/admin/users/new", data={"name": "newt", "role": "staff", "team": HR})
    assert response.status_code == 302
    assert "signs in through the identity provider" in off.get(response.headers["Location"]).text
    assert store.scan(credential_service.SIGN_IN_LINKS, {"user": "newt"}) == []


def test_when_off_api_tokens_keep_working(off, app, tokens):
    answer = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {tokens['sam']}"})
    assert answer.status_code == 200 and answer.json["name"] == "sam"


def test_the_break_glass_administrator_cannot_be_deactivated(off, app, store):
    ada = app.test_client()
    switch(off, "off", "ada", store=store)  # ada breaks glass now; root deactivates her
    response = off.post("/admin/users/ada/active", data={"active": "no"})
    assert response.status_code == 422 and "break-glass administrator" in response.text
    assert not account_service.account(store, "ada").get("disabled")
    assert sign_in(ada, "ada").status_code == 302


def test_the_break_glass_administrator_keeps_the_administrator_role(off, store):
    switch(off, "off", "ada", store=store)
    version = account_service.account(store, "ada")["version"]
    response = off.post("/admin/users/ada", data={"version": version, "role": "staff"})
    assert response.status_code == 422 and "Ada is the break-glass administrator" in response.text
    assert account_service.account(store, "ada")["roles"] == ["admin"] and role_change_service.pending(store) == []


def test_a_removal_proposed_before_someone_broke_glass_cannot_be_confirmed(off, store):
    version = account_service.account(store, "ada")["version"]
    assert off.post("/admin/users/ada", data={"version": version, "role": "staff"}).status_code == 302
    [proposal] = role_change_service.pending(store)
    switch(off, "off", "ada", store=store)
    account_service.add_user(store, "eve", PASSWORD, ["admin"])
    with pytest.raises(Invalid):
        role_change_service.decide(store, account_service.find_user(store, "eve"), audit_service.Actor("eve"),
                                   proposal["id"], "confirm")
    assert "admin" in account_service.account(store, "ada")["roles"]


def test_switching_back_on_lets_everyone_use_their_password(off, app, store):
    assert switch(off, "on", "", store=store).status_code == 302
    assert sign_in(app.test_client(), "sam").status_code == 302
