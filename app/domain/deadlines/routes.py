"""Deadline pages: changing an act's term, the list of running terms, a lawyer's iCalendar feed,
and the calendar administrators keep."""

import hmac
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer

from app.auth.models import User
from app.core import features
from app.core.audit import record_audit
from app.core.errors import OperationError, flash_refusal
from app.core.security import new_token, roles_required
from app.domain import access
from app.domain.acts import exports as act_exports
from app.domain.acts.models import Act
from app.domain.authorities.models import Authority
from app.domain.deadlines import exports as deadline_exports
from app.domain.deadlines import operations as ops
from app.domain.deadlines import queries
from app.domain.deadlines.calendar import forget_calendar
from app.domain.deadlines.forms import CalendarDayForm, CalendarPeriodForm, DeadlineForm
from app.domain.deadlines.models import CalendarDay, CalendarPeriod
from app.domain.lists.pages import list_page
from app.extensions import db

bp = Blueprint("deadlines", __name__, template_folder="templates")
features.menu_entry(bp, "deadlines.index", _l("Terms"), ("admin", "lawyer"), order=70)
features.menu_entry(bp, "deadlines.calendar", _l("Calendar"), ("admin",), order=120)


@bp.route("/acts/<int:act_id>/deadline", methods=["POST"])
@roles_required("lawyer")
def change(act_id):
    act = access.load_or_404(Act, act_id)
    form = DeadlineForm()
    if not form.validate():
        abort(400)
    try:
        _apply(act, form)
    except OperationError as exc:
        flash_refusal(exc)
        return redirect(url_for("acts.detail", act_id=act.id)), 303
    flash(_("The term was changed."), "success")
    return redirect(url_for("acts.detail", act_id=act.id))


def _apply(act, form):
    action, reason = form.action.data, (form.reason.data or "").strip()
    if action == "extend":
        if form.due_on.data is None:
            raise OperationError(fields={"due_on": [_("Give the new last day.")]})
        ops.extend(act, form.due_on.data, current_user, reason)
    elif action == "suspend":
        ops.suspend(act, current_user, reason)
    elif action == "resume":
        ops.resume(act, current_user, reason)
    elif action == "receipt":
        if form.received_on.data is None:
            raise OperationError(fields={"received_on": [_("Give the receipt date.")]})
        ops.change_receipt(act, form.received_on.data, current_user, reason)
    else:
        abort(400)


@bp.route("/terms/calculator")
@roles_required()
def calculator():
    """The term calculator for lawyers: a kind and a receipt date → the due date, step by step."""
    from app.domain.acts import KINDS
    from app.domain.deadlines.calculator import CalculatorError, due_with_steps

    kind = request.args.get("kind", "submission")
    raw = request.args.get("received_on", "")
    due_on, steps, errors = None, [], {}
    if raw:
        try:
            due_on, steps = due_with_steps(kind, date.fromisoformat(raw))
        except ValueError:
            errors["received_on"] = [_("Give a date as YYYY-MM-DD.")]
        except CalculatorError as exc:
            errors = exc.fields
    return render_template(
        "deadlines/explain.html",
        act=None,
        kinds=KINDS,
        kind=kind,
        received_on=raw,
        due_on=due_on,
        steps=_days(steps),
        errors=errors,
    )


@bp.route("/acts/<int:act_id>/deadline/explanation")
@roles_required()
def explanation(act_id):
    """How an act's due date was counted."""
    from app.domain.deadlines.calculator import explain_deadline

    act = access.load_or_404(Act, act_id)
    if act.deadline is None:
        abort(404)
    due_on, steps = explain_deadline(act.deadline)
    return render_template(
        "deadlines/explain.html", act=act, due_on=due_on, steps=_days(steps), errors={}
    )


def _days(steps):
    return [{**s, "day": date.fromisoformat(s["date"])} for s in steps]


@bp.route("/deadlines/")
@roles_required()
def index():
    a = request.args
    lawyer_id = current_user.id if a.get("mine") == "1" else a.get("lawyer_id", type=int)
    stmt = access.scope(
        queries.running_stmt(
            lawyer_id,
            a.get("authority_id", type=int),
            a.get("within", type=int),
            a.get("overdue") == "1",
        ),
        Act,
    )  # a monitor sees the terms of the acts carrying their facilities' recommendations
    lawyers = db.session.scalars(
        sa.select(User).where(User.role == "lawyer").order_by(User.name)
    ).all()
    authorities = db.session.execute(
        sa.select(Authority.id, Authority.name).order_by(Authority.name)
    ).all()
    acts = stmt.with_only_columns(Act)
    return list_page(
        acts,
        "deadlines/index.html",
        deadline_exports.COLUMNS,
        "terms",
        _l("Terms"),
        export_stmt=acts.options(*act_exports.load_options()),
        lawyers=lawyers,
        authorities=authorities,
        feed=_feed_url(current_user),
    )


def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="deadline-feed")


