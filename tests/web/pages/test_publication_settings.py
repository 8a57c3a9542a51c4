"""The page where the Head or an administrator sets how monitoring data is published: the
threshold and flag ratio saved (and every dataset suppressed by it), bad answers refused with an
error summary and nothing saved, and nobody else let in."""
import pytest

from services import settings_service
from services.document_service import DOCS
from tests.conftest import HR
from tests.factories import Factory
from tests.web.browsing import sign_in
from workflow import policy

PAGE = "/monitoring/publication"


@pytest.fixture
def people(make_user):
    for name, roles, teams in (("hed", ("head",), ()), ("root", ("admin",), ()), ("lee", ("team_leader",), (HR,)),
                               ("bea", ("eodb",), ()), ("sue", ("smt",), ())):
        make_user(name, *roles, teams=teams, trained="2006-01-01")


@pytest.mark.parametrize("who", ["hed", "root"])
def test_the_head_or_an_administrator_sets_the_threshold_and_every_dataset_follows(app, client, store, people, who):
    rows = [{"measure": "Applicants", "period": "2006-07", "strand": "race", "group": "White", "count": 7}]
    doc = Factory.of(app).documents.create(Factory.of(app).user("lee"), "monitoring", "Recruitment", HR,
                                           {"strand_set": "ces2004", "rows": rows})
    sign_in(client, who)
    assert 'value="5"' in client.get(PAGE).text
    response = client.post(PAGE, data={"threshold": "10", "flag_ratio": "0.75", "version": ""})
    assert response.status_code == 302
    assert settings_service.monitoring_publication(store)["threshold"] == 10
    assert store.get(DOCS, doc["id"])[policy.SUPPRESSION_THRESHOLD] == 10
    assert "Counts below 10 are now suppressed" in client.get(PAGE).text
    audit = client.get("/audit")
    assert audit.status_code == 200 and "monitoring_publication" in audit.text


def test_bad_answers_are_refused_with_an_error_summary_and_nothing_is_saved(client, store, people):
    sign_in(client, "hed")
    response = client.post(PAGE, data={"threshold": "0", "flag_ratio": "2", "version": ""})
    assert response.status_code == 422 and "There is a problem" in response.text
    assert "Enter the threshold as a whole number from 1 to 100" in response.text
    assert "Enter the flag ratio as a decimal above 0 and at most 1" in response.text
    assert settings_service.monitoring_publication(store)["version"] is None


@pytest.mark.parametrize("who", ["lee", "bea", "sue"])
def test_nobody_else_opens_or_saves_it(client, store, people, who):
    sign_in(client, who)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, data={"threshold": "1", "flag_ratio": "0.8", "version": ""}).status_code == 403
    assert settings_service.monitoring_publication(store)["threshold"] == 5
