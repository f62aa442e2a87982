"""Login, profile and user-management forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from app.auth.operations import MIN_PASSWORD, find_user
from app.core.forms import options
from app.core.once import OneTimeFormMixin

ROLE_CHOICES = options(
    [("admin", _l("Administrator")), ("lawyer", _l("Lawyer")), ("monitor", _l("Monitor"))]
)
LOCALE_CHOICES = options([("uk", "Українська"), ("en", "English")])
NOTIFY_CHOICES = options(
    [("digest", _l("One daily digest")), ("each", _l("An e-mail for each event"))]
)


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Remember me"))


class ProfileForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    locale = SelectField(_l("Language"), choices=LOCALE_CHOICES)
    notify_mode = SelectField(_l("Notifications"), choices=NOTIFY_CHOICES)


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=MIN_PASSWORD, max=200)]
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class UserForm(OneTimeFormMixin, FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    is_active = BooleanField(_l("Active"), default=True)
    password = PasswordField(
        _l("Password"),
        description=_l("Leave empty to keep the current password."),
        validators=[Optional(), Length(min=MIN_PASSWORD, max=200)],
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._user = user

    def validate_email(self, field):
        other = find_user(field.data)
        if other is not None and other is not self._user:
            raise ValidationError(_l("A user with this e-mail already exists."))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self._user is None and not self.password.data:
            self.password.errors = [*self.password.errors, _l("A new user needs a password.")]
            return False
        return valid
