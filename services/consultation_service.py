"""Consultations in the store (workflow.consultations): listed, recorded and changed by those who
keep them (workflow.policy), version-checked, every change in the audit log in the same commit.
The documents a consultation informed must exist and be visible to whoever links them."""
from services import audit_service, commits, lookup, team_service
from store import Put
from workflow import consultations, numbers, policy
from workflow.errors import Forbidden, Invalid, NotFound

CONSULTATIONS = "consultations"
NO_SUCH_CONSULTATION = "There is no such consultation."
NOT_YOURS = "Only the staff and team leaders of the consultation's team, and the Head, may record or change it."


class Consultations:
    def __init__(self, store, documents):
        self.store, self.documents = store, documents

    def list(self, user, team=None):
        """Every consultation (of `team`, if given), newest first, for those who may read them."""
        _reader(user)
        return consultations.newest_first(c for c in self.store.scan(CONSULTATIONS) if not team or c["team"] == team)

    def load(self, consultation_id, user):
        _reader(user)
        return self.stored(consultation_id) or _missing()

    def stored(self, consultation_id):
        """The stored consultation, or None (no policy applied: see `cited`)."""
        return lookup.by_id(self.store, CONSULTATIONS, consultation_id)

    def teams(self, user):
        """The teams `user` may record a consultation for."""
        return [team for team in team_service.known_teams(self.store) if policy.may_keep_consultation(user, team)]

    def informed(self, consultation, user):
        """The documents `consultation` informed that `user` may see, as they see them."""
        found = []
        for doc_id in consultation.get("informed") or ():
            try:
                found.append(self.documents.read(doc_id, user)[1])
            except NotFound:
                continue  # a document the reader may not see is not named to them
        return found

    def informing(self, doc_id):
        """The consultations that informed document `doc_id` (shown on a page of a document its
        reader may already see, as what informed it)."""
        return consultations.informing(self.store.scan(CONSULTATIONS), doc_id)

    def for_document(self, doc, user):
        """The consultations the page of `doc` (as `user` sees it) lists: those an EqIA's full
        assessment cites, or those that informed an objective. Each in full for those who read
        consultations; for anyone else (the Board, the public) only in general terms, no name."""
        if doc["kind"] == "eqia":
            found = [c for cid in cited_ids(doc["fields"]) if (c := self.stored(cid))]
        elif doc["kind"] == "objective":
            found = self.informing(doc["id"])
        else:
            return []
        named = policy.may_read_consultations(user)
        return [{"general": consultations.in_general_terms(c), **(c if named else {})} for c in found]

    def to_cite(self, doc_id, user):
        """{id: words} of the consultations an EqIA's full assessment may cite: those linked to it
        first, then the others, newest first."""
        every = self.list(user)
        linked = consultations.informing(every, doc_id)
        return {c["id"]: f"{c['title']} ({c['team']}, {c['start']})" for c in [*linked, *(c for c in every if c not in linked)]}

    def create(self, user, values, actor=None):
        _reader(user)
        made = consultations.new(user, values, team_service.known_teams(self.store))
        _keeper(user, made["team"])
        self._check_informed(made, user)
        [stored] = audit_service.commit(self.store, [Put(CONSULTATIONS, None, made)],
                                        [_entry(actor or audit_service.Actor(user.name), made, "recorded")])
        return stored

    def edit(self, consultation_id, user, version, values, actor=None):
        """Save `values` over the consultation; `version` the one the person saw (a stale one is refused)."""
        current = self.load(consultation_id, user)
        _keeper(user, current["team"])
        # Links to documents this person cannot see were not offered to them: they stay as they were.
        unseen = [doc_id for doc_id in current.get("informed") or () if not self._sees(doc_id, user)]
        if isinstance(values.get("informed"), list):
            values = {**values, "informed": [*values["informed"], *unseen]}
        updated = consultations.edited(current, user, values, team_service.known_teams(self.store))
        _keeper(user, updated["team"])  # moving it to another team needs a place in that team too
        self._check_informed(updated, user, kept=current.get("informed") or ())
        expected = numbers.whole(version, low=1)
        if expected is None:
            raise Invalid("Reload the consultation and try again.",
                          {"version": "Give the consultation's version as a whole number"})
        with commits.refused_if_changed("Someone else changed this consultation since you opened it, so nothing "
                                        "was saved; reload it and try again", {"version": "stale"}):
            [stored] = audit_service.commit(
                self.store, [Put(CONSULTATIONS, current["id"], updated, expected_version=expected)],
                [_entry(actor or audit_service.Actor(user.name), updated, "changed")])
        return stored

    def _sees(self, doc_id, user):
        try:
            self.documents.read(doc_id, user)
        except NotFound:
            return False
        return True

    def _check_informed(self, record, user, kept=()):
        """Each newly linked document exists, `user` may see it and it is an EqIA or an objective.
        Links kept from before stay, so a link made by someone who could see the document is not
        lost when someone who cannot saves the consultation."""
        errors = []
        for doc_id in record["informed"]:
            if doc_id in kept:
                continue
            try:
                _, shown = self.documents.read(doc_id, user)
            except NotFound:
                shown = None
            if shown is None or shown["kind"] not in consultations.INFORMS:
                errors.append(doc_id)
        if errors:
            raise Invalid("The consultation could not be saved: correct what is marked.",
                          {"informed": "Choose impact assessments and objectives from the list: there is none "
                                       "you can see numbered " + ", ".join(errors)})


def cited_ids(fields):
    """The consultations an EqIA's full assessment cites, by number."""
    return (fields.get("full_assessment") or {}).get("consultations") or []


def check_cited(store, doc):
    """Invalid unless every consultation `doc`'s full assessment cites exists (its kind checked their form)."""
    missing = [cid for cid in cited_ids(doc["fields"]) if store.get(CONSULTATIONS, cid) is None]
    if doc["kind"] == "eqia" and missing:
        raise Invalid("The assessment cites a consultation that does not exist.",
                      {"fields.full_assessment.consultations": "Choose the consultations from the list: there is "
                                                              "no consultation numbered " + ", ".join(missing)})


def _entry(actor, record, action):
    return audit_service.entry(actor, "consultation", record["title"], action, team=record["team"])


def _reader(user):
    if not policy.may_read_consultations(user):
        _missing()


def _keeper(user, team):
    if not policy.may_keep_consultation(user, team):
        raise Forbidden(NOT_YOURS)


def _missing():
    raise NotFound(NO_SUCH_CONSULTATION)
