"""Backups and moving to PostgreSQL: run.py export / import / migrate, against a real server."""
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest

from services import account_service, credential_service, token_service, verify_service
from services import backup_service as backups
from services.demo_service import load_demo
from services.document_service import Documents
from services.storage import open_app_store
from store import Put, Staged
from tests.conftest import PASSWORD, complete_eqia
from web import create_app
from workflow.errors import Invalid
from workflow.users import User

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    return subprocess.run([sys.executable, "run.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.fixture
def deployment(tmp_path):
    """A TinyDB deployment with the demo (documents in every state, history, revisions, meetings)."""
    data = str(tmp_path / "data")
    store = open_app_store(data)
    load_demo(store, lambda *_: None)
    account_service.add_user(store, "kept", PASSWORD, ["staff"], ["CLAMS"])
    token_service.issue_token(store, "kept")
    credential_service.open_session(store, "kept")
    store.close()
    return data


def everything(store, skip=()):
    names = store.collections()
    return ({c: store.scan(c) for c in names["records"] if c not in skip},
            {c: {k: store.log(c, k) for k in store.log_keys(c)} for c in names["logs"]})


def test_export_from_tinydb_imports_into_postgresql_with_everything_equal(deployment, tmp_path, pg_server):
    backup, url = tmp_path / "backup.json", pg_server.new_database()
    exported = run("export", str(backup), "--data", deployment)
    assert exported.returncode == 0, exported.stderr
    imported = run("import", str(backup), "--store", url)
    assert imported.returncode == 0, imported.stderr
    assert "every count checked" in imported.stdout and "no passwords" in imported.stdout

    source, target = open_app_store(deployment), open_app_store(url)
    (records, logs), (restored, restored_logs) = everything(source), everything(target)
    assert len(records["documents"]) > 60 and records["revisions"] and logs["history"]
    public = set(records) - {"users", "tokens", "sessions", "settings"}
    assert {c: restored[c] for c in public} == {c: records[c] for c in public}  # documents, revisions...
    assert restored_logs == logs  # every history entry, in order
    # No secrets unless asked: no password hashes, API tokens, sessions or signing key.
    assert all("password_hash" not in r for r in restored["users"])
    assert "tokens" not in restored and "sessions" not in restored
    assert target.get("settings", "secret_key") is None
    assert [{k: v for k, v in r.items() if k != "password_hash"} for r in records["users"]] == restored["users"]
    assert account_service.check_password(target, "kept", PASSWORD) is None  # an admin gives a new password
    source.close(), target.close()
    again = tmp_path / "again.json"
    exported = run("export", str(again), "--store", url)  # and back out of PostgreSQL: the same backup
    assert exported.returncode == 0, exported.stderr
    first, second = json.loads(backup.read_text()), json.loads(again.read_text())
    assert (second["records"], second["logs"]) == (first["records"], first["logs"])
    assert exported.stdout.split(":", 1)[1] == run("export", str(again), "--data", deployment).stdout.split(":", 1)[1]


def test_a_backup_with_secrets_restores_to_tinydb_and_people_sign_in_as_before(deployment, tmp_path):
    backup, data = tmp_path / "backup.json", str(tmp_path / "restored")
    assert run("export", str(backup), "--with-secrets", "--data", deployment).returncode == 0
    assert run("import", str(backup), "--data", data).returncode == 0
    source, target = open_app_store(deployment), open_app_store(data)
    assert everything(target) == everything(source, skip=("sessions",))
    assert account_service.check_password(target, "kept", PASSWORD).name == "kept"
    source.close(), target.close()


def test_import_refuses_a_store_that_holds_data_and_a_file_that_is_not_a_backup(deployment, tmp_path):
    backup = tmp_path / "backup.json"
    assert run("export", str(backup), "--data", deployment).returncode == 0
    before = everything(open_app_store(deployment))
    refused = run("import", str(backup), "--data", deployment)
    assert refused.returncode == 1 and "not empty" in refused.stderr

    for name, content in [("report.txt", "EODB report"), ("other.json", json.dumps({"format": "x"})),
                          ("damaged.json", json.dumps({"format": "equality-governance-backup", "version": 1,
                                                       "records": {"documents": [{"title": "no id"}]},
                                                       "logs": {}})),
                          ("entries.json", json.dumps({"format": "equality-governance-backup", "version": 1,
                                                       "records": {}, "logs": {"history": {"1": ["edit"]}}})),
                          ("shapeless.json", json.dumps({"format": "equality-governance-backup", "version": 1,
                                                         "records": {"documents": [{"id": "1", "version": 1}],
                                                                     "revisions": [{"id": "1.1", "version": 1,
                                                                                    "document": "1"}]},
                                                         "logs": {"history": {"1": [{"action": "create"}]}}}))]:
        (tmp_path / name).write_text(content)
        bad = run("import", str(tmp_path / name), "--data", str(tmp_path / "new"))
        assert bad.returncode == 2 and "error: file:" in bad.stderr, bad.stderr
    assert everything(open_app_store(deployment)) == before
    assert everything(open_app_store(str(tmp_path / "new"))) == ({}, {})


def test_migrate_moves_a_tinydb_deployment_to_postgresql_and_checks_the_counts(deployment, pg_server):
    url = pg_server.new_database()
    moved = run("migrate", "--from", deployment, "--to", url)
    assert moved.returncode == 0, moved.stderr
    source, target = open_app_store(deployment), open_app_store(url)
    assert f"  documents: {len(source.scan('documents'))} records" in moved.stdout
    assert everything(target) == everything(source, skip=("sessions",))
    assert account_service.check_password(target, "kept", PASSWORD).name == "kept"
    again = run("migrate", "--from", deployment, "--to", url)
    assert again.returncode == 1 and "not empty" in again.stderr
    source.close(), target.close()


@pytest.mark.parametrize("backend", ["tinydb", "postgresql"])
def test_healthz_answers_while_the_store_does_and_503_when_it_does_not(backend, tmp_path, request):
    url = request.getfixturevalue("pg_server").new_database() if backend == "postgresql" else str(tmp_path / "d")
    app = create_app({"STORE": url, "SECRET_KEY": "t"})
    client = app.test_client()
    assert client.get("/healthz").json == {"status": "ok", "store": "answering"}
    app.extensions["store"].close()
    down = client.get("/healthz")
    assert down.status_code == 503 and down.json["status"] == "unavailable"


def test_the_store_can_be_named_by_the_equality_store_variable(tmp_path, monkeypatch):
    data = str(tmp_path / "from-env")
    store = open_app_store(data)
    store.commit([Put("users", "x", {"name": "x"})])
    store.close()
    out = subprocess.run([sys.executable, "run.py", "export", str(tmp_path / "b.json")], cwd=ROOT,
                         capture_output=True, text=True, timeout=60, env={**os.environ, "EQUALITY_STORE": data})
    assert out.returncode == 0 and "users: 1 record" in out.stdout


class Writer(threading.Thread):
    """A client at work: creates an EqIA, edits, screens, submits and approves it, and opens an
    account (an audit entry), over and over until told to stop; `done` counts its commits."""

    def __init__(self, store, number, stop):
        super().__init__(daemon=True)
        self.docs, self.store, self.number, self.stop = Documents(store), store, number, stop
        self.done, self.failed = 0, None
        self.author = User(f"writer{number}", frozenset({"team_leader"}), frozenset({"Human Resources"}))
        self.head = User(f"head{number}", frozenset({"head"}), frozenset(), trained="2026-01-05")

    def run(self):
        try:
            while not self.stop.is_set():
                doc = self.docs.create(self.author, "eqia", f"Policy {self.number}.{self.done}",
                                       "Human Resources", complete_eqia())
                doc = self.docs.edit(doc["id"], self.author, doc["version"], title=f"Policy {doc['id']}")
                for name, by in [("screen", self.author), ("assess", self.author), ("approve", self.head)]:
                    doc = self.docs.fire(doc["id"], by, name, doc["version"])
                account_service.add_user(self.store, f"new{self.number}.{self.done}", PASSWORD, ["staff"], ["CLAMS"])
                self.done += 6
        except Exception as exc:  # the test fails on it, naming it
            self.failed = exc


def _until(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the clients stopped writing"
        time.sleep(0.01)


@pytest.mark.parametrize("backend", ["tinydb", "postgresql"])
def test_a_backup_taken_while_four_clients_write_restores_to_a_store_that_verifies(backend, tmp_path, request):
    def new_store_url(name):
        return request.getfixturevalue("pg_server").new_database() if backend == "postgresql" else str(tmp_path / name)

    url, path = new_store_url("source"), tmp_path / "backup.json"
    store = open_app_store(url)
    load_demo(store, lambda *_: None)
    demo = {"documents": len(store.scan("documents")), "audit": len(store.log("audit", "log"))}
    stop = threading.Event()
    # Two clients in this process (the exporter's own store), two as other processes would (stores of their own).
    others = [open_app_store(url), open_app_store(url)]
    writers = [Writer(s, n, stop) for n, s in enumerate([store, store, *others])]
    try:
        for w in writers:
            w.start()
        _until(lambda: min(w.done for w in writers) >= 6 or any(w.failed for w in writers))
        before = [w.done for w in writers]
        found = backups.export(store, str(path))
        live = verify_service.verify_store(store)  # `verify` of the store at work reads one state of it too
        # The clients wrote on, during the export or (TinyDB: waiting for its lock) after it.
        _until(lambda: min(w.done - b for w, b in zip(writers, before)) >= 6 or any(w.failed for w in writers))
    finally:
        stop.set()
        for w in writers:
            w.join()
        for s in [store, *others]:
            s.close()
    assert [w.failed for w in writers] == [None] * 4
    assert found["records"]["documents"] > demo["documents"] and found["logs"]["audit"] > demo["audit"]
    assert live.intact, live.broken

    copy = new_store_url("copy")
    imported = run("import", str(path), "--store", copy)
    assert imported.returncode == 0, imported.stderr
    checked = run("verify", "--store", copy)
    assert checked.returncode == 0, checked.stdout
    assert "all intact" in checked.stdout and "audit:" in checked.stdout


def _last_history(backup):
    history = backup["logs"]["history"]
    return history[max(history, key=int)]


@pytest.mark.parametrize("damage, named", [
    (lambda b: _last_history(b).pop(), "entries, but the document is at version"),
    (lambda b: _last_history(b)[0].update(actor="someone.else"), "by someone.else at"),
    (lambda b: b["logs"]["audit"]["log"].pop(), "were recorded: entries are missing"),
    (lambda b: b["logs"]["audit"]["log"][1].update(subject="someone.else"), "audit entry 2 ("),
], ids=["history entry removed", "history entry altered", "audit entry removed", "audit entry altered"])
def test_import_refuses_a_backup_whose_chains_are_broken_and_writes_nothing(deployment, tmp_path, damage, named):
    path, target = tmp_path / "backup.json", tmp_path / "new"
    assert run("export", str(path), "--data", deployment).returncode == 0
    content = json.loads(path.read_text())
    damage(content)
    path.write_text(json.dumps(content))
    refused = run("import", str(path), "--data", str(target))
    assert refused.returncode == 2 and not refused.stdout
    assert "error: file: the backup fails run.py verify's checks (1 broken), so nothing was written" in refused.stderr
    assert named in refused.stderr
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.json", "data"]  # nor anything beside it


def test_a_new_tinydb_store_is_filled_beside_the_checks_and_appears_whole_only_once_they_pass(
        deployment, tmp_path, monkeypatch):
    """Import into a new directory loads while the checks run (not after them), in a directory
    beside the path, which holds nothing until the checks have passed and the store is whole."""
    path, target = tmp_path / "backup.json", tmp_path / "new"
    assert run("export", str(path), "--data", deployment).returncode == 0
    at_verdict, checking = [], backups.checking

    def watched(contents, *args):
        verdict = checking(contents, *args)

        def judged():
            if not at_verdict:
                beside = [p for p in tmp_path.iterdir() if p.name.startswith(".new.importing-")]
                at_verdict.append((target.exists(), [_documents_in(str(p)) for p in beside]))
            return verdict()
        return judged

    monkeypatch.setattr(backups, "checking", watched)
    with backups.staged(str(path)) as contents:
        checked, found = backups.restore_into(str(target), contents)
    source, restored = open_app_store(deployment), open_app_store(str(target))
    documents = len(source.scan("documents"))
    assert at_verdict == [(False, [documents])]  # nothing in place yet; the store already loaded beside it
    assert found["records"]["documents"] == documents and "all intact" in " ".join(checked)
    (records, logs), (restored_records, restored_logs) = everything(source), everything(restored)
    assert restored_records["documents"] == records["documents"] and restored_logs == logs
    source.close(), restored.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.json", "data", "new"]
    assert oct(os.stat(target).st_mode & 0o777) == oct(0o777 & ~_umask())  # as a store makes its directory


def _documents_in(directory):
    store = open_app_store(directory)
    try:
        return len(store.scan("documents"))
    finally:
        store.close()


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


_KILLED_WHILE_LOADING = """
import os, signal, sys
from services import backup_service
from store.staged import Staged

def tables(self):
    for table, rows in Staged.rows(self):
        yield table, rows
        os.kill(os.getpid(), signal.SIGKILL)  # mid-copy: one table of the snapshot written
Staged.rows, Staged.tables = Staged.tables, tables
with backup_service.staged(sys.argv[1]) as contents:
    backup_service.restore_into(sys.argv[2], contents)
"""


def test_an_import_killed_while_it_loads_a_new_tinydb_store_leaves_no_store_at_its_path(deployment, tmp_path):
    path, target, scratch = tmp_path / "backup.json", tmp_path / "new", tmp_path / "tmp"
    scratch.mkdir()
    assert run("export", str(path), "--data", deployment).returncode == 0
    killed = subprocess.run([sys.executable, "-c", _KILLED_WHILE_LOADING, str(path), str(target)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, env={**os.environ, "TMPDIR": str(scratch)})
    assert killed.returncode == -9, killed.stderr
    assert not target.exists()  # not an empty or half-filled store that a second import would refuse or take
    left = [p.name for p in scratch.iterdir()]
    assert len(left) == 1 and left[0].startswith("equality-staged-"), left  # the killed import's staged copy
    # Another import's, its process alive (this one), is not the next import's to remove.
    alive = scratch / f"equality-staged-{os.getpid()}-running"
    alive.mkdir()
    again = subprocess.run([sys.executable, "run.py", "import", str(path), "--data", str(target)], cwd=ROOT,
                           capture_output=True, text=True, timeout=120, env={**os.environ, "TMPDIR": str(scratch)})
    assert again.returncode == 0, again.stderr
    assert list(scratch.iterdir()) == [alive]  # the killed import's staged copy is gone, its own too


def test_migrate_refuses_a_store_whose_chains_are_broken_and_writes_nothing(deployment, tmp_path):
    source = open_app_store(deployment)
    doc = source.scan("documents")[-1]
    source.commit([Put("documents", doc["id"], doc, expected_version=doc["version"])])  # no history entry
    source.close()
    target = str(tmp_path / "target")
    refused = run("migrate", "--from", deployment, "--to", target)
    assert refused.returncode == 2
    assert ("error: from: the store to move fails run.py verify's checks (1 broken), so nothing was written "
            f"to the store: history/{doc['id']}: {doc['version']} entries, but the document is at version "
            f"{doc['version'] + 1}") in refused.stderr
    assert everything(open_app_store(target)) == ({}, {})


@pytest.mark.parametrize("damage, named", [
    (lambda b: _last_history(b).pop(), "entries, but the document is at version"),
    (lambda b: _last_history(b)[0].update(actor="someone.else"), "by someone.else at"),
    (lambda b: b["logs"]["audit"]["log"][1].update(subject="someone.else"), "audit entry 2 ("),
], ids=["history entry removed", "history entry altered", "audit entry altered"])
def test_import_into_postgresql_loads_beside_the_checks_and_commits_nothing_they_refuse(
        deployment, tmp_path, pg_server, damage, named):
    """PostgreSQL loads while the checks run, and commits only once they pass: a backup that fails
    them is refused as it was when they came first, with nothing left in the store."""
    path, url = tmp_path / "backup.json", pg_server.new_database()
    assert run("export", str(path), "--data", deployment).returncode == 0
    content = json.loads(path.read_text())
    damage(content)
    path.write_text(json.dumps(content))
    refused = run("import", str(path), "--store", url)
    assert refused.returncode == 2 and not refused.stdout
    assert "error: file: the backup fails run.py verify's checks (1 broken), so nothing was written" in refused.stderr
    assert named in refused.stderr
    store = open_app_store(url)
    assert everything(store) == ({}, {})
    store.close()
    full = pg_server.new_database()  # a broken backup is named as such even when the store is not empty too
    assert run("import", str(tmp_path / "backup.json"), "--store", full).returncode == 2
    assert run("export", str(path), "--data", deployment).returncode == 0
    assert run("import", str(path), "--store", full).returncode == 0
    content = json.loads(path.read_text())
    damage(content)
    path.write_text(json.dumps(content))
    again = run("import", str(path), "--store", full)
    assert again.returncode == 2 and "fails run.py verify's checks (1 broken)" in again.stderr, again.stderr


def _copying_into(url):
    """Whether a COPY into the store at `url` is under way (within 30 s): the load has begun."""
    with psycopg.connect(url, autocommit=True) as conn:
        for _ in range(300):
            if conn.execute("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() "
                            "AND state = 'active' AND query LIKE 'COPY store_records %'").fetchone():
                return True
            time.sleep(0.1)
    return False


def test_import_into_postgresql_copies_as_it_stages_and_a_file_found_damaged_after_loads_nothing(
        deployment, tmp_path, pg_server, monkeypatch):
    """PostgreSQL COPYs a backup's records while the rest of it is still being staged (not once it
    has been); a file found damaged after that (its last history not a list) is refused as ever,
    and the store is left as it was."""
    path, url = tmp_path / "backup.json", pg_server.new_database()
    assert run("export", str(path), "--data", deployment).returncode == 0
    text = path.read_text()
    assert text.endswith("}}}\n")
    path.write_text(text[:-4] + '},\n"999999": "not a list"}}\n')
    copying, sections = [], backups.backup_file.sections

    def watched(f):
        for is_log, collection, items in sections(f):
            if is_log and not copying:  # the records staged, the logs not yet
                copying.append(_copying_into(url))
            yield is_log, collection, items
    monkeypatch.setattr(backups.backup_file, "sections", watched)
    with pytest.raises(Invalid) as refused:
        backups.import_file(str(path), url)
    assert copying == [True]
    assert refused.value.details == {"file": f"{path} is damaged: its records or logs are not in the backup's shape"}
    store = open_app_store(url)
    assert everything(store) == ({}, {})
    store.close()


_KILLED_WHILE_COPYING = """
import os, signal, sys
from services import backup_file, backup_service
from store import streamed

streamed._BATCH = 10  # rows go to the load ten at a time: some are COPYd before the kill
sections = backup_file.sections

def counted(items):
    for n, item in enumerate(items):
        if n == 30:
            os.kill(os.getpid(), signal.SIGKILL)  # records and histories in the COPY, uncommitted
        yield item

def killed(f):
    for is_log, collection, items in sections(f):
        yield is_log, collection, counted(items) if collection == "history" else items
backup_file.sections = killed
backup_service.import_file(sys.argv[1], sys.argv[2])
"""


def test_an_import_into_postgresql_killed_while_it_copies_leaves_the_store_as_it_was(deployment, tmp_path, pg_server):
    path, url = tmp_path / "backup.json", pg_server.new_database()
    assert run("export", str(path), "--data", deployment).returncode == 0
    (tmp_path / "tmp").mkdir()  # its staged copy, left when it is killed, in the test's own directory
    killed = subprocess.run([sys.executable, "-c", _KILLED_WHILE_COPYING, str(path), url], cwd=ROOT,
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "TMPDIR": str(tmp_path / "tmp")})
    assert killed.returncode == -9, killed.stderr
    with psycopg.connect(url, autocommit=True) as conn:  # the loading process ends when its rows do
        for _ in range(300):
            if not conn.execute("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() "
                                "AND pid <> pg_backend_pid()").fetchone():
                break
            time.sleep(0.1)
    store = open_app_store(url)
    assert everything(store) == ({}, {})
    store.close()
    assert run("import", str(path), "--store", url).returncode == 0


def test_the_checks_of_an_import_into_postgresql_take_each_history_as_the_load_read_it(
        deployment, tmp_path, pg_server, monkeypatch):
    """The load sums each history up for the checks as it COPYs it (verify_service.history_summary):
    the checks read none of them again from the staged backup, and say what they said reading them."""
    path, url, reads = tmp_path / "backup.json", pg_server.new_database(), tmp_path / "reads"
    assert run("export", str(path), "--data", deployment).returncode == 0
    log = Staged.log

    def reading(self, collection, key):
        if collection == "history":
            with open(reads, "a") as out:  # the checks run in forked processes
                out.write(f"{key}\n")
        return log(self, collection, key)
    monkeypatch.setattr(Staged, "log", reading)
    checked, found, _ = backups.import_file(str(path), url)
    assert not reads.exists()
    with backups.staged(path) as contents:
        assert checked == verify_service.verify_store(contents).lines  # the same summary lines, read
    assert found["logs"]["history"] > 60


def test_a_backup_laid_out_logs_first_loads_into_postgresql_from_the_staged_file_and_a_full_store_is_refused(
        deployment, tmp_path, pg_server):
    """Rows COPYd as they are staged go records first; a backup that lays its logs out first (never
    the export's layout) is loaded again from the staged backup once the first COPY has given up;
    and a store that holds data is refused as ever, the load having given up at its start."""
    path, logs_first, url = tmp_path / "backup.json", tmp_path / "logs-first.json", pg_server.new_database()
    assert run("export", str(path), "--data", deployment).returncode == 0
    content = json.loads(path.read_text())
    records = content.pop("records")
    logs_first.write_text(json.dumps({**content, "records": records}))  # the header, then the logs
    imported = run("import", str(logs_first), "--store", url)
    assert imported.returncode == 0, imported.stderr
    store, source = open_app_store(url), open_app_store(deployment)
    skip = ("sessions", "oidc_starts", "tokens", "sign_in_links", "settings", "users")
    assert everything(store, skip) == everything(source, skip)
    store.close()
    source.close()
    again = run("import", str(path), "--store", url)
    assert again.returncode == 1
    assert again.stderr.strip() == "error: the store refused: the PostgreSQL store is not empty: load a backup into " \
                                   "an empty store"
