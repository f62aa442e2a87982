"""Drafts can be discarded (API DELETE and a button with confirmation): only drafts, only by
whoever may edit them; the row, its history and the act's files go; statistics never see it."""

import sqlalchemy as sa

from app.domain.acts.models import Act, Document
from app.domain.recommendations.models import Recommendation
from app.workflow.models import WorkflowHistory


def _history_rows(db, table, subject_id):
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(WorkflowHistory)
        .where(WorkflowHistory.subject_type == table, WorkflowHistory.subject_id == subject_id)
    )


def test_api_deletes_a_draft_recommendation_with_its_history(db, users, make_rec, api_for):
    rec = make_rec(actor=users["monitor"])
    rec_id = rec.id
    assert _history_rows(db, "recommendations", rec_id) == 1
    response = api_for(users["monitor"]).delete(f"/recommendations/{rec_id}")
    assert response.status_code == 204 and response.data == b""
    db.session.expire_all()
    assert db.session.get(Recommendation, rec_id) is None
    assert _history_rows(db, "recommendations", rec_id) == 0
    assert api_for(users["monitor"]).get(f"/recommendations/{rec_id}").status_code == 404
    again = api_for(users["monitor"]).delete(f"/recommendations/{rec_id}")
    assert again.status_code == 404 and again.get_json()["error"]["code"] == "not_found"


def test_a_monitor_of_another_visit_may_not_delete(
    db, users, registry, make_rec, make_user, api_for, client_for
):
    from datetime import date

    from app.domain.visits.models import Visit

    rec = make_rec(actor=users["monitor"])
    # No visit to the facility: the draft is not theirs to know of (404, as a missing id).
    stranger = make_user("monitor")
    assert api_for(stranger).delete(f"/recommendations/{rec.id}").status_code == 404
    assert client_for(stranger).get(f"/recommendations/{rec.id}/delete").status_code == 404
    # Another visit to the same facility: they read the draft but may not delete it.
    colleague = make_user("monitor")
    db.session.add(
        Visit(
            facility=registry["facility"],
            started_on=date(2026, 5, 5),
            ended_on=date(2026, 5, 5),
            kind="follow_up",
            monitors=[colleague],
        )
    )
    db.session.commit()
    assert api_for(colleague).get(f"/recommendations/{rec.id}").status_code == 200
    assert api_for(colleague).delete(f"/recommendations/{rec.id}").status_code == 403
    assert client_for(colleague).get(f"/recommendations/{rec.id}/delete").status_code == 403
    assert db.session.get(Recommendation, rec.id) is not None


def test_an_issued_recommendation_is_409_and_stays(db, users, issued, api_for):
    response = api_for(users["lawyer"]).delete(f"/recommendations/{issued[0].id}")
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "not_draft"
    assert db.session.get(Recommendation, issued[0].id) is not None


def test_api_deletes_a_draft_act_its_documents_and_their_files(
    db, users, make_act, issued, api_for, run_jobs
):
    from app.core import storage
    from app.domain.acts.operations import eligible_recommendations, fire

    act = make_act()
    fire(act, "generate", users["lawyer"])
    db.session.commit()
    run_jobs()
    db.session.refresh(act)
    assert act.documents_status == "ready"
    paths = [storage.absolute(d.path) for d in act.documents]
    assert len(paths) == 2 and all(p.exists() for p in paths)
    act_id, authority_id = act.id, act.authority_id
    assert api_for(users["monitor"]).delete(f"/acts/{act_id}").status_code == 403
    assert all(p.exists() for p in paths)
    response = api_for(users["lawyer"]).delete(f"/acts/{act_id}")
    assert response.status_code == 204
    db.session.expire_all()
    assert db.session.get(Act, act_id) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Document)) == 0
    assert _history_rows(db, "acts", act_id) == 0
    assert not any(p.exists() for p in paths)
    # The recommendations it carried are free for another act.
    free = {r.id for r in eligible_recommendations(authority_id, "submission")}
    assert free == {r.id for r in issued}


