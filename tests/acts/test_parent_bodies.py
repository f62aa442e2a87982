"""Acts to a supervising body: a ministry's act may carry the recommendations addressed to the
bodies under it, and the picker says why when it can carry none."""

import sqlalchemy as sa

from app.domain.acts.models import Act
from app.domain.authorities.models import Authority


def _new_page(client, authority, kind="submission"):
    return client.get(f"/acts/new?authority_id={authority.id}&kind={kind}").get_data(as_text=True)


def test_a_submission_to_the_ministry_offers_its_services_recommendations(
    db, users, registry, issued, client_for
):
    ministry = registry["ministry"]
    client = client_for(users["lawyer"])
    html = _new_page(client, ministry)
    for rec in issued:
        assert rec.authority_id == registry["agency"].id
        assert f'name="recommendation_ids" value="{rec.id}"' in html
    assert 'id="no-eligible"' not in html
    response = client.post(
        "/acts/new",
        data={
            "authority_id": ministry.id,
            "kind": "submission",
            "recommendation_ids": [r.id for r in issued[:2]],
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    act = db.session.scalar(sa.select(Act))
    assert act.authority_id == ministry.id
    assert [r.id for r in act.recommendations] == [r.id for r in issued[:2]]
    # The agency itself is not under its own service: a sibling's recommendations stay out.
    sibling = Authority(name="Державна міграційна служба України", kind="agency", parent=ministry)
    db.session.add(sibling)
    db.session.commit()
    html = _new_page(client, sibling)
    assert 'name="recommendation_ids"' not in html and 'id="no-eligible"' in html


def test_an_act_to_a_body_above_refuses_an_unrelated_authoritys_recommendation(
    db, users, registry, issued, make_rec
):
    from app.core.errors import OperationError
    from app.domain.acts.operations import create_act
    from app.domain.recommendations.operations import fire

    other = Authority(name="Міністерство охорони здоров'я України", kind="ministry")
    db.session.add(other)
    db.session.commit()
    stranger = make_rec("Чужа рекомендація", authority_id=other.id)
    fire(stranger, "issue", users["lawyer"])
    db.session.commit()
    try:
        create_act("submission", registry["ministry"].id, [stranger.id], users["lawyer"])
    except OperationError as exc:
        assert "іншому органу" in str(exc.fields["recommendation_ids"][0])
    else:
        raise AssertionError("a recommendation to an unrelated authority was accepted")
    db.session.rollback()


def test_the_empty_picker_says_why_instead_of_showing_the_form(
    db, users, registry, issued, make_rec, make_act, client_for
):
    client = client_for(users["lawyer"])
    lonely = Authority(name="Орган без рекомендацій", kind="other")
    db.session.add(lonely)
    db.session.commit()
    html = _new_page(client, lonely)
    assert "Органу «Орган без рекомендацій» і підпорядкованим йому органам не адресовано" in html
    assert 'name="heading"' not in html and "Скласти акт" not in html

    act = make_act()  # holds all three issued recommendations
    make_rec("Ще чернетка")
    html = _new_page(client, registry["ministry"])
    assert 'name="heading"' not in html
    assert "Жодну з 4 рекомендацій" in html
    assert f'href="/acts/{act.id}"' in html and "3 — уже у відкритому акті" in html
    assert "Чернетка: 1" in html and "спершу їх має видати юрист" in html
    # A reminder follows a sent act: the draft act keeps them out of one too, and says so.
    html = _new_page(client, registry["ministry"], kind="reminder")
    assert 'name="heading"' not in html and "Видано: 3" in html
