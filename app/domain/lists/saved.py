"""Saved filters: a user keeps a list page's filters under a name and finds them on that page."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length

from app.core.errors import OperationError
from app.core.once import OneTimeFormMixin
from app.domain.lists.models import NAME_MAX, QUERY_MAX, SavedFilter
from app.extensions import db

#: The list pages whose filters can be saved (their endpoints).
PAGES = (
    "recommendations.index",
    "acts.index",
    "deadlines.index",
    "facilities.index",
    "visits.index",
)


class SaveFilterForm(OneTimeFormMixin, FlaskForm):
    page = HiddenField(validators=[DataRequired()])
    query = HiddenField(validators=[Length(max=QUERY_MAX)])
    name = StringField(
        _l("Name of the filter"),
        validators=[
            DataRequired(message=_l("Name the filter.")),
            Length(max=NAME_MAX, message=_l("At most %(max)d characters.")),
        ],
    )


def of_user(user, page):
    """The user's saved filters of ``page``, by name."""
    return db.session.scalars(
        sa.select(SavedFilter)
        .where(SavedFilter.user_id == user.id, SavedFilter.page == page)
        .order_by(SavedFilter.name)
    ).all()


def save(user, page, name, query):
    """Save (or replace, under the same name) the filters ``query`` of ``page``."""
    name = (name or "").strip()
    if page not in PAGES:
        raise OperationError(_l("This page has no filters to save."), fields={"page": ["?"]})
    if not name:
        raise OperationError(_l("Name the filter."), fields={"name": [_l("Name the filter.")]})
    saved = db.session.scalar(
        sa.select(SavedFilter).where(
            SavedFilter.user_id == user.id, SavedFilter.page == page, SavedFilter.name == name
        )
    )
    if saved is None:
        saved = SavedFilter(user_id=user.id, page=page, name=name)
        db.session.add(saved)
    saved.query = query or ""
    db.session.flush()
    return saved


def delete(user, filter_id):
    """Delete one of the user's saved filters (someone else's is not found: 404)."""
    saved = db.session.get(SavedFilter, filter_id)
    if saved is None or saved.user_id != user.id:
        raise OperationError(_l("No such saved filter."), status=404, code="not_found")
    db.session.delete(saved)
    db.session.flush()
    return saved
