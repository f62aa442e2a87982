"""Forms that change a deadline; each needs a reason that the history keeps."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.core.forms import DateWithin, options


class DeadlineForm(FlaskForm):
    action = HiddenField(validators=[DataRequired()])
    # No earliest day: one before the term's own is refused by the operation, which says why.
    due_on = DateField(
        _l("New last day"),
        validators=[Optional(), DateWithin(earliest=date.min, years_ahead=5)],
    )
    received_on = DateField(_l("Received on"), validators=[Optional(), DateWithin()])
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])


class CalendarDayForm(FlaskForm):
    day = DateField(_l("Date"), validators=[DataRequired(), DateWithin(years_ahead=10)])
    is_working = SelectField(
        _l("The day is"), choices=options([("0", _l("a day off")), ("1", _l("a working day"))])
    )
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)])


class CalendarPeriodForm(FlaskForm):
    starts_on = DateField(_l("From"), validators=[DataRequired(), DateWithin(years_ahead=10)])
    profile = SelectField(
        _l("Calendar"),
        choices=options(
            [
                ("martial_law", _l("Martial law: only weekends off")),
                ("peacetime", _l("Peacetime: weekends and public holidays off")),
            ]
        ),
    )
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)])
