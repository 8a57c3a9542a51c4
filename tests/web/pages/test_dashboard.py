"""The dashboard and the overdue page: figures as the reader may see them, counted from the store."""
from html.parser import HTMLParser

import pytest

from tests.conftest import HR, PP, complete_eqia
from tests.web.browsing import sign_in
from workflow.kinds.objective import HEADINGS

PERIOD = "2007-08 Q3"
BY_TEAM = "Objectives by status and team, 2007/08 Q3"
COLUMNS = {"Red": "red", "Amber": "amber", "Amber/Green": "amber_green", "Green": "green", "No report": "none"}


class Tables(HTMLParser):
    """{caption: [[cell text, ...] per row]} of every table on a page."""

    def __init__(self, html):
        super().__init__()
        self.tables, self.caption, self.row, self.cell, self.in_caption = {}, None, None, None, False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "caption":
            self.in_caption, self.caption = True, ""
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "caption":
            self.in_caption = False
            self.tables[self.caption.strip()] = []
        elif tag in ("td", "th"):
            self.row.append(" ".join(self.cell.split()))
            self.cell = None
        elif tag == "tr":
            self.tables[self.caption.strip()].append(self.row)

    def handle_data(self, data):
        if self.in_caption:
            self.caption += data
        elif self.cell is not None:
            self.cell += data


def table(html, caption):
    """{row header: {column header: cell}} of the table with `caption`."""
    [head, *rows] = Tables(html).tables[caption]
    return {row[0]: dict(zip(head[1:], row[1:])) for row in rows}


def objective(api, title, status, team=HR, lead="hr_lead", deadline="Ongoing", strategic=1, heading=HEADINGS[0]):
    """An approved objective reporting `status` for PERIOD."""
    fields = {"heading": heading, "theme": "Accountability", "action": title, "deadline": deadline,
              "outcomes": "evidence", "leads": [team], "strands": ["race"], "strategic": strategic,
              "progress": [{"period": PERIOD, "status": status, "evidence": "minutes"}]}
    doc = api.as_(lead).post("/documents", {"kind": "objective", "title": title, "team": team, "fields": fields}).json
    doc = api.as_(lead).fire(doc, "screen").json
    doc = api.as_(lead).fire(doc, "assess").json
    return api.as_("head").fire(doc, "approve").json


def counted_from_store(store, period, seen_fields):
    """{team: {status key: count}} counted straight from the stored documents."""
    found = {}
    for doc in store.scan("documents"):
        fields = seen_fields(doc)
        if doc["kind"] != "objective" or fields is None:
            continue
        status = next((p["status"] for p in fields.get("progress", []) if p["period"] == period), "none")
        team = found.setdefault(doc["team"], dict.fromkeys(COLUMNS.values(), 0))
        team[status] += 1
    return found


def shown_counts(html, caption=BY_TEAM):
    return {team: {COLUMNS[word]: int(cell) for word, cell in row.items() if word in COLUMNS}
            for team, row in table(html, caption).items() if team != "All objectives"}


@pytest.fixture
def objectives(api):
    made = [objective(api, "Monitor recruitment", "red"), objective(api, "Publish the scheme", "amber"),
            objective(api, "Train the panel", "green"),
            objective(api, "Level 5", "amber_green", team=PP, lead="pp_lead", strategic=5, deadline="2007-06"),
            objective(api, "Review the plan", "red", team=PP, lead="pp_lead", strategic=5, heading=HEADINGS[2])]
    draft = {"heading": HEADINGS[0], "action": "Draft", "progress": [{"period": PERIOD, "status": "green"}]}
    api.as_("hr_lead").post("/documents", {"kind": "objective", "title": "Unapproved", "team": HR, "fields": draft})
    return made


def test_the_heads_figures_equal_a_count_made_from_the_store(client, store, objectives):
    sign_in(client, "head")
    page = client.get("/dashboard")
    assert page.status_code == 200 and '<option value="2007-08 Q3" selected>' in page.text
    assert shown_counts(page.text) == counted_from_store(store, PERIOD, lambda doc: doc["fields"])
    assert shown_counts(page.text)[HR]["green"] == 2  # the head sees the team's draft too
    by_heading = table(page.text, "Objectives by status and heading, 2007/08 Q3")
    assert by_heading["All objectives"]["Total"] == "6"


