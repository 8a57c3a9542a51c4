"""A commit or a catch-up keeps the new record sharing what it has alike with the one it
replaces (store/records.py's compact, ``held``): memory's parts taken over, not copied anew."""
from store import Put
from store.tinydb_store import TinyDBStore

FIELDS = {"subject": "The policy", "screening": {"age": {"impact": "neutral", "evidence": "Monitoring data"}}}


def _held(store, key):
    return store._records.current("documents", key)  # memory's own record: only this test looks


def test_a_commit_and_a_catch_up_take_over_the_fields_a_change_left_alike(tmp_path):
    writer, reader = TinyDBStore(tmp_path), TinyDBStore(tmp_path)  # another process's view of the same store
    try:
        first = writer.commit([Put("documents", "1", {"state": "draft", "fields": FIELDS})])[0]
        reader.get("documents", "1")  # caught up
        written, read = _held(writer, "1")["fields"], _held(reader, "1")["fields"]
        writer.commit([Put("documents", "1", {**first, "state": "screened"}, expected_version=1)])
        assert reader.get("documents", "1")["state"] == "screened"
        assert _held(writer, "1")["fields"] is written
        assert _held(reader, "1")["fields"] is read
        assert reader.get("documents", "1")["fields"] == FIELDS
    finally:
        writer.close()
        reader.close()
