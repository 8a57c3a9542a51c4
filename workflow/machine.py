"""The one state machine every kind goes through, and the rules on each transition.

Each transition carries two lists of rules in words: `who` may fire it, and
what `must hold` first. The policy module reads them to decide and to explain;
the `transitions` machine owns the graph and performs the state change, with
the same rules as its conditions so that nothing can fire around them.
"""
from dataclasses import dataclass

from transitions import Machine, MachineError

from workflow import deputies, fields, kinds

STATES = ("draft", "screened", "assessed", "approved", "reviewed")
# Each state as people are told it.
STATE_WORDS = {"draft": "Draft", "screened": "Screened", "assessed": "Assessed (awaiting sign-off)",
               "approved": "Approved", "reviewed": "Reviewed by the Board"}
EDITABLE_STATES = ("draft", "screened")
# The EqIA training rule, in the words a refusal gives (an admin setting may switch it off).
TRAINED_APPROVER = "the approver is trained in EqIA (the EqIA training rule)"
TRAINED_RECORDER = "the person recording the Board's decision is trained in EqIA (the EqIA training rule)"
PUBLISHED_STATES = ("approved", "reviewed")
# What a send-back without its comment is told, at the comment's input.
SEND_BACK_COMMENT = fields.Gap("comment", "Enter why you are sending it back")
# The document's list of everyone who wrote or changed its current revision (workflow.documents.contributed).
CONTRIBUTORS = "contributors"
WROTE_REVISION = "the approver did not write or change this revision"
# The Heads who authored a document or wrote or changed its current revision
# (workflow.documents.contributed): the Chief Executive signs off what a Head wrote.
HEAD_WROTE = "head_wrote"


@dataclass(frozen=True)
class Rule:
    words: str
    check: object  # (doc, user, comment) -> bool
    explain: object = None  # (doc) -> [fields.Gap], where the words alone are too vague

    def holds(self, doc, user, comment):
        return bool(self.check(doc, user, comment))


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple
    dest: str
    who: tuple  # Rules: at least one must hold
    guards: tuple  # Rules: every one must hold
    label: str


def _is_author(doc, user, _):
    return doc["author"] == user.name


def _leads_team(doc, user, _):
    return user.leads(doc["team"])


def _is_head(doc, user, _):
    return user.has("head")


def _chief_executive_for_head(doc, user, _):
    # Only what a Head wrote: a lone Head cannot sign off their own work, and everything
    # else has a Head to sign it off (DESIGN.md).
    return user.has("chief_executive") and bool(doc.get(HEAD_WROTE))


def _deputy_for_head(doc, user, _):
    # What a Head may sign off, while the naming is in effect, except the work of the Head
    # who named them: no Head chooses who signs off their own work (the Chief Executive does).
    return deputies.acting(user) and user.deputy.named_by not in doc.get(HEAD_WROTE, ())


def signs_as_deputy(doc, user):
    """Whether `user` signs `doc` off only by being a deputy approver (not as a Head nor as the
    Chief Executive): what the sign-off then records (workflow.documents)."""
    return (_deputy_for_head(doc, user, None) and not _is_head(doc, user, None)
            and not _chief_executive_for_head(doc, user, None))


def _board_decided(doc, decisions):
    """A held meeting's decision on this item is being recorded (set only while
    recording it, by workflow.meetings.decide, and consumed by the transition)."""
    pending = doc.get("board_decision") or {}
    return pending.get("held") is True and pending.get("decision") in decisions


def _gaps(stage):
    def gaps(doc):
        found = getattr(kinds.get(doc["kind"]), stage)(doc.get("fields") or {})
        # Keyed as the document's field errors are (fields.<path>), so a page links each to its input.
        return [fields.Gap(f"fields.{gap.field}" if gap.field else None, gap.words) for gap in found]
    return gaps


screening_gaps = _gaps("screening_gaps")
submission_gaps = _gaps("submission_gaps")

