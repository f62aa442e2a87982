"""The API's error format: {"error": {"code", "message", "fields"?}} — never HTML."""

from flask import jsonify
from flask_babel import lazy_gettext as _l

from app.core.errors import OperationError

MESSAGES = {
    400: ("bad_request", _l("The request is malformed.")),
    401: ("unauthorized", _l("A valid API token is required (Authorization: Bearer TOKEN).")),
    403: ("forbidden", _l("Your role does not allow this.")),
    404: ("not_found", _l("Not found.")),
    405: ("method_not_allowed", _l("This method is not allowed here.")),
    409: ("conflict", _l("The record was changed by someone else.")),
    413: ("too_large", _l("The request is too large.")),
    422: ("invalid", _l("Some values are not valid.")),
    500: ("server_error", _l("Internal error. It was logged.")),
}
DEFAULT = ("error", _l("Error."))


class ApiError(OperationError):
    """A refusal of the API itself (a missing token, a malformed body), status first."""

    def __init__(self, status, message=None, code=None, fields=None):
        super().__init__(message or "", status=status, code=code, fields=fields)


def operation_error_response(error):
    """Any OperationError in the API's format: the status's usual message when it has none;
    ``fields`` with a 422 (another status answers with the message only)."""
    message = error.message or MESSAGES.get(error.status, DEFAULT)[1]
    fields = error.field_messages() if error.fields and error.status == 422 else None
    return error_response(error.status, error.code, message, fields)


def error_response(status, code, message, fields=None):
    body = {"code": code, "message": str(message)}
    if fields is not None:
        body["fields"] = {k: [str(m) for m in v] for k, v in fields.items()}
    return jsonify({"error": body}), status


def api_error_response(status):
    code, message = MESSAGES.get(status, DEFAULT)
    return error_response(status, code, message)


def respond(status, code=None, message=None, fields=None):
    """The core's error handlers answer API paths with this (app/core/features.py)."""
    if code is None:
        return api_error_response(status)
    return error_response(status, code, message or MESSAGES.get(status, DEFAULT)[1], fields)
