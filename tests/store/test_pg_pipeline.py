"""store/pg_pipeline: libpq's results taken as they come, the socket read only when needed; a pipeline's end."""
import psycopg
import pytest

from store.pg_pipeline import INT4, Pipeline, Statement, next_result


class _Held:
    """A libpq connection that already holds a whole answer: one result, then its end."""

    def __init__(self):
        self.results = ["the result", None]
        self.reads = 0

    def is_busy(self):
        return False

    def consume_input(self):
        self.reads += 1

    def get_result(self):
        return self.results.pop(0)


def test_an_answer_already_held_is_taken_without_reading_the_socket():
    # Each read of the socket that finds nothing is a system call: a transition's commit
    # took some twenty of them for answers that had all come in one packet.
    pgconn = _Held()
    assert next_result(pgconn) == "the result"
    assert next_result(pgconn) is None
    assert pgconn.reads == 0


def test_a_commit_refused_at_the_pipelines_end_raises_the_servers_error_and_keeps_the_connection(pg_server):
    # A pipeline without BEGIN is one implicit transaction, committed at its end (its Sync): an
    # error there (here a constraint checked at commit) is the server's, and nothing is written.
    with psycopg.connect(pg_server.new_database(), autocommit=True) as conn:
        conn.execute("CREATE TABLE t (a int UNIQUE DEFERRABLE INITIALLY DEFERRED)")
        insert = Statement("insert", "INSERT INTO t VALUES ($1)", INT4)
        sent = Pipeline(conn)
        sent.add(insert, 1)
        sent.add(insert, 1)
        with pytest.raises(psycopg.errors.UniqueViolation):
            sent.run()
        sent = Pipeline(conn)
        sent.add(insert, 2)
        sent.run()
        assert conn.execute("SELECT a FROM t").fetchall() == [(2,)]
