"""The answer page (no login), its receipt, replays, the 404s, and the lawyer's review pages."""

import io
import re
from datetime import timedelta

import sqlalchemy as sa
from portal_support import png_bytes

from app.core.clock import today
from app.domain.responses.models import Response, ResponseFile


def hidden(html, name):
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    return found[1] if found else ""


def page_form(html, recs, **fields):
    """What a person fills in: ``recs`` is [(recommendation, position, comment, photo?)]."""
    data = {
        "csrf_token": hidden(html, "csrf_token"),
        "form_token": hidden(html, "form_token"),
        "responder_name": "Ольга Петренко",
        "responder_position": "заступник начальника",
        "responder_phone": "+380501112233",
        "responder_email": "",
        "sender_number": "12/5-889",
        "text": "",
    }
    for rec, position, comment, with_photo in recs:
        data[f"position-{rec.id}"] = position
        data[f"comment-{rec.id}"] = comment
        if position == "in_progress":
            data[f"planned-{rec.id}"] = (today() + timedelta(days=30)).isoformat()
        if with_photo:
            data[f"files-{rec.id}"] = [(io.BytesIO(png_bytes()), "фото.png")]
    return data | fields


def count(db, model):
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_email_of_a_sent_act_carries_the_link(
    app, db, users, make_act, run_jobs, smtp_server, client_for
):
    from app.domain.acts.operations import fire

    smtp_server.start()
    act = make_act()
    fire(act, "generate", users["lawyer"])
    db.session.commit()
    run_jobs()
    fire(act, "send", users["lawyer"], {"channel": "email", "sent_on": today()})
    db.session.commit()
    run_jobs()
    (received,) = smtp_server.messages
    body = received.message.get_body(("plain",)).get_content()
    url = re.search(r"(\S+/respond/([a-z2-7]{24}))\s", body)
    assert url and url[1].startswith(app.config["PUBLIC_BASE_URL"])
    assert "за особистим посиланням" in body
    page = client_for().get(f"/respond/{url[2]}")
    assert page.status_code == 200 and act.outgoing_number in page.get_data(as_text=True)


