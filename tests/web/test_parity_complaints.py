"""The two doors agree on the complaints and compliments log: the same bad entry gets the
same refusal (status, reason, each field and its message) from the page and the API, and
the same good entry stores the same record. The page's inputs are named as the API's keys."""
import pytest

from services import complaint_service
from tests.conftest import HR
from tests.web.browsing import sign_in
from tests.web.test_parity_meetings import kept, same_refusal

GOOD = {"kind": "complaint", "received": "2007-06-04", "channel": "letter", "team": HR,
        "strands": ["race", "age"], "summary": "Not served at the front desk.", "outcome": "upheld",
        "closed": "2007-06-20", "name": "A. Person", "contact": "01234 567890", "reference": "C/123"}


@pytest.mark.parametrize("change", [
    {"closed": "2007-06-01", "channel": "fax"},
    {"kind": "compliment", "strands": ["colour"], "summary": ""},
    {"received": "2007-02-30", "name": "A.\tPerson"},
])
def test_a_bad_entry_is_refused_alike_by_the_page_and_the_api(client, api, store, change):
    bad = {**GOOD, **change}
    sign_in(client, "hr_staff")
    page = client.post("/complaints/new", data=bad)
    by_api = api.as_("hr_staff").post("/complaints", {k: v or None for k, v in bad.items()})
    same_refusal(page, by_api, set(by_api.json["details"]))
    assert by_api.json["details"] and store.scan(complaint_service.COMPLAINTS) == []


def test_a_good_entry_stores_the_same_record_from_either_door(client, api, store):
    sign_in(client, "hr_staff")
    assert client.post("/complaints/new", data=GOOD).status_code == 302
    assert api.as_("hr_staff").post("/complaints", GOOD).status_code == 201
    by_page, by_api = (kept({k: v for k, v in entry.items() if k != "recorded_at"})
                       for entry in store.scan(complaint_service.COMPLAINTS))
    assert by_page == by_api and by_page["person"]["name"] == "A. Person"
