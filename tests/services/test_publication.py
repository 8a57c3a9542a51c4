"""The suppression threshold and the flag ratio: set by the Head or an administrator only,
audited, and stamped on every monitoring dataset in the same commit, new ones included."""
import pytest

from services import (
    account_service,
    audit_service,
    publication_service,
    settings_service,
    verify_service,
)
from services.document_service import DOCS, HISTORY, Documents
from services.storage import open_app_store
from workflow import policy
from workflow.errors import Forbidden, Invalid, StateConflict

HR = "Human Resources"
ROWS = [{"measure": "Applicants", "period": "2006-07", "strand": "race", "group": group, "count": count}
        for group, count in (("Asian", 3), ("Black", 48), ("White", 59))]


@pytest.fixture
def world(tmp_path):
    store = open_app_store(str(tmp_path / "data"))
    for name, roles, teams in (("head", ("head",), ()), ("admin", ("admin",), ()),
                               ("hr_lead", ("team_leader",), (HR,)), ("board", ("eodb",), ())):
        account_service.add_user(store, name, "correct horse battery", roles, teams, "2006-01-01")
    yield store, Documents(store)
    store.close()


def who(store, name):
    return account_service.find_user(store, name)


def dataset(store, documents):
    return documents.create(who(store, "hr_lead"), "monitoring", "Recruitment", HR,
                            {"strand_set": "ces2004", "rows": ROWS})


def test_a_new_dataset_carries_the_default_threshold(world):
    store, documents = world
    doc = dataset(store, documents)
    assert doc[policy.SUPPRESSION_THRESHOLD] == 5
    assert settings_service.monitoring_publication(store) == {"threshold": 5, "flag_ratio": 0.8, "version": None}


@pytest.mark.parametrize("setter", ["head", "admin"])
def test_a_new_threshold_restamps_every_dataset_and_is_audited(world, setter):
    store, documents = world
    doc = dataset(store, documents)
    saved = publication_service.set_publication(store, who(store, setter), "50", "0.75", None,
                                                audit_service.Actor(setter))
    assert saved["threshold"] == 50 and saved["flag_ratio"] == 0.75
    assert store.get(DOCS, doc["id"])[policy.SUPPRESSION_THRESHOLD] == 50
    assert store.log(HISTORY, doc["id"])[-1]["action"] == "publication"
    assert verify_service.verify_store(store).intact  # a history line for each version, the chain whole
    assert dataset(store, documents)[policy.SUPPRESSION_THRESHOLD] == 50  # and every new one
    logged = [e for e in store.log(audit_service.AUDIT, audit_service.LOG) if e["subject"] == "monitoring_publication"]
    assert logged and logged[-1]["actor"] == setter and logged[-1]["details"]["value"]["threshold"] == 50


@pytest.mark.parametrize("name", ["hr_lead", "board"])
def test_nobody_else_sets_the_threshold(world, name):
    store, documents = world
    doc = dataset(store, documents)
    with pytest.raises(Forbidden):
        publication_service.set_publication(store, who(store, name), "1", "0.8", None, audit_service.Actor(name))
    assert store.get(DOCS, doc["id"])[policy.SUPPRESSION_THRESHOLD] == 5


@pytest.mark.parametrize("threshold, ratio, bad", [("0", "0.8", "threshold"), ("101", "0.8", "threshold"),
                                                   ("five", "0.8", "threshold"), ("5", "0", "flag_ratio"),
                                                   ("5", "1.5", "flag_ratio"), ("5", "=1", "flag_ratio"),
                                                   ("", "", "threshold")])
def test_bad_settings_are_refused_and_change_nothing(world, threshold, ratio, bad):
    store, _ = world
    with pytest.raises(Invalid) as refused:
        publication_service.set_publication(store, who(store, "head"), threshold, ratio, None, audit_service.Actor("head"))
    assert bad in refused.value.details
    assert settings_service.monitoring_publication(store)["version"] is None


def test_a_stale_setting_is_refused(world):
    store, _ = world
    publication_service.set_publication(store, who(store, "head"), "6", "0.8", None, audit_service.Actor("head"))
    with pytest.raises(StateConflict):
        publication_service.set_publication(store, who(store, "admin"), "7", "0.8", None, audit_service.Actor("admin"))
    assert settings_service.monitoring_publication(store)["threshold"] == 6
