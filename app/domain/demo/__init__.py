"""Realistic Ukrainian demo data (data.yaml beside this file), loaded through the application's
operations as a lawyer and the monitors would have entered it; loading it twice changes nothing.

Acts are generated and sent with the clock pinned to the day they were sent, their receipt,
answer and assessment each on its own day; the deadline sweep then runs for today, so overdue
acts are marked and their reminders drafted as in real use.
"""

import re
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import sqlalchemy as sa
import yaml

from app.auth import operations as auth_ops
from app.auth.models import User
from app.core import clock
from app.domain.authorities.models import Authority
from app.domain.facilities.models import Facility
from app.domain.visits.models import Visit
from app.extensions import db

DATA = Path(__file__).with_name("data.yaml")
DAYS_AGO = re.compile(r"^(\d+) days? ago$")


@cache
def data():
    with DATA.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def logins():
    """(role, e-mail, password) of every demo account — never use them on a real server."""
    return [(u["role"], u["email"], u["password"]) for u in data()["users"]]


def is_empty():
    return db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def load_demo():
    """Insert what is missing; existing rows (matched by natural key) are left as they are."""
    users = _load_users()
    authorities = _load_authorities()
    facilities = _load_facilities(authorities)
    visits = _load_visits(facilities, users)
    recs = _load_recommendations(visits, users)
    for spec in data().get("acts", []):
        _load_act(spec, authorities, recs, users["lawyer"])
    for spec in data().get("findings", []):
        _load_findings(spec, visits, recs, users)
    _sweep_deadlines()
    return users


def day(value):
    """A date of the data: a date, or "N days ago" counted from today."""
    if isinstance(value, date):
        return value
    match = DAYS_AGO.match(str(value).strip())
    if match is None:
        raise ValueError(f"demo data: not a date: {value!r}")
    return clock.today() - timedelta(days=int(match.group(1)))


def _load_users():
    users = {}
    for spec in data()["users"]:
        user = auth_ops.find_user(spec["email"]) or auth_ops.create_user(
            spec["email"], spec["name"], spec["role"], spec["password"], spec.get("phone", "")
        )
        users[spec["email"].split("@")[0]] = user
    return users


def _load_authorities():
    authorities = {}
    for spec in data()["authorities"]:
        row = db.session.scalar(sa.select(Authority).where(Authority.name == spec["name"]))
        if row is None:
            row = Authority(
                name=spec["name"],
                kind=spec["kind"],
                email=spec.get("email", ""),
                head_title=spec.get("head_title", ""),
                head_name=spec.get("head_name", ""),
                postal_address=spec.get("postal_address", ""),
                parent=authorities.get(spec.get("parent")),
            )
            db.session.add(row)
        authorities[spec["key"]] = row
    db.session.flush()
    return authorities


def _load_facilities(authorities):
    facilities = {}
    for spec in data()["facilities"]:
        row = db.session.scalar(
            sa.select(Facility).where(
                Facility.name == spec["name"], Facility.region == spec["region"]
            )
        )
        if row is None:
            row = Facility(
                name=spec["name"],
                type=spec["type"],
                region=spec["region"],
                address=spec.get("address", ""),
                capacity=spec.get("capacity"),
                authority=authorities[spec["authority"]],
            )
            db.session.add(row)
        facilities[spec["key"]] = row
    db.session.flush()
    return facilities


def _load_visits(facilities, users):
    visits = {}
    for spec in data()["visits"]:
        facility = facilities[spec["facility"]]
        row = db.session.scalar(
            sa.select(Visit).where(
                Visit.facility_id == facility.id, Visit.started_on == spec["started_on"]
            )
        )
        if row is None:
            row = Visit(
                facility=facility,
                started_on=spec["started_on"],
                ended_on=spec["ended_on"],
                kind=spec["kind"],
                participants=spec.get("participants", ""),
                summary=spec.get("summary", ""),
                monitors=[users[m] for m in spec["monitors"]],
            )
            db.session.add(row)
        visits[spec["key"]] = row
    db.session.flush()
    return visits


