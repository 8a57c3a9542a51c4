"""Refusals the domain can give, each mapped to one HTTP status by the web layer."""


class WorkflowError(Exception):
    """Base class: `reason` is a sentence for people, `details` a mapping for clients."""

    status = 400

    def __init__(self, reason, details=None):
        super().__init__(reason)
        self.reason = reason
        self.details = details or {}


class Invalid(WorkflowError):
    """Input that breaks a field rule; `details` maps each field path to its message."""

    status = 422


class Unmet(WorkflowError):
    """A transition whose conditions do not hold; `details["unmet"]` lists them in words."""

    status = 422


class Forbidden(WorkflowError):
    """The caller may see the document but not do this to it."""

    status = 403


class NotFound(WorkflowError):
    """Absent, or not visible to the caller: the two are never told apart."""

    status = 404


class StateConflict(WorkflowError):
    """The document's state or version does not allow this now."""

    status = 409


# The answer for a document that is absent or hidden from the asker: the same words for both.
NO_SUCH_DOCUMENT = "Page not found: there is no such document, or you cannot see it"
