"""Locale selection and display formats: Ukrainian by default, English on request."""

from datetime import date, datetime

from flask import current_app, request, session
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user


def select_locale():
    """The request's language: the user's choice, else Ukrainian (also outside requests: jobs)."""
    from flask import has_request_context

    if not has_request_context():
        return "uk"
    languages = current_app.config["LANGUAGES"]
    if request.path.startswith("/api/"):
        # API clients choose with Accept-Language; Ukrainian otherwise.
        return request.accept_languages.best_match(languages) or "uk"
    wanted = request.args.get("lang") or session.get("lang")
    if not wanted and current_user and current_user.is_authenticated:
        wanted = current_user.locale
    return wanted if wanted in languages else "uk"


def fmt_date(value):
    """Dates as Ukrainian documents write them: 12.03.2026 (English: 12 Mar 2026)."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    pattern = "dd.MM.yyyy" if str(get_locale()) == "uk" else "d MMM yyyy"
    return format_date(value, pattern)


def fmt_datetime(value):
    if not value:
        return ""
    pattern = "dd.MM.yyyy HH:mm" if str(get_locale()) == "uk" else "d MMM yyyy, HH:mm"
    return format_datetime(value, pattern)


def fmt_number(value, digits=1):
    """A number as the interface's language writes it: 18,2 in Ukrainian, 18.2 in English
    (at most ``digits`` decimals, none for whole numbers); a dash for None."""
    from flask_babel import format_decimal

    if value is None:
        return "—"
    return format_decimal(value, format="0." + "#" * digits if digits else "0")


def fmt_count(value):
    """A count as the interface's language writes it: 10 000 in Ukrainian (a no-break space),
    10,000 in English; a dash for None."""
    from flask_babel import format_decimal

    if value is None:
        return "—"
    if isinstance(value, float):
        return fmt_number(value)  # a median of days: its decimal kept
    if isinstance(value, bool) or not isinstance(value, int):
        return str(value)  # a table's cell that is not a count (a label)
    return format_decimal(value, format="#,##0")


def fmt_size(size):
    """A file's size in kilobytes: '18,2 КБ' / '18.2 KB'."""
    from flask_babel import gettext

    return gettext("%(size)s KB", size=fmt_number((size or 0) / 1024))


def long_date(value: date, locale="uk"):
    """'12 березня 2026 р.' — the form official letters use."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, "long", locale=locale).replace("\u202f", " ")
