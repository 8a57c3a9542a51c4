"""A new TinyDB store made aside: in a scratch directory beside the path that names it, moved
there whole by one rename once it is wanted, and removed if it is not.

run.py import fills a new store while its checks run (services/backup_service.py): made aside,
the path holds nothing until the checks have passed and the store is complete, so a refused or
interrupted import leaves no store there, half filled or whole (a process killed outright may
leave its scratch directory, named ``.NAME.importing-*``, beside it: never the store itself).
"""
from __future__ import annotations

import os
import secrets
import shutil
from typing import Self

from .base import StoreError
from .snapshot import fsync_dir


class Aside:
    """Use as a context manager: ``store`` (opened in the scratch directory by ``open_at(scratch)``)
    until ``place()`` closes it and renames the directory to ``path``; leaving the block without
    placing it closes the store and removes the directory."""

    def __init__(self, path: str, open_at):
        self.path = os.path.abspath(path)
        parent, name = os.path.split(self.path)
        self._scratch = os.path.join(parent, f".{name}.importing-{secrets.token_hex(6)}")
        os.mkdir(self._scratch)  # as the store would make its directory (the umask's mode), not mkdtemp's 0700
        try:
            self.store = open_at(self._scratch)
        except BaseException:
            os.rmdir(self._scratch)
            raise

    def place(self) -> None:
        """Close the store and rename it into place (StoreError if something lies there meanwhile)."""
        self.store.close()
        try:
            os.rename(self._scratch, self.path)  # replaces at most an empty directory made meanwhile
        except OSError as exc:
            raise StoreError(f"cannot put the new store in {self.path}: {exc.strerror}") from exc
        self._scratch = None
        fsync_dir(os.path.dirname(self.path))  # the rename itself survives a power cut

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        if self._scratch is not None:
            self.store.close()
            shutil.rmtree(self._scratch, ignore_errors=True)


def can_make_aside(path: str) -> bool:
    """Whether a store for ``path`` can be made aside: nothing lies at the path and the directory
    it would be in exists (a scratch directory beside it is on the same filesystem)."""
    path = os.path.abspath(path)
    return not os.path.lexists(path) and os.path.isdir(os.path.dirname(path))

