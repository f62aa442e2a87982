"""In Chromium: after "Сформувати документи" the act page shows that the documents are being
made, with the button disabled, and — once a worker has made them — the document links,
without a reload (core/static/live.js polling /acts/<id>/live)."""

import os
import threading

import pytest

CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM),
        reason=f"browser test skipped: Chromium is not installed at {CHROMIUM}",
    ),
]


@pytest.fixture
def gated_server(app, db):
    """The app on a real HTTP server with CSRF on, and a worker thread that runs jobs only once
    the test opens its gate (so the page is seen while the work is pending)."""
    from rq import SimpleWorker
    from werkzeug.serving import make_server

    from app.core.jobs import AppWorker, make_worker

    class ThreadWorker(AppWorker, SimpleWorker):
        def _install_signal_handlers(self):  # signals belong to the main thread
            pass

        def subscribe(self):
            pass

        def unsubscribe(self):
            pass

    server = make_server("127.0.0.1", 0, app, threaded=True)
    saved = {k: app.config[k] for k in ("SERVER_NAME", "WTF_CSRF_ENABLED")}
    app.config.update(SERVER_NAME=f"127.0.0.1:{server.server_port}", WTF_CSRF_ENABLED=True)
    gate, stop = threading.Event(), threading.Event()

    def work():
        gate.wait()
        while not stop.is_set():
            make_worker(app, worker_class=ThreadWorker).work(burst=True, with_scheduler=False)
            stop.wait(0.3)

    threads = [
        threading.Thread(target=server.serve_forever, daemon=True),
        threading.Thread(target=work, daemon=True),
    ]
    for thread in threads:
        thread.start()
    db.session.commit()
    try:
        yield f"http://127.0.0.1:{server.server_port}", gate
    finally:
        stop.set()
        gate.set()
        server.shutdown()
        for thread in threads:
            thread.join(timeout=10)
        app.config.update(saved)


@pytest.fixture
def chromium():
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


def test_the_act_page_shows_the_documents_once_made_without_a_reload(
    db, users, make_act, password, gated_server, chromium
):
    base, gate = gated_server
    act = make_act()
    page = chromium.new_context(locale="uk-UA").new_page()
    page.set_default_timeout(30000)
    errors, missing = [], []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    page.goto(f"{base}/login")
    page.fill("input[name=email]", users["lawyer"].email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/acts/{act.id}")
    page.click("button:has-text('Сформувати документи')")
    page.wait_for_selector("text=Документи формуються; сторінка покаже")
    assert "формуються" in page.inner_text("#documents-status")
    assert page.is_disabled("button:has-text('Сформувати документи')")
    assert page.is_visible("text=Документи формуються; сторінка оновиться сама.")
    page.evaluate("window.__notReloaded = true")
    gate.set()  # the worker may run the job now
    page.wait_for_selector("#act-documents a:has-text('PDF v1')")
    assert "готові" in page.inner_text("#documents-status")
    assert page.is_enabled("button:has-text('Сформувати документи')")
    assert page.evaluate("window.__notReloaded === true")  # the same page, not a new one
    assert page.get_attribute("#act-live", "data-live-url") is None  # it stopped asking
    # No request of the page failed, nothing was refused by the Content-Security-Policy, no
    # script error (the browser's own /favicon.ico request, which there is none for, aside).
    assert missing == []
    assert [e for e in errors if not e.startswith("Failed to load resource")] == []
