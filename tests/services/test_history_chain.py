"""A change's history entry is chained to the document's last one (workflow.chain), which a
process that wrote that entry itself does not read back (services.document_service.LastEntries)."""
import pytest

from services.document_service import HISTORY, Documents
from services.storage import open_app_store
from workflow import chain
from workflow.users import User

HR = "Human Resources"
AUTHOR = User("jo", frozenset({"team_leader"}), frozenset({HR}))


@pytest.fixture
def stores(store_url):
    """Two processes' stores on the same data: this one, and another."""
    opened = [open_app_store(store_url), open_app_store(store_url)]
    yield opened
    for store in opened:
        store.close()


def _history_reads(store, monkeypatch):
    """Counts the reads of a history's last entry from `store`."""
    reads = []
    read = store.log_last

    def counted(collection, key):
        reads.append((collection, key))
        return read(collection, key)
    monkeypatch.setattr(store, "log_last", counted)
    return reads


def test_a_change_to_a_document_this_process_wrote_last_reads_no_history_back(stores, monkeypatch):
    store, _ = stores
    docs = Documents(store)
    reads = _history_reads(store, monkeypatch)
    doc = docs.create(AUTHOR, "objective", "Fewer complaints", HR, {})
    for version, title in enumerate(("Fewer complaints, faster", "Fewer complaints, answered", "Done"), 1):
        docs.edit(doc["id"], AUTHOR, version, title=title)
    assert [r for r in reads if r[0] == HISTORY] == []
    history = store.log(HISTORY, doc["id"])
    assert len(history) == 4 and chain.verify(history) is None


def test_a_change_after_another_process_changed_the_document_chains_to_that_change(stores):
    ours, theirs = (Documents(store) for store in stores)
    doc = ours.create(AUTHOR, "objective", "Fewer complaints", HR, {})
    ours.edit(doc["id"], AUTHOR, 1, title="Ours, first")
    theirs.edit(doc["id"], AUTHOR, 2, title="Theirs")  # this process kept its own entry, at version 2
    ours.edit(doc["id"], AUTHOR, 3, title="Ours, after theirs")
    ours.edit(doc["id"], AUTHOR, 4, title="Ours, once more")
    for store in stores:
        history = store.log(HISTORY, doc["id"])
        assert [e["action"] for e in history] == ["create", "edit", "edit", "edit", "edit"]
        assert chain.verify(history) is None


def test_a_change_to_a_document_this_process_wrote_last_digests_only_its_own_entry(stores, monkeypatch):
    """The entry kept is one this process chained itself: its hash is its digest, not worked out again."""
    store, _ = stores
    docs = Documents(store)
    doc = docs.create(AUTHOR, "objective", "Fewer complaints", HR, {})
    digested, digest = [], chain.digest
    monkeypatch.setattr(chain, "digest", lambda entry: digested.append(entry["action"]) or digest(entry))
    for version, title in enumerate(("Fewer complaints, faster", "Done"), 1):
        docs.edit(doc["id"], AUTHOR, version, title=title)
    assert digested == ["edit", "edit"]
    monkeypatch.undo()
    history = store.log(HISTORY, doc["id"])
    assert chain.verify(history) is None and [e["prev"] for e in history[1:]] == [e["hash"] for e in history[:-1]]
