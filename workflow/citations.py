"""Figures of monitoring datasets cited as evidence: by an objective's progress entry (its
`figures`) and by an EqIA's full assessment (`full_assessment.figures`, beside its evidence).

A citation is {"dataset": ID, "measure", "period", "strand", "group"}. What a reader sees of a
cited figure is worked out from the dataset as that reader sees it (workflow.policy.view): a
count suppressed for them stays suppressed, and a dataset they may not see is not named.
"""
from functools import partial

from workflow import fields as f
from workflow import monitoring, numbers

MAX_CITED = 50  # figures one entry or assessment cites
KEYS = ("dataset", "measure", "period", "strand", "group")


def _dataset(path, value):
    return {} if numbers.is_id(value) else {path: "Give the dataset by its number, written as text"}


SPEC = {"dataset": _dataset, "measure": partial(f.one_line, limit=100),
        "period": partial(f.one_line, limit=100), "strand": partial(f.one_line, limit=100),
        "group": partial(f.one_line, limit=100)}


def check(path, value):
    """The form of a list of citations: {path: message} for what is wrong."""
    if not isinstance(value, list) or len(value) > MAX_CITED:
        return {path: f"Cite at most {MAX_CITED} figures, as a list"}
    errors = {}
    for i, item in enumerate(value):
        if not isinstance(item, dict) or set(item) != set(KEYS):
            errors[f"{path}.{i}"] = "Give the dataset, measure, period, strand and group of each figure cited"
        else:
            errors.update(f.record(f"{path}.{i}", item, SPEC))
    return errors


def of(doc):
    """Every citation in `doc`'s fields: [(the path of its list in the fields, citation)]."""
    fields = doc.get("fields") or {}
    if doc.get("kind") == "eqia":
        return [("full_assessment.figures", c) for c in (fields.get("full_assessment") or {}).get("figures") or []]
    if doc.get("kind") == "objective":
        return [(f"progress.{i}.figures", c) for i, entry in enumerate(fields.get("progress") or [])
                for c in entry.get("figures") or []]
    return []


def added(before, after):
    """[(path, citation)] in `after` (a document) that `before` (None for a new one) did not cite."""
    had = {key(c) for _, c in of(before)} if before else set()
    return [(path, c) for path, c in of(after) if key(c) not in had]


def key(citation):
    return tuple(citation.get(k) for k in KEYS)


def shown(citation, dataset_view, flag_ratio=monitoring.FLAG_RATIO):
    """What a reader sees of `citation`: with `dataset_view` None (they may not see the dataset),
    only that it is a dataset they cannot see; else its title, the figure as they may see it
    (None if the dataset no longer has it) and its anchor on the dataset's page."""
    if dataset_view is None:
        return {"hidden": True, **{k: citation[k] for k in KEYS if k != "dataset"}}
    figure = monitoring.find(monitoring.tables_of(dataset_view, flag_ratio), citation)
    return {"hidden": False, **citation, "title": dataset_view["title"], "anchor": monitoring.anchor(citation),
            "figure": figure}


def candidates(dataset_views, flag_ratio=monitoring.FLAG_RATIO):
    """Every figure of the datasets a writer sees, each {citation, title, figure}: the flagged
    ones first (the issue: "a flagged figure can be cited"), then in each dataset's reading order."""
    found = [{"citation": {"dataset": view["id"], "measure": table.measure, "period": table.period,
                           "strand": table.strand, "group": figure.group},
              "title": view["title"], "figure": figure}
             for view in dataset_views for table in monitoring.tables_of(view, flag_ratio) for figure in table.figures]
    return [c for c in found if c["figure"].flagged] + [c for c in found if not c["figure"].flagged]


def value(citation):
    """A citation as one form value: its dataset, then its anchor on the dataset's page."""
    return f"{citation['dataset']}/{monitoring.anchor(citation)}"
