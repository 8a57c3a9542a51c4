"""My work (workflow.worklist.work) worked out from the fields a store keeps of every document
(workflow.listed.FIELDS) is what it is from the whole documents — every section, item and
overdue item — for every role and state of the authorization world, and what it reads of a
document is what policy says the person sees: so a store holding those fields alone (PostgreSQL)
reads no document whole for it. Each field it reads is needed: without it, a check below fails.
So are the bulk changes awaiting sign-off and whether anyone could sign a document off."""
import datetime as dt

import pytest

from store.slim import fields, project
from tests.authz_world import built_world
from tests.workflow.test_listed import _people, _variants
from workflow import approvers, bulk, deadlines, listed, machine, policy, worklist

TODAY = dt.date.today()
# No previous visit, one before everything was approved, one after.
VISITS = (None, "2000-01-01T00:00:00+00:00", "2099-01-01T00:00:00+00:00")
LONG_AGO, LATER = "2001-01", "2098-12"
SEEN_KEYS = ("id", "kind", "team", "state", "revision", "title", "version")


@pytest.fixture(scope="module")
def world(tmp_path_factory, cheap_password_hashing):
    yield from built_world(tmp_path_factory.mktemp("candidates"))


def _with_fields(doc, **changed):
    return {**doc, "fields": {**doc["fields"], **changed}}


def _mitigations(doc, *mitigations):
    assessment = doc["fields"].get("full_assessment")
    return _with_fields(doc, full_assessment={**(assessment if isinstance(assessment, dict) else {}),
                                              "mitigations": list(mitigations)})


def _progress(doc, latest):
    """`doc` past its deadline with two progress reports, the latest `latest`, and the same with
    the Board having agreed the other status for it, or for the earlier one."""
    reports = [{"period": "2006-07", "status": "amber", "reason": "Slow", "evidence": "Minutes"},
               {"period": "2007-08 Q1", "status": latest, "reason": "Reviewed", "comment": "Partly"}]
    other = "red" if latest == "green" else "green"
    doc = _with_fields(doc, deadline=LONG_AGO, disposition="open", progress=reports)
    yield doc
    for period in ("2007-08 Q1", "2006-07"):
        yield {**doc, "board_statuses": {period: {"agreed": other, "proposed": latest, "reason": "Board view",
                                                  "meeting": "1"}}}


def _my_work_variants(doc):
    """`doc` as _variants gives it, and written by or assigned to others, sent back, submitted or
    changed by the Head, with its deadlines passed or not, its objective closed or reported on, its mitigations done or not."""
    yield from _variants(doc)
    for name in ("hr_staff", "pp_staff", "board"):
        yield {**doc, "author": name}
        yield {**doc, "assignee": {"name": name, "at": "2006-01-01", "due": "2006-02-01"}}
    yield {**doc, "assignee": {"name": "head", "at": "2006-01-02", "due": "2099-02-01", "by": "hr_lead"}}
    yield {**doc, "returned": {"by": "head", "at": "2006-01-01", "comment": "Again"}}
    yield {**doc, "submitter": "head"}
    yield {**doc, machine.CONTRIBUTORS: ["hr_staff", "head"]}
    for deadline in (LONG_AGO, LATER):
        for disposition in ("open", "achieved"):
            yield _with_fields(doc, deadline=deadline, disposition=disposition)
        yield _mitigations(doc, {"action": "Act", "owner": "HR", "strand": "race", "deadline": deadline,
                                 "done": False},
                           {"action": "Done", "deadline": LONG_AGO, "done": True})
    for latest in ("green", "red"):
        yield from _progress(doc, latest)


def _check(world, declared):
    """Assert, for every document variant, person and previous visit, that My work from the
    fields kept as `declared` is My work from the whole document, and that what it reads of the
    whole document is policy.view's: returns how many gave My work anything."""
    kept, docs = fields(declared), [variant for doc in world.store.scan("documents")
                                    for variant in _my_work_variants(doc)]
    gave = 0
    for user in filter(None, _people(world)):
        for doc in docs:
            _check_shown(doc, user)
            for visit in VISITS:
                whole = worklist.work([doc], user, visit, TODAY)
                assert worklist.work([project(doc, kept)], user, visit, TODAY) == whole, (doc["id"], user.name)
                gave += bool(whole.parts)
    return gave


def _check_shown(doc, user):
    """What My work reads of `doc` for `user` (worklist._shown) is what policy.view says of it:
    the copy seen, its overdue items, and whether they could sign it off (policy.actions)."""
    shown, view = worklist._shown(doc, user), policy.view(doc, user)
    assert (shown is None) == (view is None), (doc["id"], user.name)
    if view is None:
        return
    assert {key: shown[key] for key in SEEN_KEYS} == {key: view[key] for key in SEEN_KEYS}
    assert deadlines.overdue([shown], TODAY) == deadlines.overdue([view], TODAY), (doc["id"], user.name)
    if shown["state"] == "assessed":
        assert policy.could_sign_off(doc, user) == ("approve" in policy.actions(doc, user)), (doc["id"], user.name)


