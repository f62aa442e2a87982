"""Acts through pages and the API, roles allowed and refused, bad input."""

from datetime import date

import pytest

from app.core import clock
from app.core.clock import today as kyiv_today
from app.domain.acts.models import Act


def test_lawyer_drafts_generates_and_sends_through_pages(
    db, users, registry, issued, client_for, run_jobs
):
    client = client_for(users["lawyer"])
    agency = registry["agency"]
    html = client.get(f"/acts/new?authority_id={agency.id}&kind=submission").get_data(as_text=True)
    for rec in issued:
        assert f'value="{rec.id}"' in html
    response = client.post(
        "/acts/new",
        data={
            "authority_id": agency.id,
            "kind": "submission",
            "recommendation_ids": [r.id for r in issued[:2]],
        },
    )
    assert response.status_code == 302
    act = db.session.scalar(db.select(Act))
    assert [r.id for r in act.recommendations] == [r.id for r in issued[:2]]
    assert client.post(f"/acts/{act.id}/transitions", data={"name": "generate"}).status_code == 302
    run_jobs()
    html = client.get(f"/acts/{act.id}").get_data(as_text=True)
    assert "готові" in html and "DOCX v1" in html and "PDF v1" in html
    assert "Державна кримінально-виконавча служба України" in html  # the preview
    response = client.post(
        f"/acts/{act.id}/transitions",
        data={"name": "send", "channel": "post", "sent_on": kyiv_today().isoformat()},
    )
    assert response.status_code == 302
    db.session.refresh(act)
    assert act.state == "sent" and act.outgoing_number
    html = client.get(f"/acts/{act.id}").get_data(as_text=True)
    assert act.outgoing_number in html and "зареєстровано" in html
    doc = act.latest("pdf")
    with client.get(f"/documents/{doc.id}") as download:
        assert download.status_code == 200 and download.data[:4] == b"%PDF"


def test_page_bad_input(db, users, registry, issued, make_act, client_for, run_jobs):
    client = client_for(users["lawyer"])
    response = client.post(
        "/acts/new", data={"authority_id": registry["agency"].id, "kind": "submission"}
    )
    assert response.status_code == 422
    assert "хоча б одну рекомендацію" in response.get_data(as_text=True)
    act = make_act()
    response = client.post(
        f"/acts/{act.id}/transitions",
        data={"name": "send", "channel": "post", "sent_on": kyiv_today().isoformat()},
    )
    assert response.status_code == 409
    assert "Спершу сформуйте документи" in response.get_data(as_text=True)
    response = client.post(
        f"/acts/{act.id}/transitions",
        data={"name": "send", "channel": "pigeon", "sent_on": "yesterday"},
    )
    assert response.status_code == 422


def test_monitors_and_admins_cannot_act(db, users, make_act, client_for):
    act = make_act()
    for role in ("monitor", "admin"):
        client = client_for(users[role])
        assert client.get(f"/acts/{act.id}").status_code == 200
        assert client.get("/acts/new").status_code == 403
        assert (
            client.post(f"/acts/{act.id}/transitions", data={"name": "generate"}).status_code == 403
        )
        assert client.get(f"/acts/{act.id}/edit").status_code == 403


def test_edit_draft_and_frozen_after_sending(db, users, make_act, issued, client_for, run_jobs):
    act = make_act()
    client = client_for(users["lawyer"])
    form = {
        "heading": "Про укриття",
        "opening": "Шановний пане!",
        "closing": "",
        "reference_number": "",
        "reference_on": "",
        "signatory_position": "Уповноважений",
        "signatory_name": "Олена ПРИКЛАДНА",
        "recommendation_ids": [issued[1].id],
    }
    assert client.post(f"/acts/{act.id}/edit", data=form).status_code == 302
    db.session.refresh(act)
    assert act.heading == "Про укриття" and [r.id for r in act.recommendations] == [issued[1].id]
    client.post(f"/acts/{act.id}/transitions", data={"name": "generate"})
    run_jobs()
    client.post(
        f"/acts/{act.id}/transitions",
        data={"name": "send", "channel": "post", "sent_on": kyiv_today().isoformat()},
    )
    assert client.get(f"/acts/{act.id}/edit").status_code == 403


