"""Per-commit latency of updating one random existing document, at several store sizes.

Compares (1) our TinyDB-backed store (durable: journal line + fdatasync),
(2) plain TinyDB with its default JSONStorage, as shipped (rewrites the whole
file per update, no fsync: not durable), (3) a bare append of one JSON line +
fdatasync (the floor for any durable commit on this disk).

usage: .venv/bin/python bench/commit.py [--sizes 1000,10000] [--commits 200] [--tinydb-commits 30]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import tinydb  # noqa: E402

from store import Put, open_store  # noqa: E402

STRANDS = ["age", "disability", "gender", "race", "religion_or_belief", "sexual_orientation"]


def make_eqia(i: int, rng: random.Random) -> dict:
    """A realistic EqIA document (~1.7 KB of JSON) with six screening strands."""
    return {
        "kind": "eqia",
        "title": f"Equality impact assessment {i}: revised library opening hours",
        "owner": f"user{rng.randrange(200)}",
        "department": rng.choice(["Libraries", "Housing", "Transport", "Education"]),
        "state": rng.choice(["draft", "submitted", "approved"]),
        "created": "2024-05-01T10:00:00Z",
        "summary": "Reduce weekday evening opening at two branches; extend Saturday hours. " * 2,
        "strands": {
            s: {
                "impact": rng.choice(["none", "positive", "negative", "unknown"]),
                "evidence": f"Consultation responses and usage data reviewed for {s}. " * 2,
                "mitigation": "Provide outreach sessions and extended online services.",
            }
            for s in STRANDS
        },
    }


def percentiles(samples: list[float]) -> tuple[float, float]:
    ms = sorted(x * 1000 for x in samples)
    return statistics.median(ms), ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]


def bench_store(root: Path, docs: list[dict], commits: int, rng) -> list[float]:
    s = open_store(str(root / "store"))
    for start in range(0, len(docs), 500):
        s.commit([Put("documents", None, d) for d in docs[start:start + 500]])
    times = []
    for i in range(commits):
        key = str(rng.randrange(1, len(docs) + 1))
        t = time.perf_counter()
        rec = s.get("documents", key)
        rec["strands"]["age"]["impact"] = ["none", "negative"][i % 2]
        s.commit([Put("documents", key, rec, rec["version"])])
        times.append(time.perf_counter() - t)
    s.close()
    return times


def bench_tinydb(root: Path, docs: list[dict], commits: int, rng) -> list[float]:
    db = tinydb.TinyDB(root / "plain.json")
    table = db.table("documents")
    table.insert_multiple(docs)
    times = []
    for i in range(commits):
        doc_id = rng.randrange(1, len(docs) + 1)
        t = time.perf_counter()
        table.update({"state": ["draft", "submitted"][i % 2]}, doc_ids=[doc_id])
        times.append(time.perf_counter() - t)
    db.close()
    return times


def bench_append(root: Path, docs: list[dict], commits: int, rng) -> list[float]:
    fd = os.open(root / "append.jsonl", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    times = []
    for _ in range(commits):
        t = time.perf_counter()
        os.write(fd, json.dumps(rng.choice(docs)).encode() + b"\n")
        os.fdatasync(fd)
        times.append(time.perf_counter() - t)
    os.close(fd)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--commits", type=int, default=200)
    ap.add_argument("--tinydb-commits", type=int, default=30,
                    help="updates timed for plain TinyDB (each rewrites the whole file)")
    args = ap.parse_args()
    rng = random.Random(42)
    rows = []
    root = Path(tempfile.mkdtemp(prefix="bench-commit-"))
    try:
        for n in [int(x) for x in args.sizes.split(",")]:
            docs = [make_eqia(i, rng) for i in range(n)]
            avg = sum(len(json.dumps(d)) for d in docs) / n
            print(f"N={n}: average document {avg:.0f} bytes of JSON", flush=True)
            cases = [
                ("store (journal + fdatasync)", bench_store, args.commits),
                ("plain TinyDB JSONStorage, as shipped (no fsync)", bench_tinydb, args.tinydb_commits),
                ("bare append 1 line + fdatasync", bench_append, args.commits),
            ]
            for name, fn, commits in cases:
                d = root / f"{n}-{fn.__name__}"
                d.mkdir()
                med, p95 = percentiles(fn(d, docs, commits, rng))
                rows.append((n, name, commits, med, p95))
                shutil.rmtree(d)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print()
    print(f"{'docs':>6}  {'method':<50} {'commits':>7} {'median ms':>10} {'p95 ms':>9}")
    for n, name, commits, med, p95 in rows:
        print(f"{n:>6}  {name:<50} {commits:>7} {med:>10.3f} {p95:>9.3f}")
    print("\nstore: get + modify + versioned Put of one random document, durable on return.")
    print("plain TinyDB: table.update(..., doc_ids=[id]) rewrites the whole file and never fsyncs;"
          f" timed over {args.tinydb_commits} updates because each one is slow.")


if __name__ == "__main__":
    main()
