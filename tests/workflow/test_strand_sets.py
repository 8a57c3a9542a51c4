"""Strand sets: each EqIA is screened, validated and shown against the set it was created with."""
import datetime as dt

import pytest

from tests.conftest import HR, complete_eqia, full_assessment, screening
from workflow import documents, machine, register, reports, search, strands
from workflow.errors import Invalid, Unmet
from workflow.kinds import eqia, objective
from workflow.users import User

AUTHOR = User("author", frozenset({"staff"}), frozenset({HR}))
LEADER = User("lead", frozenset({"team_leader"}), frozenset({HR}))
HEAD = User("head", frozenset({"head"}), frozenset({"Race & Diversity Unit"}), trained="2006-01-01")
NINE = ("age", "disability", "gender_reassignment", "marriage_civil_partnership", "pregnancy_maternity",
        "race", "religion_belief", "sex", "sexual_orientation")
SIX = ("race", "gender", "disability", "age", "sexual_orientation", "religion_belief")


def made(fields, strand_set=strands.DEFAULT):
    doc, _ = documents.create(AUTHOR, "eqia", "Recruitment", HR, fields, strand_set=strand_set)
    return {**doc, "id": "1", "version": 1}


def refusal(call, *args, **kwargs):
    with pytest.raises(Invalid) as refused:
        call(*args, **kwargs)
    return refused.value.details


def test_the_two_sets_are_the_2004_strands_and_the_2010_characteristics():
    assert strands.SETS["ces2004"].strands == SIX
    assert strands.SETS["ea2010"].strands == NINE
    assert strands.SETS["ea2010"].title == "Equality Act 2010: nine protected characteristics"
    for strand_set in strands.SETS.values():
        assert set(strand_set.meanings) == set(strand_set.strands)  # each has its plain words
    assert set(strands.ALL) == set(SIX) | set(NINE)


def test_a_new_eqia_is_stamped_with_the_authority_setting_unless_its_fields_name_a_set():
    assert made({}, "ea2010")["fields"]["strand_set"] == "ea2010"
    assert made({})["fields"]["strand_set"] == "ces2004"
    assert made({"strand_set": "ces2004"}, "ea2010")["fields"]["strand_set"] == "ces2004"
    objective_doc, _ = documents.create(LEADER, "objective", "An objective", HR, {}, strand_set="ea2010")
    assert "strand_set" not in objective_doc["fields"]


def test_an_unknown_set_is_refused_naming_the_sets():
    assert refusal(made, {"strand_set": "ea1975"}) == {"fields.strand_set": "Select one of the strand sets given"}


def test_a_2010_eqia_is_screened_only_when_all_nine_characteristics_are_answered():
    fields = complete_eqia(negative=(), strand_set="ea2010")
    del fields["screening"]["pregnancy_maternity"]
    doc = made(fields)
    assert eqia.screening_gaps(doc["fields"]) == [("screening.pregnancy_maternity.impact", "Select the impact on pregnancy and maternity")]
    with pytest.raises(Unmet):
        documents.transition(doc, AUTHOR, "screen")
    doc["fields"]["screening"] = screening(strand_set="ea2010")
    screened, _ = documents.transition(doc, AUTHOR, "screen")
    assert screened["state"] == "screened"


def test_the_2004_answers_are_refused_on_a_2010_eqia():
    details = refusal(made, {**complete_eqia(negative=()), "strand_set": "ea2010"})
    assert list(details) == ["fields.screening.gender"]  # the five strands both sets share are fine


def test_a_2004_eqia_without_the_field_is_still_valid_and_screens_with_six():
    doc = made(complete_eqia(negative=("gender",)))
    del doc["fields"]["strand_set"]  # as every record made before strand sets were stored
    assert eqia.validate(doc["fields"]) == {}
    assert strands.strand_set(doc["fields"]).name == "ces2004"
    assert eqia.negative_strands(doc["fields"]) == ["gender"]
    screened, _ = documents.transition(doc, AUTHOR, "screen")
    assert screened["state"] == "screened" and "strand_set" not in screened["fields"]
    edited, _ = documents.edit({**doc, "state": "draft"}, AUTHOR, changes={"screening": screening(("gender",))})
    assert "strand_set" not in edited["fields"]  # an edit does not rewrite an old record


