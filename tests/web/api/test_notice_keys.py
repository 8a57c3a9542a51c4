"""A change's notices are keyed by the change, on both backends: making them takes no key from the
store's counter (on PostgreSQL an upsert inside every transition's commit), and a person's notices
of one second still come newest first by document and version."""
import pytest

from services import notice_service
from store import Put
from tests.conftest import HR, complete_eqia


@pytest.fixture
def app_config(store_url):
    return {"STORE": store_url}


def test_a_changes_notices_are_keyed_by_its_document_version_and_person(api, store):
    doc = api.as_("hr_staff").post("/documents", {"kind": "eqia", "title": "Recruitment policy", "team": HR,
                                                  "fields": complete_eqia()}).json
    screened = api.as_("hr_staff").fire(doc, "screen").json
    told = store.scan("notices", {"event": "screened"})
    assert sorted(n["id"] for n in told) == sorted(f"{doc['id']}.{screened['version']}.{n['user']}" for n in told)
    assert {n["user"] for n in told} >= {"hr_lead"}


def test_making_a_changes_notices_takes_no_key_from_the_stores_counter(api, store):
    doc = api.as_("hr_staff").post("/documents", {"kind": "eqia", "title": "Recruitment policy", "team": HR,
                                                  "fields": complete_eqia()}).json
    doc = api.as_("hr_staff").fire(doc, "screen").json
    api.as_("hr_lead").fire(doc, "assess")
    assert len(store.scan("notices")) >= 3
    # A notice of something other than a change (a role granted) still takes the counter's next key: the first.
    stored = store.commit(notice_service.tell(store, ["hr_lead"], "role", "You may now sign off.", "a new role"))
    assert [n["id"] for n in stored] == ["1"]


def test_a_persons_notices_of_one_second_come_newest_first_by_document_and_version(store, cast):
    at = "2026-12-07T09:00:00+00:00"
    record = {"user": "head", "event": "screened", "document": "7", "title": "t", "message": "m", "item": None,
              "read": False}
    keys = ["7.3.head", "12.2.head", "7.4.head", "5", "remind:2026-12-07:head:x"]
    store.commit([Put("notices", key, {**record, "at": at}) for key in keys]
                 + [Put("notices", "3", {**record, "at": "2026-12-07T08:59:59+00:00"})])
    head = next(u for u in notice_service.people(store)[0] if u.name == "head")
    assert [n["id"] for n in notice_service.mine(store, head)] == [
        "12.2.head", "7.4.head", "7.3.head", "5", "remind:2026-12-07:head:x", "3"]
