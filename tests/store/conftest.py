"""Fixtures for the store contract: every test using ``store``/``make_store`` runs on every backend."""
import contextlib

import pytest

from services.storage import ON_DISK, SLIM
from store import StoreError, open_store

BACKENDS = ["tinydb", "postgresql"]


@pytest.fixture(params=BACKENDS)
def make_store(request, tmp_path):
    """Open (or reopen) the same store of the parametrised backend; all are closed at teardown."""
    opened = []
    url = (request.getfixturevalue("pg_server").new_database() if request.param == "postgresql"
           else f"tinydb://{tmp_path / 'db'}")

    def make():
        s = open_store(url, on_disk=ON_DISK, slim=SLIM)  # as the app opens it
        opened.append(s)
        return s

    make.url = url  # for other processes to open the same store

    yield make
    for s in opened:
        with contextlib.suppress(StoreError):
            s.close()


@pytest.fixture
def store(make_store):
    return make_store()
