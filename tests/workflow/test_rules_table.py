"""Who sees what and who may do what, kind × state × role, from a table written by hand.

The expected side is read from DESIGN.md ("Who uses it", the workflow table, "Who
sees what") and README.md, line by line; nothing in it asks workflow.policy or
workflow.machine, so a change of a rule there fails here instead of moving the
expectation with it. The answers are taken from policy (view, actions, editable,
check_transition, check_edit), and a move through documents.transition, which has
both policy and the machine decide.
"""
import pytest

from tests.conftest import HR, PP, RDU
from tests.factories import fields_for
from workflow import documents, policy
from workflow.errors import Forbidden, Invalid, NotFound, StateConflict, Unmet
from workflow.users import User

ROLES_OF = {  # person -> (roles, teams)
    "hr_author": ({"staff"}, {HR}),  # writes the EqIA
    "hr_staff": ({"staff"}, {HR}),
    "hr_lead": ({"team_leader"}, {HR}),  # writes the objective and the team plan, submits HR's documents
    "pp_staff": ({"staff"}, {PP}),
    "pp_lead": ({"team_leader"}, {PP}),
    "rdu_lead": ({"team_leader"}, {RDU}),  # writes and submits the report and the Standard cell
    "head": ({"head"}, {RDU}),
    # Signs off only what a Head wrote (tests/workflow/test_chief_executive.py): none of these.
    "chief": ({"chief_executive"}, set()),
    "board": ({"eodb"}, set()),
    "smt": ({"smt"}, set()),
    "admin": ({"admin"}, set()),
}
PEOPLE = {name: User(name, frozenset(roles), frozenset(teams), trained="2006-01-01")
          for name, (roles, teams) in ROLES_OF.items()}
EVERYONE = (*PEOPLE, "anonymous")

# "revising": an approved document whose revision 2 is a draft (the team fired `revise`).
STATES = ("draft", "screened", "assessed", "approved", "reviewed", "revising")
OWNER = {"eqia": ("hr_author", HR, "hr_lead"), "objective": ("hr_lead", HR, "hr_lead"),
         "team_plan": ("hr_lead", HR, "hr_lead"), "report": ("rdu_lead", RDU, "rdu_lead"),
         "standard_cell": ("rdu_lead", RDU, "rdu_lead")}  # kind -> (author, team, submitter)

# What each person sees, in the order of STATES:
#   W the working copy (in `revising`: revision 2), A the approved revision (1), - nothing (404).
# In approved and reviewed the working copy is the approved revision: written A.
_HR_TEAM_SEES = "W W W A A W"
_OUTSIDER_SEES = "- - - A A A"
_NOTHING = "- - - - - -"
_OUTSIDERS = {"chief": _OUTSIDER_SEES, "board": _OUTSIDER_SEES, "smt": _OUTSIDER_SEES, "admin": _OUTSIDER_SEES}
SEES = {
    "eqia": {"hr_author": _HR_TEAM_SEES, "hr_staff": _HR_TEAM_SEES, "hr_lead": _HR_TEAM_SEES,
             "pp_staff": _OUTSIDER_SEES, "pp_lead": _OUTSIDER_SEES, "rdu_lead": _OUTSIDER_SEES,
             "head": _HR_TEAM_SEES, **_OUTSIDERS,
             "anonymous": _OUTSIDER_SEES},  # the public register: approved EqIAs
    "objective": {"hr_author": _HR_TEAM_SEES, "hr_staff": _HR_TEAM_SEES, "hr_lead": _HR_TEAM_SEES,
                  "pp_staff": _OUTSIDER_SEES, "pp_lead": _OUTSIDER_SEES, "rdu_lead": _OUTSIDER_SEES,
                  "head": _HR_TEAM_SEES, **_OUTSIDERS,
                  "anonymous": _OUTSIDER_SEES},  # the public register: objectives' approved progress
    "team_plan": {"hr_author": _HR_TEAM_SEES, "hr_staff": _HR_TEAM_SEES, "hr_lead": _HR_TEAM_SEES,
                  "pp_staff": _OUTSIDER_SEES, "pp_lead": _OUTSIDER_SEES, "rdu_lead": _OUTSIDER_SEES,
                  "head": _HR_TEAM_SEES, **_OUTSIDERS,
                  "anonymous": _NOTHING},
    "report": {"hr_author": _OUTSIDER_SEES, "hr_staff": _OUTSIDER_SEES, "hr_lead": _OUTSIDER_SEES,
               "pp_staff": _OUTSIDER_SEES, "pp_lead": _OUTSIDER_SEES, "rdu_lead": _HR_TEAM_SEES,
               "head": _HR_TEAM_SEES, **_OUTSIDERS,
               "anonymous": _NOTHING},
    "standard_cell": {"hr_author": _OUTSIDER_SEES, "hr_staff": _OUTSIDER_SEES, "hr_lead": _OUTSIDER_SEES,
                      "pp_staff": _OUTSIDER_SEES, "pp_lead": _OUTSIDER_SEES, "rdu_lead": _HR_TEAM_SEES,
                      "head": _HR_TEAM_SEES, **_OUTSIDERS,
                      "anonymous": _NOTHING},
}

