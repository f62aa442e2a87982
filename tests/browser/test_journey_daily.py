"""Daily work in a real browser, on a desktop (1,366 px) and a phone (390 px), in Ukrainian and
English, walking each point of the daily-work issue:

- the list as a queue (3): filtered by visit and state, searched, a filter saved, every row
  selected at once and issued, then assigned to a lawyer;
- an act to a supervising body (10): a body with nothing addressed says why; the ministry is
  offered its agency's recommendations;
- live status (2): the documents appear on the act page without a reload, the button disabled
  while a real worker makes them;
- the send form (9): the date is filled in, a refused date says why in words and keeps the input;
- the answer, the bell (11) that tells of it, the assessment, the case file (1) of one
  recommendation with all of it, the exports (4) of the list (XLSX and CSV for Excel);
- the checklist on the phone (6, 7): a finding on a visit before the sending is refused with the
  reason, a later visit's "partly" with a note and a "verified"; the open act then warns that it
  asks about a verified recommendation, and closing it (5) names the unassessed ones and needs a
  reason;
- wording (8): the term is told in the page's language, and nothing is wider than a phone's
  screen; on the desktop the menu stays on one line.

The journey is a list of steps (``STEPS``), each a function of the shared ``Journey``: a new
feature adds its step where it belongs in the day. A failing test leaves a screenshot of every
open page under test-artifacts/ (see ``tests/browser/conftest.py``)."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

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
    "issued": {"uk": "Видано рекомендацій: 2.", "en": "Recommendations issued: 2."},
    "assigned": {"uk": "Призначено рекомендацій: 2.", "en": "Recommendations assigned: 2."},
    "saved filter": {
        "uk": "Фільтр «Нові з візиту» збережено.",
        "en": "Filter «Нові з візиту» saved.",
    },
    "generating": {"uk": "Документи формуються", "en": "The documents are being generated"},
    "sent": {"uk": "лист надсилається", "en": "its e-mail is being sent"},
    "answered": {"uk": "Відповідь зареєстровано.", "en": "The answer is recorded."},
    "assessed": {"uk": "Оцінено: 2.", "en": "Assessed: 2."},
    "findings": {"uk": "Висновки збережено: 2", "en": "Findings saved: 2"},
    "closed": {"uk": "Акт закрито.", "en": "The act is closed."},
}
#: What the pages say, in each language (parts of longer sentences).
SAYS = {
    "best match": {"uk": "Спершу найвідповідніші.", "en": "Best match first."},
    "nothing addressed": {
        "uk": "Органу «Національна поліція України» і підпорядкованим йому органам не адресовано",
        "en": "No recommendation is addressed to “Національна поліція України”",
    },
    "not in the future": {"uk": "майбутн", "en": "future"},
    "answer received": {"uk": "Отримано відповідь: акт", "en": "Answer received: act"},
    "too early": {
        "uk": "Висновки зараховуються лише з візитів після надсилання",
        "en": "Findings count only from visits after the sending",
    },
    "verified warning": {
        "uk": "Повторний візит підтвердив виконання рекомендацій",
        "en": "A follow-up visit verified recommendations",
    },
    "unassessed": {
        "uk": "Не оцінено рекомендацій цього акта: 1",
        "en": "Recommendations of this act not assessed yet: 1",
    },
    "give the reason": {"uk": "Вкажіть причину", "en": "Give the reason"},
    "assessment": {"uk": "Оцінка", "en": "Assessment"},
    "term": {"uk": "1 місяць", "en": "1 month"},
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
    too_early: object = None
    earlier: object = None
    verified: object = None
    earlier_act: object = None
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

    def says(self, page, what, selector="main"):
        """``selector``'s text says ``what`` in the journey's language."""
        expected = SAYS[what][self.lang]
        page.wait_for_selector(f"{selector}:has-text('{expected}')")

    def download(self, page, selector):
        """The bytes of the file the link ``selector`` downloads."""
        with page.expect_download() as info:
            page.click(selector)
        with open(info.value.path(), "rb") as f:
            return f.read()

    def act_id(self):
        return int(self.act_url.rsplit("/", 1)[1])

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


def lawyer_works_the_queue(j):
    """The list of one visit's drafts as a queue: searched, the filter saved, every row selected
    at once, issued, then assigned."""
    page = j.page("lawyer")
    visit = j.registry["visit"].id
    page.goto(f"{j.base}/recommendations/?visit_id={visit}&state=draft&q=укриттям")
    j.says(page, "best match", "#order-note")
    assert page.locator("input[name=ids]").count() == 1  # the one about a shelter
    page.fill("#q", "")
    page.click("#filters button[type=submit]")
    page.wait_for_url(lambda url: "q=&" in url or url.endswith("q="))
    assert page.locator("input[name=ids]").count() == 2
    j.fits(page)
    page.fill("#filter-name", "Нові з візиту")
    page.click(
        "#saved-filters button:has-text('{}')".format(
            {"uk": "Зберегти фільтри", "en": "Save the filters"}[j.lang]
        )
    )
    j.said(page, "saved filter")
    page.click("#saved-filters a:has-text('Нові з візиту')")
    page.wait_for_url(f"**visit_id={visit}**")
    page.check("#select-all")
    page.select_option("#action", "issue")
    page.click("#bulk-form button[type=submit]")
    j.said(page, "issued")
    page.goto(f"{j.base}/recommendations/?visit_id={visit}&state=issued")
    page.check("#select-all")
    page.select_option("#action", "assign")
    page.select_option("#bulk-lawyer", str(j.users["lawyer"].id))
    page.click("#bulk-form button[type=submit]")
    j.said(page, "assigned")
    assert page.locator("td", has_text=j.users["lawyer"].name).count() == 2


def lawyer_makes_the_act(j):
    """To the ministry: its agency's recommendations are offered; a body with none says why."""
    page = j.page("lawyer")
    page.goto(f"{j.base}/acts/new?authority_id={j.registry['police'].id}&kind=submission")
    j.says(page, "nothing addressed", "#no-eligible")
    assert page.locator("input[name=recommendation_ids]").count() == 0
    page.select_option("#pick-authority", str(j.registry["ministry"].id))
    page.click("main form[method=get] button[type=submit]")
    j.fits(page)
    boxes = page.locator("input[name=recommendation_ids]")
    assert boxes.count() == 2, "the agency's two issued recommendations are offered"
    for box in boxes.all():
        box.check()
    page.click("main form:has(input[name=recommendation_ids]) button[type=submit]")
    page.wait_for_url(f"{j.base}/acts/*")
    j.act_url = page.url


