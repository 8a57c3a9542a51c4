"""The PDF of a report is the report's HTML printed as tagged PDF (PDF/UA-1): a screen
reader finds its headings, tables and paragraphs in reading order, every font travels
with the file, and the authority's own letters (Welsh, symbols) come back out as written.
It lays out whatever its text holds: long unbroken words wrap within the page, whole."""
import io
import os
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from tests.conftest import HR
from tests.web.api.test_reports_api import fire_all, report
from tests.workflow.test_reports_build import objective_fields
from web.report_formats import respond
from web.report_pdf import StaticOnly
from workflow.strategy import STRATEGIC_2004

# Welsh (ŵ), a symbol outside Latin-1 (≥), the pound, an en dash and curly quotes.
SAMPLE = "Ŵyl Dewi ≥ £5,000 – ‘Cymraeg’"
# A word no line can hold, at the lengths the forms allow (a document title: 300; a
# strategic objective's title: 500) and beyond (a stored value, an older version).
LENGTHS = [300, 500, 2000]
ROOT = Path(__file__).resolve().parents[3]


def text_of(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    return "".join(page.extract_text() for page in reader.pages).replace("\n", "")


def printed(app, title, fields):
    with app.test_request_context("/"):
        return respond("pdf", title, fields, "report").data


def appendix(title="Recruitment", team="Human Resources"):
    return [{"title": title, "team": team, "approved_at": "2007-05-01", "strand_set": "ces2004"}]


@pytest.mark.parametrize("length", LENGTHS)
def test_a_long_unbroken_word_in_any_table_cell_is_printed_whole(app, length):
    word = "W" * length
    for fields in ({"period": "2007-08", "eqia_appendix": appendix(title=word)},
                   {"period": "2007-08", "eqia_appendix": appendix(team=word)},
                   {"period": "2007-08", "sections": [{"strategic": 1, "title": word, "status": "red"}]}):
        # Nothing is cut (a cell taller than a page goes on over the next); a section title is also a heading.
        assert text_of(printed(app, "Progress 2007/08", fields)).count("W") >= length


@pytest.mark.parametrize("length", LENGTHS)
def test_a_long_unbroken_word_in_any_heading_or_line_is_printed_whole(app, length):
    word = "W" * length
    fields = {"period": "2007-08", "author_line": word, "summary": word, "number": word,
              "sections": [{"strategic": 1, "title": word, "status": "red", "evidence": word}]}
    assert text_of(printed(app, word, fields)).count("W" * 100) >= 4


def one_objective_saying(api, words):
    """An objective whose title and 2007/08 evidence hold `words` (the evidence then a list),
    approved through the API."""
    doc = api.as_("hr_lead").post("/documents", {
        "kind": "objective", "title": f"Objective {words}", "team": HR,
        "fields": objective_fields(1, status="amber", evidence=f"{words}\n\n- Eisteddfod\n- Gŵyl")}).json
    fire_all(api, doc, (("hr_lead", "screen"), ("hr_lead", "assess"), ("head", "approve")))


def structure(element):
    """(tag, children) for a structure element, its children being its structure elements."""
    kids = element.get("/K", [])
    kids = kids if isinstance(kids, pikepdf.Array) else [kids]
    return (str(element.S)[1:], [structure(kid) for kid in kids
                                 if isinstance(kid, pikepdf.Dictionary) and "/S" in kid])


def tags(node):
    yield node[0]
    for child in node[1]:
        yield from tags(child)


def find(node, tag):
    if node[0] == tag:
        yield node
    for child in node[1]:
        yield from find(child, tag)


def rows_of(table):
    return [[cell[0] for cell in row[1] if cell[0] in ("TH", "TD")] for row in find(table, "TR")]


def fonts(pdf):
    """Every font the pages use, a composite font by its descendant (the one with the glyphs)."""
    for page in pdf.pages:
        for font in page.Resources.get("/Font", {}).values():
            yield from font.DescendantFonts if font.Subtype == "/Type0" else [font]


def test_the_pdf_is_tagged_titled_in_english_and_carries_its_fonts(api):
    one_objective_saying(api, SAMPLE)
    data = report(api, "pdf").data
    pdf = pikepdf.open(io.BytesIO(data))
    root = pdf.Root
    assert root.MarkInfo.Marked is True and root.ViewerPreferences.DisplayDocTitle is True
    assert str(root.Lang) == "en"
    with pdf.open_metadata() as xmp:
        assert xmp["pdfuaid:part"] == "1"
        assert xmp["dc:title"] == "Corporate equalities objectives: progress 2007/08"

    document = structure(root.StructTreeRoot.K[0])
    assert document[0] == "Document"
    assert {"H1", "H2", "H3", "P", "L", "LI", "Table"} <= set(tags(document))
    [status_table] = find(document, "Table")  # one objective, no EqIA: the status table alone
    assert "Caption" in [child[0] for child in status_table[1]]
    # Column headings, then a row per strategic objective headed by its number (scope="row").
    assert rows_of(status_table) == [["TH", "TH", "TH"]] + [["TH", "TD", "TD"]] * len(STRATEGIC_2004)

    used = list(fonts(pdf))
    assert used and all({"/FontFile", "/FontFile2", "/FontFile3"} & set(font.FontDescriptor.keys())
                        for font in used)
    assert SAMPLE in "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def tagged_content(element, page=None):
    """(page, MCID) of every piece of content the structure tree holds under `element`."""
    page = element.get("/Pg", page)
    kids = element.get("/K", [])
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, int):
            yield page.objgen, kid
        elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield from tagged_content(kid, page)