# What each person may fire now, in the order of STATES (cells split on "|"), on a
# complete document with a comment given; anyone not listed may fire nothing.
# `review` needs a held meeting's recorded decision, which these documents lack
# (test_board_decisions below).
_AUTHOR_LEADS = "screen | assess send_back | send_back | revise | revise | screen"
_HEAD = " | send_back | approve send_back | | | "
MAY_FIRE = {
    "eqia": {"hr_author": "screen | | | | | screen", "hr_lead": _AUTHOR_LEADS, "head": _HEAD},
    "objective": {"hr_lead": _AUTHOR_LEADS, "head": _HEAD},
    "team_plan": {"hr_lead": _AUTHOR_LEADS, "head": _HEAD},
    "report": {"rdu_lead": _AUTHOR_LEADS, "head": _HEAD},
    "standard_cell": {"rdu_lead": _AUTHOR_LEADS, "head": _HEAD},
}
# Who may edit in draft, screened and revising (nobody edits from assessed on):
# the author and the owning team's drafters (EqIA: staff and team leaders; objective
# and team plan: team leaders; report and Standard cell: the Head and team leaders).
MAY_EDIT = {"eqia": {"hr_author", "hr_staff", "hr_lead"}, "objective": {"hr_lead"}, "team_plan": {"hr_lead"},
            "report": {"rdu_lead", "head"}, "standard_cell": {"rdu_lead", "head"}}
EDITABLE_STATES = ("draft", "screened", "revising")

# The workflow table of DESIGN.md.
SOURCES = {"screen": ("draft", "revising"), "assess": ("screened",), "approve": ("assessed",),
           "send_back": ("screened", "assessed"), "review": ("approved",), "revise": ("approved", "reviewed")}
DEST = {"screen": "screened", "assess": "assessed", "approve": "approved", "send_back": "draft",
        "review": "reviewed", "revise": "draft"}
BOARD_RECORDERS = {"board", "head"}  # review: a Board member, or the Head minuting the Board


def sees(kind, state, name):
    return SEES[kind][name].split()[STATES.index(state)]


def may_fire(kind, state, name):
    row = MAY_FIRE[kind].get(name, " | | | | | ")
    return set(row.split("|")[STATES.index(state)].split())


def document(kind, state):
    """A complete `kind` in `state`, its title and text marked with its revision."""
    author, team, submitter = OWNER[kind]
    doc, _ = documents.create(PEOPLE[author], kind, f"{kind} revision 1", team,
                              fields_for(kind, "REVISION1", 0, {"objective": "7", "eqia": "8"}))
    doc.update(id="1", version=1, state="draft" if state == "revising" else state)
    if state in ("assessed", "approved", "reviewed", "revising"):
        doc["submitter"] = submitter
    if state in ("approved", "reviewed", "revising"):
        doc["published"] = {"revision": 1, "state": "reviewed" if state == "reviewed" else "approved",
                            "title": doc["title"], "fields": documents.copy_of(doc["fields"])}
    if state == "revising":
        doc.update(revision=2, submitter=None, title=f"{kind} revision 2",
                   fields=fields_for(kind, "REVISION2", 0, {"objective": "7", "eqia": "8"}))
    return doc


