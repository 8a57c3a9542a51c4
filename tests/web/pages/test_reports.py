"""Report pages: generating a draft from approved content, editing its text, the
workflow to approval, and who may see it in which format."""
import io

import pytest
from pypdf import PdfReader

from tests.web.api.test_reports_api import SECRET, add_unapproved, fire_all, nine_objectives, objective_fields
from tests.conftest import HR
from tests.web.browsing import sign_in, version_on
from tests.workflow.test_reports_build import PERIOD, SEED_WORDS

RDU = "Race & Diversity Unit"


@pytest.fixture
def rdu_lead(make_user, cast):
    """A team leader of the Race & Diversity Unit, who prepares the report (the Head signs it off)."""
    cast["rdu_lead"] = make_user("rdu_lead", "team_leader", teams=(RDU,), trained="2006-02-01")
    make_user("rdu_staff", "staff", teams=(RDU,))
    return "rdu_lead"


def generated(client, who="rdu_lead", **form):
    sign_in(client, who)
    response = client.post("/reports/generate", data={"fields.period": PERIOD,
                                                       "fields.author_line": "By: the Chief Executive", **form})
    assert response.status_code == 302, response.text
    return response.headers["Location"].removeprefix("http://localhost")


def formats(url):
    return (url, url + ".pdf", url + ".md", url + "/status.csv")


def test_a_generated_report_is_a_draft_of_the_unit_built_from_approved_content_only(client, api, rdu_lead):
    add_unapproved(api, nine_objectives(api))
    url = generated(client, **{"fields.meeting_date": "2007-12-06", "fields.eqias_since": "2004-01-01"})
    page = client.get(url).text
    assert "Draft" in page and "By: the Chief Executive" in page and "Date: 6 December 2007" in page
    for number, word in SEED_WORDS.items():
        assert f"Objective {number}: " in page
    assert '<span class="rag rag-amber">Amber</span>' in page
    assert SECRET not in page and SECRET not in client.get(url + ".md").text
    assert SECRET not in client.get(url + "/status.csv").text
    pdf = PdfReader(io.BytesIO(client.get(url + ".pdf").data))
    assert SECRET not in "".join(p.extract_text() for p in pdf.pages)
    doc = api.as_("rdu_lead").get("/documents/" + url.rsplit("/", 1)[1]).json
    assert (doc["kind"], doc["state"], doc["team"]) == ("report", "draft", RDU)


def test_the_board_sees_a_report_in_no_format_until_the_head_approves_it(client, api, rdu_lead):
    nine_objectives(api)
    url = generated(client)
    doc_id = url.rsplit("/", 1)[1]
    sign_in(client, "board")
    for address in (*formats(url), url + "/edit", f"/documents/{doc_id}"):
        assert client.get(address).status_code == 404, address
    assert "Corporate equalities objectives" not in client.get("/reports").text

    doc = api.as_("rdu_lead").get(f"/documents/{doc_id}").json
    fire_all(api, doc, (("rdu_lead", "screen"), ("rdu_lead", "assess"), ("head", "approve")))
    for address in formats(url):
        assert client.get(address).status_code == 200, address
    assert "Corporate equalities objectives" in client.get("/reports").text
    assert client.get(url + "/edit").status_code == 403  # seen, but not the Board's to edit


def test_only_the_head_or_a_team_leader_of_the_unit_may_generate(client, rdu_lead, make_user):
    make_user("other_head", "head", teams=(HR,))
    for who in ("hr_staff", "board", "hr_lead", "rdu_staff", "smt", "other_head"):
        sign_in(client, who)
        assert client.get("/reports/generate").status_code == 403, who
        assert client.post("/reports/generate", data={"fields.period": PERIOD}).status_code == 403, who
    sign_in(client, "head")
    assert client.get("/reports/generate").status_code == 200


