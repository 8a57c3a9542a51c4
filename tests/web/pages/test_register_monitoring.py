"""A monitoring dataset on the public register, worked by hand: small counts and those that would
give them away suppressed, the totals published, shares and rates from the unsuppressed counts only,
a flag in words; the same figures, one a line, in /register/monitoring.csv."""
import csv
import io

import pytest

from services import audit_service, publication_service
from tests.conftest import HR
from tests.factories import Factory
from tests.nu_checker import html_errors

COUNTS = {"Applicants": {"White": 200, "Black": 100, "Asian": 50, "Mixed": 3},
          "Shortlisted": {"White": 100, "Black": 50, "Asian": 20, "Mixed": 2},
          "Appointed": {"White": 40, "Black": 10, "Asian": 8, "Mixed": 1}}


@pytest.fixture
def dataset(app, cast):
    rows = [{"measure": measure, "period": "2006-07", "strand": "race", "group": group, "count": count}
            for measure, groups in COUNTS.items() for group, count in groups.items()]
    return Factory.of(app).document("monitoring", "approved", "hr_lead", HR, title="Recruitment 2006-07",
                                    fields={"strand_set": "ces2004", "rows": rows})


def figures(client):
    lines = list(csv.DictReader(io.StringIO(client.get("/register/monitoring.csv").data.decode("utf-8-sig"))))
    return {(line["measure"], line["group"]): line for line in lines}


def test_the_csv_publishes_each_figure_suppressed_or_with_rates_from_unsuppressed_counts(client, dataset):
    found = figures(client)
    # Applicants: 3 is small; 50, the next smallest, goes with it (3 alone would follow from the total).
    assert [found["Applicants", g]["count"] for g in ("White", "Black", "Asian", "Mixed")] == ["200", "100", "", ""]
    assert [found["Applicants", g]["suppressed"] for g in ("White", "Asian")] == ["no", "yes"]
    assert {line["table_total"] for (measure, _), line in found.items() if measure == "Applicants"} == {"353"}
    assert found["Applicants", "White"]["share"] == "0.5666"  # 200 / 353
    # Appointed: 1 and 8 suppressed; White 40 of 100 shortlisted (0.4), Black 10 of 50 (0.2): half the rate, flagged.
    black = found["Appointed", "Black"]
    assert (black["count"], black["table_total"], black["share"]) == ("10", "59", "0.1695")
    assert (black["stage_rate"], black["relative_rate"], black["flagged"]) == ("0.2", "0.5", "yes")
    assert (found["Appointed", "White"]["relative_rate"], found["Appointed", "White"]["flagged"]) == ("1.0", "no")
    asian = found["Appointed", "Asian"]
    assert (asian["count"], asian["share"], asian["stage_rate"], asian["relative_rate"]) == ("", "", "", "")
    assert black["url"].endswith(f"/register/monitoring/{dataset['id']}#" + black["url"].split("#")[1])
    assert black["dataset"] == dataset["id"] and black["strand"] == "Race"


def test_the_dataset_page_shows_suppressed_counts_in_words_and_flags_in_words(client, dataset):
    page = client.get(f"/register/monitoring/{dataset['id']}").text
    assert page.count("Suppressed") >= 4 and "Flagged: below the threshold" in page
    assert "56.7%" in page and "50.0%" in page  # White's share of applicants; Black's relative rate
    assert "<td>353</td>" in page and "<td>59</td>" in page
    anchor = figures(client)["Appointed", "Black"]["url"].split("#")[1]
    assert f'id="{anchor}"' in page


def test_the_flag_ratio_the_head_sets_is_the_one_the_register_applies(client, store, dataset):
    head = Factory.of(client.application).user("head")
    publication_service.set_publication(store, head, "5", "0.4", None, audit_service.Actor("head"))
    assert figures(client)["Appointed", "Black"]["flagged"] == "no"
    assert "Flagged: below the threshold" not in client.get(f"/register/monitoring/{dataset['id']}").text


def test_the_register_lists_and_filters_the_approved_dataset(client, dataset):
    assert "Recruitment 2006-07" in client.get("/register?kind=monitoring").text
    assert "Recruitment 2006-07" not in client.get("/register?kind=eqia").text
    assert "Recruitment 2006-07" in client.get("/register.csv").data.decode("utf-8-sig")


def test_the_dataset_page_is_valid_html(client, dataset, tmp_path):
    page = tmp_path / "dataset.html"
    page.write_bytes(client.get(f"/register/monitoring/{dataset['id']}").data)
    assert html_errors([page]) == []
