"""The whole committee report as people use it: the Unit edits every section, a plan period
is chosen, figures are as at the period's end, the agenda number is the meeting's, and
only report writers generate one on the fly (the Board reads the signed-off ones)."""
import pytest

from tests.conftest import HR
from tests.web.api.test_reports_api import fire_all, nine_objectives, objective_fields
from tests.web.browsing import sign_in, version_on
from tests.web.pages.test_reports import generated, rdu_lead  # noqa: F401 (a fixture)
from tests.workflow.test_reports_build import PERIOD

PLAN = "2004-05 to 2006-07"


def approved_report(api, url):
    doc = api.as_("rdu_lead").get("/documents/" + url.rsplit("/", 1)[1]).json
    return fire_all(api, doc, (("rdu_lead", "screen"), ("rdu_lead", "assess"), ("head", "approve")))


def test_every_closing_section_is_edited_on_the_report_page_and_shown_in_the_seeds_order(client, api, rdu_lead):
    nine_objectives(api)
    url = generated(client)
    edit = client.get(url + "/edit").text
    for label in ("Background", "Action Required", "Steps to the next level of the Equality Standard",
                  "Future Corporate Equality Objectives", "E. Background papers", "F. Contact details", "Footnotes"):
        assert f">{label}</label>" in edit, label
    texts = {"fields.background": "First background.\n\nSecond, citing {para:objective-9-evidence}.",
             "fields.action_required": "To do this we must:\n\n- Ensure all staff and Members are trained on EqIAs",
             "fields.standard_steps": "Three key steps to level 3.",
             "fields.future_objectives": "Six priorities were identified.",
             "fields.background_papers": "Corporate Equality Plan 2004", "fields.contact_details": "Report author: L G",
             "fields.footnotes": "1. Equality Impact Assessments (EqIA): a process."}
    saved = client.post(url + "/edit", data={"version": version_on(edit), **texts})
    assert saved.status_code == 302, saved.text
    page = client.get(url).text
    order = ["Second, citing 28.", "Ensure all staff and Members", "Three key steps", "Future Corporate Equality",
             "Six priorities", "E. Background papers", "Corporate Equality Plan 2004", "F. Contact details",
             "Report author: L G", "<h2>Footnotes</h2>", "a process."]
    positions = [page.index(words) for words in order]
    assert positions == sorted(positions)
    assert '<div class="report-para" id="para-2"><p>2. Second, citing 28.</p>' in page


def test_a_reference_to_no_paragraph_is_refused_next_to_its_box_and_saves_nothing(client, api, rdu_lead):
    nine_objectives(api)
    url = generated(client)
    edit = client.get(url + "/edit").text
    refused = client.post(url + "/edit", data={"version": version_on(edit), "fields.summary": "Changed",
                                               "fields.recommendations": "See paragraphs {para:objective-12} on."})
    assert refused.status_code == 422
    assert 'id="fields-recommendations-error"' in refused.text and "There is no paragraph" in refused.text
    assert "Changed" not in client.get(url).text


def test_a_plan_period_is_chosen_and_the_figures_are_as_at_its_end(client, api, rdu_lead, make_user):
    make_user("late_learner", "staff", trained="2007-06-01")  # trained after the plan period ended
    assert api.as_("head").post("/periods", {"code": "2005-06"}).status_code == 201
    sign_in(client, "rdu_lead")
    assert '<option value="2004-05 to 2006-07">2004 – 2007</option>' in client.get("/reports/generate").text
    url = generated(client, **{"fields.period": PLAN})
    page = client.get(url).text
    assert "Objectives for 2004 – 2007" in page
    at_end = api.as_("head").get("/training/figures", as_of="2007-03-31").json
    assert api.as_("head").get("/training/figures").json["staff"] == at_end["staff"] + 1  # the late learner
    assert (f"As of 31 March 2007, {at_end['staff']} members of staff and {at_end['members']} Board member"
            in page)
    fields = api.as_("rdu_lead").get("/documents/" + url.rsplit("/", 1)[1]).json["fields"]
    assert fields["period"] == PLAN and fields["training"]["as_of"] == "2007-03-31"
    assert "<dt>Period</dt><dd>2004 – 2007</dd>" in client.get("/documents/" + url.rsplit("/", 1)[1]).text
    named = client.get(url + ".md").headers["Content-Disposition"]
    assert named == 'attachment; filename="progress-report-2004-05-to-2006-07.md"'



def test_the_report_on_a_meeting_shows_the_meetings_report_number_and_date(client, api, rdu_lead):
    nine_objectives(api)
    url = generated(client)
    report = approved_report(api, url)
    meeting = api.as_("head").post("/meetings", {"title": "EODB", "date": "2007-12-06"}).json
    for _ in range(2):  # two reports before it on the agenda
        other = api.as_("hr_lead").post("/documents", {"kind": "objective", "title": "Earlier item", "team": HR,
                                                       "fields": objective_fields(1, status="green")}).json
        other = fire_all(api, other, (("hr_lead", "screen"), ("hr_lead", "assess"), ("head", "approve")))
        assert api.as_("head").post(f"/meetings/{meeting['id']}/items", {"document": other["id"]}).status_code == 201
    added = api.as_("head").post(f"/meetings/{meeting['id']}/items", {"document": report["id"]})
    assert added.status_code == 201, added.json
    sign_in(client, "board")
    assert "Report: 3<br>Date: 6 December 2007" in client.get(url).text
    assert "Report: 3  \nDate: 6 December 2007" in client.get(url + ".md").text


@pytest.mark.parametrize("who", ["board", "smt", "hr_lead", "hr_staff"])
def test_only_report_writers_generate_a_report_on_the_fly(client, api, rdu_lead, who):
    nine_objectives(api)
    refused = api.as_(who).get("/reports/progress", period=PERIOD)
    assert refused.status_code == 403 and "Race & Diversity Unit" in refused.json["error"]
    sign_in(client, who)
    assert client.get("/reports/generate").status_code == 403
    assert api.as_("rdu_lead").get("/reports/progress", period=PERIOD).status_code == 200


def test_the_api_offers_the_same_plan_periods_as_the_page(api):
    assert api.as_("head").post("/periods", {"code": "2005-06"}).status_code == 201
    answered = api.as_("head").get("/reports/progress", period=PLAN)
    assert answered.status_code == 200 and "Corporate Equality Objectives for 2004 – 2007" in answered.text
    for other in ("2001-02 to 2003-04", "2004-05 to 2005-06"):  # no period of it reported; not the plan's span
        refused = api.as_("head").get("/reports/progress", period=other)
        assert refused.status_code == 422 and "a plan period" in refused.json["details"]["period"], other
