"""Every CSV the product serves (each `.csv` route in the URL map, and the API's report
as CSV), filled from a store holding formula-injection payloads where text goes: no cell
of any of them would run as a formula, and every payload is there, written as text."""
import csv
import io

import pytest

from services import period_service
from services.document_service import DOCS
from store import Put
from tests.web.api.test_reports_api import nine_objectives
from tests.conftest import HR, complete_eqia
from tests.formula_payloads import PAYLOADS, runs_as_formula
from tests.web.browsing import sign_in
from tests.web.pages.test_reports import generated, rdu_lead  # noqa: F401 (a fixture)


def approved_eqia(api, title):
    doc = api.as_("hr_staff").post("/documents", {"kind": "eqia", "title": title, "team": HR,
                                                   "fields": complete_eqia()}).json
    for who, name in (("hr_staff", "screen"), ("hr_lead", "assess"), ("head", "approve")):
        doc = api.as_(who).fire(doc, name).json
    return doc["id"]


def retitle(store, doc_id, title):
    """Write a title straight into the store (as a backup or an older version might hold it)."""
    stored = store.get(DOCS, doc_id)
    published = {**stored["published"], "title": title} if stored.get("published") else stored.get("published")
    store.commit([Put(DOCS, doc_id, {**stored, "title": title, "published": published},
                      expected_version=stored["version"])])


def approved_dataset_of_payloads(api, store, payloads=PAYLOADS):
    """An approved monitoring dataset whose measures and groups are `payloads` (written straight
    into the store, as a backup might hold them): the published figures' CSV."""
    rows = [{"measure": "Applicants", "period": "2006-07", "strand": "race", "group": "White", "count": 50}]
    doc = api.as_("hr_staff").post("/documents", {"kind": "monitoring", "title": "Payloads", "team": HR,
                                                   "fields": {"strand_set": "ces2004", "rows": rows}}).json
    for who, name in (("hr_staff", "screen"), ("hr_lead", "assess"), ("head", "approve")):
        doc = api.as_(who).fire(doc, name).json
    stored = store.get(DOCS, doc["id"])
    fields = {**stored["fields"], "rows": [{**rows[0], "measure": payload, "group": payload} for payload in payloads]}
    store.commit([Put(DOCS, doc["id"], {**stored, "fields": fields, "published": {**stored["published"], "fields": fields}},
                      expected_version=stored["version"])])


@pytest.fixture
def payload_store(api, client, store, rdu_lead):  # noqa: F811
    """Approved EqIAs titled with the payloads (the register), a monitoring dataset counting them
    (its figures), strategic objectives named with them (the generated report), and a report whose
    sections carry them (its status table)."""
    for payload in PAYLOADS:
        retitle(store, approved_eqia(api, "EqIA"), payload)
    approved_dataset_of_payloads(api, store)
    nine_objectives(api)
    report_url = generated(client)
    report_id = report_url.rsplit("/", 1)[1]
    stored = store.get(DOCS, report_id)
    sections = [{**stored["fields"]["sections"][0], "strategic": i + 1, "title": payload}
                for i, payload in enumerate(PAYLOADS)]
    store.commit([Put(DOCS, report_id, {**stored, "fields": {**stored["fields"], "sections": sections}},
                      expected_version=stored["version"])])
    kept = {record["number"]: record["version"] for record in period_service.list_strategic(store)}
    store.commit([Put(period_service.STRATEGIC, str(n), {"number": n, "title": payload}, expected_version=kept.get(n))
                  for n, payload in enumerate(PAYLOADS, start=1)])
    return report_id


def csv_answers(app, client, api, report_id):
    """(address, response) of every .csv route in the URL map, and of the API's CSV report."""
    sign_in(client, "head")
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule.endswith(".csv"):
            address = rule.rule.replace("<doc_id>", report_id)
            response = client.get(address)
            response.get_data()  # read a streamed CSV whole before the next request opens its own
            assert response.status_code == 200 and response.mimetype == "text/csv", address
            found.append((address, response))
    response = api.as_("head").get("/reports/progress", period="2007-08", format="csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    found.append(("/api/v1/reports/progress?format=csv", response))
    return found


def test_no_csv_cell_runs_as_a_formula_and_every_payload_is_kept_as_text(app, client, api, payload_store):
    answers = csv_answers(app, client, api, payload_store)
    assert {address for address, _ in answers} >= {"/register.csv", "/register/monitoring.csv",
                                                   f"/reports/{payload_store}/status.csv",
                                                   "/api/v1/reports/progress?format=csv"}
    for address, response in answers:
        cells = [cell for row in csv.reader(io.StringIO(response.data.decode("utf-8-sig"))) for cell in row]
        assert not [cell for cell in cells if runs_as_formula(cell)], address
        missing = [payload for payload in PAYLOADS if "'" + payload not in cells]
        assert not missing, (address, missing)
