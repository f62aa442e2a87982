"""Search: words in any form (by their beginning), every filter, order, pages and the API.

Texts of the ``cases`` fixture with "катуван…": b "катування" (agency, 2026, UA-32, verified),
f "катуванню" (draft, agency, safeguards) and g "катування" (Lviv HQ under the National Police,
ITT, follow-up visit 2025, sent with its due date 2025-07-01 passed).
"""

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from app.domain.search import queries
from app.domain.search.filters import parse


def found(cases, **args):
    f, errors = parse(MultiDict(args))
    assert errors == {}
    ids = {rec.id: key for key, rec in cases.items()}
    from app.extensions import db

    return [ids[r.id] for r in db.session.scalars(queries.search_stmt(f))]


def test_a_word_finds_its_other_forms_in_any_case(cases):
    assert sorted(found(cases, q="катування")) == ["b", "f", "g"]  # f has "катуванню"
    assert sorted(found(cases, q="катуванню")) == ["b", "f", "g"]
    assert sorted(found(cases, q="КАТУВАННЯМ")) == ["b", "f", "g"]
    assert found(cases, q="катув") == found(cases, q="катування")
    assert found(cases, q="питна вода") == ["a"]  # "питної води"
    assert found(cases, q="укриттям тривоги") == ["e"]


def test_every_word_must_occur(cases):
    assert found(cases, q="катування затриманих") == ["b"]
    assert found(cases, q="катування вентиляції") == []
    assert found(cases, q="та") != []  # a lone short word is still searched
    assert found(cases, q="!!!") == found(cases)  # no words: no text condition


@pytest.mark.parametrize(
    "args, expected",
    [
        ({"state": "sent_to_authority"}, ["g"]),
        ({"authority_id": "ministry"}, ["b", "f"]),  # the agency is under the ministry
        ({"authority_id": "police"}, ["g"]),  # the Lviv HQ is under the police
        ({"authority_id": "lviv_hq"}, ["g"]),
        ({"facility_type": "itt_police"}, ["g"]),
        ({"region": "UA-32"}, ["b", "f"]),
        ({"theme": "treatment"}, ["b", "g"]),
        ({"visit_kind": "follow_up"}, ["g"]),
        ({"visit_from": "2026-01-01"}, ["b", "f"]),
        ({"visit_to": "2025-12-31"}, ["g"]),
        ({"due_from": "2026-01-01", "due_to": "2026-12-31"}, ["b"]),
        ({"due_to": "2025-12-31"}, ["g"]),
        ({"overdue": "1"}, ["g"]),
        ({"facility_id": "itt"}, ["g"]),
    ],
)
def test_words_with_each_filter(cases, world, args, expected):
    args = {
        k: str(world[v].id) if k in ("authority_id", "facility_id") else v for k, v in args.items()
    }
    assert sorted(found(cases, q="катуванню", **args)) == expected


def test_filters_without_words(cases, world):
    assert sorted(found(cases, overdue="true")) == ["d", "g"]
    assert sorted(found(cases, facility_id=str(world["itt"].id))) == ["g", "h"]
    assert sorted(found(cases, region="UA-30", theme="health")) == ["k"]


def test_orders(cases):
    assert found(cases, q="катування") == ["g", "f", "b"]  # newest first
    assert found(cases, q="катування", sort="oldest") == ["b", "f", "g"]
    assert found(cases, q="катування", sort="due") == ["g", "b", "f"]  # no due date last
    assert found(cases, q="катування", sort="visit") == ["f", "b", "g"]


def test_wrong_values_are_named(db):
    f, errors = parse(
        MultiDict(
            {
                "state": "lost",
                "authority_id": "x",
                "visit_from": "2026-02-30",
                "overdue": "maybe",
                "due_from": "2026-05-01",
                "due_to": "2026-04-01",
            }
        )
    )
    assert set(errors) == {"state", "authority_id", "visit_from", "overdue", "due_to"}
    assert f.state is None and f.authority_id is None


