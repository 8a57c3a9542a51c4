"""The one place that decides who may see, create, edit and fire what.

Every caller — pages, lists, counts, search, exports, the API — asks here.
A document someone may not see is reported as absent (NotFound), never as
forbidden, so that its existence does not leak to Board members or other teams.
Over 400 lines: every rule of who may see and do what stays in this one place, on purpose.
"""
from workflow import deputies, fields, kinds, machine, shared, suppression, users
# The rules of the records kept beside documents live in workflow.keeping; callers ask here alike.
from workflow.keeping import (  # noqa: F401
    TEAM_ROLES,
    may_count_complaints,
    may_keep_complaint,
    may_keep_consultation,
    may_keep_contact,
    may_keep_coordinators,
    may_keep_partner,
    may_read_complaints,
    may_read_consultations,
    may_set_publication,
    may_set_sign_in,
    sees_complainant,
)
from workflow.errors import (
    NO_SUCH_DOCUMENT,
    Forbidden,
    Invalid,
    NotFound,
    StateConflict,
    Unmet,
    WorkflowError,
)

# The public register: "publication ... of all monitoring outcomes and impact assessments".
PUBLIC_KINDS = ("eqia", "objective", "monitoring")
WORKING_KEYS = ("id", "kind", "title", "state", "team", "author", "version", "revision", "fields")

# The Head provides the monitoring data (CEP 2004): they draft a team's dataset (from its
# complaints log, for one) though not of the team; another Head or the Chief Executive signs it off.
HEAD_DRAFTS_FOR_ANY_TEAM = "monitoring"
# The suppression threshold of a monitoring dataset, stamped on it by the service from the
# authority's setting (services.settings_service): a top-level key, so no team can write it.
SUPPRESSION_THRESHOLD = "suppression_threshold"
# Why a document cannot be edited in each state that allows no edit, and what can be done instead.
NOT_EDITABLE = {
    "assessed": "This {kind} has been submitted for sign-off, so it cannot be edited now. "
                "A team leader or the Head can send it back to be changed.",
    "approved": "This {kind} has been signed off, so it can no longer be edited. "
                "A team leader can start a new revision.",
    "reviewed": "This {kind} has been reviewed by the Board, so it can no longer be edited. "
                "A team leader can start a new revision.",
}
SCREENED_LOCK = "The screening answers cannot be changed once it is marked as screened: send it back to change them"


def sees_working_copy(doc, user):
    """The working copy (drafts and revisions in progress) is for the author,
    those who work in the owning team and the Head, and the Chief Executive
    for what a Head wrote (which they sign off), and a deputy approver, while
    named, for what awaits sign-off; once approved it is
    everyone's who signs in. Team membership alone is not enough: a Board
    member listed in a team still sees approved items only."""
    if user is None:
        return False
    # The quickest answers first: every view and check of a request asks this.
    if doc["state"] in machine.PUBLISHED_STATES or doc["author"] == user.name or user.has("head"):
        return True
    works_in_team = doc["team"] in user.teams and any(user.has(role) for role in TEAM_ROLES)
    signs_off_head_work = user.has("chief_executive") and bool(doc.get(machine.HEAD_WROTE))
    # A team leading a shared objective writes its own entry there (workflow/shared.py).
    reports_on_shared = bool(shared.teams_of(doc, user))
    # A deputy approver, while named, sees what awaits sign-off (which they may sign off).
    deputy_signs_off = doc["state"] == "assessed" and deputies.acting(user)
    return works_in_team or signs_off_head_work or reports_on_shared or deputy_signs_off


def as_seen(doc, user):
    """The stored document as `user` may know it, or None if they may not see it.

    Those who see the working copy get the document itself. Everyone else gets the
    approved revision as it stood when the revision now in progress began: its state,
    revision, title, fields, submitter, version and time of change, without the working
    copy's assignee, return (and what was sent back) or writers. Every answer to such a reader (pages, the API's
    version, state and actions, refusals) is worked out from this, so nothing in it
    moves while a team revises the document out of their sight.
    """
    if sees_working_copy(doc, user):
        return counts_as_seen(doc, doc, user)
    if not sees_approved(doc, user):
        return None
    published = doc["published"]
    seen = {key: value for key, value in doc.items() if key not in (machine.CONTRIBUTORS, "sent_back")}
    # A revision started before the version was kept: its (moving) version is all there is.
    return counts_as_seen(doc, {**seen, "state": published["state"], "revision": published["revision"], "title": published["title"],
            "fields": published["fields"], "submitter": published.get("submitter"), "assignee": None,
            "returned": None, "version": published.get("version", doc["version"]),
            "updated_at": published.get("updated_at", doc.get("updated_at"))}, user)


