"""The two doors agree: for each use case of Board meetings and reports reachable from both
a page and the API, the same bad input gets the same refusal (status, field, reason) from
each, and the same good input stores the same record.

A page names a field by its input (an agenda item's decision inputs carry the item's
prefix, the report form's inputs are `fields.*`); the API by its key. Each test says
how one maps to the other; the messages are the same words from both doors.
"""
import html
import re

import pytest

from tests.web.api.test_meetings_api import PAST, approved_eqia, meeting, on_agenda
from tests.web.api.test_progress_api import approved_objective
from tests.web.api.test_reports_api import nine_objectives
from tests.conftest import HR
from tests.web.browsing import sign_in
from web.pages.report_pages import GENERATE_INPUTS
from workflow.kinds.report import TEAM as RDU
from workflow.reports import DEFAULT_AUTHOR

# When each record was made, and which others it links to (ids, the history chain's
# hashes): never the same for two records, whichever door made them.
NOT_COMPARED = {"id", "version", "created_at", "updated_at", "added_at", "at", "meeting", "document", "hash", "prev"}


def page_refusal(response):
    """(status, the reason said above the form, {input id: what the summary says of it})
    of a refused page: the summary links each message to its input, shown or not."""
    reason = re.search(r"There is a problem</h2>\s*<p>(.*?)</p>", response.text, re.S)
    summary = re.findall(r'<li><a href="#([^"]+)">(.*?)</a></li>', response.text, re.S)
    return (response.status_code, html.unescape(reason.group(1)) if reason else None,
            {input_id: html.unescape(said) for input_id, said in summary})


def same_refusal(page, api, fields, inputs=()):
    """Both doors refused alike: the same status and reason, and the API's `fields` are the
    page's inputs (named as `inputs` maps them), each with the same message, which the page
    may put after its input's label."""
    status, reason, said = page_refusal(page)
    details = api.json.get("details", {})
    assert (status, reason) == (api.status_code, api.json["error"][:1].upper() + api.json["error"][1:]), said
    assert set(details) == set(fields), details
    by_input = {dict(inputs).get(key, key).replace(".", "-"): key for key in fields}
    assert set(said) == set(by_input), (said, details)
    for input_id, key in by_input.items():
        assert said[input_id].endswith(details[key]), (said, details)


def kept(record):
    """A stored record without what only says when and as which version it was made."""
    if isinstance(record, dict):
        return {key: kept(value) for key, value in record.items() if key not in NOT_COMPARED}
    if isinstance(record, list):
        return [kept(value) for value in record]
    return record


# Creating a meeting

@pytest.mark.parametrize("bad", [
    {"title": "", "date": "6 December 2007"},
    {"title": "EODB\nAgenda", "date": PAST},
    {"title": "EODB", "date": "2007-02-30", "venue": "x" * 201},
])
def test_a_bad_meeting_is_refused_alike_by_the_page_and_the_api(client, api, bad):
    sign_in(client, "head")
    page = client.post("/meetings/new", data=bad)
    answer = api.as_("head").post("/meetings", bad)
    same_refusal(page, answer, set(answer.json["details"]))
    assert api.as_("head").get("/meetings").json["items"] == []


def test_a_meeting_arranged_on_the_page_is_the_one_the_api_stores(client, api):
    given = {"title": "  EODB  ", "date": PAST, "venue": " 10 Dean Farrar St "}
    by_api = api.as_("head").post("/meetings", given).json
    sign_in(client, "head")
    address = client.post("/meetings/new", data=given).headers["Location"]
    by_page = api.as_("head").get("/meetings/" + address.rsplit("/", 1)[1]).json
    assert kept(by_page) == kept(by_api) and by_page["title"] == "EODB"


