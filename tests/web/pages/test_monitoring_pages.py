"""Monitoring dataset pages: a new dataset from an uploaded CSV file, its counts replaced by another,
and the dataset page with the analysis beside each count and the trends as charts with their tables."""
import io
import re

import pytest
from flask import render_template

from tests.conftest import HR
from tests.web.browsing import sign_in, version_on
from workflow import monitoring

GOOD = (b"measure,period,strand,group,count\n"
        b"Applicants,2006-07,race,White,400\n"
        b"Applicants,2006-07,race,Asian or Asian British,200\n"
        b"Applicants,2006-07,race,Indian,200\n"
        b"Shortlisted,2006-07,race,White,80\n"
        b"Shortlisted,2006-07,race,Indian,30\n"
        b"Applicants,2007-08,race,White,380\n"
        b"Applicants,2007-08,race,Indian,240\n")
BAD = (b"measure,period,strand,group,count\n"
       b"Applicants,2006-07,race,White,400\n"
       b"Applicants,2006/07,race,Indian,200\n"
       b"Applicants,2006-07,race,Irish\n"
       b"Applicants,2006-07,race,White,12\n")


def upload(client, address, data, **fields):
    return client.post(address, data={**fields, "file": (io.BytesIO(data), "counts.csv")},
                       content_type="multipart/form-data")


@pytest.fixture
def staff(client, cast):
    assert sign_in(client, "hr_staff").status_code == 302
    return client


def made(client, data=GOOD):
    response = upload(client, "/monitoring/new", data, title="Recruitment 2006-08", team=HR)
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def test_choosing_a_monitoring_dataset_leads_to_the_upload_page(staff):
    assert "Monitoring dataset" in staff.get("/documents/new").text
    chosen = staff.get("/documents/new?kind=monitoring")
    assert chosen.status_code == 303 and chosen.headers["Location"].endswith("/monitoring/new")
    page = staff.get("/monitoring/new").text
    assert 'type="file"' in page and "measure,period,strand,group,count" in page


def test_an_uploaded_file_becomes_a_draft_shown_with_its_analysis(staff, store):
    address = made(staff)
    [doc] = store.scan("documents")
    assert (doc["kind"], doc["state"], doc["team"], len(doc["fields"]["rows"])) == ("monitoring", "draft", HR, 7)
    page = staff.get(address).text
    shortlisted = page[page.index("<caption>Shortlisted, 2006/07, by race"):]
    shortlisted = shortlisted[:shortlisted.index("</table>")]
    # 80/400 = 20.0%, 30/200 = 15.0%; relative 15/20 = 75.0%: below four-fifths, said in words
    indian = re.search(r'<tr id="([^"]+)" class="flagged">\s*<th scope="row">Indian</th>(.*?)</tr>', shortlisted, re.S)
    assert indian and indian.group(1) == monitoring.anchor(
        {"measure": "Shortlisted", "period": "2006-07", "strand": "race", "group": "Indian"})
    assert re.findall(r"<td>([^<]*)</td>", indian.group(2))[:4] == ["30", "27.3%", "15.0%", "75.0%"]
    assert "Flagged: below 80% of the most favoured group" in indian.group(2)
    white = re.search(r'<th scope="row">White</th>(.*?)</tr>', shortlisted, re.S).group(1)
    assert re.findall(r"<td>([^<]*)</td>", white)[:4] == ["80", "72.7%", "20.0%", "100.0%"] and "Flagged" not in white
    assert "<td>No</td>" in white


def test_the_trend_across_periods_is_a_chart_with_its_table(staff):
    page = staff.get(made(staff)).text
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"' in page
    trend = page[page.index("<caption>Applicants by race: the chart"):]
    trend = trend[:trend.index("</table>")]
    assert re.search(r'<th scope="row">Indian</th><td>200</td><td>240</td>', trend)
    assert re.search(r'<th scope="row">Asian or Asian British</th><td>200</td><td>Not counted</td>', trend)


def test_a_bad_file_lists_every_bad_line_and_creates_nothing(staff, store):
    response = upload(staff, "/monitoring/new", BAD, title="Recruitment", team=HR)
    assert response.status_code == 422
    summary = response.text[response.text.index('class="error-summary"'):]
    summary = summary[:summary.index("</div>")]
    assert re.findall(r'<li><a href="#file">(Line \d+):', summary) == ["Line 3", "Line 4", "Line 5"]
    assert "repeats the count of line 2" in summary
    assert "Correct the lines listed above" in response.text
    assert store.scan("documents") == [] and store.scan("history") == []


def test_an_upload_without_a_file_or_by_another_team_is_refused(staff, store):
    missing = staff.post("/monitoring/new", data={"title": "T", "team": HR}, content_type="multipart/form-data")
    assert missing.status_code == 422 and "Select a CSV file of the counts" in missing.text
    other = upload(staff, "/monitoring/new", GOOD, title="T", team="Planning & Performance")
    assert other.status_code == 403 and "a team you belong to" in other.text
    assert store.scan("documents") == []


