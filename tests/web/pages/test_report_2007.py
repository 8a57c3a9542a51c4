"""The issue's test: the 2007 report to the EODB, re-entered as its seed gives it (its nine
objectives with Evidence, Key Outcomes, Areas for Improvement, Overall comments and statuses,
its recommendations, background and closing sections), regenerates with every section of the
seed in the seed's order, as Markdown, HTML and PDF alike."""
import io
import re
from pathlib import Path

from pypdf import PdfReader

from services import period_service
from tests.conftest import HR
from tests.web.api.test_reports_api import fire_all
from tests.web.browsing import sign_in, version_on
from tests.web.pages.test_reports import generated, rdu_lead  # noqa: F401 (a fixture)
from tests.workflow.test_reports_build import objective_fields
from workflow.users import User

SEED = Path("/work/shared/seeds/equalities-objectives-progress-report-2007.txt")
PERIOD = "2007-08"  # "key outcomes to date during 2007/08"
STATUS = {"Green": "green", "Amber/Green": "amber_green", "Amber": "amber", "Red": "red"}
# The seed's section headings: its lettered sections, its objectives, and these, after its "Report: 13".
NAMED = {"Summary", "Progress Against Corporate Objectives", "Future Corporate Equality Objectives", "Footnotes"}
# What the app adds to the seed's sections: the status table, and the EqIAs it lists ("see Appendix 1").
ADDED = re.compile(r"Status summary|Appendix 1: .*")
OBJECTIVE = re.compile(r"Objective ([0-9]+): (.+)")
PARAGRAPH = re.compile(r"^[0-9]+\. ", re.M)
IMPROVEMENTS = re.compile(r"(?:Areas [Ff]or Improvement|Work proposal): (.*?) Overall [Cc]omment: (.*?)\s*"
                          r"Status: (Amber/Green|Green|Amber|Red)", re.S)
FIELD_OPENINGS = {"Evidence: ": "evidence", "Key Outcomes: ": "key_outcomes"}


def seed_lines():
    """The seed from its "Report: 13", its bullets written as Markdown's."""
    lines = [re.sub(r"^•\s+", "- ", line.strip()) for line in SEED.read_text(encoding="utf-8").splitlines()]
    return lines[lines.index("Report: 13"):]


def seed_headings():
    return [line for line in seed_lines() if line in NAMED or re.match(r"[A-F]\. [A-Z]", line) or OBJECTIVE.match(line)]


def seed_between(first, last, skip=1):
    """The seed's text from the line starting `first` (after it, unless skip=0) up to the line starting `last`."""
    lines = seed_lines()
    start = next(i for i, line in enumerate(lines) if line.startswith(first)) + skip
    end = next(i for i, line in enumerate(lines) if i > start and line.startswith(last))
    return "\n".join(lines[start:end]).strip()


def paragraph(first, last, label=""):
    """One numbered paragraph of the seed without its number (the report numbers it) and label."""
    return re.sub(rf"^[0-9]+\. {label}", "", seed_between(first, last, skip=0))


def unnumbered(text):
    """The seed's numbered paragraphs as Markdown paragraphs (the report numbers them itself)."""
    return "\n\n".join(part.strip() for part in PARAGRAPH.split(text) if part.strip())


def seed_objectives():
    """{number: (title, progress entry)} of the seed's nine objectives."""
    lines = seed_lines()
    starts = [i for i, line in enumerate(lines) if OBJECTIVE.match(line)]
    ends = starts[1:] + [next(i for i, line in enumerate(lines) if line.startswith("In addition to these"))]
    found = {}
    for start, end in zip(starts, ends):
        number, title = OBJECTIVE.match(lines[start]).groups()
        entry, last = {}, None
        for part in (p.strip() for p in PARAGRAPH.split("\n".join(lines[start + 1:end])) if p.strip()):
            opening = next((o for o in FIELD_OPENINGS if part.startswith(o)), None)
            rest = IMPROVEMENTS.fullmatch(re.sub(r"\s*\[[0-9]+\]", "", part).rstrip(". "))  # no footnote mark
            if opening:
                last = FIELD_OPENINGS[opening]
                entry[last] = part.removeprefix(opening)
            elif rest:
                entry.update(improvements=rest[1], comment=rest[2], status=STATUS[rest[3]])
            else:  # a paragraph continuing the one before (Objective 7's evidence has two)
                entry[last] += "\n\n" + part
        found[int(number)] = (title, entry)
    return found


