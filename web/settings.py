"""The authority's own choices about how the rules apply, kept in the store's
settings collection so that every process serving it agrees."""
from store import Conflict, Put
from workflow.documents import now
from workflow.errors import StateConflict

SETTINGS = "settings"
TRAINING_RULE = "training_rule"


def training_rule(store):
    """Whether nobody untrained in EqIA may sign off or record a Board decision (on unless switched off)."""
    record = store.get(SETTINGS, TRAINING_RULE)
    return True if record is None else record["on"]


def set_training_rule(store, on, by, version=None):
    """`version`: that of the setting as the admin saw it (None if never set), so two admins cannot cross."""
    try:
        store.commit([Put(SETTINGS, TRAINING_RULE, {"on": bool(on), "by": by, "at": now()},
                          expected_version=version)])
    except Conflict:
        raise StateConflict("someone else changed this setting since you opened the page; reload it",
                            {"version": "the setting has changed"}) from None


def training_rule_record(store):
    """Who last switched the rule, and when (None while it has never been switched)."""
    return store.get(SETTINGS, TRAINING_RULE)
