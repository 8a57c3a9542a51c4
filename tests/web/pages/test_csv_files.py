"""Every CSV the product serves opens in a spreadsheet as written: UTF-8 with a byte order
mark (Excel on a UK machine reads "£" as "Â£" without it), RFC 4180 quoting and CRLF line
ends, no cell run as a formula, and progress statuses in the words the pages use."""
import csv
import io
import re

import pytest

from services import period_service
from services.document_service import DOCS
from store import Put
from tests.web.api.test_reports_api import nine_objectives
from tests.web.pages.test_csv_injection import approved_dataset_of_payloads, approved_eqia, csv_answers, retitle
from tests.web.pages.test_reports import generated, rdu_lead  # noqa: F401 (a fixture)
from workflow.kinds.objective import STATUS_WORDS

BOM = b"\xef\xbb\xbf"
WRITTEN = "Pay gap £5,000 – “review”, then…\nnext year"  # a comma, quotes and a line break: quoted
FORMULA = "=HYPERLINK(\"https://evil.example\",\"Click\")"
RAG = re.compile(r'<span class="rag rag-[a-z_]+">([^<]+)</span>')


@pytest.fixture
def answers(app, client, api, store, rdu_lead):  # noqa: F811
    """(address, response) of every CSV, from a store whose texts hold "£", "–", "…" and a formula."""
    retitle(store, approved_eqia(api, "EqIA"), WRITTEN)
    retitle(store, approved_eqia(api, "EqIA"), FORMULA)
    approved_dataset_of_payloads(api, store, (WRITTEN, FORMULA))
    nine_objectives(api)
    kept = {record["number"]: record["version"] for record in period_service.list_strategic(store)}
    store.commit([Put(period_service.STRATEGIC, "1", {"number": 1, "title": WRITTEN}, expected_version=kept.get(1)),
                  Put(period_service.STRATEGIC, "2", {"number": 2, "title": FORMULA}, expected_version=kept.get(2))])
    report_url = generated(client)
    found = csv_answers(app, client, api, report_url.rsplit("/", 1)[1])
    assert {address for address, _ in found} >= {"/register.csv", "/register/monitoring.csv",
                                                 f"{report_url}/status.csv",
                                                 "/api/v1/reports/progress?format=csv"}
    return found, report_url


def rows_of(response):
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"), newline="")))


def test_each_csv_starts_with_one_byte_order_mark_and_ends_its_lines_with_crlf(answers):
    for address, response in answers[0]:
        body = response.data
        assert body.startswith(BOM) and not body[len(BOM):].startswith(BOM), address
        assert response.mimetype == "text/csv" and response.mimetype_params.get("charset") == "utf-8", address
        text = body.decode("utf-8-sig")
        assert text.endswith("\r\n") and "\r\n" in text.replace(WRITTEN, ""), address
        assert BOM.decode("utf-8") not in text, address  # once, at the start only


def test_each_csv_round_trips_unicode_and_quotes_as_rfc_4180_says(answers):
    for address, response in answers[0]:
        cells = [cell for row in rows_of(response) for cell in row]
        assert WRITTEN in cells, address  # "£", "–", "…", curly quotes and the line break kept
        assert f'"{WRITTEN}"' in response.data.decode("utf-8-sig"), address


def test_a_formula_looking_value_stays_inert(answers):
    for address, response in answers[0]:
        cells = [cell for row in rows_of(response) for cell in row]
        assert "'" + FORMULA in cells and FORMULA not in cells, address


def test_status_words_are_the_pages_words(client, answers):
    found, report_url = answers
    by_address = dict(found)
    register = rows_of(by_address["/register.csv"])
    column = register[0].index("latest_status")
    in_csv = sorted(row[column] for row in register[1:] if row[column])
    page = client.get("/register").text
    assert sorted(RAG.findall(page)) == in_csv and "Amber/Green" in in_csv
    states = [row[register[0].index("state")] for row in register[1:]]
    assert set(states) == {"Approved"} and page.count("<td>Approved</td>") == len(states)
    report_page = set(RAG.findall(client.get(report_url).text))
    for address in (f"{report_url}/status.csv", "/api/v1/reports/progress?format=csv"):
        words = {row[2] for row in rows_of(by_address[address])[1:]}
        assert words == report_page and words <= set(STATUS_WORDS.values()), address
