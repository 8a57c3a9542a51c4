"""The baselines: a bare Flask app served by the same gunicorn configuration as
the real app (bench/run.py), so that a ratio to it cancels out the machine,
gunicorn and the load generator.

    BARE_DIR=/tmp/x gunicorn -c deploy/gunicorn.conf.py --pythonpath bench bare:app

GET / answers "hello". POST /append is the floor of any durable call through
the API: it reads a JSON body, appends it as one line to a file in BARE_DIR
and fdatasyncs it, then answers the body as JSON. No app code at all.
"""
import json
import os

from flask import Flask, jsonify, request

app = Flask(__name__)
_journal = {}  # this worker's file descriptor, opened at its first append


@app.get("/")
def hello():
    return "hello"


@app.post("/append")
def append():
    body = request.get_json()
    if "fd" not in _journal:
        path = os.path.join(os.environ["BARE_DIR"], f"bare-journal-{os.getpid()}.jsonl")
        _journal["fd"] = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    os.write(_journal["fd"], json.dumps(body, separators=(",", ":")).encode() + b"\n")
    os.fdatasync(_journal["fd"])
    return jsonify(body)
