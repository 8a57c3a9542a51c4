"""Files uploaded as evidence for a Standard cell: saved with the edit, listed,
and downloadable only by those who may read a revision that gives them."""
import io
import re

import pytest

from services import account_service
from services.document_service import FILES
from store import Put
from tests.conftest import HR, PASSWORD, RDU, Api
from tests.web.browsing import sign_in, version_on
from web import create_app
from workflow.evidence_files import MAX_BYTES

PDF = b"%PDF-1.4\n% the Race Equality Scheme 2005\n%%EOF\n"


@pytest.fixture
def api(client, make_user):
    return Api(client, {"rdu_lead": make_user("rdu_lead", "team_leader", teams=[RDU]),
                        "head": make_user("head", "head", teams=[RDU], trained="2006-03-01"),
                        "hr_staff": make_user("hr_staff", "staff", teams=[HR]),
                        "bea": make_user("bea", "eodb", trained="2007-01-15")})


@pytest.fixture
def cell_id(client, api):
    """A draft Level 1 Leadership cell, made by the Race & Diversity Unit's team leader."""
    sign_in(client, "rdu_lead")
    made = client.post("/documents/new?kind=standard_cell", data={
        "title": "Level 1: Leadership", "team": RDU, "fields.level": "1", "fields.area": "leadership",
        "fields.requirements": "A comprehensive equality policy", "fields.self_assessed": "met"})
    assert made.status_code == 302, made.text
    return made.headers["Location"].split("/")[2]


def upload(client, cell_id, data=PDF, name="Race Equality Scheme.pdf", version=None, **extra):
    """Post the cell's edit form as a browser would, with a file chosen."""
    form = client.get(f"/documents/{cell_id}/edit")
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text
    body = {"version": version or version_on(form.text), "title": "Level 1: Leadership", "fields.level": "1",
            "fields.area": "leadership", "fields.requirements": "A comprehensive equality policy",
            "fields.self_assessed": "met", "evidence_upload.description": "The scheme as adopted",
            "evidence_upload.file": (io.BytesIO(data), name), **extra}
    return client.post(f"/documents/{cell_id}/edit", data=body, content_type="multipart/form-data")


def download_link(html, name):
    return re.search(rf'<a href="(/documents/\d+/evidence/[\w-]+)" download>{re.escape(name)}</a>', html).group(1)


def files(app):
    return app.extensions["store"].scan(FILES)


def test_an_upload_is_saved_with_the_edit_listed_and_downloaded_with_safe_headers(app, client, api, cell_id):
    assert upload(client, cell_id).status_code == 302
    [stored] = files(app)
    evidence = api.as_("rdu_lead").get(f"/documents/{cell_id}").json["fields"]["evidence"]
    assert evidence == [{"file": stored["id"], "description": "The scheme as adopted"}]
    page = client.get(f"/documents/{cell_id}").text
    link = download_link(page, "Race Equality Scheme.pdf")
    assert f"({len(PDF)} bytes)" in page
    assert download_link(client.get("/standard").text, "Race Equality Scheme.pdf") == link
    answer = client.get(link)
    assert answer.status_code == 200 and answer.data == PDF
    assert answer.headers["Content-Type"] == "application/pdf"
    assert answer.headers["Content-Disposition"] == 'attachment; filename="Race Equality Scheme.pdf"'
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Content-Security-Policy"] == "sandbox"
    assert "no-store" in answer.headers["Cache-Control"]
    # The edit form lists the file, so saving it again keeps it.
    form = client.get(f"/documents/{cell_id}/edit").text
    assert f'name="fields.evidence.0.file" value="{stored["id"]}"' in form
    assert '<label for="evidence_upload-file">Upload a file as evidence</label>' in form.replace(".", "-")


