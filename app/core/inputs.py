"""One layer that reads what a request carries: ids the database can hold, text without NUL
bytes, JSON of bounded depth. Whatever is refused here is a 4xx, never a database error."""

import json

from flask import Request, render_template, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

from app.core import features

#: The largest value of an INTEGER column on PostgreSQL (and of every id here).
DB_INT_MAX = 2**31 - 1
#: Objects and arrays nested deeper than this are refused (no payload of ours needs more than 4).
JSON_MAX_DEPTH = 20


def bounded_int(value):
    """int(value) for a value a database INTEGER can hold; ValueError otherwise."""
    number = int(value)
    if not -DB_INT_MAX <= number <= DB_INT_MAX:
        raise ValueError("out of range")
    return number


def is_db_int(value):
    """True for an int (not a bool) an INTEGER column can hold."""
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and -DB_INT_MAX <= value <= DB_INT_MAX
    )


class IdConverter(IntegerConverter):
    """``<int:…>`` in paths: a number beyond the database's range matches nothing (404)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", DB_INT_MAX)
        super().__init__(map, *args, **kwargs)


class BoundedMultiDict(ImmutableMultiDict):
    """Query and form values where ``type=int`` also refuses numbers beyond the database's range
    (``get`` then answers the default, ``getlist`` leaves the value out), as for any non-number."""

    def get(self, key, default=None, type=None):
        return super().get(key, default, bounded_int if type is int else type)

    def getlist(self, key, type=None):
        return super().getlist(key, bounded_int if type is int else type)


class AppRequest(Request):
    parameter_storage_class = BoundedMultiDict


class InputRefused(BadRequest):
    """A request carrying what no handler may see (NUL bytes, JSON nested too deeply)."""


class SafeJSONProvider(DefaultJSONProvider):
    """JSON bodies are refused (ValueError → 400) when nested too deeply or carrying NUL."""

    def loads(self, s, **kwargs):
        return safe_loads(s, **kwargs)


def safe_loads(text, **kwargs):
    """json.loads that refuses deep nesting and NUL characters with ValueError."""
    try:
        value = json.loads(text, **kwargs)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    problem = json_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def json_problem(value):
    """Why a parsed JSON value is refused, or None. Iterative: depth cannot overflow the stack."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return "NUL character in JSON"
        elif isinstance(item, (list, dict)):
            if depth > JSON_MAX_DEPTH:
                return "JSON nested too deeply"
            children = item if isinstance(item, list) else [*item.keys(), *item.values()]
            stack.extend((child, depth + 1) for child in children)
    return None


def _has_nul(multidict):
    return any("\x00" in k or "\x00" in v for k, v in multidict.items(multi=True))


def refuse_nul_bytes():
    """Text with NUL bytes reaches no handler: PostgreSQL cannot store it and no user types it."""
    if "\x00" in request.path or _has_nul(request.args):
        raise InputRefused()
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        names = (f.filename or "" for _key, f in request.files.items(multi=True))
        if _has_nul(request.form) or any("\x00" in name for name in names):
            raise InputRefused()


def input_refused(error):
    from app.extensions import db

    db.session.rollback()
    message = _l("The request contains characters or structures that cannot be accepted.")
    respond = features.error_responder(request.path)
    if respond is not None:
        return respond(400, "bad_request", message)
    return render_template("errors/400.html", message=message), 400


def init_app(app):
    """Install the layer: before blueprints register their rules (the converter applies then)."""
    app.request_class = AppRequest
    app.json = SafeJSONProvider(app)
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_nul_bytes)
    app.register_error_handler(InputRefused, input_refused)
