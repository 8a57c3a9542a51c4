"""A monitoring dataset written through the API keeps the rules the CSV import keeps: known names stored
in their house spelling, each group counted once a table, strands of the dataset's set only."""
from tests.conftest import HR


def row(measure="Applicants", group="Indian", strand="race", count=4):
    return {"measure": measure, "period": "2006-07", "strand": strand, "group": group, "count": count}


def create(api, rows, strand_set="ces2004"):
    return api.as_("hr_staff").post("/documents", {"kind": "monitoring", "title": "Recruitment", "team": HR,
                                                   "fields": {"strand_set": strand_set, "rows": rows}})


def test_known_names_are_stored_in_their_house_spelling(api):
    made = create(api, [row("applicants", "white and asian"), row("Volunteers ", "Under 18")])
    assert made.status_code == 201, made.json
    assert [(r["measure"], r["group"]) for r in made.json["fields"]["rows"]] == [
        ("Applicants", "White and Asian"), ("Volunteers", "Under 18")]
    edited = api.as_("hr_staff").patch(f"/documents/{made.json['id']}", {
        "version": made.json["version"], "fields": {"rows": [row("SHORTLISTED", "not known")]}})
    assert edited.status_code == 200 and edited.json["fields"]["rows"][0]["measure"] == "Shortlisted"
    assert edited.json["fields"]["rows"][0]["group"] == "Not known"


def test_a_group_counted_twice_in_a_table_is_refused(api):
    refused = create(api, [row(), row("applicants", "INDIAN", count=9)])
    assert refused.status_code == 422
    assert "repeats the count of row 1" in refused.json["details"]["fields.rows.1"]
    assert api.as_("hr_staff").get("/documents", kind="monitoring").json["total"] == 0


def test_a_strand_outside_the_datasets_set_is_refused_on_create_and_on_edit(api):
    refused = create(api, [row(strand="sex", group="Female")])
    assert refused.status_code == 422 and "Sex is not one of this dataset's strands" in \
        refused.json["details"]["fields.rows.0.strand"]
    made = create(api, [row(strand="sex", group="Female")], strand_set="ea2010")
    assert made.status_code == 201
    made = create(api, [row()])
    edited = api.as_("hr_staff").patch(f"/documents/{made.json['id']}", {
        "version": made.json["version"], "fields": {"rows": [row(strand="pregnancy_maternity", group="Pregnant")]}})
    assert edited.status_code == 422 and "fields.rows.0.strand" in edited.json["details"]
