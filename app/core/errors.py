"""One error for every refused operation, whoever calls it (page, API, job, CLI).

An operation raises ``OperationError(status, code, message, fields)``; the API answers it with its
error format, a page puts ``fields`` on its form (or flashes ``message``), a job records
``message``. ``status`` is the HTTP status the refusal means (403 not allowed, 404 not found,
409 conflict with the current state, 422 invalid input); ``code`` is a stable machine-readable
word; ``fields`` maps a field name to its messages.
"""


class OperationError(Exception):
    status = 422
    code = "invalid"

    def __init__(self, message="", *, status=None, code=None, fields=None):
        super().__init__(str(message))
        self.message = str(message)
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code
        self.fields = fields

    def __str__(self):
        return self.message

    def field_messages(self):
        """``{field: [message, …]}`` — the refusal as field errors (the message under "form" when
        it names no field)."""
        if self.fields:
            return {k: [str(m) for m in (v if isinstance(v, (list, tuple)) else [v])] for k, v in self.fields.items()}
        return {"form": [self.message]}


def put_on_form(form, error):
    """Show an OperationError on a WTForms form: each field's messages under that field, the rest
    in ``form.form_errors``. Returns the form for chaining."""
    for name, messages in error.field_messages().items():
        field = getattr(form, name, None) if name != "form" else None
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors or []) + messages
        else:
            form.form_errors = list(getattr(form, "form_errors", []) or []) + messages
    return form
