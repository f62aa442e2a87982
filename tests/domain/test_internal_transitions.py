"""Transitions that operations fire (sending, recording an answer, the sweep) cannot be asked
for by name: 403 through the API and the pages, nothing changes, never offered. The guards that
remain load the act or the response they name."""

import pytest
import sqlalchemy as sa

from app.domain.acts.operations import fire as fire_act
from app.domain.deadlines.models import Deadline
from app.domain.recommendations.operations import fire as fire_rec
from app.workflow import GuardRefused, get_engine

REC_INTERNAL = ("send", "respond", "note_interim_answer", "mark_overdue")
ACT_INTERNAL = ("respond", "note_interim_answer", "mark_overdue")


def _history(subject):
    return [h.transition for h in get_engine().history(subject)]


def test_the_yaml_declares_them_internal(app):
    engine = app.extensions["workflow"]
    internal = {
        name: sorted({t.name for t in engine.current(name).transitions if t.internal})
        for name in ("recommendation", "act")
    }
    assert internal == {
        "recommendation": sorted(REC_INTERNAL),
        "act": sorted(ACT_INTERNAL),
    }


@pytest.mark.parametrize(
    "name, params",
    [
        ("send", {"act_id": 987654}),
        ("respond", {"response_id": 987654}),
        ("note_interim_answer", {"response_id": 1}),
        ("mark_overdue", {}),
    ],
)
def test_api_refuses_forged_recommendation_moves(
    db, users, api_for, issued, make_act, send_act, name, params
):
    rec = issued[0] if name == "send" else send_act(make_act()).recommendations[0]
    before_state, before = rec.state, _history(rec)
    response = api_for(users["lawyer"]).post(
        f"/recommendations/{rec.id}/transitions", json={"name": name, **params}
    )
    assert response.status_code == 403, response.get_json()
    assert response.get_json()["error"]["code"] == "forbidden"
    db.session.refresh(rec)
    assert rec.state == before_state and _history(rec) == before


@pytest.mark.parametrize("name", ACT_INTERNAL)
def test_api_refuses_forged_act_moves_and_the_clock_runs_on(db, users, api_for, sent_act, name):
    due = db.session.scalar(sa.select(Deadline).where(Deadline.act_id == sent_act.id))
    assert due.cancelled_at is None
    response = api_for(users["lawyer"]).post(
        f"/acts/{sent_act.id}/transitions", json={"name": name, "response_id": 987654}
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert sent_act.state == "sent" and _history(sent_act)[-1] == "send"
    assert db.session.get(Deadline, due.id).cancelled_at is None
    assert {r.state for r in sent_act.recommendations} == {"sent_to_authority"}


def test_never_listed_nor_offered(db, users, api_for, client_for, sent_act):
    rec = sent_act.recommendations[0]
    api = api_for(users["lawyer"])
    act_names = {t["name"] for t in api.get(f"/acts/{sent_act.id}/transitions").get_json()}
    rec_names = {t["name"] for t in api.get(f"/recommendations/{rec.id}/transitions").get_json()}
    assert act_names == {"close"}
    assert not rec_names & set(REC_INTERNAL)
    page = client_for(users["lawyer"]).get(f"/acts/{sent_act.id}").get_data(as_text=True)
    assert 'value="respond"' not in page and 'value="mark_overdue"' not in page
    page = client_for(users["lawyer"]).get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert 'value="respond"' not in page and 'value="send"' not in page


def test_pages_refuse_them_too(db, users, client_for, issued, sent_act):
    client = client_for(users["lawyer"])
    rec = sent_act.recommendations[0]
    response = client.post(
        f"/recommendations/{rec.id}/transitions", data={"name": "respond", "comment": ""}
    )
    assert response.status_code == 403
    response = client.post(f"/acts/{sent_act.id}/transitions", data={"name": "respond"})
    assert response.status_code == 403
    db.session.expire_all()
    assert rec.state == "sent_to_authority" and sent_act.state == "sent"


def test_guards_load_the_rows_they_name(db, users, issued, make_act, send_act, answer_act):
    lawyer = users["lawyer"]
    with pytest.raises(GuardRefused):
        fire_rec(issued[0], "send", lawyer, {"act_id": 987654})
    db.session.rollback()
    first = send_act(make_act(recs=issued[:1]))
    # An act that exists but does not carry the recommendation does not send it.
    with pytest.raises(GuardRefused):
        fire_rec(issued[1], "send", lawyer, {"act_id": first.id})
    db.session.rollback()
    second = send_act(make_act(recs=issued[1:2]))
    answer = answer_act(first)
    # Another act's answer moves neither this act nor its recommendations.
    with pytest.raises(GuardRefused):
        fire_act(second, "respond", lawyer, {"response_id": answer.id})
    db.session.rollback()
    with pytest.raises(GuardRefused):
        fire_rec(issued[1], "respond", lawyer, {"response_id": answer.id})
    db.session.rollback()
    with pytest.raises(GuardRefused):
        fire_act(second, "respond", lawyer, {"response_id": 987654})
    db.session.rollback()
    db.session.expire_all()
    assert second.state == "sent" and issued[1].state == "sent_to_authority"
    assert first.state == "responded" and issued[0].state == "responded"


def test_internal_must_agree_across_entries_of_a_name(tmp_path):
    from app.workflow import Registry
    from app.workflow.loader import check_dir

    (tmp_path / "w.yaml").write_text(
        """name: w
initial: a
states:
  a: {label: {uk: А, en: A}}
  b: {label: {uk: Б, en: B}}
transitions:
  - {name: go, label: {uk: Іти, en: Go}, from: [a], to: b, roles: [lawyer], internal: true}
  - {name: go, label: {uk: Іти, en: Go}, from: [b], to: a, roles: [lawyer]}
""",
        encoding="utf-8",
    )
    problems = check_dir(tmp_path, Registry())
    assert problems == [f"{tmp_path / 'w.yaml'}:8: transition 'go' is internal in one entry only"]