def test_a_draft_file_is_hidden_from_other_teams_and_the_board_until_approved(client, api, cell_id):
    assert upload(client, cell_id).status_code == 302
    link = download_link(client.get(f"/documents/{cell_id}").text, "Race Equality Scheme.pdf")
    for who in ("hr_staff", "bea"):
        sign_in(client, who)
        assert client.get(link).status_code == 404, who
    doc = api.as_("rdu_lead").get(f"/documents/{cell_id}").json
    for who, name in (("rdu_lead", "screen"), ("rdu_lead", "assess"), ("head", "approve")):
        doc = api.as_(who).fire(doc, name).json
    assert doc["state"] == "approved"
    sign_in(client, "bea")
    assert client.get(link).data == PDF
    # A new revision's file is the working copy's: the Board still gets only the approved revision's.
    doc = api.as_("rdu_lead").fire(doc, "revise").json
    sign_in(client, "rdu_lead")
    assert upload(client, cell_id, name="draft survey.pdf").status_code == 302
    draft_link = download_link(client.get(f"/documents/{cell_id}").text, "draft survey.pdf")
    sign_in(client, "bea")
    assert client.get(draft_link).status_code == 404
    assert client.get(link).status_code == 200
    assert "draft survey.pdf" not in client.get("/standard").text


def test_a_file_over_the_limit_answers_413_and_nothing_is_stored(app, client, api, cell_id):
    before = api.as_("rdu_lead").get(f"/documents/{cell_id}").json
    refused = upload(client, cell_id, data=PDF + b"0" * MAX_BYTES)
    assert refused.status_code == 413
    assert "The file is larger than 1 MB; nothing was saved." in refused.text
    assert "The file must be 1 MB or smaller" in refused.text  # next to the upload input
    # A body over the app's limit is refused before it is read, with a page that says why.
    refused = upload(client, cell_id, data=PDF + b"0" * (3 * MAX_BYTES))
    assert refused.status_code == 413 and "larger than the 2 MB this site accepts" in refused.text
    assert files(app) == [] and api.as_("rdu_lead").get(f"/documents/{cell_id}").json == before


def test_a_file_of_the_wrong_type_is_a_form_error_and_nothing_is_stored(app, client, api, cell_id):
    before = api.as_("rdu_lead").get(f"/documents/{cell_id}").json
    refused = upload(client, cell_id, name="chart.png")  # a PDF renamed .png
    assert refused.status_code == 422 and "is named .png but is not a PNG image file" in refused.text
    refused = upload(client, cell_id, data=b"<html><script>alert(1)</script></html>", name="scheme.pdf")
    assert refused.status_code == 422 and "is named .pdf but is not a PDF file" in refused.text
    refused = upload(client, cell_id, name="page.html")
    assert refused.status_code == 422 and "The file must be one of these kinds: PDF" in refused.text
    assert files(app) == [] and api.as_("rdu_lead").get(f"/documents/{cell_id}").json == before


def test_a_stale_upload_answers_409_and_stores_no_file(app, client, api, cell_id):
    form_version = version_on(client.get(f"/documents/{cell_id}/edit").text)
    assert upload(client, cell_id).status_code == 302
    refused = upload(client, cell_id, name="second.pdf", version=form_version)
    assert refused.status_code == 409 and "Someone else changed this document" in refused.text
    assert [stored["name"] for stored in files(app)] == ["Race Equality Scheme.pdf"]


def test_only_those_who_may_edit_the_cell_may_upload(app, client, api, cell_id):
    for who, status in (("hr_staff", 404), ("bea", 404)):
        sign_in(client, who)
        refused = client.post(f"/documents/{cell_id}/edit", content_type="multipart/form-data",
                              data={"version": "1", "evidence_upload.file": (io.BytesIO(PDF), "x.pdf")})
        assert refused.status_code == status, who
    assert files(app) == []


def test_a_file_is_removed_from_the_evidence_by_ticking_its_box(client, api, cell_id):
    assert upload(client, cell_id).status_code == 302
    key = api.as_("rdu_lead").get(f"/documents/{cell_id}").json["fields"]["evidence"][0]["file"]
    removed = upload(client, cell_id, **{"evidence_upload.file": (io.BytesIO(b""), ""),
                                         "evidence_upload.description": "",
                                         "fields.evidence.0.file": key, "fields.evidence.0.remove": "yes"})
    assert removed.status_code == 302
    assert "evidence" not in api.as_("rdu_lead").get(f"/documents/{cell_id}").json["fields"]


