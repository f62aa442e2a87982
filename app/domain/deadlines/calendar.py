"""The calendar in force: the configured profile, the admins' periods and exceptions."""

from datetime import date

import sqlalchemy as sa
from flask import current_app, g, has_app_context

from app.extensions import db
from app.terms import DEFAULT_PERIODS, Calendar, Term


def current_calendar() -> Calendar:
    """Martial law from 24 February 2022 (or peacetime throughout, by CALENDAR_PROFILE), then
    the periods and days an administrator entered. Built once per request or job."""
    if has_app_context() and "vidhuk_calendar" in g:
        return g.vidhuk_calendar
    from app.domain.deadlines.models import CalendarDay, CalendarPeriod

    base = list(DEFAULT_PERIODS)
    if current_app.config["CALENDAR_PROFILE"] == "peacetime":
        base = [(date(1991, 8, 24), "peacetime")]
    entered = db.session.execute(sa.select(CalendarPeriod.starts_on, CalendarPeriod.profile)).all()
    periods = {start: profile for start, profile in base}
    periods.update({start: profile for start, profile in entered})
    overrides = dict(db.session.execute(sa.select(CalendarDay.day, CalendarDay.is_working)).all())
    calendar = Calendar(periods=sorted(periods.items()), overrides=overrides)
    g.vidhuk_calendar = calendar
    return calendar


def forget_calendar():
    g.pop("vidhuk_calendar", None)


def term_for(definition, kind, shift=None):
    """(Term, shift rule) of an act kind: the ``term`` of the act workflow's deadline — a term,
    or ``settings.KEY`` naming the per-kind mapping (``settings.terms``); ``shift`` overrides
    the setting. A statutory term never shifts to the working day before (Civil Code Art. 254
    part 5): ValueError."""
    from app.domain.acts.kinds import is_statutory

    term = next(s.deadline for s in definition.states.values() if s.deadline).term
    if term.startswith("settings."):
        spec = definition.settings[term.removeprefix("settings.")][kind]
        base, default_shift = Term.parse(spec["term"]), spec.get("shift", "next")
    else:
        base, default_shift = Term.parse(term), "next"
    shift = shift or default_shift
    if shift == "previous" and is_statutory(kind):
        raise ValueError(f"the statutory term of {kind!r} cannot shift to the previous day")
    return base, shift
