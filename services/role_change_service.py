"""Who can give whom power: the two-person rule for the roles that carry power.

Granting or removing a powered role (workflow.users.POWERED_ROLES: sign-off and Board
power) or `admin`, whether on creating an account or editing one, only records a
proposal; someone holding the confirming role (users.CONFIRMED_BY: a Head, or for
`admin` a second administrator), neither the proposer nor the person concerned
(policy.may_decide_role_change), confirms or declines it on the Role changes page.
Until then the account does not hold the role, so no rule anywhere sees it.

The one exception is the operator's bootstrap at the command line (add_from_command_line).
Every step is in the audit log, and every Head is told of each change of a sign-off or
Board role. `smtp`, `link_root` and `mail_queued` are passed on to notice_service.tell.
"""
from services import (
    account_service,
    audit_service,
    commits,
    credential_service,
    notice_service,
    settings_service,
)
from store import Put
from workflow import accounts, policy
from workflow.documents import now
from workflow.errors import Forbidden, Invalid, NotFound, StateConflict
from workflow.users import CONFIRMED_BY, POWERED_ROLES, ROLE_WORDS

PROPOSALS = "role_proposals"
PENDING, CONFIRMED, DECLINED = "pending", "confirmed", "declined"
DECISIONS = ("confirm", "decline")
RESET = "reset"  # a proposal's change: "grant", "remove", or a reset of a guarded account's password


def split(roles):
    """(roles granted at once, roles whose grant needs confirmation)."""
    return ([role for role in roles if role not in CONFIRMED_BY],
            sorted({role for role in roles if role in CONFIRMED_BY}))


def _holders(store, role):
    """The names of the active accounts holding `role`."""
    return [record["name"] for record in account_service.active_people(store) if role in record["roles"]]


def _told_of(store, proposal):
    """Who hears of a proposal and of its outcome: every Head for a sign-off or Board role
    (they confirm, and must know who holds power), every administrator for `admin`."""
    return set(_holders(store, CONFIRMED_BY[proposal["role"]]))


def sentence(proposal):
    """The change in words, after "to": "give kim the role Head of Race and Diversity"."""
    role = ROLE_WORDS.get(proposal["role"], proposal["role"])
    if proposal["change"] == "grant":
        return f"give {proposal['person']} the role {role}"
    if proposal["change"] == RESET:
        return f"reset the password of {proposal['person']}, who holds the role {role}"
    return f"take the role {role} away from {proposal['person']}"


def guarding_role(roles):
    """The role of `roles` whose confirmer guards the account (a Head before an administrator),
    or None for an account no administrator's change could give power to."""
    guarded = [role for role in sorted(roles) if role in POWERED_ROLES] or \
              [role for role in sorted(roles) if role in CONFIRMED_BY]
    return guarded[0] if guarded else None


def reset_password(store, by, name, smtp=None, link_root=None, mail_queued=lambda: None):
    """An administrator resets a password: the link's secret at once for an account without a
    guarded role; None for one holding one, whose reset awaits the confirmation of its guarding
    role (a Head for a Head or a Board member) and whose link goes to whoever confirms it, so
    that no administrator alone comes to hold the password of an account with power. Forbidden
    while local passwords are off, unless `name` is the break-glass administrator."""
    settings_service.check_password_allowed(store, name)
    role = guarding_role(account_service.account(store, name)["roles"])
    if role is None:
        return account_service.reset_password(store, by, name)
    accounts.refuse_own_account(by.name, name, "reset the password of", "password")
    ops, logged = proposal_ops(store, by, name, [(role, RESET)], smtp, link_root, mail_queued)
    audit_service.commit(store, ops, logged)
    return None


def _pending(store, person, role):
    return store.scan(PROPOSALS, {"person": person, "role": role, "status": PENDING})


