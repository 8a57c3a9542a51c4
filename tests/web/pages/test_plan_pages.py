"""Plan pages: a plan's record, recording its review, superseding it; what the Head's My work owes after."""
import pytest

from tests.conftest import HR
from tests.web.browsing import sign_in, version_on
from workflow import plans

RDU = "Race & Diversity Unit"
OLD = plans.FIRST
# What the reporting cycle lists of the 2004 plan as overdue, which must go once it is reviewed and superseded.
OLD_PLAN_DUES = ("Quarterly report, 2004/05 Q1", "Corporate annual report, 2006/07",
                 "Review of the Corporate Equality Plan 2004 (after its first year)",
                 "Final review of the Corporate Equality Plan 2004")


def overdue_on_cycle_page(client):
    page = client.get("/reporting-cycle").text
    return page[page.index("<h2>Overdue"):]


@pytest.fixture
def signers(make_user, cast):
    """The Unit's team leader, who submits what the Head writes, and the Chief Executive, who signs it off."""
    cast["rdu_lead"] = make_user("rdu_lead", "team_leader", teams=(RDU,), trained="2006-02-01")
    cast["chief"] = make_user("chief", "chief_executive", trained="2006-02-01")
    return cast


def review_form(**extra):
    form = {"fields.due": "2005-05-01", "fields.summary": "The plan is partly embedded."}
    for i in range(len(OLD.factors)):
        form[f"fields.assessments.{i}.rating"] = "partly_met"
        form[f"fields.assessments.{i}.evidence"] = f"Evidence for factor {i + 1}."
    return {**form, **extra}


SUCCESSOR = {"title": "Generic Equalities Scheme 2007", "fields.first_year": "2007-08", "fields.last_year": "2009-10",
             "fields.adopted_by": plans.EODB, "fields.adopted_on": "2007-06-01",
             "fields.factors": "Every team reports its equality outcomes\nStaff are trained"}


def posted(client, url, form):
    response = client.post(url, data=form)
    assert response.status_code == 302, response.text
    return response.headers["Location"].rsplit("/", 1)[1]


def signed_off(api, doc_id):
    """Screened by the Head who wrote it, submitted by the Unit's leader, signed off by the Chief Executive."""
    doc = api.as_("head").get(f"/documents/{doc_id}").json
    for who, name in (("head", "screen"), ("rdu_lead", "assess")):
        doc = api.as_(who).fire(doc, name).json
    assert api.as_("head").fire(doc, "approve").status_code == 422  # the Head wrote it
    approved = api.as_("chief").fire(doc, "approve")
    assert approved.status_code == 200, approved.json
    return approved.json


def approved_objective(api, title, **fields):
    doc = api.as_("hr_lead").post("/documents", {"kind": "objective", "title": title, "team": HR, "fields": {
        "heading": "The MPA as a Public Authority", "action": title, "deadline": "2007-12", "outcomes": "Outcomes",
        "leads": [HR], "strands": ["race"], **fields}}).json
    for who, name in (("hr_lead", "screen"), ("hr_lead", "assess"), ("head", "approve")):
        doc = api.as_(who).fire(doc, name).json
    return doc


