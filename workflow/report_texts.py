"""The committee report's standing texts, as the 2007 report words them: what a
generated draft starts with, for the Unit to edit before sign-off. Pure."""
from workflow import standard

ONGOING_AIMS = (
    "In addition to these objectives the MPA will continue to:\n\n"
    "- Secure a climate & organisational structure in which unlawful discrimination & the promotion of good "
    "relations, respect and trust amongst police & non-police staff in the MPS is promoted; and\n"
    "- Monitor and review progress in implementing its statutory and policy responsibilities in relation to equal "
    "opportunities and diversity as well as monitoring the performance of the MPS in this regard. This work "
    "involves all equal opportunity legislation, directives and recommendations, including a focus on age, "
    "disability, faith, gender, race and sexuality.")
AIMS_COMMENT = ("The Authority will continue to monitor successes, through the work of MPA committees and its members, "
                "to progress these long-term aims.")
NONE_RECORDED = "None recorded."
NO_PAPERS = "None."
CONTACT = "Report author: {unit}"
STANDING = ("ongoing_aims", "aims_comment", "action_required", "standard_steps", "future_objectives",
            "background_papers", "contact_details", "footnotes")


def recommendations(label):
    """The seed's two recommendations; the second cites the supporting paragraphs by reference."""
    return (f"That members agree:\n\n1. To endorse the progress and outcomes made towards the Corporate Equality "
            f"Objectives for {label}.\n2. To agree the action listed as outlined in paragraphs "
            f"{{para:traffic-lights}} - {{para:standard-steps}} to keep the MPA on track to secure its objectives.")


def standard_steps(cells):
    """What the next level of the Equality Standard still needs (the 2007 report's "three key
    steps ... to meet level 3"), from the approved cells' fields; "" when none is kept or all is met."""
    cells = [fields for fields in cells if standard.position(fields)]
    reached = standard.level_achieved([{"published": {"fields": fields}} for fields in cells])
    if not cells or reached == max(standard.LEVELS):
        return ""
    level = reached + 1
    met = {standard.position(fields) for fields in cells if standard.meets(fields)}
    written = {standard.position(fields): fields.get("requirements") for fields in cells}
    steps = [f"- {written.get((level, area)) or standard.requirements(level, area)}"
             for area in standard.AREAS if (level, area) not in met]
    return (f"The steps identified as requisites to meet level {level} of the Equality Standard "
            f"({standard.LEVELS[level].lower()}):\n\n" + "\n".join(steps))


def standing(unit, cells=()):
    """The texts a new draft starts with, by field; `cells`: the approved Equality Standard cells' fields."""
    return {"ongoing_aims": ONGOING_AIMS, "aims_comment": AIMS_COMMENT, "action_required": "",
            "standard_steps": standard_steps(cells), "future_objectives": "", "background_papers": "",
            "contact_details": CONTACT.format(unit=unit), "footnotes": ""}