def _load_recommendations(visits, users):
    """Drafts by the visit's monitor, the ones marked ``issued`` issued by the lawyer (history
    and all, as in real use); a visit that has recommendations already is left alone."""
    from app.domain.recommendations.models import Recommendation
    from app.domain.recommendations.operations import create_recommendation, fire

    recs = {}
    for spec in data()["visits"]:
        visit = visits[spec["key"]]
        items = spec.get("recommendations", [])
        existing = db.session.scalars(
            sa.select(Recommendation)
            .where(Recommendation.visit_id == visit.id, Recommendation.previous_id.is_(None))
            .order_by(Recommendation.id)
        ).all()
        if existing:
            by_text = {r.text: r for r in existing}
            recs.update({i["key"]: by_text[i["text"]] for i in items if i["text"] in by_text})
            continue
        author = visit.monitors[0] if visit.monitors else users["lawyer"]
        for item in items:
            values = {"text": item["text"], "theme": item["theme"], "priority": item["priority"]}
            rec = create_recommendation(visit, values, author)
            if item.get("issued"):
                fire(rec, "issue", users["lawyer"], {"comment": "Погоджено"})
            recs[item["key"]] = rec
    db.session.flush()
    return recs


def _load_act(spec, authorities, recs, lawyer):
    """Draft, generate and send the act on its day, then its receipt, answer and assessment;
    skipped when its recommendations were sent already."""
    from app.domain.acts.operations import create_act
    from app.domain.acts.operations import fire as fire_act

    carried = [recs[key] for key in spec["recommendations"]]
    if any(rec.state != "issued" for rec in carried):
        return None
    sent_on = day(spec["sent_on"])
    with clock.pinned(sent_on):
        act = create_act(
            spec["kind"], authorities[spec["authority"]].id, [r.id for r in carried], lawyer
        )
        fire_act(act, "generate", lawyer)
        _make_documents(act)
        fire_act(act, "send", lawyer, {"channel": "post", "sent_on": sent_on})
    if spec.get("received_on"):
        _confirm_receipt(act, day(spec["received_on"]), lawyer)
    if spec.get("answer"):
        _record_answer(act, spec["answer"], recs, lawyer)
    if spec.get("assessment"):
        _assess(spec["assessment"], recs, lawyer)
    db.session.flush()
    return act


def _make_documents(act):
    """The documents job of the request, run here: sending needs them ready. The job commits."""
    from app.domain.acts.documents import generate
    from app.domain.acts.models import Act

    db.session.commit()
    outcome = generate(act.id, act.documents_token)
    if outcome != "ready":
        problem = db.session.get(Act, act.id).documents_error
        raise RuntimeError(f"demo data: the documents of act {act.id} were not made: {problem}")
    db.session.refresh(act)


def _confirm_receipt(act, received_on, lawyer):
    from app.domain.deadlines.operations import change_receipt

    with clock.pinned(received_on):
        change_receipt(act, received_on, lawyer, reason="Повідомлення про вручення")


def _record_answer(act, answer, recs, lawyer):
    from app.domain.responses.operations import record_response

    received_on = day(answer["received_on"])
    positions = [
        {"recommendation_id": recs[key].id, "position": position, "comment": ""}
        for key, position in answer["positions"].items()
    ]
    values = {
        "kind": answer.get("kind", "substantive"),
        "received_on": received_on,
        "incoming_number": answer["incoming_number"],
        "text": answer["text"],
        "positions": positions,
    }
    with clock.pinned(received_on):
        record_response(act, values, [], lawyer)


def _assess(assessment, recs, lawyer):
    from app.domain.responses.operations import assess

    decisions = [(recs[key], value, "") for key, value in assessment["decisions"].items()]
    with clock.pinned(day(assessment["assessed_on"])):
        assess(decisions, lawyer)


def _load_findings(spec, visits, recs, users):
    """Findings of a follow-up visit as entered from the checklist; repeated recommendations
    are issued by the lawyer. Skipped when entered already."""
    from app.domain.followup.operations import record_findings
    from app.domain.recommendations.models import Recommendation
    from app.domain.recommendations.operations import fire

    results = {recs[key]: value for key, value in spec["results"].items()}
    entered = any(
        rec.state == "verified"
        or db.session.scalar(
            sa.select(Recommendation.id).where(Recommendation.previous_id == rec.id)
        )
        for rec in results
    )
    if entered:
        return []
    with clock.pinned(day(spec["entered_on"])):
        repeated = record_findings(visits[spec["visit"]], results, users[spec["by"]])
        for rec in repeated:
            fire(rec, "issue", users["lawyer"], {"comment": "Повторна рекомендація"})
    db.session.flush()
    return repeated


def _sweep_deadlines():
    """Today's reminders and expiries, as the workers would fire them (the sweep commits)."""
    from app.domain.deadlines.sweep import sweep

    db.session.commit()
    sweep()
