"""The API's error format: {"error": {"code", "message", "fields"?}} — never HTML."""

from flask import jsonify
from flask_babel import gettext as _

MESSAGES = {
    400: ("bad_request", "The request is malformed."),
    401: ("unauthorized", "A valid API token is required (Authorization: Bearer TOKEN)."),
    403: ("forbidden", "Your role does not allow this."),
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", "This method is not allowed here."),
    409: ("conflict", "The record was changed by someone else."),
    413: ("too_large", "The request is too large."),
    422: ("invalid", "Some values are not valid."),
    500: ("server_error", "Internal error. It was logged."),
}


class ApiError(Exception):
    """Raised anywhere in an API view to answer with the error format."""

    def __init__(self, status, message=None, code=None, fields=None):
        default_code, default_message = MESSAGES.get(status, ("error", "Error."))
        super().__init__(message or default_message)
        self.status = status
        self.code = code or default_code
        self.message = str(message) if message else _(default_message)
        self.fields = fields


def error_response(status, code, message, fields=None):
    body = {"code": code, "message": str(message)}
    if fields is not None:
        body["fields"] = {k: [str(m) for m in v] for k, v in fields.items()}
    return jsonify({"error": body}), status


def api_error_response(status):
    code, message = MESSAGES.get(status, ("error", "Error."))
    return error_response(status, code, _(message))