def sees_approved(doc, user):
    """Whether one who does not see the working copy sees `doc`'s approved revision (the public: public kinds only)."""
    return bool(doc.get("published")) and (user is not None or doc["kind"] in PUBLIC_KINDS)


def sees_exact_counts(doc, user):
    """Exact counts of a monitoring dataset, small ones too, are for its owning team (its staff
    and team leaders) and the Head, who provides and publishes monitoring data (CEP 2004); and,
    while it awaits sign-off, for whoever may sign it off (the Chief Executive for what a Head
    wrote, a deputy approver while named), who signs off the exact counts. Everyone else — other
    teams, the Board, the SMT, the public, and their API tokens — reads them suppressed."""
    if user is None:
        return False
    works_in_team = doc["team"] in user.teams and any(user.has(role) for role in TEAM_ROLES)
    signs_it_off = doc["state"] == "assessed" and any(r.holds(doc, user, None) for r in machine.BY_NAME["approve"].who)
    return user.has("head") or works_in_team or signs_it_off


def counts_as_seen(doc, seen, user):
    """`seen` (`doc` as `user` may know it, or one of its revisions or what was sent back) with a
    monitoring dataset's small counts suppressed unless `user` sees exact counts. Every door that
    shows a document's fields passes here (as_seen, view, sent_back_of, the compare page)."""
    if doc.get("kind") != "monitoring" or sees_exact_counts(doc, user) or not isinstance(seen.get("fields"), dict):
        return seen
    threshold = doc.get(SUPPRESSION_THRESHOLD) or suppression.THRESHOLD
    hidden = {**seen, "fields": suppression.redacted(seen["fields"], threshold)}
    # The approved revision and what was sent back travel with a stored document: never whole.
    for key in ("published", "sent_back"):
        if isinstance(seen.get(key), dict) and isinstance(seen[key].get("fields"), dict):
            hidden[key] = {**seen[key], "fields": suppression.redacted(seen[key]["fields"], threshold)}
    return hidden


def view(doc, user):
    """What `user` sees of `doc`: the working copy, the last approved revision (as_seen), or None.

    `user` None is the public: it sees approved EqIAs and objectives only.
    """
    seen = as_seen(doc, user)
    if seen is None:
        return None
    shown = {key: seen[key] for key in WORKING_KEYS}
    if doc.get("published") and doc["published"]["revision"] != doc["revision"] and sees_working_copy(doc, user):
        shown["approved_revision"] = doc["published"]["revision"]
    return with_agreed_statuses(shown, doc)


def with_agreed_statuses(shown, doc):
    """Where the Board agreed a status other than the one proposed, readers see the
    agreed one from then on, with the proposed one and both reasons kept beside it."""
    agreed = doc.get("board_statuses")
    if not agreed or not shown["fields"].get("progress"):
        return shown
    progress = [{**entry, "status": agreed[entry["period"]]["agreed"],
                 "board": agreed[entry["period"]]} if isinstance(entry.get("period"), str) and entry["period"] in agreed
                else entry
                for entry in shown["fields"]["progress"]]
    return {**shown, "fields": {**shown["fields"], "progress": progress}}


def readable_revisions(doc, user, approved):
    """Which revisions of `doc` `user` may read: the `approved` ones (numbers)
    wherever the document is visible, and the working one for those who see it."""
    if view(doc, user) is None:
        return []
    readable = set(approved)
    if sees_working_copy(doc, user):
        readable.add(doc["revision"])
    return sorted(readable)


def sent_back_of(doc, user):
    """The last send-back of the revision in progress ({by, at, comment} and the title and
    fields sent back, if kept), for those who see the working copy, until it is signed off; else None.
    Once approved the document is everyone's, but what was sent back never was."""
    sent = doc.get("sent_back")
    if not sent or sent.get("revision") != doc["revision"]:
        # Sent back before what was sent back was kept: its comment, who and when, while a draft.
        sent = doc.get("returned") if doc["state"] == "draft" else None
    if not sent or doc["state"] in machine.PUBLISHED_STATES or not sees_working_copy(doc, user):
        return None
    return counts_as_seen(doc, sent, user)


def visible_or_404(doc, user):
    shown = view(doc, user) if doc else None
    if shown is None:
        raise NotFound(NO_SUCH_DOCUMENT)
    return shown


def check_create(user, kind_name, team):
    """Drafted by the kind's CREATORS, for a team they belong to; a kind kept by one team
    (TEAM: reports to the Board, the Equality Standard) for that team only, from every door."""
    kind = kinds.get(kind_name)
    keeper = getattr(kind, "TEAM", None)
    if keeper is not None and team != keeper:
        raise Forbidden(f"Every {kind.LABEL} is kept by the {keeper}",
                        {"team": f"Select the {keeper}, which keeps every {kind.LABEL}, not {team}"})
    if kind_name == HEAD_DRAFTS_FOR_ANY_TEAM and user.has("head"):
        return
    if team not in user.teams:
        raise Forbidden("You can only create documents for a team you belong to",
                        {"team": f"Select a team you belong to: you are not a member of {team}"})
    if not may_create(user, kind_name):
        roles = " or ".join(users.ROLE_WORDS.get(role, role) for role in kind.CREATORS)
        raise Forbidden(f"Every {kind.LABEL} is drafted by someone with the role {roles}")


