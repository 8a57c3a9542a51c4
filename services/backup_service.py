"""Complete, versioned JSON backups of a store, restorable to either backend.

A backup holds every record collection (documents, revisions, users, settings,
meetings...) with each record's id and version, and every log (history) whole.
Secrets stay out unless asked for: password hashes, API token digests, the identity provider's
client secret and the session-signing key. Sign-in sessions, and sign-ins begun at the identity
provider, are never exported.
"""
import contextlib
import datetime as dt
import json
import os
import pickle
import shutil
import tempfile

import ijson

from services import backup_file, storage, verify_service
from services.account_service import USERS
from services.credential_service import OIDC_STARTS, SESSIONS, SIGN_IN_LINKS, TOKENS
from services.document_service import HISTORY
from services.settings_service import OIDC as OIDC_SETTING
from store import Copying, OutOfOrder, StoreError, stage
from workflow.errors import Invalid

FORMAT, VERSION = backup_file.FORMAT, backup_file.VERSION
SETTINGS, SECRET_KEY = "settings", "secret_key"
_SHOWN = 10  # broken chains named when a backup is refused


def _without_secrets(collection, records):
    if collection == USERS:
        return ({k: v for k, v in r.items() if k != "password_hash"} for r in records)
    if collection == SETTINGS:
        # The identity provider's client secret is a secret too; the rest of its settings are not.
        return ({k: v for k, v in r.items() if not (r["id"] == OIDC_SETTING and k == "client_secret")}
                for r in records if r["id"] != SECRET_KEY)
    return records


def _collections(store, with_secrets):
    """(record collections a backup holds, log collections)."""
    names = store.collections()
    # Sign-ins begun at the identity provider (their nonces and PKCE verifiers) last minutes: never kept.
    skipped = {SESSIONS, OIDC_STARTS} if with_secrets else {SESSIONS, OIDC_STARTS, TOKENS, SIGN_IN_LINKS}
    return [c for c in names["records"] if c not in skipped], names["logs"]


def _records(store, collection, with_secrets):
    """The records of `collection` a backup holds, read one at a time."""
    rows = store.stream(collection)
    return rows if with_secrets else _without_secrets(collection, rows)


def _records_json(store, collection, with_secrets):
    """_records as JSON text a line each: as the store holds it where no secret is to be left out."""
    if with_secrets or collection not in (USERS, SETTINGS):
        return store.stream_json(collection)
    return (json.dumps(r, ensure_ascii=False) for r in _records(store, collection, with_secrets))


def contents(store, with_secrets=False):
    """(records, logs) as `Store.load` takes them, all in memory (a small store's: export,
    import and migrate go a record at a time)."""
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
                              "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                              "with_secrets": with_secrets})[:-1])
        out.write(', "records": {')
        for i, c in enumerate(records):
            out.write(("," if i else "") + f"\n{json.dumps(c)}: [")
            found["records"][c] = 0
            for n, text in enumerate(_records_json(store, c, with_secrets)):
                out.write(("," if n else "") + "\n" + text)
                found["records"][c] += 1
            out.write("]")
        out.write('},\n"logs": {')
        for i, c in enumerate(logs):
            out.write(("," if i else "") + f"\n{json.dumps(c)}: {{")
            found["logs"][c] = 0
            for n, (key, count, entries) in enumerate(store.stream_log_json(c)):
                out.write(("," if n else "") + f"\n{json.dumps(key)}: {entries}")
                found["logs"][c] += count
            out.write("}")
        out.write("}}\n")
    return found


def import_file(path, url):
    """run.py import: the backup file at `path` staged (staged) and restored into the empty store
    at `url` (restore_into); into PostgreSQL, COPYd as it is staged (_LoadBeside), so that the
    load ends about when staging does. (The checks' summary lines, the counts, whether any account
    in the backup has a password.)"""
    with _loading_beside(url) as beside, staged(path, beside and beside.rows) as contents:
        checked, found = beside.conclude(contents) if beside else restore_into(url, contents)
        passwords = any(r.get("password_hash") for r in contents.stream(USERS))
    return checked, found, passwords


