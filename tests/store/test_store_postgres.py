"""What only the PostgreSQL backend has: the connection it reads the commit clock on."""
import psycopg
import pytest

from store import Put, StoreError, open_store


@pytest.fixture
def store(pg_server):
    s = open_store(pg_server.new_database())
    yield s
    s.close()


def _clock_backend(store):
    with psycopg.connect(store._url, autocommit=True) as admin:
        rows = admin.execute("SELECT pid FROM pg_stat_activity WHERE query = 'SELECT seq FROM store_clock' "
                             "AND datname = current_database()").fetchall()
    return [pid for (pid,) in rows]


def test_reads_go_on_after_the_server_drops_the_clock_connection(store):
    store.commit([Put("documents", None, {"title": "one"})])
    assert len(store.scan("documents")) == 1
    (pid,) = _clock_backend(store)
    with psycopg.connect(store._url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    store.commit([Put("documents", None, {"title": "two"})])
    assert [d["title"] for d in store.scan("documents")] == ["one", "two"]  # seen: not a cached answer
    assert _clock_backend(store) != [pid]


def test_a_closed_store_refuses_reads_and_leaves_no_connection_open(store):
    assert store.scan("documents") == []
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.scan("documents")
    assert _clock_backend(store) == []
