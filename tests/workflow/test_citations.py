"""Citations of monitoring figures: their form, which are new, how a reader sees one (a suppressed
count stays suppressed; a dataset they may not see is not named), and flagged figures offered first."""
import pytest

from workflow import citations, monitoring
from workflow.kinds import eqia, objective

A = {"measure": "Applicants", "period": "2006-07", "strand": "race"}
S = {"measure": "Shortlisted", "period": "2006-07", "strand": "race"}
ROWS = [{**A, "group": "White British", "count": 100}, {**A, "group": "Black Caribbean", "count": 50},
        {**S, "group": "White British", "count": 40}, {**S, "group": "Black Caribbean", "count": 10}]


def view(rows=ROWS, totals=None, doc_id="5"):
    return {"id": doc_id, "title": "HR recruitment", "fields": {"rows": rows, **({"totals": totals} if totals else {})}}


def cite(**address):
    return {"dataset": "5", **S, "group": "Black Caribbean", **address}


@pytest.mark.parametrize("value", [
    "x", [cite(dataset=5)], [cite(dataset="five")], [{**cite(), "extra": 1}], [{"dataset": "5"}],
    [cite(group="")], [cite(measure="a\nb")], [cite()] * 51,
])
def test_a_citation_not_in_its_form_is_refused_by_the_eqia_and_the_objective(value):
    assert eqia.validate({"full_assessment": {"figures": value}})
    assert objective.validate({"progress": [{"period": "2007-08", "status": "red", "figures": value}]})


def test_a_citation_in_its_form_is_accepted_by_both():
    assert eqia.validate({"full_assessment": {"figures": [cite()]}}) == {}
    assert objective.validate({"progress": [{"period": "2007-08", "status": "red", "figures": [cite()]}]}) == {}


def test_only_the_citations_a_change_adds_are_new():
    before = {"kind": "objective", "fields": {"progress": [{"period": "2007-08", "figures": [cite()]}]}}
    after = {"kind": "objective", "fields": {"progress": [{"period": "2007-08", "figures": [cite()]},
                                                          {"period": "2008-09", "figures": [cite(group="White British")]}]}}
    assert citations.added(before, after) == [("progress.1.figures", cite(group="White British"))]
    assert citations.added(None, after)[0] == ("progress.0.figures", cite())


def test_a_cited_figure_is_shown_with_its_analysis_and_its_anchor():
    shown = citations.shown(cite(), view())
    assert shown["title"] == "HR recruitment" and shown["anchor"] == monitoring.anchor(cite())
    assert (shown["figure"].count, shown["figure"].relative_rate, shown["figure"].flagged) == (10, 0.5, True)


def test_a_figure_suppressed_in_the_readers_view_stays_suppressed_and_a_hidden_dataset_is_not_named():
    redacted = [dict(row, count=None) if row["group"] == "Black Caribbean" else row for row in ROWS]
    shown = citations.shown(cite(), view(redacted))
    assert shown["figure"].suppressed and shown["figure"].relative_rate is None and not shown["figure"].flagged
    hidden = citations.shown(cite(), None)
    assert hidden["hidden"] and "title" not in hidden and "dataset" not in hidden
    assert citations.shown(cite(group="Martian"), view())["figure"] is None


def test_the_flagged_figures_are_offered_first():
    offered = citations.candidates([view()])
    assert offered[0]["citation"] == cite() and offered[0]["figure"].flagged
    assert not any(c["figure"].flagged for c in offered[1:]) and len(offered) == 4


def test_an_assessment_citing_consultations_and_figures_needs_no_words_for_them_to_be_submitted():
    from tests.conftest import complete_eqia
    fields = complete_eqia()
    fields["full_assessment"].pop("consultation")
    fields["full_assessment"].pop("evidence")
    missing = {gap.field for gap in eqia.submission_gaps(fields)}
    assert {"full_assessment.consultation", "full_assessment.evidence"} <= missing
    fields["full_assessment"].update(consultations=["3"], figures=[cite()])
    assert not {gap.field for gap in eqia.submission_gaps(fields)} & missing
