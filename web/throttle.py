"""Sign-in throttling: after repeated failures, an account name or a client address
waits a while before it may try again.

The counters live in the store (collection ``throttle``), not in process memory,
so every process serving one store agrees on them. Each change is a
version-checked read-modify-write, retried when another process got there first.

The rule, per key (an account name, or a client address with a higher limit
because an office may sit behind one address):

* each failed sign-in counts; a count older than WINDOW starts again from zero;
* reaching the limit blocks the key for a back-off that doubles with each block
  in a row (1, 2, 4, 8 minutes) up to CAP, so nobody is locked out for good;
* a successful sign-in clears the account's record (not the address's: else
  an attacker could clear the address between guesses by signing in to their
  own account);
* a refused attempt is not counted, so waiting out a block always works.

Names are throttled whether or not an account has them, so a block says nothing
about which accounts exist. Keys are stored as digests: people sometimes type
their password into the name field, and the store should not keep it.

Attempts already in flight when the limit is reached still finish, so a burst of
parallel guesses may get a few more tries than the limit (at most one per
request being served), never an unbounded number.
"""
import datetime as dt
import math
from dataclasses import dataclass

from store import Conflict, Delete, Put, StoreError
from web.accounts import digest
from workflow.errors import WorkflowError

THROTTLE = "throttle"
WINDOW = dt.timedelta(minutes=15)
BASE = dt.timedelta(minutes=1)
CAP = dt.timedelta(minutes=15)
FORGET = dt.timedelta(days=1)  # a quiet day: the next block starts again at BASE
ATTEMPTS = 5  # store conflicts tolerated before giving up


@dataclass(frozen=True)
class Limit:
    kind: str
    failures: int


ACCOUNT = Limit("account", 5)
ADDRESS = Limit("address", 20)


class Throttled(WorkflowError):
    """Too many failures: wait `seconds` (sent as Retry-After)."""
    status = 429

    def __init__(self, seconds):
        super().__init__(f"Too many wrong passwords for this user name or from your network. "
                         f"Try again in {in_words(seconds)}.")
        self.seconds = seconds


def utc_now():
    return dt.datetime.now(dt.timezone.utc)


def _keys(name, address):
    """(limit, store key) for the account name and the client address."""
    return [(ACCOUNT, digest("account:" + (name or "").strip().casefold())),
            (ADDRESS, digest("address:" + (address or "unknown")))]


def _at(text):
    return dt.datetime.fromisoformat(text) if text else None


def wait(store, name, address, now):
    """Seconds until `name` may try from `address` again; 0 if it may try now."""
    longest = 0
    for _, key in _keys(name, address):
        record = store.get(THROTTLE, key)
        until = _at(record and record.get("until"))
        if until and until > now:
            longest = max(longest, math.ceil((until - now).total_seconds()))
    return longest


def check(store, name, address, now):
    """Throttled if `name` or `address` must wait."""
    seconds = wait(store, name, address, now)
    if seconds:
        raise Throttled(seconds)


def _counted(record, limit, now):
    """The record after one more failure at `now`."""
    record = {key: value for key, value in (record or {}).items() if key not in ("id", "version")}
    last = _at(record.get("last"))
    if last is None or now - last > FORGET:
        record = {"blocks": 0}
    if _at(record.get("since")) is None or now - _at(record["since"]) > WINDOW:
        record.update(failures=0, since=now.isoformat())
    record.update(failures=record["failures"] + 1, last=now.isoformat(), kind=limit.kind)
    if record["failures"] >= limit.failures:
        blocks = record["blocks"] + 1
        record.update(blocks=blocks, failures=0, since=now.isoformat(),
                      until=(now + min(BASE * 2 ** (blocks - 1), CAP)).isoformat())
    return record


def _retrying(store, ops_for):
    """Commit ops_for(), reading afresh after each Conflict with another process."""
    for _ in range(ATTEMPTS):
        try:
            return store.commit(ops_for())
        except Conflict:
            continue
    raise StoreError("the sign-in counters kept changing; try again")


def failed(store, name, address, now):
    """Count a failed sign-in against the name and the address."""
    def ops():
        found = [(limit, key, store.get(THROTTLE, key)) for limit, key in _keys(name, address)]
        return [Put(THROTTLE, key, _counted(record, limit, now), expected_version=record and record["version"])
                for limit, key, record in found]
    _retrying(store, ops)


def succeeded(store, name):
    """A right password: the account's failures are forgotten."""
    key = _keys(name, None)[0][1]
    if store.get(THROTTLE, key) is not None:
        store.commit([Delete(THROTTLE, key)])


def in_words(seconds):
    """'3 minutes', '40 seconds': how long to wait, as a person says it."""
    if seconds >= 60:
        minutes = math.ceil(seconds / 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"
