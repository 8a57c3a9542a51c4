"""Classic cross-site scripting payloads in Markdown text, through the `markdown`
filter and through a real document page: nothing executable comes out."""
import re
from html.parser import HTMLParser

import pytest

from services.account_service import find_user
from tests.conftest import HR, complete_eqia
from tests.web.browsing import sign_in
from web.markdown import render_markdown

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[click](\\u006aavascript:alert(1))",
    "[click]( javascript:alert(1))",
    "[click](<javascript:alert(1)>)",
    "[click][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    "![x\" onerror=\"alert(1)](http://example.org/x.png)",
    "[x](http://example.org/\" onmouseover=\"alert(1))",
    "[![img](x)](javascript:alert(1))",
    '<a href="javascript:alert(1)">link</a>',
    '<a href=" javascript:alert(1)">link</a>',
    '<a href="java\tscript:alert(1)">link</a>',
    '<a href="java\nscript:alert(1)">link</a>',
    '<a href="\x01javascript:alert(1)">link</a>',
    '<a href="jav&#x09;ascript:alert(1)">link</a>',
    '<a href="&#x6A;avascript:alert(1)">link</a>',
    '<a href="vbscript:msgbox(1)">link</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">link</a>',
    "[d](data:text/html,<script>alert(1)</script>)",
    "<img src=x onerror=alert(1)>",
    '<img src="javascript:alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div onclick="alert(1)">x</div>',
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '<a title="x" onmouseover="alert(1)" href="http://example.org">x</a>',
    "<!--><script>alert(1)</script>-->",
    "<!-- <img src=x onerror=alert(1)> -->",
    "<form action=javascript:alert(1)><button>go</button></form>",
    '<button formaction="javascript:alert(1)">go</button>',
    "<base href=javascript:alert(1)//>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    "<details open ontoggle=alert(1)>",
    "```\n<script>alert(1)</script>\n```",
    "    <script>alert(1)</script>",
    "`<img src=x onerror=alert(1)>`",
    "| a | b |\n|---|---|\n| <script>alert(1)</script> | [x](javascript:alert(1)) |",
    "*<img src=x onerror=alert(1)>*",
    "<a href=\"http://example.org\" style=\"position:fixed\">x</a>",
]
FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "style", "frame", "frameset", "base", "meta", "link",
                  "form", "svg", "math", "applet", "img"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "background", "poster", "srcdoc"}
SAFE_SCHEMES = {"http", "https", "mailto"}
# As browsers read an address (WHATWG URL): C0 controls and spaces at either end are
# dropped, tabs and newlines anywhere, so "java\tscript:" is "javascript:".
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")


class Executable(HTMLParser):
    """Collects whatever in a page could run code or leave it: elements, handlers, addresses."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = set()

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.found.add(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.add(f"{tag} {name}=")
            elif name in URL_ATTRIBUTES and value is not None:
                address = _TAB_OR_NEWLINE.sub("", value.strip("".join(map(chr, range(0x21))))).lower()
                scheme = re.match(r"^([a-z][a-z0-9+.-]*):", address)
                if scheme and scheme[1] not in SAFE_SCHEMES or name == "srcdoc":
                    self.found.add(f"{tag} {name}={value}")

    handle_startendtag = handle_starttag


def executable(html):
    parser = Executable()
    parser.feed(html)
    parser.close()
    return parser.found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_markdown_filter_leaves_nothing_executable(payload):
    html = str(render_markdown(payload))
    # No comment either: html.parser and browsers end "<!-->" differently, so one could hide markup.
    assert not executable(html) and "<!--" not in html


@pytest.mark.parametrize("raw", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                                 '<a href="java\tscript:alert(1)">x</a>', '<a href=" javascript:alert(1)">x</a>',
                                 '<a href="&#x6A;avascript:alert(1)">x</a>', "<svg onload=alert(1)>",
                                 '<a href="http://example.org" style="x">x</a>', "<iframe srcdoc=x></iframe>"])
def test_the_checker_sees_what_it_looks_for(raw):
    """Unsanitized, payloads are caught: the checker is not blind."""
    assert executable(raw)


def test_a_document_page_renders_every_payload_harmlessly(app, client, make_user):
    make_user("sam", "staff", teams=[HR])
    documents, user = app.extensions["documents"], find_user(app.extensions["store"], "sam")
    sign_in(client, "sam")
    ids = []
    for payload in ["harmless text", *PAYLOADS]:
        fields = complete_eqia()
        fields["subject"] = payload
        fields["full_assessment"]["consultation"] = payload
        ids.append(documents.create(user, "eqia", "Payload", HR, fields)["id"])
    baseline = executable(client.get(f"/documents/{ids[0]}").text)  # the page's own links and forms
    for doc_id, payload in zip(ids[1:], PAYLOADS):
        page = client.get(f"/documents/{doc_id}")
        assert page.status_code == 200
        assert executable(page.text) <= baseline, payload