def closing_texts():
    """The seed's texts after its objectives, by the report's field names."""
    return {"fields.recommendations": seed_between("A. Recommendations", "B. Supporting information").replace(
                "paragraphs 4 - 35", "paragraphs {para:traffic-lights} - {para:standard-steps}"),
            "fields.background": unnumbered(seed_between("B. Supporting information", "Progress Against")),
            "fields.ongoing_aims": seed_between("In addition to these", "33. Comment", skip=0),
            "fields.aims_comment": paragraph("33. Comment", "34. Action", "Comment: "),
            "fields.action_required": paragraph("34. Action", "35. There", "Action Required: "),
            "fields.standard_steps": paragraph("35. There", "Future Corporate"),
            "fields.future_objectives": paragraph("37. In the MPA", "C. Race"),
            "fields.race_equality_impact": seed_between("C. Race", "D. Financial"),
            "fields.financial_implications": seed_between("D. Financial", "E. Background"),
            "fields.background_papers": "", "fields.contact_details": seed_between("F. Contact", "Footnotes"),
            "fields.footnotes": seed_between("Footnotes", "Supporting material")}


def enter_the_2007_report(client, api, store):
    """The seed's strategic objectives, objectives and report text, through the services."""
    keeper = User("head", frozenset({"head"}), frozenset({"Race & Diversity Unit"}))
    for number, (title, entry) in seed_objectives().items():
        if any(s["number"] == number for s in period_service.list_strategic(store)):
            record = period_service.strategic(store, number)
            period_service.retitle_strategic(store, keeper, number, title, record["version"])
        else:
            period_service.add_strategic(store, keeper, number, title)
        doc = api.as_("hr_lead").post("/documents", {"kind": "objective", "title": f"Objective {number}", "team": HR,
                                                     "fields": {**objective_fields(number), "progress": [
                                                         {"period": PERIOD, **entry}]}})
        assert doc.status_code == 201, doc.json
        fire_all(api, doc.json, (("hr_lead", "screen"), ("hr_lead", "assess"), ("head", "approve")))
    url = generated(client, **{"fields.period": PERIOD, "fields.meeting_date": "2007-12-06"})
    edit = client.get(url + "/edit").text
    saved = client.post(url + "/edit", data={"version": version_on(edit), **closing_texts()})
    assert saved.status_code == 302, saved.text
    return url


def markdown_headings(text):
    return [line.lstrip("#").strip() for line in text.splitlines() if re.match(r"#{2,6} ", line)]


def html_headings(text):
    body = text.split('<main', 1)[1] if "<main" in text else text
    return [re.sub(r"<[^>]+>", "", h).strip().replace("&amp;", "&").replace("&#39;", "'")
            for h in re.findall(r"<h[2-6][^>]*>(.*?)</h[2-6]>", body, re.S)]


def sections_only(headings):
    return [h for h in headings if not ADDED.fullmatch(h)]


def test_the_2007_report_reentered_regenerates_every_seed_section_in_order_in_every_format(client, api, store,
                                                                                          rdu_lead):
    url = enter_the_2007_report(client, api, store)
    wanted = seed_headings()
    assert len(wanted) == 19 and wanted[0] == "Summary" and wanted[-1] == "Footnotes"
    sign_in(client, "rdu_lead")
    markdown = client.get(url + ".md").text
    assert sections_only(markdown_headings(markdown)) == wanted
    html = client.get(url).text
    shown = html_headings(html.split('class="report"', 1)[-1])
    assert sections_only(shown[shown.index("Summary"):]) == wanted
    standalone = client.get(url + ".pdf")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(standalone.data)).pages).split())
    positions = [text.find(heading) for heading in wanted]
    assert -1 not in positions and positions == sorted(positions), [h for h, p in zip(wanted, positions) if p < 0]

    # Its numbers and texts as the seed has them.
    assert "Report: 13" not in markdown  # not yet on a meeting: no agenda number is made up
    standard = re.search(r"^([0-9]+)\\\. There are three key steps", markdown, re.M)
    assert f"as outlined in paragraphs 4 - {standard[1]} to keep the MPA" in markdown
    assert re.search(r"^4\\\. To assist members assess progress", markdown, re.M)
    for number, (_, entry) in seed_objectives().items():
        section = markdown.split(f"### Objective {number}: ")[1].split("\n### ")[0]
        word = {v: k for k, v in STATUS.items()}[entry["status"]]
        assert f"**Status: {word}**" in section and entry["evidence"].split("\n")[0] in section
        assert entry["improvements"] in section and entry["comment"] in section
