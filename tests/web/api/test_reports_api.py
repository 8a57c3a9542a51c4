"""GET /api/v1/reports/progress: the progress report for a period, generated from
approved content only, as Markdown, HTML, PDF or the status table as CSV."""
import csv
import io

from pypdf import PdfReader

from tests.conftest import HR
from tests.workflow.test_reports_build import (
    PERIOD,
    SEED_COUNTS,
    SEED_TEXTS,
    SEED_WORDS,
    objective_fields,
)
from workflow.strategy import STRATEGIC_2004

SECRET = "SECRETDRAFT"


def fire_all(api, doc, steps):
    for who, name in steps:
        response = api.as_(who).fire(doc, name)
        assert response.status_code == 200, response.json
        doc = response.json
    return doc


def nine_objectives(api):
    """The nine objectives of the 2007 report, one per strategic objective, each with its
    2007/08 progress and the report's status, entered and approved through the workflow."""
    docs = {}
    for number, word in SEED_WORDS.items():
        status = {"Amber/Green": "amber_green"}.get(word, word.lower())
        fields = objective_fields(number, status=status, **SEED_TEXTS.get(number, {}))
        doc = api.as_("hr_lead").post("/documents", {"kind": "objective", "title": f"Objective {number}",
                                                     "team": HR, "fields": fields}).json
        docs[number] = fire_all(api, doc, (("hr_lead", "screen"), ("hr_lead", "assess"), ("head", "approve")))
    return docs


def add_unapproved(api, docs):
    """A draft objective, and an unapproved revision of an approved one, both saying SECRETDRAFT."""
    api.as_("hr_lead").post("/documents", {"kind": "objective", "title": f"{SECRET} objective", "team": HR,
                                           "fields": objective_fields(4, status="red", evidence=SECRET)})
    revised = api.as_("hr_lead").fire(docs[2], "revise").json
    written = api.as_("hr_lead").put(f"/documents/{revised['id']}/progress/{PERIOD}", {
        "version": revised["version"], "status": "red", "evidence": f"{SECRET} evidence", "reason": SECRET})
    assert written.status_code == 200, written.json


def report(api, fmt, who="head", period=PERIOD):
    return api.as_(who).get("/reports/progress", period=period, format=fmt)


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_report_carries_each_objectives_sections_and_status_and_counts_them(api):
    nine_objectives(api)
    response = report(api, "md")
    assert response.status_code == 200 and response.mimetype == "text/markdown"
    text = response.text
    for number, title in STRATEGIC_2004:
        section = text.split(f"### Objective {number}: {title}\n")[1].split("\n### ")[0]
        assert f"**Status: {SEED_WORDS[number]}**" in section
        assert "**Evidence:**" in section and "**Areas for Improvement:**" in section
    assert SEED_TEXTS[1]["evidence"] in text and SEED_TEXTS[7]["key_outcomes"] in text
    assert (f"Of the nine objectives, {SEED_COUNTS['green']} are Green, {SEED_COUNTS['amber_green']} Amber/Green, "
            f"{SEED_COUNTS['amber']} Amber and none Red.") in text


def test_the_csv_is_the_status_table_with_the_seed_statuses(api):
    nine_objectives(api)
    response = report(api, "csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["Objective", "Title", "Status"]
    assert [(int(n), word) for n, _, word in rows[1:]] == list(SEED_WORDS.items())


def test_the_pdf_opens_and_a_page_shows_the_status_table(api):
    nine_objectives(api)
    response = report(api, "pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages]
    assert len(pages) > 1
    table_page = next(text for text in pages if "Status summary" in text)
    after = table_page.split("Status summary", 1)[1]
    assert "Objective" in after and "Status" in after
    assert {"Green", "Amber/Green", "Amber"} <= set(after.split())
    assert all(f"Page {i}" in text for i, text in enumerate(pages, start=1))


def test_nothing_unapproved_appears_in_any_format(api):
    docs = nine_objectives(api)
    add_unapproved(api, docs)
    for fmt in ("md", "html", "csv"):
        response = report(api, fmt, who="head")  # the Head sees the drafts, the report still does not
        assert response.status_code == 200 and SECRET not in response.text, fmt
    assert SECRET not in pdf_text(report(api, "pdf", who="head").data)
    assert "none Red" in report(api, "md").text  # the draft's red status is not counted either
    assert "Objective 2: " + STRATEGIC_2004[1][1] in report(api, "html").text


def test_the_html_is_a_whole_page_with_the_status_table(api):
    nine_objectives(api)
    response = report(api, "html")
    assert response.mimetype == "text/html"
    assert response.text.startswith("<!doctype html>")
    assert '<span class="rag rag-amber_green">Amber/Green</span>' in response.text


def test_a_bad_period_or_format_is_422_and_no_token_is_401(api):
    assert report(api, "md", period="2007").status_code == 422
    assert report(api, "md", period="2007").json["details"] == {
        "period": "Enter a financial year like 2007-08, a quarter like 2007-08 Q3 or a span of years like "
                  "2004-05 to 2006-07, from 1900-01 to 2199-00"}
    assert report(api, "docx").status_code == 422
    assert api.get("/reports/progress", period=PERIOD).status_code == 401
    assert api.as_("head").get("/reports/progress", period=PERIOD, since="last year").status_code == 422


def test_the_default_format_is_markdown(api):
    assert api.as_("head").post("/periods", {"code": PERIOD}).status_code == 201
    response = api.as_("head").get("/reports/progress", period=PERIOD)
    assert response.status_code == 200 and response.mimetype == "text/markdown"
