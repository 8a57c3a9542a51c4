"""The progress report as a tagged PDF (PDF/UA-1): WeasyPrint prints the same HTML the
report's page and its HTML download show, with the site's stylesheet (its print rules
set the page, the running header, page numbers and an embedded Unicode font)."""
import mimetypes
from pathlib import Path
from urllib.parse import urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse


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


def render_pdf(html, base_url, static_folder, static_path):
    """The report's HTML page (a whole document, with <title> and lang) printed as PDF/UA-1 bytes."""
    fetcher = StaticOnly(static_folder, static_path)
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(pdf_variant="pdf/ua-1")
