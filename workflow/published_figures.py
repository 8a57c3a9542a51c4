"""The figures of the monitoring datasets on the public register: each dataset's tables and the
CSV of every published figure (/register/monitoring.csv). Pure.

Worked out only from what the public sees of each dataset (policy.view, through
workflow.register), so every small count arrives already suppressed and every share and rate is
computed from the unsuppressed counts and published totals alone (workflow.monitoring.analyse).
"""
from workflow import monitoring, spreadsheet, strands

CSV_HEADER = ["dataset", "dataset_title", "team", "measure", "period", "strand", "group", "count", "suppressed",
              "table_total", "share", "stage_rate", "relative_rate", "flagged", "url"]
PLACES = 4  # rates to four decimal places: 0.8333, as a spreadsheet would show a ratio


def to_csv(pairs, url_of, flag_ratio=monitoring.FLAG_RATIO):
    """One line per published figure of every dataset among `pairs` ([(stored, shown)]: the register's),
    line by line; `url_of(shown, figure address)` gives the figure's public address."""
    def rows():
        yield CSV_HEADER
        for _, shown in sorted(pairs, key=lambda pair: int(pair[1]["id"])):
            if shown["kind"] != "monitoring":
                continue
            for table in monitoring.tables_of(shown, flag_ratio):
                for figure in table.figures:
                    yield _line(shown, table, figure, url_of)
    return spreadsheet.lines(rows())


def _line(shown, table, figure, url_of):
    address = {"dataset": shown["id"], "measure": table.measure, "period": table.period, "strand": table.strand,
               "group": figure.group}
    return [shown["id"], shown["title"], shown["team"], table.measure, table.period,
            strands.LABELS.get(table.strand, table.strand), figure.group, figure.count,
            "yes" if figure.suppressed else "no", table.total, _rounded(figure.share), _rounded(figure.stage_rate),
            _rounded(figure.relative_rate), "yes" if figure.flagged else "no", url_of(shown, address)]


def _rounded(rate):
    return None if rate is None else round(rate, PLACES)