def user(name):
    return None if name == "anonymous" else PEOPLE[name]


def refusal(error, call, *args):
    """The `error` `call(*args)` raises, checked to carry what the API and pages show:
    a sentence for people (`reason`) and a mapping for clients (`details`)."""
    with pytest.raises(error) as refused:
        call(*args)
    assert isinstance(refused.value.reason, str) and refused.value.reason.strip()
    assert isinstance(refused.value.details, dict)
    return refused.value


# The `from` a refusal out of the wrong state names (the workflow table of DESIGN.md).
LEAVES_FROM = {"screen": ["draft"], "assess": ["screened"], "approve": ["assessed"],
               "send_back": ["screened", "assessed"], "review": ["approved"], "revise": ["approved", "reviewed"]}


CELLS = [(kind, state, name) for kind in SEES for state in STATES for name in EVERYONE]


@pytest.mark.parametrize("kind, state, name", CELLS)
def test_what_each_person_sees(kind, state, name):
    doc, expected = document(kind, state), sees(kind, state, name)
    shown = policy.view(doc, user(name))
    approved = [1] if doc["published"] else []
    if expected == "-":
        assert shown is None
        with pytest.raises(NotFound):
            policy.visible_or_404(doc, user(name))
        assert policy.readable_revisions(doc, user(name), approved) == []
        return
    assert policy.visible_or_404(doc, user(name)) == shown
    revision = 2 if (expected == "W" and state == "revising") else 1
    marker = f"REVISION{revision}"
    assert (shown["revision"], shown["title"]) == (revision, f"{kind} revision {revision}")
    assert marker in repr(shown["fields"]) and f"REVISION{3 - revision}" not in repr(shown["fields"])
    assert shown["state"] == ("draft" if state == "revising" and revision == 2 else
                              "approved" if state == "revising" else state)
    assert (shown["id"], shown["kind"], shown["team"], shown["author"]) == (
        "1", kind, OWNER[kind][1], OWNER[kind][0])
    assert isinstance(shown["version"], int)  # what a client sends back to change it
    assert shown.get("approved_revision") == (1 if revision == 2 else None)
    assert policy.readable_revisions(doc, user(name), approved) == ([1, 2] if revision == 2 else [1])


def expected_refusal(kind, state, name, transition):
    if sees(kind, state, name) == "-":
        return NotFound
    if state == "revising" and sees(kind, state, name) == "A":
        # Someone who may read only the approved revision is answered as that revision
        # would answer them: a revision under way must not change the refusal.
        return expected_refusal(kind, "approved", name, transition)
    if state not in SOURCES[transition]:
        return StateConflict
    if transition == "review" and name in BOARD_RECORDERS:
        return Unmet  # no decision recorded
    return Forbidden


@pytest.mark.parametrize("kind, state, name", [cell for cell in CELLS if cell[2] != "anonymous"])
def test_what_each_person_may_fire(kind, state, name):
    doc, person, allowed = document(kind, state), PEOPLE[name], may_fire(kind, state, name)
    assert set(policy.actions(doc, person)) == allowed
    for transition in SOURCES:
        if transition in allowed:
            moved, entry = documents.transition(doc, person, transition, "why")
            assert moved["state"] == DEST[transition]
            assert (entry["action"], entry["to"], entry["actor"]) == (transition, DEST[transition], name)
        else:
            expected = expected_refusal(kind, state, name, transition)
            refused = refusal(expected, policy.check_transition, doc, person, transition, "why")
            refusal(expected, documents.transition, doc, person, transition, "why")
            if expected is StateConflict:
                seen_as_approved = state == "revising" and sees(kind, state, name) == "A"
                shown = "approved" if seen_as_approved else doc["state"]
                assert refused.details == {"state": shown, "from": LEAVES_FROM[transition]}
            elif expected is Unmet:
                assert list(refused.details) == ["unmet", "fields"] and len(refused.details["unmet"]) == 1


