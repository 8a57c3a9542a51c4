"""The public register, fetched without credentials: exactly what is approved, nobody's name."""
import csv
import io
import xml.etree.ElementTree as ET

import pytest

from tests.web.api.test_meetings_api import meeting, on_agenda
from tests.web.api.test_progress_api import OBJECTIVE
from tests.browser.keyboard import system_language
from tests.conftest import HR, PP, RDU, Api, complete_eqia
from workflow import search

ATOM = "{http://www.w3.org/2005/Atom}"
# Distinctive names, so that "no name appears" can be checked by searching for them.
NAMES = ("zelda.author", "yuri.leader", "xena.head", "wanda.board", "vic.planner", "uma.plead")


@pytest.fixture
def team(make_user, client):
    """An API client for people with unmistakable names: author, leaders, Head, Board."""
    return Api(client, {
        "zelda.author": make_user("zelda.author", "staff", teams=(HR,)),
        "yuri.leader": make_user("yuri.leader", "team_leader", teams=(HR,)),
        "xena.head": make_user("xena.head", "head", teams=(RDU,), trained="2006-03-01"),
        "wanda.board": make_user("wanda.board", "eodb", trained="2007-01-15"),
        "vic.planner": make_user("vic.planner", "staff", teams=(PP,)),
        "uma.plead": make_user("uma.plead", "team_leader", teams=(PP,)),
    })


def _fire(api, who, doc, name):
    response = api.as_(who).fire(doc, name)
    assert response.status_code == 200, response.json
    return response.json


def eqia(api, title, stage="approve", negative=("age",), pp=False):
    """An EqIA of Human Resources (or Planning & Performance) taken as far as `stage`."""
    author, leader = ("vic.planner", "uma.plead") if pp else ("zelda.author", "yuri.leader")
    doc = api.as_(author).post("/documents", {"kind": "eqia", "title": title, "team": PP if pp else HR,
                                              "fields": complete_eqia(negative)}).json
    for who, name in ((author, "screen"), (leader, "assess"), ("xena.head", "approve")):
        if stage == "draft":
            break
        doc = _fire(api, who, doc, name)
        if name == stage:
            break
    return doc


def objective(api, title, progress=()):
    doc = api.as_("yuri.leader").post("/documents", {"kind": "objective", "title": title, "team": HR,
                                                     "fields": {**OBJECTIVE, "progress": list(progress)}}).json
    for who, name in (("yuri.leader", "screen"), ("yuri.leader", "assess"), ("xena.head", "approve")):
        doc = _fire(api, who, doc, name)
    return doc


@pytest.fixture
def register(team):
    """Drafts, submitted and approved EqIAs, a reviewed one, a revision in progress with
    a secret word, an approved objective with progress and a team plan: name -> document."""
    docs = {"draft": eqia(team, "Draft EqIA", "draft"), "screened": eqia(team, "Screened EqIA", "screen"),
            "assessed": eqia(team, "Submitted EqIA", "assess"), "approved": eqia(team, "Approved recruitment EqIA"),
            "reviewed": eqia(team, "Reviewed EqIA", negative=("disability",)),
            "revised": eqia(team, "Revised EqIA"), "other_team": eqia(team, "Planning EqIA", pp=True, negative=()),
            "objective": objective(team, "Training objective", [
                {"period": "2007-08 Q2", "status": "amber", "evidence": "Half trained"}])}
    as_head = Api(team.client, {"head": team.tokens["xena.head"]})  # the meeting helpers act as "head"
    m = meeting(as_head)
    on_agenda(as_head, m["id"], docs["reviewed"])
    decided = team.as_("wanda.board").post(f"/meetings/{m['id']}/decisions",
                                           {"document": docs["reviewed"]["id"], "decision": "endorsed"})
    assert decided.json["state"] == "reviewed"
    revised = _fire(team, "yuri.leader", docs["revised"], "revise")
    edited = team.as_("yuri.leader").patch(f"/documents/{revised['id']}", {
        "version": revised["version"], "title": "SECRETWORD title",
        "fields": {"subject": "SECRETWORD subject"}})
    assert edited.status_code == 200, edited.json
    docs["plan"] = team.as_("yuri.leader").post("/documents", {"kind": "team_plan", "title": "HR plan", "team": HR,
                                                              "fields": {}}).json
    return docs


PUBLIC = ("approved", "reviewed", "revised", "other_team", "objective")
HIDDEN = ("draft", "screened", "assessed")


def _listed(client, **filters):
    page = client.get("/register", query_string=filters)
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_the_register_lists_exactly_the_approved_and_reviewed_items(client, register):
    html = _listed(client)
    assert "5 items" in html
    for name in ("Approved recruitment EqIA", "Reviewed EqIA", "Revised EqIA", "Planning EqIA", "Training objective"):
        assert name in html
    for name in ("Draft EqIA", "Screened EqIA", "Submitted EqIA", "HR plan", "SECRETWORD"):
        assert name not in html
    eqias = _listed(client, kind="eqia")
    assert "4 items" in eqias and "Training objective" not in eqias


