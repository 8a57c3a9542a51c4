"""The complaints and compliments log (workflow.complaints) in the store: read as each person
may see it, entries recorded and changed with an audit entry in the same commit, and a team's
counts made into a draft monitoring dataset through the document service.

Every reader gets entries through `_seen`, so the person's details reach only the team concerned
and the Head whatever the door. The audit log names what changed, never the details themselves.
"""
from services import audit_service, commits, lookup, settings_service, team_service
from store import Put
from workflow import complaints, documents, numbers, periods, policy, strands
from workflow.errors import Forbidden, Invalid, NotFound

COMPLAINTS = "complaints"
NO_SUCH_ENTRY = "Page not found: there is no such entry in the log, or you cannot see it"
NOT_KEEPER = ("Entries about a team are recorded by its staff and team leaders, and the Head of Race and Diversity: "
              "you cannot record or change one about {team}")
STALE = "Someone else changed this entry since you opened it, so nothing was saved; reload it and try again"


def _reader(user):
    if not policy.may_read_complaints(user):
        raise NotFound(NO_SUCH_ENTRY)


def _seen(entry, user):
    return complaints.as_seen(entry, policy.sees_complainant(user, entry))


def strand_set(store):
    """The strand set entries are recorded against: the authority's (workflow.strands)."""
    return strands.SETS[settings_service.strand_set(store)]


def log(store, user, team=None, kind=None):
    """Every entry (of `team` and `kind` where given) as `user` may see it, latest received first."""
    _reader(user)
    if kind not in (None, "", *complaints.KINDS):
        raise Invalid("Choose complaints or compliments.", {"kind": "Select complaints, compliments or both"})
    chosen = [entry for entry in store.scan(COMPLAINTS)
              if (not team or entry["team"] == team) and (not kind or entry["kind"] == kind)]
    chosen.sort(key=lambda entry: (entry["received"], int(entry["id"])), reverse=True)
    return [_seen(entry, user) for entry in chosen]


def by_strand(store, user):
    """Complaints received, by financial year and strand (the log page's table)."""
    _reader(user)
    return complaints.complaints_by_strand(store.scan(COMPLAINTS))


def _load(store, entry_id, user):
    _reader(user)
    entry = lookup.by_id_or_404(store, COMPLAINTS, entry_id, NO_SUCH_ENTRY)
    return entry


def entry(store, entry_id, user):
    """One entry as `user` may see it; NotFound if absent or the log is not theirs to read."""
    return _seen(_load(store, entry_id, user), user)


def teams_kept(store, user):
    """The teams `user` records entries about; Forbidden if none (the form is not theirs)."""
    _reader(user)
    kept = [team for team in team_service.known_teams(store) if policy.may_keep_complaint(user, team)]
    if not kept:
        raise Forbidden("Entries are recorded by the staff and team leaders of the team concerned, "
                        "and the Head of Race and Diversity")
    return kept


def for_editing(store, entry_id, user):
    """The entry as its keeper changes it; Forbidden for a reader who does not keep it."""
    stored = _load(store, entry_id, user)
    _keeper(user, stored["team"])
    return stored


def _keeper(user, team):
    if not policy.may_keep_complaint(user, team):
        raise Forbidden(NOT_KEEPER.format(team=team), {"team": "Select a team you work in"})


def _checked(store, user, given, today):
    checked = complaints.checked(given, team_service.known_teams(store), strand_set(store), today)
    _keeper(user, checked["team"])
    return checked


def _subject(entry):
    return f"{complaints.KINDS[entry['kind']]} received {entry['received']}, {entry['team']}"


def add(store, user, actor, given, today):
    """Record the entry `given` (workflow.complaints.checked's answers); the stored entry."""
    _reader(user)
    checked = _checked(store, user, given, today)
    record = {**checked, "recorded_by": user.name, "recorded_at": documents.now()}
    [stored] = audit_service.commit(store, [Put(COMPLAINTS, None, record)],
                                    [audit_service.entry(actor, "complaint", _subject(record), "recorded",
                                                         team=record["team"])])
    return stored


def _changed(before, after):
    """The answers that differ, by name (the person's details as one: what they were is not logged)."""
    names = [key for key in complaints.ENTRY_KEYS if before.get(key) != after.get(key)]
    return names + (["person"] if before.get("person") != after.get("person") else [])


def edit(store, user, actor, entry_id, version, changes, today):
    """Change the answers `changes` names (the others stay); `version`: the entry's as the
    person saw it (a stale one is refused)."""
    stored = for_editing(store, entry_id, user)
    expected = numbers.whole(version, low=1) if isinstance(version, (str, int)) else None
    if expected is None:
        raise Invalid("Reload the entry and try again.", {"version": "Give the entry's version as a whole number"})
    checked = _checked(store, user, {**complaints.answers(stored), **changes}, today)
    updated = {**stored, **checked, "changed_by": user.name, "changed_at": documents.now()}
    updated.pop("version", None)
    updated.pop("id", None)
    with commits.refused_if_changed(STALE, {"version": "stale"}):
        [saved] = audit_service.commit(
            store, [Put(COMPLAINTS, stored["id"], updated, expected_version=expected)],
            [audit_service.entry(actor, "complaint", _subject(updated), "changed", team=updated["team"],
                                 changed=_changed(stored, updated))])
    return saved


def make_dataset(store, docs, user, team, period):
    """A draft monitoring dataset of `team` counting its entries received in `period` (a year or a
    quarter code) by kind, strand and outcome; it is signed off like every dataset. `docs`: the
    document service (services.document_service.Documents), which creates it."""
    _reader(user)
    if not policy.may_count_complaints(user, team):
        raise Forbidden(f"The log of {team} is counted into a dataset by a leader of the team or the Head",
                        {"team": "Select a team you lead"})
    if periods.parse(period) is None:
        raise Invalid(complaints.FIX, periods.check("period", period))
    rows = complaints.dataset_rows([e for e in store.scan(COMPLAINTS) if e["team"] == team], period)
    if not rows:
        raise Invalid(complaints.FIX, {"period": f"Nothing about {team} concerning an equality strand was received "
                                                 f"in {periods.label(period)}, so there is nothing to count"})
    fields = {"description": f"Counted from the complaints and compliments log on {documents.now()[:10]}: "
                             "each entry under every strand it concerns, by outcome.",
              strands.FIELD: settings_service.strand_set(store), "rows": rows}
    return docs.create(user, "monitoring", complaints.dataset_title(team, period), team, fields)
