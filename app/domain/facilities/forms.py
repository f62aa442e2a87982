"""The facility form, for pages and the API."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app.core.forms import options
from app.core.once import OneTimeFormMixin
from app.domain.authorities.models import Authority
from app.domain.codes import FACILITY_TYPES, REGIONS, choices
from app.domain.facilities.models import Facility
from app.domain.forms import ModelForm, optional_int
from app.extensions import db


class FacilityForm(OneTimeFormMixin, ModelForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)])
    type = SelectField(_l("Type"), choices=choices(FACILITY_TYPES), validators=[DataRequired()])
    region = SelectField(_l("Region"), choices=choices(REGIONS), validators=[DataRequired()])
    address = TextAreaField(_l("Address"), validators=[Optional(), Length(max=500)])
    capacity = IntegerField(
        _l("Capacity (places)"), validators=[Optional(), NumberRange(min=0, max=100000)]
    )
    authority_id = SelectField(
        _l("Supervising authority"), coerce=optional_int, validate_choice=False
    )

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self._obj = obj
        from app.domain.authorities.queries import all_for_choices

        self.authority_id.choices = options([(a.id, a.name) for a in all_for_choices()], "—")

    def validate_authority_id(self, field):
        if field.data is not None and db.session.get(Authority, field.data) is None:
            raise ValidationError(_l("No such authority."))

    def validate_name(self, field):
        other = db.session.scalar(
            sa.select(Facility).where(
                Facility.name == field.data.strip(), Facility.region == self.region.data
            )
        )
        if other is not None and other is not self._obj:
            raise ValidationError(_l("A facility with this name already exists in this region."))
