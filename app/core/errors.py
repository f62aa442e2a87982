"""One error for every refused operation, whoever calls it (page, API, job, CLI).

An operation raises ``OperationError(status, code, message, fields)``; the API answers it with its
error format, a page puts ``fields`` on its form (or flashes ``message``), a job records
``message``. ``status`` is the HTTP status the refusal means (403 not allowed, 404 not found,
409 conflict with the current state, 422 invalid input); ``code`` is a stable machine-readable
word; ``fields`` maps a field name to its messages.
"""

#: The code of a refusal that names none, by its status.
CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    500: "server_error",
}


class OperationError(Exception):
    """A refused operation. A subclass may fix ``status`` and ``code`` for a kind of refusal
    (the workflow's, the API's own); ``message`` is kept as given (lazy texts translate late)."""

    status = 422
    code = None

    def __init__(self, message="", *, status=None, code=None, fields=None):
        super().__init__(str(message))
        self.message = message
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code
        elif self.code is None:
            self.code = CODES.get(self.status, "error")
        self.fields = fields

    def __str__(self):
        return str(self.message)

    def field_messages(self):
        """``{field: [message, …]}`` — the refusal as field errors (the message under "form" when
        it names no field)."""
        if self.fields:
            return {
                k: [str(m) for m in (v if isinstance(v, (list, tuple)) else [v])]
                for k, v in self.fields.items()
            }
        return {"form": [str(self.message)]}


def put_on_form(form, error):
    """Show an OperationError on a WTForms form: each field's messages under that field, the rest
    in ``form.form_errors``. The refused operation's work is rolled back at once (the page shown
    again reads what is saved). Returns the form for chaining."""
    from app.extensions import db

    db.session.rollback()
    for name, messages in error.field_messages().items():
        field = getattr(form, name, None) if name != "form" else None
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors or []) + messages
        else:
            form.form_errors = list(getattr(form, "form_errors", []) or []) + messages
    return form


def flash_refusal(error):
    """Show an OperationError as a flashed message (a page that redirects or shows itself again
    after a refusal); the refused operation's work is rolled back at once."""
    from flask import flash

    from app.extensions import db

    db.session.rollback()
    flash(
        str(error.message) or " ".join(m for ms in error.field_messages().values() for m in ms),
        "error",
    )
