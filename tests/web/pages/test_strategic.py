"""Key strategic objectives: the roll-up over what the viewer may see, the
per-period table, who keeps the list, and the objective form's strategic select."""
import re

import pytest

from services import period_service
from tests.conftest import HR
from tests.web.browsing import sign_in
from tests.web.pages.test_progress import approved, objective_fields
from workflow.kinds.objective import STATUSES


def entry(period, status):
    return {"period": period, "status": status, "evidence": f"{status} evidence"}


@pytest.fixture
def reported(app, api):
    """Under strategic objective 1: two approved objectives (green, amber in 2007-08), one
    approved whose update to red waits for sign-off, and a draft that is red."""
    period_service.seed_strategic(app.extensions["store"])
    approved(api, title="Green one", progress=[entry("2007-08", "green")])
    approved(api, title="Amber one", progress=[entry("2006-07", "red"), {**entry("2007-08", "amber"),
                                                                         "reason": "work started"}])
    updating = approved(api, title="Updating one", progress=[entry("2007-08", "green")])
    updating = api.as_("hr_lead").fire(updating, "revise").get_json()
    assert api.as_("hr_lead").patch(f"/documents/{updating['id']}", {
        "version": updating["version"], "fields": {"progress": [entry("2007-08", "red")]}}).status_code == 200
    api.as_("hr_lead").post("/documents", {"kind": "objective", "title": "Draft one", "team": HR,
                                           "fields": objective_fields(progress=[entry("2007-08", "red")])})


def counted_from_store(store, period, approved_only):
    """The statuses of strategic objective 1's objectives for `period`, read straight from the store."""
    counts = dict.fromkeys(STATUSES, 0)
    for doc in store.scan("documents"):
        fields = (doc["published"] or {}).get("fields") if approved_only else doc["fields"]
        if fields and fields.get("strategic") == 1:
            for e in fields.get("progress", []):
                if e["period"] == period:
                    counts[e["status"]] += 1
    return counts


def shown_roll_up(html, number):
    section = re.search(rf'id="strategic-{number}".*?</section>', html, re.S).group(0)
    status = re.search(r'Rolled-up status: <span class="rag rag-(\w+)"', section).group(1)
    counts = {s: int(n) for s, n in re.findall(r'<li><span class="rag rag-(\w+)">[^<]*</span> (\d+)</li>', section)}
    return status, counts


@pytest.mark.usefixtures("reported")
def test_the_roll_up_on_the_page_equals_a_count_made_from_the_store(client, store):
    sign_in(client, "head")
    status, counts = shown_roll_up(client.get("/strategic").text, 1)  # the latest period with progress
    assert counts == counted_from_store(store, "2007-08", approved_only=False)
    assert counts == {"red": 2, "amber": 1, "amber_green": 0, "green": 1}
    assert status == "red"  # the weakest member's


@pytest.mark.usefixtures("reported")
def test_a_board_members_roll_up_counts_approved_revisions_only(client, store):
    sign_in(client, "board")
    page = client.get("/strategic?period=2007-08").text
    status, counts = shown_roll_up(page, 1)
    assert counts == counted_from_store(store, "2007-08", approved_only=True)
    assert counts == {"red": 0, "amber": 1, "amber_green": 0, "green": 2}
    assert status == "amber"
    assert "Draft one" not in page


@pytest.mark.usefixtures("reported")
def test_an_earlier_period_rolls_up_its_own_progress(client):
    sign_in(client, "board")
    status, counts = shown_roll_up(client.get("/strategic?period=2006-07").text, 1)
    assert status == "red" and counts["red"] == 1


@pytest.mark.usefixtures("reported")
def test_one_strategic_objective_shows_its_objectives_status_per_period(client):
    sign_in(client, "board")
    page = client.get("/strategic/1").text
    assert "<th scope=\"col\">2006/07</th><th scope=\"col\">2007/08</th>" in page
    row = re.search(r"Amber one</a></th>(.*?)</tr>", page, re.S).group(1)
    assert re.findall(r'rag-(\w+)"', row) == ["red", "amber"]
    assert "Draft one" not in page
    assert client.get("/strategic/42").status_code == 404


def test_an_unknown_period_is_refused_with_a_message(client, cast):
    sign_in(client, "board")
    response = client.get("/strategic?period=1999")
    assert response.status_code == 422 and "choose one of the periods listed" in response.text


def test_the_head_adds_and_retitles_strategic_objectives(app, client, cast):
    sign_in(client, "head")
    assert client.post("/strategic/new", data={"number": "10", "title": "Embed the GES"}).status_code == 302
    taken = client.post("/strategic/new", data={"number": "10", "title": "Again"})
    assert taken.status_code == 422 and "Objective 10 already exists" in taken.text
    blank = client.post("/strategic/new", data={"number": "11", "title": "  "})
    assert blank.status_code == 422 and 'id="title-error"' in blank.text
    record = period_service.list_strategic(app.extensions["store"])[0]
    assert client.post("/strategic/10/edit", data={"title": "Embed the Generic Equality Scheme",
                                                   "version": str(record["version"])}).status_code == 302
    stale = client.post("/strategic/10/edit", data={"title": "Stale", "version": str(record["version"])})
    assert stale.status_code == 409 and "Stale" in stale.text
    assert "Embed the Generic Equality Scheme" in client.get("/strategic/10").text


@pytest.mark.parametrize("who", ["hr_staff", "hr_lead", "board"])
def test_only_the_head_or_an_administrator_keeps_the_strategic_objectives(app, client, cast, who):
    period_service.seed_strategic(app.extensions["store"])
    sign_in(client, who)
    assert client.get("/strategic/new").status_code == 403
    assert client.post("/strategic/new", data={"number": "10", "title": "X"}).status_code == 403
    assert client.post("/strategic/1/edit", data={"title": "X", "version": "1"}).status_code == 403
    assert "Edit the title" not in client.get("/strategic/1").text


def test_the_objective_form_writes_the_strategic_objective_and_what_became_of_it(app, client, cast):
    period_service.seed_strategic(app.extensions["store"])
    sign_in(client, "hr_lead")
    form = client.get("/documents/new?kind=objective").text
    assert '<option value="7">7. To work in partnership with the MPS and GLA' in form
    response = client.post("/documents/new?kind=objective", data={
        "title": "Women's safety", "team": HR, "fields.strategic": "7", "fields.disposition": "carried_forward",
        "fields.successor_plan": "Generic Equality Scheme Action Plan"})
    assert response.status_code == 302, response.text
    doc_id = response.headers["Location"].rsplit("/", 1)[1]
    fields = app.extensions["documents"].load(doc_id)["fields"]
    assert fields["strategic"] == 7 and fields["disposition"] == "carried_forward"
    page = client.get(f"/documents/{doc_id}").text
    assert "Objective 7</a>" in page and "Carried forward to a successor plan: Generic Equality Scheme" in page
