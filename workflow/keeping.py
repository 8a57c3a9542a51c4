"""Who keeps and reads the records the authority keeps beside its documents: the equality
coordinators' list, contacts for racism and harassment, partners and contractors, the
complaints and compliments log, consultations, and how monitoring data is published. Part of workflow.policy (which every
caller asks), kept apart so each module stays readable."""
from workflow import users

TEAM_ROLES = ("staff", "team_leader")


def _team_or_head(user, team):
    """Kept by the staff and team leaders of `team` (a Board member listed in it does not
    count) and the Head."""
    return user is not None and (user.has("head") or (team in user.teams and any(user.has(r) for r in TEAM_ROLES)))


def _head_or_admin(user):
    return user is not None and (user.has("head") or user.has("admin"))


def may_keep_coordinators(user):
    """The equality coordinators' list and how to reach each coordinator: kept by the Head of
    Race and Diversity, who co-ordinates the teams' equality work, and administrators."""
    return _head_or_admin(user)


def may_set_publication(user):
    """How monitoring data is published (the suppression threshold, the flag ratio): set by the
    Head of Race and Diversity, who publishes it (CEP 2004), or an administrator."""
    return _head_or_admin(user)


def may_keep_contact(user, team):
    """A named contact for racism and harassment for `team` (None: a site's alone): the Head
    keeps any, a team leader their own team's."""
    return user is not None and (user.has("head") or (team is not None and user.leads(team)))


def may_keep_partner(user, team):
    """A partner or contractor owned by `team`, and its equality checks: kept by the team's
    staff and team leaders, who manage the contract, and the Head."""
    return _team_or_head(user, team)


# The complaints and compliments log is the authority's working record, not a published one:
# the Board reads what it becomes, approved monitoring datasets (workflow.complaints).
COMPLAINT_READERS = ("staff", "team_leader", "head", "smt", "chief_executive")


def may_read_complaints(user):
    """The log, without the people's details: for the authority's staff, its leaders and the Head."""
    return user is not None and any(user.has(role) for role in COMPLAINT_READERS)


def may_keep_complaint(user, team):
    """An entry about `team` is recorded and changed by the staff and team leaders of that team, and the Head."""
    return _team_or_head(user, team)


def sees_complainant(user, entry):
    """The person's details (name, contact, reference) are personal data: only those who keep the
    entry see them, never other staff, the Board or the public, in any list, page or answer."""
    return may_keep_complaint(user, entry["team"])


def may_count_complaints(user, team):
    """Counting the log of `team` into a draft monitoring dataset: the Head, or a leader of the team."""
    return user is not None and (user.has("head") or user.leads(team))


def may_read_consultations(user):
    """Consultations name the groups consulted: working records for everyone signed in who
    works in the authority. A Board member reads them through the approved EqIAs and
    objectives that cite them, as the public does on the register."""
    return user is not None and any(user.has(role) for role in users.ROLES if role != "eodb")


def may_keep_consultation(user, team):
    """A consultation is recorded and kept by the staff and team leaders of its team, and the Head."""
    return _team_or_head(user, team)


def may_set_sign_in(user):
    """How people sign in (local passwords, the break-glass account, the identity provider):
    an administrator's to set, as it concerns every account."""
    return user is not None and user.has("admin")
