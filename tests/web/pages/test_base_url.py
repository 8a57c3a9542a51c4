"""Absolute links (the register's Atom feed and CSV, its item pages, e-mail) come from the
configured base URL, never from the Host header a request names."""
import re
import xml.etree.ElementTree as ET

import pytest

from services import outbox_service
from store import Put
from tests.conftest import HR, complete_eqia
from web import create_app, links
from web.pages.public_pages import FEED_TITLE
from workflow.errors import Invalid

BASE = "https://equality.example.org"
ATOM = "{http://www.w3.org/2005/Atom}"
HOSTS = ("equality.example.org", "attacker.example")


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": False, "BASE_URL": BASE}


@pytest.fixture
def published(api):
    doc = api.as_("hr_staff").post("/documents", {"kind": "eqia", "title": "Flexi-time", "team": HR,
                                                   "fields": complete_eqia()}).json
    for who, name in (("hr_staff", "screen"), ("hr_lead", "assess"), ("head", "approve")):
        doc = api.as_(who).fire(doc, name).json
    return doc


def by_host(client, address):
    return [client.get(address, headers={"Host": host}).get_data(as_text=True) for host in HOSTS]


@pytest.mark.parametrize("address", ["/register/feed.atom", "/register.csv", "/register/eqia/{id}"])
def test_absolute_links_do_not_change_with_the_host_header(client, published, address):
    answers = by_host(client, address.format(id=published["id"]))
    assert answers[0] == answers[1]
    assert f"{BASE}/register" in answers[0] and "attacker.example" not in answers[1]


def test_atom_ids_and_links_are_under_the_base_url(client, published):
    feed = ET.fromstring(client.get("/register/feed.atom", headers={"Host": HOSTS[1]}).data)
    assert feed.find(f"{ATOM}id").text == f"{BASE}/register/feed.atom"
    [entry] = feed.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}id").text == f"{BASE}/register/eqia/{published['id']}#revision-1"
    assert {link.get("href") for link in feed.iter(f"{ATOM}link")} == {
        f"{BASE}/register/feed.atom", f"{BASE}/register", f"{BASE}/register/eqia/{published['id']}"}


def atom_ids(client, **headers):
    feed = ET.fromstring(client.get("/register/feed.atom", headers=headers).data)
    return [element.text for element in feed.iter(f"{ATOM}id")]


@pytest.mark.parametrize("hops", [0, 1])
def test_atom_ids_are_the_same_whichever_host_or_forwarded_host_reached_the_feed(tmp_path, hops):
    """RFC 4287 4.2.6: an id never changes, however the feed is reached (behind a proxy or not)."""
    app = create_app({"STORE": str(tmp_path / "data"), "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False,
                      "BASE_URL": BASE, "PROXY_HOPS": hops})
    client = app.test_client()
    reached = [atom_ids(client, Host=host, **{"X-Forwarded-Host": forwarded, "X-Forwarded-Proto": proto})
               for host, forwarded, proto in (("equality.example.org", "equality.example.org", "https"),
                                              ("10.0.0.7:8000", "attacker.example", "http"))]
    assert reached[0] == reached[1] == [f"{BASE}/register/feed.atom"]
    app.extensions["store"].close()


def test_atom_entry_ids_are_the_same_whichever_host_reached_the_feed(client, published):
    reached = [atom_ids(client, Host=host, **{"X-Forwarded-Host": forwarded})
               for host, forwarded in (("equality.example.org", "equality.example.org"),
                                       ("localhost:5000", "attacker.example"))]
    assert reached[0] == reached[1] and len(reached[0]) == 2
    assert reached[0][1] == f"{BASE}/register/eqia/{published['id']}#revision-1"


def test_the_register_names_its_feed_for_autodiscovery(client):
    """A feed reader given the register's address finds the feed from a <link> in its head."""
    page = client.get("/register").get_data(as_text=True)
    head = page.split("</head>")[0]
    found = re.findall(r'<link rel="alternate" type="application/atom\+xml" title="([^"]+)" href="([^"]+)">', head)
    assert found == [(FEED_TITLE, "/register/feed.atom")]
    assert client.get(found[0][1]).mimetype == "application/atom+xml"


def test_mail_links_to_the_base_url(app, api, store):
    app.config["SMTP_BACKGROUND"] = False  # queued, not sent
    app.extensions["documents"].notify.smtp = outbox_service.SmtpSettings(host="mail.example")
    for user in store.scan("users"):
        store.commit([Put("users", user["id"], {**user, "email": f"{user['id']}@example.org"},
                          expected_version=user["version"])])
    doc = api.as_("hr_staff").post("/documents", {"kind": "eqia", "title": "Mailed", "team": HR,
                                                   "fields": complete_eqia()}).json
    api.as_("hr_staff").fire(doc, "screen")
    bodies = [row["body"] for row in store.scan("outbox")]
    assert bodies and all(body.endswith(f"Your notices: {BASE}/notices") for body in bodies)


def test_without_a_base_url_the_default_is_used_whatever_the_host(tmp_path):
    app = create_app({"STORE": str(tmp_path / "data"), "SECRET_KEY": "test", "BASE_URL": None})
    client = app.test_client()
    answers = by_host(client, "/register/feed.atom")
    assert answers[0] == answers[1] and f"<id>{links.DEFAULT}/register/feed.atom</id>" in answers[0]
    app.extensions["store"].close()


@pytest.mark.parametrize("bad", ["equality.example.org", "ftp://x.example", "https://x.example/app",
                                 "https://x.example/?q=1", "https://"])
def test_a_malformed_base_url_stops_the_start_with_a_reason(tmp_path, bad):
    with pytest.raises(Invalid) as refused:
        create_app({"STORE": str(tmp_path / "data"), "SECRET_KEY": "test", "BASE_URL": bad})
    assert links.ENV in refused.value.details
