"""What the store alone does for an API transition, behind a bare Flask route: the ceiling of
any app on it in bench/writers.py's many writers (an informative row, on PostgreSQL).

    EQUALITY_STORE=postgresql://... gunicorn -c deploy/gunicorn.conf.py --pythonpath bench store_route:app

POST /api/v1/documents/<id>/transitions (the API's path, so bench/writers.lua drives it as it
drives the app; its body is not read) asks of the store what the app's transition asks of it
and nothing else: the look at other processes' commits as the request arrives, the document
read by key, one commit of its next version (checked against the version read), a history
entry and a notice, and the stored record as the JSON answer. No sign-in, no rules, no workflow.
"""
import os

from flask import Flask, jsonify

from services.storage import open_app_store
from store import Append, Put

app = Flask(__name__)
_stores = {}  # this worker's store, opened at its first request (after gunicorn's fork)


def _store():
    if os.getpid() not in _stores:
        _stores[os.getpid()] = open_app_store(os.environ["EQUALITY_STORE"])
    return _stores[os.getpid()]


@app.get("/healthz")
def healthz():
    return "ok"


@app.post("/api/v1/documents/<doc_id>/transitions")
def transition(doc_id):
    store = _store()
    store.read_ahead()
    try:
        with store.pinned():
            doc = store.get("documents", doc_id)
            version = doc["version"]
            moved = {**doc, "state": "screened" if doc["state"] == "draft" else "draft"}
            stored = store.commit([
                Put("documents", doc_id, moved, expected_version=version),
                Append("history", doc_id, {"action": "screen", "by": doc["author"], "version": version + 1,
                                           "comment": "Please add the evidence."}),
                Put("notices", f"{doc_id}.{version + 1}.{doc['author']}",
                    {"user": doc["author"], "document": doc_id, "text": "A document of yours was screened."})])[0]
    finally:
        store.read_done()
    return jsonify(stored)
