"""Sign-in throttling: after repeated failures, an account name or a client address
waits a while before it may try again.

The counters live in the store (collection ``throttle``), not in process memory,
so every process serving one store agrees on them. Each change is a
version-checked read-modify-write, retried when another process got there first.

The rule, per key (an account name, or a client address with a higher limit
because an office may sit behind one address):

* each attempt counts before its password is checked (``attempt``), and a right
  password gives its count back (``succeeded``): so each failed sign-in counts,
  and a burst of parallel guesses, on however many hosts, checks no more passwords
  than the limit (counting after the check would let every guess in flight through);
* a count older than WINDOW starts again from zero;
* reaching the limit blocks the key for a back-off that doubles with each block
  in a row (1, 2, 4, 8 minutes) up to CAP, so nobody is locked out for good;
* a successful sign-in clears the account's record (the address's only loses the
  success's own count: else an attacker could clear the address between guesses by
  signing in to their own account);
* a refused attempt is not counted, so waiting out a block always works.

Names are throttled whether or not an account has them, so a block says nothing
about which accounts exist. Keys are stored as digests: people sometimes type
their password into the name field, and the store should not keep it.
"""
import datetime as dt
import math
from dataclasses import dataclass

from services import commits
from services.credential_service import digest
from store import Delete, Put
from workflow.errors import WorkflowError

THROTTLE = "throttle"
WINDOW = dt.timedelta(minutes=15)
BASE = dt.timedelta(minutes=1)
CAP = dt.timedelta(minutes=15)
FORGET = dt.timedelta(days=1)  # a quiet day: the next block starts again at BASE


@dataclass(frozen=True)
class Limit:
    kind: str
    failures: int


ACCOUNT = Limit("account", 5)
ADDRESS = Limit("address", 20)
# Commits tried before giving up, more than commits.ATTEMPTS: each conflict is another
# attempt's count landing first, and a burst stops counting once its key is blocked, so a
# burst on one name lands at most its limit (the last count blocks): its losers retry
# fewer times than this, where commits.ATTEMPTS could refuse the last of them.
RETRIES = 2 * ACCOUNT.failures


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


@dataclass(frozen=True)
class Attempt:
    """A counted sign-in attempt: what ``succeeded`` needs to give its count back."""
    account: str  # the account name's store key
    address: str  # the client address's store key
    before: dict | None  # the address's record before this attempt counted
    counted: dict  # the address's record as this attempt left it


def _wait(record, now):
    """Seconds the key of `record` must wait from `now`; 0 if it may try."""
    until = _at(record and record.get("until"))
    return math.ceil((until - now).total_seconds()) if until and until > now else 0


def attempt(store, name, address, now):
    """Count a sign-in attempt of `name` from `address` before its password is checked:
    Throttled (and nothing counted) if either must wait. Give the Attempt back to
    ``succeeded`` if the password was right."""
    (account_limit, account), (address_limit, address_key) = _keys(name, address)
    before = {}

    def ops():
        found = {key: store.get(THROTTLE, key) for key in (account, address_key)}
        seconds = max(_wait(record, now) for record in found.values())
        if seconds:
            raise Throttled(seconds)
        before.update(found)
        return [Put(THROTTLE, key, _counted(found[key], limit, now),
                    expected_version=found[key] and found[key]["version"])
                for limit, key in ((account_limit, account), (address_limit, address_key))]
    _, counted = _committed(store, ops)
    return Attempt(account, address_key, before[address_key], counted)


def _fields(record):
    """What a stored record holds, without the store's id and version."""
    return {key: value for key, value in (record or {}).items() if key not in ("id", "version")}


def _counted(record, limit, now):
    """The record after one more attempt counted at `now`."""
    record = _fields(record)
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


def _committed(store, ops_for):
    """Commit ops_for(), reading afresh after each Conflict with another process (the
    store lets a retry inside a request read what it lost to: store.Store.pinned)."""
    return commits.retried(lambda: store.commit(ops_for()), "the sign-in counters", attempts=RETRIES)


def _given_back(attempt, current):
    """The op that takes `attempt`'s count off the address's `current` record; None if nothing is left to take."""
    if current is None:
        return None
    if current["version"] == attempt.counted["version"]:  # nobody counted since: as it was before
        if attempt.before is None:
            return Delete(THROTTLE, attempt.address, expected_version=current["version"])
        return Put(THROTTLE, attempt.address, _fields(attempt.before), expected_version=current["version"])
    if current.get("since") != attempt.counted["since"] or not current["failures"]:
        return None  # counted in a window that has ended, or blocked since: nothing of it is left
    return Put(THROTTLE, attempt.address, {**_fields(current), "failures": current["failures"] - 1},
               expected_version=current["version"])


def succeeded(store, attempt):
    """A right password: the account's failures are forgotten, and the address's count
    of this attempt is given back (a success is no failure)."""
    def ops():
        given_back = _given_back(attempt, store.get(THROTTLE, attempt.address))
        return [Delete(THROTTLE, attempt.account), *([given_back] if given_back else [])]
    _committed(store, ops)


def in_words(seconds):
    """'3 minutes', '40 seconds': how long to wait, as a person says it."""
    if seconds >= 60:
        minutes = math.ceil(seconds / 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"
