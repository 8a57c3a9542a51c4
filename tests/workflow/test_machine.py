"""Every transition fired by every role, in and out of its source states (domain only)."""
import pytest

from tests.conftest import HR, PP, RDU, complete_eqia
from workflow import documents, machine, policy
from workflow.errors import Forbidden, NotFound, StateConflict, Unmet
from workflow.users import User

PEOPLE = {
    "author": User("author", frozenset({"staff"}), frozenset({HR})),
    "hr_staff": User("hr_staff", frozenset({"staff"}), frozenset({HR})),
    "hr_lead": User("hr_lead", frozenset({"team_leader"}), frozenset({HR})),
    "other_lead": User("other_lead", frozenset({"team_leader"}), frozenset({PP})),
    "head": User("head", frozenset({"head"}), frozenset({RDU}), trained="2006-01-01"),
    "eodb": User("eodb", frozenset({"eodb"}), trained="2007-01-01"),
    "smt": User("smt", frozenset({"smt"})),
    "admin": User("admin", frozenset({"admin"})),
}
SUBMITTER = "hr_lead"

# Who may fire each transition on a complete document of the HR team authored by "author".
ALLOWED = {
    "screen": {"author", "hr_lead"},
    "assess": {"hr_lead"},
    "approve": {"head"},
    "send_back": {"hr_lead", "head"},
    "review": set(),  # refused for everyone until Board meetings exist
    "revise": {"hr_lead"},
}
# Who sees a document in each state (the working copy; nothing else exists here).
SEES_UNAPPROVED = {"author", "hr_staff", "hr_lead", "head"}


def document_in(state):
    doc, _ = documents.create(PEOPLE["author"], "eqia", "Recruitment", HR, complete_eqia())
    doc.update(id="1", version=1, state=state)
    if state in ("assessed", "approved", "reviewed"):
        doc["submitter"] = SUBMITTER
    if state in ("approved", "reviewed"):
        doc["published"] = {"revision": 1, "state": state, "title": doc["title"], "fields": doc["fields"]}
    return doc


@pytest.mark.parametrize("state", machine.STATES)
@pytest.mark.parametrize("name", [t.name for t in machine.TRANSITIONS])
@pytest.mark.parametrize("who", PEOPLE)
def test_each_transition_by_each_role_in_each_state(state, name, who):
    doc, user = document_in(state), PEOPLE[who]
    transition = machine.BY_NAME[name]
    comment = "why"
    visible = state in machine.PUBLISHED_STATES or who in SEES_UNAPPROVED
    if not visible:
        expected = NotFound
    elif state not in transition.sources:
        expected = StateConflict
    elif who in ALLOWED[name]:
        expected = None
    elif name == "review" and who in ("eodb", "head"):
        expected = Unmet
    else:
        expected = Forbidden
    if expected is None:
        updated, entry = documents.transition(doc, user, name, comment)
        assert updated["state"] == transition.dest
        assert (entry["action"], entry["from"], entry["to"], entry["actor"]) == (name, state, transition.dest, who)
        assert name in policy.actions(doc, user)
    else:
        with pytest.raises(expected):
            documents.transition(doc, user, name, comment)
        assert name not in policy.actions(doc, user)


def test_approval_records_the_hash_of_exactly_what_was_approved():
    doc = document_in("assessed")
    updated, entry = documents.transition(doc, PEOPLE["head"], "approve")
    assert entry["content_hash"] == documents.content_hash(doc) == updated["published"]["content_hash"]
    changed = dict(doc, title="Something else")
    assert documents.content_hash(changed) != entry["content_hash"]


def test_eqia_screening_requires_all_six_strands():
    doc = document_in("draft")
    del doc["fields"]["screening"]["religion_belief"]
    with pytest.raises(Unmet) as refused:
        documents.transition(doc, PEOPLE["author"], "screen")
    assert refused.value.details["unmet"] == ["screening.religion_belief: the impact is answered"]


def test_intended_negative_impact_needs_a_justification():
    doc = document_in("screened")
    doc["fields"]["screening"]["age"]["intended"] = True
    with pytest.raises(Unmet) as refused:
        documents.transition(doc, PEOPLE["hr_lead"], "assess")
    assert refused.value.details["unmet"] == [
        "full_assessment.justification: the intended negative impact on age is justified"]


def test_every_eqia_needs_a_review_date_before_submission():
    doc = document_in("screened")
    del doc["fields"]["review_date"]
    with pytest.raises(Unmet) as refused:
        documents.transition(doc, PEOPLE["hr_lead"], "assess")
    assert refused.value.details["unmet"] == ["a review date is set"]


def test_objective_screening_and_submission_gaps_are_named():
    doc, _ = documents.create(PEOPLE["hr_lead"], "objective", "Level 5", HR, {"action": "Achieve Level 5"})
    doc.update(id="2", version=1)
    with pytest.raises(Unmet) as refused:
        documents.transition(doc, PEOPLE["hr_lead"], "screen")
    assert refused.value.details["unmet"] == ["heading: its heading given", "strands: the equality strands it serves given"]


def test_team_plan_targets_must_link_objectives_before_submission():
    fields = {"period": "2005-06", "coordinator": "J. Smith", "targets": [{"target": "Train all staff"}]}
    doc, _ = documents.create(PEOPLE["hr_lead"], "team_plan", "HR plan", HR, fields)
    doc.update(id="3", version=1, state="screened")
    with pytest.raises(Unmet) as refused:
        documents.transition(doc, PEOPLE["hr_lead"], "assess")
    assert refused.value.details["unmet"] == [
        "targets.0.objectives: the target is linked to the corporate objectives it serves"]


