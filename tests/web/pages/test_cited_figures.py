"""Monitoring figures cited as evidence by an EqIA and an objective's progress entry: offered flagged
first, checked to be in a dataset the writer may see from every door, shown to each reader as they
may see the dataset, linked to the figure on the dataset's page."""
from flask import render_template_string

from tests.conftest import HR, PP, complete_eqia
from tests.web.browsing import sign_in, version_on
from tests.web.pages.test_progress import open_period, progress_form
from workflow import citations, monitoring

ROWS = [{"measure": "Applicants", "period": "2006-07", "strand": "race", "group": g, "count": n}
        for g, n in (("White British", 100), ("Black Caribbean", 50))] + \
       [{"measure": "Shortlisted", "period": "2006-07", "strand": "race", "group": g, "count": n}
        for g, n in (("White British", 40), ("Black Caribbean", 10))]
FLAGGED = {"measure": "Shortlisted", "period": "2006-07", "strand": "race", "group": "Black Caribbean"}
PLAIN = {"measure": "Applicants", "period": "2006-07", "strand": "race", "group": "White British"}


def dataset(api, who="hr_lead", team=HR, title="Recruitment monitoring 2006-07"):
    made = api.as_(who).post("/documents", {"kind": "monitoring", "title": title, "team": team,
                                            "fields": {"description": "HR recruitment", "rows": ROWS}})
    assert made.status_code == 201, made.json
    return made.json


def eqia(api, figures=None):
    fields = complete_eqia()
    if figures is not None:
        fields["full_assessment"]["figures"] = figures
    return api.as_("hr_staff").post("/documents", {"kind": "eqia", "title": "Recruitment EqIA", "team": HR,
                                                   "fields": fields})


def test_the_cite_page_offers_the_flagged_figure_first_and_the_eqia_page_links_to_it(client, api, store):
    data = dataset(api)
    doc = eqia(api).json
    sign_in(client, "hr_staff")
    page = client.get(f"/documents/{doc['id']}/figures").text
    flagged_value = citations.value({"dataset": data["id"], **FLAGGED})
    assert flagged_value in page and citations.value({"dataset": data["id"], **PLAIN}) not in page  # flagged only
    every = client.get(f"/documents/{doc['id']}/figures?dataset={data['id']}").text
    assert every.index(flagged_value) < every.index(citations.value({"dataset": data["id"], **PLAIN}))
    saved = client.post(f"/documents/{doc['id']}/figures", data={
        "version": version_on(every), "figures": [flagged_value], "offered": [flagged_value]})
    assert saved.status_code == 302, saved.text
    assert store.get("documents", doc["id"])["fields"]["full_assessment"]["figures"] == [
        {"dataset": data["id"], **FLAGGED}]
    shown = client.get(f"/documents/{doc['id']}").text
    link = f'/documents/{data["id"]}#{monitoring.anchor(FLAGGED | {"dataset": data["id"]})}'
    assert link in shown and "Flagged: below four-fifths" in shown and "relative rate 0.50" in shown


def test_a_figure_not_in_a_dataset_the_writer_sees_is_refused_from_the_api_and_the_page(client, api, store):
    ours, theirs = dataset(api), dataset(api, "pp_lead", PP, "Planning monitoring")
    refused = eqia(api, [{"dataset": theirs["id"], **FLAGGED}])
    assert refused.status_code == 422 and list(refused.json["details"]) == ["fields.full_assessment.figures"]
    assert eqia(api, [{"dataset": ours["id"], **FLAGGED, "group": "Martian"}]).status_code == 422
    assert eqia(api, [{"dataset": "nope", **FLAGGED}]).status_code == 422
    assert [d for d in store.scan("documents") if d["kind"] == "eqia"] == []
    doc = eqia(api).json
    sign_in(client, "hr_staff")
    page = client.get(f"/documents/{doc['id']}/figures").text
    assert "Planning monitoring" not in page
    forged = citations.value({"dataset": theirs["id"], **FLAGGED})
    posted = client.post(f"/documents/{doc['id']}/figures", data={"version": version_on(page), "figures": [forged]})
    assert posted.status_code == 422 and 'id="figures-error"' in posted.text
    assert "figures" not in store.get("documents", doc["id"])["fields"]["full_assessment"]


def test_a_reader_who_may_not_see_the_dataset_is_told_so_without_its_name(client, api):
    data = dataset(api, title="SECRET dataset title")
    doc = eqia(api, [{"dataset": data["id"], **FLAGGED}]).json
    doc = api.as_("hr_staff").fire(doc, "screen").json
    doc = api.as_("hr_lead").fire(doc, "assess").json
    assert api.as_("head").fire(doc, "approve").status_code == 200
    for reader in ("board", "pp_staff", None):
        client.post("/sign-out")
        if reader:
            sign_in(client, reader)
        page = client.get(f"/documents/{doc['id']}" if reader else f"/register/eqia/{doc['id']}").text
        assert "in a dataset you cannot see" in page, reader
        assert "SECRET dataset title" not in page and f"/documents/{data['id']}#" not in page


def test_an_objectives_progress_entry_cites_a_figure_and_rewriting_the_entry_keeps_it(app, client, api, store):
    data = dataset(api)
    objective = api.as_("hr_lead").post("/documents", {"kind": "objective", "title": "Recruit fairly", "team": HR,
                                                        "fields": {"action": "Recruit fairly", "progress": [
                                                            {"period": "2007-08", "status": "amber"}]}}).json
    sign_in(client, "hr_lead")
    shown = client.get(f"/documents/{objective['id']}").text
    assert f"/documents/{objective['id']}/figures?period=2007-08" in shown
    page = client.get(f"/documents/{objective['id']}/figures?period=2007-08").text
    value = citations.value({"dataset": data["id"], **FLAGGED})
    saved = client.post(f"/documents/{objective['id']}/figures", data={
        "version": version_on(page), "period": "2007-08", "figures": [value], "offered": [value]})
    assert saved.status_code == 302, saved.text
    [entry] = store.get("documents", objective["id"])["fields"]["progress"]
    assert entry["figures"] == [{"dataset": data["id"], **FLAGGED}] and entry["status"] == "amber"
    assert "Flagged: below four-fifths" in client.get(f"/documents/{objective['id']}").text
    assert client.get(f"/documents/{objective['id']}/figures?period=2001-02").status_code == 404
    open_period(app, "2007-08")
    url = f"/documents/{objective['id']}/progress?period=2007-08"
    rewritten = client.post(url, data=progress_form(client.get(url).text, period="2007-08", status="green"))
    assert rewritten.status_code == 302, rewritten.text
    [entry] = store.get("documents", objective["id"])["fields"]["progress"]
    assert entry["status"] == "green" and entry["figures"] == [{"dataset": data["id"], **FLAGGED}]


def test_a_cited_figure_suppressed_in_the_readers_view_reads_suppressed_without_a_count_or_flag(app):
    """The view slice B's suppression gives readers outside the owning team, built by hand."""
    redacted = [dict(row, count=None) if row["group"] == "Black Caribbean" else row for row in ROWS]
    view = {"id": "7", "title": "HR recruitment", "fields": {"rows": redacted}}
    with app.test_request_context():
        html = render_template_string('{% import "documents/_figures.html" as fig with context %}'
                                      "{{ fig.cited_figures(cited) }}",
                                      cited=[citations.shown({"dataset": "7", **FLAGGED}, view)])
    assert "Suppressed (too few people to publish)" in html and "Flagged" not in html
    assert f'href="/documents/7#{monitoring.anchor(FLAGGED)}"' in html
