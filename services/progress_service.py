"""Progress on objectives and carrying an objective forward: the one way the progress
page and the API (PUT .../progress/PERIOD, POST .../carry-forward) do each, so a rule
holds from both doors. The rules are workflow/progress.py's; `documents` is the
request's services.document_service.Documents (its store, its notices)."""
from services import period_service
from workflow import policy, progress, shared, target_progress
from workflow.errors import NotFound


def writable_periods(documents, doc):
    """The periods `doc`'s progress may be written for, oldest first."""
    opened = [record["code"] for record in period_service.list_periods(documents.store)]
    return progress.writable_periods(opened, doc["fields"].get("progress"))


def objective(documents, doc_id, user):
    """(stored, as `user` knows it) for an objective `user` may see; NotFound otherwise."""
    doc, seen = documents.read(doc_id, user)
    progress.objective_only(doc)
    return doc, seen


def write_entry(documents, doc_id, user, version, entry, following_reason=None):
    """Write `entry` (a dict with its "period") in place of that period's entry on the
    working copy: refused (in this order) if `user` may not edit it now, if the entry
    names a period nobody opened or has no status, then by the objective's own rules.
    `following_reason`, when given (a text, blank to clear), is the reason of the next
    period's entry: back-filling an earlier period can change the status it follows.
    Returns the stored document."""
    doc, _ = objective(documents, doc_id, user)
    policy.check_edit(doc, user, ("progress",))
    progress.check_entry(entry, writable_periods(documents, doc))
    entry = _with_cited_figures(doc, entry)
    updated, _ = progress.with_entry(doc["fields"].get("progress"), entry)
    if following_reason is not None:
        updated = progress.with_following_reason(updated, entry["period"], following_reason)
    return documents.edit(doc_id, user, version, None, {"progress": updated})


def _with_cited_figures(doc, entry):
    """`entry` keeping the figures the period's entry cites (services.citation_service adds them
    on a page of their own), unless it gives its own."""
    kept = next((e.get("figures") for e in doc["fields"].get("progress") or [] if e.get("period") == entry.get("period")),
                None)
    return {**entry, "figures": kept} if kept and "figures" not in entry else entry


def write_team_entry(documents, doc_id, user, version, entry):
    """Write `entry` ({period, team, evidence, key_outcomes, improvements, comment}) as the
    team's own entry for that period on a shared objective's working copy (workflow/shared.py
    says who may, and when). Returns the stored document."""
    doc, _ = objective(documents, doc_id, user)
    shared.check_entry(doc, user, entry, writable_periods(documents, doc))
    updated = shared.with_entry(doc["fields"].get(shared.FIELD), entry)
    return documents.edit(doc_id, user, version, None, {shared.FIELD: updated})


def team_plan(documents, doc_id, user):
    """(stored, as `user` knows it) for a team plan `user` may see; NotFound otherwise."""
    doc, seen = documents.read(doc_id, user)
    target_progress.plan_only(doc)
    return doc, seen


def target_periods(documents, doc):
    """The periods the targets' progress of team plan `doc` may be written for, oldest first."""
    opened = [record["code"] for record in period_service.list_periods(documents.store)]
    return target_progress.writable_periods(opened, doc["fields"].get("targets"))


def write_target_progress(documents, doc_id, user, version, period, updates):
    """Write each target's status and progress for `period` (`updates`, in the targets'
    order) on the team plan's working copy: refused if `user` may not edit it now, then by
    workflow.target_progress and the kind's rules. Returns the stored document."""
    doc, _ = team_plan(documents, doc_id, user)
    policy.check_edit(doc, user, ("targets",))
    targets = doc["fields"].get("targets") or []
    target_progress.check(period, target_periods(documents, doc), updates, targets)
    return documents.edit(doc_id, user, version, None,
                          {"targets": target_progress.with_period(targets, period, updates)})


def successors(documents, doc_id, user):
    """The objectives `user` may see that were carried forward from `doc_id`."""
    return [d for d in documents.search(user, kind="objective") if d["fields"].get("carried_forward_from") == doc_id]


def carry_forward(documents, doc_id, user):
    """A new draft objective continuing the approved objective `doc_id` in a successor
    plan (workflow.progress.carried_forward); the approved one is not changed."""
    doc, _ = objective(documents, doc_id, user)
    title, team, fields = progress.carried_forward(doc, user, successors(documents, doc["id"], user))
    return documents.create(user, "objective", title, team, fields)


def objective_links(documents, doc, user):
    """What the objective page shows beyond its own fields, as `user` may see it: progress
    newest first, the strategic objective, the carried-forward links both ways, the team
    targets serving it, the lead teams' entries of a shared objective and the teams `user`
    writes them for, and what `user` may do about progress."""
    fields = doc["fields"]
    predecessor = None
    if fields.get("carried_forward_from"):
        try:
            predecessor = documents.read(fields["carried_forward_from"], user)[1]
        except NotFound:
            pass  # not visible to this reader: say nothing of it
    targets = [(plan, target) for plan in documents.search(user, kind="team_plan")
               for target in plan["fields"].get("targets") or [] if doc["id"] in (target.get("objectives") or [])]
    strategic = next((s for s in period_service.list_strategic(documents.store)
                      if s["number"] == fields.get("strategic")), None)
    leads = progress.may_carry_forward(doc, user)
    return {"team_entries": shared.by_period(fields.get(shared.FIELD)), "entry_teams": shared.teams_of(doc, user),
            "shared": shared.is_shared(fields),
            "progress": progress.by_period(fields.get("progress")), "predecessor": predecessor,
            "successors": successors(documents, doc["id"], user), "targets": targets, "strategic": strategic,
            "may_update": leads, "may_carry_forward": leads}
