"""A list page, or with ``format=csv|xlsx`` the file of exactly what it shows (the same
filters, every page of it): one builder for every feature's list route.

    return list_page(stmt, "acts/list.html", exports.COLUMNS, "acts", _l("Acts"), kinds=KINDS)

``sep=;`` makes the CSV semicolon-separated, as Excel in a Ukrainian locale opens it.
"""

from flask import abort, render_template, request, url_for

from app.core.clock import today
from app.core.exports import BadFormat, export_response, requested_format, requested_separator
from app.core.pagination import paginate

#: Query-string arguments that are not filters.
NOT_FILTERS = ("page", "per_page", "format", "sep", "anonymise", "select")


def list_page(
    stmt,
    template,
    columns,
    filename,
    title,
    *,
    export_stmt=None,
    prepare=None,
    page=None,
    **context,
):
    """The page of ``stmt`` (``page``: an already built pagination), or its file.

    ``export_stmt``: what the file reads when it differs from ``stmt`` (related rows loaded in
    batches; the page reads it too, so its rows' registries come in one query, not one per
    row); ``prepare`` runs before the file's SELECT."""
    fmt, separator = wanted_file()
    if fmt:
        return export_response(
            export_stmt if export_stmt is not None else stmt,
            columns,
            f"{filename}-{today().isoformat()}",
            fmt,
            title=title,
            prepare=prepare,
            separator=separator,
        )
    return render_template(
        template,
        page=page
        if page is not None
        else paginate(export_stmt if export_stmt is not None else stmt),
        exports=export_links(),
        **saved_filters_context(),
        **context,
    )


def wanted_file():
    """(format or None, CSV separator) of the request; 400 for anything else."""
    try:
        return requested_format(request.args), requested_separator(request.args)
    except BadFormat:
        abort(400)


def filter_args(args=None):
    """The request's filters (multi-valued arguments kept), without page, format and the like."""
    args = request.args if args is None else args
    return [(k, v) for k, values in args.lists() if k not in NOT_FILTERS for v in values if v]


def saved_filters_context():
    """The user's saved filters of this page and the form that saves the current ones."""
    from urllib.parse import urlencode

    from flask_login import current_user

    from app.domain.lists import saved

    if request.endpoint not in saved.PAGES:
        return {}
    form = saved.SaveFilterForm(formdata=None)
    form.page.data, form.query.data = request.endpoint, urlencode(filter_args())
    return {"saved_filters": saved.of_user(current_user, request.endpoint), "save_form": form}


def export_links():
    """{"xlsx": url, "csv": url} of this page's filters."""
    args = filter_args()

    def link(**extra):
        from urllib.parse import urlencode

        base = url_for(request.endpoint, **(request.view_args or {}))
        return base + "?" + urlencode([*args, *extra.items()])

    return {"xlsx": link(format="xlsx"), "csv": link(format="csv", sep=";")}
