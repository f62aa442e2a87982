"""The recommendation's case file: one timeline of its history, acts, documents, e-mails
(failures too), answers with positions and files, assessments, follow-up findings and repeats;
what the reader may not read stays out; the page's queries do not grow with the case."""

from datetime import date, timedelta

import sqlalchemy as sa

from app.core.clock import today
from app.domain.acts.attachments import add_attachment
from app.domain.acts.operations import create_act
from app.domain.acts.operations import fire as fire_act
from app.domain.facilities.models import Facility
from app.domain.recommendations.operations import create_recommendation
from app.domain.recommendations.operations import fire as fire_rec
from app.domain.responses.operations import record_response
from app.domain.visits.models import Visit
from app.mail.models import OutboxEmail

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _visit(db, facility, monitors, started_on):
    visit = Visit(
        facility=facility,
        started_on=started_on,
        ended_on=started_on,
        kind="follow_up",
        monitors=monitors,
    )
    db.session.add(visit)
    db.session.commit()
    return visit


def _answer(db, users, act, recs, kind="substantive", files=(), number="1-вх"):
    response = record_response(
        act,
        {
            "kind": kind,
            "received_on": today(),
            "incoming_number": number,
            "text": "Відповідь.",
            "positions": [
                {
                    "recommendation_id": r.id,
                    "position": "in_progress",
                    "comment": "Закупівлю розпочато",
                }
                for r in recs
            ],
        },
        list(files),
        users["lawyer"],
    )
    db.session.commit()
    return response


def test_the_case_file_shows_everything_with_links(
    db, users, registry, issued, make_act, run_jobs, smtp_server, client_for
):
    rec = issued[0]
    smtp_server.start()
    smtp_server.handler.reject.add(registry["agency"].email)
    act = make_act(recs=issued[:2])
    attachment = add_attachment(
        act, "звіт за результатами візиту", "звіт.pdf", PDF, users["lawyer"]
    )
    db.session.commit()
    fire_act(act, "generate", users["lawyer"])
    db.session.commit()
    run_jobs()
    fire_act(act, "send", users["lawyer"], {"channel": "email", "sent_on": today()})
    db.session.commit()
    run_jobs()
    run_jobs()
    email = db.session.scalar(sa.select(OutboxEmail))
    assert email.status == "failed"
    response = _answer(db, users, act, issued[:2], files=[("лист.pdf", PDF)])
    fire_rec(rec, "assess_not_implemented", users["lawyer"], {"comment": "Лише обіцянки"})
    db.session.commit()
    later = _visit(db, registry["facility"], [users["monitor"]], today())
    repeat = create_recommendation(
        later, {"text": rec.text, "theme": rec.theme, "previous_id": rec.id}, users["monitor"]
    )
    db.session.commit()

    html = client_for(users["lawyer"]).get(f"/recommendations/{rec.id}").get_data(as_text=True)
    db.session.refresh(act)
    timeline = html[html.index('id="case-file"') :]
    assert "Справа" in html
    assert f'href="/acts/{act.id}"' in timeline and f"№ {act.outgoing_number}" in timeline
    for doc in act.documents:
        if doc.is_final:
            assert f'href="/documents/{doc.id}"' in timeline
    assert "dkvs@example.org" in timeline and "не надіслано" in timeline  # the failed e-mail
    assert "Позиція щодо цієї рекомендації" in timeline and "Закупівлю розпочато" in timeline
    assert f'href="/response-files/{response.files[0].id}"' in timeline
    assert f'href="/act-attachments/{attachment.id}"' in timeline and "Додаток до" in timeline
    assert "Оцінка" in timeline and "Лише обіцянки" in timeline
    assert f'href="/recommendations/{repeat.id}"' in timeline
    assert f'href="/visits/{later.id}"' in timeline
    # Oldest first: created, issued, the act, its sending, the answer, the assessment, the repeat.
    order = [
        timeline.index(s)
        for s in (
            "створено",
            "Видати",
            "Складено проєкт акта:",
            f'href="/response-files/{response.files[0].id}"',
            "Лише обіцянки",
            f'href="/recommendations/{repeat.id}"',
        )
    ]
    assert order == sorted(order)
    # The repeat links back.
    html = client_for(users["lawyer"]).get(f"/recommendations/{repeat.id}").get_data(as_text=True)
    assert f'href="/recommendations/{rec.id}"' in html


def test_a_verified_finding_links_its_visit_and_a_monitor_sees_only_what_they_may(
    db, users, registry, issued, send_recs, make_user, client_for
):
    rec = issued[0]
    send_recs([rec], sent_on=today() - timedelta(days=20))
    visit = _visit(db, registry["facility"], [users["monitor"]], today() - timedelta(days=2))
    fire_rec(rec, "verify", users["monitor"], {"visit_id": visit.id})
    db.session.commit()
    # A repeat made (by an edit) in a facility the monitor never visited stays out of their page.
    elsewhere = Facility(
        name="ІТТ Вишгород", type="itt_police", region="UA-32", authority=registry["agency"]
    )
    db.session.add(elsewhere)
    db.session.commit()
    far = _visit(db, elsewhere, [], date(2026, 5, 5))
    hidden = create_recommendation(
        far, {"text": "Інше", "theme": "conditions", "previous_id": rec.id}, users["lawyer"]
    )
    db.session.commit()
    monitor = client_for(users["monitor"]).get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert "Висновок повторного візиту" in monitor and f'href="/visits/{visit.id}"' in monitor
    assert f'href="/recommendations/{hidden.id}"' not in monitor
    lawyer = client_for(users["lawyer"]).get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert f'href="/recommendations/{hidden.id}"' in lawyer
    stranger = make_user("monitor")
    assert client_for(stranger).get(f"/recommendations/{rec.id}").status_code == 404


def counted(engine, call, *args):
    """(the SQL statements ``call(*args)`` ran, its result)."""
    statements = []

    def count(conn, cursor, statement, *rest):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        return statements, call(*args)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def test_the_page_costs_the_same_queries_however_long_the_case(
    app, db, users, registry, make_rec, send_recs, client_for
):
    from app.extensions import db as _db

    def scene(acts, answers, repeats):
        rec = make_rec(f"Рекомендація з {acts} актами")
        fire_rec(rec, "issue", users["lawyer"])
        db.session.commit()
        for n in range(acts):
            draft = create_act("request", rec.authority_id, [rec.id], users["lawyer"])
            db.session.commit()
            fire_act(draft, "cancel", users["lawyer"], {"comment": f"Скасовано {n}"})
            db.session.commit()
        act = send_recs([rec], sent_on=today() - timedelta(days=5))
        for n in range(answers):
            _answer(
                db,
                users,
                act,
                [rec],
                kind="interim",
                files=[("лист.pdf", PDF)],
                number=f"{rec.id}-{n}",
            )
        for n in range(repeats):
            visit = _visit(
                db, registry["facility"], [users["monitor"]], today() - timedelta(days=1)
            )
            create_recommendation(
                visit,
                {"text": f"Повтор {n}", "theme": "conditions", "previous_id": rec.id},
                users["lawyer"],
            )
            db.session.commit()
        return rec

    small, large = scene(1, 1, 1), scene(6, 6, 4)
    client = client_for(users["monitor"])
    counts = []
    for rec in (small, large):
        client.get(f"/recommendations/{rec.id}")  # warm: the session's first request
        statements, response = counted(_db.engine, client.get, f"/recommendations/{rec.id}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert html.count('class="casefile-act"') == (2 if rec is small else 7)
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    assert counts[0] < 40, counts
