"""Never a dead end: when no one could sign off a document awaiting sign-off, the words say
why and who could be given the power (workflow.approvers)."""
import datetime as dt

from tests.conftest import HR, RDU, complete_eqia
from workflow import approvers, deputies, documents, machine
from workflow.users import User

HEAD = User("kim", frozenset({"head", "team_leader"}), frozenset({RDU}), trained="2006-01-01")
LEAD = User("lee", frozenset({"team_leader"}), frozenset({HR}), trained="2006-05-10")
STAFF = User("sam", frozenset({"staff"}), frozenset({HR}))
CHIEF = User("cal", frozenset({"chief_executive"}), trained="2006-02-01")


def submitted(writer, team):
    doc, _ = documents.create(writer, "eqia", "Progress report", team, complete_eqia())
    doc.update(id="1", version=1, state="assessed", submitter=LEAD.name)
    return doc


def test_the_lone_heads_own_work_names_the_chief_executive_role():
    words = approvers.no_one_can_sign(submitted(HEAD, RDU), [HEAD, LEAD, STAFF])
    assert words == ("No one can sign this off: the only Head, kim, wrote it; there is no Chief Executive. "
                     "An administrator can give the Chief Executive role to someone, which a Head confirms.")


def test_a_chief_executive_ends_the_dead_end_and_an_untrained_one_is_named():
    doc = submitted(HEAD, RDU)
    assert approvers.no_one_can_sign(doc, [HEAD, CHIEF]) is None
    untrained = User("cal", frozenset({"chief_executive"}))
    words = approvers.no_one_can_sign(doc, [HEAD, untrained])
    assert "the only Chief Executive, cal, is not trained in EqIA" in words
    assert "An administrator can record the EqIA training of cal." in words


def test_the_only_head_who_submitted_it_is_told_a_deputy_could_be_named():
    lead_head = User("kim", frozenset({"head", "team_leader"}), frozenset({HR}), trained="2006-01-01")
    doc = {**submitted(STAFF, HR), "submitter": "kim"}
    words = approvers.no_one_can_sign(doc, [lead_head, STAFF])
    assert words.startswith("No one can sign this off: the only Head, kim, submitted it.")
    assert "A Head can name a trained deputy approver on the Deputy approvers page." in words
    today = deputies.today().isoformat()
    deputy = User("dee", frozenset({"staff"}), trained="2006-02-01", deputy=deputies.Deputy("1", "kim", today, today))
    assert approvers.no_one_can_sign(doc, [lead_head, STAFF, deputy]) is None


def test_with_no_head_at_all_the_operator_is_named():
    words = approvers.no_one_can_sign(submitted(STAFF, HR), [LEAD, STAFF])
    assert "there is no Head" in words and "the operator adds one at the command line" in words


def test_what_does_not_await_sign_off_or_has_an_approver_says_nothing():
    doc = submitted(STAFF, HR)
    assert approvers.no_one_can_sign(doc, [HEAD]) is None
    assert approvers.no_one_can_sign({**doc, "state": "screened"}, [LEAD]) is None
    assert approvers.no_one_can_sign({**doc, machine.HEAD_WROTE: ["kim"]}, [HEAD, CHIEF]) is None