def _feed_url(user):
    if user.role != "lawyer" or user.feed_key is None:
        return None
    token = _serializer().dumps([user.id, user.feed_key])
    return url_for("deadlines.feed", token=token, _external=True)


@bp.route("/deadlines/feed-link", methods=["POST"])
@roles_required("lawyer")
def feed_link():
    """Create, renew or revoke the lawyer's own feed link (the old link stops working)."""
    action = request.form.get("action")
    if action not in ("new", "revoke"):
        abort(400)
    current_user.feed_key = new_token() if action == "new" else None
    record_audit(
        f"feed.link_{'created' if action == 'new' else 'revoked'}",
        current_user,
        subject=current_user,
    )
    flash(
        _("The calendar link was renewed.")
        if action == "new"
        else _("The calendar link was revoked."),
        "success",
    )
    return redirect(url_for("deadlines.index"))


def _feed_user(token):
    try:
        user_id, key = _serializer().loads(token)
    except (BadSignature, TypeError, ValueError):
        return None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.is_active or user.feed_key is None or not isinstance(key, str):
        return None
    return user if hmac.compare_digest(user.feed_key, key) else None


@bp.route("/deadlines/feed/<token>.ics")
def feed(token):
    """A lawyer's deadlines as iCalendar, for a calendar application (the link is the key)."""
    user = _feed_user(token)
    if user is None:
        abort(404)
    rows = db.session.execute(queries.running_stmt(user.id)).all()
    return Response(_ical(rows), mimetype="text/calendar; charset=utf-8")


def _ical(rows):
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    base = current_app.config["PUBLIC_BASE_URL"]
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Vidhuk//Deadlines//UK",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:Відгук: строки",
    ]
    for act, deadline in rows:
        if deadline.due_on is None:
            continue
        day = deadline.due_on.strftime("%Y%m%d")
        summary = _ical_text(f"Строк: {act.outgoing_number} — {act.authority.name}")
        lines += [
            "BEGIN:VEVENT",
            f"UID:deadline-{deadline.id}@vidhuk",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day}",
            f"SUMMARY:{summary}",
            f"DESCRIPTION:{_ical_text(act.heading)}",
            f"URL:{base}/acts/{act.id}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def _ical_text(text):
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line):
    """RFC 5545: lines longer than 75 octets continue on the next line after a space."""
    data, out = line.encode(), []
    while len(data) > 75:
        cut = 75
        while (data[cut] & 0xC0) == 0x80:  # never split a UTF-8 character
            cut -= 1
        out.append(data[:cut].decode())
        data = b" " + data[cut:]
    out.append(data.decode())
    return "\r\n".join(out)


@bp.route("/calendar", methods=["GET", "POST"])
@roles_required("admin")
def calendar():
    day_form, period_form = CalendarDayForm(prefix="day"), CalendarPeriodForm(prefix="period")
    which = request.form.get("which")
    if which == "day" and day_form.validate_on_submit():
        record_audit(
            "calendar.day_saved",
            current_user,
            details={
                "day": day_form.day.data.isoformat(),
                "is_working": day_form.is_working.data == "1",
                "note": day_form.note.data or "",
            },
        )
        db.session.merge(
            CalendarDay(
                day=day_form.day.data,
                is_working=day_form.is_working.data == "1",
                note=day_form.note.data or "",
            )
        )
    elif which == "period" and period_form.validate_on_submit():
        record_audit(
            "calendar.period_saved",
            current_user,
            details={
                "starts_on": period_form.starts_on.data.isoformat(),
                "profile": period_form.profile.data,
                "note": period_form.note.data or "",
            },
        )
        db.session.merge(
            CalendarPeriod(
                starts_on=period_form.starts_on.data,
                profile=period_form.profile.data,
                note=period_form.note.data or "",
            )
        )
    elif which == "delete-day" and _form_date("day"):
        record_audit("calendar.day_deleted", current_user, details={"day": str(_form_date("day"))})
        db.session.execute(sa.delete(CalendarDay).where(CalendarDay.day == _form_date("day")))
    elif request.method == "POST":
        return _calendar_page(day_form, period_form), 422
    if request.method == "POST":
        db.session.flush()
        ops.recompute_open(current_user)
        db.session.commit()  # the cached calendar is forgotten once the change is saved
        forget_calendar()
        flash(_("Calendar saved; the running terms were counted again."), "success")
        return redirect(url_for("deadlines.calendar"))
    return _calendar_page(day_form, period_form)


def _form_date(name):
    try:
        return date.fromisoformat(request.form.get(name) or "")
    except ValueError:
        return None


def _calendar_page(day_form, period_form):
    return render_template(
        "deadlines/calendar.html",
        day_form=day_form,
        period_form=period_form,
        days=db.session.scalars(sa.select(CalendarDay).order_by(CalendarDay.day.desc())).all(),
        periods=db.session.scalars(
            sa.select(CalendarPeriod).order_by(CalendarPeriod.starts_on)
        ).all(),
    )
