"""The document kinds, by name."""
from workflow.errors import Invalid
from workflow.kinds import eqia, objective, report, standard_cell, team_plan

KINDS = {module.NAME: module for module in (eqia, objective, team_plan, report, standard_cell)}


def get(name):
    """The kind module called `name`, or Invalid naming the choices."""
    try:
        return KINDS[name]
    except (KeyError, TypeError):
        raise Invalid("unknown kind", {"kind": "must be one of " + ", ".join(KINDS)}) from None