def test_api_create_list_and_documents(db, users, registry, issued, api_for, run_jobs):
    api = api_for(users["lawyer"])
    response = api.post(
        "/acts",
        json={
            "kind": "request",
            "authority_id": registry["agency"].id,
            "recommendation_ids": [issued[0].id],
        },
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["state"] == "draft" and body["documents_status"] == "none"
    assert body["recommendation_ids"] == [issued[0].id] and body["outgoing_number"] is None
    act_id = body["id"]
    transitions = api.get(f"/acts/{act_id}/transitions").get_json()
    assert [t["name"] for t in transitions] == ["generate", "cancel"]
    response = api.post(f"/acts/{act_id}/transitions", json={"name": "generate"})
    assert response.get_json()["documents_status"] == "pending"
    run_jobs()
    docs = api.get(f"/acts/{act_id}/documents").get_json()
    assert sorted(d["format"] for d in docs) == ["docx", "pdf"]
    assert all(len(d["sha256"]) == 64 and d["size"] > 1000 for d in docs)
    pdf = next(d for d in docs if d["format"] == "pdf")
    content = api.get(f"/documents/{pdf['id']}/content")
    assert content.status_code == 200 and content.data[:4] == b"%PDF"
    content.close()
    with clock.pinned(date(2026, 3, 4)):  # the register on that day
        response = api.post(
            f"/acts/{act_id}/transitions",
            json={"name": "send", "channel": "post", "received_on": "2026-03-04"},
        )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["state"] == "sent" and body["outgoing_number"] == "1/2026"
    assert body["registered_on"] == body["sent_on"] == "2026-03-04"  # sent_on: today by default
    assert body["received_on"] == "2026-03-04" and body["received_on_assumed"] is False
    assert body["documents_status"] == "pending"  # the registered documents: a job makes them
    assert body["due_on"] == "2026-03-19"  # 15 days from receipt on 4 March
    history = api.get(f"/acts/{act_id}/history").get_json()
    assert [h["transition"] for h in history] == ["create", "generate", "send"]
    rec = api.get(f"/recommendations/{issued[0].id}").get_json()
    assert rec["state"] == "sent_to_authority" and rec["act_ids"] == [act_id]
    assert rec["due_on"] == "2026-03-19"
    assert len(api.get("/acts?state=sent").get_json()["items"]) == 1


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"kind": "poem"}, "kind"),
        ({"recommendation_ids": []}, "recommendation_ids"),
        ({"recommendation_ids": [424242]}, "recommendation_ids"),
        ({"authority_id": 424242}, "authority_id"),
        ({"recommendation_ids": "all"}, "recommendation_ids"),
    ],
)
def test_api_bad_input(db, users, registry, issued, api_for, payload, field):
    base = {
        "kind": "submission",
        "authority_id": registry["agency"].id,
        "recommendation_ids": [issued[0].id],
    }
    response = api_for(users["lawyer"]).post("/acts", json={**base, **payload})
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert db.session.scalar(db.select(db.func.count()).select_from(Act)) == 0


def test_api_roles_and_send_errors(db, users, make_act, api_for, run_jobs):
    act = make_act()
    monitor = api_for(users["monitor"])
    assert monitor.post("/acts", json={}).status_code == 403
    assert monitor.post(f"/acts/{act.id}/transitions", json={"name": "generate"}).status_code == 403
    lawyer = api_for(users["lawyer"])
    response = lawyer.post(
        f"/acts/{act.id}/transitions",
        json={"name": "send", "channel": "post", "sent_on": "2026-01-01"},
    )
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "guard_refused"
    lawyer.post(f"/acts/{act.id}/transitions", json={"name": "generate"})
    run_jobs()
    response = lawyer.post(
        f"/acts/{act.id}/transitions",
        json={"name": "send", "channel": "fax", "sent_on": "2026-01-01"},
    )
    assert response.status_code == 422 and "channel" in response.get_json()["error"]["fields"]
    response = lawyer.post(
        f"/acts/{act.id}/transitions",
        json={
            "name": "send",
            "channel": "post",
            "sent_on": "2026-01-05",
            "received_on": "2026-01-01",
        },
    )
    assert response.status_code == 422 and "received_on" in response.get_json()["error"]["fields"]
    response = lawyer.post(
        f"/acts/{act.id}/transitions",
        json={"name": "send", "channel": "post", "sent_on": "2999-01-01"},
    )
    assert response.status_code == 422 and "sent_on" in response.get_json()["error"]["fields"]
    assert lawyer.get(f"/acts/{act.id}").get_json()["state"] == "draft"
