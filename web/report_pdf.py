"""The progress report as a tagged PDF (PDF/UA-1): WeasyPrint prints the same HTML the
report's page and its HTML download show, with the site's stylesheet (its print rules
set the page, the running header, page numbers and an embedded Unicode font)."""
import logging
import mimetypes
from pathlib import Path
from urllib.parse import urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The stylesheet is the site's: WeasyPrint warns, on every report, of the screen rules it
# does not know (width media queries, overflow-x). Its errors (no lang, no title) still show.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


class StaticOnly(URLFetcher):
    """Hands the renderer the app's own static files and nothing else: a report's text
    cannot make the server fetch another address (or a file outside static/)."""

    def __init__(self, static_folder, static_path):
        super().__init__(allowed_protocols=("http", "https"))
        self.static_folder = Path(static_folder).resolve()
        self.static_path = static_path.rstrip("/") + "/"

    def fetch(self, url, headers=None):
        path = urlsplit(url).path
        if not path.startswith(self.static_path):
            raise ValueError(f"not a static file: {url}")
        wanted = (self.static_folder / path.removeprefix(self.static_path)).resolve()
        if not wanted.is_file() or self.static_folder not in wanted.parents:
            raise ValueError(f"not a static file: {url}")
        kind = mimetypes.guess_type(wanted.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, wanted.read_bytes(), headers={"Content-Type": kind})


def _target(pdf, reference):
    return pdf.objects[int(reference.split()[0])]


def _tagged(pdf, element, found):
    """The ids of the structure elements under `element` (itself included), into `found`."""
    found.add(id(element))
    for kid in element["K"]:
        if isinstance(kid, bytes) and _target(pdf, kid).get("Type") == "/StructElem":
            _tagged(pdf, _target(pdf, kid), found)
    return found


def margins_as_artifacts(document, pdf):
    """A finisher for WeasyPrint's write_pdf: the page margins (running header, page number)
    become artifacts, which PDF/UA asks of page furniture. WeasyPrint 70 marks their text
    as content of structure elements it leaves out of the tree (its issue #1836), which a
    validator counts as content neither tagged nor an artifact."""
    root = _target(pdf, pdf.catalog["StructTreeRoot"])
    in_tree = _tagged(pdf, _target(pdf, root["K"][0]), set())
    nums = _target(pdf, root["ParentTree"])["Nums"]
    for page_number, elements in zip(nums[::2], nums[1::2]):
        if not isinstance(elements, list):
            continue  # a link's entry (one element), not a page's marked content
        loose = {mcid for mcid, element in enumerate(elements) if id(_target(pdf, element)) not in in_tree}
        page = _target(pdf, pdf.page_references[page_number])
        _unmark(_target(pdf, page["Contents"]).stream, loose)


def _unmark(operations, mcids):
    """`/Tag <</MCID n>> BDC` for each n of `mcids` becomes `/Artifact BMC` (the EMC stays)."""
    for i in range(len(operations) - 2, 0, -1):
        properties = operations[i]
        if operations[i + 1] == b"BDC" and isinstance(properties, dict) and properties.get("MCID") in mcids:
            operations[i - 1:i + 2] = ["/Artifact", b"BMC"]


def render_pdf(html, base_url, static_folder, static_path):
    """The report's HTML page (a whole document, with <title> and lang) printed as PDF/UA-1 bytes."""
    fetcher = StaticOnly(static_folder, static_path)
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(
        pdf_variant="pdf/ua-1", finisher=margins_as_artifacts)
