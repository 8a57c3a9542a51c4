"""The machine and the rules of each transition (domain only). Every transition fired by
every role in every state of every kind: tests/workflow/test_rules_table.py."""
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


def document_in(state):
    doc, _ = documents.create(PEOPLE["author"], "eqia", "Recruitment", HR, complete_eqia())
    doc.update(id="1", version=1, state=state)
    if state in ("assessed", "approved", "reviewed"):
        doc["submitter"] = SUBMITTER
    if state in ("approved", "reviewed"):
        doc["published"] = {"revision": 1, "state": state, "title": doc["title"], "fields": doc["fields"]}
    return doc


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
    assert refused.value.details["unmet"] == ["Select the impact on religion or belief"]


def test_intended_negative_impact_needs_a_justification():
    doc = document_in("screened")
    doc["fields"]["screening"]["age"]["intended"] = True
    with pytest.raises(Unmet) as refused:
        documents.transition(doc, PEOPLE["hr_lead"], "assess")
    assert refused.value.details["unmet"] == [
        "Enter the justification for the intended negative impact on age"]


def test_every_eqia_needs_a_review_date_before_submission():
    doc = document_in("screened")
    del doc["fields"]["review_date"]
    with pytest.raises(Unmet) as refused:
        documents.transition(doc, PEOPLE["hr_lead"], "assess")
    assert refused.value.details["unmet"] == ["Enter a review date"]


def test_objective_screening_and_submission_gaps_are_named():
    doc, _ = documents.create(PEOPLE["hr_lead"], "objective", "Level 5", HR, {"action": "Achieve Level 5"})
    doc.update(id="2", version=1)
    with pytest.raises(Unmet) as refused:
        documents.transition(doc, PEOPLE["hr_lead"], "screen")
    assert refused.value.details["unmet"] == ["Select the heading", "Select the equality strands it serves"]


def test_team_plan_targets_must_link_objectives_before_submission():
    fields = {"period": "2005-06", "coordinator": "J. Smith", "targets": [{"target": "Train all staff"}]}
    doc, _ = documents.create(PEOPLE["hr_lead"], "team_plan", "HR plan", HR, fields)
    doc.update(id="3", version=1, state="screened")
    with pytest.raises(Unmet) as refused:
        documents.transition(doc, PEOPLE["hr_lead"], "assess")
    assert refused.value.details["unmet"] == [
        "Link target 1 to the corporate objectives it serves"]


