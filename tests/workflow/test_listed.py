"""A list decided on the fields a store keeps of every document (workflow.listed.FIELDS) says
what policy says of the whole document, for every role, state and kind: so a list worked out
from them never shows, counts or orders more (or other) than the whole documents would."""
import datetime as dt

import pytest

from store.slim import fields, project
from tests.authz_world import PEOPLE, built_world
from tests.conftest import HR, PP
from workflow import deputies, listed, machine, policy, register, search
from workflow.users import User


@pytest.fixture(scope="module")
def world(tmp_path_factory, cheap_password_hashing):
    yield from built_world(tmp_path_factory.mktemp("listed"))


def _variants(doc):
    """`doc` as stored, and as it would be written by a Head, shared by two lead teams, a monitoring
    dataset, approved before the approved revision kept its time of change and version."""
    yield doc
    yield {**doc, machine.HEAD_WROTE: ["head"]}
    yield {**doc, "fields": {**doc["fields"], "leads": [HR, PP]}}
    yield {**doc, "kind": "monitoring"}
    if doc.get("published"):
        yield {**doc, "published": {k: v for k, v in doc["published"].items() if k not in ("updated_at", "version")}}


def _people(world):
    today = dt.date.today().isoformat()
    deputy = deputies.Deputy("1", "head", today, today)
    return [None, *(world.user(name) for name in PEOPLE),
            User("chief", frozenset({"chief_executive"})),
            User("deputy", frozenset({"staff"}), frozenset({PP}), "2006-01-01", deputy=deputy),
            User("hr_pp_lead", frozenset({"team_leader"}), frozenset({HR, PP}))]


def _as_seen(doc, user):
    """What policy says a list reads of `doc` for `user`, from the whole document."""
    shown = policy.as_seen(doc, user)
    return shown and {key: shown[key] for key in ("id", "kind", "team", "state", "revision", "title", "version")}


def test_what_a_list_sees_of_the_kept_fields_is_what_policy_sees_of_the_whole_document(world):
    kept, docs, people = fields(listed.FIELDS), world.store.scan("documents"), _people(world)
    states = {doc["state"] for doc in docs}
    assert {"draft", "screened", "assessed", "approved", "reviewed"} <= states and len(docs) >= 30
    for stored in docs:
        for doc in _variants(stored):
            for user in people:
                assert listed.seen(project(doc, kept), user) == _as_seen(doc, user), (doc["id"], user)


@pytest.mark.parametrize("sort", search.SORTS)
def test_a_list_ranked_on_the_kept_fields_is_the_list_of_the_whole_documents(world, sort):
    kept, docs = fields(listed.FIELDS), world.store.scan("documents")
    docs = [variant for doc in docs for variant in _variants(doc)]
    slim = [project(doc, kept) for doc in docs]
    for user in _people(world):
        for args in ({}, {"state": "approved"}, {"kind": "eqia"}, {"team": HR, "state": "draft"}):
            query = search.parse({**args, "sort": sort})
            whole = [shown["id"] for shown in search.ranked(docs, user, query).shown]
            assert [shown["id"] for shown in search.ranked_ids(slim, user, query).shown] == whole


def test_the_public_registers_teams_and_newest_items_from_the_kept_fields_are_those_of_the_whole_documents(world):
    kept = fields(listed.FIELDS)
    docs = [variant for doc in world.store.scan("documents") for variant in _variants(doc)]
    slim = [project(doc, kept) for doc in docs]
    published = register.published(docs)
    assert published and register.teams_kept(slim) == register.teams(published)
    newest = [doc["id"] for doc, _ in register.newest(published, limit=7)]
    assert register.newest_ids(slim, limit=7) == newest
