"""The document page as a task list (GOV.UK pattern): each part of a document with its
status and where to do it, everything still needed before every later step at once, and
who acts next. Pure: links are named by endpoint, arguments and the input's id, and the
page makes them addresses.
"""
from dataclasses import dataclass, field

from workflow import kinds, machine, policy
from workflow.fields import sentence
from workflow.kinds import eqia

COMPLETED, INCOMPLETE, CANNOT_START, NOT_NEEDED = "Completed", "Incomplete", "Cannot start yet", "Not needed"
EDIT = "editing.edit"


@dataclass(frozen=True)
class Link:
    endpoint: str
    args: dict = field(default_factory=dict)
    anchor: str | None = None  # the id of the input the link is about


@dataclass(frozen=True)
class Task:
    name: str
    status: str
    link: Link | None


@dataclass(frozen=True)
class Needed:
    words: str
    link: Link | None


@dataclass(frozen=True)
class Part:
    """A part of a kind: its name, the top-level fields it holds, and the page where they are written."""
    name: str
    keys: tuple
    endpoint: str = EDIT


PARTS = {
    "eqia": (Part("Details", ("subject", "trigger", "lead_organisation")),
             Part("Screening", ("screening",), "editing.screening_summary"),
             Part("Full assessment", ("full_assessment",), "editing.assessment"),
             Part("Review date", ("review_date",))),
    "objective": (Part("Details", ("action", "heading", "theme", "outcomes", "leads")),
                  Part("Equality strands", ("strands",)),
                  Part("Deadline", ("deadline",)),
                  Part("Progress", ("progress",), "progress.write")),
    "team_plan": (Part("Details", ("period", "coordinator")), Part("Targets", ("targets",))),
    "report": (Part("Period and sections", ("period", "sections"), "reports.edit"),
               Part("Summary and recommendations", ("summary", "recommendations"), "reports.edit")),
    "standard_cell": (Part("Level, area and requirements", ("level", "area", "requirements")),
                      Part("Self-assessment and evidence", ("self_assessed", "evidence")),
                      Part("External verification", ("verification",))),
    "plan_review": (Part("Critical success factors assessed", ("assessments", "summary"), "plans.edit"),),
    "plan_succession": (Part("The successor", ("first_year", "last_year", "adopted_by", "adopted_on", "factors"),
                             "plans.edit"),),
    "monitoring": (Part("Counts", ("rows", "description"), "monitoring.change"),),
}


def input_id(path):
    """The id of the input a field path is written in ("fields.screening.age" -> "fields-screening-age")."""
    return path.replace(".", "-")


def _key(gap):
    """The top-level field a gap is about ("fields.screening.age.impact" -> "screening")."""
    return gap.field.removeprefix("fields.").split(".")[0] if gap.field else None


def _link(doc, part, gap=None):
    if part.endpoint == "editing.screening_summary" and gap is not None and gap.field:
        # A strand's answer is written on that strand's page.
        strand = gap.field.split(".")[2]
        return Link("editing.screening", {"doc_id": doc["id"], "strand": strand}, input_id(gap.field))
    return Link(part.endpoint, {"doc_id": doc["id"]}, input_id(gap.field) if gap and gap.field else None)


def still_needed(doc):
    """Every gap before every later step of `doc` (fields.Gap, keyed by input path), in the order of the steps."""
    if doc["state"] == "draft":
        return machine.screening_gaps(doc) + machine.submission_gaps(doc)
    if doc["state"] == "screened":
        return machine.submission_gaps(doc)
    return []


def _status(doc, part, gaps):
    if doc["kind"] == eqia.NAME and part.keys == ("full_assessment",):
        if doc["state"] == "draft" and any(_key(g) == "screening" for g in gaps):
            return CANNOT_START
        if not eqia.negative_strands(doc.get("fields") or {}):
            return NOT_NEEDED
    if doc["kind"] == "objective" and part.keys == ("progress",):
        return COMPLETED if (doc.get("fields") or {}).get("progress") else INCOMPLETE
    return INCOMPLETE if any(_key(g) in part.keys for g in gaps) else COMPLETED


def task_list(doc, user):
    """([Task], [Needed]) of `doc` for `user`: links only for someone who may edit it now."""
    gaps = still_needed(doc)
    editing = policy.editable(doc, user)
    tasks, needed = [], []
    for part in PARTS[doc["kind"]]:
        status = _status(doc, part, gaps)
        shown = editing and status not in (CANNOT_START, NOT_NEEDED)
        tasks.append(Task(part.name, status, _link(doc, part) if shown else None))
    for gap in gaps:
        part = next((p for p in PARTS[doc["kind"]] if _key(gap) in p.keys), None)
        needed.append(Needed(gap.words, _link(doc, part, gap) if editing and part else None))
    return tasks, needed


def _team_leader(doc):
    return f"a team leader of {doc['team']}"


def next_step(doc, user=None):
    """Who acts next on `doc`, and whether they have been told (workflow.notices tells them);
    said to `user` as "You" where they are the one who acts."""
    state, label = doc["state"], kinds.get(doc["kind"]).LABEL
    you = user is not None
    if state == "draft":
        if you and doc["author"] == user.name:
            writers, s = f"You or {_team_leader(doc)}", ""
        else:
            writers, s = f"The author or {_team_leader(doc)}", "s"
        if doc.get("returned"):
            return (f"{writers} correct{s} it and mark{s} it as screened again; "
                    "the author and whoever submitted it have been told why it was sent back.")
        return f"{writers} complete{s} it and mark{s} it as screened."
    if state == "screened":
        if you and user.leads(doc["team"]):
            return f"You, as {_team_leader(doc)}, submit it for sign-off."
        return f"{sentence(_team_leader(doc))} submits it for sign-off; they have been told."
    if state == "assessed":
        assignee = (doc.get("assignee") or {}).get("name")
        if you and assignee == user.name:
            return "You sign it off or send it back."
        if not assignee and doc.get(machine.HEAD_WROTE):
            # The Head cannot sign off what a Head wrote (machine: the Chief Executive's rule).
            return ("The Chief Executive signs it off, as a Head wrote or changed it, or the Head or a team "
                    "leader sends it back; the Chief Executive has been told.")
        who = assignee or "The Head of Race and Diversity"
        return f"{who} signs it off or sends it back; {'they have' if assignee else 'the Head has'} been told."
    if state == "approved":
        return (f"This {label} is signed off and published. The Board reviews it at a meeting; "
                f"{_team_leader(doc)} can start a new revision.")
    return f"This {label} has been reviewed by the Board. {sentence(_team_leader(doc))} can start a new revision."


def after_step(name, doc):
    """The message after step `name` took `doc` to its new state: what was done, and who acts next."""
    done = {"screen": "Marked as screened", "assess": "Submitted for sign-off", "approve": "Signed off",
            "send_back": "Sent back", "review": "The Board's review is recorded",
            "revise": "A new revision is started"}.get(name, "Done")
    return f"{done}. {next_step(doc)}"