@pytest.mark.parametrize("kind, state", [(kind, state) for kind in SEES for state in STATES])
def test_the_public_may_fire_and_edit_nothing(kind, state):
    doc = document(kind, state)
    assert policy.actions(doc, None) == [] and policy.pending(doc, None) == {}
    assert not policy.editable(doc, None)
    for transition in SOURCES:
        refusal(Forbidden if sees(kind, state, "anonymous") == "A" else NotFound,
                policy.check_transition, doc, None, transition, "why")


@pytest.mark.parametrize("kind, state, name", [cell for cell in CELLS if cell[2] != "anonymous"])
def test_who_may_edit(kind, state, name):
    doc, person = document(kind, state), PEOPLE[name]
    allowed = name in MAY_EDIT[kind] and state in EDITABLE_STATES
    assert policy.editable(doc, person) is allowed
    if allowed:
        policy.check_edit(doc, person, ["title"])
        return
    if sees(kind, state, name) == "-":
        expected = NotFound
    elif name in MAY_EDIT[kind]:
        expected = StateConflict  # the right people, in a state that changes only by a transition
    else:
        expected = Forbidden
    refused = refusal(expected, policy.check_edit, doc, person, ["title"])
    if expected is StateConflict:
        assert refused.details == {"state": doc["state"]}


def test_a_drafter_of_another_team_may_not_edit():
    """The Head drafts reports, but only the Race & Diversity Unit's: a report of
    Human Resources is its team leaders' and its author's to edit."""
    doc, _ = documents.create(PEOPLE["rdu_lead"], "report", "HR report", RDU,
                              fields_for("report", "HR", 0, {}))
    # Stored for Human Resources before reports were kept by the Race & Diversity Unit alone.
    doc.update(id="1", version=1, team=HR, author="hr_lead")
    assert policy.view(doc, PEOPLE["head"]) is not None
    assert not policy.editable(doc, PEOPLE["head"])
    with pytest.raises(Forbidden):
        policy.check_edit(doc, PEOPLE["head"], ["summary"])
    assert policy.editable(doc, PEOPLE["hr_lead"]) and not policy.editable(doc, PEOPLE["hr_staff"])


@pytest.mark.parametrize("kind, locked", [("eqia", "screening"), ("objective", "strands")])
def test_the_screening_answers_are_locked_once_screened(kind, locked):
    author = PEOPLE[OWNER[kind][0]]
    policy.check_edit(document(kind, "draft"), author, [locked])
    policy.check_edit(document(kind, "screened"), author, ["title"])
    refused = refusal(StateConflict, policy.check_edit, document(kind, "screened"), author, ["title", locked])
    assert list(refused.details) == [f"fields.{locked}"]


@pytest.mark.parametrize("kind", SEES)
@pytest.mark.parametrize("decision, transition", [("endorsed", "review"), ("noted", "review"),
                                                  ("referred_back", "revise")])
@pytest.mark.parametrize("name", sorted(BOARD_RECORDERS))
def test_board_decisions(kind, decision, transition, name):
    """While a held meeting's decision is recorded: endorsed or noted, the Board member or
    the Head minuting it may review; referred back, they start a new revision."""
    doc = {**document(kind, "approved"),
           "board_decision": {"meeting": "1", "decision": decision, "note": "n", "held": True}}
    assert policy.actions(doc, PEOPLE[name]) == [transition]
    moved, _ = documents.transition(doc, PEOPLE[name], transition)
    assert moved["state"] == DEST[transition]


