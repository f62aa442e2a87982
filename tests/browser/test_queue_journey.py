# ruff: noqa: F811  (the fixtures are shared with the main journey by import)
"""In a real browser: a lawyer selects every recommendation of the list with the select-all box
and assigns them to a colleague at once; then closes an act through its confirmation page,
which names the unassessed recommendations and will not close without a reason."""

from app.domain.acts.models import Act
from app.domain.recommendations.models import Recommendation
from tests.browser.test_journey import browser, live_server, pytestmark, step  # noqa: F401


def sign_in(browser, base, user, password):
    page = browser.new_context(locale="uk-UA").new_page()
    page.set_default_timeout(15000)
    page.goto(f"{base}/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def test_select_all_and_assign_to_a_lawyer(
    app, db, users, password, issued, make_user, live_server, browser
):
    colleague = make_user("lawyer", name="Оксана Бондар")
    db.session.commit()
    page = sign_in(browser, live_server, users["lawyer"], password)
    with step(page, "queue-select-all"):
        page.goto(f"{live_server}/recommendations/")
        boxes = page.locator("input[name=ids]")
        assert boxes.count() == len(issued)
        page.check("#select-all")
        assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
        page.uncheck(f"input[name=ids][value='{issued[0].id}']")
        assert not page.is_checked("#select-all")
        page.check(f"input[name=ids][value='{issued[0].id}']")
        assert page.is_checked("#select-all")
    with step(page, "queue-assign"):
        page.select_option("#action", "assign")
        page.select_option("#bulk-lawyer", str(colleague.id))
        page.click("#bulk-form button[type=submit]")
        page.wait_for_selector("text=Призначено рекомендацій: 3.")
        assert page.locator("td", has_text="Оксана Бондар").count() == 3
    db.session.rollback()  # a fresh snapshot: the server committed
    assert {r.lawyer_id for r in db.session.scalars(db.select(Recommendation))} == {colleague.id}
    with step(page, "queue-filter-by-lawyer"):
        page.select_option("#lawyer_id", str(colleague.id))
        page.click("#filters button[type=submit]")
        page.wait_for_url(f"**lawyer_id={colleague.id}**")
        assert page.locator("input[name=ids]").count() == 3


def test_close_an_act_with_a_reason(app, db, users, password, sent_act, live_server, browser):
    page = sign_in(browser, live_server, users["lawyer"], password)
    with step(page, "close-confirmation"):
        page.goto(f"{live_server}/acts/{sent_act.id}")
        page.click("button:has-text('Закрити…')")
        page.wait_for_url(f"**/acts/{sent_act.id}/transitions/confirm?name=close")
        warning = page.inner_text("#confirm-warning")
        assert "Не оцінено рекомендацій цього акта: 3" in warning
        assert page.locator("#confirm-warning li").count() == 3
    with step(page, "close-without-reason"):
        page.click("main button.btn-danger")
        page.wait_for_selector("#comment-err")
        assert "Вкажіть причину" in page.inner_text("#comment-err")
        db.session.rollback()  # a fresh snapshot: the server committed
        assert db.session.get(Act, sent_act.id).state == "sent"
    with step(page, "close-with-reason"):
        page.fill("textarea[name=comment]", "Орган повідомив про виконання")
        page.click("main button.btn-danger")
        page.wait_for_url(f"**/acts/{sent_act.id}")
        assert "Орган повідомив про виконання" in page.content()
    db.session.rollback()  # a fresh snapshot: the server committed
    assert db.session.get(Act, sent_act.id).state == "closed"
