"""A PostgreSQL commit's statements sent as one libpq pipeline, past psycopg's cursors.

A commit is several statements (a transition's, four). Through psycopg's pipeline each one
costs the client some 35 µs of CPU (a cursor, its parameters adapted, the pipeline's generators
run at every statement): 0.2 ms a commit of five, a third of a worker's time a transition besides
the app's own. libpq does the same for a sixth of that: the statements here are prepared
once per connection (in the pipeline that first needs them), their parameters sent as text
with the types the statement declares, and their answers read as libpq gives them.

The connection stays psycopg's (the pool's, whatever its autocommit: the pipeline's end
commits what it began unless it sent BEGIN): what is sent here leaves it as a statement
through psycopg would, and an error is psycopg's own (errors.error_from_result).
"""
from __future__ import annotations

import select
import weakref

from psycopg import errors, pq

TEXT, INT4, INT8, FLOAT8, JSONB = 25, 23, 20, 701, 3802  # the types' OIDs (pg_type)

_prepared = weakref.WeakKeyDictionary()  # connection -> the names of the statements prepared on it


class Statement:
    """SQL with libpq's numbered placeholders, and its parameters' `types` (OIDs above)."""

    def __init__(self, name: str, sql: str, *types: int):
        self.name, self.sql, self.types = name.encode(), sql.encode(), types


def _text(value):
    if value is None or type(value) is bytes:
        return value
    if type(value) is not str:
        return str(value).encode()
    if "\x00" in value:  # libpq reads a text parameter up to its first NUL: it would name another key
        raise errors.DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")
    return value.encode()


class Pipeline:
    """Statements queued by add() and sent at once by run(), which answers each one's result
    (by the index add() gave) or raises the first error the server answered, as psycopg would.
    The caller bounds the wait (the store's watchdog shuts the socket of a late answer)."""

    def __init__(self, conn):
        self._conn, self._queued = conn, []
        self._fresh = set()  # the names the last pipeline sent prepared

    def add(self, statement: Statement, *params) -> int:
        self._queued.append((statement, [_text(param) for param in params]))
        return len(self._queued) - 1

    def fold(self, variants: dict, *params) -> bool:
        """Replace the statement queued last by its variant in `variants` (by name), given `params`
        after its own; False, and nothing changed, when it has none."""
        statement, given = self._queued[-1]
        variant = variants.get(statement.name)
        if variant is not None:
            self._queued[-1] = (variant, [*given, *(_text(param) for param in params)])
        return variant is not None

    def run(self, meanwhile=None) -> list:
        """`meanwhile()`, if given, is called once the statements are sent, before their answers
        are read: what the caller can do without them is done while the server runs them, not
        after (the server's backend, woken by the send, mostly runs before this process does again,
        until it waits for its commit's flush to disk)."""
        results, first, failed_at = self._sent(meanwhile)
        if isinstance(first, errors.InvalidSqlStatementName) and failed_at == 0:
            # psycopg sends DEALLOCATE ALL after a ROLLBACK on a connection where it prepared
            # statements of its own, ours with them. The first statement found none: nothing
            # ran (the server skips the rest of a pipeline after an error, and rolls back what it
            # began), and the pipeline is sent again, every statement prepared anew.
            _prepared[self._conn] = self._fresh  # those prepared by the pipeline just sent
            results, first, failed_at = self._sent()
        if first is not None:
            raise first
        return results

    def _sent(self, meanwhile=None):
        """(the answers, the first error or None, the index of the statement that raised it)."""
        pgconn, known = self._conn.pgconn, _prepared.setdefault(self._conn, set())
        preparing = list({s.name: s for s, _ in self._queued if s.name not in known}.values())
        results, first, failed_at = [], None, None
        self._fresh = set()
        pgconn.enter_pipeline_mode()
        try:
            for statement in preparing:
                pgconn.send_prepare(statement.name, statement.sql, statement.types)
            for statement, params in self._queued:
                pgconn.send_query_prepared(statement.name, params)
            pgconn.pipeline_sync()
            _flush(pgconn)
            if meanwhile is not None:
                meanwhile()
            for index in range(len(preparing) + len(self._queued)):
                result = next_result(pgconn)
                while next_result(pgconn) is not None:  # the end of this statement's answer
                    pass
                if result.status == pq.ExecStatus.FATAL_ERROR and first is None:
                    first = errors.error_from_result(result, encoding=self._conn.info.encoding)
                    failed_at = index - len(preparing)
                if index < len(preparing):
                    if result.status == pq.ExecStatus.COMMAND_OK:
                        known.add(preparing[index].name)
                        self._fresh.add(preparing[index].name)
                else:
                    results.append(result)
            end = next_result(pgconn)
            if end is not None and end.status == pq.ExecStatus.FATAL_ERROR:
                # The pipeline's end commits what it began: an error there refused the commit.
                if first is None:
                    first = errors.error_from_result(end, encoding=self._conn.info.encoding)
                    failed_at = len(self._queued)
                while next_result(pgconn) is not None:  # the end of the error's answer
                    pass
                end = next_result(pgconn)
            if end is None or end.status != pq.ExecStatus.PIPELINE_SYNC:
                raise errors.InternalError("the pipeline's end did not come where it was sent")
        finally:
            if pgconn.pipeline_status != pq.PipelineStatus.OFF:
                try:
                    pgconn.exit_pipeline_mode()
                except errors.Error:  # answers left unread (or a broken connection): of use to no one
                    self._conn.close()  # which the pool replaces
        return results, first, failed_at


def row(result) -> tuple:
    """The first row of a statement's answer, as text (None: NULL)."""
    return tuple(None if value is None else value.decode()
                 for value in (result.get_value(0, column) for column in range(result.nfields)))


def _flush(pgconn):
    """Send what libpq holds (the connection is non-blocking, as psycopg keeps it)."""
    while pgconn.flush():
        poll = select.poll()
        poll.register(pgconn.socket, select.POLLOUT)
        poll.poll()


def next_result(pgconn):
    """libpq's next result, waited for in Python: PQgetResult would wait holding the
    interpreter's lock, and the watchdog could not run to end the wait. The socket is read
    only when what libpq holds is not yet a whole result: an answer's results, and the end
    of each, mostly come together, and each read that finds nothing is a system call."""
    if pgconn.is_busy():
        pgconn.consume_input()
        while pgconn.is_busy():
            poll = select.poll()
            poll.register(pgconn.socket, select.POLLIN)
            poll.poll()
            pgconn.consume_input()
    return pgconn.get_result()