def test_a_board_members_figures_count_only_approved_revisions(client, store, api, objectives):
    doc = api.as_("hr_lead").fire(objectives[0], "revise").json  # Red in the approved revision
    progress = [{"period": PERIOD, "status": "green", "evidence": "new minutes"}]
    api.as_("hr_lead").patch(f"/documents/{doc['id']}", {"version": doc["version"], "fields": {"progress": progress}})

    def approved(doc):
        return (doc.get("published") or {}).get("fields")

    sign_in(client, "board")
    page = client.get("/dashboard?period=2007-08+Q3").text
    assert shown_counts(page) == counted_from_store(store, PERIOD, approved)
    assert shown_counts(page)[HR] == {"red": 1, "amber": 1, "amber_green": 0, "green": 1, "none": 0}
    sign_in(client, "head")
    assert shown_counts(client.get("/dashboard").text)[HR]["red"] == 0  # the head sees the new progress


def test_the_strategic_trend_rolls_up_each_period(client, objectives):
    sign_in(client, "smt")
    trend = table(client.get("/dashboard").text, "Rolled-up status of each strategic objective per reporting period")
    assert trend == {"1. Strategic objective 1": {"2007/08 Q3": "Red (3 reporting)"},
                     "5. Strategic objective 5": {"2007/08 Q3": "Red (2 reporting)"}}


@pytest.mark.parametrize("period", ["2007", "2007-09", "2099-00 Q1", "<script>", "2006-07", "x" * 500])
def test_a_bad_or_unknown_period_is_refused_with_a_reason(client, objectives, period):
    sign_in(client, "head")
    page = client.get("/dashboard", query_string={"period": period})
    assert page.status_code == 400
    assert "There is a problem" in page.text and "<script>" not in page.text


def test_the_dashboard_and_overdue_list_need_signing_in(client):
    for path in ("/dashboard", "/overdue"):
        assert client.get(path).status_code == 302


def test_the_overdue_page_lists_what_the_reader_may_see_per_team(client, store, api, objectives):
    fields = complete_eqia()
    fields["full_assessment"]["mitigations"][0]["deadline"] = "2007-05-31"
    eqia = api.as_("hr_staff").post("/documents", {"kind": "eqia", "title": "Recruitment EqIA", "team": HR,
                                                   "fields": fields}).json
    sign_in(client, "head")
    page = client.get("/overdue").text
    assert table(page, "Overdue items per team") == {
        HR: {"Objectives": "0", "Mitigation actions": "1", "Total": "1"},
        PP: {"Objectives": "1", "Mitigation actions": "0", "Total": "1"}}
    assert "Level 5" in page and "Recruitment EqIA" in page
    dashboard = client.get("/dashboard").text
    assert table(dashboard, "Overdue objectives and mitigation actions per team")["All teams"]["Total"] == "2"
    assert 'href="/overdue"' in dashboard
    sign_in(client, "board")  # the draft EqIA is not the Board's to see
    assert table(client.get("/overdue").text, "Overdue items per team") == {
        PP: {"Objectives": "1", "Mitigation actions": "0", "Total": "1"}}
    assert eqia["state"] == "draft"


def test_my_work_shows_a_leaders_overdue_items_without_counting_them(client, objectives):
    sign_in(client, "pp_lead")
    page = client.get("/").text
    assert "Overdue" in page and "Level 5" in page
    assert "Nothing is waiting for you." in page and "My work <span class=\"nav-count\">(0" in page
    sign_in(client, "hr_lead")
    assert "Level 5" not in client.get("/").text


def test_charts_are_labelled_images_with_their_numbers_in_words(client, objectives):
    sign_in(client, "head")
    page = client.get("/dashboard").text
    assert page.count('role="img"') == 5 and page.count("<title id=") == 5 and page.count("<desc id=") == 5
    assert "style=" not in page and "<style" not in page
    assert "Red 1 · Amber 1 · Amber/Green 0 · Green 2 · No report 0 · Total 4" in page
    assert 'aria-current="page">Dashboard</a>' in page