def proposal_ops(store, by, person, changes, smtp=None, link_root=None, mail_queued=lambda: None):
    """(ops, audit entries) proposing each (role, "grant" | "remove") of `changes` for `person`,
    telling those who may confirm it; a change already awaiting confirmation is not proposed twice."""
    ops, logged = [], []
    for role, change in changes:
        if any(p["change"] == change for p in _pending(store, person, role)):
            continue
        proposal = {"person": person, "role": role, "change": change, "proposed_by": by.name,
                    "proposed_at": now(), "status": PENDING}
        ops.append(Put(PROPOSALS, None, proposal))
        confirmer = ROLE_WORDS[CONFIRMED_BY[role]]
        ops += notice_service.tell(store, _told_of(store, proposal) - {by.name, person}, "roles",
                                   f"{by.name} proposes to {sentence(proposal)}. It takes effect only once a "
                                   f"{confirmer} other than {by.name} and {person} confirms it on the Role changes "
                                   "page.", "a role change awaits confirmation", smtp, link_root, mail_queued)
        logged.append(audit_service.entry(by, "role", person, "proposed", role=role, change=change))
    return ops, logged


def _keeps_break_glass(store, person, change, role):
    """Invalid if `change` ("grant" | "remove") of `role` would take the administrator role from the
    break-glass administrator, who must stay one (workflow.sign_in_settings) until another is chosen."""
    if (role, change) == ("admin", "remove") and person == settings_service.local_passwords(store)["break_glass"]:
        raise Invalid(f"{person} is the break-glass administrator: choose another one (Administration → Signing in) "
                      "before taking the administrator role away.", {"role": "the break-glass administrator stays one"})


def create_account(store, by, name, roles, teams, trained, smtp=None, link_root=None, mail_queued=lambda: None):
    """An administrator adds an account: (record, one-time link secret, roles awaiting confirmation)."""
    granted, proposed = split(roles)
    ops, logged = proposal_ops(store, by, name, [(role, "grant") for role in proposed], smtp, link_root, mail_queued)
    record, secret = account_service.create_account(store, by, name, granted, teams, trained, proposed, ops, logged)
    return record, secret, proposed


def update_account(store, by, name, version, roles, teams, trained, smtp=None, link_root=None,
                   mail_queued=lambda: None):
    """An administrator edits an account; the roles proposed rather than changed."""
    record = account_service.account(store, name)
    held, wanted = set(record["roles"]), set(roles)
    changes = [(role, "grant" if role in wanted else "remove") for role in sorted(CONFIRMED_BY)
               if (role in wanted) != (role in held)]
    if changes:
        accounts.refuse_own_account(by.name, name, "change the roles of", "role")
    for role, change in changes:
        _keeps_break_glass(store, name, change, role)
    ops, logged = proposal_ops(store, by, name, changes, smtp, link_root, mail_queued)
    now_held = {role for role in wanted if role not in CONFIRMED_BY} | (held & set(CONFIRMED_BY))
    account_service.update_account(store, by, name, version, sorted(now_held), teams, trained, ops, logged,
                                   requested=roles)
    return [role for role, _ in changes]


def add_from_command_line(store, name, password, roles, teams=(), trained=None, email=None):
    """`run.py user add`: the operator's bootstrap. A guarded role is granted at once only
    while no active account holds the role that would confirm it (the first Head, the first
    administrator); otherwise it is proposed, as on the admin pages. The roles proposed."""
    granted, guarded = split(roles)
    proposed = [role for role in guarded if _holders(store, CONFIRMED_BY[role])]
    granted += [role for role in guarded if role not in proposed]
    ops, logged = proposal_ops(store, audit_service.COMMAND_LINE, name, [(role, "grant") for role in proposed])
    account_service.add_user(store, name, password, granted, teams, trained, email, proposed=proposed,
                             extra=ops, entries=logged)
    return proposed


def pending(store):
    """The proposals awaiting a decision, oldest first."""
    return sorted(store.scan(PROPOSALS, {"status": PENDING}), key=lambda p: p["proposed_at"])


def pending_for(store, name):
    return [p for p in pending(store) if p["person"] == name]


def _entitled(user):
    if not policy.may_see_role_changes(user):
        raise Forbidden("Role changes are for the Head of Race and Diversity and administrators.")


