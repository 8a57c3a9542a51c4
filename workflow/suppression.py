"""Publishing monitoring counts without identifying anyone (statistical disclosure control). Pure.

A table is the counts of one (measure, period, strand): one count a group. Readers outside the
owning team (policy.as_seen) see each table with:

- primary suppression: every count below the threshold (zero too: "none of the 3 Disabled
  applicants was appointed" tells as much as a count of 3) is withheld;
- secondary suppression: a table with a withheld count has at least two withheld counts that
  together come to at least the threshold, so none can be worked out from the table's total
  and the published counts (the smallest published counts are withheld until that holds);
- the table's total, published where some counts are withheld, so shares can still be given.
  It is withheld only when it is itself below the threshold (then every count is too).

Why the total is assumed known: the same people are counted once per strand (applicants by
ethnicity, by sex, ...), so a total withheld in one strand's table could be read off another
strand's table that needed no suppression. Each table is therefore made safe with its total
known, which holds whatever other tables publish.

What a reader knows is taken to be those equations (each table's counts add up to its total, the
same for every strand). The order of a pipeline's stages (no group has more appointed than
shortlisted) bounds a suppressed count without being an equation, and is not modelled.
"""
from workflow.kinds.monitoring_dataset import ROW_KEYS

THRESHOLD = 5
TABLE_KEYS = ("measure", "period", "strand")


def table_of(row):
    """The (measure, period, strand) a row's count belongs to."""
    return tuple(row[key] for key in TABLE_KEYS)


def withheld(counts, threshold=THRESHOLD):
    """The positions of `counts` (one table's) to withhold: primary, then secondary suppression."""
    hidden = {i for i, count in enumerate(counts) if count < threshold}
    if not hidden:
        return hidden
    # Smallest first: the least information lost for the protection gained.
    for i in sorted(range(len(counts)), key=lambda i: (counts[i], i)):
        if len(hidden) >= 2 and sum(counts[j] for j in hidden) >= threshold:
            break
        hidden.add(i)
    return hidden


def suppress(rows, threshold=THRESHOLD):
    """(rows as published — `count` None where withheld —, totals: one
    {"measure", "period", "strand", "count"} for each table with a withheld count, `count`
    None where the total is withheld too). Rows keep their order."""
    tables = {}
    for i, row in enumerate(rows):
        tables.setdefault(table_of(row), []).append(i)
    published = [dict(row) for row in rows]
    totals = []
    for key, positions in tables.items():
        counts = [rows[i]["count"] for i in positions]
        hidden = withheld(counts, threshold)
        for j in hidden:
            published[positions[j]]["count"] = None
        if hidden:
            total = sum(counts)
            totals.append({**dict(zip(TABLE_KEYS, key)), "count": total if total >= threshold else None})
    return published, totals


def redacted(fields, threshold=THRESHOLD):
    """A monitoring dataset's fields as readers outside the owning team see them: rows
    suppressed, and `totals` (see suppress) beside them. Fields already redacted (they carry
    `totals`, which no team can write: the kind refuses it) are returned as they are."""
    if "totals" in fields:
        return fields
    rows = [{key: row.get(key) for key in ROW_KEYS} for row in fields.get("rows") or []]
    published, totals = suppress(rows, threshold)
    return {**fields, "rows": published, "totals": totals}
