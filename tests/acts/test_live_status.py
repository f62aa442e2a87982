"""The act page's live parts: while a job makes the documents or sends the e-mail the page
polls /acts/<id>/live (buttons disabled, "in progress" shown); the answer stops the polling
once the work is done, with the document links and the e-mail's status."""

import re

from app.core.clock import today
from app.domain.acts.operations import fire

MARKER = 'id="act-live" data-live-part hidden data-live-url="/acts/{id}/live"'


def _generate_button(html):
    return re.search(r"<button[^>]*>Сформувати документи</button>", html).group(0)


def test_the_page_polls_while_the_documents_are_made_and_stops_when_ready(
    db, users, make_act, run_jobs, client_for
):
    act = make_act()
    client = client_for(users["lawyer"])
    assert MARKER.format(id=act.id) not in client.get(f"/acts/{act.id}").get_data(as_text=True)
    assert client.post(f"/acts/{act.id}/transitions", data={"name": "generate"}).status_code == 302
    page = client.get(f"/acts/{act.id}").get_data(as_text=True)
    assert MARKER.format(id=act.id) in page
    assert "disabled" in _generate_button(page)
    assert "Документи формуються; сторінка оновиться сама." in page
    live = client.get(f"/acts/{act.id}/live")
    assert live.status_code == 200 and live.headers["Cache-Control"].startswith("no-store")
    html = live.get_data(as_text=True)
    assert MARKER.format(id=act.id) in html and "формуються…" in html
    assert "<html" not in html and "disabled" in _generate_button(html)
    run_jobs()
    html = client.get(f"/acts/{act.id}/live").get_data(as_text=True)
    assert 'id="act-live" data-live-part hidden>' in html  # no URL: the polling stops
    db.session.refresh(act)
    for doc in act.documents:
        assert f'href="/documents/{doc.id}"' in html
    assert "DOCX v1" in html and "PDF v1" in html and "готові" in html
    assert "disabled" not in _generate_button(html)


def test_the_email_step_is_followed_until_the_message_is_sent(
    db, users, make_act, run_jobs, smtp_server, client_for
):
    smtp_server.start()
    act = make_act()
    fire(act, "generate", users["lawyer"])
    db.session.commit()
    run_jobs()
    fire(act, "send", users["lawyer"], {"channel": "email", "sent_on": today()})
    db.session.commit()
    client = client_for(users["lawyer"])
    html = client.get(f"/acts/{act.id}/live").get_data(as_text=True)
    assert MARKER.format(id=act.id) in html and 'id="email-step"' in html
    run_jobs()
    html = client.get(f"/acts/{act.id}/live").get_data(as_text=True)
    assert len(smtp_server.messages) == 1
    assert 'id="act-live" data-live-part hidden>' in html
    step = re.search(r'id="email-step" data-live-part>([^<]*)', html).group(1)
    assert step.strip() == "надіслано"
    assert "dkvs@example.org" in html  # the e-mail in the list


def test_the_live_parts_follow_read_access(db, users, make_act, make_user, client_for):
    act = make_act()
    assert client_for(users["monitor"]).get(f"/acts/{act.id}/live").status_code == 200
    assert client_for(make_user("monitor")).get(f"/acts/{act.id}/live").status_code == 404
    assert client_for(users["lawyer"]).get("/acts/987654/live").status_code == 404
