"""People, their roles and teams, as the domain sees them (no passwords here)."""
from dataclasses import dataclass, field

ROLES = ("staff", "team_leader", "head", "chief_executive", "eodb", "smt", "admin")
# Roles carrying sign-off or Board power: granting or removing one takes two people, an
# administrator who proposes and a Head who confirms (DESIGN.md).
POWERED_ROLES = frozenset({"head", "chief_executive", "eodb"})
# Who confirms a proposed change of each guarded role: a Head for the powered roles,
# a second administrator for `admin` (an administrator has no sign-off power to give).
CONFIRMED_BY = {**{role: "head" for role in POWERED_ROLES}, "admin": "admin"}
# Each role as people say it.
ROLE_WORDS = {"staff": "Staff", "team_leader": "Team leader", "head": "Head of Race and Diversity",
              "chief_executive": "Chief Executive",
              "eodb": "Board member (EODB)", "smt": "Senior Management Team", "admin": "Administrator"}

# The units named in the Corporate Equality Plan 2004's lead-responsibility column.
TEAMS = (
    "Administration & Treasury",
    "CLAMS",
    "Community Engagement",
    "Human Resources",
    "Internal Audit",
    "Planning & Performance",
    "Press & Communications",
    "Race & Diversity Unit",
)


@dataclass(frozen=True)
class User:
    name: str
    roles: frozenset = field(default_factory=frozenset)
    teams: frozenset = field(default_factory=frozenset)
    trained: str | None = None  # date of EqIA training, ISO 8601
    # The Board's chair asked that nobody untrained in EqIA sign off or record a
    # Board decision; an authority may switch that off, and it applies per person.
    training_rule: bool = True
    # The naming as deputy approver in effect today (workflow.deputies.Deputy), or None.
    deputy: object = None

    @classmethod
    def from_record(cls, record, training_rule=True, deputy=None):
        return cls(
            name=record["name"],
            roles=frozenset(record.get("roles", ())),
            teams=frozenset(record.get("teams", ())),
            trained=counted_training(record),
            training_rule=training_rule,
            deputy=deputy,
        )

    def has(self, role):
        return role in self.roles

    def meets_training_rule(self):
        """Trained in EqIA, or the authority does not require it."""
        return bool(self.trained) or not self.training_rule

    def leads(self, team):
        """True for a team leader of `team`."""
        return "team_leader" in self.roles and team in self.teams


def counted_training(record):
    """The account's EqIA training date as the training rule counts it: only a date someone
    else recorded. An account whose date carries no `trained_by` had it recorded before
    who recorded it was kept; it still counts (SECURITY.md says why)."""
    if record.get("trained_by") == record["name"]:
        return None
    return record.get("trained")