TRANSITIONS = (
    Transition(
        "screen", ("draft",), "screened",
        who=(Rule("the author", _is_author), Rule("a team leader of the owning team", _leads_team)),
        guards=(Rule("the kind's screening is complete (EqIA: every strand of its strand set answered)",
                     lambda d, u, c: not screening_gaps(d), screening_gaps),),
        label="Mark as screened",
    ),
    Transition(
        "assess", ("screened",), "assessed",
        who=(Rule("a team leader of the owning team", _leads_team),),
        guards=(Rule("complete for submission (EqIA: a review date, and the full assessment "
                     "wherever screening found a negative impact)",
                     lambda d, u, c: not submission_gaps(d), submission_gaps),),
        label="Submit for sign-off",
    ),
    Transition(
        "approve", ("assessed",), "approved",
        who=(Rule("the Head of Race and Diversity", _is_head),
             Rule("the Chief Executive, for what the Head wrote or changed", _chief_executive_for_head),
             Rule("a deputy approver named by a Head, within the dates named, for what that Head did not write",
                  _deputy_for_head)),
        guards=(
            Rule("the approver is not the author", lambda d, u, c: d["author"] != u.name),
            Rule(WROTE_REVISION, lambda d, u, c: u.name not in d.get(CONTRIBUTORS, ())),
            Rule("the approver is not the submitter", lambda d, u, c: d.get("submitter") != u.name),
            Rule(TRAINED_APPROVER, lambda d, u, c: u.meets_training_rule()),
        ),
        label="Sign off",
    ),
    Transition(
        "send_back", ("screened", "assessed"), "draft",
        who=(Rule("a team leader of the owning team", _leads_team),
             Rule("the Head of Race and Diversity", _is_head)),
        guards=(Rule("a comment says why", lambda d, u, c: bool((c or "").strip()),
                     lambda d: [SEND_BACK_COMMENT]),),
        label="Send back",
    ),
    Transition(
        "review", ("approved",), "reviewed",
        who=(Rule("a Board (EODB) member", lambda d, u, c: u.has("eodb")),
             Rule("the Head of Race and Diversity minuting the Board", _is_head)),
        guards=(Rule("the item was on the agenda of a Board meeting that has been held, "
                     "and the decision is recorded (record it on the meeting)",
                     lambda d, u, c: _board_decided(d, ("endorsed", "noted"))),),
        label="Record the Board's review",
    ),
    Transition(
        "revise", ("approved", "reviewed"), "draft",
        who=(Rule("a team leader of the owning team", _leads_team),
             Rule("the Board referring it back, by its recorded decision",
                  lambda d, u, c: _board_decided(d, ("referred_back",)))),
        guards=(),
        label="Start a new revision",
    ),
)
BY_NAME = {t.name: t for t in TRANSITIONS}
# The transitions that may leave each state, in TRANSITIONS order.
FROM_STATE = {state: tuple(t for t in TRANSITIONS if state in t.sources) for state in STATES}


class _Subject:
    """The minimal model the machine moves: a state and the firing context."""

    def __init__(self, doc):
        self.state = doc["state"]
        self.doc = doc


def _guards_hold(event):
    t = BY_NAME[event.event.name]
    user, comment = event.kwargs["user"], event.kwargs.get("comment")
    doc = event.model.doc
    return (any(r.holds(doc, user, comment) for r in t.who)
            and all(r.holds(doc, user, comment) for r in t.guards))


# One machine for the whole process; documents are passed to it per call
# rather than attached as models (add_model grows quadratically with models).
MACHINE = Machine(
    model=None, states=list(STATES), initial=None, auto_transitions=False, send_event=True,
    transitions=[{"trigger": t.name, "source": list(t.sources), "dest": t.dest,
                  "conditions": [_guards_hold]} for t in TRANSITIONS],
)


def fire(doc, name, user, comment=None):
    """Move `doc` through transition `name`; returns the new state, or None if
    the machine refused. The caller has already explained any refusal."""
    subject = _Subject(doc)
    try:
        moved = MACHINE.events[name].trigger(subject, user=user, comment=comment)
    except MachineError:
        return None
    return subject.state if moved else None


def describe():
    """The machine in words, for clients that must not hard-code it."""
    return {
        "states": list(STATES),
        "editable_states": list(EDITABLE_STATES),
        "published_states": list(PUBLISHED_STATES),
        "transitions": [
            {"name": t.name, "label": t.label, "from": list(t.sources), "to": t.dest,
             "who": [r.words for r in t.who], "conditions": [r.words for r in t.guards]}
            for t in TRANSITIONS
        ],
    }