def marked_content(page):
    """((page, MCID) of each marked piece of the page's content, how many texts it draws as artifacts)."""
    marked, artifact_texts, open_marks = set(), 0, []
    for operands, operator in pikepdf.parse_content_stream(page):
        operator = str(operator)
        if operator in ("BDC", "BMC"):
            open_marks.append(str(operands[0]))
            if operator == "BDC" and "/MCID" in operands[1]:
                marked.add((page.obj.objgen, int(operands[1].MCID)))
        elif operator == "EMC":
            open_marks.pop()
        elif operator in ("Tj", "TJ") and "/Artifact" in open_marks:
            artifact_texts += 1
    return marked, artifact_texts


def test_the_running_header_and_page_numbers_are_artifacts_and_all_else_is_in_the_tags(app):
    evidence = "Evidence, [linked](https://example.org/). " * 150  # pages of text, with links
    fields = {"period": "2007-08", "sections": [{"strategic": n, "title": f"Objective {n}", "status": "green",
                                                 "evidence": evidence} for n in (1, 2)]}
    pdf = pikepdf.open(io.BytesIO(printed(app, "Progress 2007/08", fields)))
    in_tree = set(tagged_content(pdf.Root.StructTreeRoot.K[0]))
    assert len(pdf.pages) > 2 and any("/Annots" in page for page in pdf.pages)
    for number, page in enumerate(pdf.pages, start=1):
        marked, artifact_texts = marked_content(page)
        assert marked and marked <= in_tree  # no content outside the tree, as a reader follows it
        assert artifact_texts >= (1 if number == 1 else 2)  # its number; after the first, the title too


def test_the_renderer_reads_the_apps_static_files_and_nothing_else(app):
    fetch = StaticOnly(app.static_folder, "/static").fetch
    assert b"@page" in fetch("http://localhost/static/style.css").read()
    for address in ("http://localhost/static/../web/__init__.py", "http://localhost/static/%2e%2e/run.py",
                    "http://169.254.169.254/latest/meta-data/", "file:///etc/passwd", "http://localhost/static/"):
        with pytest.raises(ValueError):
            fetch(address)


def test_a_worker_starts_without_loading_the_pdf_renderer(tmp_path):
    # WeasyPrint's import was a third of a worker's start to its first answer (py-spy at 250,000
    # documents on PostgreSQL, where the start has 5 s): it is loaded at the first PDF instead.
    script = ("import sys\nfrom web import create_app\ncreate_app()\n"
              "print(sorted(m for m in sys.modules if m.split('.')[0] == 'weasyprint'))")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "EQUALITY_STORE": str(tmp_path / "store")})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"