def test_an_answer_through_the_page(db, users, issued, sent_act, token, client_for):
    client = client_for()
    page = client.get(f"/respond/{token}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'lang="uk"' in html
    assert f"№ {sent_act.outgoing_number}" in html and "Забезпечити доступ до гарячої води" in html
    assert "ДУ «Бучанська виправна колонія (№ 85)»" in html and "Надіслати відповідь" in html
    # Scripts only from files (a strict CSP), nothing from another host.
    assert not re.search(r"<script(?![^>]*\bsrc=)", html) and "http" not in "".join(
        re.findall(r'(?:src|href)="([^"]*)"', html)
    )
    data = page_form(
        html,
        [
            (issued[0], "implemented", "Бойлери встановлено", True),
            (issued[1], "in_progress", "Триває ремонт", False),
        ],
        responder_email="petrenko@example.org",
    )
    sent = client.post(f"/respond/{token}", data=data, content_type="multipart/form-data")
    assert sent.status_code == 303, sent.get_data(as_text=True)[:2000]
    receipt = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Відповідь отримано" in receipt and "1. Виконано: Бойлери встановлено" in receipt
    assert "2. Виконується" in receipt and "фото.png" in receipt
    response = db.session.scalar(sa.select(Response))
    assert (response.source, response.status, response.sender_number) == (
        "portal",
        "to_review",
        "12/5-889",
    )
    assert [(f.filename, f.recommendation_id) for f in response.files] == [
        ("фото.png", issued[0].id)
    ]
    from app.mail.models import OutboxEmail

    copy = db.session.scalar(sa.select(OutboxEmail).where(OutboxEmail.subject_type == "responses"))
    assert copy.to_addrs == ["petrenko@example.org"] and "Бойлери встановлено" in copy.text_body

    # The same form sent again (Back, submit) shows the first receipt and adds nothing.
    again = client.post(
        f"/respond/{token}",
        data=page_form(html, [(issued[0], "implemented", "", False)]),
        content_type="multipart/form-data",
    )
    assert again.status_code == 303 and again.headers["Location"] == sent.headers["Location"]
    assert count(db, Response) == 1 and count(db, ResponseFile) == 1


def test_a_refused_page_answer_keeps_nothing_and_shows_why(db, issued, sent_act, token, client_for):
    client = client_for()
    html = client.get(f"/respond/{token}").get_data(as_text=True)
    data = page_form(html, [(issued[0], "in_progress", "", True)])
    data[f"planned-{issued[0].id}"] = (today() - timedelta(days=3)).isoformat()
    refused = client.post(f"/respond/{token}", data=data, content_type="multipart/form-data")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "не може бути в минулому" in text
    assert "Ольга Петренко" in text  # what was typed comes back
    assert count(db, Response) == 0 and count(db, ResponseFile) == 0
    # A made-up form token is refused too, nothing saved.
    data = page_form(html, [(issued[0], "implemented", "", False)], form_token="x" * 30)
    stale = client.post(f"/respond/{token}", data=data, content_type="multipart/form-data")
    assert stale.status_code == 409 and count(db, Response) == 0
    empty = page_form(client.get(f"/respond/{token}").get_data(as_text=True), [])
    none = client.post(f"/respond/{token}", data=empty, content_type="multipart/form-data")
    assert none.status_code == 422 and count(db, Response) == 0


def test_forged_revoked_and_expired_links_show_the_same_404(
    app, db, users, sent_act, token, client_for
):
    public = client_for()
    forged = public.get(f"/respond/{token[:-2]}zz")
    assert forged.status_code == 404
    body = forged.get_data(as_text=True)
    assert "Посилання не працює" in body
    lawyer = client_for(users["lawyer"])
    act_page = lawyer.get(f"/acts/{sent_act.id}").get_data(as_text=True)
    assert f"/respond/{token}" in act_page
    assert lawyer.post(f"/acts/{sent_act.id}/portal-link/revoke").status_code == 303
    revoked = public.get(f"/respond/{token}")
    assert revoked.status_code == 404 and revoked.get_data(as_text=True) == body
    assert lawyer.post(f"/acts/{sent_act.id}/portal-link/renew").status_code == 303
    from app.domain.portal import links

    db.session.expire_all()
    new = links.token_of(links.open_link(sent_act))
    assert public.get(f"/respond/{new}").status_code == 200
    assert public.get(f"/r/{new}").headers["Location"].endswith(f"/respond/{new}")

    from app.core import clock
    from app.core.db import utcnow

    later = utcnow() + timedelta(days=app.config["PORTAL_LINK_DAYS"], seconds=1)
    with clock.travel(later):
        expired = public.get(f"/respond/{new}")
        assert expired.status_code == 404 and expired.get_data(as_text=True) == body


def test_the_lawyer_reviews_and_accepts_on_the_page(db, users, issued, sent_act, token, client_for):
    public = client_for()
    html = public.get(f"/respond/{token}").get_data(as_text=True)
    public.post(
        f"/respond/{token}",
        content_type="multipart/form-data",
        data=page_form(
            html,
            [
                (issued[0], "implemented", "Зроблено", True),
                (issued[2], "rejected", "Не погоджуємось", False),
            ],
        ),
    )
    response = db.session.scalar(sa.select(Response))
    lawyer = client_for(users["lawyer"])
    home = lawyer.get("/").get_data(as_text=True)
    assert re.search(
        r'id="count-to_review">\s*<div class="card-body"><div class="display-6">1<', home
    )
    queue = lawyer.get("/responses/review").get_data(as_text=True)
    assert f"/responses/{response.id}/review" in queue and "Ольга Петренко" in queue
    detail = lawyer.get(f"/responses/{response.id}/review").get_data(as_text=True)
    assert 'id="side-by-side"' in detail and "Не погоджуємось" in detail and "фото.png" in detail
    assert client_for(users["monitor"]).get("/responses/review").status_code == 403

    received = today() - timedelta(days=1)
    accepted = lawyer.post(
        f"/responses/{response.id}/record",
        data={
            "csrf_token": hidden(detail, "csrf_token"),
            "kind": "substantive",
            "received_on": received.isoformat(),
            "incoming_number": "145/2",
            "positions-0-recommendation_id": str(issued[0].id),
            "positions-0-position": "implemented",
            "positions-0-comment": "Зроблено",
            "positions-1-recommendation_id": str(issued[1].id),
            "positions-1-position": "",
            "positions-2-recommendation_id": str(issued[2].id),
            "positions-2-position": "rejected",
            "positions-2-comment": "Не погоджуємось",
        },
    )
    assert accepted.status_code == 303, accepted.get_data(as_text=True)[:3000]
    db.session.expire_all()
    assert response.status == "recorded" and response.incoming_number == "145/2"
    assert sent_act.state == "responded" and {r.state for r in issued} == {"responded"}
    assert {p.recommendation_id: p.position for p in response.positions} == {
        issued[0].id: "implemented",
        issued[2].id: "rejected",
    }
    assert "Ольга Петренко" not in lawyer.get("/responses/review").get_data(as_text=True)
