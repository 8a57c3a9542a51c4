"""Fixtures for the store contract: every test using ``store``/``make_store`` runs on every backend."""
import contextlib

import pytest

from store import StoreError, open_store

# Add "postgresql" here (with a throwaway server fixture) when that backend lands.
BACKENDS = ["tinydb"]


@pytest.fixture(params=BACKENDS)
def make_store(request, tmp_path):
    """Open (or reopen) the same store of the parametrised backend; all are closed at teardown."""
    opened = []

    def make():
        s = open_store(f"tinydb://{tmp_path / 'db'}")
        opened.append(s)
        return s

    yield make
    for s in opened:
        with contextlib.suppress(StoreError):
            s.close()


@pytest.fixture
def store(make_store):
    return make_store()
