"""The list of recommendations as a queue: the one full-text search with relevance order, filters
by addressee, facility, visit and assigned lawyer, saved filters, and bulk actions (issue,
assign to a lawyer, draft an act) reported per recommendation."""

import re

import pytest
from page_forms import as_data, read_form

from app.domain.acts.models import Act
from app.domain.lists.models import SavedFilter
from app.domain.recommendations.models import Recommendation
from app.domain.recommendations.operations import fire


def ids_on(html):
    return [int(i) for i in re.findall(r'<td><a href="/recommendations/(\d+)">', html)]


def bulk_form_data(client, query="", **values):
    """The bulk form as the list page renders it (tokens included), with ``values``."""
    html = client.get(f"/recommendations/?{query}").get_data(as_text=True)
    return as_data(read_form(html, "/recommendations/bulk"), **values)


def test_the_list_searches_as_the_search_page(db, issued, client_for, users, make_rec):
    client = client_for(users["lawyer"])
    shelter = issued[1]  # «Облаштувати укриття на час повітряної тривоги»
    listed = ids_on(client.get("/recommendations/?q=укриттям").get_data(as_text=True))
    found = client.get("/search?q=укриттям").get_data(as_text=True)
    assert listed == [shelter.id]
    assert f"/recommendations/{shelter.id}" in found
    api = client.get("/api/v1/recommendations?q=укриттям")  # the API needs a token: 401
    assert api.status_code == 401
    assert ids_on(client.get("/recommendations/?q=УКРИТТЯ").get_data(as_text=True)) == [shelter.id]


def test_relevance_orders_the_list_when_q_is_given(db, client_for, users, make_rec):
    best = make_rec("Укриття: облаштувати укриття, перевірити укриття щомісяця")
    newer = make_rec(
        "Забезпечити харчування, прогулянки, побачення, листування, медичну допомогу, "
        "освітлення і вентиляцію камер; за потреби облаштувати укриття"
    )
    client = client_for(users["lawyer"])
    html = client.get("/recommendations/?q=укриття").get_data(as_text=True)
    assert ids_on(html) == [best.id, newer.id]
    assert "Спершу найвідповідніші." in html
    # Without words the newest comes first.
    assert ids_on(client.get("/recommendations/").get_data(as_text=True))[:2] == [
        newer.id,
        best.id,
    ]


def test_filters_by_addressee_facility_visit_and_lawyer(
    db, issued, registry, client_for, users, make_user
):
    from app.domain.recommendations.operations import assign_lawyer

    other = make_user("lawyer", name="Оксана Бондар")
    assign_lawyer(issued[0], other, users["lawyer"])
    db.session.commit()
    client = client_for(users["lawyer"])
    every = sorted(r.id for r in issued)

    def listed(query):
        return sorted(ids_on(client.get(f"/recommendations/?{query}").get_data(as_text=True)))

    assert listed(f"authority_id={registry['agency'].id}") == every
    assert listed(f"authority_id={registry['ministry'].id}") == []
    assert listed(f"facility_id={registry['facility'].id}") == every
    assert listed(f"visit_id={registry['visit'].id}") == every
    assert listed(f"lawyer_id={other.id}") == [issued[0].id]
    assert listed("lawyer_id=none") == every[1:]
    html = client.get(f"/recommendations/?lawyer_id={other.id}").get_data(as_text=True)
    assert "Оксана Бондар" in html


def test_bulk_assign_reports_each_refusal(db, issued, client_for, users, make_user):
    lawyer = make_user("lawyer", name="Оксана Бондар")
    fire(issued[2], "withdraw", users["lawyer"], {"comment": "Установу закрито"})
    db.session.commit()
    client = client_for(users["lawyer"])
    data = bulk_form_data(client, action="assign", lawyer_id=str(lawyer.id))
    data["ids"] = [issued[0].id, issued[1].id, issued[2].id, 999999]
    response = client.post("/recommendations/bulk", data=data)
    assert response.status_code == 303
    html = client.get(response.location).get_data(as_text=True)
    assert "Призначено рекомендацій: 2." in html
    assert f"Рекомендацію № {issued[2].id} не змінено" in html and "Втратила актуальність" in html
    assert "Рекомендацію № 999999 не змінено" in html
    assigned = {r.id: r.lawyer_id for r in db.session.scalars(db.select(Recommendation))}
    assert assigned[issued[0].id] == assigned[issued[1].id] == lawyer.id
    assert assigned[issued[2].id] is None
    # The same form sent again (Back, submit) changes nothing more.
    again = client.post("/recommendations/bulk", data=data)
    assert again.status_code == 303
    # No lawyer chosen: the list again, with the reason, nothing assigned.
    refused = client.post(
        "/recommendations/bulk",
        data={**bulk_form_data(client, action="assign", lawyer_id=""), "ids": [issued[0].id]},
    )
    assert refused.status_code == 422 and "Виберіть юриста" in refused.get_data(as_text=True)


