"""The PDF of a report lays out whatever its text holds: long unbreakable words in
headings and table cells wrap within the page or are cut, and the PDF is always made."""
import io

import pytest
from pypdf import PdfReader

from web.report_pdf import CELL_LIMIT, render_pdf

# A word no line can hold, at the lengths the forms allow (a document title: 300; a
# strategic objective's title: 500) and beyond (a stored value, an older version).
LENGTHS = [300, 500, 2000]


def text_of(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    return "".join(page.extract_text() for page in reader.pages).replace("\n", "")


def appendix(title="Recruitment", team="Human Resources"):
    return [{"title": title, "team": team, "approved_at": "2007-05-01", "strand_set": "ces2004"}]


@pytest.mark.parametrize("length", LENGTHS)
def test_a_long_unbroken_word_in_any_table_cell_is_laid_out(length):
    word = "W" * length
    for fields in ({"period": "2007-08", "eqia_appendix": appendix(title=word)},
                   {"period": "2007-08", "eqia_appendix": appendix(team=word)},
                   {"period": "2007-08", "sections": [{"strategic": 1, "title": word, "status": "red"}]}):
        shown = text_of(render_pdf("Progress 2007/08", fields))
        assert "W" * min(length, CELL_LIMIT - 1) in shown


@pytest.mark.parametrize("length", LENGTHS)
def test_a_long_unbroken_word_in_any_heading_or_line_is_laid_out(length):
    word = "W" * length
    fields = {"period": "2007-08", "author_line": word, "summary": word, "number": word,
              "sections": [{"strategic": 1, "title": word, "status": "red", "evidence": word}]}
    shown = text_of(render_pdf(word, fields))
    assert shown.count("W" * 100) >= 4


def test_a_cut_cell_says_it_was_cut():
    shown = text_of(render_pdf("Progress", {"period": "2007-08", "eqia_appendix": appendix(title="W" * 5000)}))
    assert "W" * (CELL_LIMIT - 1) + "…" in shown and "W" * (CELL_LIMIT + 1) not in shown