def test_who_may_not_arrange_a_meeting_or_build_its_agenda_is_refused_alike(client, api):
    m, doc = meeting(api), approved_eqia(api)
    for who in ("board", "hr_lead"):
        sign_in(client, who)
        page = client.post("/meetings/new", data={"title": "EODB", "date": PAST})
        answer = api.as_(who).post("/meetings", {"title": "EODB", "date": PAST})
        assert page.status_code == answer.status_code == 403
        page = client.post(f"/meetings/{m['id']}/items", data={"document": doc["id"]})
        answer = api.as_(who).post(f"/meetings/{m['id']}/items", {"document": doc["id"]})
        assert page.status_code == answer.status_code == 403
    assert [made["id"] for made in api.as_("head").get("/meetings").json["items"]] == [m["id"]]
    assert api.as_("head").get(f"/meetings/{m['id']}").json["items"] == []


# Adding an agenda item

def test_a_bad_agenda_item_is_refused_alike_by_the_page_and_the_api(client, api, cast):
    m = meeting(api)
    draft = api.as_("hr_staff").post("/documents", {"kind": "eqia", "title": "Draft", "team": HR}).json
    listed = approved_eqia(api)
    on_agenda(api, m["id"], listed)
    sign_in(client, "head")
    for document in ("abc", "0", draft["id"], listed["id"]):
        page = client.post(f"/meetings/{m['id']}/items", data={"document": document})
        answer = api.as_("head").post(f"/meetings/{m['id']}/items", {"document": document})
        same_refusal(page, answer, {"document"})
    assert len(api.as_("head").get(f"/meetings/{m['id']}").json["items"]) == 1


def test_an_item_added_on_the_page_is_the_one_the_api_adds(client, api):
    by_api, by_page = meeting(api), meeting(api)
    doc = approved_eqia(api)
    on_agenda(api, by_api["id"], doc)
    sign_in(client, "head")
    assert client.post(f"/meetings/{by_page['id']}/items", data={"document": doc["id"]}).status_code == 302
    assert kept(api.as_("head").get(f"/meetings/{by_page['id']}").json["items"]) == \
        kept(api.as_("head").get(f"/meetings/{by_api['id']}").json["items"])


# Recording the Board's decision

def decision_on_page(client, meeting_id, doc_id, **fields):
    prefix = f"d{doc_id}."
    return client.post(f"/meetings/{meeting_id}/decisions",
                       data={"document": doc_id, **{prefix + name: value for name, value in fields.items()}})


BAD_DECISIONS = [
    ({"decision": "maybe"}, {"decision"}),
    ({"decision": "referred_back"}, {"note"}),
    # Spaces say nothing: the page always refused them, the API once minuted a referral with no reason.
    ({"decision": "referred_back", "note": " \n "}, {"note"}),
    ({"decision": "endorsed", "agreed.period": "2031-32", "agreed.status": "purple", "agreed.reason": "  "},
     {"agreed.period", "agreed.status", "agreed.reason"}),
    ({"decision": "noted", "agreed.period": "2031-32", "agreed.status": "green", "agreed.reason": "Done."},
     {"agreed.period"}),
]


@pytest.mark.parametrize("posted, fields", BAD_DECISIONS)
def test_a_bad_decision_is_refused_alike_by_the_page_and_the_api(client, api, posted, fields):
    m, doc = meeting(api), approved_objective(api)
    on_agenda(api, m["id"], doc)
    body = {key: value for key, value in posted.items() if not key.startswith("agreed.")}
    agreed = {key.split(".")[1]: value for key, value in posted.items() if key.startswith("agreed.")}
    sign_in(client, "board")
    page = decision_on_page(client, m["id"], doc["id"], **posted)
    answer = api.as_("board").post(f"/meetings/{m['id']}/decisions",
                                   {"document": doc["id"], **body, **({"agreed": agreed} if agreed else {})})
    same_refusal(page, answer, fields, {field: f"d{doc['id']}.{field}" for field in fields})
    assert api.as_("board").get(f"/meetings/{m['id']}").json["decisions"] == []


