"""The actions bodies agree (workflow.actions) in the store: listed, agreed with a decision
(services.meeting_service.decide commits them), marked done; every change in the audit log."""
from services import audit_service, commits, lookup
from store import Put
from workflow import actions, numbers
from workflow.errors import Invalid, NotFound

ACTIONS = "actions"
NO_SUCH_ACTION = "There is no such action."
SUBJECT_LIMIT = 80
STATES = ("open", "done")


def _subject(action):
    what = action["what"]
    return what if len(what) <= SUBJECT_LIMIT else what[:SUBJECT_LIMIT - 1] + "…"


def created(made, actor):
    """(the store's Puts, the audit entries) for the new action records `made`."""
    return ([Put(ACTIONS, None, action) for action in made],
            [audit_service.entry(actor, "action", _subject(action), "agreed", team=action["team"],
                                 due=action["due"], meeting=action["meeting"], report=action["report"])
             for action in made])


class Actions:
    def __init__(self, store):
        self.store = store

    def list(self, user, state=None, team=None):
        """Every action (open or done, of `team`, if given) for a signed-in person, by due date."""
        _signed_in(user)
        if state not in (None, "", *STATES):
            raise Invalid("Choose open or done actions.", {"state": "Select open or done"})
        found = [a for a in self.store.scan(ACTIONS)
                 if (not state or (state == "open") == (not a.get("done"))) and (not team or a["team"] == team)]
        return sorted(found, key=lambda a: (a["due"], int(a["id"])))

    def due(self, user, today):
        """The open actions due soon or overdue that are `user`'s to see through (My work)."""
        return actions.due_for(self.store.scan(ACTIONS), user, today)

    def every(self):
        """Every action as stored (for the progress report, which shows what bodies agreed)."""
        return self.store.scan(ACTIONS)

    def load(self, action_id, user):
        _signed_in(user)
        action = lookup.by_id_or_404(self.store, ACTIONS, action_id, NO_SUCH_ACTION)
        return action

    def complete(self, action_id, user, note, version=None, actor=None):
        """Mark the action done with `note`; `version`: the action's as the person saw it (None: as stored)."""
        action = self.load(action_id, user)
        updated = actions.complete(action, user, note)  # who may, and the note, before the version is looked at
        expected = action["version"] if version in (None, "") else numbers.whole(version, low=1)
        if expected is None:
            raise Invalid("Reload the action and try again.", {"version": "Give the action's version as a whole number"})
        with commits.refused_if_changed("Someone else changed the action since you opened it, so nothing was saved; "
                                        "reload it and try again", {"version": "stale"}):
            [stored] = audit_service.commit(
                self.store, [Put(ACTIONS, action["id"], updated, expected_version=expected)],
                [audit_service.entry(actor or audit_service.Actor(user.name), "action", _subject(action), "done",
                                     note=updated["done"]["note"], team=action["team"])])
        return stored


def _signed_in(user):
    if user is None:
        raise NotFound(NO_SUCH_ACTION)
