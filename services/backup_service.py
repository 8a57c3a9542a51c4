"""Complete, versioned JSON backups of a store, restorable to either backend.

A backup holds every record collection (documents, revisions, users, settings,
meetings...) with each record's id and version, and every log (history) whole.
Secrets stay out unless asked for: password hashes, API token digests, the
session-signing key and the identity provider's client secret. Sign-in sessions are never exported.
"""
import datetime as dt
import json

from services import verify_service
from services.account_service import USERS
from services.credential_service import SESSIONS, SIGN_IN_LINKS, TOKENS
from services.settings_service import OIDC
from store import Contents, StoreError
from workflow.errors import Invalid

FORMAT, VERSION = "equality-governance-backup", 1
SETTINGS, SECRET_KEY = "settings", "secret_key"
_SHOWN = 10  # broken chains named when a backup is refused


def _without_secrets(collection, records):
    if collection == USERS:
        return ({k: v for k, v in r.items() if k != "password_hash"} for r in records)
    if collection == SETTINGS:  # the session-signing key, and the identity provider's client secret
        return ({k: v for k, v in r.items() if k != "client_secret"} if r["id"] == OIDC else r
                for r in records if r["id"] != SECRET_KEY)
    return records


def _collections(store, with_secrets):
    """(record collections a backup holds, log collections)."""
    names = store.collections()
    skipped = {SESSIONS} if with_secrets else {SESSIONS, TOKENS, SIGN_IN_LINKS}
    return [c for c in names["records"] if c not in skipped], names["logs"]


def _records(store, collection, with_secrets):
    """The records of `collection` a backup holds, read one at a time."""
    rows = store.stream(collection)
    return rows if with_secrets else _without_secrets(collection, rows)


def contents(store, with_secrets=False):
    """(records, logs) as `Store.load` takes them, all in memory (for moving a store)."""
    with store.one_state():
        records, logs = _collections(store, with_secrets)
        return ({c: list(_records(store, c, with_secrets)) for c in records},
                {c: dict(store.stream_log(c)) for c in logs})


def export(store, path, with_secrets=False):
    """Write the backup to `path` as the store is read, a record or a document's history a
    line, so that memory holds one at a time however large the store, all of it from one
    state of the store (Store.one_state: commits made meanwhile are not in it); the counts."""
    found = {"records": {}, "logs": {}}
    with store.one_state(), open(path, "w", encoding="utf-8") as out:
        records, logs = _collections(store, with_secrets)
        out.write(json.dumps({"format": FORMAT, "version": VERSION,
                              "exported_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                              "with_secrets": with_secrets})[:-1])
        out.write(', "records": {')
        for i, c in enumerate(records):
            out.write(("," if i else "") + f"\n{json.dumps(c)}: [")
            found["records"][c] = 0
            for n, record in enumerate(_records(store, c, with_secrets)):
                out.write(("," if n else "") + "\n" + json.dumps(record, ensure_ascii=False))
                found["records"][c] += 1
            out.write("]")
        out.write('},\n"logs": {')
        for i, c in enumerate(logs):
            out.write(("," if i else "") + f"\n{json.dumps(c)}: {{")
            found["logs"][c] = 0
            for n, (key, entries) in enumerate(store.stream_log(c)):
                out.write(("," if n else "") + f"\n{json.dumps(key)}: {json.dumps(entries, ensure_ascii=False)}")
                found["logs"][c] += len(entries)
            out.write("}")
        out.write("}}\n")
    return found


def read(path):
    """(records, logs) from a backup file; Invalid naming what is wrong with it."""
    try:
        with open(path, encoding="utf-8") as f:
            backup = json.load(f)
    except OSError as exc:
        raise _bad(f"cannot read {path}: {exc.strerror}") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise _bad(f"{path} is not a backup (not JSON: {exc})") from exc
    if not isinstance(backup, dict) or backup.get("format") != FORMAT:
        raise _bad(f"{path} is not a backup of this application")
    if backup.get("version") != VERSION:
        raise _bad(f"{path} is a backup of format version {backup.get('version')}; "
                         f"this version reads version {VERSION}")
    records, logs = backup.get("records"), backup.get("logs")
    if not (isinstance(records, dict) and isinstance(logs, dict)
            and all(isinstance(rows, list) and all(isinstance(r, dict) and isinstance(r.get("id"), str)
                                                   and isinstance(r.get("version"), int) for r in rows)
                    for rows in records.values())
            and all(isinstance(by_key, dict) and all(isinstance(es, list) and all(isinstance(e, dict) for e in es)
                                                     for es in by_key.values())
                    for by_key in logs.values())):
        raise _bad(f"{path} is damaged: its records or logs are not in the backup's shape")
    return records, logs


def _bad(reason):
    return Invalid("not a usable backup", {"file": reason})


def restore(store, records, logs):
    """Load what `check` passed into an empty store, then check it holds what was loaded; the counts."""
    store.load(records, logs)
    return verify(store, counts(records, logs))


def check(records, logs, field="file", what="the backup"):
    """run.py verify's checks (services/verify_service.py) of a backup, before anything is loaded: Invalid
    (on `field`) naming each broken chain or altered revision, else their summary lines. A backup
    that fails them would restore to a store that fails them ever after."""
    try:
        report = verify_service.verify_store(Contents(records, logs))
    except (KeyError, TypeError, AttributeError, ValueError) as exc:  # a file this application did not write
        raise Invalid("not a usable backup", {field: f"{what} is damaged: its documents, history or revisions are "
                                                     f"not in the shape this application writes "
                                                     f"({type(exc).__name__}: {exc})"}) from exc
    if not report.intact:
        shown = report.broken[:_SHOWN]
        more = len(report.broken) - len(shown)
        raise Invalid("not a usable backup", {
            field: f"{what} fails run.py verify's checks ({len(report.broken)} broken), so nothing was written "
                   "to the store: " + "; ".join(shown) + (f"; and {more} more" if more else "")})
    return report.lines


def counts(records, logs):
    """{"records": {collection: n}, "logs": {collection: entries}}."""
    return {"records": {c: len(rows) for c, rows in records.items()},
            "logs": {c: sum(len(es) for es in by_key.values()) for c, by_key in logs.items()}}


def verify(store, expected):
    """Raise StoreError unless `store` holds exactly the expected number of records and entries."""
    found = {"records": {c: len(store.scan(c)) for c in expected["records"]},
             "logs": {c: sum(len(store.log(c, k)) for k in store.log_keys(c)) for c in expected["logs"]}}
    if found != expected:
        raise StoreError(f"the restored store does not match: expected {expected}, found {found}")
    return found


def migrate(source, target):
    """Move everything (secrets included: the same people sign in afterwards) from one store to
    another, its chains checked first: (the chains' summary lines, the counts)."""
    records, logs = contents(source, with_secrets=True)
    checked = check(records, logs, "from", "the store to move")
    return checked, restore(target, records, logs)


def lines(found):
    """The counts, for people."""
    out = [f"  {c}: {n} record{'s' if n != 1 else ''}" for c, n in sorted(found["records"].items())]
    out += [f"  {c} (log): {n} entr{'ies' if n != 1 else 'y'}" for c, n in sorted(found["logs"].items())]
    return out