def may_create(user, kind_name):
    """Whether `user` holds a role that drafts documents of this kind (check_create adds the team)."""
    return user is not None and any(user.has(role) for role in kinds.get(kind_name).CREATORS)


def may_edit(doc, user):
    """Editing belongs to the owning team's drafters, and the author."""
    if doc["author"] == user.name:
        return True
    return doc["team"] in user.teams and may_create(user, doc["kind"])


def may_change_in_bulk(doc, user):
    """Links of many objectives at once (workflow.bulk): the Head's for any objective,
    a team leader's for their own team's, as a team leader starts a revision of one."""
    return user is not None and (user.has("head") or user.leads(doc["team"]))


def check_edit(doc, user, changed_keys):
    """Raise unless `user` may change `changed_keys` of `doc` now (given as the changes
    themselves, a lead team's leader may change their own team's entries of a shared objective)."""
    visible_or_404(doc, user)
    if not sees_working_copy(doc, user) or not (may_edit(doc, user)
                                                or shared.writes_only_own_entries(doc, user, changed_keys)):
        raise Forbidden("Only the team that owns this document can edit it")
    if doc["state"] not in machine.EDITABLE_STATES:
        raise StateConflict(NOT_EDITABLE[doc["state"]].format(kind=kinds.get(doc["kind"]).LABEL),
                            {"state": doc["state"]})
    if doc["state"] == "screened":
        locked = sorted(set(changed_keys) & set(kinds.get(doc["kind"]).LOCKED_WHEN_SCREENED))
        if locked:
            raise StateConflict(SCREENED_LOCK, {f"fields.{key}": SCREENED_LOCK for key in locked})


def check_transition(doc, user, name, comment=None):
    """Raise the precise refusal for firing `name`, or return the Transition."""
    # Visible (as_seen is not None) without working out the view: a transition asks this once or more.
    sees_whole = sees_working_copy(doc, user)
    if not sees_whole and not sees_approved(doc, user):
        raise NotFound(NO_SUCH_DOCUMENT)
    if user is None:
        raise Forbidden("Sign in to take a step in the workflow.")
    if not sees_whole:
        # A reader of the approved revision is answered as that revision would answer them
        # (so the answer does not tell a revision is under way), and fires nothing on the working copy.
        raise Forbidden(_only(_check_step(as_seen(doc, user), user, name, comment)))
    return _check_step(doc, user, name, comment)


def _check_step(doc, user, name, comment):
    """check_transition's refusals of the step itself, for `doc` as `user` sees it whole: the working
    copy, or the approved revision as seen (as_seen), which a reader always sees whole."""
    t = machine.BY_NAME.get(name)
    if t is None:
        raise Unmet("There is no such step", {"name": "There is no step of that name; for clients, the steps are "
                                                + ", ".join(machine.BY_NAME)})
    if doc["state"] not in t.sources:
        raise StateConflict(f"This {kinds.get(doc['kind']).LABEL} is {machine.STATE_WORDS[doc['state']].lower()}, "
                            f"so “{t.label}” is not possible now",
                            {"state": doc["state"], "from": list(t.sources)})
    if not entitled(t, doc, user, comment):
        raise Forbidden(_only(t))
    gaps = unmet_gaps(t, doc, user, comment)
    if gaps:
        raise Unmet(f"“{t.label}” cannot be done yet",
                    {"unmet": [gap.words for gap in gaps],
                     "fields": {gap.field: gap.words for gap in gaps if gap.field}})
    return t


def entitled(t, doc, user, comment=None):
    """Whether `user` is one of those who may take step `t` (its `who`), its conditions aside."""
    return any(r.holds(doc, user, comment) for r in t.who)


def unmet_gaps(t, doc, user, comment=None):
    """What transition `t` still needs, as fields.Gap: each unmet condition, in detail where it has one."""
    gaps = []
    for rule in t.guards:
        if not rule.holds(doc, user, comment):
            gaps.extend(rule.explain(doc) if rule.explain else [fields.Gap(None, rule.words)])
    return gaps


def _only(t):
    """Who may take step `t`, as a refusal to anyone else."""
    return f"Only {' or '.join(r.words for r in t.who)} can {t.label[:1].lower()}{t.label[1:]}"