@pytest.mark.parametrize("who", ["untrained_head", "hr_lead", "smt"])
def test_a_decision_by_someone_who_may_not_record_it_is_refused_alike(client, api, who):
    m, doc = meeting(api), approved_eqia(api)
    on_agenda(api, m["id"], doc)
    sign_in(client, who)
    page = decision_on_page(client, m["id"], doc["id"], decision="endorsed")
    answer = api.as_(who).post(f"/meetings/{m['id']}/decisions", {"document": doc["id"], "decision": "endorsed"})
    assert page.status_code == answer.status_code
    if answer.status_code == 422:  # the training rule: said above the form, as the API says it
        assert page_refusal(page)[1] == answer.json["error"][:1].upper() + answer.json["error"][1:]
    assert api.as_("board").get(f"/meetings/{m['id']}").json["decisions"] == []


@pytest.mark.parametrize("decision, note", [("referred_back", "Say more."), ("endorsed", "   "), ("noted", "")])
def test_a_decision_recorded_on_the_page_is_the_one_the_api_records(client, api, decision, note):
    by_api, by_page = meeting(api), meeting(api)
    first, second = approved_eqia(api), approved_eqia(api)
    on_agenda(api, by_api["id"], first)
    on_agenda(api, by_page["id"], second)
    assert api.as_("board").post(f"/meetings/{by_api['id']}/decisions",
                                 {"document": first["id"], "decision": decision, "note": note}).status_code == 200
    sign_in(client, "board")
    assert decision_on_page(client, by_page["id"], second["id"], decision=decision, note=note).status_code == 302

    def recorded(meeting_id, doc_id):
        """The minute, the document and its last history entry, but for when they were made."""
        [decision] = api.as_("board").get(f"/meetings/{meeting_id}").json["decisions"]
        doc = api.as_("hr_lead").get(f"/documents/{doc_id}").json
        last = api.as_("hr_lead").get(f"/documents/{doc_id}/history").json["items"][-1]
        return kept(decision), kept(doc), kept(last)
    assert recorded(by_page["id"], second["id"]) == recorded(by_api["id"], first["id"])


# Generating the progress report

BAD_REPORTS = [
    ({"period": "2007"}, {"period"}),  # not a period at all
    ({"period": "2030-31"}, {"period"}),  # a period nobody opened or reported on: the API once reported on it
    ({"period": "2007-08", "since": "May 2004"}, {"since"}),
    ({"period": "2030-31", "since": "soon"}, {"period", "since"}),
]


@pytest.mark.parametrize("given, fields", BAD_REPORTS)
def test_a_bad_report_period_or_date_is_refused_alike_by_the_page_and_the_api(client, api, given, fields):
    nine_objectives(api)
    sign_in(client, "head")
    page = client.post("/reports/generate", data={GENERATE_INPUTS[key]: value for key, value in given.items()})
    answer = api.as_("head").get("/reports/progress", **given)
    same_refusal(page, answer, fields, GENERATE_INPUTS)
    assert api.as_("head").get("/documents", kind="report").json["total"] == 0


def test_the_report_generated_on_the_page_is_the_one_the_api_gives(client, api):
    nine_objectives(api)
    sign_in(client, "head")
    made = client.post("/reports/generate", data={"fields.period": "2007-08", "fields.eqias_since": "2004-01-01",
                                                  "fields.author_line": DEFAULT_AUTHOR})
    assert made.status_code == 302
    draft = api.as_("head").get("/documents/" + made.headers["Location"].rsplit("/", 1)[1]).json
    assert (draft["kind"], draft["team"]) == ("report", RDU)
    for fmt in ("md", "csv"):
        by_page = client.get(made.headers["Location"] + (".md" if fmt == "md" else "/status.csv"))
        by_api = api.as_("head").get("/reports/progress", period="2007-08", since="2004-01-01", format=fmt)
        assert by_page.status_code == by_api.status_code == 200
        assert by_page.text == by_api.text
