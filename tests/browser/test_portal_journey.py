"""The authority answers through its link on a phone-sized window (two recommendations, a photo),
the lawyer accepts the answer, the monitor's facility timeline shows "reported implemented".

A failing step saves a screenshot under test-artifacts/ and says where."""

# The live server and browser fixtures are the journey's own, imported by name.
# ruff: noqa: F811

import os
import struct
import zlib
from datetime import timedelta

import pytest
from test_journey import CHROMIUM, browser, live_server, login, step  # noqa: F401  (fixtures)

from app.core import clock
from app.core.clock import today

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM),
        reason=f"browser journey skipped: Chromium is not installed at {CHROMIUM}",
    ),
]


def png():
    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )  # noqa: E501


@pytest.fixture
def sent_by_post(db, users, make_act, run_jobs):
    from app.domain.acts.operations import fire
    from app.domain.portal import links

    act = make_act()
    fire(act, "generate", users["lawyer"])
    db.session.commit()
    run_jobs()
    sent_on = today() - timedelta(days=5)
    with clock.pinned(sent_on):  # registered that day: the date of the number
        fire(act, "send", users["lawyer"], {"channel": "post", "sent_on": sent_on})
        db.session.commit()
    run_jobs()  # the registered letter, with the answer link, is made by the letters job
    db.session.refresh(act)
    return act, links.token_of(links.open_link(act))


def test_the_authority_answers_on_a_phone(
    app, db, users, registry, issued, password, sent_by_post, live_server, browser
):
    act, token = sent_by_post
    base = live_server
    first, second = issued[0], issued[1]
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="uk-UA", is_mobile=True, has_touch=True
    ).new_page()
    phone.set_default_timeout(15000)

    with step(phone, "portal-opens"):
        phone.goto(f"{base}/respond/{token}")
        phone.wait_for_selector(f"text=№ {act.outgoing_number}")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        assert not phone.is_visible(f"#planned-{second.id}")  # only for "in progress"

    with step(phone, "portal-draft-survives-a-reload"):
        phone.select_option(f"#position-{first.id}", "implemented")
        phone.fill(f"#comment-{first.id}", "Бойлери встановлено в усіх секторах")
        phone.select_option(f"#position-{second.id}", "in_progress")
        phone.fill(f"#planned-{second.id}", (today() + timedelta(days=45)).isoformat())
        phone.fill(f"#comment-{second.id}", "Укриття облаштовується")
        phone.fill("#responder_name", "Ольга Петренко")
        phone.fill("#responder_position", "заступник начальника")
        phone.reload()
        assert phone.input_value(f"#comment-{first.id}") == "Бойлери встановлено в усіх секторах"
        assert phone.input_value(f"#position-{second.id}") == "in_progress"
        assert phone.is_visible(f"#planned-{second.id}")

    with step(phone, "portal-sends-with-a-photo"):
        phone.set_input_files(
            f"#files-{first.id}", {"name": "бойлер.png", "mimeType": "image/png", "buffer": png()}
        )
        phone.click("#portal-send")
        phone.wait_for_selector("#receipt")
        text = phone.inner_text("#receipt-lines")
        assert "Виконано: Бойлери встановлено" in text and "Виконується" in text
        assert "бойлер.png" in phone.inner_text("#receipt-files")
        assert phone.evaluate(f"window.localStorage.getItem('vidhuk-portal-{act.id}')") is None

    lawyer = login(browser, base, users["lawyer"].email, password)
    with step(lawyer, "lawyer-accepts"):
        lawyer.wait_for_selector("#count-to_review")
        lawyer.click("#count-to_review")
        lawyer.click("#review-queue a")
        lawyer.wait_for_selector("#side-by-side")
        assert "бойлер.png" in lawyer.inner_text("#side-by-side")
        lawyer.fill("input[name=incoming_number]", "12/77-вх")
        lawyer.click("#accept")
        lawyer.wait_for_selector("text=Відповідь зареєстровано.")
        assert f"/acts/{act.id}" in lawyer.url

    monitor = login(browser, base, users["monitor"].email, password)
    with step(monitor, "monitor-sees-reported-implemented"):
        monitor.goto(f"{base}/facilities/{registry['facility'].id}")
        line = monitor.inner_text(f"#rec-{first.id}")
        assert "за повідомленням органу — виконано" in line and "ще не перевірено" in line
        assert "за повідомленням органу — виконується" in monitor.inner_text(f"#rec-{second.id}")
