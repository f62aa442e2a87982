"""Wording a person reads: numbers as the language writes them, terms in words, flashes that say
what happened, one hint per field; dates no record can have are refused with a clear message."""

from flask_babel import force_locale

from app.core.i18n import fmt_count, fmt_number, fmt_size


def test_numbers_follow_the_language(app):
    with app.test_request_context():
        with force_locale("uk"):
            assert fmt_number(18.25) == "18,2" or fmt_number(18.25) == "18,3"
            assert fmt_number(12.0) == "12" and fmt_size(18637) == "18,2 КБ"
        with force_locale("en"):
            assert fmt_number(18.2) == "18.2" and fmt_size(18637) == "18.2 KB"
        assert fmt_number(None) == "—"
        with force_locale("uk"):
            assert fmt_count(1000000) == "1\xa0000\xa0000" and fmt_count(999) == "999"
        with force_locale("en"):
            assert fmt_count(10000) == "10,000"
        assert fmt_count(None) == "—"


def test_long_lists_count_up_to_a_cap_and_say_more(app, db, users, issued, client_for):
    """A page counts its rows up to the cap and says "more than" (here a cap of 2 over 3)."""
    import sqlalchemy as sa

    from app.core.pagination import paginate
    from app.domain.recommendations.models import Recommendation

    stmt = sa.select(Recommendation).order_by(Recommendation.id)
    with app.test_request_context("/recommendations/"):
        capped = paginate(stmt, page=1, per_page=1, cap=2)
        whole = paginate(stmt, page=1, per_page=1)
    assert (capped.total, capped.more, len(capped.items)) == (2, True, 1)
    assert (whole.total, whole.more) == (3, False)
    html = client_for(users["lawyer"]).get("/recommendations/").get_data(as_text=True)
    assert "Знайдено: 3" in html


def test_favicon_is_linked_and_served(db, users, client_for):
    client = client_for(users["lawyer"])
    html = client.get("/").get_data(as_text=True)
    assert 'rel="icon" type="image/svg+xml" href="/static/core/favicon.svg"' in html
    icon = client.get("/static/core/favicon.svg")
    assert icon.status_code == 200 and b"<svg" in icon.data
    icon.close()


def test_terms_in_words_and_flashes_that_say_what_happened(
    db, users, make_act, client_for, sent_act
):
    client = client_for(users["lawyer"])
    workflow = client.get("/workflows/act").get_data(as_text=True)
    assert "Подання (ст. 15): 1 місяць" in workflow and "Запит (ст. 22): 15 днів" in workflow
    assert "settings.terms" not in workflow and "1 month" not in workflow
    act_page = client.get(f"/acts/{sent_act.id}").get_data(as_text=True)
    assert "(1 місяць)" in act_page and "(1 month)" not in act_page
    rec_page = client.get("/workflows/recommendation").get_data(as_text=True)
    assert "due_on" not in rec_page and "строк виконання" in rec_page

    act = make_act(recs=[fresh_issued(db, users, sent_act)])
    response = client.post(
        f"/acts/{act.id}/transitions", data={"name": "generate"}, follow_redirects=True
    )
    html = response.get_data(as_text=True)
    assert "Документи формуються; сторінка покаже, коли вони будуть готові." in html
    assert "Виконано: Проєкт" not in html


def fresh_issued(db, users, sent_act):
    """An issued recommendation not yet in any act (the fixture's three are sent)."""
    from app.domain.recommendations.operations import create_recommendation, fire

    visit = sent_act.recommendations[0].visit
    rec = create_recommendation(visit, {"text": "Нова", "theme": "health"}, users["lawyer"])
    fire(rec, "issue", users["lawyer"])
    db.session.commit()
    return rec


def test_the_new_user_form_gives_one_hint(db, users, client_for):
    html = client_for(users["admin"]).get("/users/new").get_data(as_text=True)
    assert "Обов’язково: щонайменше 10 символів" in html
    assert "Залиште порожнім, щоб не змінювати пароль." not in html
    edit = (
        client_for(users["admin"]).get(f"/users/{users['monitor'].id}/edit").get_data(as_text=True)
    )
    assert "Залиште порожнім, щоб не змінювати пароль." in edit


def test_absurd_dates_are_refused(db, users, registry, client_for, sent_act, api_for, make_act):
    client = client_for(users["lawyer"])
    html = client.get("/dashboard?from=2026-05-01&to=2026-01-01").get_data(as_text=True)
    assert "Кінець періоду не може бути раніше за початок." in html
    html = client.get("/dashboard?from=1900-01-01").get_data(as_text=True)
    assert "Введіть дату від 01.01.2012 до" in html

    api = api_for(users["lawyer"])
    body = {
        "kind": "substantive",
        "received_on": "1900-01-01",
        "incoming_number": "1/1",
        "text": "Відповідь.",
        "positions": [],
    }
    response = api.post(f"/acts/{sent_act.id}/responses", json=body)
    assert response.status_code == 422
    assert "received_on" in response.get_json()["error"]["fields"]

    draft = make_act(recs=[fresh_issued(db, users, sent_act)])
    page = client.post(
        f"/acts/{draft.id}/edit",
        data={
            "heading": "Про стан",
            "reference_number": "12/3",
            "reference_on": "2030-01-01",
            "signatory_position": "Посада",
            "signatory_name": "Ім'я",
            "recommendation_ids": [str(r.id) for r in draft.recommendations],
        },
    )
    assert page.status_code == 422
    assert "Дата не може бути в майбутньому." in page.get_data(as_text=True)
    db.session.refresh(draft)
    assert draft.reference_on is None
