"""In a real browser: a monitor types a hostile recommendation, a lawyer puts it in an act and
opens the act's letter preview. No dialog fires, and the page reports no Content-Security-Policy
violation — the preview is sanitised (a handler left in it would be reported as blocked), and
the application's own scripts run under the policy (the menu still opens)."""

import test_journey as journey
from test_journey import documents_status, login, step, wait_for

# The journey's fixtures: the app on a live server with a worker, and Chromium.
browser = journey.browser
live_server = journey.live_server

HOSTILE = (
    '![x](x){onerror="alert(1)"} [t]{onmouseover="alert(2)"} [x](javascript:alert(3)) '
    '<img src=x onerror=alert(4)> <script>alert(5)</script> [s]{style="color:red"}'
)


def watch(page):
    """Record dialogs (dismissing them), CSP reports, script errors and the responses' CSP."""
    seen = {"dialogs": [], "csp": [], "errors": [], "policies": set()}

    def on_dialog(dialog):
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    def on_console(message):
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            seen["csp"].append(text)

    def on_response(response):
        if response.request.resource_type == "document":
            seen["policies"].add(response.headers.get("content-security-policy"))

    page.on("dialog", on_dialog)
    page.on("console", on_console)
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.on("response", on_response)
    return seen


def test_hostile_recommendation_fires_nothing_in_the_preview(
    app,
    db,
    users,
    registry,
    password,
    live_server,
    browser,
):
    base, visit = live_server, registry["visit"]
    monitor = login(browser, base, users["monitor"].email, password)
    with step(monitor, "hostile-monitor-drafts"):
        monitor.goto(f"{base}/visits/{visit.id}")
        monitor.fill("textarea[name='rows-0-text']", HOSTILE)
        monitor.select_option("select[name='rows-0-theme']", "conditions")
        monitor.click("text=Зберегти чернетки")
        monitor.wait_for_selector("text=Створено чернеток рекомендацій: 1.")

    lawyer = login(browser, base, users["lawyer"].email, password)
    seen = watch(lawyer)
    with step(lawyer, "hostile-lawyer-makes-the-act"):
        lawyer.goto(f"{base}/visits/{visit.id}")
        lawyer.locator("input[name=ids]").first.check()
        lawyer.click("text=Видати позначені")
        lawyer.wait_for_selector("text=Видано рекомендацій: 1.")
        lawyer.goto(f"{base}/acts/new?authority_id={registry['agency'].id}&kind=submission")
        lawyer.locator("input[name=recommendation_ids]").first.check()
        lawyer.click("text=Створити проєкт акта")
        lawyer.wait_for_selector("text=Проєкт акта створено.")
        act_url = lawyer.url
    with step(lawyer, "hostile-lawyer-generates"):
        lawyer.click("button:has-text('Сформувати документи')")
        lawyer.wait_for_selector("text=Документи формуються; сторінка покаже")
        assert wait_for(lambda: documents_status(db, act_url) == "ready")
    with step(lawyer, "hostile-lawyer-reads-the-preview"):
        lawyer.goto(act_url)
        preview = lawyer.locator(".letter-preview")
        preview.wait_for()
        # Everything a victim would do: point at the text, click the links.
        for target in preview.locator("span, a, p").all():
            if target.is_visible():
                target.hover()
        for link in preview.locator("a").all():
            link.click()
        lawyer.wait_for_timeout(500)
        assert lawyer.url == act_url
        assert "<script>alert(5)</script>" in preview.inner_text()  # shown as text
        html = preview.inner_html()
    with step(lawyer, "hostile-pages-work-under-the-policy"):
        # Bootstrap's own script (a static file) runs: the collapsed menu opens.
        lawyer.set_viewport_size({"width": 600, "height": 900})
        lawyer.click("button.navbar-toggler")
        lawyer.wait_for_selector("#nav.show")
    with step(lawyer, "hostile-every-menu-page"):
        links = lawyer.eval_on_selector_all("#nav a.nav-link", "els => els.map(e => e.href)")
        assert len(links) >= 4
        for link in links:
            lawyer.goto(link)
            lawyer.wait_for_load_state("load")
    assert seen["dialogs"] == []
    assert seen["csp"] == []  # a handler or script URL left in the preview would be reported
    assert seen["errors"] == []
    for payload in ("alert(1)", "alert(2)", "alert(3)", "color:red"):
        assert payload not in html
    (policy,) = seen["policies"]  # one policy, on every page
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
