"""Daily work in a real browser, on a desktop (1,366 px) and a phone (390 px), in Ukrainian and
English: a monitor drafts, a lawyer issues, makes the act, generates its documents (on a real
worker), sends it (the e-mail reaches a test SMTP server), records the answer and assesses it;
the monitor enters a finding from the checklist on the phone. On the phone no main page is
wider than the screen; on the desktop the menu stays on one line.

The journey is a list of steps (``STEPS``), each a function of the shared ``Journey``: a new
feature adds its step where it belongs in the day. A failing test leaves a screenshot of every
open page under test-artifacts/ (see ``tests/browser/conftest.py``)."""

from dataclasses import dataclass, field
from datetime import date

import pytest

from app.core.clock import today as kyiv_today
from tests.browser.test_journey import (  # noqa: F401  (fixtures)
    browser,
    documents_status,
    live_server,
    pytestmark,
    wait_for,
)

WIDTHS = {"desktop": 1366, "phone": 390}
#: What the flash says after each step, in each language.
SAID = {
    "drafted": {"uk": "Створено чернеток рекомендацій: 2.", "en": "2 recommendations drafted."},
    "issued": {"uk": "Видано рекомендацій: 2.", "en": "2 recommendations issued."},
    "generating": {"uk": "Документи формуються", "en": "The documents are being generated"},
    "sent": {"uk": "лист надсилається", "en": "its e-mail is being sent"},
    "answered": {"uk": "Відповідь зареєстровано.", "en": "The answer is recorded."},
    "assessed": {"uk": "Оцінено: 2.", "en": "Assessed: 2."},
    "findings": {"uk": "Висновки збережено: 1", "en": "Findings saved: 1"},
}


@dataclass
class Journey:
    base: str
    width: int
    lang: str
    db: object
    users: dict
    registry: dict
    password: str
    browser: object
    smtp: object
    pages: list
    follow_up: object = None
    earlier: object = None
    act_url: str = ""
    tabs: dict = field(default_factory=dict)

    def page(self, role):
        """The role's signed-in tab (opened on first use, in the journey's size)."""
        if role not in self.tabs:
            context = self.browser.new_context(viewport={"width": self.width, "height": 800})
            page = context.new_page()
            page.set_default_timeout(20000)
            page.goto(f"{self.base}/login")
            page.fill("input[name=email]", self.users[role].email)
            page.fill("input[name=password]", self.password)
            page.click("button[type=submit]")
            page.wait_for_url(lambda url: "/login" not in url)  # an admin's home is the users
            self.pages.append(page)
            self.tabs[role] = page
        return self.tabs[role]

    def said(self, page, what):
        """The flash of the last action says ``what`` in the journey's language."""
        expected = SAID[what][self.lang]
        page.wait_for_selector(f".alert-success:has-text('{expected}')")

    def fits(self, page):
        """On a phone nothing is wider than the screen (no sideways scrolling)."""
        if self.width > 600:
            return
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= self.width, f"{page.url} is {width}px wide on a {self.width}px screen"


def monitor_drafts(j):
    page = j.page("monitor")
    page.goto(f"{j.base}/visits/{j.registry['visit'].id}")
    j.fits(page)
    page.fill("textarea[name='rows-0-text']", "Забезпечити цілодобовий доступ до питної води")
    page.select_option("select[name='rows-0-theme']", "conditions")
    page.fill("textarea[name='rows-1-text']", "Облаштувати укриття на час повітряної тривоги")
    page.select_option("select[name='rows-1-theme']", "safety")
    page.click("form:has(textarea[name='rows-0-text']) button[type=submit]:not([name])")
    j.said(page, "drafted")
    j.fits(page)


def lawyer_issues(j):
    page = j.page("lawyer")
    page.goto(f"{j.base}/visits/{j.registry['visit'].id}")
    for box in page.locator("input[name=ids]").all():
        box.check()
    page.click("form:has(input[name=ids]) button[type=submit]")
    j.said(page, "issued")


def lawyer_makes_the_act(j):
    page = j.page("lawyer")
    page.goto(f"{j.base}/acts/new?authority_id={j.registry['agency'].id}&kind=submission")
    j.fits(page)
    for box in page.locator("input[name=recommendation_ids]").all():
        box.check()
    page.click("main form:has(input[name=recommendation_ids]) button[type=submit]")
    page.wait_for_url(f"{j.base}/acts/*")
    j.act_url = page.url


def lawyer_generates(j):
    page = j.page("lawyer")
    page.click("form:has(input[name=name][value=generate]) button[type=submit]")
    j.said(page, "generating")
    ready = wait_for(lambda: documents_status(j.db, j.act_url) == "ready", timeout=180)
    assert ready, f"no documents: {documents_status(j.db, j.act_url)}"
    page.goto(j.act_url)
    j.fits(page)


