"""The progress report built from approved content, in the shape of Report 13 to the
EODB (6 December 2007): sections, statuses, the counts, the appendix and training."""
import datetime as dt

from tests.conftest import complete_eqia
from workflow import documents, reports
from workflow.kinds import report
from workflow.strategy import STRATEGIC_2004
from workflow.users import User

RDU, HR = "Race & Diversity Unit", "Human Resources"
LEAD = User("lee", frozenset({"team_leader"}), frozenset({HR}), "2006-05-10")
HEAD = User("hana", frozenset({"head"}), frozenset({RDU}), "2006-03-01")
STRATEGIC = [{"number": n, "title": t} for n, t in STRATEGIC_2004]
PERIOD = "2007-08"

# Each Objective's "Status:" in the 2007 report.
SEED_STATUSES = {1: "amber_green", 2: "green", 3: "amber_green", 4: "amber", 5: "amber_green",
                 6: "amber", 7: "green", 8: "green", 9: "amber"}
SEED_WORDS = {1: "Amber/Green", 2: "Green", 3: "Amber/Green", 4: "Amber", 5: "Amber/Green",
              6: "Amber", 7: "Green", 8: "Green", 9: "Amber"}
SEED_TEXTS = {
    1: {"evidence": "The MPA’s Race Equality Scheme for 2005 – 2008 (RES) was updated on the MPA website by "
                    "5 February 2006.",
        "key_outcomes": "71 MPA members of staff have now been trained in how to conduct Equality Impact "
                        "Assessments, including the Chief Executive and Deputy Chief Executive.",
        "comment": "Partially achieved. The MPA training programme will continue to facilitate training to all "
                   "staff and members."},
    7: {"evidence": "Following the establishment of the MPA Domestic Violence Board (DVB) in April 2006, five "
                    "meetings have taken place.",
        "key_outcomes": "Having secured one of the Deputy Chairs of the MPA as co-chair, the Board has "
                        "representation from the following statutory bodies.",
        "comment": "Achieved – work is in full progress."},
}
SEED_COUNTS = {status: list(SEED_STATUSES.values()).count(status) for status in ("green", "amber_green", "amber", "red")}


def objective_fields(number, **entry):
    return {"heading": "The MPA as a Public Authority", "action": f"Action under objective {number}",
            "strands": ["race"], "deadline": "Ongoing", "outcomes": "As the plan says", "leads": [HR],
            "strategic": number, "progress": [{"period": PERIOD, **entry}]}


def approved(doc_id, kind, title, fields, at="2007-06-01T10:00:00+00:00"):
    """A document taken through create, screen, assess and the Head's approval (pure workflow)."""
    doc, _ = documents.create(LEAD, kind, title, HR, fields, at=at)
    doc.update(id=str(doc_id), version=1)
    for user, name in ((LEAD, "screen"), (LEAD, "assess"), (HEAD, "approve")):
        doc, _ = documents.transition(doc, user, name, at=at)
    return doc


def nine_objectives():
    return [approved(n, "objective", f"Objective {n} action",
                     objective_fields(n, status=SEED_STATUSES[n], **SEED_TEXTS.get(n, {})))
            for n in SEED_STATUSES]


def build(stored, eqias_since=None, training=None):
    return reports.build_progress_report(reports.seen_by_board(stored), STRATEGIC, PERIOD, eqias_since,
                                         training or {"staff": 0, "members": 0}, dt.date(2007, 12, 6))


def test_each_strategic_objective_gets_its_approved_sections_and_the_seed_status():
    fields = build(nine_objectives())
    assert [(s["strategic"], s["status"]) for s in fields["sections"]] == list(SEED_STATUSES.items())
    first = fields["sections"][0]
    assert first["title"] == STRATEGIC_2004[0][1]
    for key in ("evidence", "key_outcomes", "comment"):
        assert first[key] == SEED_TEXTS[1][key]
    assert fields["sections"][6]["evidence"] == SEED_TEXTS[7]["evidence"]
    assert not report.validate(fields)


def test_the_summary_counts_the_statuses_as_the_seed_has_them():
    fields = build(nine_objectives())
    counts = reports.status_summary(fields)["counts"]
    assert {s: counts[s] for s in SEED_COUNTS} == SEED_COUNTS and counts[None] == 0
    sentence = (f"Of the nine objectives, {SEED_COUNTS['green']} are Green, {SEED_COUNTS['amber_green']} "
                f"Amber/Green, {SEED_COUNTS['amber']} Amber and none Red.")
    assert reports.counts_sentence(fields) == sentence
    assert sentence in fields["summary"]
    assert "endorse the progress made towards achieving the Corporate Equality Objectives for 2007/08" in fields["summary"]


def test_several_objectives_under_one_roll_up_to_the_weakest_with_each_title_as_sub_heading():
    stored = [approved(1, "objective", "Publish the RES", objective_fields(1, status="green", evidence="RES published")),
              approved(2, "objective", "Train members", objective_fields(1, status="amber", evidence="Eight trained"))]
    section = build(stored)["sections"][0]
    assert (section["status"], section["rolled_up_from"]) == ("amber", 2)
    assert "##### Publish the RES\n\nRES published" in section["evidence"]
    assert "##### Train members\n\nEight trained" in section["evidence"]
    assert "rolled up from 2 objectives" in section["comment"]


def test_nothing_unapproved_reaches_the_report():
    stored = nine_objectives()
    draft, _ = documents.create(LEAD, "objective", "SECRETDRAFT objective", HR,
                                objective_fields(4, status="red", evidence="SECRETDRAFT evidence"))
    draft.update(id="50", version=1)
    revised, _ = documents.transition(stored[0], LEAD, "revise")
    revised, _ = documents.edit(revised, LEAD, changes={"progress": [
        {"period": PERIOD, "status": "red", "evidence": "SECRETDRAFT revision", "reason": "SECRETDRAFT"}]})
    fields = build([revised, *stored[1:], draft])
    text = reports.to_markdown("Report", fields) + reports.to_csv(fields)
    assert "SECRETDRAFT" not in text
    assert fields["sections"][0]["status"] == "amber_green"  # the approved revision's status


