"""The scanner the keyboard journeys run over every page they render finds what a person must
never read, and leaves plain English (with people's dotted user names) alone."""
import pytest

from tests.browser.keyboard import system_language


@pytest.mark.parametrize("text", [
    "full_assessment.evidence: evidence and data given",
    "screening.disability: evidence is given for the negative impact",
    "Title: must be a non-empty text",
    "The document has invalid fields",
    "a document in state approved changes only by a transition",
    "Done: send_back.",
    "Status: amber_green",
])
def test_system_language_is_found(text):
    assert system_language(text)


@pytest.mark.parametrize("text", [
    "Enter a title",
    "Select whether the negative impact is intended",
    "Signed in as sam.staff",
    "Amber/Green — partial achievement",
    "Approved on 5 March 2007 by hana.head. Read the accessibility statement.",
])
def test_plain_words_pass(text):
    assert system_language(text) == []
