"""Every CSV the product writes goes through here: formula-safe, RFC 4180, and readable by Excel.

The file is UTF-8 with a byte order mark first (without it Excel on a UK machine reads
"£" as "Â£" and "–" as "â€“"), fields quoted as RFC 4180 says (only where a comma, a
quote or a line break needs it, quotes doubled) and every line ended with CRLF.

A spreadsheet runs a cell starting with = + - or @ as a formula (OWASP "CSV Injection":
=HYPERLINK can send the sheet's data away, =cmd|... runs a program in old Excel), and
reads a tab, carriage return or NUL at the start, or spaces before a formula, the same
way once it trims them. Such a cell is written with a leading apostrophe, which spreadsheets
show as text. Numbers (ints and floats, not text that looks like one) are written as
numbers, so a negative number stays readable as a number.
"""
import csv
import io

_FORMULA = ("=", "+", "-", "@")
_LEADING = ("\t", "\r", "\x00")  # escaped at the start of a cell whatever follows (ASVS 5.0 V1.2.10)
_TRIMMED = " \t\r\n"
BOM = "\ufeff"  # written once, before the first line; encoded as UTF-8 it is b"\xef\xbb\xbf"


def cell(value):
    """`value` as a CSV cell a spreadsheet shows as written."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    if text[:1] in _LEADING or text.lstrip(_TRIMMED)[:1] in _FORMULA:
        return "'" + text
    return text


def lines(rows):
    """The CSV text of `rows`, one line at a time (so a long list streams out), the byte
    order mark first: served as UTF-8, these lines are the whole file."""
    yield BOM
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        out.seek(0)
        out.truncate()
        writer.writerow([cell(value) for value in row])
        yield out.getvalue()
