"""Reading a monitoring dataset's counts from CSV: the columns measure,period,strand,group,count,
one count a line. All or nothing: every bad line is named by its number, and no rows come back
while any line is bad.

Known measures and groups are stored in their house spelling (workflow.monitoring); a strand is
written as its code ("religion_belief") or its name ("Religion or belief"), in any case.
"""
import csv
import io

from workflow import fields, numbers, periods, strands
from workflow.errors import Invalid
from workflow.kinds import monitoring_dataset
from workflow.monitoring import canonical_group, canonical_measure

COLUMNS = ("measure", "period", "strand", "group", "count")
HEADER = "The first line names the columns: measure,period,strand,group,count"
REFUSED = "The file has mistakes, so nothing was imported: correct each line named and upload it again"
_STRAND_BY_WORD = {word.casefold(): code for code in strands.ALL for word in (code, strands.LABELS[code])}


def decode(data):
    """The file's text, a UTF-8 byte-order mark (as Excel writes one) left out; Invalid for any other encoding."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise Invalid(REFUSED, {"file": "The file is UTF-16 text: save it as CSV UTF-8 and upload it again"})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid(REFUSED, {"file": "The file is not UTF-8 text: save it as CSV UTF-8 and upload it again"}) \
            from None
    if "\x00" in text:
        raise Invalid(REFUSED, {"file": "The file is not a CSV file: it holds binary data"})
    return text


def parse(data, strand_set):
    """The rows of the CSV file `data` (bytes), each strand one of `strand_set` (a strands.StrandSet);
    Invalid with {"line N": what is wrong} for every bad line, or {"file": ...} if it cannot be read."""
    reader = csv.reader(io.StringIO(decode(data), newline=""))
    rows, bad, first_line, header, ended = [], {}, {}, None, 0
    try:
        for cells in reader:
            # a quoted value may span lines: a row is named by the line it starts on
            line, ended = f"line {ended + 1}", reader.line_num
            if not any(cell.strip() for cell in cells):
                continue  # blank lines between counts are not mistakes
            if header is None:
                header = _header(cells, line)
                continue
            try:
                row = _row(cells, header, strand_set)
            except Invalid as exc:
                bad[line] = exc.reason
                continue
            key = (row["measure"].casefold(), row["period"], row["strand"], row["group"].casefold())
            if key in first_line:
                bad[line] = f"It repeats the count of {first_line[key]}: give each group's count once"
            else:
                first_line[key] = line
                rows.append(row)
    except csv.Error as exc:
        bad[f"line {ended + 1}"] = f"It cannot be read as CSV ({exc})"
    if header is None and not bad:
        raise Invalid(REFUSED, {"file": f"The file is empty. {HEADER}"})
    if len(rows) > monitoring_dataset.MAX_ROWS:
        bad["file"] = f"A dataset holds at most {monitoring_dataset.MAX_ROWS:,} counts: split the file into several"
    if bad:
        raise Invalid(REFUSED, bad)
    return rows


def _header(cells, line):
    """Where each column is; the columns may come in any order, each once."""
    names = [cell.strip().lower() for cell in cells]
    if sorted(names) != sorted(COLUMNS):
        raise Invalid(REFUSED, {line: f"{HEADER}, each once and nothing else"})
    return {column: names.index(column) for column in COLUMNS}


def _row(cells, header, strand_set):
    """One count, its names in their house spelling; Invalid naming every mistake on the line."""
    if len(cells) != len(COLUMNS):
        raise Invalid(f"It has {len(cells)} values, but each line has {len(COLUMNS)}: "
                      "a measure, period, strand, group and count")
    value = {column: cells[i].strip() for column, i in header.items()}
    strand = _STRAND_BY_WORD.get(value["strand"].casefold())
    mistakes = [*_named(value, "measure"), *_named(value, "group")]
    if periods.check("period", value["period"]):
        mistakes.append(f"Write the period like 2007-08 or 2007-08 Q3, from {periods.RANGE}: "
                        f"not {_quoted(value['period'])}")
    if strand is None:
        mistakes.append(f"Write the strand as one of {strand_set.listed()}: "
                        f"not {_quoted(value['strand'])}")
    elif strand not in strand_set:
        mistakes.append(f"The strand {strands.LABELS[strand]} is not one of this dataset's strands "
                        f"({strand_set.listed()})")
    count = numbers.whole(value["count"], 0, monitoring_dataset.MAX_COUNT)
    if count is None:
        mistakes.append(f"Write the count as a whole number from 0 to {monitoring_dataset.MAX_COUNT:,}: "
                        f"not {_quoted(value['count'])}")
    if mistakes:
        raise Invalid(". ".join(mistakes))
    return {"measure": canonical_measure(value["measure"]), "period": value["period"], "strand": strand,
            "group": canonical_group(strand, value["group"]), "count": count}


def _named(value, column):
    """What is wrong with the line's measure or group ("Enter a group"), if anything."""
    return list(fields.one_line(column, value[column], limit=100).values())


def _quoted(text):
    return f'"{fields.flattened(text)[:40]}"' if text else "blank"