def test_the_appendix_lists_eqias_approved_since_the_date_and_training_is_split_staff_and_members():
    old = approved(1, "eqia", "Old policy EqIA", complete_eqia(), at="2004-05-01T09:00:00+00:00")
    new = approved(2, "eqia", "Recruitment EqIA", complete_eqia(), at="2007-03-02T09:00:00+00:00")
    fields = build([old, new], eqias_since="2005-01-01")
    assert [(e["title"], e["approved_at"]) for e in fields["eqia_appendix"]] == [("Recruitment EqIA", "2007-03-02")]
    users = [{"name": "a", "roles": ["staff"], "trained": "2006-01-01"},
             {"name": "b", "roles": ["eodb"], "trained": "2007-01-15"},
             {"name": "c", "roles": ["eodb"], "trained": "2008-01-15"},  # after the date
             {"name": "d", "roles": ["staff"], "trained": None},
             {"name": "e", "roles": ["staff"], "trained": "2006-01-01", "disabled": True}]
    assert reports.training_figures(users, dt.date(2007, 12, 6)) == {"staff": 1, "members": 1, "as_of": "2007-12-06"}


def test_the_markdown_follows_the_seed_order_and_the_csv_is_the_status_table():
    fields = {**build(nine_objectives()), "number": 13, "meeting_date": "2007-12-06"}
    text = reports.to_markdown(reports.report_title(PERIOD), fields)
    order = ["Report: 13", "Date: 6 December 2007", "By: the Chief Executive", "## Summary", "## A. Recommendations",
             "## B. Supporting information", "### Objective 1:", "5\\. **Evidence:**", "6\\. **Key Outcomes:**",
             "7\\. **Areas for Improvement:**", "**Overall comment:**", "**Status: Amber/Green**", "### Objective 9:",
             "### Status summary", "## C. Race and equality impact", "## D. Financial implications", "## Appendix 1"]
    positions = [text.index(marker) for marker in order]
    assert positions == sorted(positions)
    rows = reports.to_csv(fields).splitlines()
    assert rows[0] == "\ufeffObjective,Title,Status"  # the BOM: Excel reads it as UTF-8
    assert [row.rsplit(",", 1)[1] for row in rows[1:]] == list(SEED_WORDS.values())


def test_a_csv_cell_that_a_spreadsheet_would_run_is_quoted_as_text():
    fields = {"sections": [{"strategic": 1, "title": "=HYPERLINK(\"x\")", "status": "red"}]}
    assert reports.to_csv(fields).splitlines()[1].startswith("1,\"'=HYPERLINK")


def test_a_report_is_screened_with_a_period_and_a_section_and_submitted_with_summary_and_recommendations():
    assert report.screening_gaps({}) == [("period", "Enter the reporting period"),
                                         ("sections", "Add at least one objective's section")]
    assert report.submission_gaps({"summary": "S"}) == [("recommendations", "Enter the recommendations")]
    assert report.validate({"sections": [{"status": "purple"}], "number": "13"}) == {
        "sections.0.status": "Select the status: one of Red, Amber, Amber/Green, Green",
        "number": "Enter the report number as a whole number from 1 to 999"}


def unlinked_objectives():
    """Approved objectives the report's strategic objectives do not cover: one never linked
    (as imported), one reporting Red, and one linked to a number the list no longer has."""
    never = {key: value for key, value in objective_fields(1, status="amber").items() if key != "strategic"}
    unreported = {**objective_fields(2), "progress": [], "strategic": None}
    dangling = objective_fields(10, status="red")
    return [approved(20, "objective", "Never linked", never), approved(21, "objective", "No progress", unreported),
            approved(22, "objective", "Linked to a tenth", dangling)]


def test_approved_objectives_not_linked_to_a_strategic_objective_are_listed_with_their_status_and_counted():
    fields = build(nine_objectives() + unlinked_objectives())
    assert [(o["title"], o.get("status")) for o in fields["other_objectives"]] == [
        ("Never linked", "amber"), ("No progress", None), ("Linked to a tenth", "red")]
    assert [s["status"] for s in fields["sections"]] == list(SEED_STATUSES.values())  # the nine are unchanged
    counted = ("A further 3 approved objectives not yet linked to a strategic objective are listed under "
               "Other objectives, 1 of them not reported.")
    assert counted in fields["summary"]
    text = reports.to_markdown(reports.report_title(PERIOD), fields)
    assert counted in text.split("### Status summary")[1]
    other = text.index("### Other objectives")
    assert text.index("### Objective 9:") < other < text.index("### Status summary")
    for row in ("| Never linked | Human Resources | Amber |", "| No progress | Human Resources | Not reported |",
                "| Linked to a tenth | Human Resources | Red |"):
        assert row in text[other:]
    rows = reports.to_csv(fields).splitlines()
    assert rows[-3:] == ["Other objectives,Never linked,Amber", "Other objectives,No progress,Not reported",
                         "Other objectives,Linked to a tenth,Red"]
    assert report.validate(fields) == {}  # a generated draft keeps them when stored


def test_a_report_whose_objectives_are_all_linked_has_no_other_objectives_part():
    fields = build(nine_objectives())
    assert fields["other_objectives"] == []
    assert "Other objectives" not in reports.to_markdown(reports.report_title(PERIOD), fields)
    assert "further" not in fields["summary"]
