"""The visit form, for pages and the API."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.auth.models import User
from app.core.forms import options
from app.core.once import OneTimeFormMixin
from app.domain.codes import VISIT_KINDS, choices
from app.domain.facilities.models import Facility
from app.domain.forms import ModelForm, bounded_int, optional_int
from app.extensions import db


class LinesField(TextAreaField):
    """One value per line; the API may send a list of strings instead."""

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = "\n".join(v.strip() for v in valuelist if v.strip())


class VisitForm(OneTimeFormMixin, ModelForm):
    facility_id = SelectField(
        _l("Facility"), coerce=optional_int, validate_choice=False, validators=[DataRequired()]
    )
    started_on = DateField(_l("Started on"), validators=[DataRequired()])
    ended_on = DateField(_l("Ended on"), validators=[DataRequired()])
    kind = SelectField(
        _l("Kind of visit"), choices=choices(VISIT_KINDS), validators=[DataRequired()]
    )
    monitor_ids = SelectMultipleField(
        _l("Monitors"), coerce=bounded_int, validate_choice=False, validators=[Optional()]
    )
    participants = LinesField(
        _l("Outside participants"),
        description=_l("One name per line: experts, interpreters and other participants."),
        validators=[Optional(), Length(max=5000)],
    )
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=20000)])

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        from app.domain.facilities.queries import all_for_choices
        from app.domain.visits.queries import monitor_choices

        self.facility_id.choices = options([(f.id, f.name) for f in all_for_choices()], "—")
        self.monitor_ids.choices = options([(m.id, m.name) for m in monitor_choices()])

    def validate_facility_id(self, field):
        if field.data is not None and db.session.get(Facility, field.data) is None:
            raise ValidationError(_l("No such facility."))

    def validate_started_on(self, field):
        from app.core.clock import today
        from app.core.i18n import fmt_date
        from app.domain.visits import EARLIEST_VISIT

        if field.data and field.data > today():
            raise ValidationError(_l("A visit cannot start in the future."))
        if field.data and field.data < EARLIEST_VISIT:
            raise ValidationError(
                _l("The NPM visits from %(date)s on.", date=fmt_date(EARLIEST_VISIT))
            )

    def validate_ended_on(self, field):
        if field.data and self.started_on.data and field.data < self.started_on.data:
            raise ValidationError(_l("A visit cannot end before it starts."))

    def validate_monitor_ids(self, field):
        ids = set(field.data or [])
        if not ids:
            return
        found = set(
            db.session.scalars(
                sa.select(User.id).where(User.id.in_(ids), User.role == "monitor")
            ).all()
        )
        if ids - found:
            raise ValidationError(_l("Only monitors can be members of a visit team."))
