"""Progress on a Team Equality Plan's targets: each target's status (the 2007 report's
traffic light) and a few words for a reporting period, written by the team on the plan's
working copy and signed off with the plan's revision, so readers and the Board see it
only once approved. Pure: the target progress page and the API ask here (through
services/progress_service.py).
"""
from workflow import fields as f
from workflow import periods
from workflow.errors import NO_SUCH_DOCUMENT, Invalid, NotFound
from workflow.kinds import team_plan
from workflow.kinds.objective import STATUS_WORDS

# Where refusals of what is written for the i-th target are reported.
TARGET_PATH = "fields.targets.{index}.progress.new"


def plan_only(doc):
    """`doc` if it is a team plan; only team plans have targets (anything else: NotFound)."""
    if doc["kind"] != team_plan.NAME:
        raise NotFound(NO_SUCH_DOCUMENT)
    return doc


def writable_periods(opened, targets):
    """Periods one may write, oldest first: those the Head opened, and any already written."""
    written = {e.get("period") for t in targets or [] for e in t.get("progress") or []}
    return sorted(set(opened) | {code for code in written if periods.parse(code)}, key=periods.sort_key)


def entry_for(target, period):
    """The target's entry for `period`, or None."""
    return next((e for e in target.get("progress") or [] if e.get("period") == period), None)


def check(period, writable, updates, targets):
    """Refuse `updates` ([{status, progress}] by target, in the plan's order) for a period
    not in `writable`, for a target the plan lacks, with words but no status, or empty."""
    if not isinstance(updates, list) or not all(isinstance(update, dict) for update in updates):
        raise Invalid("Correct the targets' progress.", {"targets": "Give one object per target, in the plan's order"})
    errors = {}
    if period not in writable:
        errors.update(periods.check("fields.targets.period", period)
                      or {"fields.targets.period": "Select a reporting period the Head has opened"})
    if len(updates) > len(targets or []):
        errors["fields.targets"] = "Write progress only for the plan's own targets"
    for index, update in enumerate(updates):
        if update.get("progress") and not update.get("status"):
            errors[TARGET_PATH.format(index=index) + ".status"] = (
                f"Select the status of target {index + 1}: " + f.either(list(STATUS_WORDS.values())))
    if not any(update.get("status") for update in updates):
        errors["fields.targets.0.progress.new.status"] = "Select the status of at least one target"
    if errors:
        raise Invalid("Correct the targets' progress shown.", errors)


def with_period(targets, period, updates):
    """`targets` with each one's entry for `period` replaced by its update (kept in its place),
    added, or removed where the update has no status."""
    changed = []
    for index, target in enumerate(targets):
        update = updates[index] if index < len(updates) else {}
        kept = [e for e in target.get("progress") or [] if e.get("period") != period]
        if update.get("status"):
            place = next((i for i, e in enumerate(target.get("progress") or []) if e.get("period") == period),
                         len(kept))
            kept.insert(place, {"period": period, **{k: v for k, v in update.items() if v}})
        changed.append({**{k: v for k, v in target.items() if k != "progress"}, **({"progress": kept} if kept else {})})
    return changed


def kept_on_edit(stored, changes):
    """`changes` of a team plan from its edit form, which does not show the targets' progress,
    with each target keeping the progress stored for it: the target of the same words, or,
    when no target was added or removed, the one in the same place."""
    if not isinstance(changes.get("targets"), list):
        return changes
    before = stored.get("targets") or []
    by_words = {t.get("target"): t for t in before if t.get("progress")}
    same_count = len(before) == len(changes["targets"])
    targets = []
    for index, target in enumerate(changes["targets"]):
        match = by_words.get(target.get("target")) or (before[index] if same_count else {})
        targets.append({**target, "progress": match["progress"]} if match.get("progress") else target)
    return {**changes, "targets": targets}
