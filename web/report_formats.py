"""The progress report written out in each format the pages and the API offer: the one writer for both."""
from flask import Response, current_app, render_template, request

from workflow import fields, reports
from workflow.errors import Invalid

FORMATS = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8",
           "pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}
FORMAT_WORDS = {"md": "Markdown", "html": "web page (HTML)", "pdf": "PDF", "csv": "spreadsheet (CSV)"}


def check_format(fmt):
    if fmt not in FORMATS:
        raise Invalid("There is no such format.",
                      {"format": "Select a format: " + fields.either(list(FORMAT_WORDS.values()))})
    return fmt


def _page(title, fields):
    """The report as one HTML document: the HTML download, and what the PDF prints."""
    return render_template("reports/standalone.html", title=title, blocks=reports.blocks(title, fields))


def respond(fmt, title, fields, filename):
    """The report in `fmt` (md, html, pdf, csv) as a response naming the file `filename`."""
    if fmt == "pdf":
        # Imported at the first PDF, not at start: WeasyPrint's import was a third of a worker's
        # start to its first answer (py-spy), and few requests ask for a PDF.
        from web.report_pdf import render_pdf

        body, disposition = render_pdf(_page(title, fields), request.url_root, current_app.static_folder,
                                       request.script_root + current_app.static_url_path), "inline"
    elif fmt == "csv":
        body, disposition = reports.to_csv(fields), "attachment"
    elif fmt == "html":
        body, disposition = _page(title, fields), "inline"
    else:
        body, disposition = reports.to_markdown(title, fields), "attachment"
    extension = "status.csv" if fmt == "csv" else fmt
    return Response(body, content_type=FORMATS[fmt],
                    headers={"Content-Disposition": f'{disposition}; filename="{filename}.{extension}"'})
