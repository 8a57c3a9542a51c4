"""store/streamed.py: a backup's rows handed through a pipe, as they are staged, to a load in
another process, which reads them as it reads a staged backup."""
import json
import multiprocessing
import os
import signal

import pytest

from store import Copying, OutOfOrder, StoreError, stage

FORK = multiprocessing.get_context("fork")


def _staging(copying, sections, finish=True):
    """In a forked process: stage `sections` handing each row to `copying`, then finish (or not)."""
    def work():
        import tempfile
        with tempfile.TemporaryDirectory() as scratch:
            stage(scratch, sections, copying=copying).close()
        if finish:
            copying.finish()
        else:
            copying.close()
    process = FORK.Process(target=work)
    process.start()
    return process


def _read(copying):
    records = [(t, [(k, json.loads(v)) for k, v in rows]) for t, rows in copying.record_tables()]
    logs = [(t, [(k, json.loads(v)) for k, v in rows]) for t, rows in copying.log_tables()]
    return records, logs


def test_the_rows_come_through_as_staged_with_their_versions_and_the_counts_once_every_row_has():
    many = [{"id": str(i), "version": i % 7 + 1, "title": "x" * (i % 300)} for i in range(1, 5001)]
    history = [(str(i), [{"action": "create", "n": n} for n in range(i % 4 + 1)]) for i in range(1, 3001)]
    sections = [(False, "documents", many), (False, "users", [{"id": "ann", "version": 2}]),
                (False, "empty", []), (True, "history", history)]
    copying = Copying()
    writer = _staging(copying, sections)
    copying.reading()
    records, logs = _read(copying)
    writer.join()
    assert writer.exitcode == 0
    assert records == [("documents", [(r["id"], r) for r in many]), ("users", [("ann", {"id": "ann", "version": 2})])]
    assert logs == [("log:history", [(k, {"entries": e}) for k, e in history])]
    assert copying.versions == {"documents": {r["id"]: r["version"] for r in many}, "users": {"ann": 2}}
    assert copying.counts == {"records": {"documents": 5000, "users": 1, "empty": 0},
                              "logs": {"history": sum(len(e) for _, e in history)}}


def test_the_load_is_told_once_it_has_read_every_row_before_its_reading_ends():
    history = [(str(i), [{"action": "create"}]) for i in range(1, 3001)]
    copying = Copying()
    writer = _staging(copying, [(False, "documents", [{"id": "1", "version": 1}]), (True, "history", history)])
    copying.reading()
    read, told = [], []
    copying.read_through = lambda: told.append(len(read))
    for _, rows in copying.record_tables():
        read += [key for key, _ in rows]
    for _, rows in copying.log_tables():
        for key, _ in rows:
            read.append(key)
            assert not told  # not before the last row
    writer.join()
    assert told == [3001] and len(read) == 3001  # once, every row read, before the reading ended


def test_a_staging_that_ends_without_finishing_gives_the_load_an_error_not_an_end():
    copying = Copying()
    writer = _staging(copying, [(False, "documents", [{"id": str(i), "version": 1} for i in range(1, 3000)])],
                      finish=False)
    copying.reading()
    with pytest.raises(StoreError, match="not staged whole"):
        _read(copying)
    writer.join()


def test_a_record_collection_after_a_log_is_out_of_order_for_the_load():
    copying = Copying()
    writer = _staging(copying, [(True, "history", [("1", [{"a": 1}])]), (False, "documents", [{"id": "1", "version": 1}])])
    copying.reading()
    assert list(copying.record_tables()) == []
    with pytest.raises(OutOfOrder):
        for _, rows in copying.log_tables():
            list(rows)
    writer.join()


def test_a_load_that_ends_early_does_not_hold_staging_up(tmp_path):
    """The loading process gone (refused: a store not empty), staging runs on to its end,
    handing nothing over, rather than waiting on a pipe no one reads."""
    copying = Copying()
    reader = FORK.Process(target=lambda: (copying.reading(), os._exit(0)))
    reader.start()
    reader.join()
    signal.alarm(60)  # a staging held up fails the test rather than hanging it
    try:
        staged = stage(str(tmp_path), [(False, "documents", [{"id": str(i), "version": 1, "x": "y" * 200}
                                                             for i in range(1, 20001)])], copying=copying)
        copying.finish()
    finally:
        signal.alarm(0)
    assert staged.counts["records"] == {"documents": 20000}
    staged.close()
