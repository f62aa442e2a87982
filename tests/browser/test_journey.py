"""The whole journey in a real browser (Playwright driving Debian's Chromium): a monitor drafts,
a lawyer issues, makes, generates and sends the act (the e-mail reaches a test SMTP server),
records the answer and assesses; the monitor sees the result and prints the checklist.

A failing step saves a screenshot under test-artifacts/ and says where."""

import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.core.clock import today as kyiv_today

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM),
        reason=f"browser journey skipped: Chromium is not installed at {CHROMIUM} "
        "(apt-get install chromium; .ci/run installs it)",
    ),
]


@pytest.fixture
def live_server(app, db):
    """The app on a real HTTP server in a thread, with CSRF on, and a worker thread for jobs."""
    from werkzeug.serving import make_server

    from app.core.jobs import make_worker

    server = make_server("127.0.0.1", 0, app, threaded=True)
    port = server.server_port
    saved = {k: app.config[k] for k in ("SERVER_NAME", "WTF_CSRF_ENABLED")}
    app.config.update(SERVER_NAME=f"127.0.0.1:{port}", WTF_CSRF_ENABLED=True)
    stop = threading.Event()

    def work():
        from rq import SimpleWorker

        from app.core.jobs import AppWorker

        class InProcessWorker(AppWorker, SimpleWorker):
            def _install_signal_handlers(self):  # signals belong to the main thread
                pass

            def subscribe(self):  # no pub/sub thread for a worker living in a thread
                pass

            def unsubscribe(self):
                pass

        while not stop.is_set():
            make_worker(app, worker_class=InProcessWorker).work(burst=True, with_scheduler=False)
            stop.wait(0.3)

    threads = [
        threading.Thread(target=server.serve_forever, daemon=True),
        threading.Thread(target=work, daemon=True),
    ]
    for t in threads:
        t.start()
    db.session.commit()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop.set()
        server.shutdown()
        for t in threads:
            t.join(timeout=10)
        app.config.update(saved)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--headless",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@contextmanager
def step(page, name):
    """Run one step; on failure keep a screenshot and tell where it is."""
    try:
        yield
    except BaseException:
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / f"journey-{name}.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"\nbrowser journey failed at step '{name}' ({page.url}); screenshot: {shot}")
        raise


def login(browser, base, email, password):
    page = browser.new_context(locale="uk-UA").new_page()
    page.set_default_timeout(15000)
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def documents_status(db, act_url):
    """The act's documents status as the database has it now (a fresh transaction each time)."""
    from app.domain.acts.models import Act

    db.session.commit()
    return db.session.scalar(
        db.select(Act.documents_status).where(Act.id == int(act_url.rsplit("/", 1)[1]))
    )


def wait_for(predicate, timeout=30):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def test_the_whole_journey(app, db, users, registry, password, live_server, browser, smtp_server):
    base, visit = live_server, registry["visit"]
    smtp_server.start()

    monitor = login(browser, base, users["monitor"].email, password)
    with step(monitor, "monitor-drafts"):
        monitor.goto(f"{base}/visits/{visit.id}")
        monitor.fill(
            "textarea[name='rows-0-text']", "Забезпечити цілодобовий доступ до питної води"
        )
        monitor.select_option("select[name='rows-0-theme']", "conditions")
        monitor.fill(
            "textarea[name='rows-1-text']", "Облаштувати укриття на час повітряної тривоги"
        )
        monitor.select_option("select[name='rows-1-theme']", "safety")
        monitor.click("text=Зберегти чернетки")
        monitor.wait_for_selector("text=Створено чернеток рекомендацій: 2.")

    lawyer = login(browser, base, users["lawyer"].email, password)
    with step(lawyer, "lawyer-issues"):
        lawyer.goto(f"{base}/visits/{visit.id}")
        for box in lawyer.locator("input[name=ids]").all():
            box.check()
        lawyer.click("text=Видати позначені")
        lawyer.wait_for_selector("text=Видано рекомендацій: 2.")
    with step(lawyer, "lawyer-makes-the-act"):
        lawyer.goto(f"{base}/acts/new?authority_id={registry['agency'].id}&kind=submission")
        for box in lawyer.locator("input[name=recommendation_ids]").all():
            box.check()
        lawyer.click("text=Створити проєкт акта")
        lawyer.wait_for_selector("text=Проєкт акта створено.")
        act_url = lawyer.url
    with step(lawyer, "lawyer-generates"):
        lawyer.click("button:has-text('Сформувати документи')")
        lawyer.wait_for_selector("text=Документи формуються")
        assert wait_for(lambda: documents_status(db, act_url) == "ready"), (
            "the documents were not generated"
        )
        lawyer.goto(act_url)
        assert "готові" in lawyer.inner_text("#documents-status")
    with step(lawyer, "lawyer-sends"):
        lawyer.select_option("select[name=channel]", "email")
        lawyer.fill("input[name=sent_on]", kyiv_today().isoformat())
        lawyer.click("form:has(input[name=name][value=send]) button[type=submit]")
        lawyer.wait_for_selector("text=лист надсилається")
        assert wait_for(lambda: len(smtp_server.messages) == 1), "the act's e-mail did not arrive"
        message = smtp_server.messages[0].message
        assert message["To"] == "dkvs@example.org" and "Подання" in message["Subject"]
        assert any(a.get_content_type() == "application/pdf" for a in message.iter_attachments())

        def email_step_shown():  # each step of the sending, on the act page
            lawyer.goto(act_url)
            return lawyer.inner_text("#email-step").startswith("надіслано")

        assert wait_for(email_step_shown), lawyer.inner_text("#email-step")
        assert "готові" in lawyer.inner_text("#documents-status")
    with step(lawyer, "lawyer-records-the-answer"):
        lawyer.goto(act_url)
        lawyer.click("summary:has-text('Зареєструвати відповідь')")
        lawyer.fill("input[name=received_on]", kyiv_today().isoformat())
        lawyer.fill("input[name=incoming_number]", "12/45-вх")
        lawyer.select_option("select[name=kind]", "substantive")
        lawyer.fill("textarea[name=text]", "Воду забезпечено; укриття облаштовується.")
        lawyer.select_option("select[name='positions-0-position']", "implemented")
        lawyer.select_option("select[name='positions-1-position']", "in_progress")
        lawyer.click("form[enctype='multipart/form-data'] button[type=submit]")
        lawyer.wait_for_selector("text=Відповідь зареєстровано.")
    with step(lawyer, "lawyer-assesses"):
        lawyer.select_option("select[name='rows-1-decision']", "partially_implemented")
        lawyer.click("text=Зберегти оцінку")
        lawyer.wait_for_selector("text=Оцінено: 2.")

    with step(monitor, "monitor-sees-the-result"):
        monitor.goto(f"{base}/")
        monitor.wait_for_selector("text=Виконано: 1")
        monitor.goto(f"{base}/facilities/{registry['facility'].id}")
        assert "вх. № 12/45-вх" in monitor.content() or "Виконано частково" in monitor.content()
    with step(monitor, "monitor-prints-the-checklist"):
        monitor.goto(f"{base}/facilities/{registry['facility'].id}/checklist")
        monitor.wait_for_selector("text=Облаштувати укриття")
        response = monitor.request.get(f"{base}/facilities/{registry['facility'].id}/checklist.pdf")
        assert response.ok and response.body()[:4] == b"%PDF"
