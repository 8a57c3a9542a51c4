"""The application's store: opened naming the collections it reads a record at a time, its
signing key, whether it answers; and the store's two refusals, for the web's error answers
(web/ never imports store/ itself)."""
import secrets

from services import commits
from services.document_service import DOCS, FILES, REVISIONS
from store import EVERY, Conflict, Put, StoreError, Unconfirmed, exists, loads_as_staged, open_aside, open_store
from workflow import listed

__all__ = ["Conflict", "StoreError", "Unconfirmed", "open_app_store", "open_backup_store", "new_backup_store",
           "answers", "exists", "loads_as_staged", "signing_key"]

# A document's approved revisions and uploaded files are read by key, never listed per
# request: a backend serving reads from memory leaves them where they are stored.
ON_DISK = frozenset({REVISIONS, FILES})
# Documents are listed through the fields workflow.listed names: a backend serving reads from
# memory may keep only those of each (store/slim.py), reading whole documents by key.
SLIM = {DOCS: listed.FIELDS}
SETTINGS, SECRET_KEY = "settings", "secret_key"


def open_app_store(url_or_path):
    """The store named by a path or URL (store.open_store), as the application uses it: of each
    document, a backend that does not hold them whole keeps the fields lists decide on."""
    return open_store(url_or_path, on_disk=ON_DISK, slim=SLIM)


def open_backup_store(url_or_path):
    """The store opened to go through it whole once (run.py export, import, migrate): every
    collection read where it is stored, a record at a time, none held in memory."""
    return open_store(url_or_path, on_disk=EVERY)


def new_backup_store(url_or_path):
    """As open_backup_store, for a store that opening would make: made aside and moved into place
    whole (store.open_aside: an Aside, its ``store``); None where there is one to open as ever."""
    return open_aside(url_or_path, on_disk=EVERY)


def answers(store):
    """A real read through the backend: StoreError when it does not answer."""
    store.get(SETTINGS, SECRET_KEY)


def signing_key(store):
    """One session-signing key per store, so every process serving it agrees on sessions."""
    record = store.get(SETTINGS, SECRET_KEY)
    if record is None:  # made here, unless another process made it first: then theirs is read
        commits.unless_done_elsewhere(
            lambda: store.commit([Put(SETTINGS, SECRET_KEY, {"value": secrets.token_hex(32)})]))
        record = store.get(SETTINGS, SECRET_KEY)
    return record["value"]
