"""Pages and the API are two doors to the same use cases (services/): for each one
reachable from both — create a document, edit it, fire a transition, write a progress
entry, carry an objective forward, open a reporting period — the same bad input gets
the same refusal (status, and each message by the same field) from both, and the same
good input stores the same document."""
import html
import re

import pytest

from store import Delete
from tests.conftest import HR
from tests.web.browsing import sign_in, version_on
from web.form_state import input_name

SUMMARY_ITEM = re.compile(r'<li><a href="#([^"]+)">(.*?)</a></li>', re.S)
# What differs between two documents stored the same way at different moments: their own ids and
# versions, and every time in them at any depth (the approved copy's `approved_at` and `updated_at` too:
# two approvals a test makes one after the other may fall in two different seconds).
OWN = ("id", "version")


def alike(value, top=True):
    """`value` without what differs by nature between two documents stored alike (OWN, times)."""
    if isinstance(value, dict):
        return {key: alike(item, False) for key, item in value.items()
                if not key.endswith("_at") and not (top and key in OWN)}
    if isinstance(value, list):
        return [alike(item, False) for item in value]
    return value

OBJECTIVE = {"heading": "The MPA as an Exemplary Employer", "theme": "Developing our Staff",
             "action": "Provide specific training to all our staff", "deadline": "2008-03",
             "outcomes": "Staff trained", "leads": [HR], "strands": ["race", "gender"], "strategic": 1}


def objective_form(title, team=HR, **fields):
    """The objective form as a browser posts it, from fields as the API takes them."""
    values = {**OBJECTIVE, **fields}
    return {"title": title, "team": team, **{f"fields.{key}": value for key, value in values.items()
                                             if key not in ("leads", "strategic")},
            "fields.leads": "\n".join(values["leads"]), "fields.strategic": str(values["strategic"])}


def summary(page):
    """[(the input id, the words)] of the refused page's summary of problems, each linking to its input."""
    box = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    return [(name, html.unescape(words)) for name, words in SUMMARY_ITEM.findall(box)]


def form_input(path):
    """The input a page shows a message about `path` by (web.form_state.input_name), as an element id."""
    return input_name(path, {}).replace(".", "-")


def progress_input(path):
    """The progress page shows a message about the entry being written by its own input."""
    return "entry-" + path.rpartition(".")[2]


def same_refusal(page, answer, input_of=form_input):
    """The page refused with the API's status and reason, and its summary names the same
    fields, each with the API's message for it (or, for a field named by a refusal that is
    not about its value, a conflict, the reason)."""
    same_refusal_in_words(page, answer)
    details, reason = answer.json["details"], answer.json["error"]
    assert details, answer.json
    shown = summary(page.text)
    assert len(shown) == len(details), (shown, details)
    for path, message in details.items():
        assert any(name == input_of(path) and (words.endswith(message) or answer.status_code != 422
                                                and words.endswith(reason)) for name, words in shown), (path, shown)


def same_refusal_in_words(page, answer):
    """A refusal not about a field (a step, a right): the same status, and the API's reason on the page."""
    assert page.status_code == answer.status_code, (page.status_code, answer.json)
    assert answer.json["error"][1:] in html.unescape(page.text)  # a page starts it with a capital


def stored(app, doc_id):
    return app.extensions["store"].get("documents", str(doc_id))


def same_document(app, first_id, second_id, **expected_differences):
    """The two stored documents are the same but for their own ids, versions and times."""
    first, second = stored(app, first_id), stored(app, second_id)
    assert alike(first) == alike({**second, **expected_differences})


def created(api, title="Training", fields=None):
    response = api.as_("hr_lead").post("/documents", {"kind": "objective", "title": title, "team": HR,
                                                      "fields": fields or OBJECTIVE})
    assert response.status_code == 201, response.json
    return response.json


def approved(api, title="Training", progress=()):
    doc = created(api, title, {**OBJECTIVE, "progress": list(progress)} if progress else None)
    for who, name in (("hr_lead", "screen"), ("hr_lead", "assess"), ("head", "approve")):
        doc = api.as_(who).fire(doc, name).json
    return doc


def revised(api, title):
    return api.as_("hr_lead").fire(approved(api, title, [{"period": "2006-07", "status": "amber"}]), "revise").json


def version(client, url):
    return version_on(client.get(url).text)


# Creating a document


@pytest.mark.parametrize("title, team, fields", [
    ("   ", HR, {"deadline": "soon"}),
    ("Two\nlines", HR, {"strands": ["race", "tallness"]}),
    ("Not my team", "Planning & Performance", {}),
])
def test_a_bad_new_document_is_refused_alike(app, client, api, title, team, fields):
    sign_in(client, "hr_lead")
    page = client.post("/documents/new?kind=objective", data=objective_form(title, team, **fields))
    answer = api.as_("hr_lead").post("/documents", {"kind": "objective", "title": title, "team": team,
                                                    "fields": {**OBJECTIVE, **fields}})
    same_refusal(page, answer)
    assert app.extensions["store"].scan("documents") == []