def test_a_sent_act_is_409(db, users, make_act, make_user, api_for, client_for, run_jobs):
    from datetime import timedelta

    from app.core import clock
    from app.domain.acts.operations import fire

    act = make_act()
    fire(act, "generate", users["lawyer"])
    db.session.commit()
    run_jobs()
    db.session.refresh(act)
    sent_on = clock.today() - timedelta(days=1)
    with clock.pinned(sent_on):  # registered that day
        fire(act, "send", users["lawyer"], {"channel": "post", "sent_on": sent_on})
        db.session.commit()
    response = api_for(users["lawyer"]).delete(f"/acts/{act.id}")
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "not_draft"
    # A monitor who may not read the act learns neither that it exists nor its state.
    stranger = make_user("monitor")
    assert api_for(stranger).delete(f"/acts/{act.id}").status_code == 404
    assert client_for(stranger).get(f"/acts/{act.id}/delete").status_code == 404
    assert db.session.get(Act, act.id) is not None


def test_pages_offer_the_button_and_confirm_first(db, users, make_rec, client_for):
    rec = make_rec(actor=users["monitor"])
    rec_id = rec.id
    client = client_for(users["monitor"])
    page = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert "Видалити чернетку" in page and f"/recommendations/{rec.id}/delete" in page
    confirm = client.get(f"/recommendations/{rec.id}/delete")
    assert confirm.status_code == 200
    assert "Видалити чернетку рекомендації?" in confirm.get_data(as_text=True)
    assert db.session.get(Recommendation, rec.id) is not None  # asking deletes nothing
    done = client.post(f"/recommendations/{rec.id}/delete", follow_redirects=True)
    assert done.status_code == 200 and "Чернетку видалено." in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Recommendation, rec_id) is None


def test_no_button_where_deleting_is_not_allowed(db, users, issued, make_act, client_for):
    lawyer = client_for(users["lawyer"])
    page = lawyer.get(f"/recommendations/{issued[0].id}").get_data(as_text=True)
    assert "Видалити чернетку" not in page
    refused = lawyer.post(f"/recommendations/{issued[0].id}/delete")
    assert refused.status_code == 409 and "Зараз це неможливо" in refused.get_data(as_text=True)
    act = make_act()
    monitor = client_for(users["monitor"])
    assert "Видалити чернетку" not in monitor.get(f"/acts/{act.id}").get_data(as_text=True)
    assert monitor.post(f"/acts/{act.id}/delete").status_code == 403
    assert "Видалити чернетку" in lawyer.get(f"/acts/{act.id}").get_data(as_text=True)
    done = lawyer.post(f"/acts/{act.id}/delete", follow_redirects=True)
    assert "Чернетку видалено." in done.get_data(as_text=True)


def test_statistics_count_a_withdrawn_draft_but_never_a_deleted_one(db, users, issued, api_for):
    """Withdrawing was the only way out of a mistake, and the statistics counted it."""
    from app.domain.recommendations.operations import fire
    from app.domain.search import stats

    api = api_for(users["lawyer"])
    mistaken, duplicate = issued[0], issued[1]
    fire(mistaken, "withdraw", users["lawyer"], {"comment": "Внесено помилково"})
    db.session.commit()
    stats.refresh()  # what the workers' periodic job does (PostgreSQL's roll-up)
    counted = api.get("/stats/recommendations?group_by=state").get_json()["items"]
    assert sum(i["total"] for i in counted) == 3  # the withdrawn one stays in the figures
    draft = api.post(
        "/recommendations",
        json={"visit_id": duplicate.visit_id, "text": duplicate.text, "theme": duplicate.theme},
    ).get_json()
    assert api.delete(f"/recommendations/{draft['id']}").status_code == 204
    stats.refresh()
    after = api.get("/stats/recommendations?group_by=state").get_json()["items"]
    assert sum(i["total"] for i in after) == 3
