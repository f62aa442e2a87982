"""Case files at scale for bench/pages.py: the acts of the filled recommendations (one per visit
and addressee, sent; answered where the case was), their history, documents and e-mails, and a
few heavy cases with many acts and answers — the case page must cost them no more queries.

Rows go in with SQLAlchemy Core (both SQLite and PostgreSQL); one act is drafted through the
operations first, so the acts follow a recorded workflow version.
"""

from collections import defaultdict
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

#: Recommendation states reached through sending, and those the authority answered.
SENT = (
    "sent_to_authority",
    "overdue",
    "responded",
    "implemented",
    "partially_implemented",
    "not_implemented",
    "rejected",
    "verified",
    "no_longer_relevant",
)
ANSWERED = (
    "responded",
    "implemented",
    "partially_implemented",
    "not_implemented",
    "rejected",
    "verified",
)
#: Heavy cases: so many recommendations, each with so many more (cancelled) acts and answers.
HEAVY, HEAVY_ACTS, HEAVY_ANSWERS = 8, 30, 30


def fill(app, lawyer_id):
    """Acts, history, documents, e-mails and answers for every sent recommendation."""
    from app.extensions import db

    with app.app_context():
        version = _first_act(lawyer_id)
        rows = _sent_recommendations()
        tables = _rows(
            rows, version, lawyer_id, _next_id(db, "acts"), _next_id(db, "workflow_history")
        )
        for table, data in tables.items():
            for start in range(0, len(data), 20_000):
                db.session.execute(db.metadata.tables[table].insert(), data[start : start + 20_000])
        db.session.commit()
        db.session.execute(sa.text("ANALYZE"))  # the planner's statistics, new tables included
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            for table in (
                "acts",
                "documents",
                "outbox_emails",
                "responses",
                "response_positions",
                "workflow_history",
            ):
                db.session.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
            db.session.commit()


def case_ids(app):
    """(ordinary answered cases with one act, the heavy cases with the most acts)."""
    from app.extensions import db

    per_rec = (
        "SELECT recommendation_id, count(*) AS n FROM act_recommendations "
        "GROUP BY recommendation_id"
    )
    with app.app_context():
        heavy = db.session.scalars(
            sa.text(
                f"SELECT recommendation_id FROM ({per_rec}) c WHERE n > 1 ORDER BY n DESC, "
                f"recommendation_id LIMIT {HEAVY}"
            )
        ).all()
        ordinary = db.session.scalars(
            sa.text(
                f"SELECT c.recommendation_id FROM ({per_rec}) c JOIN recommendations r "
                f"ON r.id = c.recommendation_id WHERE c.n = 1 AND r.state = 'responded' "
                f"ORDER BY c.recommendation_id LIMIT 4"
            )
        ).all()
        db.session.rollback()
    return list(ordinary), list(heavy)


def _sent_recommendations():
    from app.domain.recommendations.models import Recommendation as R
    from app.domain.visits.models import Visit
    from app.extensions import db

    return db.session.execute(
        sa.select(R.id, R.visit_id, R.authority_id, R.state, Visit.started_on)
        .join(Visit, Visit.id == R.visit_id)
        .where(R.state.in_(SENT))
        .order_by(R.id)
    ).all()


def _first_act(lawyer_id):
    from app.auth.models import User
    from app.domain.acts.operations import create_act
    from app.domain.recommendations.models import Recommendation
    from app.domain.recommendations.operations import fire
    from app.extensions import db

    lawyer = db.session.get(User, lawyer_id)
    rec = db.session.scalar(sa.select(Recommendation).order_by(Recommendation.id).limit(1))
    fire(rec, "issue", lawyer)
    act = create_act("submission", rec.authority_id, [rec.id], lawyer)
    db.session.commit()
    return act.workflow_version


def _next_id(db, table):
    return (db.session.execute(sa.text(f"SELECT max(id) FROM {table}")).scalar() or 0) + 1


def _rows(recs, version, lawyer_id, act_id, history_id):
    """Rows per table: an act per (visit, addressee), and the heavy cases' extra acts."""
    out = defaultdict(list)
    ids = {
        "act": act_id,
        "history": history_id,
        "seq": defaultdict(int),
        "response": 1,
        "document": 1,
        "email": 1,
    }
    groups = defaultdict(list)
    for rec in recs:
        groups[(rec.visit_id, rec.authority_id)].append(rec)
    heavy = {r.id for r in [r for r in recs if r.state in ANSWERED][:HEAVY]}
    for (_visit, authority), members in groups.items():
        sent_on = members[0].started_on + timedelta(days=20)
        act = _act(out, ids, version, lawyer_id, authority, members, sent_on)
        answered = [r for r in members if r.state in ANSWERED]
        if answered:
            _answer(out, ids, act, answered, sent_on + timedelta(days=25), "substantive")
        for rec in (r for r in members if r.id in heavy):
            for n in range(HEAVY_ANSWERS):
                _answer(out, ids, act, [rec], sent_on + timedelta(days=26 + n), "interim")
            for _n in range(HEAVY_ACTS):
                _act(out, ids, version, lawyer_id, authority, [rec], None)
    return out