def test_a_new_document_is_stored_alike(app, client, api):
    sign_in(client, "hr_lead")
    page = client.post("/documents/new?kind=objective", data=objective_form("Training"))
    assert page.status_code == 302, page.text
    same_document(app, page.headers["Location"].rsplit("/", 1)[1], created(api)["id"])


# Editing it


def test_a_bad_edit_is_refused_alike(app, client, api):
    doc = created(api)
    sign_in(client, "hr_lead")
    form = objective_form("", deadline="soon", strands=["race", "tallness"])
    page = client.post(f"/documents/{doc['id']}/edit", data={**form, "version": doc["version"]})
    answer = api.as_("hr_lead").patch(f"/documents/{doc['id']}", {"version": doc["version"], "title": "",
                                                                  "fields": {"deadline": "soon",
                                                                             "strands": ["race", "tallness"]}})
    same_refusal(page, answer)
    assert stored(app, doc["id"])["version"] == doc["version"]


def test_an_edit_is_stored_alike(app, client, api):
    by_page, by_api = created(api), created(api)
    sign_in(client, "hr_lead")
    form = objective_form("Training for all", action="Train every member of staff", deadline="Ongoing")
    saved = client.post(f"/documents/{by_page['id']}/edit", data={**form, "version": by_page["version"]})
    assert saved.status_code == 302, saved.text
    answer = api.as_("hr_lead").patch(f"/documents/{by_api['id']}", {
        "version": by_api["version"], "title": "Training for all",
        "fields": {"action": "Train every member of staff", "deadline": "Ongoing"}})
    assert answer.status_code == 200, answer.json
    same_document(app, by_page["id"], by_api["id"])


# Firing a transition


@pytest.mark.parametrize("who, name, fields", [
    ("hr_lead", "approve", OBJECTIVE),  # not from a draft
    ("hr_lead", "screen", {"theme": "Developing our Staff"}),  # unmet: what it does, its heading, its strands
    ("hr_staff", "screen", OBJECTIVE),  # not a team leader
    ("hr_lead", "no_such_step", OBJECTIVE),
])
def test_a_step_refused_is_refused_alike(app, client, api, who, name, fields):
    doc = created(api, fields=fields)
    sign_in(client, who)
    page = client.post(f"/documents/{doc['id']}/transitions/{name}", data={"version": doc["version"]})
    answer = api.as_(who).fire(doc, name)
    same_refusal_in_words(page, answer)
    for unmet in answer.json["details"].get("unmet", ()):
        assert unmet in html.unescape(page.text)
    assert stored(app, doc["id"])["version"] == doc["version"]


def test_a_step_is_stored_alike(app, client, api):
    by_page, by_api = created(api), created(api)
    sign_in(client, "hr_lead")
    assert client.post(f"/documents/{by_page['id']}/transitions/screen",
                       data={"version": by_page["version"]}).status_code == 302
    assert api.as_("hr_lead").fire(by_api, "screen").status_code == 200
    same_document(app, by_page["id"], by_api["id"])


def submitted_by_hr(api, author):
    """An objective `author` drafted for Human Resources, screened and submitted by its team leader."""
    doc = api.as_(author).post("/documents", {"kind": "objective", "title": "Training", "team": HR,
                                             "fields": OBJECTIVE}).json
    for name in ("screen", "assess"):
        doc = api.as_("hr_lead").fire(doc, name).json
    return doc


@pytest.fixture
def chief(api, make_user):
    api.tokens["chief"] = make_user("chief", "chief_executive", trained="2006-04-01")
    return "chief"


def test_the_chief_executives_sign_off_of_the_heads_work_is_stored_alike(app, client, api, chief):
    by_page, by_api = submitted_by_hr(api, "lead_head"), submitted_by_hr(api, "lead_head")
    sign_in(client, chief)
    assert client.post(f"/documents/{by_page['id']}/transitions/approve",
                       data={"version": by_page["version"]}).status_code == 302
    assert api.as_(chief).fire(by_api, "approve").status_code == 200
    assert stored(app, by_page["id"])["published"]["approved_by"] == chief
    same_document(app, by_page["id"], by_api["id"])


@pytest.mark.parametrize("author", ["hr_lead", "lead_head"])
def test_a_sign_off_not_the_chief_executives_or_the_heads_is_refused_alike(app, client, api, chief, author):
    """What no Head wrote is not the Chief Executive's; what the Head wrote is not the Head's."""
    signer = chief if author == "hr_lead" else "lead_head"
    doc = submitted_by_hr(api, author)
    sign_in(client, signer)
    page = client.post(f"/documents/{doc['id']}/transitions/approve", data={"version": doc["version"]})
    answer = api.as_(signer).fire(doc, "approve")
    assert answer.status_code in (403, 404, 422)
    same_refusal_in_words(page, answer)
    assert stored(app, doc["id"])["state"] == "assessed"


