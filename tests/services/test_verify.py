"""`run.py verify`: history chains and approved revisions, altered on disk as an intruder would."""
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from services import verify_service
from services.demo_service import load_demo
from services.document_service import DOCS, HISTORY, REVISIONS, Documents
from services.storage import open_app_store
from store import Append, Delete, Put
from workflow import chain, documents
from workflow.users import User

ROOT = Path(__file__).resolve().parents[2]


def verify(data):
    return subprocess.run([sys.executable, "run.py", "verify", "--data", str(data)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def report_of(data):
    store = open_app_store(str(data))
    try:
        return verify_service.verify_store(store)
    finally:
        store.close()


class OnDisk:
    """The TinyDB files of a closed store as JSON, to alter and write back."""

    def __init__(self, path):
        self.path = Path(path)
        self.snapshot = json.loads((self.path / "snapshot.json").read_text())
        generation = self.snapshot["_meta"]["1"]["generation"]
        self.journal_path = self.path / f"journal-{generation}.jsonl"
        text = self.journal_path.read_text() if self.journal_path.exists() else ""
        self.journal = [json.loads(line) for line in text.splitlines()]

    def slots(self, collection, key, log=True):
        """(container, index) of each stored version of collection/key, oldest first:
        container[index] is a log entry or record, or a journal op holding it."""
        table = self.snapshot.get(("log:" if log else "") + collection, {})
        found = []
        if key in table:
            entries = table[key]["entries"] if log else None
            found += [(entries, i) for i in range(len(entries))] if log else [(table, key)]
        kind = "app" if log else "put"
        for line in self.journal:
            found += [(line["ops"], i) for i, op in enumerate(line["ops"]) if op[:3] == [kind, collection, key]]
        return found

    @staticmethod
    def value(slot):
        container, index = slot
        item = container[index]
        return item[3] if isinstance(item, list) else item

    def save(self):
        (self.path / "snapshot.json").write_text(json.dumps(self.snapshot, separators=(",", ":")))
        self.journal_path.write_text("".join(json.dumps(line, separators=(",", ":")) + "\n"
                                             for line in self.journal))


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    """The demo data, built once; each test alters its own copy."""
    path = tmp_path_factory.mktemp("demo") / "data"
    store = open_app_store(str(path))
    load_demo(store, lambda *a: None)
    store.close()
    return path


@pytest.fixture
def data(demo_dir, tmp_path):
    shutil.copytree(demo_dir, tmp_path / "data")
    return tmp_path / "data"


def long_history(data):
    """Id of a demo document with at least four history entries."""
    store = open_app_store(str(data))
    try:
        return next(doc["id"] for doc in store.scan(DOCS) if len(store.log(HISTORY, doc["id"])) >= 4)
    finally:
        store.close()


def test_demo_data_verifies_clean(data):
    result = verify(data)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^history: \d+ entries in \d+ chains, all intact$", result.stdout, re.M)
    assert re.search(r"^revisions: \d+ approved revisions, all match what was signed off$", result.stdout, re.M)


def test_an_entry_altered_on_disk_is_named(data):
    doc_id = long_history(data)
    disk = OnDisk(data)
    entry = disk.value(disk.slots(HISTORY, doc_id)[1])
    entry["comment"] = "nothing to see here"
    disk.save()
    result = verify(data)
    assert result.returncode == 1
    assert (f"history/{doc_id} entry 2 ({entry['action']} by {entry['actor']} at {entry['at']}): "
            "its hash does not match its contents") in result.stdout
    assert "1 broken" in result.stdout


def test_an_entry_altered_with_its_hash_recomputed_breaks_the_next_link(data):
    doc_id = long_history(data)
    disk = OnDisk(data)
    entry = disk.value(disk.slots(HISTORY, doc_id)[1])
    entry["actor"] = "someone.else"
    entry["hash"] = chain.digest(entry)
    disk.save()
    result = verify(data)
    assert result.returncode == 1
    assert re.search(rf"history/{doc_id} entry 3 \(.*\): it does not follow the entry before it", result.stdout)


def test_a_last_entry_altered_on_disk_stays_found_once_a_change_is_chained_to_it(tmp_path):
    """A process that did not write the last entry (LastEntries misses) chains to the hash it carries:
    the altered entry is named, and giving it a hash that matches afterwards breaks the next link."""
    author = User("jo", frozenset({"team_leader"}), frozenset({"Human Resources"}))
    store = open_app_store(str(tmp_path / "data"))
    doc = Documents(store).create(author, "objective", "Fewer complaints", "Human Resources", {})
    store.close()
    disk = OnDisk(tmp_path / "data")
    altered = disk.value(disk.slots(HISTORY, doc["id"])[-1])
    altered["actor"] = "someone.else"
    disk.save()
    store = open_app_store(str(tmp_path / "data"))
    Documents(store).edit(doc["id"], author, 1, title="Fewer complaints, answered")
    assert chain.verify(store.log(HISTORY, doc["id"])) == (0, chain.ALTERED)
    store.close()
    disk = OnDisk(tmp_path / "data")
    altered = disk.value(disk.slots(HISTORY, doc["id"])[0])
    altered["hash"] = chain.digest(altered)
    disk.save()
    store = open_app_store(str(tmp_path / "data"))
    assert chain.verify(store.log(HISTORY, doc["id"])) == (1, chain.OUT_OF_LINE)
    store.close()


def test_an_entry_deleted_from_the_middle_is_caught(data):
    doc_id = long_history(data)
    disk = OnDisk(data)
    container, index = disk.slots(HISTORY, doc_id)[1]
    del container[index]
    disk.save()
    report = report_of(data)
    assert not report.intact
    assert report.broken[0].startswith(f"history/{doc_id} entry 2 (")
    assert "it does not follow the entry before it" in report.broken[0]


def test_the_last_entry_deleted_is_caught_by_the_version(data):
    doc_id = long_history(data)
    disk = OnDisk(data)
    container, index = disk.slots(HISTORY, doc_id)[-1]
    del container[index]
    disk.save()
    report = report_of(data)
    assert report.broken == [f"history/{doc_id}: 3 entries, but the document is at version 4: "
                             "entries are missing from its end"]


def approved_revision_slot(disk):
    keys = [key for key in disk.snapshot.get(REVISIONS, {})]
    keys += [op[2] for line in disk.journal for op in line["ops"] if op[:2] == ["put", REVISIONS]]
    return keys[0], disk.slots(REVISIONS, keys[0], log=False)[-1]


def test_an_approved_revision_altered_on_disk_is_named(data):
    disk = OnDisk(data)
    key, slot = approved_revision_slot(disk)
    disk.value(slot)["title"] = "Something the Head never signed off"
    disk.save()
    result = verify(data)
    assert result.returncode == 1
    assert re.search(rf"^broken: revisions/{re.escape(key)} \(approved by .*\): its content no longer matches "
                     "the hash recorded when it was approved$", result.stdout, re.M)


def test_an_approved_revision_altered_with_its_hash_is_caught_by_the_history(data):
    disk = OnDisk(data)
    key, slot = approved_revision_slot(disk)
    record = disk.value(slot)
    store = open_app_store(str(data))
    doc = store.get(DOCS, record["document"])
    store.close()
    record["title"] = "Something the Head never signed off"
    record["content_hash"] = documents.content_hash({**record, "kind": doc["kind"], "team": doc["team"]})
    disk.save()
    report = report_of(data)
    assert any(line.startswith(f"revisions/{key} ") and "differs from the one in the document's history" in line
               for line in report.broken)


def test_history_written_before_chaining_verifies_and_is_counted(tmp_path):
    store = open_app_store(str(tmp_path / "data"))
    author = User("jo", frozenset({"team_leader"}), frozenset({"Human Resources"}))
    doc, entry = documents.create(author, "objective", "Old objective", "Human Resources", {})
    # What a deployment wrote before chaining: entries without prev or hash.
    [doc] = store.commit([Put(DOCS, None, doc), Append(HISTORY, None, entry)])
    docs = Documents(store)
    docs.edit(doc["id"], author, 1, title="Renamed after the upgrade")
    report = verify_service.verify_store(store)
    assert report.intact, report.broken
    assert report.lines[0] == ("history: 2 entries in 1 chains, all intact; "
                               "1 entries not chained (written before chaining)")
    # An unchained entry after a chained one is a break: it could be an insertion.
    store.commit([Put(DOCS, doc["id"], store.get(DOCS, doc["id"]), expected_version=2),
                  Append(HISTORY, doc["id"], {**entry, "action": "edit"})])
    assert verify_service.verify_store(store).broken == [
        "history/1 entry 3 (edit by jo at %s): it carries no hash, though the entries before it do" % entry["at"]]
    store.close()


def test_every_history_append_goes_through_the_chaining_helper():
    """One place links entries; an Append to history built anywhere else would not be chained."""
    sources = [p for folder in ("web", "services", "workflow", "store") for p in (ROOT / folder).rglob("*.py")]
    callers = [p.name for p in sources
               for _ in re.finditer(r"Append\(\s*(HISTORY|[\"']history[\"'])", p.read_text())]
    assert callers == ["document_service.py"]


def test_a_document_removed_with_its_history_left_behind_is_named(data):
    store = open_app_store(str(data))
    doc = store.scan(DOCS)[0]
    store.commit([Delete(DOCS, doc["id"])])  # as someone with the files would, to hide a document
    store.close()
    result = verify(data)
    assert result.returncode == 1
    assert f"history/{doc['id']}: {doc['version']} entries, but there is no such document" in result.stdout


def test_the_audit_log_verifies_clean_and_is_summarised(data):
    result = verify(data)
    assert result.returncode == 0 and re.search(r"^audit: \d+ entries, intact$", result.stdout, re.M)


def test_an_audit_entry_altered_on_disk_is_named(data):
    disk = OnDisk(data)
    entry = disk.value(disk.slots("audit", "log")[1])
    entry["actor"] = "someone.else"
    disk.save()
    result = verify(data)
    assert result.returncode == 1
    assert (f"broken: audit entry 2 ({entry['action']} of {entry['subject']} by someone.else at {entry['at']}): "
            "its hash does not match its contents") in result.stdout


def test_an_audit_entry_altered_with_its_hash_recomputed_breaks_the_next_link(data):
    disk = OnDisk(data)
    entry = disk.value(disk.slots("audit", "log")[1])
    entry["details"] = {"roles": ["staff"]}
    entry["hash"] = chain.digest(entry)
    disk.save()
    result = verify(data)
    assert result.returncode == 1
    assert re.search(r"broken: audit entry 3 \(.*\): it does not follow the entry before it", result.stdout)


def test_an_audit_entry_removed_from_the_end_is_caught_by_the_count(data):
    disk = OnDisk(data)
    container, index = disk.slots("audit", "log")[-1]
    del container[index]
    disk.save()
    report = report_of(data)
    assert not report.intact and "entries are missing" in report.broken[-1]


def test_an_audit_entry_stripped_of_its_hashes_is_broken_not_old(data):
    disk = OnDisk(data)
    entry = disk.value(disk.slots("audit", "log")[0])
    del entry["hash"], entry["prev"]
    disk.save()
    report = report_of(data)
    assert not report.intact and report.broken[-1].startswith("audit entry 1 (")