@contextlib.contextmanager
def staged(path, copying=None):
    """The backup file at `path` staged on disk (store.stage: a record at a time, in a scratch
    directory), checked for the backup's shape as it is read; Invalid naming what is wrong with it.
    `copying`: a store.Copying each row is handed to as it is staged (see stage)."""
    with _scratch() as scratch:
        try:
            with open(path, "rb") as f:
                contents = stage(scratch, backup_file.sections(f), noting=verify_service.Notes(), copying=copying)
        except OSError as exc:
            raise _bad(f"cannot read {path}: {exc.strerror}") from exc
        except backup_file.NotABackup as exc:
            raise _bad(f"{path} {exc}") from exc
        except (ijson.JSONError, json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise _bad(f"{path} is not a backup (not JSON: {exc})") from exc
        except (backup_file.Misshapen, ValueError) as exc:  # ValueError: a key twice, a name no store takes
            raise _bad(f"{path} is damaged: its records or logs are not in the backup's shape"
                       + (f" ({exc})" if str(exc) else "")) from exc
        try:
            yield contents
        finally:
            contents.close()


_SCRATCH = "equality-staged-{pid}-"  # named by the process staging in it: see _left_by_the_dead


@contextlib.contextmanager
def _scratch():
    """A scratch directory for staging (TMPDIR's, or the system's temporary directory), made once
    those left by killed imports are removed."""
    _left_by_the_dead(tempfile.gettempdir())
    with tempfile.TemporaryDirectory(prefix=_SCRATCH.format(pid=os.getpid())) as scratch:
        yield scratch


def _left_by_the_dead(parent):
    """Remove the scratch directories in `parent` whose process is gone: an import or migration
    killed outright (by the operator, the kernel's OOM killer, a reboot) leaves its staged copy
    of the backup behind, as large as the backup, and each one killed would leave another. One
    whose process lives (or whose number another process has taken since) is left alone."""
    prefix = _SCRATCH.split("{", 1)[0]
    for entry in os.scandir(parent):
        pid = entry.name[len(prefix):].split("-", 1)[0] if entry.name.startswith(prefix) else ""
        if pid.isdigit() and entry.is_dir(follow_symlinks=False) and not _alive(int(pid)):
            shutil.rmtree(entry.path, ignore_errors=True)


def _alive(pid):
    """Whether process `pid` exists (another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's: alive
        return True
    return True


def _bad(reason):
    return Invalid("not a usable backup", {"file": reason})


def restore_into(url, contents, verdict=None):
    """Restore a staged backup into the empty store at `url` (opened as services.storage's
    open_backup_store) beside its checks (see restore): a store is made (a TinyDB directory)
    only for a backup that passes them, so a refused one leaves nothing behind. A new TinyDB
    directory is filled aside while they run and put in place once they pass (storage's
    new_backup_store); where it cannot be (its parent directory is missing), they come first.
    `verdict`: the checks' (checking), when they have been started already."""
    verdict = verdict or checking(contents)
    try:
        aside = storage.new_backup_store(url)
        if aside is None and not storage.exists(url):
            verdict()
        store = aside.store if aside else storage.open_backup_store(url)
    except Exception:
        verdict()  # a backup that fails the checks is named as such first, as when they came first
        raise
    if aside:
        return _restore_aside(aside, contents, verdict)
    try:
        return restore(store, contents, verdict)
    finally:
        store.close()


def _restore_aside(aside, contents, verdict):
    """restore, into a store made aside that no other process reads: loaded without waiting for
    the checks, put in place only once they pass (else removed)."""
    with aside:
        try:
            aside.store.load_staged(contents)
        except Exception:
            verdict()
            raise
        checked = verdict()
        aside.place()
    return checked, contents.counts


@contextlib.contextmanager
def _loading_beside(url):
    """A _LoadBeside into the store at `url` where it loads a backup as it is staged (PostgreSQL),
    else None (restore_into loads it once staged)."""
    if not storage.loads_as_staged(url):
        yield None
        return
    beside = _LoadBeside(url)
    try:
        yield beside
    finally:
        beside.end()


class _LoadBeside:
    """A load (Store.load_staged) in a process of its own that COPYs a backup's rows as they are
    staged (``rows``, a store.Copying, for staged) and works out the checks' summary of each
    history as it reads it (verify_service.history_summary: the histories are not read again),
    committed there only once staging has ended and the checks have passed (conclude sends the
    word): a backup refused, or an import stopped, at any point loads nothing."""

    def __init__(self, url):
        self.url, self.rows = url, Copying()
        word, told = os.pipe(), os.pipe()  # the word to commit (b"1", once the checks pass); the summaries
        self._outcome = verify_service.in_background(lambda: _load(url, self.rows.reading(), word, told))
        os.close(word[0])
        os.close(told[1])
        self._decision, self._told = word[1], told[0]

    def conclude(self, contents):
        """Staging has succeeded: once the load has read every row, the checks run (from its summaries
        of the histories), then it is told to commit (or not) and its end awaited; as restore
        gives it (and refuses). A backup laid out with a log before a record collection (never an
        export's) is loaded again from the staged file."""
        self.rows.finish()  # before the checks' processes are forked, so that they hold no end of the pipe
        verdict = checking(contents, histories=self._summaries())
        try:
            checked = verdict()
        except Exception:
            self.end()  # rolled back, waited for
            raise
        self._decide(b"1")
        try:
            self._outcome()
        except OutOfOrder:
            return restore_into(self.url, contents, verdict)
        return checked, contents.counts

    def _summaries(self):
        """The load's (key, history_summary) of every history once it has read every row (its
        COPY may still be ending meanwhile); None if it ended before (refused: its error comes
        with its outcome)."""
        with os.fdopen(self._told, "rb") as told:
            self._told = None
            data = told.read()
        return pickle.loads(data) if data else None

    def _decide(self, word):
        if self._decision is not None:
            try:
                os.write(self._decision, word)
            except BrokenPipeError:  # the load has ended already (refused): its outcome says why
                pass
            finally:
                os.close(self._decision)
                self._decision = None

    def end(self):
        """Staging, or the checks, failed: the load is told so and waited for (it rolls back)."""
        self.rows.close()
        if self._told is not None:
            os.close(self._told)
            self._told = None
        self._decide(b"")
        with contextlib.suppress(Exception):
            self._outcome()


def _load(url, rows, word, told):
    """In the loading process: load `rows` into the store at `url`, each history summed up for
    the checks as it is read; once every row is read, the summaries sent through the pipe `told`
    (the checks then run while the COPY ends and the store counts what it holds), and the load
    committed only once the word to (b"1") comes through the pipe `word`."""
    os.close(word[1])
    os.close(told[0])
    histories = []
    rows.log_seen = lambda collection, key, entries: collection == HISTORY and histories.append(
        (key, verify_service.history_summary(entries)))
    rows.read_through = lambda: _tell(told[1], histories)
    store = storage.open_backup_store(url)
    try:
        store.load_staged(rows, ready=lambda: _committing(word[0]))
    finally:
        store.close()


def _tell(told, histories):
    with os.fdopen(told, "wb") as out:
        pickle.dump(histories, out, protocol=pickle.HIGHEST_PROTOCOL)


def _committing(word):
    if os.read(word, 1) != b"1":  # the importing process ended, or the checks refused the backup
        raise StoreError("the import was stopped before its checks passed: nothing is loaded")


def restore(store, contents, verdict):
    """Load what was staged into an empty store beside its checks (`verdict`, from checking),
    committed only once they pass (Store.load_staged: nothing is loaded unless they do, and the
    store checks it then holds what was staged); (their summary lines, the counts). A backup
    that fails them is refused as such whatever else is wrong, as when they came first."""
    try:
        store.load_staged(contents, ready=verdict)
    except Exception:
        verdict()
        raise
    return verdict(), contents.counts


def checking(contents, field="file", what="the backup", histories=None):
    """Start run.py verify's checks (services/verify_service.py) of a staged backup in other
    processes (two, each half of the histories and of the revisions not noted as it was staged:
    verify_service.Notes), beside whatever is done next: a
    function that waits for their verdict, Invalid (on `field`) naming each broken chain or
    altered revision, else their summary lines. A backup that fails them would restore to a
    store that fails them ever after. `histories`: the load's summaries of them (_LoadBeside),
    judged in place of reading them again."""
    outcome = verify_service.in_background(lambda: verify_service.verify_store(
        contents, split=True, notes=contents.notes, histories=histories))
    return lambda: _judged(outcome, field, what)


def _judged(outcome, field, what):
    try:
        report = outcome()
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


def migrate(source, target):
    """Move everything (secrets included: the same people sign in afterwards) from one store to
    another, staged on disk from one state of the source and its chains checked there, beside
    the load: (the chains' summary lines, the counts)."""
    with _scratch() as scratch:
        with source.one_state():
            records, logs = _collections(source, with_secrets=True)
            sections = [*((False, c, source.stream(c)) for c in records),
                        *((True, c, source.stream_log(c)) for c in logs)]
            contents = stage(scratch, sections, noting=verify_service.Notes())
        try:
            return restore(target, contents, checking(contents, "from", "the store to move"))
        finally:
            contents.close()


def lines(found):
    """The counts, for people."""
    out = [f"  {c}: {n} record{'s' if n != 1 else ''}" for c, n in sorted(found["records"].items())]
    out += [f"  {c} (log): {n} entr{'ies' if n != 1 else 'y'}" for c, n in sorted(found["logs"].items())]
    return out