def test_the_api_accepts_only_this_cells_own_files_as_evidence(app, client, api, cell_id):
    assert upload(client, cell_id).status_code == 302
    [stored] = files(app)
    lead = api.as_("rdu_lead")
    other = lead.post("/documents", {"kind": "standard_cell", "title": "Level 1: Employment", "team": RDU,
                                     "fields": {"level": 1, "area": "employment"}})
    assert other.status_code == 201
    for key in (stored["id"], "no-such-file"):
        refused = lead.patch(f"/documents/{other.json['id']}", {"version": other.json["version"],
                                                                "fields": {"evidence": [{"file": key}]}})
        assert refused.status_code == 422 and "fields.evidence.0.file" in refused.json["details"], key
    refused = lead.post("/documents", {"kind": "standard_cell", "title": "Level 2", "team": RDU,
                                       "fields": {"evidence": [{"file": stored["id"]}]}})
    assert refused.status_code == 422 and "fields.evidence.0.file" in refused.json["details"]
    doc = lead.get(f"/documents/{cell_id}").json
    kept = lead.patch(f"/documents/{cell_id}", {"version": doc["version"], "fields": {
        "evidence": [{"file": stored["id"], "description": "The scheme, described again"}]}})
    assert kept.status_code == 200


@pytest.fixture
def csrf_client(tmp_path):
    """An app with CSRF protection on, as in production, on its own store."""
    app = create_app({"STORE": str(tmp_path / "csrf"), "TESTING": True, "SECRET_KEY": "test",
                      "SESSION_COOKIE_SECURE": False})
    account_service.add_user(app.extensions["store"], "rdu_lead", PASSWORD, ("team_leader",), (RDU,), None)
    yield app, app.test_client()
    app.extensions["store"].close()


def _token(html):
    return re.search(r'name="csrf_token"[^>]* value="([^"]+)"', html).group(1)


def test_an_upload_without_the_csrf_token_is_refused(csrf_client):
    app, client = csrf_client
    signed_in = client.post("/sign-in", data={"name": "rdu_lead", "password": PASSWORD,
                                              "csrf_token": _token(client.get("/sign-in").text)})
    assert signed_in.status_code == 302
    new = "/documents/new?kind=standard_cell"
    made = client.post(new, data={"title": "Level 1: Leadership", "team": RDU,
                                  "csrf_token": _token(client.get(new).text)})
    cell_id = made.headers["Location"].split("/")[2]
    form = client.get(f"/documents/{cell_id}/edit").text
    body = {"version": version_on(form), "title": "Level 1: Leadership",
            "evidence_upload.file": (io.BytesIO(PDF), "scheme.pdf")}
    refused = client.post(f"/documents/{cell_id}/edit", data=body, content_type="multipart/form-data")
    assert refused.status_code == 400 and "not sent from this site" in refused.text
    assert app.extensions["store"].scan(FILES) == []
    body = {**body, "csrf_token": _token(form), "evidence_upload.file": (io.BytesIO(PDF), "scheme.pdf")}
    assert client.post(f"/documents/{cell_id}/edit", data=body, content_type="multipart/form-data").status_code == 302
    assert len(app.extensions["store"].scan(FILES)) == 1


@pytest.mark.parametrize("stored_name", ["Scheme\r\nSet-Cookie: a=b.pdf", "Scheme\n.pdf", "../../etc/passwd"])
def test_a_file_name_stored_with_a_line_break_still_downloads_under_a_safe_name(app, client, api, cell_id,
                                                                                 stored_name):
    """A name written to the store before names were cleaned, or by hand, goes into a header: cleaned again."""
    assert upload(client, cell_id).status_code == 302
    [stored] = files(app)
    store = app.extensions["store"]
    store.commit([Put(FILES, stored["id"], {**stored, "name": stored_name}, expected_version=stored["version"])])
    answer = client.get(f"/documents/{cell_id}/evidence/{stored['id']}")
    assert answer.status_code == 200 and answer.data == PDF
    disposition = answer.headers["Content-Disposition"]
    assert "\n" not in disposition and "\r" not in disposition and "/" not in disposition
