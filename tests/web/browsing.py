"""Helpers for page tests: signing in and filling the guided EqIA as a browser would."""
import re

from tests.conftest import HR as TEAM
from tests.conftest import PASSWORD, complete_eqia


def without_tokens(html):
    """The page without its CSRF tokens, which carry the second they were signed in: two answers
    compared whole would differ whenever a second ended between them."""
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', html)


def sign_in(client, name, password=PASSWORD):
    """Sign `name` in on this client (signing out whoever was); the sign-in response."""
    client.post("/sign-out")
    return client.post("/sign-in", data={"name": name, "password": password})


def eqia_form(title="Recruitment policy review", **extra):
    """The first page of a new EqIA as a browser would post it: what is assessed and why."""
    return {"title": title, "team": TEAM, "fields.subject": "The *recruitment* policy",
            "fields.trigger": "review", "fields.lead_organisation": "", **extra}


def version_on(html):
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def answer_strand(client, doc_id, strand, impact, **extra):
    """Post one strand's screening page as a browser would, with the version it was shown."""
    page = client.get(f"/documents/{doc_id}/screening/{strand}")
    data = {"version": version_on(page.text), f"fields.screening.{strand}.impact": impact, **extra}
    return client.post(f"/documents/{doc_id}/screening/{strand}", data=data)


def create_eqia(client, impacts=None, **extra):
    """An EqIA made through the guided pages, `impacts` ({strand: impact}) answered
    strand by strand; returns the document page's address."""
    response = client.post("/documents/new?kind=eqia", data=eqia_form(**extra))
    assert response.status_code == 302, response.text
    doc_id = response.headers["Location"].split("/")[2]
    for strand, impact in (impacts or {}).items():
        assert answer_strand(client, doc_id, strand, impact).status_code == 302
    return f"/documents/{doc_id}"


def documents(app):
    return list(app.extensions["store"].scan("documents", None))


def create(api, title, who="hr_staff"):
    """A complete EqIA of the team, drafted through the API by `who`."""
    response = api.as_(who).post("/documents", {"kind": "eqia", "title": title, "team": TEAM, "fields": complete_eqia()})
    assert response.status_code == 201, response.json
    return response.json


def fire(api, who, doc, *names, comment=None):
    """Fire each of `names` in turn on `doc` as `who`; the document as it ends."""
    for name in names:
        response = api.as_(who).fire(doc, name, comment)
        assert response.status_code == 200, response.json
        doc = response.json
    return doc


def link_path(html):
    """The path of the one-time sign-in link an administrator's page shows."""
    return re.search(r"(/sign-in/link/[A-Za-z0-9_-]+)", html).group(1)


def set_password_by_link(client, path, password):
    """Follow a one-time link and set `password`, as the person would; the answer."""
    assert client.get(path).status_code == 200
    return client.post(path, data={"new_password": password, "confirm_password": password})
