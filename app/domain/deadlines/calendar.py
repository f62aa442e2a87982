"""The calendar in force: the configured profile, the admins' periods and exceptions."""

from datetime import date

import sqlalchemy as sa
from flask import current_app, g, has_app_context

from app.extensions import db
from app.terms import DEFAULT_PERIODS, Calendar, Term, due_date


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


def term_for(definition, kind):
    """(Term, shift rule) of an act kind: the ``term`` of the act workflow's deadline — a term,
    or ``settings.KEY`` naming the per-kind mapping (``settings.terms``)."""
    term = next(s.deadline for s in definition.states.values() if s.deadline).term
    if not term.startswith("settings."):
        return Term.parse(term), "next"
    spec = definition.settings[term.removeprefix("settings.")][kind]
    return Term.parse(spec["term"]), spec.get("shift", "next")


def due_for(definition, kind, trigger_on):
    term, shift = term_for(definition, kind)
    return due_date(trigger_on, term, current_calendar(), shift)
