"""The document page as a task list: every part with its status, everything still needed
linked to the very input where it is given, and after each step who acts next."""
import html as markup
import re

import pytest

from tests.conftest import STRANDS
from tests.web.browsing import create_eqia, sign_in, version_on

pytestmark = pytest.mark.usefixtures("people")

NEEDED_LINK = re.compile(r'<li><a href="([^"#]+)#([^"]+)">([^<]+)</a></li>')


def needed_links(page):
    still = page[page.index('id="still-needed"'):]
    return NEEDED_LINK.findall(still[:still.index("</ul>")])


def test_each_thing_still_needed_links_to_its_input_on_the_page_where_it_is_given(client):
    sign_in(client, "sam")
    page = client.get(create_eqia(client)).text
    assert "Cannot start yet" in page and "Incomplete" in page
    links = needed_links(page)
    # Every strand's impact, and the review date asked by the next step, are said at once.
    assert len(links) == len(STRANDS) + 1
    for address, anchor, words in links:
        target = client.get(markup.unescape(address))
        assert target.status_code == 200, address
        assert f'id="{anchor}"' in target.text, (address, anchor, words)


def test_after_marking_as_screened_the_message_says_who_submits_it_and_that_they_were_told(client, app):
    sign_in(client, "sam")
    location = create_eqia(client, impacts=dict.fromkeys(STRANDS, "neutral"))
    version = version_on(client.get(location).text)
    response = client.post(location + "/transitions/screen", data={"version": version}, follow_redirects=True)
    assert ("Marked as screened. A team leader of Human Resources submits it for sign-off; "
            "they have been told.") in response.text
    assert "Done:" not in response.text
    assert "What happens next" in response.text and "Not needed" in response.text  # no negative impact