@pytest.mark.parametrize("fields, path, message", [
    ({"screening": {"age": {"impact": "bad"}}}, "fields.screening.age.impact",
     "must be one of positive, negative, neutral, unknown"),
    ({"screening": {"age": {"differential": "yes"}}}, "fields.screening.age.differential", "must be true or false"),
    ({"screening": {"wealth": {}}}, "fields.screening.wealth", "is not a strand of this EqIA's strand set; it must be one of "
     "race, gender, disability, age, sexual_orientation, religion_belief"),
    ({"review_date": "2008-02-30"}, "fields.review_date", "must be a date YYYY-MM-DD"),
    ({"full_assessment": {"outcome": "maybe"}}, "fields.full_assessment.outcome",
     "must be one of no_change, adjust, justify_continue, stop"),
    ({"full_assessment": {"mitigations": [{"deadline": "soon"}]}}, "fields.full_assessment.mitigations.0.deadline",
     "must be a date YYYY-MM-DD, a month YYYY-MM, or Ongoing"),
])
def test_eqia_field_errors_name_the_field(fields, path, message):
    from workflow.errors import Invalid
    with pytest.raises(Invalid) as refused:
        documents.create(PEOPLE["author"], "eqia", "x", HR, fields)
    assert refused.value.details == {path: message}


def test_objective_status_must_be_a_traffic_light():
    from workflow.errors import Invalid
    with pytest.raises(Invalid) as refused:
        documents.create(PEOPLE["hr_lead"], "objective", "x", HR, {"progress": [{"status": "blue"}]})
    assert refused.value.details == {"fields.progress.0.status": "must be one of red, amber, amber_green, green"}


def test_a_transition_leaves_the_document_it_was_given_as_it_was():
    doc = document_in("assessed")
    doc["decisions"] = [{"meeting": "1", "decision": "noted", "note": None}]
    before = repr(doc)
    approved, _ = documents.transition(doc, PEOPLE["head"], "approve")
    approved["fields"]["screening"]["age"]["evidence"] = "changed afterwards"
    approved["decisions"][0]["note"] = "changed afterwards"
    assert approved["published"]["fields"]["screening"]["age"]["evidence"] == "monitoring data"
    assert repr(doc) == before


def test_a_board_member_listed_in_the_team_still_sees_only_approved_items():
    member = User("bm", frozenset({"eodb"}), frozenset({HR}))
    assert policy.view(document_in("draft"), member) is None
    assert policy.view(document_in("assessed"), member) is None
    assert policy.view(document_in("approved"), member)["state"] == "approved"


def test_pending_names_what_is_missing_for_the_transitions_one_is_entitled_to():
    doc = document_in("draft")
    del doc["fields"]["screening"]["age"]
    assert policy.pending(doc, PEOPLE["author"]) == {"screen": ["screening.age: the impact is answered"]}
    assert policy.pending(doc, PEOPLE["eodb"]) == {}


def test_a_submitted_document_is_assigned_only_to_a_head_who_could_sign_it_off():
    from workflow.errors import Invalid
    doc = document_in("assessed")
    updated, entry = documents.assign(doc, PEOPLE["hr_lead"], PEOPLE["head"], "2008-02-01")
    assert updated["assignee"]["name"] == "head" and updated["assignee"]["due"] == "2008-02-01"
    assert entry["action"] == "assign" and entry["comment"] == "assigned to head, due 2008-02-01"
    with pytest.raises(Invalid):
        documents.assign(doc, PEOPLE["hr_lead"], PEOPLE["hr_staff"])  # not a Head
    with pytest.raises(Invalid):
        documents.assign(doc, PEOPLE["hr_lead"], PEOPLE["head"], "soon")
    with pytest.raises(Forbidden):
        documents.assign(doc, PEOPLE["hr_staff"], PEOPLE["head"])
    with pytest.raises(StateConflict):
        documents.assign(document_in("draft"), PEOPLE["hr_lead"], PEOPLE["head"])
    with pytest.raises(NotFound):
        documents.assign(doc, PEOPLE["other_lead"], PEOPLE["head"])


def progress_errors(entries):
    from workflow.errors import Invalid
    try:
        documents.create(PEOPLE["hr_lead"], "objective", "x", HR, {"progress": entries})
    except Invalid as refused:
        return refused.details
    return {}


def test_a_status_that_changes_between_periods_needs_a_reason():
    entries = [{"period": "2007-08 Q2", "status": "red"}, {"period": "2007-08 Q1", "status": "amber"}]
    assert progress_errors(entries) == {
        "fields.progress.0.reason": "say why the status changed from Amber in 2007-08 Q1 to Red"}
    entries[0]["reason"] = "The audit found no monitoring data."
    assert progress_errors(entries) == {}
    assert progress_errors([{"period": "2007-08 Q1", "status": "amber"},
                            {"period": "2007-08 Q2", "status": "amber"}]) == {}


def test_progress_names_one_valid_period_per_entry():
    assert progress_errors([{"period": "2007-08", "status": "red"}, {"period": "2007-08", "status": "red"}]) == {
        "fields.progress.1.period": "2007-08 already has a progress entry"}
    assert progress_errors([{"period": "2007/08"}]) == {
        "fields.progress.0.period": "must be a financial year like 2007-08 or a quarter like 2007-08 Q3, "
                                    "from 1900-01 to 2199-00"}
    assert progress_errors([{"status": "red"}]) == {
        "fields.progress.0.period": "every progress entry names its reporting period"}
