"""What the report counts and lists as at its period's end, and the objectives outside the
strategic ones shown by their plan heading with their texts."""
import datetime as dt

from tests.conftest import complete_eqia
from tests.workflow.test_reports_build import STRATEGIC, approved, objective_fields
from workflow import reports, standard

EMPLOYER = "The MPA as an Exemplary Employer"


def test_eqias_carried_out_are_counted_up_to_the_periods_end_not_to_today():
    eqias = [approved(1, "eqia", "Before the plan ended", complete_eqia(), at="2006-11-01T09:00:00+00:00"),
             approved(2, "eqia", "After the plan ended", complete_eqia(), at="2007-06-01T09:00:00+00:00")]
    seen = reports.seen_by_board(eqias)
    for period, listed in (("2004-05 to 2006-07", ["Before the plan ended"]), ("2006-07", ["Before the plan ended"]),
                           ("2007-08", ["Before the plan ended", "After the plan ended"])):
        fields = reports.build_progress_report(seen, STRATEGIC, period, "2004-04-01", {}, dt.date(2026, 1, 1))
        assert [e["title"] for e in fields["eqia_appendix"]] == listed, period
    fields = reports.build_progress_report(seen, STRATEGIC, "2006-07", None, {}, dt.date(2026, 1, 1))
    assert "1 Equality Impact Assessment (EqIA) has been carried out by 31 March 2007" in fields["background"]


def other(doc_id, title, heading, **entry):
    fields = {key: value for key, value in objective_fields(1, **entry).items() if key != "strategic"}
    return approved(doc_id, "objective", title, {**fields, "heading": heading, "progress": fields["progress"] if entry
                                                 else []})


def test_other_objectives_are_grouped_by_their_heading_with_the_texts_of_their_progress():
    docs = [other(30, "Publish the scheme", "The MPA as a Communicator", status="green", evidence="Scheme published",
                  key_outcomes="Read by 300 groups"),
            other(31, "Train recruiters", EMPLOYER, status="amber", improvements="Half trained"),
            other(32, "Consult forums", "The MPA as a Communicator", status="red", comment="Not started"),
            other(33, "Nothing yet", EMPLOYER)]
    fields = reports.build_progress_report(reports.seen_by_board(docs), STRATEGIC, "2007-08", None, {},
                                           dt.date(2007, 12, 6))
    text = reports.to_markdown("Report", fields).split("### Other objectives")[1].split("### Status summary")[0]
    community, employer = text.index("#### The MPA as a Communicator"), text.index(f"#### {EMPLOYER}")
    assert community < text.index("**Publish the scheme** (Human Resources). Status: Green.") < \
        text.index("**Evidence:** Scheme published") < text.index("**Key Outcomes:** Read by 300 groups") < \
        text.index("**Consult forums**") < text.index("**Overall comment:** Not started") < employer < \
        text.index("**Areas for Improvement:** Half trained")
    assert "| Nothing yet | Human Resources | Not reported |" in text  # listed, though it has no texts to show
    assert "**Nothing yet**" not in text


def cell(level, area, assessed="met", **more):
    """An Equality Standard cell as the Board sees it once approved."""
    return {"kind": "standard_cell", "approved_at": "2007-06-01", "fields": {
        "level": level, "area": area, "self_assessed": assessed, "evidence": [{"text": "Minutes"}], **more}}


def test_the_standard_steps_start_as_what_the_next_level_still_needs():
    cells = [cell(level, area) for level in (1, 2) for area in standard.AREAS]  # levels 1 & 2, as in 2007
    cells += [cell(3, "employment", requirements="Carry out an Equal Pay Audit"),
              cell(3, "leadership", "in_progress", requirements=standard.SEED_REQUIREMENTS[(3, "leadership")])]
    fields = reports.build_progress_report(cells, STRATEGIC, "2007-08", None, {}, dt.date(2007, 12, 6))
    steps = fields["standard_steps"]
    assert steps.startswith("The steps identified as requisites to meet level 3 of the Equality Standard")
    assert standard.SEED_REQUIREMENTS[(3, "leadership")] in steps  # begun, not met
    assert "Level 3 (setting the equality objectives and targets) in Service Delivery" in steps  # no cell yet
    assert "Equal Pay Audit" not in steps  # met
    markdown = reports.to_markdown("Report", fields)
    assert markdown.index("**Action Required:**") < markdown.index("The steps identified") < \
        markdown.index("### Future Corporate Equality Objectives")
    none_kept = reports.build_progress_report([], STRATEGIC, "2007-08", None, {}, dt.date(2007, 12, 6))
    assert none_kept["standard_steps"] == ""
