"""Reporting periods are checked to 1900-01 .. 2199-00 wherever they come in, and a code
out of that range already in the store (a backup, an older version, a hand edit) never
makes a page or an answer fail: the pages and the API skip what they cannot read."""
import pytest

from services import period_service
from services.document_service import DOCS
from store import Put
from tests.web.api.test_reports_api import nine_objectives
from tests.authz_world import fingerprint
from tests.web.browsing import sign_in
from tests.web.pages.test_progress import approved
from tests.web.pages.test_reports import generated, rdu_lead  # noqa: F401 (a fixture)

OUT_OF_RANGE = ["9999-00", "9999-00 Q1", "1899-00", "2200-01", "0000-01"]
# What a store may hold in a progress entry's period: out of range, malformed, or not text at all.
STORED = ["9999-00", "9999-00 Q4", "0000-01", "2007-08\n", "", None, 42, ["2007-08"]]


@pytest.mark.parametrize("code", OUT_OF_RANGE)
def test_the_api_refuses_progress_for_a_period_out_of_range(api, store, code):
    doc = api.as_("hr_lead").post("/documents", {"kind": "objective", "title": "Objective", "team": "Human Resources",
                                                 "fields": {}}).json
    before = fingerprint(store)
    put = api.as_("hr_lead").put(f"/documents/{doc['id']}/progress/{code}", {"version": doc["version"],
                                                                             "status": "green", "evidence": "e"})
    assert put.status_code == 422 and "1900-01 to 2199-00" in put.json["details"]["fields.progress.new.period"]
    patch = api.as_("hr_lead").patch(f"/documents/{doc['id']}", {"version": doc["version"], "fields": {
        "progress": [{"period": code, "status": "green", "evidence": "e"}]}})
    assert patch.status_code == 422 and "1900-01 to 2199-00" in patch.json["details"]["fields.progress.0.period"]
    opened = api.as_("head").post("/periods", {"code": code})
    assert opened.status_code == 422 and "1900-01 to 2199-00" in opened.json["details"]["code"]
    assert fingerprint(store) == before


@pytest.mark.parametrize("code", OUT_OF_RANGE)
def test_filters_refuse_a_period_out_of_range_with_a_message(api, client, code):
    listed = api.as_("hr_lead").get("/documents", period=code)
    assert listed.status_code == 422 and "1900-01 to 2199-00" in listed.json["details"]["period"]
    report = api.as_("head").get("/reports/progress", period=code)
    assert report.status_code == 422
    sign_in(client, "head")
    for address in ("/documents", "/dashboard", "/strategic", "/register"):
        response = client.get(address, query_string={"period": code})
        assert 400 <= response.status_code < 500, (address, response.status_code)
        assert "like 2007-08" in response.text or "choose one of the periods listed" in response.text, address


@pytest.mark.parametrize("code", OUT_OF_RANGE)
def test_opening_a_period_out_of_range_on_the_page_is_a_field_error(client, store, cast, code):
    sign_in(client, "head")
    before = fingerprint(store)
    response = client.post("/periods", data={"code": code})
    assert response.status_code == 422 and "1900-01 to 2199-00" in response.text
    assert fingerprint(store) == before


@pytest.fixture
def stored_bad_periods(api, store):
    """An approved objective whose stored progress (working copy and approved revision)
    holds periods no form would accept, an open period record of 9999-00, and a Board status for it."""
    period_service.seed_strategic(store)
    assert api.as_("head").post("/periods", {"code": "2007-08"}).status_code == 201
    doc = approved(api, progress=[{"period": "2007-08", "status": "green", "evidence": "good"}])
    stored = store.get(DOCS, doc["id"])
    bad = [{"period": code, "status": "red", "evidence": "bad"} for code in STORED]
    fields = {**stored["fields"], "progress": stored["fields"]["progress"] + bad}
    published = {**stored["published"], "fields": {**stored["published"]["fields"], "progress": fields["progress"]}}
    store.commit([Put(DOCS, doc["id"], {**stored, "fields": fields, "published": published,
                                        "board_statuses": {"9999-00": {
                                            "proposed": "red", "proposed_reason": None, "agreed": "amber",
                                            "agreed_reason": "why", "meeting": "1", "at": "2007-03-01"}}},
                      expected_version=stored["version"]),
                  Put(period_service.PERIODS, "9999-00", {"code": "9999-00", "label": "9999/00",
                                                     "starts": "9999-04-01", "ends": "10000-03-31"})])
    return doc["id"]


PAGES = ["/", "/dashboard", "/dashboard?period=2007-08", "/documents", "/documents?kind=objective",
         "/documents?period=2007-08", "/documents/{id}", "/documents/{id}/progress", "/documents/{id}/compare",
         "/strategic", "/strategic?period=2007-08", "/strategic/1", "/reports", "/reports/generate", "/periods",
         "/reporting-cycle", "/overdue", "/register", "/register?period=2007-08", "/register/objective/{id}",
         "/register.csv", "/register/feed.atom"]
ANSWERS = ["/documents", "/documents?period=2007-08", "/documents/{id}", "/documents/{id}/progress", "/periods",
           "/reports/progress?period=2007-08", "/documents/{id}/history"]


@pytest.mark.parametrize("who", [None, "head", "hr_lead", "board", "smt"])
def test_pages_survive_periods_out_of_range_in_the_store(client, stored_bad_periods, who):
    if who:
        sign_in(client, who)
    for page in PAGES:
        response = client.get(page.format(id=stored_bad_periods))
        assert response.status_code < 500, (who, page, response.status_code)
    if who in ("head", "board"):
        shown = client.get(f"/documents/{stored_bad_periods}").text
        assert "2007/08" in shown  # the readable entry is still shown


@pytest.mark.parametrize("who", ["head", "hr_lead", "board", "smt"])
def test_the_api_survives_periods_out_of_range_in_the_store(api, stored_bad_periods, who):
    for answer in ANSWERS:
        path, _, query = answer.format(id=stored_bad_periods).partition("?")
        response = api.as_(who).get(path, **dict([query.split("=")] if query else []))
        assert response.status_code < 500, (who, answer, response.status_code)
    assert [p["code"] for p in api.as_(who).get("/periods").json["items"]] == ["2007-08"]


@pytest.mark.parametrize("stored", ["9999-00", "2007-08\n", "2007-08\r\nSet-Cookie: a=b", None, 42])
def test_a_report_whose_stored_period_is_out_of_range_is_still_served_in_every_format(client, api, store, rdu_lead,  # noqa: F811
                                                                                      stored):
    nine_objectives(api)
    url = generated(client)
    report = store.get(DOCS, url.rsplit("/", 1)[1])
    store.commit([Put(DOCS, report["id"], {**report, "fields": {**report["fields"], "period": stored}},
                      expected_version=report["version"])])
    for address in (url, url + ".pdf", url + ".md", url + "/status.csv", url + "/edit"):
        response = client.get(address)
        assert response.status_code == 200, (address, response.status_code)
        assert "\n" not in response.headers.get("Content-Disposition", "")
