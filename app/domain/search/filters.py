"""The filters of a search, read from a query string: one reading for the page, API and exports.

The parameter names are the URL's, so a search is shared by copying its address.
"""

from dataclasses import asdict, dataclass, fields
from datetime import date

from flask_babel import lazy_gettext as _l

from app.domain.codes import FACILITY_TYPES, REGIONS, THEMES, VISIT_KINDS
from app.domain.recommendations import STATES
from app.domain.search.text import terms

#: Orders of the results; the id breaks ties, so pages never overlap. On the pages and in the API
#: words to search for put the best match first unless another order is asked for.
SORTS = {
    "relevance": _l("Best match first"),
    "newest": _l("Newest first"),
    "oldest": _l("Oldest first"),
    "due": _l("Due date, earliest first"),
    "visit": _l("Visit date, latest first"),
}
TRUE, FALSE = ("1", "true", "on", "yes"), ("", "0", "false", "off", "no")


@dataclass(frozen=True)
class Filters:
    """What a user searches for; every field is optional."""

    q: str = ""
    state: str | None = None
    #: The addressee, or any authority under it.
    authority_id: int | None = None
    facility_id: int | None = None
    facility_type: str | None = None
    region: str | None = None
    theme: str | None = None
    visit_kind: str | None = None
    #: The visit's start date, the recommendation's date.
    visit_from: date | None = None
    visit_to: date | None = None
    due_from: date | None = None
    due_to: date | None = None
    overdue: bool = False
    sort: str = "newest"

    @property
    def words(self):
        """The prefix terms of ``q`` (stemmed)."""
        return terms(self.q)

    def args(self):
        """The query-string arguments that give these filters back (defaults left out)."""
        out = {}
        for name, value in asdict(self).items():
            if value in (None, "", False) or (name == "sort" and value == "newest"):
                continue
            out[name] = "1" if value is True else str(value)
        return out


CHOICES = {
    "state": STATES,
    "facility_type": FACILITY_TYPES,
    "region": REGIONS,
    "theme": THEMES,
    "visit_kind": VISIT_KINDS,
    "sort": SORTS,
}
INTS = ("authority_id", "facility_id")
DATES = ("visit_from", "visit_to", "due_from", "due_to")
NAMES = tuple(f.name for f in fields(Filters))


def parse(args, ranked=False):
    """(Filters, errors) from query-string ``args``; a wrong value is left out and named in
    ``errors`` ({name: [message]}), so a page can still answer and the API can refuse.

    ``ranked``: without a ``sort``, words to search for put the best match first (the pages and
    the API ask for it); otherwise the newest comes first."""
    values, errors = {"q": (args.get("q") or "").strip()[:500]}, {}
    for name, codes in CHOICES.items():
        raw = args.get(name) or None
        if raw is None or raw in codes:
            values[name] = raw
        else:
            errors[name] = [_l("Must be one of: %(codes)s.", codes=", ".join(codes))]
    for name in INTS:
        values[name], error = whole_number(args.get(name))
        if error:
            errors[name] = [error]
    for name in DATES:
        values[name], error = iso_date(args.get(name))
        if error:
            errors[name] = [error]
    raw = (args.get("overdue") or "").lower()
    if raw not in TRUE + FALSE:
        errors["overdue"] = [_l("Must be true or false.")]
    values["overdue"] = raw in TRUE
    for start, end in (("visit_from", "visit_to"), ("due_from", "due_to")):
        if values[start] and values[end] and values[start] > values[end]:
            errors[end] = [_l("The end of a period cannot be before its start.")]
    words = terms(values["q"])
    if not values.get("sort"):
        values["sort"] = "relevance" if ranked and words else "newest"
    elif values["sort"] == "relevance" and not words:
        values["sort"] = "newest"  # nothing to rank by
    return Filters(**values), errors


def whole_number(raw):
    """(value, error message) for an optional whole number."""
    if raw in (None, ""):
        return None, None
    from app.core.inputs import bounded_int

    try:
        return bounded_int(raw), None
    except ValueError:
        return None, _l("Must be a whole number.")


def iso_date(raw):
    """(value, error message) for an optional YYYY-MM-DD date."""
    if raw in (None, ""):
        return None, None
    try:
        return date.fromisoformat(raw), None
    except ValueError:
        return None, _l("Not a valid date (YYYY-MM-DD).")
