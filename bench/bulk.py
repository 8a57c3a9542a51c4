"""Bulk sign-off: the Head approving a bulk change of 66 objectives (the plan's count) in one
step through the API (POST /api/v1/bulk-changes/ID/approve, which the page's form calls the same
service for), timed as one request against the real app under gunicorn; the baseline is 66
single durable transitions (screen / send_back of a draft EqIA, one request at a time) through
the same server in the same run. The target is the issue's: at most 2 s at 10,000 documents.
"""
from __future__ import annotations

import json
import statistics
import time
from functools import partial

from bench import profile, serve
from bench.generate import HEAD, _people
from bench.rows import Row
from services import token_service
from services.storage import open_app_store

OBJECTIVES = 66
SIZE = 10_000  # the size the target applies at
MOST_S = 2.0
SHORT_RATE = 2000  # py-spy's samples a second of the sign-off run once more: a few dozen


def _prepare(url, batches):
    """Tokens, a draft EqIA for the baseline, and `batches` selections of OBJECTIVES approved
    objectives of one team (fewer in a small store), with that team's leader (who submits them)
    and the Head (who signs off)."""
    store = open_app_store(url)
    try:
        objectives = [d for d in store.scan("documents", {"kind": "objective"}) if d["state"] in ("approved", "reviewed")]
        teams = {}
        for doc in objectives:
            teams.setdefault(doc["team"], []).append(doc["id"])
        team, ids = max(teams.items(), key=lambda item: len(item[1]))
        count = min(OBJECTIVES, len(ids) // batches)
        draft = store.scan("documents", {"kind": "eqia", "state": "draft"})[0]
        lead = next(u.name for u in _people(team) if "team_leader" in u.roles)
        draft_lead = next(u.name for u in _people(draft["team"]) if "team_leader" in u.roles)
        return {"selections": [ids[i * count:(i + 1) * count] for i in range(batches)],
                "lead": token_service.issue_token(store, lead), "head": token_service.issue_token(store, HEAD.name),
                "draft": draft["id"], "screen": token_service.issue_token(store, draft["author"]),
                "send_back": token_service.issue_token(store, draft_lead)}
    finally:
        store.close()


def _call(base, method, path, token, body, expected):
    status, _, answer = serve.request(base, method, path, json.dumps(body),
                                      {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    if status != expected:
        raise RuntimeError(f"{method} {path} answered {status}: {answer[:300]!r}")
    return json.loads(answer)


def _sign_off(base, ids, selection, strategic):
    """Submit a bulk change of `selection` as its team's leader (untimed), then time its sign-off by
    the Head: seconds."""
    return _approve(base, ids, _submit(base, ids, selection, strategic), len(selection))


def _submit(base, ids, selection, strategic):
    """A bulk change of `selection` submitted by its team's leader: its id."""
    return _call(base, "POST", "/api/v1/bulk-changes", ids["lead"],
                 {"ids": selection, "change": {"strategic": strategic}}, 201)["id"]


def _approve(base, ids, batch, count):
    """The Head's sign-off of the bulk change `batch` of `count` objectives, timed: seconds."""
    start = time.perf_counter()
    approved = _call(base, "POST", f"/api/v1/bulk-changes/{batch}/approve", ids["head"],
                     {"comment": "Signed off at the Board"}, 200)["approved"]
    seconds = time.perf_counter() - start
    if approved != count:
        raise RuntimeError(f"the bulk sign-off approved {approved} of {count}")
    return seconds


def _profiled_sign_off(app, ids, selection, root):
    """The Head's sign-off of `selection` alone (submitted first, unsampled), sampled often: it takes some 30 ms."""
    batch = _submit(app.base, ids, selection, 1)
    return profile.during(app.worker_pids(), 1, root, partial(_approve, app.base, ids, batch, len(selection)),
                          rate=SHORT_RATE)


def measure(bench):
    """One row a backend: a bulk sign-off of 66 objectives, seconds (÷ 66 single transitions)."""
    args = bench.args
    n = bench.size(SIZE)
    rows = []
    for backend in args.backends:
        print(f"  bulk sign-off: {backend} at {n:,}...", flush=True)
        url = bench.store_url(backend, n)
        ids = _prepare(url, args.rounds + 1)  # a selection more, for a run once more should the row miss
        spare = ids["selections"].pop()
        app = serve.Gunicorn("wsgi:app", args.workers, bench.root / f"bulk-{backend}.log", store=url)
        try:
            app.wait_ready()
            serve.transitions(app.base, ids, ids["draft"], 4)  # warm up, in both workers
            sign_offs, singles = [], []
            count = len(ids["selections"][0])
            for round_, selection in enumerate(ids["selections"]):
                singles.append(sum(serve.transitions(app.base, ids, ids["draft"], count)) / 1000)
                sign_offs.append(_sign_off(app.base, ids, selection, 1 + round_ % 9))
            seconds, baseline = statistics.median(sign_offs), statistics.median(singles)
            rows.append(Row(f"bulk sign-off of {count} objectives (API), {n:,} documents ({backend})",
                            f"{seconds:.2f} s", seconds / baseline,
                            f"{count} single durable transitions: {baseline:.2f} s", f"<= {MOST_S:.0f} s",
                            seconds <= MOST_S if n == SIZE and count == OBJECTIVES else None))
            profile.when_missed(rows[-1].label, rows[-1].ok,
                                partial(_profiled_sign_off, app, ids, spare, bench.root))
        finally:
            app.stop()
    return rows