def _act(out, ids, version, lawyer_id, authority, recs, sent_on):
    """A sent act (number, documents, e-mail, history) or, without ``sent_on``, a cancelled
    draft."""
    act_id = ids["act"]
    ids["act"] += 1
    at = datetime.combine(
        (sent_on or recs[0].started_on) - timedelta(days=3), datetime.min.time(), UTC
    )
    number = dict.fromkeys(
        (
            "outgoing_number",
            "outgoing_year",
            "outgoing_seq",
            "registered_on",
            "sent_on",
            "received_on",
            "channel",
            "due_on",
        )
    )
    if sent_on:
        year = sent_on.year
        ids["seq"][year] += 1
        number = {
            "outgoing_number": f"{ids['seq'][year]}/{year}",
            "outgoing_year": year,
            "outgoing_seq": ids["seq"][year],
            "registered_on": sent_on,
            "sent_on": sent_on,
            "received_on": sent_on,
            "channel": "email",
            "due_on": sent_on + timedelta(days=31),
        }
    out["acts"].append(
        {
            "id": act_id,
            "kind": "submission",
            "authority_id": authority,
            "heading": "Про результати візиту",
            "opening": "",
            "closing": "",
            "signatory_position": "Уповноважений",
            "signatory_name": "Ім'я ПРІЗВИЩЕ",
            "executor_id": lawyer_id,
            "documents_status": "ready" if sent_on else "none",
            "state": "sent" if sent_on else "cancelled",
            "workflow_version": version,
            "version": 1,
            "created_at": at,
            "updated_at": at,
            "received_on_assumed": False,
            **number,
        }
    )
    out["act_recommendations"].extend(
        {"act_id": act_id, "recommendation_id": r.id, "position": n} for n, r in enumerate(recs, 1)
    )
    steps = [("create", None, "draft")]
    steps.append(("send", "draft", "sent") if sent_on else ("cancel", "draft", "cancelled"))
    for n, (name, src, dst) in enumerate(steps):
        _history(
            out,
            ids,
            "acts",
            act_id,
            "act",
            version,
            name,
            src,
            dst,
            lawyer_id,
            at + timedelta(hours=n),
        )
    if sent_on:
        _files(out, ids, act_id, at + timedelta(days=3), recs)
    return act_id


def _files(out, ids, act_id, at, recs):
    for fmt in ("docx", "pdf"):
        doc_id = ids["document"]
        ids["document"] += 1
        out["documents"].append(
            {
                "id": doc_id,
                "act_id": act_id,
                "format": fmt,
                "version": 1,
                "filename": f"act.{fmt}",
                "path": f"bench/{act_id}.{fmt}",
                "sha256": "0" * 64,
                "size": 1000,
                "is_final": True,
                "created_at": at,
            }
        )
    email_id = ids["email"]
    ids["email"] += 1
    out["outbox_emails"].append(
        {
            "id": email_id,
            "to_addrs": ["authority@example.org"],
            "cc_addrs": [],
            "subject": "Подання",
            "text_body": "Надсилаємо подання.",
            "attachments": [],
            "subject_type": "acts",
            "subject_id": act_id,
            "status": "sent",
            "attempts": 1,
            "max_attempts": 5,
            "sent_at": at,
            "message_id": f"<bench-{email_id}@vidhuk.local>",
            "created_at": at,
        }
    )


def _answer(out, ids, act_id, recs, received_on, kind):
    response_id = ids["response"]
    ids["response"] += 1
    at = datetime.combine(received_on, datetime.min.time(), UTC)
    out["responses"].append(
        {
            "id": response_id,
            "act_id": act_id,
            "kind": kind,
            "received_on": received_on,
            "incoming_number": f"{response_id}-вх",
            "text": "Відповідь органу.",
            "created_at": at,
            "source": "manual",
            "status": "recorded",
        }
    )
    out["response_positions"].extend(
        {
            "response_id": response_id,
            "recommendation_id": r.id,
            "position": "in_progress",
            "comment": "Заходи тривають.",
        }
        for r in recs
    )


def _history(out, ids, subject_type, subject_id, workflow, version, name, src, dst, actor, at):
    out["workflow_history"].append(
        {
            "id": ids["history"],
            "subject_type": subject_type,
            "subject_id": subject_id,
            "workflow": workflow,
            "workflow_version": version,
            "transition": name,
            "from_state": src,
            "to_state": dst,
            "actor_id": actor,
            "at": at,
            "params": {},
        }
    )
    ids["history"] += 1


CASE_SQL = [
    "SELECT * FROM recommendations WHERE id = :id",
    "SELECT * FROM workflow_history WHERE subject_type = 'recommendations' AND subject_id = :id "
    "ORDER BY id",
    "SELECT a.* FROM acts a JOIN act_recommendations ar ON ar.act_id = a.id "
    "WHERE ar.recommendation_id = :id ORDER BY a.id",
    "SELECT h.* FROM workflow_history h JOIN act_recommendations ar ON ar.act_id = h.subject_id "
    "WHERE h.subject_type = 'acts' AND ar.recommendation_id = :id "
    "AND h.transition IN ('close', 'cancel')",
    "SELECT d.* FROM documents d JOIN act_recommendations ar ON ar.act_id = d.act_id "
    "WHERE ar.recommendation_id = :id",
    "SELECT e.* FROM outbox_emails e JOIN act_recommendations ar ON ar.act_id = e.subject_id "
    "WHERE e.subject_type = 'acts' AND ar.recommendation_id = :id",
    "SELECT r.*, p.* FROM responses r JOIN act_recommendations ar ON ar.act_id = r.act_id "
    "LEFT JOIN response_positions p ON p.response_id = r.id WHERE ar.recommendation_id = :id",
    "SELECT * FROM recommendations WHERE previous_id = :id",
]
"""The case page's reads, written by hand: the baseline it is compared with."""