def test_bulk_issue_and_act_through_the_operations(db, client_for, users, make_rec):
    drafts = [make_rec("Забезпечити доступ до води"), make_rec("Облаштувати укриття")]
    issued_one = make_rec("Відремонтувати вентиляцію")
    fire(issued_one, "issue", users["lawyer"])
    db.session.commit()
    client = client_for(users["lawyer"])
    data = bulk_form_data(client, action="issue")
    data["ids"] = [drafts[0].id, drafts[1].id, issued_one.id]
    html = client.get(client.post("/recommendations/bulk", data=data).location).get_data(
        as_text=True
    )
    assert "Видано рекомендацій: 2." in html
    assert f"Рекомендацію № {issued_one.id} не змінено" in html
    assert {db.session.get(Recommendation, r.id).state for r in drafts} == {"issued"}
    fresh = make_rec("Ще чернетка")
    data = bulk_form_data(client, action="act", kind="submission")
    data["ids"] = [drafts[0].id, drafts[1].id, issued_one.id, fresh.id]
    response = client.post("/recommendations/bulk", data=data)
    act = db.session.scalar(db.select(Act))
    assert response.status_code == 303 and response.location.endswith(f"/acts/{act.id}")
    assert sorted(r.id for r in act.recommendations) == sorted(
        [drafts[0].id, drafts[1].id, issued_one.id]
    )
    html = client.get(response.location).get_data(as_text=True)
    assert f"Рекомендацію № {fresh.id} не змінено" in html and "Чернетка" in html
    # Now held by that act: a second act from them is refused for each.
    data = bulk_form_data(client, action="act", kind="request")
    data["ids"] = [drafts[0].id]
    html = client.get(client.post("/recommendations/bulk", data=data).location).get_data(
        as_text=True
    )
    assert "вже містить інший відкритий акт" in html
    assert db.session.scalar(db.select(db.func.count(Act.id))) == 1


def test_bulk_is_for_lawyers_and_admins_and_needs_the_csrf_token(
    db, app, issued, client_for, users
):
    monitor = client_for(users["monitor"])
    html = monitor.get("/recommendations/").get_data(as_text=True)
    assert 'action="/recommendations/bulk"' not in html
    assert monitor.post("/recommendations/bulk", data={"action": "issue"}).status_code == 403
    client = client_for(users["lawyer"])
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(
            "/recommendations/bulk",
            data={"action": "assign", "lawyer_id": "none", "ids": [issued[0].id]},
        )
        assert response.status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_saved_filters_per_user(db, issued, client_for, users, make_user):
    client = client_for(users["lawyer"])
    html = client.get("/recommendations/?state=issued&q=води").get_data(as_text=True)
    form = read_form(html, "/saved-filters")
    response = client.post("/saved-filters", data=as_data(form, name="Видані про воду"))
    assert response.status_code == 303
    saved = db.session.scalar(db.select(SavedFilter))
    assert saved.page == "recommendations.index"
    assert saved.query == "state=issued&q=%D0%B2%D0%BE%D0%B4%D0%B8"
    page = client.get("/recommendations/").get_data(as_text=True)
    assert "Видані про воду" in page and "state=issued" in page
    other = client_for(make_user("lawyer"))
    assert "Видані про воду" not in other.get("/recommendations/").get_data(as_text=True)
    assert other.post(f"/saved-filters/{saved.id}/delete").status_code == 404
    assert client.post(f"/saved-filters/{saved.id}/delete").status_code == 303
    assert db.session.scalar(db.select(SavedFilter)) is None
    empty = client.post(
        "/saved-filters", data={"page": "recommendations.index", "query": "", "name": " "}
    )
    assert empty.status_code == 303 and db.session.scalar(db.select(SavedFilter)) is None


@pytest.mark.parametrize("query", ["format=pdf", "format=csv&sep=tab"])
def test_a_wrong_file_format_is_refused(db, client_for, users, query):
    assert client_for(users["lawyer"]).get(f"/recommendations/?{query}").status_code == 400


def test_search_page_and_api_rank_by_default(db, client_for, users, api_for, make_rec):
    best = make_rec("Укриття: облаштувати укриття, перевірити укриття щомісяця")
    newer = make_rec("Забезпечити харчування, прогулянки, медичну допомогу; облаштувати укриття")
    html = client_for(users["lawyer"]).get("/search?q=укриття").get_data(as_text=True)
    assert html.index(f"/recommendations/{best.id}") < html.index(f"/recommendations/{newer.id}")
    body = api_for(users["lawyer"]).get("/search?q=укриття").get_json()
    assert [r["id"] for r in body["items"]] == [best.id, newer.id]
    body = api_for(users["lawyer"]).get("/search?q=укриття&sort=newest").get_json()
    assert [r["id"] for r in body["items"]] == [newer.id, best.id]
    body = api_for(users["lawyer"]).get("/recommendations?q=укриття").get_json()
    assert [r["id"] for r in body["items"]] == [best.id, newer.id]