def test_a_mitigation_names_a_strand_of_the_eqias_own_set():
    fields = complete_eqia(negative=("sex",), strand_set="ea2010")
    fields["full_assessment"]["mitigations"][0]["strand"] = "gender"
    assert refusal(made, fields) == {"fields.full_assessment.mitigations.0.strand": "Select the strand: one of " + ", ".join(strands.LABELS[s] for s in NINE)}
    old = complete_eqia(negative=("gender",))
    old["full_assessment"]["mitigations"][0]["strand"] = "sex"
    assert refusal(made, old) == {"fields.full_assessment.mitigations.0.strand": "Select the strand: one of " + ", ".join(strands.LABELS[s] for s in SIX)}


def test_a_screening_answer_for_another_sets_strand_names_the_allowed_strands():
    details = refusal(made, {"strand_set": "ea2010", "screening": {"gender": {"impact": "neutral"}}})
    assert details == {"fields.screening.gender": "This is not a strand of this EqIA's strand set; its strands are "
                                                  + ", ".join(strands.LABELS[s] for s in NINE)}


def test_edits_are_checked_against_the_documents_set():
    doc = made({}, "ea2010")
    assert refusal(documents.edit, doc, AUTHOR, changes={"screening": {"gender": {"impact": "neutral"}}})
    edited, _ = documents.edit(doc, AUTHOR, changes={"screening": {"sex": {"impact": "neutral"}}})
    assert edited["fields"]["screening"] == {"sex": {"impact": "neutral"}}


@pytest.mark.parametrize("change", ["ces2004", None])
def test_the_set_cannot_be_changed_by_an_edit(change):
    doc = made({}, "ea2010")
    details = refusal(documents.edit, doc, AUTHOR, changes={"strand_set": change})
    assert details == {"fields.strand_set": "The strand set cannot be changed: this EqIA is screened against "
                                            "Equality Act 2010: nine protected characteristics"}


def test_sending_the_same_set_back_is_no_change():
    doc = made({}, "ea2010")
    edited, entry = documents.edit(doc, AUTHOR, changes={"strand_set": "ea2010"})
    assert edited["fields"] == doc["fields"] and entry["comment"] == "saved without changes"


def test_a_2010_negative_impact_needs_its_own_mitigation_before_submission():
    fields = complete_eqia(negative=("pregnancy_maternity",), strand_set="ea2010")
    assert eqia.submission_gaps(fields) == []
    fields["full_assessment"] = {**full_assessment(()), "mitigations": []}
    assert eqia.submission_gaps(fields) == [
        ("full_assessment.mitigations",
         "Add an action, with its owner and deadline, for the negative impact on pregnancy and maternity")]


def test_objectives_accept_the_strands_of_any_set():
    assert objective.validate({"strands": ["gender", "sex", "pregnancy_maternity"]}) == {}
    assert objective.validate({"strands": ["colour"]}) == {"strands.0": "Select the equality strands: one of " + ", ".join(strands.LABELS[s] for s in strands.ALL)}


def test_the_search_filter_accepts_a_2010_characteristic():
    assert search.parse({"strand": "marriage_civil_partnership"}).strand == "marriage_civil_partnership"
    shown = {"kind": "eqia", "fields": complete_eqia(negative=("sex",), strand_set="ea2010")}
    assert "sex" in search.strands(shown)


def test_the_screen_rule_says_every_strand_of_its_set():
    words = [rule.words for rule in machine.BY_NAME["screen"].guards]
    assert words == ["the kind's screening is complete (EqIA: every strand of its strand set answered)"]


def published(fields):
    doc = made(fields)
    doc.update(state="approved", published={"approved_at": "2011-06-01T10:00:00+00:00"})
    return doc, {**doc, "fields": doc["fields"]}


def test_the_register_and_the_report_appendix_say_which_set_applies():
    old_doc, old_shown = published(complete_eqia())
    del old_shown["fields"]["strand_set"]  # as every record made before strand sets were stored
    new_doc, new_shown = published(complete_eqia(strand_set="ea2010"))
    assert register.summary(old_doc, old_shown)["strand_set"] == "Corporate Equality Plan 2004: six equality strands"
    assert register.summary(new_doc, new_shown)["strand_set"] == "Equality Act 2010: nine protected characteristics"
    seen = [{**shown, "approved_at": "2011-06-01"} for shown in (old_shown, new_shown)]
    fields = reports.build_progress_report(seen, [], "2011-12", None, {}, dt.date(2011, 7, 1))
    assert [e["strand_set"] for e in fields["eqia_appendix"]] == ["ces2004", "ea2010"]
    [appendix] = [b for b in reports.blocks("Report", fields) if b.get("caption", "").startswith("Approved Equality")]
    assert appendix["header"][-1] == "Screened against"
    assert [row[-1] for row in appendix["rows"]] == [strands.SETS["ces2004"].title, strands.SETS["ea2010"].title]
