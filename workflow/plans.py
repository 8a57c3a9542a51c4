"""The equality plan as a record: its details, critical success factors, reviews,
successor and reporting cycle. Pure: plans are read from documents as seen.

The first plan is the Corporate Equality Plan 2004 (it is built in: the import and
the demo load its objectives). Each later plan is made by an approved plan succession
(workflow.kinds.plan_succession), which ends the plan it supersedes on the day the
successor was adopted and carries that plan's open objectives into it. A plan's
reviews are approved plan reviews (workflow.kinds.plan_review).
"""
import datetime as dt
from dataclasses import dataclass, replace

from workflow import bodies, cycle, machine, periods

EODB = "Equal Opportunities and Diversity Board"
# An objective is carried forward unless it was achieved or superseded (objective DISPOSITIONS).
CLOSED_DISPOSITIONS = ("achieved", "superseded")


@dataclass(frozen=True)
class Plan:
    key: str
    title: str
    first_year: str  # financial year codes: the plan runs from the first to the last, inclusive
    last_year: str
    adopted_by: str
    adopted_on: dt.date
    factors: tuple  # its critical success factors, in order
    supersedes: str = None  # the key of the plan it replaced
    succession: str = None  # the id of the approved plan succession that made it
    ended_on: dt.date = None  # the day its successor was adopted
    successor: str = None

    @property
    def period(self):
        """As the 2007 report writes a plan's period: "2004 – 2007"."""
        return f"{periods.bounds(self.first_year)[0].year} – {periods.bounds(self.last_year)[1].year}"

    @property
    def last_day(self):
        return periods.bounds(self.last_year)[1]


FIRST = Plan(
    "cep-2004", "Corporate Equality Plan 2004", "2004-05", "2006-07", EODB, cycle.ADOPTED, (
        ("The strategies for embedding equality and diversity are integrated into and inform all aspects "
         "and business of the Authority"),
        ("Information and data systems and practices and procedures for monitoring and review are embraced "
         "by all staff and teams"),
        ("Both corporate and individual team equality outcomes can make a change in the lives of Londoners "
         "and in the delivery of services by the MPS"),
        "There is an effective internal infrastructure to support the implementation of the CEP",
    ))


def _approved(seen, kind):
    return [doc for doc in seen if doc.get("kind") == kind and doc.get("state") in machine.PUBLISHED_STATES
            and isinstance(doc.get("fields"), dict)]


def _approved_on(doc):
    """When the shown revision was approved (workflow.reports.seen_by_board adds it)."""
    return str(doc.get("approved_at") or doc.get("updated_at") or "")


def all_plans(seen, first=FIRST):
    """Every plan, oldest first: `first`, then each successor an approved succession made.
    Only the first approved succession of a plan counts (a plan has one successor)."""
    found = [first]
    successions = sorted(_approved(seen, "plan_succession"), key=_approved_on)
    while True:
        current = found[-1]
        made = next((doc for doc in successions if doc["fields"].get("plan") == current.key), None)
        if made is None:
            return found
        fields = made["fields"]
        successor = Plan(f"plan-{made['id']}", made["title"], fields["first_year"], fields["last_year"],
                         fields["adopted_by"], dt.date.fromisoformat(fields["adopted_on"]),
                         tuple(fields.get("factors") or ()), supersedes=current.key, succession=made["id"])
        found[-1] = replace(current, ended_on=successor.adopted_on, successor=successor.key)
        found.append(successor)


def find(plans, key):
    return next((plan for plan in plans if plan.key == key), None)


def current(plans):
    """The plan in force: the last one adopted."""
    return plans[-1]


def is_open(objective):
    return (objective.get("fields") or {}).get("disposition") not in CLOSED_DISPOSITIONS


def owner(objective, plans, seen):
    """The key of the plan an objective belongs to: the plan in force when it was written
    (objectives before any successor belong to the first plan), then each successor its
    approved succession (in `seen`) carried it into."""
    written = str(objective.get("created_at") or "")[:10]
    key = plans[0].key
    for plan in plans[1:]:
        if plan.adopted_on.isoformat() <= written:
            key = plan.key
    carried = {doc["fields"].get("plan"): doc for doc in _approved(seen, "plan_succession")}
    while (made := carried.get(key)) and str(objective.get("id")) in map(str, made["fields"].get("carried") or ()):
        key = f"plan-{made['id']}"
    return key


def objectives_of(plan, plans, objectives, seen):
    """Of `objectives` (documents, any state), those `plan` owns."""
    return [doc for doc in objectives if doc.get("kind") == "objective" and owner(doc, plans, seen) == plan.key]