# Rights that go with a role, not a document (README: Board meetings, Training register,
# reporting periods and strategic objectives): who holds each, anonymous never.
RIGHTS = {
    "may_arrange_meetings": {"head", "admin"},
    "may_read_training_register": {"head", "admin"},
    "may_manage_reporting": {"head", "admin"},
    "may_see_training_figures": {"head", "admin", "board", "smt"},  # the figures, not the names
    # README, Administration and Audit log: the Head confirms powers, administrators propose
    # and make the changes; both read the log and the role changes awaiting confirmation.
    "may_read_audit_log": {"head", "admin"},
    "may_see_role_changes": {"head", "admin"},
}


@pytest.mark.parametrize("right", RIGHTS)
@pytest.mark.parametrize("name", EVERYONE)
def test_rights_that_go_with_a_role(right, name):
    assert getattr(policy, right)(user(name)) is (name in RIGHTS[right])


# Who may confirm or decline a proposed change of a role (README, Administration: "it takes
# effect only once a Head who neither proposed it nor is the person concerned confirms it
# ...; the `admin` role likewise needs a second administrator"), by the role and by who
# proposed it about whom. Another Head and another administrator join the people above.
SECOND = {"head2": User("head2", frozenset({"head"}), frozenset({RDU}), trained="2006-01-01"),
          "admin2": User("admin2", frozenset({"admin"})),
          "admin_head": User("admin_head", frozenset({"admin", "head"}))}  # holds both roles
MAY_DECIDE = {  # (role, proposed by, person concerned) -> who may decide
    ("head", "admin", "hr_lead"): {"head", "head2", "admin_head"},
    ("eodb", "admin", "smt"): {"head", "head2", "admin_head"},
    ("head", "admin", "head2"): {"head", "admin_head"},  # removing a Head: not by that Head
    ("eodb", "admin_head", "board"): {"head", "head2"},  # not by the Head who proposed it
    ("admin", "admin", "hr_lead"): {"admin2", "admin_head"},  # a second administrator, not a Head
    ("admin", "admin", "admin2"): {"admin_head"},  # removing an administrator: not by them
    ("staff", "admin", "hr_lead"): set(),  # granted at once, nothing to confirm
}


@pytest.mark.parametrize("role, proposed_by, person", MAY_DECIDE)
@pytest.mark.parametrize("change", ["grant", "remove"])
def test_who_may_decide_a_role_change(role, proposed_by, person, change):
    proposal = {"person": person, "role": role, "change": change, "proposed_by": proposed_by,
                "proposed_at": "2008-01-01T00:00:00", "status": "pending"}
    for name, deciding in {**PEOPLE, **SECOND, "anonymous": None}.items():
        allowed = name in MAY_DECIDE[role, proposed_by, person]
        assert policy.may_decide_role_change(deciding, proposal) is allowed, name


def test_no_document_is_not_found_whoever_asks():
    for name in EVERYONE:
        with pytest.raises(NotFound):
            policy.visible_or_404(None, user(name))


@pytest.mark.parametrize("name", ["hr_lead", "board", "anonymous"])
def test_readers_see_the_status_the_board_agreed_with_the_proposed_one_kept(name):
    """README, Board meetings: "both are kept with their reasons and the agreed one is shown"
    — to everyone who reads the objective, in the working copy as in the approved revision."""
    doc = document("objective", "reviewed")
    proposed = {"period": "2007-08 Q2", "status": "amber", "evidence": "REVISION1"}
    other = {"period": "2007-08 Q1", "status": "red", "evidence": "REVISION1"}
    doc["fields"]["progress"] = doc["published"]["fields"]["progress"] = [proposed, other]
    board = {"proposed": "amber", "proposed_reason": None, "agreed": "green", "agreed_reason": "Met.",
             "meeting": "1", "at": "2008-01-01T00:00:00"}
    doc["board_statuses"] = {"2007-08 Q2": board}
    shown = policy.view(doc, user(name))
    assert shown["fields"]["progress"] == [{**proposed, "status": "green", "board": board}, other]
    assert shown["fields"]["heading"] == doc["fields"]["heading"] and shown["title"] == doc["title"]
    assert doc["fields"]["progress"][0]["status"] == "amber"  # shown, not stored
    assert policy.view({**doc, "board_statuses": {}}, user(name))["fields"]["progress"] == [proposed, other]
    without = {**doc, "fields": {"heading": "h"}, "published": {**doc["published"], "fields": {"heading": "h"}}}
    assert policy.view(without, user(name))["fields"] == {"heading": "h"}


