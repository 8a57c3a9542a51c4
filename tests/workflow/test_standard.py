"""The Equality Standard: the level achieved derived from signed-off cells, and what a cell may hold."""
import pytest

from tests.conftest import RDU
from workflow import documents, machine, standard
from workflow.errors import Forbidden, Invalid, Unmet
from workflow.kinds import standard_cell
from workflow.users import User

AREAS = list(standard.AREAS)
EVIDENCE = [{"description": "Equality and Diversity Policy", "document": "12"}]
LEAD = User("lead", frozenset({"team_leader"}), frozenset({RDU}))
HEAD = User("head", frozenset({"head"}), frozenset({RDU}), trained="2006-01-01")


def cell(level, area, approved=None, working=None):
    """A stored cell: `approved` and `working` are (self_assessed, evidence?, verification status)."""
    def fields(claim):
        assessed, evidence, verification = claim
        return {"level": level, "area": area, "requirements": "r", "self_assessed": assessed,
                "evidence": EVIDENCE if evidence else [], "verification": {"status": verification}}
    doc = {"fields": fields(working or approved or ("not_started", False, "not_verified")), "published": None}
    if approved:
        doc["published"] = {"revision": 1, "state": "approved", "fields": fields(approved)}
    return doc


MET = ("met", True, "not_verified")
VERIFIED = ("met", True, "verified")


def whole_level(level, claim=MET):
    return [cell(level, area, claim) for area in AREAS]


def test_nothing_assessed_is_level_0():
    assert standard.level_achieved([]) == 0
    assert standard.verified_level([]) == 0


def test_a_level_needs_every_area():
    cells = whole_level(1)[:-1]
    assert standard.level_achieved(cells) == 0
    assert standard.level_achieved(whole_level(1)) == 1


def test_the_next_level_partly_met_leaves_the_level_below():
    assert standard.level_achieved(whole_level(1) + whole_level(2)[:2]) == 1


def test_a_higher_level_does_not_count_without_every_lower_one():
    cells = whole_level(1)[1:] + whole_level(2) + whole_level(3)
    assert standard.level_achieved(cells) == 0
    assert standard.level_achieved(cells + [cell(1, AREAS[0], MET)]) == 3


def test_only_the_approved_revision_counts():
    """A draft claim of met moves nothing; an approved met under revision keeps counting."""
    drafts = [cell(1, area, working=MET) for area in AREAS]
    assert standard.level_achieved(drafts) == 0
    revising = [cell(1, area, approved=MET, working=("in_progress", False, "not_verified")) for area in AREAS]
    assert standard.level_achieved(revising) == 1


def test_met_without_evidence_or_not_met_does_not_count():
    cells = whole_level(1)[:3]
    assert standard.level_achieved(cells + [cell(1, AREAS[3], ("met", False, "not_verified"))]) == 0
    assert standard.level_achieved(cells + [cell(1, AREAS[3], ("in_progress", True, "not_verified"))]) == 0


def test_verified_level_needs_external_verification_of_every_cell():
    cells = whole_level(1, VERIFIED) + whole_level(2, VERIFIED)[:3] + [cell(2, AREAS[3], MET)]
    assert standard.level_achieved(cells) == 2
    assert standard.verified_level(cells) == 1
    rejected = whole_level(1, VERIFIED)[:3] + [cell(1, AREAS[3], ("met", True, "not_met"))]
    assert standard.verified_level(rejected) == 0


def test_matrix_places_each_cell_by_level_and_area_and_keeps_duplicates():
    grid = standard.matrix([{"level": 2, "area": "service", "id": "1"}, {"level": 2, "area": "service", "id": "2"},
                            {"level": 9, "area": "service", "id": "3"}])
    assert [c["id"] for c in grid[2]["service"]] == ["1", "2"]
    assert sum(len(slot) for row in grid.values() for slot in row.values()) == 2
    assert list(grid) == [1, 2, 3, 4, 5] and list(grid[1]) == AREAS


