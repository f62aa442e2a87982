"""The authority form, used by pages and (without CSRF) by the API."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from app.core.forms import options
from app.core.once import OneTimeFormMixin
from app.domain.authorities.models import Authority
from app.domain.codes import AUTHORITY_KINDS, choices
from app.domain.forms import ModelForm, optional_int
from app.extensions import db


class AuthorityForm(OneTimeFormMixin, ModelForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Kind"), choices=choices(AUTHORITY_KINDS), validators=[DataRequired()])
    email = EmailField(
        _l("E-mail"), validators=[Optional(), Email(granular_message=False), Length(max=254)]
    )
    postal_address = TextAreaField(_l("Postal address"), validators=[Optional(), Length(max=500)])
    head_title = StringField(
        _l("Head's position (as a letter addresses it)"),
        description=_l("In the dative, e.g. «Міністрові юстиції України»"),
        validators=[Optional(), Length(max=300)],
    )
    head_name = StringField(
        _l("Head's name (as a letter addresses it)"),
        description=_l("In the dative, e.g. «Ользі СТЕФАНІШИНІЙ»"),
        validators=[Optional(), Length(max=200)],
    )
    parent_id = SelectField(_l("Supervising authority"), coerce=optional_int, validate_choice=False)

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self._obj = obj
        from app.domain.authorities.queries import all_for_choices

        self.parent_id.choices = options(
            [(a.id, a.name) for a in all_for_choices() if obj is None or a.id != obj.id], "—"
        )

    def validate_name(self, field):
        other = db.session.scalar(sa.select(Authority).where(Authority.name == field.data.strip()))
        if other is not None and other is not self._obj:
            raise ValidationError(_l("An authority with this name already exists."))

    def validate_parent_id(self, field):
        if field.data is None:
            return
        parent = db.session.get(Authority, field.data)
        if parent is None:
            raise ValidationError(_l("No such authority."))
        if self._obj is not None and (parent is self._obj or self._obj in parent.ancestors()):
            raise ValidationError(
                _l("An authority cannot be supervised by itself or by one under it.")
            )