def to_carry(plan, plans, objectives, seen):
    """The ids of `plan`'s open objectives, which its successor takes over."""
    return [str(doc["id"]) for doc in objectives_of(plan, plans, objectives, seen) if is_open(doc)]


def reviews(plan, seen):
    """The approved reviews of `plan`, by the date of the review they fulfil."""
    return sorted((doc for doc in _approved(seen, "plan_review") if doc["fields"].get("plan") == plan.key),
                  key=lambda doc: doc["fields"].get("due", ""))


def plan_cycle(plan, today, reported, reviews_done=(), names=bodies.DEFAULT):
    """The plan's commitments: its reports and reviews within its period, then its review at the
    end of its period with its successor adopted. Once superseded, nothing of it is due or overdue.
    `names`: the bodies' names, as the administrator set them."""
    items = cycle.cycle(today, reported, plan.adopted_on, set(reviews_done), last_day=plan.last_day,
                        ended=plan.ended_on, title=plan.title, names=names)
    return items + [cycle.succession(plan.key, plan.title, plan.last_day, plan.ended_on is not None, today, names)]


def reviews_done(plan, plans, seen, extra_reviews=()):
    """The review dates of `plan` signed off in `seen`; for the first plan, also `extra_reviews`,
    those recorded as done before reviews were documents (the "plan_reviews" setting)."""
    done = {doc["fields"].get("due") for doc in reviews(plan, seen)}
    return done | set(extra_reviews) if plan.key == plans[0].key else done


def full_cycle(plans, today, reported, seen, extra_reviews=(), names=bodies.DEFAULT):
    """Every plan's commitments, by due date."""
    items = []
    for plan in plans:
        items += plan_cycle(plan, today, reported, reviews_done(plan, plans, seen, extra_reviews), names)
    return sorted(items, key=lambda item: (item.due, item.key))


def reviews_owed(plan, today, seen):
    """The review dates of `plan` not yet recorded, due by today or within a year (to record early)."""
    done = {doc["fields"].get("due") for doc in reviews(plan, seen)}
    return [item.due.isoformat() for item in cycle.cycle(today, (), plan.adopted_on, done,
                                                         last_day=plan.last_day, ended=plan.ended_on)
            if item.key.startswith("review:") and item.status in (cycle.DUE, cycle.OVERDUE)]


def succession_errors(plan, fields):
    """What is wrong, for `plan`, with a successor's `fields` (the kind checks each alone):
    only the plan in force is superseded, by a plan adopted after it, starting after its first year."""
    if plan is None:
        return {"plan": "Select a plan that exists"}
    if plan.successor is not None:
        return {"plan": f"The {plan.title} has already been superseded"}
    errors = {}
    adopted_on = fields.get("adopted_on")
    if isinstance(adopted_on, str) and adopted_on <= plan.adopted_on.isoformat():
        errors["adopted_on"] = f"Enter a date after the {plan.title} was adopted ({plan.adopted_on.isoformat()})"
    first_year = fields.get("first_year")
    if periods.parse(first_year) and periods.sort_key(first_year) <= periods.sort_key(plan.first_year):
        errors["first_year"] = f"Enter a first year after {periods.label(plan.first_year)}, the {plan.title}'s"
    return errors


def review_errors(plan, due, today, seen):
    """What is wrong with recording the review of `plan` due on `due` (an ISO date)."""
    if plan is None:
        return {"plan": "Select a plan that exists"}
    if due not in reviews_owed(plan, today, seen):
        return {"due": "Select one of the plan's reviews not yet recorded"}
    return {}


def carried_ids(doc):
    """The objectives a plan succession carries into its successor (none for any other document)."""
    if doc.get("kind") != "plan_succession":
        return []
    return [str(doc_id) for doc_id in (doc.get("fields") or {}).get("carried") or ()]


def carried_entry(objective, succession, approval):
    """The line of `objective`'s history saying the signed-off `succession` (its `approval` entry)
    carried it into the successor plan; its state and revision are unchanged."""
    return {"at": approval["at"], "actor": approval["actor"], "action": "carry_forward",
            "from": objective["state"], "to": objective["state"], "revision": objective["revision"],
            "comment": f"Carried forward to the {succession['title']}, as plan succession "
                       f"{succession['id']} says.", "plan": f"plan-{succession['id']}"}


def in_progress(stored, kind, plan, due=None):
    """The review (of the one due on `due`) or succession of `plan` being written or awaiting
    sign-off among the `stored` documents, if any: a second one would duplicate it."""
    return next((doc for doc in stored if doc.get("kind") == kind and doc.get("published") is None
                 and (doc.get("fields") or {}).get("plan") == plan.key
                 and (due is None or doc["fields"].get("due") == due)), None)
