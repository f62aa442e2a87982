"""Search and dashboard pages, and their files (every logged-in user)."""

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import lazy_gettext as _l

from app.core import features
from app.core.clock import today
from app.core.exports import BadFormat, export_response, requested_format
from app.core.pagination import BadPageArgs, page_args
from app.core.security import roles_required
from app.domain import codes
from app.domain.authorities.queries import all_for_choices
from app.domain.recommendations import STATES
from app.domain.search import dashboard as panels
from app.domain.search import exports, jobs, queries, stats  # noqa: F401  (jobs: periodic)
from app.domain.search.filters import SORTS, iso_date, parse
from app.domain.search.text import highlight

bp = Blueprint("search", __name__, template_folder="templates")
features.menu_entry(bp, "search.index", _l("Search"), ("admin", "lawyer", "monitor"), order=30)
features.menu_entry(
    bp, "search.dashboard", _l("Dashboard"), ("admin", "lawyer", "monitor"), order=40
)

#: Files of the dashboard: the groupings, and the timeliness summary.
TABLES = stats.GROUPINGS + ("timeliness",)


@bp.route("/search")
@roles_required()
def index():
    f, errors = parse(request.args, ranked=True)
    fmt = _format()
    if fmt:
        return export_response(
            queries.export_stmt(f),
            exports.RECOMMENDATION_COLUMNS,
            _filename("search"),
            fmt,
            title=_l("Recommendations"),
            prepare=queries.export_prepare(f),
        )
    try:
        number, per_page = page_args()
    except BadPageArgs:
        number, per_page = 1, current_app.config["PER_PAGE"]
    return render_template(
        "search/search.html",
        f=f,
        errors=errors,
        page=queries.page(f, number, per_page),
        highlight=lambda text: highlight(text, f.words),
        options=_options(),
    )


@bp.route("/dashboard")
@roles_required()
def dashboard():
    start, end, errors = period(request.args)
    fig = stats.figures(start, end)
    return render_template(
        "search/dashboard.html",
        start=start,
        end=end,
        errors=errors,
        fig=fig,
        panels=panels.panels(fig),
        summary=panels.summary(fig),
        as_of=stats.rollup_time(),
        reported=fig.reported,
    )


@bp.route("/dashboard/<table>.<fmt>")
@roles_required()
def dashboard_export(table, fmt):
    if table not in TABLES or fmt not in ("csv", "xlsx"):
        abort(404)
    start, end, _errors = period(request.args)
    if table == "timeliness":
        fig = stats.figures(start, end)
        row = {**vars(fig.totals), "in_time_share": fig.totals.in_time_share}
        rows, columns = [{**row, "median_days": fig.median_days}], exports.TIMELINESS_COLUMNS
    else:
        rows, columns = stats.grouped(table, start, end), exports.GROUP_COLUMNS
    return export_response(rows, columns, _filename(f"dashboard-{table}", start, end), fmt)


def _options():
    """The filters' options as (value, label) strings, labels resolved once per page."""
    from app.workflow import get_engine

    engine = get_engine()

    def pairs(table):
        return [(code, str(label)) for code, label in table.items()]

    return {
        "state": [(s, engine.label("recommendation", s)) for s in STATES],
        "sort": pairs(SORTS),
        "authority_id": [(str(i), name) for i, name in all_for_choices()],
        "facility_type": pairs(codes.FACILITY_TYPES),
        "region": pairs(codes.REGIONS),
        "theme": pairs(codes.THEMES),
        "visit_kind": pairs(codes.VISIT_KINDS),
    }


def period(args):
    """(from, to, errors) of the dashboard's period: the visits' start dates, both optional."""
    errors = {}
    start, error = iso_date(args.get("from"))
    if error:
        errors["from"] = [error]
    end, error = iso_date(args.get("to"))
    if error:
        errors["to"] = [error]
    for name, value in (("from", start), ("to", end)):
        error = _outside_records(value)
        if error:
            errors[name] = [error]
    if start and end and end < start and not errors:
        errors["to"] = [_l("The end of a period cannot be before its start.")]
    return start, end, errors


def _outside_records(value):
    """A date no record can have (a mistyped year): its message, else None."""
    from app.core.forms import EARLIEST_RECORD
    from app.core.i18n import fmt_date

    latest = today().replace(year=today().year + 1)
    if value is None or EARLIEST_RECORD <= value <= latest:
        return None
    return _l(
        "Enter a date from %(start)s to %(end)s.",
        start=fmt_date(EARLIEST_RECORD),
        end=fmt_date(latest),
    )


def _format():
    try:
        return requested_format(request.args)
    except BadFormat:
        abort(400)


def _filename(stem, start=None, end=None):
    dates = [d.isoformat() for d in (start, end) if d] or [today().isoformat()]
    return "-".join([stem, *dates])
