"""Validation of the parameters a transition is fired with, prepared once per transition."""

import re
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from app.workflow.definition import Param
from app.workflow.errors import InvalidParams

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_COMMENT = Param(type="text")
_REQUIRED = _l("This field is required.")
_UNKNOWN = _l("Unknown parameter.")


def _text(value, param):
    if not isinstance(value, str):
        raise ValueError(_l("Must be text."))
    return value


def _date(value, param):
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(_l("Not a valid date (YYYY-MM-DD)."))


def _choice(value, param):
    if value not in param.choices:
        raise ValueError(
            _l("Not a valid choice; one of: %(choices)s.", choices=", ".join(param.choices))
        )
    return value


def _int(value, param):
    if isinstance(value, str) and re.fullmatch(r"-?\d{1,10}", value.strip()):
        value = int(value)
    # Every whole number a workflow takes names a row or counts days: an INTEGER column's range.
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) <= 2**31 - 1:
        return value
    raise ValueError(_l("Not a valid whole number."))


def _bool(value, param):
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise ValueError(_l("Must be true or false."))


_COERCE = {
    "str": _text,
    "text": _text,
    "date": _date,
    "choice": _choice,
    "int": _int,
    "bool": _bool,
}


def _json_safe(value):
    return value.isoformat() if isinstance(value, date) else value


class ParamSpec:
    """The parameters of one transition; ``comment`` is always accepted (optional text)."""

    __slots__ = ("params", "required")

    def __init__(self, params: dict[str, Param]):
        self.params = {"comment": _COMMENT, **params}
        self.required = tuple(n for n, p in self.params.items() if p.required)

    def clean(self, values: dict | None) -> tuple[dict, str | None, dict]:
        """``(values, comment, json_values)``; ``InvalidParams`` lists every bad field.

        ``values`` are typed (dates as ``date``); ``json_values`` is what the history keeps,
        without the comment, which has its own column.
        """
        values = values or {}
        if not values and not self.required:
            return {}, None, {}
        clean, errors = {}, {}
        for name, value in values.items():
            param = self.params.get(name)
            if param is None:
                errors[name] = [_UNKNOWN]
            elif value is None or (isinstance(value, str) and not value.strip()):
                continue
            else:
                try:
                    clean[name] = _COERCE[param.type](value, param)
                except ValueError as exc:
                    errors[name] = [exc.args[0]]
        for name in self.required:
            if name not in clean and name not in errors:
                errors[name] = [_REQUIRED]
        if errors:
            raise InvalidParams(errors)
        comment = clean.pop("comment", None)
        return clean, comment, {k: _json_safe(v) for k, v in clean.items()}
