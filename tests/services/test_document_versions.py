"""A change names the version it was made on: the service refuses a stale one, and one the
caller may not see, from the document as they may know it (policy.as_seen), not its whole view."""
import pytest

from services import account_service
from services.document_service import Documents
from services.storage import open_app_store
from tests.conftest import HR, PP, complete_eqia
from workflow import policy
from workflow.errors import NotFound, StateConflict


@pytest.fixture
def world(tmp_path):
    store = open_app_store(str(tmp_path / "data"))
    for name, team in (("author", HR), ("stranger", PP)):
        account_service.add_user(store, name, "correct horse battery", ("staff",), (team,))
    yield store, Documents(store)
    store.close()


def test_a_stale_or_hidden_change_is_refused_without_working_out_the_view(world, monkeypatch):
    store, docs = world
    author, stranger = (account_service.find_user(store, name) for name in ("author", "stranger"))
    doc = docs.create(author, "eqia", "Recruitment policy", HR, complete_eqia())
    monkeypatch.setattr(policy, "view", lambda doc, user: pytest.fail("the whole view was worked out"))
    with pytest.raises(StateConflict):
        docs.fire(doc["id"], author, "screen", doc["version"] - 1)
    with pytest.raises(StateConflict):
        docs.edit(doc["id"], author, doc["version"] + 1, title="Recruitment")
    with pytest.raises(NotFound):
        docs.fire(doc["id"], stranger, "screen", doc["version"])
    assert store.get("documents", doc["id"])["version"] == doc["version"]
