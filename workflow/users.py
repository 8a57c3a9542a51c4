"""People, their roles and teams, as the domain sees them (no passwords here)."""
from dataclasses import dataclass, field

ROLES = ("staff", "team_leader", "head", "eodb", "smt", "admin")

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

    @classmethod
    def from_record(cls, record):
        return cls(
            name=record["name"],
            roles=frozenset(record.get("roles", ())),
            teams=frozenset(record.get("teams", ())),
            trained=record.get("trained"),
        )

    def has(self, role):
        return role in self.roles

    def leads(self, team):
        """True for a team leader of `team`."""
        return "team_leader" in self.roles and team in self.teams
