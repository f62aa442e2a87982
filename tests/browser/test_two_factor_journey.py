# ruff: noqa: F811  (the fixtures are shared with the main journey by import)
"""In a real browser: a lawyer turns on two-factor sign-in from the profile (the QR code is an
SVG drawn by the server), signs out, and signs in again with a code from the authenticator."""

import time

import pyotp

from tests.browser.test_journey import browser, live_server, pytestmark, step  # noqa: F401


def test_lawyer_enrols_totp_and_signs_in_with_a_code(
    app, db, users, password, live_server, browser
):
    base = live_server
    page = browser.new_context(locale="uk-UA").new_page()
    page.set_default_timeout(15000)
    with step(page, "2fa-password-login"):
        page.goto(f"{base}/login")
        page.fill("input[name=email]", users["lawyer"].email)
        page.fill("input[name=password]", password)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{base}/")
    with step(page, "2fa-enrol"):
        page.goto(f"{base}/profile")
        page.click("text=Налаштувати двофакторний вхід")
        page.wait_for_url(f"{base}/profile/2fa")
        assert page.locator("svg.segno").is_visible()
        secret = page.inner_text("#totp-secret").strip()
        totp = pyotp.TOTP(secret)
        page.fill("input[name=code]", totp.now())
        page.click("main button[type=submit]")
        page.wait_for_selector("#recovery-codes li")
        assert page.locator("#recovery-codes li").count() == 10
        page.click("text=Готово")
        page.wait_for_url(f"{base}/profile")
        assert "Увімкнено з" in page.content()
    with step(page, "2fa-sign-out"):
        page.click("nav button[type=submit]")
        page.wait_for_url(f"{base}/login")
    with step(page, "2fa-sign-in-with-code"):
        page.fill("input[name=email]", users["lawyer"].email)
        page.fill("input[name=password]", password)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{base}/login/code")
        page.fill("input[name=code]", totp.at(time.time() + 30))  # not the enrolment's code
        page.click("main button[type=submit]")
        page.wait_for_url(f"{base}/")
        assert users["lawyer"].name in page.content()
