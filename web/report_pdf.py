"""The progress report as a paginated A4 PDF (reportlab platypus), written from
the same blocks as the Markdown and HTML formats."""
import io
import re

import markdown as md
import nh3
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from workflow.reports import blocks

# Light fills with dark text: the word in the cell carries the meaning, the fill only echoes it.
FILLS = {"red": "#fdeaec", "amber": "#fff3d6", "amber_green": "#f1f6d8", "green": "#e9f5ee"}
_ITEM = re.compile(r"^\s*(?:[-*+]|([0-9]+)[.)])\s+(.*)$")
_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
# A table row cannot break across pages: a cell is cut to what fits one page in its column.
CELL_LIMIT = 600
MARGIN = 20 * mm
TEXT_WIDTH = A4[0] - 2 * MARGIN


def _styles():
    sheet = getSampleStyleSheet()
    return {"title": sheet["Title"], 2: sheet["Heading2"], 3: sheet["Heading3"], 4: sheet["Heading4"],
            5: ParagraphStyle("Heading5", parent=sheet["Heading4"], fontSize=10),
            "body": sheet["BodyText"], "item": ParagraphStyle("Item", parent=sheet["BodyText"], leftIndent=12),
            "cell": ParagraphStyle("Cell", parent=sheet["BodyText"], fontSize=9, leading=11)}


def _inline(text):
    """Markdown inline markup to plain text, escaped for a reportlab Paragraph."""
    html = md.markdown(text)
    return nh3.clean(html, tags=set()).strip()


def _paragraphs(text, styles):
    """Markdown to flowables, reasonably: paragraphs, list items with their
    marks, and sub-headings; inline markup is dropped."""
    flowables = []
    for block in re.split(r"\n\s*\n", text or ""):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        heading = _HEADING.match(lines[0])
        if heading and len(lines) == 1:
            flowables.append(Paragraph(_inline(heading[1]), styles[5]))
        elif all(_ITEM.match(line) for line in lines):
            for line in lines:
                number, words = _ITEM.match(line).groups()
                flowables.append(Paragraph(f"{number + '.' if number else '•'} {_inline(words)}", styles["item"]))
        else:
            flowables.append(Paragraph(_inline(" ".join(lines)), styles["body"]))
    return flowables


def _cut(text):
    return text if len(text) <= CELL_LIMIT else text[:CELL_LIMIT - 1] + "…"


def _table(block, styles):
    cell = styles["cell"]
    data = [[Paragraph(f"<b>{_inline(h)}</b>", cell) for h in block["header"]]]
    data += [[Paragraph(_inline(_cut(str(value))), cell) for value in row] for row in block["rows"]]
    # Widths are always given: left to measure its cells, reportlab widens a column to its
    # longest word and gives the others a negative width (a ValueError, not a layout).
    widths = [25 * mm, 110 * mm, 35 * mm] if len(block["header"]) == 3 and block["statuses"] \
        else [TEXT_WIDTH / len(block["header"])] * len(block["header"])
    table = Table(data, colWidths=widths, repeatRows=1)
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f2f1"))]
    for i, status in enumerate(block["statuses"] or [], start=1):
        if status in FILLS:
            style.append(("BACKGROUND", (-1, i), (-1, i), colors.HexColor(FILLS[status])))
    table.setStyle(TableStyle(style))
    return [table, Spacer(1, 6)]


def _footer(canvas, doc):
    canvas.saveState()
    canvas.setFont("Helvetica", 9)
    canvas.drawCentredString(A4[0] / 2, 12 * mm, f"Page {doc.page}")
    canvas.restoreState()


def render_pdf(title, fields):
    """The report as PDF bytes."""
    styles, story = _styles(), []
    for block in blocks(title, fields):
        kind = block["type"]
        if kind == "heading":
            style = styles["title"] if block["level"] == 1 else styles[block["level"]]
            story.append(Paragraph(_inline(block["text"]), style))
        elif kind == "meta":
            story += [Paragraph(_inline(line), styles["body"]) for line in block["lines"]]
        elif kind == "text":
            story += _paragraphs(block["text"], styles)
        elif kind == "status":
            story.append(Paragraph(f"<b>Status: {_inline(block['word'])}</b>", styles["body"]))
        else:
            story += _table(block, styles)
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=title, author="Equality governance",
                      leftMargin=MARGIN, rightMargin=MARGIN, topMargin=20 * mm,
                      bottomMargin=22 * mm).build(story, onFirstPage=_footer, onLaterPages=_footer)
    return out.getvalue()
