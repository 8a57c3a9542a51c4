"""Who could sign off a document awaiting sign-off and, when no one could, why in plain
words and who could be given the power (never a dead end). Pure: the service gives the
people (workflow.users.User, with their naming as deputy in effect)."""
from dataclasses import dataclass

from workflow import deputies, machine, policy, worklist

SIGNING_ROLES = ("head", "chief_executive")


def possible(people):
    """Those of `people` who sign off anything at all: Heads, Chief Executives, deputies in effect."""
    return [person for person in people if any(person.has(role) for role in SIGNING_ROLES)
            or deputies.acting(person)]


def eligible(doc, people):
    """The names of those of `people` who could sign `doc` off now."""
    return [person.name for person in possible(people) if policy.could_sign_off(doc, person)]


def _why_not(doc, person):
    """Why `person`, who signs off, cannot sign off `doc`, in words after their name."""
    if person.name == doc["author"]:
        return "wrote it"
    if person.name in doc.get(machine.CONTRIBUTORS, ()):
        return "changed it"
    if person.name == doc.get("submitter"):
        return "submitted it"
    if not person.meets_training_rule():
        return "is not trained in EqIA"
    if deputies.acting(person) and person.deputy.named_by in doc.get(machine.HEAD_WROTE, ()):
        return f"was named by {person.deputy.named_by}, who wrote it"
    if person.has("chief_executive") and not person.has("head") and not doc.get(machine.HEAD_WROTE):
        return "signs off only what a Head wrote"
    return "may not sign it off"


def _holders(doc, people, role, words):
    """The holders of `role` and why none of them can sign `doc` off: "the only Head wrote it"."""
    holders = [person for person in people if person.has(role)]
    if not holders:
        return f"there is no {words}"
    if len(holders) == 1:
        return f"the only {words}, {holders[0].name}, {_why_not(doc, holders[0])}"
    return f"each {words} is ruled out (" + "; ".join(f"{p.name} {_why_not(doc, p)}" for p in holders) + ")"


def _untrained(doc, people):
    return [p.name for p in possible(people) if not p.meets_training_rule()
            and p.name not in (doc["author"], doc.get("submitter"), *doc.get(machine.CONTRIBUTORS, ()))]


def no_one_can_sign(doc, people):
    """None while `doc` does not await sign-off or someone of `people` could sign it off; else
    the words for its page and My work: why no one can, and who could be given the power."""
    if doc["state"] != "assessed" or eligible(doc, people):
        return None
    heads_wrote = bool(doc.get(machine.HEAD_WROTE))
    reasons = [_holders(doc, people, "head", "Head")]
    if heads_wrote:
        reasons.append(_holders(doc, people, "chief_executive", "Chief Executive"))
    reasons += [f"the deputy approver {p.name} {_why_not(doc, p)}" for p in possible(people)
                if deputies.acting(p) and not any(p.has(role) for role in SIGNING_ROLES)]
    return f"No one can sign this off: {'; '.join(reasons)}. {' '.join(_remedies(doc, people, heads_wrote))}"


def _remedies(doc, people, heads_wrote):
    has_head = any(person.has("head") for person in people)
    confirmed = "which a Head confirms" if has_head else \
        "and as no Head could confirm it, the operator adds one at the command line"
    found = []
    untrained = _untrained(doc, people)
    if untrained:
        found.append(f"An administrator can record the EqIA training of {', '.join(untrained)}.")
    if heads_wrote:
        found.append(f"An administrator can give the Chief Executive role to someone, {confirmed}.")
    else:
        if has_head:
            found.append("A Head can name a trained deputy approver on the Deputy approvers page.")
        found.append(f"An administrator can give the Head of Race and Diversity role to someone who did not "
                     f"write, change or submit it, {confirmed}.")
    return found


NO_ONE = "no_one_can_sign"


@dataclass(frozen=True)
class Stuck:
    """A document awaiting sign-off that no one can sign off, as My work lists it."""
    doc: dict | None  # what the person sees of it; None for an administrator, who may not see it
    kind: str
    team: str
    words: str  # no_one_can_sign's


def with_no_one_to_sign(sections, stuck):
    """My work's `sections` led by the documents of `stuck` ([(seen or None, document, words)])."""
    if not stuck:
        return sections
    items = tuple(Stuck(seen, doc["kind"], doc["team"], words) for seen, doc, words in stuck)
    return [worklist.Section(NO_ONE, "Waiting for sign-off, but no one can sign it off", items), *sections]
