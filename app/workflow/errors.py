"""Exceptions of the workflow engine, each with the HTTP status and error code the API returns."""

from flask_babel import lazy_gettext as _l

from app.core.errors import OperationError


class DefinitionError(Exception):
    """One or more workflow definitions are invalid; ``problems`` lists ``FILE:LINE: message``."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("invalid workflow definitions:\n" + "\n".join(self.problems))


class WorkflowError(OperationError):
    """A transition could not be fired. ``message`` is translatable (lazy, English source); each
    kind below fixes its status and code."""

    status = 400
    code = "workflow_error"

    def __init__(self, message, fields: dict[str, list] | None = None):
        super().__init__(message, fields=fields)

    def to_dict(self) -> dict:
        """The API's error body: ``{"error": {"code", "message", "fields"?}}``."""
        error = {"code": self.code, "message": str(self.message)}
        if self.fields is not None:
            error["fields"] = {k: [str(m) for m in v] for k, v in self.fields.items()}
        return {"error": error}


class UnknownTransition(WorkflowError):
    """The workflow has no transition of that name (422, reported on the ``name`` field)."""

    status = 422
    code = "unknown_transition"

    def __init__(self, name: str):
        message = _l("There is no action “%(name)s”.", name=name)
        super().__init__(message, {"name": [message]})


class WrongState(WorkflowError):
    """The transition exists but not from the case's current state (409)."""

    status = 409
    code = "wrong_state"


class NotAllowed(WorkflowError):
    """The actor's role may not fire the transition, or only the system may (403)."""

    status = 403
    code = "forbidden"


class InvalidParams(WorkflowError):
    """Parameters are unknown, missing or malformed; ``fields`` maps each to its messages (422)."""

    status = 422
    code = "invalid_params"

    def __init__(self, fields: dict[str, list]):
        super().__init__(_l("Some values are missing or not valid."), fields)


class GuardRefused(WorkflowError):
    """A guard refused the transition: the case is not ready for it (409, like a wrong state)."""

    status = 409
    code = "guard_refused"


class Conflict(WorkflowError):
    """Someone changed the case between loading and saving it (409)."""

    status = 409
    code = "conflict"

    def __init__(self, message=None):
        super().__init__(message or _l("The case was changed by someone else; reload it."))