def test_an_empty_file_and_a_long_description_are_each_said_beside_their_input(staff, store):
    empty = upload(staff, "/monitoring/new", b"", title="T", team=HR)
    assert empty.status_code == 422 and "The file is empty" in empty.text
    long = upload(staff, "/monitoring/new", GOOD, title="T", team=HR, **{"fields.description": "x" * 20001})
    assert long.status_code == 422
    assert '<a href="#fields-description">' in long.text and 'id="fields-description"' in long.text
    assert store.scan("documents") == []


def test_the_board_cannot_draft_a_dataset(client, cast):
    assert sign_in(client, "board").status_code == 302
    assert client.get("/monitoring/new").status_code == 403
    assert upload(client, "/monitoring/new", GOOD, title="T", team=HR).status_code == 403


def test_a_drafts_counts_are_replaced_by_uploading_again(staff, store):
    address = made(staff)
    edit = staff.get(address + "/edit")
    assert edit.status_code == 303 and edit.headers["Location"].endswith(address + "/counts")
    form = staff.get(address + "/counts").text
    replaced = upload(staff, address + "/counts", b"measure,period,strand,group,count\nLeavers,2007-08,age,25 to 34,9\n",
                      title="Leavers 2007-08", **{"fields.description": "By age band"},
                      version=version_on(form))
    assert replaced.status_code == 302
    [doc] = store.scan("documents")
    assert doc["fields"]["description"] == "By age band"
    assert doc["title"] == "Leavers 2007-08" and doc["fields"]["rows"] == [
        {"measure": "Leavers", "period": "2007-08", "strand": "age", "group": "25 to 34", "count": 9}]


def test_a_bad_replacement_or_a_stale_one_changes_nothing(staff, store):
    address = made(staff)
    version = version_on(staff.get(address + "/counts").text)
    [before] = store.scan("documents")
    bad = upload(staff, address + "/counts", BAD, title="Changed", version=version)
    assert bad.status_code == 422 and "Line 3:" in bad.text and "Line 5:" in bad.text
    stale = upload(staff, address + "/counts", GOOD, title="Changed", version=str(int(version) - 1))
    assert stale.status_code == 409
    assert store.scan("documents") == [before]


@pytest.mark.parametrize("reader", ["pp_staff", "pp_lead", "board", "smt", "admin"])
def test_only_the_owning_team_and_the_head_replace_the_counts(staff, client, store, reader):
    address = made(staff)
    version = version_on(staff.get(address + "/counts").text)
    assert sign_in(client, reader).status_code == 302
    assert client.get(address + "/counts").status_code in (403, 404)
    assert upload(client, address + "/counts", GOOD, title="Mine", version=version).status_code in (403, 404)
    assert store.scan("documents")[0]["title"] == "Recruitment 2006-08"


def test_a_suppressed_count_is_said_and_nothing_is_worked_out_from_it(app):
    """A view as readers outside the owning team get it (workflow.suppression), built by hand."""
    rows = [{"measure": m, "period": "2006-07", "strand": "disability", "group": g, "count": n}
            for m, g, n in (("Applicants", "Disabled", 40), ("Applicants", "Not disabled", 300),
                            ("Applicants", "Prefer not to say", None), ("Applicants", "Not known", None),
                            ("Shortlisted", "Disabled", None), ("Shortlisted", "Not disabled", 30),
                            ("Shortlisted", "Prefer not to say", None), ("Shortlisted", "Not known", None))]
    totals = [{"measure": "Applicants", "period": "2006-07", "strand": "disability", "count": 350}]
    fields = {"strand_set": "ces2004", "rows": rows, "totals": totals}
    with app.test_request_context():
        html = render_template("documents/_show_monitoring.html", fld=fields, doc={"id": "1", "title": "T"},
                               editable=False)
    applicants = html[html.index("<caption>Applicants"):html.index("<caption>Shortlisted")]
    disabled = re.search(r'<th scope="row">Disabled</th>(.*?)</tr>', applicants, re.S).group(1)
    assert re.findall(r"<td>([^<]*)</td>", disabled) == ["40", "11.4%"]  # 40 of the published 350
    not_said = re.search(r'<th scope="row">Prefer not to say</th>(.*?)</tr>', applicants, re.S).group(1)
    assert re.findall(r"<td>([^<]*)</td>", not_said) == ["Suppressed", "Not worked out"]
    shortlisted = html[html.index("<caption>Shortlisted"):]
    disabled = re.search(r'<th scope="row">Disabled</th>(.*?)</tr>', shortlisted, re.S).group(1)
    assert re.findall(r"<td>([^<]*)</td>", disabled) == ["Suppressed", "Not worked out", "Not worked out",
                                                         "Not worked out", "No"]
    others = re.search(r'<th scope="row">Not disabled</th>(.*?)</tr>', shortlisted, re.S).group(1)
    # 30/300 = 10%, the only rate published: the yardstick; no total given, so no share
    assert re.findall(r"<td>([^<]*)</td>", others) == ["30", "Not worked out", "10.0%", "100.0%", "No"]
    assert "<td>Not published</td>" in shortlisted
