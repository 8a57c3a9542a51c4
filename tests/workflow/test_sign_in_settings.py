"""The rules of how people sign in: who may still use a password when local passwords are off,
who may break glass, when passwords may be switched off, and which provider settings hold."""
import pytest

from workflow import sign_in_settings as rules

ADMIN = {"name": "root", "roles": ["admin"], "password_hash": "$argon2id$..."}
PROVIDER = {"issuer": "https://login.microsoftonline.com/t/v2.0", "client_id": "app", "client_secret": "s"}
TEAMS = ["Human Resources", "Race & Diversity Unit"]


@pytest.mark.parametrize("name, on, break_glass, allowed", [
    ("kim", True, None, True),            # on: everyone
    ("kim", True, "root", True),
    ("root", False, "root", True),        # off: the break-glass administrator only
    ("kim", False, "root", False),
    ("kim", False, None, False),
    ("", False, "", False),               # no break-glass named matches nobody, not the empty name
])
def test_only_the_break_glass_administrator_may_use_a_password_when_they_are_off(name, on, break_glass, allowed):
    assert rules.password_allowed(name, on, break_glass) is allowed


@pytest.mark.parametrize("record, why", [
    (None, "Choose the administrator"),
    ({**ADMIN, "roles": ["head"]}, "not an administrator"),
    ({**ADMIN, "disabled": True}, "deactivated"),
    ({**ADMIN, "password_hash": None}, "no password"),
])
def test_switching_off_needs_an_active_administrator_with_a_password(record, why):
    assert why in rules.break_glass_errors(record, passwords_on=False)["break_glass"]


def test_a_qualified_administrator_may_break_glass_and_none_is_needed_while_passwords_are_on():
    assert rules.break_glass_errors(ADMIN, passwords_on=False) == {}
    assert rules.break_glass_errors(None, passwords_on=True) == {}
    assert "not an administrator" in rules.break_glass_errors({**ADMIN, "roles": ["staff"]}, True)["break_glass"]


@pytest.mark.parametrize("missing", rules.NEEDED)
def test_passwords_stay_on_until_a_provider_is_there_for_everyone_else(missing):
    assert rules.switch_off_errors(PROVIDER) == {}
    assert "local_passwords" in rules.switch_off_errors({**PROVIDER, missing: None})


@pytest.mark.parametrize("issuer, good", [
    ("https://login.microsoftonline.com/tenant/v2.0", True),
    ("https://sso.example.org/realms/staff", True),
    ("http://127.0.0.1:8765", True),            # a provider on this machine (tests, a trial)
    ("http://localhost:8080/realms/x", True),
    ("http://sso.example.org/realms/staff", False),  # tokens over plain http to another host
    ("ftp://sso.example.org", False),
    ("https://sso.example.org/?x=1", False),
    ("https://", False),
    ("javascript:alert(1)", False),
    ("https://" + "a" * 300 + ".org", False),
])
def test_the_issuer_is_an_https_address(issuer, good):
    assert (rules.issuer_errors(issuer) == {}) is good


def test_a_group_maps_to_a_known_team_and_staff_or_team_leader_only():
    mapped, errors = rules.group_map_from_rows(
        [("hr-staff", "Human Resources", "staff"), ("", "", ""), ("rdu-leads", "Race & Diversity Unit", "team_leader")],
        TEAMS)
    assert errors == {}
    assert mapped == {"hr-staff": {"team": "Human Resources", "role": "staff"},
                      "rdu-leads": {"team": "Race & Diversity Unit", "role": "team_leader"}}


@pytest.mark.parametrize("role", ["head", "chief_executive", "eodb", "admin", "smt", ""])
def test_no_group_grants_a_role_with_power(role):
    mapped, errors = rules.group_map_from_rows([("g", "Human Resources", role)], TEAMS)
    assert mapped == {} and "role.0" in errors


def test_each_bad_row_is_named_and_nothing_is_kept():
    mapped, errors = rules.group_map_from_rows(
        [("g", "Human Resources", "staff"), ("g", "Nowhere", "staff"), ("x\ny", "Human Resources", "staff")], TEAMS)
    assert mapped == {}
    assert set(errors) == {"group.1", "team.1", "group.2"}
