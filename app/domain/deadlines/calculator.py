"""The term calculator: a due date with every step that led to it, in the reader's language.

The same counting as the deadlines (app.terms.explain with the calendar in force and the term of
the act kind from workflows/act.yaml), so what a lawyer reads is what the clock does.
"""

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from app.domain.acts import KINDS
from app.domain.acts.kinds import is_statutory
from app.domain.deadlines.calendar import current_calendar, term_for
from app.terms import SHIFTS, Term, explain

PROFILE_LABELS = {"martial_law": _l("martial law"), "peacetime": _l("peacetime")}
WEEKDAY_LABELS = {5: _l("Saturday"), 6: _l("Sunday")}


class CalculatorError(Exception):
    def __init__(self, fields):
        super().__init__("calculator")
        self.fields = fields


def settings_for(kind, shift=None):
    """(Term, shift) of ``kind``; a "previous" shift is refused for a statutory term."""
    from app.workflow import get_engine

    if kind not in KINDS:
        raise CalculatorError({"kind": [_l("Choose one of: %(kinds)s.", kinds=", ".join(KINDS))]})
    term, default_shift = term_for(get_engine().current("act"), kind)
    shift = shift or default_shift
    if shift not in SHIFTS:
        raise CalculatorError({"shift": [_l("Choose one of: %(v)s.", v=", ".join(SHIFTS))]})
    if shift == "previous" and is_statutory(kind):
        raise CalculatorError(
            {
                "shift": [
                    _l(
                        "A statutory term never ends on the working day before (Civil Code Art. 254 part 5)."
                    )
                ]
            }
        )
    return term, shift


def due_with_steps(kind, received_on, shift=None):
    term, shift = settings_for(kind, shift)
    return explain_term(received_on, term, shift)


def explain_term(trigger_on, term, shift, pauses=()):
    """(due date or None, [{"date", "note", "code"}])."""
    language = "en_US" if str(get_locale() or "uk") == "en" else "uk"
    calendar = current_calendar()
    due, steps = explain(trigger_on, term, calendar, shift, pauses, language)
    return due, [_step(step, term) for step in steps]


def explain_deadline(deadline):
    """The steps of an act's deadline: the term from the receipt, pauses, the extension."""
    from app.domain.deadlines.operations import _pauses

    due, steps = explain_term(
        deadline.trigger_on, Term.parse(deadline.term), deadline.shift, _pauses(deadline)
    )
    if deadline.extended_to is not None:
        steps.append(
            {
                "date": deadline.extended_to.isoformat(),
                "code": "extended",
                "note": str(
                    _l(
                        "Extended by the lawyer to this day (a day off moves to the next working day)."
                    )
                ),
            }
        )
        if deadline.due_on is not None and deadline.due_on != due:
            steps.append(
                {
                    "date": deadline.due_on.isoformat(),
                    "code": "due",
                    "note": str(_l("Last day of the extended term.")),
                }
            )
    return deadline.due_on, steps


def _step(step, term):
    calendar = PROFILE_LABELS.get(step.profile, step.profile)
    if step.code == "received":
        note = _l(
            "Received by the addressee: the term runs from the next day (Civil Code Art. 253)."
        )
    elif step.code == "start":
        note = _l("First day of the term.")
    elif step.code == "raw_end":
        note = _l("End of the term of %(term)s (Civil Code Art. 254).", term=_term_words(term))
    elif step.code == "paused":
        note = _l("Moved by %(days)s calendar days of suspension.", days=step.days)
    elif step.code == "day_off":
        note = _l(
            "Not a working day (%(why)s): skipped (Civil Code Art. 254 part 5).", why=_reason(step)
        )
    else:
        note = _l("Last day of the term, still in time; overdue from the next day.")
    text = f"{note} " + str(_l("Calendar: %(calendar)s.", calendar=calendar))
    return {"date": step.on.isoformat(), "code": step.code, "note": text}


def _reason(step):
    if step.detail == "weekend":
        return str(WEEKDAY_LABELS[step.on.weekday()])
    if step.detail == "override":
        return str(_l("a day off entered by an administrator"))
    return step.detail


def _term_words(term):
    if term.unit == "months":
        return str(_l("%(n)s month(s)", n=term.amount))
    if term.unit == "working_days":
        return str(_l("%(n)s working day(s)", n=term.amount))
    return str(_l("%(n)s calendar day(s)", n=term.amount))
