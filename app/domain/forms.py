"""What the pages' forms of records share (the API reads its JSON with app.api's schemas)."""

from flask_wtf import FlaskForm

from app.core.inputs import bounded_int


def optional_int(value):
    """Coerce for select fields whose blank option means 'none'."""
    if value in (None, "", "None"):
        return None
    return bounded_int(value)


class ModelForm(FlaskForm):
    """The base of a page's form of one record (authority, facility, visit, …)."""
