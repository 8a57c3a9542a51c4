"""The report's paragraphs are numbered through it, as the 2007 report's are, and a text
cites one by key ({para:KEY}) so that "paragraphs 4 - 35" stays right when paragraphs move."""
from tests.workflow.test_reports_build import PERIOD, build, nine_objectives
from workflow import report_paragraphs, reports
from workflow.kinds import report


def numbered(fields):
    """{key: number} of the report's numbered paragraphs, in order."""
    return {b["key"]: b["number"] for b in reports.blocks("Report", fields) if b["type"] == "para"}


def test_paragraphs_are_numbered_through_section_b_in_the_seeds_order():
    fields = build(nine_objectives())
    numbers = numbered(fields)
    assert list(numbers.values()) == list(range(1, len(numbers) + 1))
    keys = list(numbers)
    assert keys[:4] == ["background-1", "background-2", "background-3", "traffic-lights"]
    assert keys[4:7] == ["objective-1-evidence", "objective-1-key-outcomes", "objective-1-improvements"]
    assert keys[-4:] == ["aims-comment", "action-required", "standard-steps", "future-objectives"]


def test_the_recommendation_cites_its_paragraphs_by_number_in_every_written_form():
    fields = build(nine_objectives())
    numbers = numbered(fields)
    cited = f"as outlined in paragraphs {numbers['traffic-lights']} - {numbers['standard-steps']} to keep"
    assert "{para:" in fields["recommendations"]  # stored as references, written out as numbers
    markdown = reports.to_markdown("Report", fields)
    assert cited in markdown and "{para:" not in markdown


def test_a_reference_follows_its_paragraph_when_paragraphs_are_added_before_it():
    fields = build(nine_objectives())
    before = numbered(fields)
    fields["background"] += "\n\nA fourth background paragraph.\n\nAnd a fifth."
    fields["aims_comment"] = "See paragraph {para:objective-2} and {para:background-5}."
    after = numbered(fields)
    assert after["traffic-lights"] == before["traffic-lights"] + 2
    markdown = reports.to_markdown("Report", fields)
    assert f"paragraphs {after['traffic-lights']} - {after['standard-steps']} to keep" in markdown
    assert f"See paragraph {after['objective-2-evidence']} and 5." in markdown
    assert report.validate(fields) == {}


def test_a_list_stays_in_the_paragraph_it_follows():
    text = "Some change programmes include:\n\n- Equality Schemes\n- Safer Neighbourhoods\n\nAnother paragraph."
    assert report_paragraphs.split(text) == [
        "Some change programmes include:\n\n- Equality Schemes\n- Safer Neighbourhoods", "Another paragraph."]


def test_a_reference_to_a_paragraph_the_report_does_not_have_is_refused_where_it_is_written():
    fields = build(nine_objectives())
    for path, value in (("recommendations", "See {para:background-9}."),
                        ("footnotes", "1. See {para:objective-10-evidence}."), ("action_required", "{para:nowhere}")):
        errors = report.validate({**fields, path: value})
        assert list(errors) == [path] and "There is no paragraph" in errors[path], path
    sections = [dict(s) for s in fields["sections"]]
    sections[2]["comment"] = "As {para:traffic-light}"
    assert list(report.validate({**fields, "sections": sections})) == ["sections.2.comment"]


def test_a_report_stored_before_the_background_was_editable_still_numbers_its_generated_paragraphs():
    fields = {key: value for key, value in build(nine_objectives()).items() if key != "background"}
    numbers = numbered(fields)
    assert numbers["background-1"] == 1 and numbers["traffic-lights"] == 4
    assert reports.to_markdown(reports.report_title(PERIOD), fields).count("{para:") == 0
