"""Several processes firing transitions on the same documents, on each backend:
every acknowledged transition is in the history exactly once, and each stale
write was refused rather than applied."""
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from services.document_service import Documents
from tests.conftest import HR, complete_eqia
from workflow.users import User

CHILD = Path(__file__).with_name("transition_child.py")
REPO = Path(__file__).resolve().parents[2]
PROCESSES, EACH = 4, 250


def test_four_processes_firing_on_shared_documents_lose_and_duplicate_nothing(make_store, store):
    docs = Documents(store)
    author = User("hr_staff", frozenset({"staff"}), frozenset({HR}))
    ids = [docs.create(author, "eqia", f"Shared EqIA {i}", HR, complete_eqia())["id"] for i in range(3)]
    url = make_store.url
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [subprocess.Popen([sys.executable, str(CHILD), url, f"p{p}", str(EACH), *ids], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for p in range(PROCESSES)]
    outputs = [proc.communicate(timeout=600) for proc in procs]
    assert [proc.returncode for proc in procs] == [0] * PROCESSES, [err for _, err in outputs]
    acknowledged = [line for out, _ in outputs for line in out.split()]
    assert len(acknowledged) == PROCESSES * EACH
    refused = sum(int(err.split()[-1]) for _, err in outputs)
    assert refused > 0  # the processes did race: stale writes happened, and were refused

    fired = Counter(entry.get("comment") for doc_id in ids for entry in store.log("history", doc_id)
                    if entry["action"] in ("screen", "send_back"))
    assert set(fired) == set(acknowledged) and set(fired.values()) == {1}
    for doc_id in ids:  # each document's version counts its creation and every transition on it
        transitions = sum(1 for e in store.log("history", doc_id) if e["action"] != "create")
        assert store.get("documents", doc_id)["version"] == 1 + transitions
