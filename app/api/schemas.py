"""Building blocks of the API's marshmallow schemas: the fields of answers and of request bodies."""

from datetime import date, datetime

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields
from marshmallow.utils import missing

from app.core.inputs import bounded_int


def code(table, **kwargs):
    """A coded value (INTERFACE.md), documented with its codes."""
    return fields.String(metadata={"enum": list(table)}, **kwargs)


def nullable(field_cls, *args, **kwargs):
    return field_cls(*args, allow_none=True, **kwargs)


def ids():
    return fields.List(fields.Integer())


class Whole(fields.Nested):
    """A nested object made of the parent's own attributes (e.g. the responder of a response)."""

    def get_value(self, obj, attr, accessor=None, default=missing):
        return obj


# --- Input: JSON bodies read with the same rules and messages as the pages' forms -------------

#: Keys a client may send back unchanged although they cannot be written.
READ_ONLY_KEYS = {"id", "created_at", "updated_at"}


def _wtforms(text, **values):
    """A message of WTForms, in the request's language (the pages show the same one)."""
    from flask_wtf.i18n import translations

    return LazyString(lambda: translations.gettext(text) % values)


def _too_long(limit):
    from flask_wtf.i18n import translations

    singular = "Field cannot be longer than %(max)d character."
    plural = "Field cannot be longer than %(max)d characters."
    return LazyString(lambda: translations.ngettext(singular, plural, limit) % {"max": limit})


WRONG_TYPE = _l("This value has the wrong type.")
REQUIRED = _wtforms("This field is required.")
NOT_A_CHOICE = _wtforms("Not a valid choice.")
NOT_AN_ID = _wtforms("Invalid Choice: could not coerce.")
NOT_IDS = _wtforms("Invalid choice(s): one or more data inputs could not be coerced.")
NOT_A_DATE = _wtforms("Not a valid date value.")
NOT_AN_INTEGER = _wtforms("Not a valid integer value.")
NOT_AN_EMAIL = _wtforms("Invalid email address.")


def _posted(value):
    """The JSON value as the strings a browser would post for it; None for a wrong type."""
    if value is None:
        return [""]  # an explicit null clears the field
    if isinstance(value, bool):
        return ["y"] if value else []
    if isinstance(value, (str, int, float)):
        return [str(value)]
    if isinstance(value, list) and all(isinstance(v, (str, int)) for v in value):
        return [str(v) for v in value]
    raise ValidationError(WRONG_TYPE)


class Posted(fields.Field):
    """A field read the way a page's form reads what a browser posts; ``absent`` stands for
    a key the body of a POST leaves out (False: no value at all)."""

    absent = False

    def keeps(self, value):
        """Whether ``value`` leaves the field as it is (a form with no value posted for it)."""
        try:
            return _posted(value) == []
        except ValidationError:
            return False

    def fits(self, value):
        """Whether ``value`` has a type a form value can be made of."""
        try:
            _posted(value)
        except ValidationError:
            return False
        return True

    def deserialize(self, value, attr=None, data=None, **kwargs):
        return super().deserialize("" if value is None else value, attr, data, **kwargs)


class Text(Posted):
    """A text of at most ``max`` characters; ``required``: not blank; ``lines``: a list of
    strings is kept one per line; ``email``: an e-mail address."""

    def __init__(self, max, *, needed=False, lines=False, email=False, **kwargs):
        kwargs.setdefault("required", needed)
        meta = {"type": "string", "maxLength": max, **kwargs.pop("metadata", {})}
        super().__init__(metadata=meta, **kwargs)
        self.max, self.needed, self.lines, self.email = max, needed, lines, email

    def _deserialize(self, value, attr, data, **kwargs):
        posted = _posted(value)
        if self.lines:
            text = "\n".join(v.strip() for v in posted if v.strip())
        else:
            text = posted[0] if posted else ""
        if not text.strip():
            if self.needed:
                raise ValidationError(REQUIRED)
            return text
        errors = []
        if self.email and not _is_email(text):
            errors.append(NOT_AN_EMAIL)
        if len(text) > self.max:
            errors.append(_too_long(self.max))
        if errors:
            raise ValidationError(errors)
        return text


def _is_email(text):
    """The check of the pages' e-mail fields (WTForms' Email: email_validator, no DNS)."""
    import email_validator

    try:
        email_validator.validate_email(
            text, check_deliverability=False, allow_smtputf8=True, allow_empty_local=False
        )
    except email_validator.EmailNotValidError:
        return False
    return True


class Choice(Posted):
    """One of the codes of ``table`` (always required); ``default`` when a POST leaves it out."""

    def __init__(self, table, default=False, **kwargs):
        meta = {"type": "string", "enum": list(table), **({"default": default} if default else {})}
        kwargs.setdefault("required", not default)
        super().__init__(metadata={**meta, **kwargs.pop("metadata", {})}, **kwargs)
        self.table, self.absent = table, default

    def _deserialize(self, value, attr, data, **kwargs):
        posted = _posted(value)
        chosen = posted[0] if posted else ""
        if not chosen.strip():
            raise ValidationError(REQUIRED)
        if chosen not in self.table:
            raise ValidationError(NOT_A_CHOICE)
        return chosen