def lawyer_sends(j):
    page = j.page("lawyer")
    page.select_option("select[name=channel]", "email")
    page.fill("input[name=sent_on]", kyiv_today().isoformat())
    page.click("form:has(input[name=name][value=send]) button[type=submit]")
    j.said(page, "sent")
    assert wait_for(lambda: len(j.smtp.messages) == 1, timeout=180), "the e-mail did not arrive"


def lawyer_records_the_answer(j):
    page = j.page("lawyer")
    page.goto(j.act_url)
    page.click("details:has(form[enctype='multipart/form-data']) > summary")
    page.fill("input[name=received_on]", kyiv_today().isoformat())
    page.fill("input[name=incoming_number]", "12/45-вх")
    page.select_option("select[name=kind]", "substantive")
    page.fill("textarea[name=text]", "Воду забезпечено; укриття облаштовується.")
    page.select_option("select[name='positions-0-position']", "implemented")
    page.select_option("select[name='positions-1-position']", "in_progress")
    page.click("form[enctype='multipart/form-data'] button[type=submit]")
    j.said(page, "answered")
    j.fits(page)


def lawyer_assesses(j):
    page = j.page("lawyer")
    page.select_option("select[name='rows-1-decision']", "partially_implemented")
    page.click("#assessment button[type=submit]")
    j.said(page, "assessed")


def monitor_enters_a_finding(j):
    page = j.page("monitor")
    page.goto(f"{j.base}/facilities/{j.registry['facility'].id}/checklist")
    j.fits(page)
    page.select_option("select[name=visit_id]", str(j.follow_up.id))
    page.locator(f"select[name='finding-{j.earlier.id}']").select_option("partly")
    page.locator(f"textarea[name='note-{j.earlier.id}']").fill("Огляди проводять при конвої.")
    page.click("form:has(select[name=visit_id]) button[type=submit]")
    j.said(page, "findings")
    j.fits(page)


def main_pages_fit(j):
    for role, paths in {
        "lawyer": [
            "/",
            "/recommendations/",
            "/acts/",
            "/deadlines/",
            "/visits/",
            "/dashboard",
            "/notifications",
            j.act_url.removeprefix(j.base),
        ],
        "monitor": ["/", f"/facilities/{j.registry['facility'].id}/checklist", "/recommendations/"],
    }.items():
        page = j.page(role)
        for path in paths:
            page.goto(f"{j.base}{path}")
            j.fits(page)


def the_menu_fits_on_one_line(j):
    if j.width <= 600:
        return
    page = j.page("admin")
    page.goto(f"{j.base}/users")
    height = page.evaluate("document.querySelector('nav.navbar').offsetHeight")
    assert height < 80, f"the admin's menu wraps: {height}px high"


STEPS = [
    monitor_drafts,
    lawyer_issues,
    lawyer_makes_the_act,
    lawyer_generates,
    lawyer_sends,
    lawyer_records_the_answer,
    lawyer_assesses,
    monitor_enters_a_finding,
    main_pages_fit,
    the_menu_fits_on_one_line,
]


@pytest.mark.parametrize("lang", ["uk", "en"])
@pytest.mark.parametrize("size", list(WIDTHS))
def test_the_daily_journey(
    app,
    db,
    users,
    registry,
    password,
    live_server,  # noqa: F811
    browser,  # noqa: F811
    smtp_server,  # noqa: F811
    screenshots,
    size,
    lang,
    make_rec,
    send_recs,
):
    from app.domain.recommendations.operations import fire
    from app.domain.visits.models import Visit

    for user in users.values():
        user.locale = lang
    # Sent in spring: the follow-up visit of September can find on it (findings count only from
    # visits after the sending; the recommendations the journey sends today cannot have one yet).
    earlier = make_rec("Забезпечити приватність медичних оглядів", theme="health")
    fire(earlier, "issue", users["lawyer"])
    db.session.commit()
    send_recs([earlier], sent_on=date(2026, 4, 1))
    follow_up = Visit(
        facility=registry["facility"],
        started_on=date(2026, 9, 15),
        ended_on=date(2026, 9, 15),
        kind="follow_up",
        monitors=[users["monitor"]],
    )
    db.session.add(follow_up)
    db.session.commit()
    smtp_server.start()
    journey = Journey(
        live_server,
        WIDTHS[size],
        lang,
        db,
        users,
        registry,
        password,
        browser,
        smtp_server,
        screenshots,
        follow_up=follow_up,
        earlier=earlier,
    )
    for run in STEPS:
        screenshots.step = run.__name__
        run(journey)