@pytest.mark.parametrize("fields, path, message", [
    ({"screening": {"age": {"impact": "bad"}}}, "fields.screening.age.impact",
     "Select the impact from the choices given"),
    ({"screening": {"age": {"differential": "yes"}}}, "fields.screening.age.differential",
     "Select whether the impact differs between groups: yes or no"),
    ({"screening": {"wealth": {}}}, "fields.screening.wealth", "This is not a strand of this EqIA's strand set; "
     "its strands are Race, Gender, Disability, Age, Sexual orientation, Religion or belief"),
    ({"review_date": "2008-02-30"}, "fields.review_date", "Enter the review date as a real date, for example 2008-03-31"),
    ({"full_assessment": {"outcome": "maybe"}}, "fields.full_assessment.outcome",
     "Select the outcome from the choices given"),
    ({"full_assessment": {"mitigations": [{"deadline": "soon"}]}}, "fields.full_assessment.mitigations.0.deadline",
     "Enter the deadline as a date, a month or Ongoing, for example 2008-03-31, 2008-03 or Ongoing"),
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
    assert refused.value.details == {"fields.progress.0.status": "Select the status: one of Red, Amber, Amber/Green, Green"}


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
    assert policy.pending(doc, PEOPLE["author"]) == {"screen": ["Select the impact on age"]}
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
        "fields.progress.0.reason": "Enter why the status changed from Amber in 2007-08 Q1 to Red"}
    entries[0]["reason"] = "The audit found no monitoring data."
    assert progress_errors(entries) == {}
    assert progress_errors([{"period": "2007-08 Q1", "status": "amber"},
                            {"period": "2007-08 Q2", "status": "amber"}]) == {}


def test_progress_names_one_valid_period_per_entry():
    assert progress_errors([{"period": "2007-08", "status": "red"}, {"period": "2007-08", "status": "red"}]) == {
        "fields.progress.1.period": "2007-08 already has a progress entry: change that one instead"}
    assert progress_errors([{"period": "2007/08"}]) == {
        "fields.progress.0.period": "Enter a financial year like 2007-08 or a quarter like 2007-08 Q3, "
                                    "from 1900-01 to 2199-00"}
    assert progress_errors([{"status": "red"}]) == {
        "fields.progress.0.period": "Enter the reporting period of this progress entry"}


# The machine's own rules, fired directly: the backstop that holds even if a caller
# forgets to ask policy first. fire() answers the new state, or None when it refuses.
TRAINED_OFF = User("untrained_head", frozenset({"head"}), frozenset({RDU}), training_rule=False)
UNTRAINED = User("untrained_head", frozenset({"head"}), frozenset({RDU}))


def fired(state, name, who, comment="why", **changes):
    doc = {**document_in(state), **changes}
    before = repr(doc)
    moved = machine.fire(doc, name, PEOPLE[who] if isinstance(who, str) else who, comment)
    assert repr(doc) == before  # the machine answers; documents.transition writes
    return moved


@pytest.mark.parametrize("state, name, who, comment, changes, expected", [
    ("draft", "screen", "author", None, {}, "screened"),
    ("draft", "screen", "hr_lead", None, {}, "screened"),
    ("draft", "screen", "hr_staff", None, {}, None),  # in the team, neither author nor leader
    ("draft", "screen", "other_lead", None, {}, None),  # a leader of another team
    ("draft", "screen", "author", None, {"fields": {}}, None),  # screening incomplete
    ("draft", "screen", "author", None, {"fields": None}, None),
    ("screened", "assess", "hr_lead", None, {}, "assessed"),
    ("screened", "assess", "author", None, {}, None),
    ("screened", "assess", "hr_lead", None, {"fields": {**complete_eqia(), "review_date": None}}, None),
    ("assessed", "approve", "head", None, {}, "approved"),
    ("assessed", "approve", "hr_lead", None, {}, None),
    ("assessed", "approve", "head", None, {"author": "head"}, None),
    ("assessed", "approve", "head", None, {"submitter": "head"}, None),
    ("assessed", "approve", UNTRAINED, None, {}, None),
    ("assessed", "approve", TRAINED_OFF, None, {}, "approved"),  # the training rule switched off
    ("screened", "send_back", "hr_lead", "why", {}, "draft"),
    ("assessed", "send_back", "head", "why", {}, "draft"),
    ("assessed", "send_back", "head", " \n", {}, None),  # entitled, but no comment says why
    ("assessed", "send_back", "head", None, {}, None),
    ("assessed", "send_back", "author", "why", {}, None),  # a comment, but not entitled
    ("approved", "revise", "hr_lead", None, {}, "draft"),
    ("reviewed", "revise", "hr_lead", None, {}, "draft"),
    ("approved", "revise", "author", None, {}, None),
    ("approved", "revise", "other_lead", None, {}, None),
])
def test_the_machine_decides_by_its_own_rules(state, name, who, comment, changes, expected):
    assert fired(state, name, who, comment, **changes) == expected


@pytest.mark.parametrize("name", [t.name for t in machine.TRANSITIONS])
@pytest.mark.parametrize("state", ["draft", "screened", "assessed", "approved", "reviewed"])
def test_the_machine_refuses_every_transition_out_of_a_state_it_does_not_leave(state, name):
    leaves = {"screen": {"draft"}, "assess": {"screened"}, "approve": {"assessed"},
              "send_back": {"screened", "assessed"}, "review": {"approved"}, "revise": {"approved", "reviewed"}}
    decision = {"held": True, "decision": "endorsed", "meeting": "1", "note": None}
    doc = {**document_in(state), "board_decision": decision}
    for who in PEOPLE.values():
        if state not in leaves[name]:
            assert machine.fire(doc, name, who, "why") is None


def decided(decision, held=True):
    return {"board_decision": {"meeting": "1", "decision": decision, "note": "n", "held": held}}


@pytest.mark.parametrize("who", ["eodb", "head"])
@pytest.mark.parametrize("decision", ["endorsed", "noted"])
def test_a_held_meetings_endorsement_or_note_lets_the_board_review(who, decision):
    assert fired("approved", "review", who, **decided(decision)) == "reviewed"
    assert fired("approved", "review", "hr_lead", **decided(decision)) is None  # not a Board recorder


@pytest.mark.parametrize("changes", [
    {},  # no decision being recorded
    decided("referred_back"),  # a referral starts a revision, it is no review
    decided("endorsed", held=False),  # the meeting has not been held
    decided("endorsed", held="yes"),  # only the meetings module's True counts
    decided("endorsed", held=None),
    {"board_decision": {"held": True}},
])
@pytest.mark.parametrize("who", ["eodb", "head"])
def test_no_review_without_a_held_meetings_decision(changes, who):
    assert fired("approved", "review", who, **changes) is None


@pytest.mark.parametrize("state", ["approved", "reviewed"])
def test_a_referral_back_by_a_held_meeting_starts_a_revision_whoever_records_it(state):
    assert fired(state, "revise", "eodb", **decided("referred_back")) == "draft"
    assert fired(state, "revise", "head", **decided("referred_back")) == "draft"


@pytest.mark.parametrize("changes", [
    {}, decided("endorsed"), decided("noted"), decided("referred_back", held=False), decided("referred_back", held=1),
])
def test_no_other_board_decision_lets_the_board_start_a_revision(changes):
    assert fired("approved", "revise", "eodb", **changes) is None
    assert fired("approved", "revise", "head", **changes) is None