def test_after_the_plans_review_and_successor_nothing_of_it_is_owed(client, api, signers):
    open_one = approved_objective(api, "Monitor recruitment")
    done = approved_objective(api, "Publish the scheme", disposition="achieved")
    sign_in(client, "head")
    # The plan's reports over its period and its final review, not every quarter to this day.
    assert 'Reports due <span class="count">(23)' in client.get("/").text
    assert all(words in overdue_on_cycle_page(client) for words in OLD_PLAN_DUES)
    form = client.get(f"/plans/{OLD.key}/review").text
    assert all(factor in form for factor in OLD.factors)
    signed_off(api, posted(client, f"/plans/{OLD.key}/review", review_form()))
    succession = posted(client, f"/plans/{OLD.key}/supersede", SUCCESSOR)
    assert api.as_("head").get(f"/documents/{succession}").json["fields"]["carried"] == [open_one["id"]]
    shown = client.get(f"/documents/{succession}")
    assert shown.status_code == 200 and f'href="/documents/{open_one["id"]}">Objective {open_one["id"]}' in shown.text
    signed_off(api, succession)

    overdue = overdue_on_cycle_page(client)
    assert not [words for words in OLD_PLAN_DUES if words in overdue]
    assert "2004/05" not in overdue and "2006/07" not in overdue
    assert "Final review of the Corporate Equality Plan 2004" not in client.get("/").text
    old_page = client.get(f"/plans/{OLD.key}").text
    assert "Superseded on 1 June 2007" in old_page and "Partly met" in old_page and "Evidence for factor 4." in old_page
    assert "Overdue" not in old_page[old_page.index("<h2>Reporting cycle"):]
    new_key = f"plan-{succession}"
    new_page = client.get(f"/plans/{new_key}").text
    assert "Generic Equalities Scheme 2007" in new_page and "2007 – 2010" in new_page
    assert "Objectives <span class=\"count\">(1)" in new_page
    assert "Objectives <span class=\"count\">(1)" in old_page  # the achieved one stays with its plan
    assert ">Monitor recruitment</a>" in new_page and ">Publish the scheme</a>" in old_page
    assert ">Monitor recruitment</a>" not in old_page
    # The objective carried forward says so in its history; the achieved one does not.
    carried = api.as_("head").get(f"/documents/{open_one['id']}/history").json["items"]
    assert [(e["action"], e["actor"]) for e in carried[-1:]] == [("carry_forward", "chief")]
    assert "Carried forward to the Generic Equalities Scheme 2007" in carried[-1]["comment"]
    assert "signed off the plan succession carrying it forward" in client.get(f"/documents/{open_one['id']}").text
    kept = api.as_("head").get(f"/documents/{done['id']}/history").json["items"]
    assert "carry_forward" not in [e["action"] for e in kept]


def test_the_board_reads_plans_and_signed_off_reviews_only_and_records_nothing(client, api, signers):
    sign_in(client, "head")
    draft = posted(client, f"/plans/{OLD.key}/review", review_form())
    assert "Waiting for sign-off" in client.get(f"/plans/{OLD.key}").text
    sign_in(client, "board")
    page = client.get(f"/plans/{OLD.key}").text
    assert OLD.factors[0] in page and "Waiting for sign-off" not in page and "Record a review" not in page
    assert "No review of this plan has been signed off yet." in page
    assert client.get(f"/plans/{OLD.key}/review").status_code == 403
    assert client.post(f"/plans/{OLD.key}/supersede", data=SUCCESSOR).status_code == 403
    assert client.get("/plans").status_code == 200
    signed_off(api, draft)
    assert "Evidence for factor 1." in client.get(f"/plans/{OLD.key}").text


@pytest.mark.parametrize("url, form, field, words", [
    (f"/plans/{OLD.key}/review", review_form(**{"fields.due": "2008-05-01"}), "fields-due",
     "Select one of the plan&#39;s reviews not yet recorded"),
    (f"/plans/{OLD.key}/review", review_form(**{"fields.assessments.1.rating": "mostly"}),
     "fields-assessments-1-rating", "Select"),
    (f"/plans/{OLD.key}/supersede", {**SUCCESSOR, "fields.adopted_on": "2003-01-01"}, "fields-adopted_on",
     "Enter a date after the Corporate Equality Plan 2004 was adopted"),
    (f"/plans/{OLD.key}/supersede", {**SUCCESSOR, "fields.last_year": "2005-06"}, "fields-last_year",
     "Enter a last year that is the first year or after it"),
    (f"/plans/{OLD.key}/supersede", {**SUCCESSOR, "title": ""}, "title", "Enter a title"),
])
def test_bad_answers_are_shown_at_their_input_and_nothing_is_saved(client, api, signers, url, form, field, words):
    sign_in(client, "head")
    response = client.post(url, data=form)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text and words in response.text
    assert api.as_("head").get("/documents", kind="plan_review").json["total"] == 0
    assert api.as_("head").get("/documents", kind="plan_succession").json["total"] == 0