# Writing a progress entry


def open_period(api, code):
    assert api.as_("head").post("/periods", {"code": code}).status_code == 201


def progress_page(client, doc_id, period, **entry):
    url = f"/documents/{doc_id}/progress"
    return client.post(url, data={"version": version(client, url), "entry.period": period,
                                  **{f"entry.{key}": value for key, value in entry.items()}})


@pytest.mark.parametrize("period, entry", [
    ("2031-32 Q1", {"evidence": "Nothing yet"}),  # the issue's: a period nobody opened, no status
    ("2031-32 Q1", {"status": "green", "reason": "Done"}),  # a period nobody opened
    ("2007-08", {"evidence": "Nothing yet"}),  # no status
    ("2007-08", {"status": "green", "evidence": "Done"}),  # changed from Amber without a reason
    ("2007-08", {"status": "purple"}),
    ("2199-00 Q5", {"status": "green"}),  # no period at all
])
def test_a_bad_progress_entry_is_refused_alike(app, client, api, period, entry):
    open_period(api, "2007-08")
    doc = revised(api, "Training")
    sign_in(client, "hr_lead")
    page = progress_page(client, doc["id"], period, **entry)
    answer = api.as_("hr_lead").put(f"/documents/{doc['id']}/progress/{period}", {"version": doc["version"], **entry})
    same_refusal(page, answer, progress_input)
    assert stored(app, doc["id"])["version"] == doc["version"]


def test_a_progress_entry_is_stored_alike(app, client, api):
    open_period(api, "2007-08")
    by_page, by_api = revised(api, "Training"), revised(api, "Training")
    entry = {"status": "green", "evidence": "All trained", "key_outcomes": "A trained workforce",
             "improvements": "Refresher courses", "comment": "Achieved", "reason": "The last course ran"}
    sign_in(client, "hr_lead")
    assert progress_page(client, by_page["id"], "2007-08", **entry).status_code == 302
    answer = api.as_("hr_lead").put(f"/documents/{by_api['id']}/progress/2007-08",
                                    {"version": by_api["version"], **entry})
    assert answer.status_code == 200, answer.json
    same_document(app, by_page["id"], by_api["id"])


# Carrying an objective forward


@pytest.mark.parametrize("who, state", [("hr_staff", "approved"), ("pp_lead", "approved"), ("head", "approved"),
                                        ("hr_lead", "draft"), ("hr_lead", "carried")])
def test_a_carry_forward_refused_is_refused_alike(app, client, api, who, state):
    doc = created(api) if state == "draft" else approved(api)
    if state == "carried":
        assert api.as_("hr_lead").post(f"/documents/{doc['id']}/carry-forward", {}).status_code == 201
    count = len(app.extensions["store"].scan("documents"))
    sign_in(client, who)
    page = client.post(f"/documents/{doc['id']}/carry-forward")
    answer = api.as_(who).post(f"/documents/{doc['id']}/carry-forward", {})
    same_refusal_in_words(page, answer)
    assert len(app.extensions["store"].scan("documents")) == count


def test_a_carry_forward_is_stored_alike(app, client, api):
    by_page, by_api = approved(api), approved(api)
    sign_in(client, "hr_lead")
    page = client.post(f"/documents/{by_page['id']}/carry-forward")
    assert page.status_code == 302, page.text
    answer = api.as_("hr_lead").post(f"/documents/{by_api['id']}/carry-forward", {})
    assert answer.status_code == 201, answer.json
    new_by_page = page.headers["Location"].rsplit("/", 1)[1]
    same_document(app, new_by_page, answer.json["id"],
                  fields={**stored(app, answer.json["id"])["fields"], "carried_forward_from": by_page["id"]})


# Opening a reporting period


@pytest.mark.parametrize("code", ["autumn", "2007", "1899-00", "", "2007-08 Q3"])
def test_a_bad_period_is_refused_alike(app, client, api, code):
    open_period(api, "2007-08 Q3")
    sign_in(client, "head")
    page = client.post("/periods", data={"code": code})
    answer = api.as_("head").post("/periods", {"code": code})
    same_refusal(page, answer)
    assert [p["code"] for p in app.extensions["store"].scan("periods")] == ["2007-08 Q3"]


def test_a_period_is_stored_alike(app, client, api):
    sign_in(client, "head")
    assert client.post("/periods", data={"code": " 2007-08 Q3 "}).status_code == 302
    store = app.extensions["store"]
    [by_page] = store.scan("periods")
    store.commit([Delete("periods", by_page["code"])])
    assert api.as_("head").post("/periods", {"code": " 2007-08 Q3 "}).status_code == 201
    [by_api] = store.scan("periods")
    assert alike(by_page) == alike(by_api)
