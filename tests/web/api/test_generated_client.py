"""A client generated from /api/v1/openapi.json by openapi-python-client (pinned in
requirements-dev.txt) works against a live server: its methods are named after the
operations, and the PDF report arrives as the very bytes the server sent."""
import csv
import importlib
import io
import json
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.web.api.test_reports_api import nine_objectives
from tests.workflow.test_reports_build import SEED_WORDS

PERIOD = "2007-08"
# openapi-python-client reads only application/octet-stream as bytes; it is told the PDF is too.
CONFIG = "content_type_overrides:\n  application/pdf: application/octet-stream\npost_hooks: []\n"


@pytest.fixture
def app_config():
    return {}  # one backend is enough: the API's answers are the same on both (tests/web/api)


@pytest.fixture
def live(app):
    """(base URL of the app served over HTTP, {path: the body bytes the server sent})."""
    sent = {}

    def recording(environ, start_response):
        body = b"".join(app.wsgi_app(environ, start_response))
        sent.setdefault(environ["PATH_INFO"], []).append(body)
        return [body]

    server = make_server("127.0.0.1", 0, recording, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", sent
    server.shutdown()
    thread.join()


@pytest.fixture
def generated(live, tmp_path, monkeypatch):
    """The client package generated from the live server's OpenAPI document, imported."""
    base, _ = live
    with urllib.request.urlopen(f"{base}/api/v1/openapi.json") as answer:
        (tmp_path / "openapi.json").write_text(json.dumps(json.load(answer)))
    (tmp_path / "config.yaml").write_text(CONFIG)
    tool = Path(sys.executable).parent / "openapi-python-client"
    made = subprocess.run([str(tool), "generate", "--path", "openapi.json", "--config", "config.yaml",
                           "--output-path", "equality_client", "--meta", "none"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0 and "Warning" not in made.stdout + made.stderr, made.stdout + made.stderr
    monkeypatch.syspath_prepend(str(tmp_path))
    yield importlib.import_module("equality_client")
    for name in [name for name in sys.modules if name.split(".")[0] == "equality_client"]:
        del sys.modules[name]


def module(package, name):
    return importlib.import_module(f"{package.__name__}.{name}")


def test_a_generated_client_reads_documents_and_downloads_the_pdf_byte_for_byte(api, cast, live, generated):
    nine_objectives(api)
    base, sent = live
    client = generated.AuthenticatedClient(base_url=f"{base}/api/v1", token=cast["head"])  # who writes reports
    assert module(generated, "api.account.me").sync(client=client).name == "head"
    kind = module(generated, "models.list_documents_kind").ListDocumentsKind("objective")
    listed = module(generated, "api.documents.list_documents").sync(client=client, kind=kind)
    assert listed.total == 9
    first = module(generated, "api.documents.get_document").sync(client=client, id=listed.items[0].id)
    assert first.title == listed.items[0].title

    report = module(generated, "api.reports.progress_report")
    formats = module(generated, "models.report_format").ReportFormat
    pdf = report.sync(client=client, period=PERIOD, format_=formats.PDF).payload.read()
    [sent_pdf] = sent["/api/v1/reports/progress"]
    assert pdf == sent_pdf and pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")

    status_csv = report.sync(client=client, period=PERIOD, format_=formats.CSV).payload.read()
    assert status_csv == sent["/api/v1/reports/progress"][1]
    rows = list(csv.reader(io.StringIO(status_csv.decode("utf-8-sig"))))
    assert status_csv.startswith(b"\xef\xbb\xbf") and [row[2] for row in rows[1:]] == list(SEED_WORDS.values())