def test_a_period_not_listed_or_a_bad_date_is_refused_next_to_its_input(client, api, rdu_lead):
    nine_objectives(api)
    sign_in(client, "rdu_lead")
    page = client.get("/reports/generate").text
    assert '<option value="2007-08" selected>2007/08</option>' in page
    refused = client.post("/reports/generate", data={"fields.period": "2030-31"})
    assert refused.status_code == 422
    assert "Select one of the periods opened for reporting or reported on" in refused.text
    refused = client.post("/reports/generate", data={"fields.period": PERIOD, "fields.eqias_since": "May 2004"})
    assert refused.status_code == 422 and 'id="fields-eqias_since-error"' in refused.text
    assert api.as_("head").get("/documents", kind="report").json["total"] == 0


def test_the_draft_text_is_edited_on_the_report_page_and_bad_input_changes_nothing(client, api, rdu_lead):
    nine_objectives(api)
    url = generated(client)
    page = client.get(url + "/edit").text
    form = {"version": version_on(page), "title": "Report 13: Corporate equalities objectives",
            "fields.number": "13", "fields.meeting_date": "2007-12-06", "fields.author_line": "By: the Chair",
            "fields.summary": "Members are asked to endorse.", "fields.recommendations": "1. Endorse.",
            "fields.sections.3.evidence": "Internal Audit has recently undertaken an audit.",
            "fields.sections.3.status": "amber_green"}
    refused = client.post(url + "/edit", data={**form, "fields.number": "thirteen"})
    assert refused.status_code == 422 and "Enter the report number as a whole number from 1 to 999" in refused.text
    assert "By: the Chair" not in client.get(url + ".md").text
    saved = client.post(url + "/edit", data=form)
    assert saved.status_code == 302, saved.text
    text = client.get(url + ".md").text
    assert text.startswith("# Report 13: Corporate equalities objectives")
    assert "Report: 13" in text and "By: the Chair" in text and "Members are asked to endorse." in text
    section = text.split("### Objective 4: ")[1].split("\n### ")[0]
    assert "Internal Audit has recently undertaken an audit." in section and "**Status: Amber/Green**" in section
    assert "**Status: Green**" in text.split("### Objective 2: ")[1].split("\n### ")[0]  # untouched sections keep theirs


def test_the_shared_document_page_shows_a_report_and_its_edit_link_leads_to_the_report_editor(client, api, rdu_lead):
    nine_objectives(api)
    url = generated(client)
    doc_id = url.rsplit("/", 1)[1]
    page = client.get(f"/documents/{doc_id}")
    assert page.status_code == 200 and f'href="/reports/{doc_id}"' in page.text
    assert client.get(f"/documents/{doc_id}/edit").headers["Location"].endswith(f"/reports/{doc_id}/edit")
    assert client.get("/documents/new?kind=report").headers["Location"].endswith("/reports/generate")


def test_an_approved_objective_not_linked_to_a_strategic_objective_is_in_every_format(client, api, rdu_lead):
    nine_objectives(api)
    fields = {key: value for key, value in objective_fields(3, status="red").items() if key != "strategic"}
    doc = api.as_("hr_lead").post("/documents", {"kind": "objective", "title": "Unlinked recruitment objective",
                                                 "team": HR, "fields": fields}).json
    fire_all(api, doc, (("hr_lead", "screen"), ("hr_lead", "assess"), ("head", "approve")))
    url = generated(client)
    page = client.get(url).text
    assert "<h3>Other objectives</h3>" in page and "Unlinked recruitment objective" in page
    assert "A further 1 approved objective not yet linked to a strategic objective is listed" in page
    assert "<td>Human Resources</td><td><span class=\"rag rag-red\">Red</span></td>" in page
    assert "Unlinked recruitment objective" in client.get(url + ".md").text
    assert "Other objectives,Unlinked recruitment objective,Red" in client.get(url + "/status.csv").text
    pdf = PdfReader(io.BytesIO(client.get(url + ".pdf").data))
    assert "Unlinked recruitment objective" in "".join(p.extract_text() for p in pdf.pages)