def lawyer_generates(j):
    """The documents appear on the same page once the worker made them (no reload); the button
    waits disabled meanwhile."""
    page = j.page("lawyer")
    page.click("form:has(input[name=name][value=generate]) button[type=submit]")
    j.said(page, "generating")
    page.evaluate("window.__notReloaded = true")
    generate = "form:has(input[name=name][value=generate]) button[type=submit]"
    if documents_status(j.db, j.act_url) != "ready":  # a quick worker may be done already
        assert page.is_disabled(generate), "the button stays active while the work runs"
    page.wait_for_selector("#act-documents a:has-text('PDF')", timeout=180000)
    assert page.evaluate("window.__notReloaded === true"), "the page was reloaded"
    assert documents_status(j.db, j.act_url) == "ready"
    j.fits(page)


def lawyer_sends(j):
    """The sending date is filled in; a date in the future is refused in words, the choice of
    channel kept; then the e-mail goes."""
    page = j.page("lawyer")
    page.wait_for_selector("select[name=channel]")
    assert page.input_value("input[name=sent_on]") == kyiv_today().isoformat()
    page.select_option("select[name=channel]", "email")
    page.fill("input[name=sent_on]", (kyiv_today() + timedelta(days=3)).isoformat())
    page.click("form:has(input[name=name][value=send]) button[type=submit]")
    j.says(page, "not in the future", "form:has(input[name=name][value=send])")
    form = page.inner_text("form:has(input[name=name][value=send])")
    assert "sent_on" not in form and "channel" not in form, "a field code shows"
    assert page.input_value("select[name=channel]") == "email", "the channel was lost"
    page.fill("input[name=sent_on]", kyiv_today().isoformat())
    page.click("form:has(input[name=name][value=send]) button[type=submit]")
    j.said(page, "sent")
    assert wait_for(lambda: len(j.smtp.messages) == 1, timeout=180), "the e-mail did not arrive"
    j.says(page, "term")  # the term in words of the page's language


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


def the_bell_tells_of_the_answer(j):
    page = j.page("lawyer")
    page.goto(f"{j.base}/")
    badge = page.locator("#notification-bell .badge")
    assert badge.count() == 1 and badge.inner_text().startswith("1")
    page.click("#notification-bell")
    j.says(page, "answer received")
    j.fits(page)
    page.click("main form[action$='/open'] button[type=submit] >> nth=0")
    page.wait_for_url(j.act_url)
    assert page.locator("#notification-bell .badge").count() == 0


def lawyer_assesses(j):
    page = j.page("lawyer")
    page.goto(j.act_url)
    page.select_option("select[name='rows-1-decision']", "partially_implemented")
    page.click("#assessment button[type=submit]")
    j.said(page, "assessed")


def the_case_file(j):
    """One recommendation's page tells its whole case: the act, its documents, the e-mail, the
    answer with its number, the assessment."""
    from app.domain.acts.models import Act

    page = j.page("lawyer")
    page.goto(j.act_url)
    page.click("main a[href^='/recommendations/'] >> nth=1")
    page.wait_for_selector("#case-file")
    j.fits(page)
    case = page.locator("#case-file")
    j.db.session.rollback()  # a fresh snapshot: the server committed
    number = j.db.session.get(Act, j.act_id()).outgoing_number
    for kind in ("act", "documents", "email", "history"):  # an answer is a line of history
        assert case.locator(f"li.casefile-{kind}").count() >= 1, f"no {kind} in the case file"
    text = case.inner_text()
    assert number in text and "12/45-вх" in text
    assert SAYS["assessment"][j.lang] in text
    assert case.locator(f"a[href='{j.act_url.removeprefix(j.base)}']").count() >= 1


