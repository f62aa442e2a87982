"""The bell in the header: the events the e-mails and digests tell, listed in the app per user,
with an unread count and marking as read."""

import re

import sqlalchemy as sa


def bell(html):
    """The unread count the header shows (0 without a badge)."""
    match = re.search(r'id="notification-bell".*?</a>', html, re.S)
    assert match, "no bell in the header"
    badge = re.search(r'class="badge[^"]*">(\d+)', match.group(0))
    return int(badge.group(1)) if badge else 0


def test_the_bell_lists_what_the_digest_says_and_marks_it_read(
    db, users, sent_act, answer_act, client_for, make_user
):
    from app.domain.notifications import Notification

    answer_act(sent_act)  # the executor (the lawyer) is told the answer arrived
    lawyer = client_for(users["lawyer"])
    assert bell(lawyer.get("/").get_data(as_text=True)) == 1
    html = lawyer.get("/notifications").get_data(as_text=True)
    note = db.session.scalar(
        sa.select(Notification).where(Notification.user_id == users["lawyer"].id)
    )
    assert note.subject in html and f"/notifications/{note.id}/open" in html

    other = client_for(make_user("lawyer", email="other@example.org"))
    assert bell(other.get("/").get_data(as_text=True)) == 0
    assert note.subject not in other.get("/notifications").get_data(as_text=True)
    assert other.post(f"/notifications/{note.id}/open").status_code == 404
    assert other.post("/notifications/read", data={"ids": [str(note.id)]}).status_code == 303
    db.session.refresh(note)
    assert note.read_at is None  # another user's id changes nothing

    response = lawyer.post(f"/notifications/{note.id}/open")
    assert response.status_code == 303 and response.headers["Location"].endswith(note.link)
    db.session.refresh(note)
    assert note.read_at is not None
    assert bell(lawyer.get("/").get_data(as_text=True)) == 0
    html = lawyer.get("/notifications?unread=1").get_data(as_text=True)
    assert note.subject not in html


def test_mark_ticked_and_all_read(db, users, client_for):
    from app.domain.notifications import Notification, notify

    lawyer = users["lawyer"]
    made = [
        notify(lawyer, "act_overdue", f"Акт {i}/2026 прострочено", "Текст.", link="/acts/")
        for i in range(3)
    ]
    db.session.commit()
    client = client_for(lawyer)
    assert bell(client.get("/").get_data(as_text=True)) == 3
    response = client.post(
        "/notifications/read", data={"ids": [str(made[0].id)]}, follow_redirects=True
    )
    assert "Позначено прочитаними: 1." in response.get_data(as_text=True)
    assert bell(client.get("/").get_data(as_text=True)) == 2
    html = client.post("/notifications/read", data={}, follow_redirects=True).get_data(as_text=True)
    assert "Позначте сповіщення" in html
    client.post("/notifications/read", data={"all": "1"})
    unread = db.session.scalar(
        sa.select(sa.func.count()).select_from(Notification).where(Notification.read_at.is_(None))
    )
    assert unread == 0 and bell(client.get("/").get_data(as_text=True)) == 0