def test_a_plan_superseded_once_cannot_be_superseded_again_and_unknown_plans_are_not_found(client, api, signers):
    sign_in(client, "head")
    signed_off(api, posted(client, f"/plans/{OLD.key}/supersede", SUCCESSOR))
    assert "Supersede this plan" not in client.get(f"/plans/{OLD.key}").text
    again = client.post(f"/plans/{OLD.key}/supersede", data={**SUCCESSOR, "fields.adopted_on": "2008-01-01"})
    assert again.status_code == 422 and "The Corporate Equality Plan 2004 has already been superseded" in again.text
    assert api.as_("head").get("/documents", kind="plan_succession").json["total"] == 1
    assert client.get("/plans/no-such-plan").status_code == 404
    assert client.get("/plans/no-such-plan/review").status_code == 404


def test_a_draft_review_is_changed_on_its_own_page(client, api, signers):
    sign_in(client, "head")
    doc_id = posted(client, f"/plans/{OLD.key}/review", review_form())
    moved = client.get(f"/documents/{doc_id}/edit")
    assert moved.status_code == 302 and moved.headers["Location"].endswith(f"/plans/documents/{doc_id}/edit")
    shown = client.get(f"/documents/{doc_id}")
    assert shown.status_code == 200 and "Evidence for factor 3." in shown.text
    assert f'href="/plans/documents/{doc_id}/edit"' in shown.text  # its parts are changed on its own page
    page = client.get(f"/plans/documents/{doc_id}/edit").text
    assert "Evidence for factor 3." in page
    changed = client.post(f"/plans/documents/{doc_id}/edit", data={
        **review_form(**{"fields.assessments.2.rating": "met", "fields.assessments.2.evidence": "Now met."}),
        "version": version_on(page)})
    assert changed.status_code == 302
    rows = api.as_("head").get(f"/documents/{doc_id}").json["fields"]["assessments"]
    assert (rows[2]["factor"], rows[2]["rating"], rows[2]["evidence"]) == (OLD.factors[2], "met", "Now met.")
    assert client.get("/documents/new?kind=plan_review").status_code == 302


def test_only_the_shared_edit_pages_pass_through_the_hooks_that_hand_plans_and_reports_on(app):
    """Every request runs the app-wide hooks (the API's transitions among them): the plan and report
    pages' redirects belong to the editing blueprint, whose new/edit pages they replace."""
    app_wide = {hook.__module__ for hook in app.before_request_funcs[None]}
    assert app_wide == {"web.hooks", "web.json_depth", "web.plain_text"}  # CSRFProtect's check: web.hooks._check_csrf
    assert {hook.__module__ for hook in app.before_request_funcs["editing"]} == {
        "web.pages.report_pages", "web.pages.plan_pages"}


def test_a_second_review_or_successor_is_refused_while_the_first_is_being_written(client, api, signers):
    sign_in(client, "head")
    posted(client, f"/plans/{OLD.key}/review", review_form())
    again = client.post(f"/plans/{OLD.key}/review", data=review_form())
    assert again.status_code == 422 and "This review is already being written" in again.text
    posted(client, f"/plans/{OLD.key}/supersede", SUCCESSOR)
    again = client.post(f"/plans/{OLD.key}/supersede", data=SUCCESSOR)
    assert again.status_code == 422 and "A successor to the Corporate Equality Plan 2004 is already" in again.text
    assert api.as_("head").get("/documents", kind="plan_review").json["total"] == 1
    assert api.as_("head").get("/documents", kind="plan_succession").json["total"] == 1
