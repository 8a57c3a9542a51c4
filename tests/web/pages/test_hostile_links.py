"""Links built from what a visitor sends: url_for's own keywords in a query string are
not honoured, and a sign-in's `next` goes only to a path of this site, on one line."""
import pytest

from tests.conftest import PASSWORD
from tests.web.browsing import sign_in

URL_FOR_KEYWORDS = {"endpoint": "auth.sign_in", "_scheme": "javascript", "_external": "1", "_anchor": "x\r\ny",
                    "_method": "POST", "values": "1"}


@pytest.mark.parametrize("keyword, value", URL_FOR_KEYWORDS.items())
def test_the_home_page_keeps_only_list_filters_when_it_forwards_to_the_list(client, people, keyword, value):
    sign_in(client, "sam")
    response = client.get("/", query_string={"q": "x", keyword: value, "page": "2"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/documents?q=x&page=2"


@pytest.mark.parametrize("target", ["/documents\r\nSet-Cookie: a=b", "/documents\nX: y", "/docu\x1bments", "/\x7f",
                                    "/\\evil.example", "/\t/evil.example", "//evil.example", "https://evil.example/",
                                    "javascript:alert(1)", "documents"])
def test_sign_in_never_follows_a_next_that_is_not_a_plain_path_here(client, people, target):
    response = client.post("/sign-in", query_string={"next": target}, data={"name": "sam", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_sign_in_follows_a_next_that_is_a_path_here(client, people):
    response = client.post("/sign-in", query_string={"next": "/documents?kind=eqia&page=2"},
                           data={"name": "sam", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/documents?kind=eqia&page=2"


@pytest.mark.parametrize("body", [{"name": True, "password": ["x"]}, {"name": {"a": 1}, "password": 3},
                                  {"name": "sam", "password": None}, [1, 2]])
def test_sign_in_reads_only_its_form_never_a_json_body(client, people, body):
    response = client.post("/sign-in", json=body)
    assert response.status_code == 200 and "Sign in" in response.text
    assert client.get("/documents").status_code == 302  # not signed in
