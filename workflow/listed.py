"""What lists decide on: the fields of a stored document that visibility (policy), the list's
cheap filters (kind, state, team) and its sorts read, and what a person sees of a document
worked out from those fields alone. Pure.

A store may keep only these fields of every document in memory (store/slim.py), reading whole
documents by key for the page shown: `FIELDS` is what it is told to keep. tests/workflow/
test_listed.py checks, for every role, state and kind, that `seen` on the document reduced to
these fields says what `policy.as_seen` says of the whole one, so a list worked out from them
can never show, count or order more than the whole documents would.
"""
from workflow import bulk, machine, policy

# Top-level fields, or (field, (its fields read)) for an object (or a list of objects) of which
# only a few are read. My work (workflow.worklist) reads, besides, who a document is assigned to
# (when, by when), what was sent back, and what its overdue check reads: an objective's deadline,
# disposition, and each progress report's period and status with those the Board agreed instead
# (board_statuses, kept whole: a few short entries, on few objectives), an EqIA's mitigations
# (kept whole: a list of a few short entries), of the working copy only (those who watch a
# document's deadlines, its team's leaders and the Head, see it); and the pending bulk changes
# (services.bulk_service.pending), which batch a document awaits sign-off in; and who wrote,
# changed and submitted it, which decide whether anyone could sign it off (workflow.approvers).
FIELDS = ("kind", "team", "state", "author", "title", "revision", "updated_at", "created_at", machine.HEAD_WROTE,
          "submitter", machine.CONTRIBUTORS, "returned", "board_statuses",
          ("assignee", ("name", "at", "due")), (bulk.BATCH, ("id", "revision")),
          ("published", ("state", "revision", "title", "version", "updated_at", "approved_at")),
          ("fields", ("leads",  # a shared objective's lead teams (workflow.shared.teams_of)
                      "deadline", "disposition", ("progress", ("period", "status")),
                      ("full_assessment", ("mitigations",)))))


def seen_copy(doc, user):
    """The copy of `doc` `user` sees (policy.as_seen's): the document itself, its approved
    revision (doc["published"]), or None if they may not see it."""
    if policy.sees_working_copy(doc, user):
        return doc
    if policy.sees_approved(doc, user):
        return doc["published"]
    return None


def seen(doc, user):
    """What `user` sees of `doc` as far as lists go — its id, kind and team, and the state,
    revision, title and version of the copy they see (policy.as_seen's) — or None if they may
    not see it."""
    copy = seen_copy(doc, user)
    if copy is None:
        return None
    # An approved revision kept before its version was: the document's (moving) one, as as_seen says.
    return {"id": doc["id"], "kind": doc["kind"], "team": doc["team"], "state": copy["state"],
            "revision": copy["revision"], "title": copy["title"], "version": copy.get("version", doc["version"])}
