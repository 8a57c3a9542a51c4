"""The document kinds, by name.

Each kind module has NAME, LABEL, CREATORS (and TEAM where only one team keeps
documents of its kind), LOCKED_WHEN_SCREENED,
`validate(fields, current=None)` (errors in a new document's fields, or, given
the stored `current` fields, in the changes to them), `screening_gaps(fields)`
and `submission_gaps(fields)`.
"""
from workflow.errors import Invalid
from workflow.kinds import eqia, monitoring_dataset, objective, plan_review, plan_succession, report, standard_cell, team_plan

KINDS = {module.NAME: module for module in (eqia, objective, team_plan, report, standard_cell, plan_review,
                                            plan_succession, monitoring_dataset)}


def get(name):
    """The kind module called `name`, or Invalid naming the choices."""
    try:
        return KINDS[name]
    except (KeyError, TypeError):
        raise Invalid("There is no such kind of document", {"kind": "Select the kind of document"}) from None