def test_each_visible_item_has_a_public_page_with_its_approved_revision(client, register):
    page = client.get(f"/register/eqia/{register['revised']['id']}").get_data(as_text=True)
    assert "Revised EqIA" in page and "SECRETWORD" not in page
    page = client.get(f"/register/eqia/{register['approved']['id']}").get_data(as_text=True)
    assert "Initial screening" in page and "Mitigations" in page and "1 April 2008" in page
    assert "Head of Race and Diversity" in page
    page = client.get(f"/register/objective/{register['objective']['id']}").get_data(as_text=True)
    assert "Half trained" in page and "Amber" in page


def test_every_other_address_is_404(client, register):
    addresses = [f"/register/eqia/{register[name]['id']}" for name in HIDDEN]
    addresses += [f"/register/team_plan/{register['plan']['id']}", f"/register/eqia/{register['plan']['id']}",
                  f"/register/objective/{register['approved']['id']}", f"/register/eqia/{register['objective']['id']}",
                  "/register/eqia/999", "/register/eqia/abc", "/register/report/1"]
    for address in addresses:
        response = client.get(address)
        assert response.status_code == 404, address
        assert "Not found" in response.get_data(as_text=True) or "no such document" in response.get_data(as_text=True)
    for name in PUBLIC:
        kind = register[name]["kind"]
        assert client.get(f"/register/{kind}/{register[name]['id']}").status_code == 200


def test_the_csv_lists_the_visible_items_only(client, register):
    response = client.get("/register.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert sorted(row["id"] for row in rows) == sorted(register[name]["id"] for name in PUBLIC)
    by_title = {row["title"]: row for row in rows}
    assert by_title["Reviewed EqIA"]["state"] == "Reviewed by the Board"
    assert by_title["Approved recruitment EqIA"]["review_date"] == "2008-04-01"
    assert by_title["Training objective"]["latest_status"] == "Amber"
    assert by_title["Revised EqIA"]["url"].endswith(f"/register/eqia/{register['revised']['id']}")


def test_the_atom_feed_is_valid_and_lists_the_visible_items_newest_first(client, register):
    response = client.get("/register/feed.atom")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed" and feed.find(f"{ATOM}updated").text
    entries = feed.findall(f"{ATOM}entry")
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert sorted(titles) == sorted(["Approved recruitment EqIA", "Reviewed EqIA", "Revised EqIA",
                                     "Planning EqIA", "Training objective"])
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert all(e.find(f"{ATOM}id").text and e.find(f"{ATOM}link").get("href") for e in entries)


def test_no_name_of_an_author_approver_or_board_member_appears(client, register):
    pages = [_listed(client), client.get("/register.csv").get_data(as_text=True),
             client.get("/register/feed.atom").get_data(as_text=True)]
    pages += [client.get(f"/register/{register[n]['kind']}/{register[n]['id']}").get_data(as_text=True) for n in PUBLIC]
    for text in pages:
        for name in NAMES:
            assert name not in text


def test_a_search_for_a_name_finds_nothing(client, register):
    assert "0 items match" in _listed(client, q="zelda")


def test_filters_by_strand_and_team(client, register):
    disability = _listed(client, strand="disability")
    assert "1 item match" in disability and "Reviewed EqIA" in disability
    race = _listed(client, strand="race")  # the objective's strand
    assert "1 item match" in race and "Training objective" in race
    planning = _listed(client, team=PP)
    assert "1 item match" in planning and "Planning EqIA" in planning
    assert "0 items match" in _listed(client, team=HR, kind="team_plan")


def test_search_finds_words_of_the_approved_revision_only(client, register):
    found = _listed(client, q="specific TRAINING")
    assert "1 item match" in found and "Training objective" in found
    assert "0 items match" in _listed(client, q="SECRETWORD")
    assert "0 items match" in _listed(client, q="Draft EqIA")


def test_bad_filters_are_400_with_a_reason(client, register):
    response = client.get("/register", query_string={"strand": "colour"})
    assert response.status_code == 400
    assert "Select the strand: one of Race, Gender" in response.get_data(as_text=True)


def test_an_anonymous_visitor_finds_the_register_in_the_navigation(client):
    assert 'href="/register"' in client.get("/sign-in").get_data(as_text=True)


def test_anonymous_visitors_are_pointed_to_the_register_not_to_sign_in_pages(client):
    missing = client.get("/register/eqia/999")
    assert missing.status_code == 404 and 'href="/register">Back to the public register' in missing.text
    assert '<p class="product"><a href="/">' in missing.text
    front = client.get("/")  # the product's name leads an anonymous visitor to the register
    assert front.status_code == 200 and "<h1>Public register</h1>" in front.text


@pytest.mark.parametrize("name", search.ARGUMENTS)
def test_a_bad_filter_is_named_in_words_never_by_its_parameter(client, register, name):
    response = client.get("/register", query_string={name: "x" * 300 if name == "q" else "colour?"})
    page = response.get_data(as_text=True)
    if response.status_code == 200:
        assert "error-summary" not in page  # a filter the register ignores
        return
    summary = page[page.index('class="error-summary"'):]
    summary = summary[:summary.index("</div>")]
    assert f">{name}: " not in summary and system_language(summary) == [], summary
