"""The complaints and compliments log's pages: recording and changing an entry (GOV.UK
question page with an error summary, a stale save refused), the log with complaints by strand
per year, counting a team's log into a draft dataset, and the person's details reaching only
the team concerned and the Head at every door."""
import pytest

from services import audit_service, complaint_service
from tests.conftest import HR, PP, RDU
from tests.web.browsing import sign_in

PERSON = ("Ada Quirkworth", "ada.quirkworth@example.org", "REF-QX-77")


def entry_form(**change):
    return {"kind": "complaint", "received": "2007-06-04", "channel": "email", "team": HR,
            "strands": ["race", "disability"], "summary": "Refused a leaflet in large print.",
            "outcome": "", "closed": "", "name": PERSON[0], "contact": PERSON[1], "reference": PERSON[2], **change}


@pytest.fixture
def people(make_user):
    make_user("head", "head", teams=(RDU,), trained="2006-03-01")
    make_user("hr_lead", "team_leader", teams=(HR,))
    make_user("hr_staff", "staff", teams=(HR,))
    make_user("pp_staff", "staff", teams=(PP,))
    make_user("pp_lead", "team_leader", teams=(PP,))
    make_user("board", "eodb", teams=(HR,))
    make_user("smt", "smt")
    make_user("admin", "admin")


@pytest.fixture
def recorded(client, people):
    """An entry about Human Resources, recorded by its staff from the page: its id."""
    sign_in(client, "hr_staff")
    response = client.post("/complaints/new", data=entry_form())
    assert response.status_code == 302, response.text
    return response.headers["Location"].rsplit("/", 1)[1]


def test_an_entry_recorded_from_the_page_is_shown_to_its_team_with_the_persons_details(client, recorded):
    page = client.get(f"/complaints/{recorded}").text
    assert "The entry is recorded in the log." in page and "Refused a leaflet in large print." in page
    assert all(detail in page for detail in PERSON) and "Race, Disability" in page


def test_a_bad_entry_is_refused_with_an_error_summary_and_nothing_is_recorded(client, people, store):
    sign_in(client, "hr_staff")
    response = client.post("/complaints/new", data=entry_form(received="2007-06-04", closed="2007-06-01",
                                                            outcome="passed_on", channel=""))
    assert response.status_code == 422
    page = response.text
    assert "There is a problem" in page and 'href="#closed"' in page and 'href="#outcome"' in page
    assert "The date closed must be the same as or after the date received" in page
    assert "Select how it came in" in page and 'aria-invalid="true"' in page
    assert PERSON[0] in page  # what was typed is kept for the keeper to correct
    assert store.scan(complaint_service.COMPLAINTS) == []


def test_a_stale_save_is_refused_on_the_form_and_changes_nothing(client, recorded, store):
    version = store.get(complaint_service.COMPLAINTS, recorded)["version"]
    sign_in(client, "hr_lead")
    assert client.post(f"/complaints/{recorded}/edit", data={**entry_form(outcome="upheld", closed="2007-07-01"),
                                                             "version": version}).status_code == 302
    stale = client.post(f"/complaints/{recorded}/edit", data={**entry_form(outcome="not_upheld",
                                                                           closed="2007-07-02"), "version": version})
    assert stale.status_code == 409 and "Someone else changed this entry" in stale.text
    assert store.get(complaint_service.COMPLAINTS, recorded)["outcome"] == "upheld"
    assert [e["action"] for e in audit_service.entries(store)
            if e["kind"] == "complaint"] == ["changed", "recorded"]


def test_the_log_shows_complaints_by_strand_per_year(client, recorded):
    client.post("/complaints/new", data=entry_form(received="2008-04-10", strands=["race"]))
    client.post("/complaints/new", data=entry_form(kind="compliment", strands=["race"]))
    page = client.get("/complaints").text
    rows = page.split("<h2>Complaints by equality strand</h2>")[1].split("<h2>The log</h2>")[0]
    # Years as columns: race, gender, disability, age, sexual orientation, religion or belief.
    assert "<th scope=\"row\">2008/09</th><td>1</td><td>0</td><td>0</td>" in rows
    assert "<th scope=\"row\">2007/08</th><td>1</td><td>0</td><td>1</td>" in rows


def test_a_teams_leader_counts_its_log_into_a_draft_dataset(client, recorded, store):
    sign_in(client, "hr_lead")
    response = client.post("/complaints/dataset", data={"team": HR, "period": "2007-08"})
    assert response.status_code == 302
    [doc] = store.scan("documents")
    assert response.headers["Location"].endswith(f"/documents/{doc['id']}")
    assert (doc["kind"], doc["state"], doc["title"]) == ("monitoring", "draft",
                                                        "Complaints and compliments, Human Resources, 2007/08")
    assert sorted((r["strand"], r["group"], r["count"]) for r in doc["fields"]["rows"]) == [
        ("disability", "Not yet closed", 1), ("race", "Not yet closed", 1)]
    refused = client.post("/complaints/dataset", data={"team": HR, "period": "2005-06"})
    assert refused.status_code == 422 and "there is nothing to count" in refused.text
    assert len(store.scan("documents")) == 1


@pytest.mark.parametrize("who", ["pp_staff", "pp_lead", "smt"])
def test_other_staff_read_the_log_without_the_persons_details_and_cannot_change_it(client, recorded, who):
    sign_in(client, who)
    for address in ("/complaints", f"/complaints/{recorded}", f"/complaints?team={HR}"):
        page = client.get(address)
        assert page.status_code == 200 and "Refused a leaflet" in client.get(f"/complaints/{recorded}").text
        assert not any(detail in page.text for detail in PERSON), address
    assert client.get(f"/complaints/{recorded}/edit").status_code == 403
    assert client.post(f"/complaints/{recorded}/edit", data={**entry_form(), "version": 1}).status_code == 403
    assert client.post("/complaints/dataset", data={"team": HR, "period": "2007-08"}).status_code == 403


@pytest.mark.parametrize("who", ["board", "admin", None])
def test_the_board_administrators_and_the_public_do_not_reach_the_log(client, recorded, who):
    client.post("/sign-out")
    if who:
        sign_in(client, who)
    for address in ("/complaints", f"/complaints/{recorded}", f"/complaints/{recorded}/edit", "/complaints/new"):
        response = client.get(address)
        assert response.status_code in ((404,) if who else (302, 401, 404)), address
        assert not any(detail in response.text for detail in PERSON)


@pytest.mark.parametrize("who", ["pp_staff", "smt", "board", "admin", "head", None])
def test_the_persons_details_reach_no_other_door(client, recorded, who):
    """Search, the document list, the audit log, the API and the public register never hold them
    (a search answers with the words searched for: the other two details are looked for there)."""
    client.post("/sign-out")
    if who:
        sign_in(client, who)
    searches = [(f"{door}?q={searched}", [d for d in PERSON if d != searched])
                for door in ("/documents", "/register", "/api/v1/documents") for searched in PERSON]
    for address, details in [*searches, *((door, PERSON) for door in ("/audit", "/register", "/register.csv"))]:
        response = client.get(address)
        assert response.status_code < 500 and not any(detail in response.text for detail in details), address


def test_an_unknown_kind_in_the_address_is_said_and_both_are_listed(client, recorded):
    response = client.get("/complaints?kind=grumbles")
    assert response.status_code == 422
    assert 'href="#kind"' in response.text and "Select complaints, compliments or both" in response.text
    assert f'href="/complaints/{recorded}"' in response.text
