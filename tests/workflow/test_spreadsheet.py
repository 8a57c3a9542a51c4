"""One escaping function for every CSV cell: nothing a spreadsheet would run as a formula
gets out as one, numbers stay numbers, and plain text is written as it is."""
import csv
import io

import pytest

from tests.formula_payloads import PAYLOADS, runs_as_formula
from workflow import spreadsheet


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_formula_payload_is_written_as_text(payload):
    cell = spreadsheet.cell(payload)
    assert not runs_as_formula(cell) and cell == "'" + payload


@pytest.mark.parametrize("value", ["Recruitment policy", "A-level results", "e-mail", "2007-08 Q3", "", "'quoted",
                                   "Objective 1: Race Equality Scheme", "50%", "a=b"])
def test_plain_text_is_written_as_it_is(value):
    assert spreadsheet.cell(value) == value


@pytest.mark.parametrize("number", [-3, 0, 7, -1.5, 2.25])
def test_numbers_stay_numbers_and_negative_ones_readable(number):
    """A number is written as a number: only text can carry a formula."""
    [[written]] = csv.reader(io.StringIO("".join(spreadsheet.lines([[number]])).removeprefix(spreadsheet.BOM)))
    assert written == str(number)


def test_lines_write_each_row_with_every_cell_escaped():
    text = "".join(spreadsheet.lines([["Objective", "Title"], [1, "=1+1"], [None, "\t-2"]]))
    text = text.removeprefix(spreadsheet.BOM)
    assert list(csv.reader(io.StringIO(text))) == [["Objective", "Title"], ["1", "'=1+1"], ["", "'\t-2"]]
    assert text.endswith("\r\n")


def test_the_file_is_utf8_with_one_byte_order_mark_rfc_4180_quoting_and_crlf():
    """Excel reads a CSV without a BOM in the machine's code page: "£" would open as "Â£"."""
    data = "".join(spreadsheet.lines([["Title", "Note"], ["£5,000 – “x”…", 'say "no"\nthen']])).encode("utf-8")
    assert data == b'\xef\xbb\xbfTitle,Note\r\n"\xc2\xa35,000 \xe2\x80\x93 \xe2\x80\x9cx\xe2\x80\x9d\xe2\x80\xa6",' \
                   b'"say ""no""\nthen"\r\n'