def test_my_work_from_the_kept_fields_is_my_work_from_the_whole_documents(world):
    states = {doc["state"] for doc in world.store.scan("documents")}
    assert {"draft", "screened", "assessed", "approved", "reviewed"} <= states
    assert _check(world, listed.FIELDS) > 0


def _without(declared, path):
    """The declaration `declared` (store.slim.fields) without the field at `path`."""
    found = []
    for item in declared:
        name = item if isinstance(item, str) else item[0]
        if name != path[0]:
            found.append(item)
        elif len(path) > 1:
            found.append((name, _without(item[1], path[1:])))
    return tuple(found)


# Every field My work reads (those of workflow.listed.FIELDS the lists alone read aside).
READ = [("kind",), ("team",), ("state",), ("author",), ("title",), ("revision",), ("updated_at",), ("submitter",),
        (machine.CONTRIBUTORS,), (machine.HEAD_WROTE,), ("returned",), ("board_statuses",),
        ("assignee", "name"), ("assignee", "at"), ("assignee", "due"),
        ("published", "state"), ("published", "revision"), ("published", "title"), ("published", "version"),
        ("published", "approved_at"), ("fields", "leads"), ("fields", "deadline"), ("fields", "disposition"),
        ("fields", "progress", "period"), ("fields", "progress", "status"), ("fields", "full_assessment", "mitigations")]


@pytest.mark.parametrize("path", READ, ids=".".join)
def test_each_field_my_work_reads_is_needed(world, path):
    reduced = _without(listed.FIELDS, path)
    assert reduced != listed.FIELDS
    with pytest.raises((AssertionError, KeyError)):
        _check(world, reduced)


def _in_batches(doc):
    """`doc` in no bulk change, awaiting sign-off in one, and in one of an earlier revision."""
    yield doc
    for revision in (doc["revision"], doc["revision"] - 1):
        yield {**doc, bulk.BATCH: {"id": "b1", "revision": revision, "change": "Strands: race"}}


def _check_batches(world, declared):
    """Assert that a document is picked as in a bulk change awaiting sign-off from its fields kept
    as `declared` exactly when the whole document is (services.bulk_service.pending): returns how many are."""
    kept, awaiting = fields(declared), 0
    for doc in world.store.scan("documents"):
        for variant in _in_batches(doc):
            whole = bool(bulk.batches([variant]))
            assert bool(bulk.batches([project(variant, kept)])) == whole, variant["id"]
            awaiting += whole
    return awaiting


def test_the_bulk_changes_awaiting_sign_off_are_picked_from_the_kept_fields(world):
    assert _check_batches(world, listed.FIELDS) > 0


@pytest.mark.parametrize("path", [("state",), ("revision",), (bulk.BATCH, "id"), (bulk.BATCH, "revision")],
                         ids=".".join)
def test_each_field_the_bulk_changes_read_is_needed(world, path):
    with pytest.raises((AssertionError, KeyError)):
        _check_batches(world, _without(listed.FIELDS, path))


def _signers(world):
    """Sets of people among whom, for some documents, no one could sign off: the world's, its
    Head alone, with a Chief Executive, a deputy approver alone, none at all."""
    everyone = list(filter(None, _people(world)))
    by_name = {person.name: person for person in everyone}
    return [everyone, [by_name["head"]], [by_name["head"], by_name["chief"]], [by_name["deputy"]], []]


def _awaiting_sign_off(doc):
    """`doc` awaiting sign-off, as stored and as written, changed or submitted by the Head."""
    doc = {**doc, "state": "assessed"}
    yield doc
    yield {**doc, "author": "head"}
    yield {**doc, "submitter": "head"}
    yield {**doc, machine.CONTRIBUTORS: ["head"], machine.HEAD_WROTE: ["head"]}
    yield {**doc, machine.CONTRIBUTORS: ["hr_staff", "head"]}


def _check_no_one_can_sign(world, declared):
    """Assert that whether (and why) no one could sign a document off is decided alike on its
    fields kept as `declared` and on the whole document (services.approver_service.stuck):
    returns for how many no one could."""
    kept, stuck = fields(declared), 0
    for signers in _signers(world):
        for doc in world.store.scan("documents"):
            for variant in _awaiting_sign_off(doc):
                words = approvers.no_one_can_sign(variant, signers)
                assert approvers.no_one_can_sign(project(variant, kept), signers) == words, variant["id"]
                stuck += words is not None
    return stuck


def test_whether_anyone_could_sign_a_document_off_is_decided_on_the_kept_fields(world):
    assert _check_no_one_can_sign(world, listed.FIELDS) > 0


@pytest.mark.parametrize("path", [("state",), ("author",), ("submitter",), (machine.CONTRIBUTORS,),
                                  (machine.HEAD_WROTE,)], ids=".".join)
def test_each_field_deciding_whether_anyone_could_sign_is_needed(world, path):
    with pytest.raises((AssertionError, KeyError)):
        _check_no_one_can_sign(world, _without(listed.FIELDS, path))
