"""The rules of signing in with the identity provider (workflow.identity)."""
import pytest

from workflow import identity
from workflow.accounts import NAME
from workflow.errors import Invalid

ISSUER = "https://id.example.org"
MAP = {"hr": {"team": "Human Resources", "role": "staff"},
       "hr-leads": {"team": "Human Resources", "role": "team_leader"}}


@pytest.mark.parametrize("role", ["head", "chief_executive", "eodb", "admin", "smt", "owner"])
def test_a_group_map_cannot_grant_any_role_but_staff_or_team_leader(role):
    with pytest.raises(Invalid) as refused:
        identity.parse_group_map(f'{{"g": {{"team": "Human Resources", "role": "{role}"}}}}')
    assert "staff or team leader" in refused.value.details["group_map"]


@pytest.mark.parametrize("text", ["not json", "[1, 2]", '{"g": "Human Resources"}', '{"g": {"team": " "}}',
                                  '{"g": {"team": "HR", "colour": "red"}}'])
def test_a_malformed_group_map_is_refused_in_plain_words(text):
    with pytest.raises(Invalid) as refused:
        identity.parse_group_map(text)
    assert "group map" in refused.value.reason.lower() or refused.value.details


def test_a_stored_group_map_is_checked_as_one_given_as_json():
    assert identity.parse_group_map(MAP) == MAP
    with pytest.raises(Invalid):
        identity.parse_group_map({"heads": {"role": "eodb"}})


def test_claims_grant_only_mapped_teams_and_grantable_roles_even_from_a_tampered_map():
    tampered = {**MAP, "heads": {"team": "Race & Diversity Unit", "role": "head"}}
    teams, roles = identity.granted({"groups": ["hr-leads", "heads", "unknown", 7]}, "groups", tampered)
    assert (teams, roles) == ({"Human Resources", "Race & Diversity Unit"}, {"team_leader"})


def test_the_groups_claim_is_configurable_and_may_be_one_string():
    assert identity.granted({"roles": "hr"}, "roles", MAP) == ({"Human Resources"}, {"staff"})
    assert identity.granted({"groups": ["hr"]}, "roles", MAP) == (set(), set())


def test_accounts_match_by_subject_first_then_once_by_verified_email():
    bound = {"name": "ann", "oidc_issuer": ISSUER, "oidc_sub": "1", "email": "cy@example.org"}
    unbound = {"name": "cy", "email": "CY@example.org"}
    claims = {"sub": "2", "email": "cy@example.org", "email_verified": True}
    assert identity.matching_account([bound, unbound], ISSUER, {"sub": "1"}) == ("sub", bound)
    assert identity.matching_account([unbound], ISSUER, claims) == ("email", unbound)
    assert identity.matching_account([unbound], ISSUER, {**claims, "email_verified": False}) == (None, None)
    assert identity.matching_account([unbound], ISSUER, {**claims, "email_verified": "true"}) == (None, None)
    # The same subject at another issuer is another person.
    assert identity.matching_account([bound], "https://other.example.org", {"sub": "1"}) == (None, None)


def test_an_account_bound_to_another_subject_is_stale_not_taken():
    bound = {"name": "cy", "oidc_issuer": ISSUER, "oidc_sub": "1", "email": "cy@example.org"}
    how, record = identity.matching_account([bound], ISSUER, {"sub": "2", "email": "cy@example.org",
                                                              "email_verified": True})
    assert how == "stale"
    with pytest.raises(identity.Refused, match="different identity"):
        identity.refusal(how, record)


def test_a_deactivated_account_is_refused():
    with pytest.raises(identity.Refused, match="deactivated"):
        identity.refusal("sub", {"name": "ann", "disabled": True})
    assert identity.refusal("sub", {"name": "ann"}) is None


def test_a_first_sign_in_creates_a_staff_account_with_no_privileged_role_and_no_password():
    claims = {"sub": "9", "preferred_username": "ann smith", "email": "Ann@Example.org", "email_verified": True}
    record = identity.new_account(claims, ["ann.smith"], ISSUER, (frozenset({"HR"}), frozenset()), "2026-12-05")
    assert record["name"] == "ann.smith2" and record["roles"] == ["staff"] and record["teams"] == ["HR"]
    assert record["password_hash"] is None and record["email"] == "ann@example.org"
    assert (record["oidc_sub"], record["oidc_issuer"], record["oidc_unknown"]) == ("9", ISSUER, False)


def test_a_sign_in_adds_what_groups_grant_and_keeps_roles_given_by_hand():
    record = {"name": "bo", "roles": ["head"], "teams": ["Race & Diversity Unit"], "oidc_unknown": True}
    after = identity.signed_in_record(record, ISSUER, {"sub": "5"},
                                      (frozenset({"Human Resources"}), frozenset({"team_leader"})), "now")
    assert after["roles"] == ["head", "team_leader"] and after["teams"] == ["Human Resources", "Race & Diversity Unit"]
    assert after["oidc_unknown"] is False and after["oidc_last_seen"] == "now"


@pytest.mark.parametrize("claims", [{"sub": "1"}, {"sub": "1", "preferred_username": "../..\n"},
                                    {"sub": "1", "email": "@example.org"}, {"sub": "1", "preferred_username": "é" * 80}])
def test_a_new_account_name_is_always_a_valid_user_name(claims):
    assert NAME.match(identity.account_name(claims, ["user"]))
