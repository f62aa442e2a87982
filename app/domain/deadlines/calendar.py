"""The calendar in force: the configured profile, as app.terms counts days off."""

from datetime import date

from flask import current_app

from app.terms import DEFAULT_PERIODS, Calendar, Term, due_date


def current_calendar() -> Calendar:
    """Martial law since 24 February 2022 (the default), or peacetime throughout."""
    if current_app.config["CALENDAR_PROFILE"] == "peacetime":
        return Calendar(periods=[(date(1991, 8, 24), "peacetime")])
    return Calendar(periods=DEFAULT_PERIODS)


def term_for(definition, kind):
    """(Term, shift rule) of an act kind, from the act workflow's settings."""
    spec = definition.settings["terms"][kind]
    return Term.parse(spec["term"]), spec.get("shift", "next")


def due_for(definition, kind, trigger_on):
    term, shift = term_for(definition, kind)
    return due_date(trigger_on, term, current_calendar(), shift)
