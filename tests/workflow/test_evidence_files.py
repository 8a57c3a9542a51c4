"""Which uploaded files are accepted as evidence, and the record kept of each."""
import base64
import hashlib
import io
import zipfile

import pytest

from tests.conftest import RDU
from workflow import documents, evidence_files
from workflow.errors import Invalid
from workflow.evidence_files import FIELD, MAX_BYTES, TooLarge
from workflow.kinds import standard_cell
from workflow.users import User

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
HTML = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"


def _zip(entries, stored_first=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if stored_first:
            archive.writestr(zipfile.ZipInfo(stored_first[0]), stored_first[1])  # stored, not compressed
        for name, body in entries.items():
            archive.writestr(name, body, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
XLSX = _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
ODT = _zip({"content.xml": "<office:document-content/>"},
           stored_first=("mimetype", "application/vnd.oasis.opendocument.text"))


@pytest.mark.parametrize("name, data, content_type", [
    ("Equality scheme.pdf", PDF, "application/pdf"),
    ("chart.PNG", PNG, "image/png"),
    ("photo.jpeg", JPEG, "image/jpeg"),
    ("photo.jpg", JPEG, "image/jpeg"),
    ("minutes.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("monitoring.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("report.odt", ODT, "application/vnd.oasis.opendocument.text"),
    ("notes.txt", "Équalité: the EODB's minutes\n".encode(), "text/plain; charset=utf-8"),
    ("figures.csv", b"\xef\xbb\xbfteam,staff\nHR,12\r\n", "text/csv; charset=utf-8"),
])
def test_a_file_whose_contents_match_its_allowed_extension_is_accepted(name, data, content_type):
    assert evidence_files.check(name, data) == (name.rsplit(".", 1)[0] + "." + name.rsplit(".", 1)[1].lower(),
                                                content_type)


@pytest.mark.parametrize("name, data", [
    ("chart.png", PDF),  # a PDF renamed .png
    ("scheme.pdf", HTML),  # a web page renamed .pdf
    ("minutes.docx", XLSX),  # a spreadsheet is not a Word document
    ("minutes.docx", b"PK\x03\x04 not really a zip"),
    ("report.odt", _zip({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"})),
    ("notes.txt", HTML),  # markup is refused even as text
    ("notes.txt", b"  <svg onload=alert(1)>"),
    ("figures.csv", b"team,staff\n\x00\x01binary"),
    ("figures.csv", b"\xff\xfe not UTF-8"),
])
def test_a_file_whose_contents_do_not_match_its_name_is_refused(name, data):
    with pytest.raises(Invalid) as refused:
        evidence_files.check(name, data)
    assert "is not a" in refused.value.details[FIELD]


@pytest.mark.parametrize("name", ["page.html", "drawing.svg", "script.js", "old.doc", "archive.zip", "noextension"])
def test_a_type_that_is_not_allowed_is_refused_whatever_it_holds(name):
    with pytest.raises(Invalid) as refused:
        evidence_files.check(name, PDF)
    assert refused.value.details[FIELD].startswith("The file must be one of these kinds: PDF, Word (.docx)")


def test_a_file_over_the_size_limit_is_refused_as_too_large_and_an_empty_one_as_empty():
    evidence_files.check("big.pdf", PDF + b"0" * (MAX_BYTES - len(PDF)))  # exactly the limit is fine
    with pytest.raises(TooLarge) as refused:
        evidence_files.check("big.pdf", PDF + b"0" * (MAX_BYTES + 1 - len(PDF)))
    assert refused.value.status == 413 and "1 MB" in refused.value.reason
    with pytest.raises(Invalid) as refused:
        evidence_files.check("empty.pdf", b"")
    assert refused.value.details[FIELD] == "The file is empty: choose a file with something in it"


@pytest.mark.parametrize("raw, cleaned", [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("C:\\Users\\lee\\Desktop\\Equality scheme.PDF", "Equality scheme.pdf"),
    ('"><img src=x onerror=alert(1)>.pdf', "___img src_x onerror_alert(1)_.pdf"),
    ("report\r\nSet-Cookie: x=1.pdf", "reportSet-Cookie_ x_1.pdf"),
    ("  .hidden.pdf", "hidden.pdf"),
    (".pdf", "pdf"),
    ("", "evidence"),
    ("a" * 300 + ".pdf", "a" * (evidence_files.MAX_NAME - 4) + ".pdf"),
    ("Égalité – 2007.pdf", "Égalité _ 2007.pdf"),
])
def test_names_are_sanitised_to_a_plain_file_name_keeping_the_extension(raw, cleaned):
    assert evidence_files.safe_name(raw) == cleaned


def test_the_record_keeps_the_bytes_their_digest_and_the_cell_it_belongs_to():
    stored = evidence_files.record("../scheme.pdf", PDF, "7", "rdu_lead", "2007-05-01T10:00:00+00:00")
    assert {key: stored[key] for key in ("name", "content_type", "size", "uploaded_by", "document")} == {
        "name": "scheme.pdf", "content_type": "application/pdf", "size": len(PDF), "uploaded_by": "rdu_lead",
        "document": "7"}
    assert stored["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert base64.b64decode(stored["data"]) == PDF == evidence_files.content(stored)
    assert evidence_files.new_key() != evidence_files.new_key()


LEAD = User("rdu_lead", roles=frozenset({"team_leader"}), teams=frozenset({RDU}))


def test_an_uploaded_file_is_a_fourth_kind_of_evidence_for_a_cell():
    fields = {"level": 1, "area": "leadership", "requirements": "r", "self_assessed": "met",
              "evidence": [{"description": "The scheme", "file": evidence_files.new_key()}]}
    doc, _ = documents.create(LEAD, standard_cell.NAME, "Level 1", RDU, fields)
    doc.update(id="1", version=1)
    assert documents.transition(doc, LEAD, "screen")[0]["state"] == "screened"
    assert evidence_files.referenced(doc["fields"]) == [fields["evidence"][0]["file"]]
    with pytest.raises(Invalid) as refused:
        documents.create(LEAD, standard_cell.NAME, "Level 1", RDU, {"evidence": [{"file": "../x"}]})
    assert refused.value.details == {"fields.evidence.0.file": "Choose a file uploaded to this cell"}


@pytest.mark.parametrize("size, words", [(10, "10 bytes"), (2048, "2 KB"), (MAX_BYTES, "1 MB"), (1_300_000, "1.2 MB")])
def test_sizes_are_given_as_people_read_them(size, words):
    assert evidence_files.size_words(size) == words
