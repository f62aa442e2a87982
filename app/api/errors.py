"""The API's error format: {"error": {"code", "message", "fields"?}} — never HTML."""

from flask import jsonify
from flask_babel import lazy_gettext as _l

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


class ApiError(Exception):
    """Raised anywhere in an API view to answer with the error format."""

    def __init__(self, status, message=None, code=None, fields=None):
        default_code, default_message = MESSAGES.get(status, DEFAULT)
        self.status = status
        self.code = code or default_code
        self.message = str(message or default_message)
        self.fields = fields
        super().__init__(self.message)


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
    return error_response(status, code, message, fields)
