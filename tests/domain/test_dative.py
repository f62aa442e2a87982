"""Dative forms offered for an authority's head: position and «Власне ім'я ПРІЗВИЩЕ»."""

import pytest

from app.domain.authorities.dative import name_dative, position_dative


@pytest.mark.parametrize(
    ("nominative", "dative"),
    [
        ("Міністр юстиції України", "Міністрові юстиції України"),
        (
            "Голова Державної кримінально-виконавчої служби України",
            "Голові Державної кримінально-виконавчої служби України",
        ),
        (
            "Перший заступник Міністра охорони здоров’я України",
            "Першому заступникові Міністра охорони здоров’я України",
        ),
        (
            "Директор Департаменту соціального захисту населення",
            "Директорові Департаменту соціального захисту населення",
        ),
    ],
)
def test_position(nominative, dative):
    assert position_dative(nominative) == dative


@pytest.mark.parametrize(
    ("nominative", "dative"),
    [
        ("Ольга Стефанішина", "Ользі СТЕФАНІШИНІЙ"),
        ("Ігор Коваль", "Ігореві КОВАЛЕВІ"),
        ("Ірина Коваль", "Ірині КОВАЛЬ"),  # a woman's surname in a consonant does not change
        ("Дмитро Лубінець", "Дмитрові ЛУБІНЦЕВІ"),
    ],
)
def test_name(nominative, dative):
    assert name_dative(nominative) == dative


def test_offered_on_the_form_and_by_the_api(db, users, client_for, api_for):
    client = client_for(users["admin"])
    response = client.post(
        "/authorities/new",
        data={
            "name": "Міністерство охорони здоров’я України",
            "kind": "ministry",
            "head_position": "Міністр охорони здоров’я України",
            "head_person": "Віктор Ляшко",
            "suggest_dative": "1",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="Міністрові охорони здоров’я України"' in html
    assert 'value="Вікторові ЛЯШКУ"' in html or 'value="Вікторові ЛЯШКОВІ"' in html
    from app.domain.authorities.models import Authority
    from app.extensions import db as _db

    assert _db.session.query(Authority).count() == 0  # a suggestion saves nothing
    api = api_for(users["lawyer"])
    body = api.get("/authorities/dative?position=Міністр юстиції України&name=Ольга Стефанішина")
    assert body.get_json() == {
        "head_title": "Міністрові юстиції України",
        "head_name": "Ользі СТЕФАНІШИНІЙ",
    }
    assert api.get("/authorities/dative").status_code == 422
