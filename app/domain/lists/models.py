"""A user's saved filters: a list page's query string under a name of their choosing."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import UTCDateTime, utcnow
from app.extensions import db

NAME_MAX = 100
QUERY_MAX = 2000


class SavedFilter(db.Model):
    __tablename__ = "saved_filters"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "page", "name", name="uq_saved_filters_user_page_name"),
        sa.CheckConstraint("length(name) > 0", name="name_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    #: The list it belongs to (the page's endpoint, e.g. ``recommendations.index``).
    page: Mapped[str] = mapped_column(sa.String(60))
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    #: The query string of the filters, without page and format.
    query: Mapped[str] = mapped_column(sa.String(QUERY_MAX), default="")
    created_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow)
