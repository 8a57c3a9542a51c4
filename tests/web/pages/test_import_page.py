"""The import page: each import of the plan with the notes it printed, for the Head and administrators,
and the notes shown on the objectives they concern."""
from pathlib import Path

from services.import_service import import_plan
from tests.web.browsing import sign_in
from workflow import plan_import


def test_the_import_page_shows_each_import_and_its_notes_to_the_head_and_admins_only(client, api, store):
    plan = Path(__file__).resolve().parents[3] / "data" / "corporate-equality-plan-2004.txt"
    report = import_plan(store, plan.read_text(encoding="utf-8"), plan.name,
                         adoption=plan_import.adoption("EODB", "2004-05-20"))
    for name in ("head", "admin"):
        sign_in(client, name)
        page = client.get("/imports")
        assert page.status_code == 200 and "By the EODB on" in page.text
        assert all(note.split(": ", 1)[0] in page.text for note in report.notes) and len(report.notes) == 8
        assert "Objectives with notes from the import" in page.text
    noted = next(d for d in store.scan("documents") if d["fields"]["source"].get("notes"))
    sign_in(client, "head")
    assert "Notes from importing the plan" in client.get(f"/documents/{noted['id']}").text
    for name in ("hr_lead", "board"):
        sign_in(client, name)
        assert client.get("/imports").status_code == 403
