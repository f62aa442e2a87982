"""A form base that validates page posts and API JSON with the same rules."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from app.core.errors import OperationError
from app.core.inputs import bounded_int

#: Keys an API client may send back unchanged although they cannot be written.
READ_ONLY_KEYS = {"id", "created_at", "updated_at"}


def optional_int(value):
    """Coerce for select fields whose blank option means 'none'."""
    if value in (None, "", "None"):
        return None
    return bounded_int(value)


class ModelForm(FlaskForm):
    """FlaskForm with ``from_json``: JSON → the same fields, validators and messages as a page."""

    @classmethod
    def from_json(cls, payload, obj=None, **kwargs):
        """Build a form from a JSON object; keys absent from a PATCH keep the record's values."""
        if not isinstance(payload, dict):
            raise OperationError(fields={"_": [str(_l("A JSON object is expected."))]})
        current = cls(formdata=None, obj=obj, meta={"csrf": False}, **kwargs)
        # The page's one-time token is no field of the resource.
        names = {f.name for f in current if f.name != "form_token"}
        unknown = set(payload) - names - READ_ONLY_KEYS
        if unknown:
            raise OperationError(fields={k: [str(_l("Unknown field."))] for k in sorted(unknown)})
        data = MultiDict()
        errors = {}
        for f in current:
            if f.name in payload:
                values = _as_form_values(payload[f.name])
                if values is None:
                    errors[f.name] = [str(_l("This value has the wrong type."))]
                    continue
            else:
                values = _current_values(f)
            for value in values:
                data.add(f.name, value)
        if errors:
            raise OperationError(fields=errors)
        return cls(formdata=data, obj=obj, meta={"csrf": False}, **kwargs)


def _as_form_values(value):
    if value is None:
        return [""]  # an explicit null clears the field
    if isinstance(value, bool):
        return ["y"] if value else []
    if isinstance(value, (str, int, float)):
        return [str(value)]
    if isinstance(value, list) and all(isinstance(v, (str, int)) for v in value):
        return [str(v) for v in value]
    return None


def _current_values(field):
    if field.type == "BooleanField":
        return ["y"] if field.data else []
    if field.type == "SelectMultipleField":
        return [str(v) for v in field.data or []]
    if field.data is None:
        return []
    if isinstance(field.data, date):
        return [field.data.isoformat()]
    value = str(field.data)
    return [value] if value != "" else []
