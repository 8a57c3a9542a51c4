"""Numbers written in other scripts' digits ("²", "٣", "①", "³") are refused with a reason
wherever a number comes in (query strings, form fields, the API), never a 500, and change nothing."""
import pytest

from services import period_service
from tests.authz_world import fingerprint
from tests.conftest import HR, complete_eqia
from tests.web.browsing import sign_in

NOT_ASCII = ["²", "٣", "①", "³", "١٢"]


@pytest.fixture
def eqia(api):
    return api.as_("hr_lead").post("/documents", {"kind": "eqia", "title": "Recruitment", "team": HR,
                                                  "fields": complete_eqia()}).json


@pytest.mark.parametrize("digits", NOT_ASCII)
def test_list_pages_refuse_a_page_number_in_other_digits(client, cast, digits):
    sign_in(client, "hr_lead")
    for address in ("/documents", "/register"):
        response = client.get(address, query_string={"page": digits})
        assert response.status_code == 400 or response.status_code == 422, (address, response.status_code)
        assert "whole number" in response.text


@pytest.mark.parametrize("digits", NOT_ASCII)
def test_the_api_refuses_per_page_and_page_in_other_digits(api, digits):
    for name in ("per_page", "page"):
        response = api.as_("hr_lead").get("/documents", **{name: digits})
        assert response.status_code == 422 and name in response.json["details"], response.json


@pytest.mark.parametrize("digits", NOT_ASCII)
def test_comparing_revisions_refuses_from_and_to_in_other_digits(client, eqia, digits):
    sign_in(client, "hr_lead")
    for name in ("from", "to"):
        response = client.get(f"/documents/{eqia['id']}/compare", query_string={name: digits})
        assert response.status_code == 422 and "no such revision" in response.text


@pytest.mark.parametrize("digits", NOT_ASCII)
def test_forms_refuse_a_version_in_other_digits_and_change_nothing(client, store, eqia, digits):
    sign_in(client, "hr_lead")
    before = fingerprint(store)
    for address, form in [(f"/documents/{eqia['id']}/transitions/screen", {}),
                          (f"/documents/{eqia['id']}/assign", {"assignee": "hr_lead"}),
                          (f"/documents/{eqia['id']}/edit", {"title": "Changed", "team": HR})]:
        response = client.post(address, data={"version": digits, **form})
        assert 400 <= response.status_code < 500, (address, response.status_code)
    assert fingerprint(store) == before


@pytest.mark.parametrize("digits", NOT_ASCII)
def test_a_strategic_objective_number_in_other_digits_is_a_field_error(client, store, cast, digits):
    period_service.seed_strategic(store)
    sign_in(client, "head")
    before = fingerprint(store)
    response = client.post("/strategic/new", data={"number": digits, "title": "Another objective"})
    assert response.status_code == 422 and "whole number" in response.text
    edit = client.post("/strategic/1/edit", data={"version": digits, "title": "Renamed"})
    assert 400 <= edit.status_code < 500
    assert fingerprint(store) == before


@pytest.mark.parametrize("digits", NOT_ASCII)
def test_the_standard_settings_refuse_numbers_in_other_digits(client, store, cast, digits):
    sign_in(client, "head")
    before = fingerprint(store)
    response = client.post("/standard/settings", data={"target_level": digits, "target_date": "2009-03-31",
                                                       "cost_per_level": "7000", "version": digits})
    assert response.status_code == 422
    assert fingerprint(store) == before


@pytest.mark.parametrize("digits", NOT_ASCII + ["99999999999999999999999"])
def test_a_number_in_the_path_is_ascii_digits_or_the_page_is_not_found(client, store, cast, digits):
    period_service.seed_strategic(store)
    sign_in(client, "head")
    assert client.get("/strategic/3").status_code == 200
    assert client.get(f"/strategic/{digits}").status_code == 404
    assert client.get(f"/strategic/{digits}/edit").status_code == 404
