"""Strand sets: the equality strands an EqIA is screened against.

The Corporate Equality Plan 2004 screens across six strands; the Equality Act
2010 names nine protected characteristics ("gender" becomes "sex" and
"gender_reassignment"; marriage and civil partnership, and pregnancy and
maternity, are added). An authority chooses the set for new EqIAs; each EqIA
keeps the set it was created with in its field `strand_set`, and one without
that field (every record made before sets existed) was screened against 2004's.
"""
from dataclasses import dataclass

DEFAULT = "ces2004"
FIELD = "strand_set"


@dataclass(frozen=True)
class StrandSet:
    name: str
    title: str      # says which set applies, on pages, the register and reports
    source: str     # whose words the meanings are
    strands: tuple
    meanings: dict  # strand: who it covers, in plain words

    def __contains__(self, strand):
        return strand in self.strands

    def listed(self):
        """Its strands in words: "Race, Gender, ..."."""
        return ", ".join(LABELS[s] for s in self.strands)


LABELS = {"race": "Race", "gender": "Gender", "disability": "Disability", "age": "Age",
          "sexual_orientation": "Sexual orientation", "religion_belief": "Religion or belief",
          "sex": "Sex", "gender_reassignment": "Gender reassignment",
          "marriage_civil_partnership": "Marriage and civil partnership",
          "pregnancy_maternity": "Pregnancy and maternity"}

# The laws the plan names (CEP 2004, "Equalities and Diversity Legislation"), in plain words.
_CES2004 = StrandSet(
    "ces2004", "Corporate Equality Plan 2004: six equality strands",
    "the laws the Corporate Equality Plan 2004 names",
    ("race", "gender", "disability", "age", "sexual_orientation", "religion_belief"),
    {"race": "People of any colour, race, nationality, or ethnic or national origin "
             "(Race Relations (Amendment) Act 2000).",
     "gender": "Women and men, including people who intend to undergo, are undergoing or have undergone "
               "gender reassignment (Sex Discrimination Act 1975 and the Gender Reassignment Regulations 1999).",
     "disability": "People with a physical or mental impairment that has a substantial and long-term adverse "
                   "effect on their ability to carry out normal day-to-day activities (Disability Discrimination Act 1995).",
     "age": "People of any age, younger or older.",
     "sexual_orientation": "Lesbian, gay, bisexual and heterosexual people "
                           "(Employment Equality (Sexual Orientation) Regulations 2003).",
     "religion_belief": "People of any religion or religious or philosophical belief, and people of none "
                        "(Employment Equality (Religion or Belief) Regulations 2003)."})

# Equality Act 2010, sections 4 to 12, in plain words.
_EA2010 = StrandSet(
    "ea2010", "Equality Act 2010: nine protected characteristics", "the Equality Act 2010, sections 4 to 12",
    ("age", "disability", "gender_reassignment", "marriage_civil_partnership", "pregnancy_maternity",
     "race", "religion_belief", "sex", "sexual_orientation"),
    {"age": "People of a particular age or range of ages, for example 18 to 30 year olds, or people over 65.",
     "disability": "People with a physical or mental impairment that has a substantial and long-term adverse "
                   "effect on their ability to carry out normal day-to-day activities.",
     "gender_reassignment": "People who are proposing to change, are changing or have changed their sex. "
                            "Medical supervision is not needed for the protection to apply.",
     "marriage_civil_partnership": "People who are married or in a civil partnership. The Act protects them "
                                   "from discrimination at work; the equality duty covers it only for that.",
     "pregnancy_maternity": "Women who are pregnant or on maternity leave, and women in the 26 weeks after "
                            "giving birth, including while breastfeeding.",
     "race": "People of any colour, nationality, or ethnic or national origin.",
     "religion_belief": "People of any religion or religious or philosophical belief, and people of none.",
     "sex": "Women and men.",
     "sexual_orientation": "Whether a person is attracted to people of the same sex, the opposite sex, "
                           "or either sex: lesbian, gay, bisexual and heterosexual people."})

SETS = {s.name: s for s in (_CES2004, _EA2010)}
# Every strand of any set: what objectives, team plans and the search filter accept.
ALL = tuple(LABELS)


def strand_set(fields):
    """The set an EqIA was screened against; an EqIA without the field predates sets: 2004's."""
    name = (fields or {}).get(FIELD)
    return SETS[name] if isinstance(name, str) and name in SETS else SETS[DEFAULT]


def strands_of(fields):
    return strand_set(fields).strands


def check_name(path, value):
    """A field error unless `value` names a strand set."""
    return {} if isinstance(value, str) and value in SETS else {path: "Select one of the strand sets given"}
