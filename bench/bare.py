"""The baselines: a bare Flask app served by the same gunicorn configuration as
the real app (bench/run.py), so that a ratio to it cancels out the machine,
gunicorn and the load generator.

    BARE_DIR=/tmp/x gunicorn -c deploy/gunicorn.conf.py --pythonpath bench bare:app

GET / answers "hello". POST /append is the floor of any durable call through
the API: it reads a JSON body, appends it as one line to a file in BARE_DIR
and fdatasyncs it, then answers the body as JSON. No app code at all.

POST /append-pg (bench/writers.py, on PostgreSQL; BARE_PG names a database) does
the same with one INSERT of the body as jsonb, committed on its own (the
server waits for its WAL flush): what a durable write costs PostgreSQL, server
and client, with nothing of the store's around it.
"""
import json
import os

from flask import Flask, jsonify, request

app = Flask(__name__)
_journal = {}  # this worker's file descriptor and PostgreSQL connection, opened at first use


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


@app.post("/append-pg")
def append_pg():
    body = request.get_json()
    if "pg" not in _journal:
        import psycopg  # here: a worker that never asks for it keeps the bare app's memory

        _journal["pg"] = connection = psycopg.connect(os.environ["BARE_PG"], autocommit=True)
        # One worker at a time: made by two at once, CREATE TABLE IF NOT EXISTS refuses one of them.
        with connection.transaction():
            connection.execute("SELECT pg_advisory_xact_lock(hashtext('bare_journal'))")
            connection.execute("CREATE TABLE IF NOT EXISTS bare_journal (line jsonb NOT NULL)")
    _journal["pg"].execute("INSERT INTO bare_journal (line) VALUES (%s)", (json.dumps(body),), prepare=True)
    return jsonify(body)
