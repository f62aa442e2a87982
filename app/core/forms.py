"""Form helpers shared by every feature."""

from flask_wtf import FlaskForm
from wtforms import SelectChoice


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token: the confirmation of a destructive action."""


def options(pairs, blank=None):
    """Select options from (value, label) pairs, optionally led by a blank 'none' option."""
    items = [SelectChoice(value, label) for value, label in pairs]
    return ([SelectChoice("", blank)] if blank is not None else []) + items
