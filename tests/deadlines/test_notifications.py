"""Lawyers hear of their work one by one or in a daily digest, as each chooses."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from app.core import clock
from app.domain.notifications import Notification, notify, send_digests
from app.mail.models import OutboxEmail


def emails(db):
    return db.session.scalars(sa.select(OutboxEmail).order_by(OutboxEmail.id)).all()


def test_each_event_by_email_when_chosen(db, users):
    lawyer = users["lawyer"]
    lawyer.notify_mode = "each"
    notify(lawyer, "act_overdue", "Акт 1/2026 прострочено", "Орган не відповів.", link="/acts/1")
    db.session.commit()
    (email,) = emails(db)
    assert email.to == [lawyer.email] and email.subject == "Акт 1/2026 прострочено"
    assert "http://127.0.0.1:5000/acts/1" in email.text_body or "/acts/1" in email.text_body
    assert db.session.scalar(sa.select(Notification.sent_at)) is not None


def test_digest_collects_the_day(db, users):
    lawyer = users["lawyer"]
    assert lawyer.notify_mode == "digest"
    notify(lawyer, "response_received", "Відповідь на акт 1/2026", "Орган відповів.")
    notify(lawyer, "deadline_near", "Строк акта 2/2026", "Спливає за 3 дні.")
    db.session.commit()
    assert emails(db) == []
    # The next morning, 06:00 UTC: 08:00 or 09:00 in Kyiv.
    morning = datetime.now(UTC).replace(hour=6, minute=0) + timedelta(days=1)
    with clock.travel(morning):
        assert send_digests() == 1
        (digest,) = emails(db)
        assert digest.to == [lawyer.email] and "(2)" in digest.subject
        assert (
            "Відповідь на акт 1/2026" in digest.text_body
            and "Строк акта 2/2026" in digest.text_body
        )
        assert send_digests() == 0  # everything went out; nothing twice