def test_the_index_follows_edits(cases, db, users):
    from app.domain.recommendations.operations import update_recommendation

    update_recommendation(cases["f"], {"text": "Запобігати насильству"}, users["lawyer"])
    db.session.commit()
    assert sorted(found(cases, q="катування")) == ["b", "g"]
    assert found(cases, q="насильства") == ["f"]
    db.session.delete(cases["f"])
    db.session.commit()
    assert found(cases, q="насильства") == []


def test_search_page(cases, client_for, users):
    page = client_for(users["monitor"]).get("/search?q=катуванню&region=UA-32")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<mark>катування</mark>" in body and "<mark>Катуванню</mark>" not in body
    assert "<mark>катуванню</mark>" in body
    assert f'href="/recommendations/{cases["b"].id}"' in body
    assert "Виконання підтверджено" in body and "state-badge" in body  # b is verified
    # The export form repeats the filters, and offers the files with or without personal data.
    assert 'name="format" value="csv"' in body and 'name="region" value="UA-32"' in body
    assert 'name="q" value="катуванню"' in body and 'name="anonymise" value="true"' in body
    assert "Знайдено: 2" in body


def test_search_page_is_a_shareable_address(cases, client_for, users):
    client = client_for(users["lawyer"])
    body = client.get("/search?q=катування&per_page=1&sort=oldest").get_data(as_text=True)
    assert "page=2" in body and "sort=oldest" in body and "q=%D0%BA" in body
    second = client.get("/search?q=катування&per_page=1&sort=oldest&page=2").get_data(as_text=True)
    assert f'href="/recommendations/{cases["f"].id}"' in second


def test_search_page_shows_wrong_values(client_for, users, db):
    body = client_for(users["lawyer"]).get("/search?state=lost&visit_from=1.1.2026")
    assert body.status_code == 200
    text = body.get_data(as_text=True)
    assert "Має бути одним із" in text and "РРРР-ММ-ДД" in text


def test_search_needs_a_login(client_for, db):
    assert client_for().get("/search?q=вода").status_code == 302


def test_search_api(cases, world, api_for, users):
    api = api_for(users["monitor"])
    body = api.get("/search?q=катуванню&region=UA-46").get_json()
    assert body["total"] == 1 and body["page"] == 1
    assert body["items"][0]["id"] == cases["g"].id
    assert body["items"][0]["state"] == "sent_to_authority"
    assert body["items"][0]["due_on"] == date(2025, 7, 1).isoformat()
    paged = api.get("/search?q=катування&per_page=2&page=2&sort=oldest").get_json()
    assert (paged["total"], [i["id"] for i in paged["items"]]) == (3, [cases["g"].id])


def test_search_api_refuses_wrong_values(api_for, users):
    api = api_for(users["lawyer"])
    response = api.get("/search?region=UA-99&overdue=maybe&per_page=1000")
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) >= {"region", "overdue"}
    assert api.get("/search?format=docx").status_code == 422


def test_openapi_describes_search_and_stats(app, api_for, users, db):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    assert "/search" in spec["paths"] and "/stats/recommendations" in spec["paths"]
    names = {p["name"] for p in spec["paths"]["/search"]["get"]["parameters"] if "name" in p}
    assert {
        "q",
        "state",
        "authority_id",
        "facility_type",
        "region",
        "theme",
        "visit_kind",
        "visit_from",
        "due_to",
        "overdue",
        "sort",
        "format",
    } <= names


def test_every_list_in_openapi_gets_the_file_formats(app, db):
    from app.api.search import add_file_formats

    page = {"type": "object", "properties": {"items": {"type": "array"}, "total": {}}}
    paths = {
        "/things": {
            "get": {
                "parameters": [],
                "responses": {"200": {"content": {"application/json": {"schema": page}}}},
            }
        },
        "/things/{id}": {
            "get": {
                "responses": {
                    "200": {"content": {"application/json": {"schema": {"type": "object"}}}}
                }
            }
        },
    }
    add_file_formats(paths)
    listed = paths["/things"]["get"]
    assert [p["name"] for p in listed["parameters"]] == ["format"]
    assert "text/csv" in listed["responses"]["200"]["content"]
    assert "parameters" not in paths["/things/{id}"]["get"]
