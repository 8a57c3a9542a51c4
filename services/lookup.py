"""Records looked up by the id a request gave: only a stored id's form (workflow.numbers.is_id)
reaches the store, and an absent record is NotFound in the caller's words."""
from workflow import numbers
from workflow.errors import NotFound


def by_id(store, collection, given):
    """The record of `collection` keyed `given` (whatever value a request carried), or None."""
    key = str(given)
    return store.get(collection, key) if numbers.is_id(key) else None


def by_id_or_404(store, collection, given, absent):
    """As by_id, and NotFound(`absent`) when there is none."""
    record = by_id(store, collection, given)
    if record is None:
        raise NotFound(absent)
    return record
