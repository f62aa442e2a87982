"""Page and per-page parameters, shared by pages and the API."""

import sqlalchemy as sa
from flask import current_app, request

from app.extensions import db

MAX_PER_PAGE = 100
#: Beyond any list's length; an offset from a larger page would overflow the database's.
MAX_PAGE = 1_000_000
#: Pages count their rows up to this many, then say "more than": counting every one of a long
#: list (all acts, a common word) costs more than showing the page. (The API counts them all.)
COUNT_CAP = 10_000


class BadPageArgs(ValueError):
    def __init__(self, fields):
        super().__init__("bad pagination")
        self.fields = fields


def page_args():
    """(page, per_page) from the query string; raises BadPageArgs with per-field messages."""
    from flask_babel import gettext as _

    fields = {}
    values = {}
    for name, default, high in (
        ("page", 1, MAX_PAGE),
        ("per_page", current_app.config["PER_PAGE"], MAX_PER_PAGE),
    ):
        raw = request.args.get(name)
        if raw in (None, ""):
            values[name] = default
            continue
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value < 1 or (high and value > high):
            limit = (
                _("a whole number from 1 to %(high)s", high=high)
                if high
                else _("a whole number from 1")
            )
            fields[name] = [_("Must be %(limit)s.", limit=limit)]
        values[name] = value
    if fields:
        raise BadPageArgs(fields)
    return values["page"], values["per_page"]


def paginate(stmt, page=None, per_page=None, cap=COUNT_CAP, counted=None):
    """A Flask-SQLAlchemy pagination over ``stmt``; bad arguments fall back to the first page.
    Rows are counted up to ``cap``: ``total`` stops there and ``more`` says there are more
    (``counted``: the caller counted them already, up to ``cap + 1``)."""
    if page is None:
        try:
            page, per_page = page_args()
        except BadPageArgs:
            page, per_page = 1, current_app.config["PER_PAGE"]
    result = db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=False)
    if counted is None:
        first = stmt.order_by(None).limit(cap + 1).subquery()
        counted = db.session.scalar(sa.select(sa.func.count()).select_from(first))
    result.total, result.more = min(counted, cap), counted > cap
    return result
