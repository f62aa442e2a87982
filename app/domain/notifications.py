"""Telling lawyers about their work: an e-mail per event, or one daily digest, as each chooses;
the same events are listed in the app (the bell in the header) until the user marks them read."""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import UTCDateTime, utcnow
from app.core.jobs import periodic
from app.extensions import db

KINDS = ("response_received", "deadline_near", "act_overdue", "act_drafted")


class Notification(db.Model):
    """One event for one user; ``sent_at`` is set when it went out (alone or in a digest)."""

    __tablename__ = "notifications"
    __table_args__ = (
        sa.Index("ix_notifications_user_pending", "user_id", "sent_at"),
        sa.Index("ix_notifications_user_unread", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(30))
    subject: Mapped[str] = mapped_column(sa.String(300))
    text: Mapped[str] = mapped_column(sa.Text)
    #: A page of the app the event is about (relative URL).
    link: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[object | None] = mapped_column(UTCDateTime())
    #: When the user marked it read in the app (the bell counts the others).
    read_at: Mapped[object | None] = mapped_column(UTCDateTime())

    user = relationship("User")


def notify(user, kind, subject, text, link=""):
    """Record the event; users who chose 'each' get an e-mail in this same transaction."""
    note = Notification(user_id=user.id, kind=kind, subject=subject, text=text, link=link)
    db.session.add(note)
    if user.notify_mode == "each" and user.is_active:
        from app.mail.outbox import queue_email

        queue_email(user.email, subject, _with_link(text, link), subject_type="notifications")
        note.sent_at = utcnow()
    db.session.flush()
    return note


def unread_count(user):
    """What the bell in the header shows."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def listing(user, unread_only=False):
    """The user's notifications, newest first (a statement to paginate)."""
    stmt = sa.select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    return stmt.order_by(Notification.created_at.desc(), Notification.id.desc())


def mark_read(user, ids=None):
    """Mark the user's notifications ``ids`` (all of them when None) read; another user's ids
    are ignored. Returns how many changed; the caller commits."""
    stmt = sa.update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if ids is not None:
        stmt = stmt.where(Notification.id.in_(ids))
    return db.session.execute(stmt.values(read_at=utcnow())).rowcount


def _with_link(text, link):
    base = current_app.config["PUBLIC_BASE_URL"]
    return f"{text}\n\n{base}{link}\n" if link else text


@periodic("notification-digest", every=3600, queue="default")
def send_digests():
    """Once a day per user (the first run after 07:00 Kyiv time): all events not yet sent."""
    from app.auth.models import User
    from app.core.clock import KYIV
    from app.mail.outbox import queue_email

    now = utcnow()
    if now.astimezone(KYIV).hour < 7:
        return 0
    users = db.session.scalars(
        sa.select(User).where(
            User.is_active.is_(True),
            User.id.in_(sa.select(Notification.user_id).where(Notification.sent_at.is_(None))),
        )
    ).all()
    sent = 0
    for user in users:
        notes = db.session.scalars(
            sa.select(Notification)
            .where(Notification.user_id == user.id, Notification.sent_at.is_(None))
            .where(Notification.created_at <= now)
            .order_by(Notification.id)
        ).all()
        last = _last_digest(user.id)
        if not notes or (last and now - last < timedelta(hours=20)):
            continue
        body = "\n\n".join(f"• {n.subject}\n{_with_link(n.text, n.link)}" for n in notes)
        queue_email(
            user.email,
            f"Відгук: підсумок за день ({len(notes)})",
            body,
            subject_type="digest",
            subject_id=user.id,
        )
        for n in notes:
            n.sent_at = now
        db.session.commit()
        sent += 1
    return sent


def _last_digest(user_id):
    from app.mail.models import OutboxEmail

    return db.session.scalar(
        sa.select(sa.func.max(OutboxEmail.created_at)).where(
            OutboxEmail.subject_type == "digest", OutboxEmail.subject_id == user_id
        )
    )