def the_list_exports_what_it_shows(j):
    """XLSX and CSV for Excel (semicolons, a BOM) of the filtered list, with the act's number,
    the answer's date, the position and the assessment."""
    from app.domain.acts.models import Act

    page = j.page("lawyer")
    page.goto(
        f"{j.base}/recommendations/?visit_id={j.registry['visit'].id}&state=partially_implemented"
    )
    assert page.locator("input[name=ids]").count() == 1
    number = j.db.session.get(Act, j.act_id()).outgoing_number
    sheet = load_workbook(io.BytesIO(j.download(page, "#export-links a >> nth=0"))).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    head, body = rows[0], rows[1:]
    assert len(body) == 1, body
    row = dict(zip(head, body[0], strict=True))
    acts = next(v for k, v in row.items() if k and k.startswith(("Act", "Акт")))
    assert number in acts
    assert all(v not in (None, "") for v in body[0][-5:-1]), (
        row
    )  # sent, position, answer, assessment
    raw = j.download(page, "#export-links a >> nth=1")
    assert raw.startswith(b"\xef\xbb\xbf"), "no BOM: Excel reads the letters wrong"
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert table[0] == list(head) and len(table) == 2 and number in ";".join(table[1])


def monitor_enters_findings(j):
    """A visit before the sending cannot find on it (the reason is given); the later visit's
    "partly" with a note and a "verified" are saved."""
    page = j.page("monitor")
    page.goto(f"{j.base}/facilities/{j.registry['facility'].id}/checklist")
    j.fits(page)
    page.select_option("select[name=visit_id]", str(j.too_early.id))
    page.locator(f"select[name='finding-{j.verified.id}']").select_option("verified")
    page.click("form:has(select[name=visit_id]) button[type=submit]")
    j.says(page, "too early", ".alert")
    page.select_option("select[name=visit_id]", str(j.follow_up.id))
    page.locator(f"select[name='finding-{j.earlier.id}']").select_option("partly")
    page.locator(f"textarea[name='note-{j.earlier.id}']").fill("Огляди проводять при конвої.")
    page.locator(f"select[name='finding-{j.verified.id}']").select_option("verified")
    page.click("form:has(select[name=visit_id]) button[type=submit]")
    j.said(page, "findings")
    j.fits(page)


def the_open_act_warns_and_closes_with_a_reason(j):
    page = j.page("lawyer")
    page.goto(f"{j.base}/acts/{j.earlier_act.id}")
    j.says(page, "verified warning", "#verified-warning")
    assert page.locator(f"#verified-warning a[href='/recommendations/{j.verified.id}']").count()
    page.click("#act-actions button[value=close]")
    page.wait_for_url(f"**/acts/{j.earlier_act.id}/transitions/confirm?name=close")
    j.says(page, "unassessed", "#confirm-warning")
    assert page.locator(f"#confirm-warning a[href='/recommendations/{j.earlier.id}']").count()
    j.fits(page)
    page.click("main button.btn-danger")
    j.says(page, "give the reason", "form")
    page.fill("textarea[name=comment]", "Орган повідомив про виконання")
    page.click("main button.btn-danger")
    page.wait_for_url(f"**/acts/{j.earlier_act.id}")
    j.said(page, "closed")


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
    lawyer_works_the_queue,
    lawyer_makes_the_act,
    lawyer_generates,
    lawyer_sends,
    lawyer_records_the_answer,
    the_bell_tells_of_the_answer,
    lawyer_assesses,
    the_case_file,
    the_list_exports_what_it_shows,
    monitor_enters_findings,
    the_open_act_warns_and_closes_with_a_reason,
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
    from app.domain.authorities.models import Authority
    from app.domain.recommendations.operations import fire
    from app.domain.visits.models import Visit

    for user in users.values():
        user.locale = lang
    # Sent in spring: the follow-up visit of September can find on them, the one of March
    # cannot (findings count only from visits after the sending).
    earlier = make_rec("Забезпечити приватність медичних оглядів", theme="health")
    verified = make_rec("Замінити вікна в кімнатах короткострокових побачень")
    for rec in (earlier, verified):
        fire(rec, "issue", users["lawyer"])
    db.session.commit()
    earlier_act = send_recs([earlier, verified], sent_on=date(2026, 4, 1))
    visits = {
        when: Visit(
            facility=registry["facility"],
            started_on=when,
            ended_on=when,
            kind="follow_up",
            monitors=[users["monitor"]],
        )
        for when in (date(2026, 3, 20), date(2026, 9, 15))
    }
    police = Authority(name="Національна поліція України", kind="agency", email="np@example.org")
    db.session.add_all([*visits.values(), police])
    db.session.commit()
    registry = {**registry, "police": police}
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
        follow_up=visits[date(2026, 9, 15)],
        too_early=visits[date(2026, 3, 20)],
        earlier=earlier,
        verified=verified,
        earlier_act=earlier_act,
    )
    for run in STEPS:
        screenshots.step = run.__name__
        run(journey)
