"""The authority's strand set for new EqIAs: the store's setting "strand_set".

Only new EqIAs read it; each EqIA keeps the set it was created with (workflow.strands).
"""
from store import Conflict, Put
from workflow import strands
from workflow.errors import Invalid, StateConflict

SETTINGS, STRAND_SET = "settings", "strand_set"


def strand_set(store):
    """The name of the set new EqIAs are screened against (the 2004 plan's until an admin changes it)."""
    record = store.get(SETTINGS, STRAND_SET)
    return record["value"] if record and record.get("value") in strands.SETS else strands.DEFAULT


def set_strand_set(store, value, version):
    """Choose the set for new EqIAs; `version` is the setting's as the admin saw it (None: never saved)."""
    if value not in strands.SETS:
        raise Invalid("choose a strand set", {"strand_set": "must be one of " + ", ".join(strands.SETS)})
    try:
        [stored] = store.commit([Put(SETTINGS, STRAND_SET, {"value": value}, expected_version=version)])
    except Conflict:
        raise StateConflict("someone else changed this setting since you opened the page; reload it",
                            {"version": "the setting has changed"}) from None
    return stored


def strand_set_version(store):
    record = store.get(SETTINGS, STRAND_SET)
    return record["version"] if record else None
