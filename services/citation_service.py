"""Figures of monitoring datasets cited by objectives' progress entries and EqIAs (workflow.citations):
checked when saved (the figure is in a dataset the writer may see), shown to each reader as they may
see the dataset, offered to writers with the flagged figures first, and saved from the page that adds them."""
from services import settings_service
from workflow import citations, monitoring, policy
from workflow.errors import Invalid, NotFound
from workflow.kinds import monitoring_dataset

NOT_FOUND = ("There is no such figure in a monitoring dataset you can see: choose the figures from the list")


def check_added(load, user, before, after):
    """Invalid unless each figure `after` cites that `before` did not is in a monitoring dataset
    `user` may see, as they see it; `load(id)`: the stored document or None. A citation kept from
    before stays, so one made by someone who could see the dataset survives others' edits."""
    errors = {}
    for path, citation in citations.added(before, after):
        view = _dataset_view(load(citation["dataset"]), user)
        if view is None or monitoring.find(monitoring.tables_of(view), citation) is None:
            errors[f"fields.{path}"] = NOT_FOUND
    if errors:
        raise Invalid("A figure cited is not in a monitoring dataset you can see.", errors)


def _dataset_view(dataset, user):
    if dataset is None or dataset["kind"] != monitoring_dataset.NAME:
        return None
    return policy.view(dataset, user)


class Citations:
    def __init__(self, documents):
        self.documents = documents

    def _flag_ratio(self):
        return settings_service.monitoring_publication(self.documents.store)["flag_ratio"]

    def shown(self, doc, user):
        """{path of the citing list: [each cited figure as `user` may see it (citations.shown)]}."""
        found = {}
        for path, citation in citations.of(doc):
            view = _dataset_view(self.documents.stored(citation["dataset"]), user)
            found.setdefault(path, []).append(citations.shown(citation, view, self._flag_ratio()))
        return found

    def candidates(self, user):
        """The figures `user` may cite, flagged ones first (citations.candidates)."""
        return citations.candidates(self.documents.search(user, kind=monitoring_dataset.NAME), self._flag_ratio())

    def place(self, doc, period=None):
        """(path of the list of citations on `doc`, the citations there): an EqIA's full assessment,
        or the progress entry of `period` of an objective; NotFound for anything else."""
        if doc["kind"] == "eqia":
            return "full_assessment.figures", list((doc["fields"].get("full_assessment") or {}).get("figures") or [])
        entries = doc["fields"].get("progress") or [] if doc["kind"] == "objective" else []
        for i, entry in enumerate(entries):
            if entry.get("period") == period:
                return f"progress.{i}.figures", list(entry.get("figures") or [])
        raise NotFound("There is no progress entry for that period: write the entry first, then cite figures in it.")

    def save(self, doc_id, user, version, period, chosen, offered):
        """Cite the figures `chosen` (citations.value of each) among those `offered` on the page;
        what was cited and not offered stays."""
        doc, _ = self.documents.read(doc_id, user)
        path, cited = self.place(doc, period)
        by_value = {citations.value(c["citation"]): c["citation"] for c in self.candidates(user)}
        unknown = [v for v in chosen if v not in by_value]
        if unknown:
            raise Invalid("A figure chosen is not in a monitoring dataset you can see.", {"figures": NOT_FOUND})
        kept = [c for c in cited if citations.value(c) not in offered]
        new = kept + [by_value[v] for v in dict.fromkeys(chosen) if by_value[v] not in kept]
        return self.documents.edit(doc_id, user, version, None, _changes(doc, path, new))


def _changes(doc, path, cited):
    """The fields' changes that put `cited` at `path`."""
    fields = doc["fields"]
    if path == "full_assessment.figures":
        full = {**(fields.get("full_assessment") or {}), "figures": cited}
        return {"full_assessment": {k: v for k, v in full.items() if v}}
    index = int(path.split(".")[1])
    progress = [dict(entry) for entry in fields["progress"]]
    progress[index]["figures"] = cited
    if not cited:
        del progress[index]["figures"]
    return {"progress": progress}
