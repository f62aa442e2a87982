"""Login, profile, two-factor, token and user-management forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from app.auth.operations import find_user
from app.auth.passwords import MAX_PASSWORD, password_problems
from app.core.clock import today
from app.core.forms import options
from app.core.once import OneTimeFormMixin

ROLE_CHOICES = options(
    [("admin", _l("Administrator")), ("lawyer", _l("Lawyer")), ("monitor", _l("Monitor"))]
)
#: Each language named in itself (and marked so, for screen readers and spell checkers).
LOCALE_CHOICES = [
    SelectChoice("uk", "Українська", render_kw={"lang": "uk"}),
    SelectChoice("en", "English", render_kw={"lang": "en"}),
]
NOTIFY_CHOICES = options(
    [("digest", _l("One daily digest")), ("each", _l("An e-mail for each event"))]
)


def no_nul(_form, field):
    """Databases refuse NUL characters in text: refuse them here, cleanly."""
    if isinstance(field.data, str) and "\x00" in field.data:
        raise ValidationError(_l("Contains characters that are not allowed."))


def check_password(field, email, name):
    problems = password_problems(field.data, email, name)
    if problems:
        raise ValidationError(" ".join(str(p) for p in problems))


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254), no_nul])
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(max=MAX_PASSWORD), no_nul]
    )
    remember = BooleanField(_l("Remember me"))


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        description=_l("Six digits from the authenticator app, or one of your recovery codes."),
        validators=[DataRequired(), Length(max=40), no_nul],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True},
    )


class ConfirmPasswordForm(FlaskForm):
    password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=MAX_PASSWORD), no_nul]
    )


class TokenForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100), no_nul])
    expires_on = DateField(
        _l("Valid until"),
        validators=[Optional()],
        description=_l("Leave empty for a token valid until revoked."),
    )

    def validate_expires_on(self, field):
        if field.data is not None and field.data <= today():
            raise ValidationError(_l("Give a date in the future."))


class ProfileForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200), no_nul])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40), no_nul])
    locale = SelectField(_l("Language"), choices=LOCALE_CHOICES)
    notify_mode = SelectField(_l("Notifications"), choices=NOTIFY_CHOICES)


class PasswordForm(FlaskForm):
    current = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=MAX_PASSWORD), no_nul]
    )
    password = PasswordField(_l("New password"), validators=[DataRequired(), no_nul])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._user = user

    def validate_password(self, field):
        check_password(field, self._user.email, self._user.name)


class UserForm(OneTimeFormMixin, FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254), no_nul])
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200), no_nul])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40), no_nul])
    is_active = BooleanField(_l("Active"), default=True)
    password = PasswordField(
        _l("Password"),
        description=_l("Leave empty to keep the current password."),
        validators=[Optional()],
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._user = user
        if user is None:  # nothing to keep: a new user needs one
            from app.auth.passwords import MIN_PASSWORD

            self.password.description = _l(
                "Required: at least %(n)s characters, not a common password and not the "
                "person's name or e-mail.",
                n=MIN_PASSWORD,
            )
            self.password.flags.required = True

    def validate_email(self, field):
        other = find_user(field.data)
        if other is not None and other is not self._user:
            raise ValidationError(_l("A user with this e-mail already exists."))

    def validate_password(self, field):
        if field.data:
            check_password(field, self.email.data or "", self.name.data or "")

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self._user is None and not self.password.data:
            self.password.errors = [*self.password.errors, _l("A new user needs a password.")]
            return False
        return valid