class RefId(Posted):
    """The id of another record, or null unless ``needed``; whether it exists is the schema's
    check."""

    def __init__(self, *, needed=False, **kwargs):
        kwargs.setdefault("required", needed)
        meta = {"type": "integer", **kwargs.pop("metadata", {})}
        super().__init__(allow_none=not needed, metadata=meta, **kwargs)
        self.needed = needed

    def _deserialize(self, value, attr, data, **kwargs):
        posted = _posted(value)
        raw = posted[0] if posted else None
        number = None
        if raw not in (None, "", "None"):
            try:
                number = bounded_int(raw)
            except ValueError:
                # As on the pages: a PATCH keeps the record's id, so only the value is wrong.
                missing = self.needed and self.parent.record is None
                raise ValidationError(REQUIRED if missing else NOT_AN_ID) from None
        if self.needed and not number:
            raise ValidationError(REQUIRED)
        return number


class RefIds(Posted):
    """Ids of other records (a list); ``blank_keeps``: a blank first value (null, "") leaves
    them as they are (an optional field of the pages), else it is no id."""

    def __init__(self, *, blank_keeps=False, **kwargs):
        meta = {"type": "array", "items": {"type": "integer"}, **kwargs.pop("metadata", {})}
        super().__init__(metadata=meta, **kwargs)
        self.blank_keeps = blank_keeps

    def keeps(self, value):
        if not self.blank_keeps:
            return False
        try:
            posted = _posted(value)
        except ValidationError:
            return False
        return bool(posted) and not posted[0].strip()

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return [bounded_int(v) for v in _posted(value)]
        except ValueError:
            raise ValidationError(NOT_IDS) from None


class Day(Posted):
    """A date YYYY-MM-DD, or null when not ``needed``; ``wrong_is_missing``: a needed date that
    is not a date is reported as missing (as the pages do for the visit's dates)."""

    def __init__(self, *, needed=False, wrong_is_missing=True, **kwargs):
        kwargs.setdefault("required", needed)
        meta = {"type": "string", "format": "date", **kwargs.pop("metadata", {})}
        super().__init__(allow_none=not needed, metadata=meta, **kwargs)
        self.needed, self.wrong_is_missing = needed, wrong_is_missing

    def _deserialize(self, value, attr, data, **kwargs):
        posted = " ".join(_posted(value))
        day = None
        if posted.strip():
            try:
                day = datetime.strptime(posted, "%Y-%m-%d").date()
            except ValueError:
                if not (self.needed and self.wrong_is_missing):
                    raise ValidationError(NOT_A_DATE) from None
        if day is None and self.needed:
            raise ValidationError(REQUIRED)
        return day

    def _serialize(self, value, attr, obj, **kwargs):
        return value.isoformat() if value else None


class Count(Posted):
    """A whole number from ``min`` to ``max``, or null."""

    def __init__(self, min, max, **kwargs):
        meta = {"type": "integer", "minimum": min, "maximum": max, **kwargs.pop("metadata", {})}
        super().__init__(allow_none=True, metadata=meta, **kwargs)
        self.min, self.max = min, max

    def _deserialize(self, value, attr, data, **kwargs):
        posted = _posted(value)
        if not posted or not posted[0].strip():
            return None
        out_of_range = _wtforms(
            "Number must be between %(min)s and %(max)s.", min=self.min, max=self.max
        )
        try:
            number = int(posted[0])
        except ValueError:
            raise ValidationError([NOT_AN_INTEGER, out_of_range]) from None
        if not self.min <= number <= self.max:
            raise ValidationError(out_of_range)
        return number


class Input(Schema):
    """A resource's writable fields. POST gives them; PATCH gives any of them and the others
    keep the record's values; ``record`` is the record a PATCH changes (None for a POST)."""

    record = None

    def load_request(self, payload, record=None):
        """The values of a JSON body, or ApiError 422 with a message per field."""
        from app.api.errors import ApiError

        if not isinstance(payload, dict):
            raise ApiError(422, fields={"_": [_l("A JSON object is expected.")]})
        payload = {k: v for k, v in payload.items() if k not in READ_ONLY_KEYS}
        unknown = sorted(set(payload) - set(self.fields))
        if unknown:
            raise ApiError(422, fields={k: [_l("Unknown field.")] for k in unknown})
        posted = {k: f for k, f in self.fields.items() if isinstance(f, Posted)}
        wrong = sorted(k for k, v in payload.items() if k in posted and not posted[k].fits(v))
        if wrong:
            raise ApiError(422, fields={k: [WRONG_TYPE] for k in wrong})
        payload = {k: v for k, v in payload.items() if not (k in posted and posted[k].keeps(v))}
        self.record = record
        if record is None:
            current = {
                name: field.absent
                for name, field in self.fields.items()
                if isinstance(field, Posted)
            }
        else:
            current = self.current_values(record)
        try:
            return self.load({**current, **payload})
        except ValidationError as exc:
            raise ApiError(422, fields=_flat(exc.messages)) from None

    def current_values(self, record):
        """The record's values in the shape a client sends them."""
        return {
            name: _as_sent(getattr(record, field.attribute or name))
            for name, field in self.fields.items()
        }


def _as_sent(value):
    if isinstance(value, date):
        return value.isoformat()
    return value


def _flat(messages):
    return {k: v if isinstance(v, list) else [v] for k, v in messages.items()}
