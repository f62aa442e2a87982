"""/search and /stats/recommendations, and ``list_or_export``: every list's ``format=csv|xlsx``."""

from flask import request
from flask_babel import gettext as _

from app.api import bp, openapi
from app.api.common import paginated
from app.api.errors import ApiError
from app.core.clock import today
from app.core.exports import (
    FORMATS,
    SEPARATORS,
    BadFormat,
    export_response,
    requested_format,
    requested_separator,
)
from app.domain.search import exports, queries, stats
from app.domain.search.filters import CHOICES, DATES, INTS, iso_date, parse


def file_format():
    """None, "csv" or "xlsx" from ``format``; 422 for anything else."""
    try:
        return requested_format(request.args)
    except BadFormat:
        raise ApiError(
            422, fields={"format": [_("Must be one of: %(codes)s.", codes=", ".join(FORMATS))]}
        ) from None


def _file_separator():
    """The CSV separator (``sep``: "," by default or ";"); 422 for anything else."""
    try:
        return requested_separator(request.args)
    except BadFormat:
        raise ApiError(
            422, fields={"sep": [_("Must be one of: %(codes)s.", codes=" ".join(SEPARATORS))]}
        ) from None


def list_or_export(stmt, serialize, columns, filename, prepare=None):
    """A page of ``stmt`` as JSON, or with ``format=csv|xlsx`` the whole filtered list as a file.

    ``columns``: app.core.exports.Column list (see app.domain.search.exports for the resources).
    """
    fmt = file_format()
    if fmt:
        name = f"{filename}-{today().isoformat()}"
        return export_response(
            stmt, columns, name, fmt, prepare=prepare, separator=_file_separator()
        )
    return paginated(stmt, serialize)


@bp.get("/search")
def search():
    from app.api.recommendations import dump  # here: recommendations imports list_or_export

    f, errors = parse(request.args, ranked=True)
    if errors:
        raise ApiError(422, fields=errors)
    if file_format():
        return list_or_export(queries.export_stmt(f), dump, exports.RECOMMENDATION_COLUMNS,
                              "search", queries.export_prepare(f))  # fmt: skip
    with queries.bitmaps_only(f):
        return paginated(queries.search_stmt(f).options(*queries.ROW_OPTIONS), dump)


@bp.get("/stats/recommendations")
def stats_recommendations():
    group_by = request.args.get("group_by") or "state"
    errors = {}
    if group_by not in stats.GROUPINGS:
        errors["group_by"] = [_("Must be one of: %(codes)s.", codes=", ".join(stats.GROUPINGS))]
    period = {}
    for name in ("from", "to"):
        period[name], error = iso_date(request.args.get(name))
        if error:
            errors[name] = [error]
    fmt = file_format()
    if errors:
        raise ApiError(422, fields=errors)
    rows = stats.grouped(group_by, period["from"], period["to"])
    if fmt:
        name = "-".join(["stats", group_by] + [d.isoformat() for d in period.values() if d])
        return export_response(rows, exports.GROUP_COLUMNS, name, fmt)
    return {"items": [_stat(g) for g in rows]}


def _stat(g):
    return {
        "key": g.key,
        "label": str(g.label),
        "total": g.total,
        "implemented": g.implemented,
        "partially_implemented": g.partially,
        "overdue": g.overdue,
        "answered": g.answered,
        "settled": g.settled,
        "answered_in_time": g.in_time,
        "implementation_rate": g.rate,
    }


#: Media types of the files (without the charset parameter).
FILE_CONTENT = {
    mime.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
    for mime in FORMATS.values()
}
FORMAT_PARAM = {
    "name": "format",
    "in": "query",
    "description": "csv or xlsx: the whole filtered list as a file (Ukrainian headers)",
    "schema": {"type": "string", "enum": list(FORMATS)},
}


def add_file_formats(paths):
    """Say in the OpenAPI ``paths`` that every list (a GET answering ``items``) takes
    ``format=csv|xlsx`` and may answer with a file."""
    for operations in paths.values():
        operation = operations.get("get")
        ok = (operation or {}).get("responses", {}).get("200", {})
        content = ok.get("content", {})
        schema = content.get("application/json", {}).get("schema", {})
        if "items" not in schema.get("properties", {}):
            continue
        params = operation.setdefault("parameters", [])
        if not any(p.get("name") == "format" for p in params):
            params.append(FORMAT_PARAM)
        for mime, body in FILE_CONTENT.items():
            content.setdefault(mime, body)
    return paths


def _register_openapi():
    """Describe both calls in /openapi.json."""
    str_, int_, num = {"type": "string"}, {"type": "integer"}, {"type": "number"}
    date = {"type": "string", "format": "date"}
    fmt, files = FORMAT_PARAM, FILE_CONTENT
    params = [{"name": "q", "in": "query", "schema": str_}]
    params += [
        {"name": n, "in": "query", "schema": {"type": "string", "enum": list(c)}}
        for n, c in CHOICES.items()
    ]
    params += [{"name": n, "in": "query", "schema": int_} for n in INTS]
    params += [{"name": n, "in": "query", "schema": date} for n in DATES]
    params += [{"name": "overdue", "in": "query", "schema": {"type": "boolean"}}, fmt]
    paging = [
        {"$ref": "#/components/parameters/page"},
        {"$ref": "#/components/parameters/per_page"},
    ]
    page = {
        "type": "object",
        "required": ["items", "total", "page", "per_page"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Recommendation"}},
            "total": int_, "page": int_, "per_page": int_,
        },
    }  # fmt: skip
    errors = {s: {"$ref": f"#/components/responses/E{s}"} for s in ("401", "422")}
    openapi.EXTRA_PATHS.append(("/search", "get", {
        "summary": "Search recommendations: words (any form, by their beginning) and filters",
        "parameters": params + paging,
        "responses": {"200": {"description": "A page, or the whole result as a file",
                              "content": {"application/json": {"schema": page}, **files}},
                      **errors},
    }))  # fmt: skip
    item = {
        "type": "object",
        "required": ["key", "label", "total", "implemented", "overdue", "answered_in_time"],
        "properties": {
            "key": {"oneOf": [str_, int_]}, "label": str_, "total": int_, "implemented": int_,
            "partially_implemented": int_, "overdue": int_, "answered": int_, "settled": int_,
            "answered_in_time": int_, "implementation_rate": {**num, "nullable": True},
        },
    }  # fmt: skip
    body = {"type": "object", "required": ["items"],
            "properties": {"items": {"type": "array", "items": item}}}  # fmt: skip
    openapi.EXTRA_PATHS.append(("/stats/recommendations", "get", {
        "summary": "Recommendations counted per group, for visits that started in a period",
        "parameters": [
            {"name": "group_by", "in": "query",
             "schema": {"type": "string", "enum": list(stats.GROUPINGS), "default": "state"}},
            {"name": "from", "in": "query", "schema": date},
            {"name": "to", "in": "query", "schema": date},
            fmt,
        ],
        "responses": {"200": {"description": "The groups, or them as a file",
                              "content": {"application/json": {"schema": body}, **files}},
                      **errors},
    }))  # fmt: skip


_register_openapi()
