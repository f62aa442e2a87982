"""Act forms: drafting from recommendations, editing the free parts, sending."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.core.forms import DateWithin, options
from app.core.once import OneTimeFormMixin
from app.domain.acts import kinds
from app.domain.forms import ModelForm, bounded_int, optional_int

KIND_LABELS = {code: kind.label for code, kind in kinds.KINDS.items()}
CHANNEL_LABELS = {"email": _l("By e-mail"), "post": _l("By post")}


class ActForm(OneTimeFormMixin, ModelForm):
    """A new act: its kind, addressee and recommendations (API: the same field names)."""

    kind = SelectField(
        _l("Kind of act"), choices=options(KIND_LABELS.items()), validators=[DataRequired()]
    )
    authority_id = SelectField(
        _l("Addressee"), coerce=optional_int, validate_choice=False, validators=[DataRequired()]
    )
    recommendation_ids = SelectMultipleField(
        _l("Recommendations"), coerce=bounded_int, validate_choice=False
    )
    heading = StringField(
        _l("Heading (“Про …”)"),
        description=_l("Empty: made from the facilities."),
        validators=[Optional(), Length(max=500)],
    )
    opening = TextAreaField(_l("Opening"), validators=[Optional(), Length(max=20000)])
    closing = TextAreaField(_l("Closing"), validators=[Optional(), Length(max=20000)])
    reference_number = StringField(
        _l("In reply to letter №"), validators=[Optional(), Length(max=60)]
    )
    reference_on = DateField(
        _l("In reply to letter of"), validators=[Optional(), DateWithin(date(2000, 1, 1))]
    )


class ActEditForm(FlaskForm):
    heading = StringField(_l("Heading (“Про …”)"), validators=[DataRequired(), Length(max=500)])
    opening = TextAreaField(_l("Opening"), validators=[Optional(), Length(max=20000)])
    closing = TextAreaField(_l("Closing"), validators=[Optional(), Length(max=20000)])
    reference_number = StringField(
        _l("In reply to letter №"), validators=[Optional(), Length(max=60)]
    )
    reference_on = DateField(
        _l("In reply to letter of"), validators=[Optional(), DateWithin(date(2000, 1, 1))]
    )
    signatory_position = StringField(
        _l("Signatory's position"), validators=[DataRequired(), Length(max=300)]
    )
    signatory_name = StringField(
        _l("Signatory's name"), validators=[DataRequired(), Length(max=200)]
    )
    recommendation_ids = SelectMultipleField(
        _l("Recommendations"), coerce=bounded_int, validate_choice=False
    )


class SendForm(FlaskForm):
    channel = SelectField(
        _l("Channel"), choices=options(CHANNEL_LABELS.items()), validators=[DataRequired()]
    )
    sent_on = DateField(
        _l("Sent on"),
        description=_l("Today, the day of registration; it cannot be earlier or later."),
        validators=[
            Optional(),
            DateWithin(future=_l("The sending date cannot be in the future.")),
        ],
    )
    received_on = DateField(
        _l("Received on"),
        description=_l("When known; else counted from sending."),
        validators=[Optional(), DateWithin()],
    )


kind_label = kinds.label
