"""Form helpers shared by every feature."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice
from wtforms.validators import ValidationError

#: The earliest date the office's records can mean (the NPM began visiting in 2012).
EARLIEST_RECORD = date(2012, 1, 1)


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token: the confirmation of a destructive action."""


def options(pairs, blank=None):
    """Select options from (value, label) pairs, optionally led by a blank 'none' option."""
    items = [SelectChoice(value, label) for value, label in pairs]
    return ([SelectChoice("", blank)] if blank is not None else []) + items


class DateWithin:
    """A date field's plausible range: from ``earliest`` to today plus ``years_ahead`` years
    (0: not after today). A mistyped year (1900, 2099) gets a message naming the range."""

    def __init__(self, earliest=EARLIEST_RECORD, years_ahead=0, future=None):
        self.earliest, self.years_ahead = earliest, years_ahead
        #: The message for a day after today (a field names what cannot be in the future).
        self.future = future

    def latest(self):
        from app.core.clock import today

        now = today()
        return now.replace(year=now.year + self.years_ahead) if self.years_ahead else now

    def __call__(self, form, field):
        from app.core.i18n import fmt_date

        value, latest = field.data, self.latest()
        if value is None or self.earliest <= value <= latest:
            return
        if value > latest and not self.years_ahead:
            raise ValidationError(self.future or _l("The date cannot be in the future."))
        raise ValidationError(
            _l(
                "Enter a date from %(start)s to %(end)s.",
                start=fmt_date(self.earliest),
                end=fmt_date(latest),
            )
        )