def test_missing_positions_lists_the_cells_not_yet_made():
    assert len(standard.missing_positions([])) == 20
    assert standard.missing_positions(whole_level(1) + whole_level(2) + whole_level(3) + whole_level(4)) == [
        (5, area) for area in AREAS]


def test_cost_to_target_counts_the_levels_still_to_verify():
    settings = {"target_level": 5, "target_date": "2005-12-31", "cost_per_level": 7000}
    assert standard.assessment_cost(settings, 2) == 21_000
    assert standard.assessment_cost(settings, 5) == 0
    assert standard.assessment_cost({**settings, "target_level": 3}, 4) == 0


@pytest.mark.parametrize("bad, field", [
    ({"target_level": 6}, "target_level"), ({"target_level": "5"}, "target_level"),
    ({"target_date": "December 2005"}, "target_date"), ({"cost_per_level": -1}, "cost_per_level"),
    ({"cost_per_level": 7000.5}, "cost_per_level"), ({"cost_per_level": True}, "cost_per_level")])
def test_settings_refuse_bad_values(bad, field):
    assert standard.check_settings(standard.DEFAULT_SETTINGS) == {}
    assert set(standard.check_settings({**standard.DEFAULT_SETTINGS, **bad})) == {field}


@pytest.mark.parametrize("fields, path", [
    ({"level": 0}, "fields.level"), ({"level": "1"}, "fields.level"), ({"area": "finance"}, "fields.area"),
    ({"self_assessed": "done"}, "fields.self_assessed"),
    ({"evidence": [{"document": "twelve"}]}, "fields.evidence.0.document"),
    ({"evidence": [{"link": "javascript:alert(1)"}]}, "fields.evidence.0.link"),
    ({"evidence": [{"colour": "red"}]}, "fields.evidence.0.colour"),
    ({"verification": {"status": "passed"}}, "fields.verification.status"),
    ({"verification": {"date": "2008-13-01"}}, "fields.verification.date")])
def test_a_cell_refuses_bad_fields(fields, path):
    with pytest.raises(Invalid) as refused:
        documents.create(LEAD, standard_cell.NAME, "Level 1", RDU, fields)
    assert path in refused.value.details


def test_a_cell_claimed_met_cannot_be_screened_without_evidence():
    fields = {"level": 1, "area": "leadership", "requirements": "r", "self_assessed": "met"}
    doc, _ = documents.create(LEAD, standard_cell.NAME, "Level 1", RDU, fields)
    doc.update(id="1", version=1)
    with pytest.raises(Unmet) as refused:
        documents.transition(doc, LEAD, "screen")
    assert any("at least one piece of evidence" in gap for gap in refused.value.details["unmet"])
    doc["fields"]["evidence"] = [{"description": "an empty record"}]
    with pytest.raises(Unmet) as refused:
        documents.transition(doc, LEAD, "screen")
    assert refused.value.details["unmet"] == [
        "Give evidence 1 a linked document, a web address, the evidence itself or an uploaded file"]
    doc["fields"]["evidence"] = EVIDENCE
    assert documents.transition(doc, LEAD, "screen")[0]["state"] == "screened"


def test_a_verdict_names_its_verifier_and_date_before_submission():
    fields = {"level": 1, "area": "leadership", "requirements": "r", "self_assessed": "met", "evidence": EVIDENCE,
              "verification": {"status": "verified"}}
    doc, _ = documents.create(LEAD, standard_cell.NAME, "Level 1", RDU, fields)
    doc.update(id="1", version=1, state="screened")
    assert machine.submission_gaps(doc) == [("fields.verification.verifier", "Enter the external verifier and the date of their verdict")]
    doc["fields"]["verification"].update(verifier="DIALOG", date="2008-05-30")
    assert documents.transition(doc, LEAD, "assess")[0]["state"] == "assessed"


def test_cells_are_drafted_by_the_head_or_team_leaders_only():
    staff = User("sam", frozenset({"staff"}), frozenset({RDU}))
    with pytest.raises(Forbidden):
        documents.create(staff, standard_cell.NAME, "Level 1", RDU, {})
    assert documents.create(HEAD, standard_cell.NAME, "Level 1", RDU, {})[0]["state"] == "draft"