# Who drafts each kind (DESIGN.md, roles: staff draft EqIAs; team leaders draft objectives,
# EqIAs and team plans; README: the Head or a team leader of the Race & Diversity Unit
# drafts reports and Standard cells, for that unit only), always for a team they belong to.
MAY_CREATE = {"eqia": {"hr_author", "hr_staff", "hr_lead", "pp_staff", "pp_lead", "rdu_lead"},
              "objective": {"hr_lead", "pp_lead", "rdu_lead"}, "team_plan": {"hr_lead", "pp_lead", "rdu_lead"},
              "report": {"rdu_lead", "head"}, "standard_cell": {"rdu_lead", "head"}}


@pytest.mark.parametrize("kind", SEES)
@pytest.mark.parametrize("name", PEOPLE)
def test_who_may_create(kind, name):
    person = PEOPLE[name]
    own_team = min(person.teams, default=HR)
    if name in MAY_CREATE[kind]:
        policy.check_create(person, kind, own_team)
    else:
        refusal(Forbidden, policy.check_create, person, kind, own_team)
    refused = refusal(Forbidden, policy.check_create, person, kind, "Internal Audit")  # nobody here belongs to it
    assert list(refused.details) == ["team"] and "Internal Audit" in refused.details["team"]


def test_an_unknown_transition_is_refused_naming_those_there_are():
    refused = refusal(Unmet, policy.check_transition, document("eqia", "draft"), PEOPLE["hr_lead"], "publish")
    assert list(refused.details) == ["name"]
    assert all(name in refused.details["name"] for name in SOURCES)


# Who may name the approver a submitted document waits for (README, Document pages):
# the Head, or a team leader of the owning team; and to whom: someone who could sign it
# off (the Head, trained, neither its author nor its submitter).
MAY_ASSIGN = {"eqia": {"hr_lead", "head"}, "report": {"rdu_lead", "head"}}
MAY_BE_ASSIGNED = {"head"}


@pytest.mark.parametrize("kind", MAY_ASSIGN)
@pytest.mark.parametrize("name", PEOPLE)
def test_who_may_assign_an_approver_and_to_whom(kind, name):
    doc, person = document(kind, "assessed"), PEOPLE[name]
    if sees(kind, "assessed", name) == "-":
        refusal(NotFound, policy.check_assign, doc, person, PEOPLE["head"])
        return
    if name not in MAY_ASSIGN[kind]:
        refusal(Forbidden, policy.check_assign, doc, person, PEOPLE["head"])
        return
    for assignee in PEOPLE:
        if assignee in MAY_BE_ASSIGNED:
            policy.check_assign(doc, person, PEOPLE[assignee])
        else:
            refused = refusal(Invalid, policy.check_assign, doc, person, PEOPLE[assignee])
            assert list(refused.details) == ["assignee"] and refused.details["assignee"]
    refused = refusal(Invalid, policy.check_assign, doc, person, None)
    assert list(refused.details) == ["assignee"]
    untrained = User("new_head", frozenset({"head"}), frozenset({RDU}))
    refusal(Invalid, policy.check_assign, doc, person, untrained)
    for state in ("draft", "screened", "approved", "revising"):
        refused = refusal(StateConflict, policy.check_assign, document(kind, state), person, PEOPLE["head"])
        assert refused.details == {"state": "draft" if state == "revising" else state}


def test_a_state_the_machine_does_not_know_offers_nothing():
    """A stored record from another version of the workflow: no step offered, no error."""
    doc = {**document("eqia", "draft"), "state": "withdrawn"}
    assert policy.actions(doc, PEOPLE["hr_lead"]) == [] and policy.pending(doc, PEOPLE["hr_lead"]) == {}