def waiting(store, user):
    """What the Role changes page shows `user`: (the proposals awaiting a decision, the ids
    of those `user` may decide). Forbidden for anyone but Heads and administrators."""
    _entitled(user)
    found = pending(store)
    return found, {p["id"] for p in found if policy.may_decide_role_change(user, p)}


def decide(store, user, by, key, decision, smtp=None, link_root=None, mail_queued=lambda: None):
    """`user` (acting as `by`) confirms or declines (`decision` "confirm" or "decline") the
    proposal `key`: (the proposal as decided, the secret of a one-time link for `user` to hand
    over, or None).

    Confirming a grant or a reset also renews the person's credentials: their password stops,
    their sessions and API tokens end, and the link goes to the one who confirmed. Whatever an
    administrator knew of the account (they were shown the link that set its password) then
    carries no power."""
    _entitled(user)
    if decision not in DECISIONS:
        raise Invalid("Choose to confirm or to decline the change.", {"decision": "Select confirm or decline"})
    confirm = decision == "confirm"
    proposal = store.get(PROPOSALS, key) if isinstance(key, str) and key else None
    if proposal is None:
        raise NotFound("There is no such proposed change.")
    if proposal["status"] != PENDING:
        raise StateConflict(f"This change was already {proposal['status']}: nothing more is needed.",
                            {"proposal": proposal["status"]})
    if not policy.may_decide_role_change(user, proposal):
        raise Forbidden("Only a holder of the confirming role, who neither proposed the change nor is the person "
                        "concerned, can decide it.")
    if confirm:  # it may have been proposed before the person came to break glass
        _keeps_break_glass(store, proposal["person"], proposal["change"], proposal["role"])
    decided = {**proposal, "status": CONFIRMED if confirm else DECLINED, "decided_by": by.name, "decided_at": now()}
    ops, secret = [Put(PROPOSALS, key, decided, expected_version=proposal["version"])], None
    if confirm:
        changed, secret, renewal = _confirmed(store, proposal, by)
        ops += [*renewal, changed]
    outcome = "confirmed" if confirm else "declined"
    told = _told_of(store, proposal) | {proposal["proposed_by"], proposal["person"]}
    if proposal["role"] in POWERED_ROLES and confirm:
        told |= set(_holders(store, "head"))  # every Head hears of each change of sign-off or Board power
    ops += notice_service.tell(store, told - {by.name}, "roles",
                               f"{by.name} {outcome} the proposal by {proposal['proposed_by']} to "
                               f"{sentence(proposal)}." + (" It is in effect now." if confirm else " Nothing changed."),
                               f"a role change was {outcome}", smtp, link_root, mail_queued)
    with commits.refused_if_changed("the account or the proposal changed meanwhile; reload the page and decide again",
                                    {"proposal": "changed"}):
        audit_service.commit(store, ops, [audit_service.entry(by, "role", proposal["person"], outcome,
                                                              role=proposal["role"], change=proposal["change"],
                                                              proposed_by=proposal["proposed_by"])])
    return decided, secret


def _confirmed(store, proposal, by):
    """(the Put of the account as the confirmed `proposal` leaves it, the secret of a new
    one-time link or None, the ops renewing the person's credentials)."""
    record = account_service.account_record(store, proposal["person"])
    if record is None:
        raise NotFound("The account no longer exists.")
    changed = {**record, "roles": sorted(_roles_after(record["roles"], proposal))}
    secret, renewal = None, []
    if proposal["change"] in ("grant", RESET):
        secret, renewal = credential_service.renewal_ops(store, record["name"], by, proposal["change"])
        changed["password_hash"] = None
    return Put(account_service.USERS, record["name"], changed, expected_version=record["version"]), secret, renewal


def _roles_after(roles, proposal):
    if proposal["change"] == "grant":
        return set(roles) | {proposal["role"]}
    if proposal["change"] == RESET:
        return set(roles)
    return set(roles) - {proposal["role"]}
