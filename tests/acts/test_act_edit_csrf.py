"""The act edit page saves when posted as a browser posts it: with CSRF protection on, the
token read from the page (it was always refused: the token was taken for a locked field)."""

import pytest
from page_forms import as_data, read_form


@pytest.fixture
def csrf_on(app, db):
    """CSRF protection as in production, for this test only (clients log in before)."""
    previous = app.config["WTF_CSRF_ENABLED"]
    yield lambda: app.config.update(WTF_CSRF_ENABLED=True)
    app.config["WTF_CSRF_ENABLED"] = previous


def test_edit_page_saves_with_csrf_on(db, users, make_act, client_for, csrf_on):
    act = make_act()
    client = client_for(users["lawyer"])
    csrf_on()
    page = client.get(f"/acts/{act.id}/edit")
    fields = read_form(page.get_data(as_text=True))
    assert any(name == "csrf_token" and value for name, value in fields)
    data = as_data(
        fields,
        heading="Про умови тримання у ДУ «Бучанська виправна колонія (№ 85)»",
        closing="Прошу поінформувати у місячний строк.",
    )
    response = client.post(f"/acts/{act.id}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.refresh(act)
    assert act.heading == "Про умови тримання у ДУ «Бучанська виправна колонія (№ 85)»"
    assert act.closing == "Прошу поінформувати у місячний строк."
    assert len(act.recommendations) == 3  # the checked boxes came back as they were


def test_edit_page_without_the_token_is_refused(db, users, make_act, client_for, csrf_on):
    act = make_act()
    client = client_for(users["lawyer"])
    csrf_on()
    fields = [
        (k, v)
        for k, v in read_form(client.get(f"/acts/{act.id}/edit").get_data(as_text=True))
        if k != "csrf_token"
    ]
    response = client.post(f"/acts/{act.id}/edit", data=as_data(fields, heading="Змінено"))
    assert response.status_code == 400
    db.session.refresh(act)
    assert act.heading != "Змінено"
