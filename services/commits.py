"""The one way a use case meets a commit that lost a race (store.Conflict).

Three answers, chosen by who holds the stale copy:
- a person saw a version and decided on it: `refused_if_changed` turns the Conflict
  into StateConflict (409 in the API, "reload" on a page), as their decision may no
  longer hold;
- the use case itself read what it changes (a counter, the next free key, the audit
  chain's head): `retried` reads afresh and tries again, at most ATTEMPTS times,
  then refuses with StoreError so that nothing half-done is acknowledged. A retry
  inside a request reads what it lost to (store.Store.pinned catches up on Conflict);
- the work was claimed or done by another process (a mail another sender claimed, the
  day's reminders another run made): `unless_done_elsewhere` gives None, and the caller
  moves on to the next piece of work.
"""
from contextlib import contextmanager

from store import Conflict, StoreError
from workflow.errors import StateConflict

ATTEMPTS = 5


@contextmanager
def refused_if_changed(message, details):
    """The commit inside raises StateConflict(message, details) if it lost to another change."""
    try:
        yield
    except Conflict as exc:
        raise StateConflict(message, details) from exc


def retried(attempt, what, attempts=ATTEMPTS, only=None):
    """attempt() again after each Conflict (one in collection `only`, if given: any other
    is raised), up to `attempts` times; then StoreError naming `what` kept changing."""
    for _ in range(attempts):
        try:
            return attempt()
        except Conflict as exc:
            if only is not None and exc.collection != only:
                raise
    raise StoreError(f"{what} kept changing while this was saved; nothing was changed, try again")


def unless_done_elsewhere(attempt):
    """attempt()'s result, or None if its commit lost to another process doing the same work."""
    try:
        return attempt()
    except Conflict:
        return None