def check_assign(doc, user, assignee):
    """A submitted document may be assigned, by the Head or a team leader of
    its team, to someone who could sign it off (a Head, or the Chief Executive
    for what a Head wrote)."""
    visible_or_404(doc, user)
    if not (user.has("head") or user.leads(doc["team"])):
        raise Forbidden("Only the Head or a team leader of the owning team can assign approvers.")
    if doc["state"] != "assessed":
        raise StateConflict("Only a document submitted for sign-off can be given to an approver",
                            {"state": doc["state"]})
    if assignee is None:
        raise Invalid("There is no such person", {"assignee": "Enter the name of an existing account"})
    approve = machine.BY_NAME["approve"]
    # Any one of the signers (`who`) will do; every condition must hold.
    entitled = any(r.holds(doc, assignee, None) for r in approve.who)
    unmet = ([] if entitled else [" or ".join(r.words for r in approve.who)]) + [
        r.words for r in approve.guards if not r.holds(doc, assignee, None)]
    if unmet:
        raise Invalid(f"{assignee.name} could not sign this off",
                      {"assignee": f"Choose someone else: {assignee.name} could not sign this off (needed: "
                                   + "; ".join(unmet) + ")"})


def could_sign_off(doc, person):
    """Whether `person` could sign `doc` off now: one of the signers (`who`) and every condition."""
    approve = machine.BY_NAME["approve"]
    return (any(r.holds(doc, person, None) for r in approve.who)
            and all(r.holds(doc, person, None) for r in approve.guards))


def editable(doc, user):
    """May `user` edit `doc` now (any field that is not locked)?"""
    try:
        check_edit(doc, user, ())
    except WorkflowError:
        return False
    return True


def _verdicts(doc, user):
    """{transition: None if `user` may fire it now, else its unmet conditions},
    for the transitions `user` is entitled to from the current state."""
    # A reader of the approved revision is told what they could do to it, as it stood.
    doc = as_seen(doc, user) if user is not None else None
    if doc is None:
        return {}
    verdicts = {}
    # `user` sees this whole (check_transition's visibility holds), and a transition that cannot
    # leave the current state is refused whoever asks (its StateConflict): of check_transition's
    # refusals only who may take each step and its unmet conditions are left, asked as _check_step
    # asks them, without building the refusals a page or an answer never shows.
    for t in machine.FROM_STATE.get(doc["state"], ()):
        try:
            if entitled(t, doc, user, "(comment)"):  # send_back's comment comes with it
                verdicts[t.name] = [gap.words for gap in unmet_gaps(t, doc, user, "(comment)")] or None
        except WorkflowError:  # a rule refusing to be asked (a kind no longer known), as check_transition would
            continue
    return verdicts


def actions(doc, user):
    """The transitions `user` may fire on `doc` now."""
    return [name for name, unmet in _verdicts(doc, user).items() if unmet is None]


def pending(doc, user):
    """{transition: unmet conditions} for what `user` could fire once they hold."""
    return {name: unmet for name, unmet in _verdicts(doc, user).items() if unmet}


def may_manage_reporting(user):
    """Reporting periods and the list of strategic objectives are kept by the
    Head of Race and Diversity (who reports to the Board) and administrators."""
    return user is not None and (user.has("head") or user.has("admin"))


def may_arrange_meetings(user):
    """The Head builds the Board's agendas (an administrator may set meetings up too)."""
    return user is not None and (user.has("head") or user.has("admin"))


def may_read_training_register(user):
    """The training register names people: internal data for the Head of Race and
    Diversity and administrators, who keep it."""
    return user is not None and (user.has("head") or user.has("admin"))


def may_see_training_figures(user):
    """The figures (how many staff and Board members are trained) go to the Board in
    the progress report, so the Board and the SMT, who read reports, see them too."""
    return may_read_training_register(user) or (user is not None and (user.has("eodb") or user.has("smt")))


def may_read_audit_log(user):
    """The audit log of account, role, team, training and setting changes: for the Head
    of Race and Diversity, who confirms powers, and administrators, who make the changes."""
    return user is not None and (user.has("head") or user.has("admin"))


def may_see_role_changes(user):
    """The role changes awaiting confirmation: for those who confirm them (Heads, and
    administrators for `admin`) and the administrators who propose them."""
    return user is not None and (user.has("head") or user.has("admin"))


def may_decide_role_change(user, proposal):
    """Whether `user` may confirm or decline a proposed grant or removal of a role: they
    hold the role that confirms it (users.CONFIRMED_BY) and are neither who proposed it
    nor the person concerned, so no one gives power alone, nor to themselves."""
    confirmer = users.CONFIRMED_BY.get(proposal["role"])
    return (user is not None and confirmer is not None and user.has(confirmer)
            and user.name not in (proposal["proposed_by"], proposal["person"]))


def may_complete_action(user, action):
    """An action a body agreed is marked done by a team leader of its owner team, or the Head."""
    return user is not None and (user.has("head") or user.leads(action["team"]))
