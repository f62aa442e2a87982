"""Deadlines of acts, what happened to them, and the admin-editable calendar."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import UTCDateTime, check_in, utcnow
from app.extensions import db

EVENTS = (
    "created",
    "receipt_changed",
    "extended",
    "suspended",
    "resumed",
    "reminded",
    "expired",
    "cancelled",
    "recounted",
)
#: Added with the receipt-based clock: the mail server accepted the e-mail (receipt), the act
#: returned to sent after a receipt correction, the term passed on an assumed receipt (nothing
#: marked overdue), the КУпАП 188-40 protocol window is about to close.
EVENTS += ("accepted", "reopened", "assumed_passed", "protocol_warned")


class Deadline(db.Model):
    """The legal term of an act: from receipt, counted by app.terms; the sweep fires it."""

    __tablename__ = "deadlines"
    __table_args__ = (
        sa.CheckConstraint("shift IN ('next', 'previous', 'none')", name="shift"),
        sa.CheckConstraint(
            "due_on IS NOT NULL OR suspended_on IS NOT NULL", name="due_or_suspended"
        ),
        # The sweep reads only what is due: open deadlines by date.
        sa.Index(
            "ix_deadlines_open_due",
            "due_on",
            postgresql_where=sa.text("fired_at IS NULL AND cancelled_at IS NULL"),
            sqlite_where=sa.text("fired_at IS NULL AND cancelled_at IS NULL"),
        ),
        sa.Index(
            "ix_deadlines_open_remind",
            "remind_on",
            postgresql_where=sa.text("reminded_at IS NULL AND cancelled_at IS NULL"),
            sqlite_where=sa.text("reminded_at IS NULL AND cancelled_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    act_id: Mapped[int] = mapped_column(sa.ForeignKey("acts.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(20), default="response")
    #: The day the term counts from (the receipt by the addressee, known or assumed).
    trigger_on: Mapped[object] = mapped_column(sa.Date)
    #: The term as written in the workflow YAML, e.g. "1 month".
    term: Mapped[str] = mapped_column(sa.String(40))
    shift: Mapped[str] = mapped_column(sa.String(10), default="next")
    #: None while suspended (the clock stopped).
    due_on: Mapped[object | None] = mapped_column(sa.Date)
    #: A lawyer's extension: the new last day (moved off a day off), never before the
    #: statutory due date; pauses begun on or after ``extended_on`` move it further.
    extended_to: Mapped[object | None] = mapped_column(sa.Date)
    extended_on: Mapped[object | None] = mapped_column(sa.Date)
    #: Closed pauses [[from, to], ...] (ISO dates) and the open one, if any.
    pauses: Mapped[list] = mapped_column(sa.JSON, default=list)
    suspended_on: Mapped[object | None] = mapped_column(sa.Date)
    remind_days: Mapped[int] = mapped_column(default=3)
    remind_on: Mapped[object | None] = mapped_column(sa.Date)
    reminded_at: Mapped[object | None] = mapped_column(UTCDateTime())
    fired_at: Mapped[object | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[object | None] = mapped_column(UTCDateTime())
    created_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow)

    act = relationship("Act", backref=sa.orm.backref("deadline", uselist=False))
    events = relationship("DeadlineEvent", order_by="DeadlineEvent.id", back_populates="deadline")

    @property
    def is_open(self):
        return self.fired_at is None and self.cancelled_at is None


class DeadlineEvent(db.Model):
    """What changed a deadline and why: its history."""

    __tablename__ = "deadline_events"
    __table_args__ = (sa.CheckConstraint(check_in("kind", EVENTS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deadline_id: Mapped[int] = mapped_column(
        sa.ForeignKey("deadlines.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(20))
    #: None: the system (the sweep).
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow)
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    old_due_on: Mapped[object | None] = mapped_column(sa.Date)
    new_due_on: Mapped[object | None] = mapped_column(sa.Date)

    deadline = relationship(Deadline, back_populates="events")
    actor = relationship("User")


class CalendarDay(db.Model):
    """An admin's exception to the calendar: an extra day off, or a working day."""

    __tablename__ = "calendar_days"

    day: Mapped[object] = mapped_column(sa.Date, primary_key=True)
    is_working: Mapped[bool]
    note: Mapped[str] = mapped_column(sa.String(200), default="")


class CalendarPeriod(db.Model):
    """From which date a calendar profile is in force (e.g. peacetime coming back)."""

    __tablename__ = "calendar_periods"
    __table_args__ = (
        sa.CheckConstraint("profile IN ('martial_law', 'peacetime')", name="profile"),
    )

    starts_on: Mapped[object] = mapped_column(sa.Date, primary_key=True)
    profile: Mapped[str] = mapped_column(sa.String(20))
    note: Mapped[str] = mapped_column(sa.String(200), default="")
