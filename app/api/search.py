"""/search and /stats/recommendations, and ``list_or_export``: every list's ``format=csv|xlsx``."""

from flask import request
from flask_babel import gettext as _
from marshmallow import Schema, fields

from app.api import bp
from app.api.common import paginated
from app.api.errors import ApiError
from app.api.openapi import doc, page
from app.api.schemas import code
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


def _search_query():
    """The query parameters of /search: the filters of ``app.domain.search.filters``."""
    params = {"q": fields.String()}
    params.update({name: code(codes) for name, codes in CHOICES.items()})
    params.update({name: fields.Integer() for name in INTS})
    params.update({name: fields.Date() for name in DATES})
    params["overdue"] = fields.Boolean()
    return Schema.from_dict(params, name="SearchQuery")


class StatsQuery(Schema):
    group_by = fields.String(metadata={"enum": list(stats.GROUPINGS), "default": "state"})
    from_ = fields.Date(data_key="from")
    to = fields.Date()
    format = fields.String(metadata={"enum": list(FORMATS)})


class StatSchema(Schema):
    key = fields.Raw(metadata={"oneOf": [{"type": "string"}, {"type": "integer"}]})
    label = fields.String()
    total = fields.Integer()
    implemented = fields.Integer()
    partially_implemented = fields.Integer(attribute="partially")
    overdue = fields.Integer()
    answered = fields.Integer()
    settled = fields.Integer()
    answered_in_time = fields.Integer(attribute="in_time")
    implementation_rate = fields.Raw(
        attribute="rate", metadata={"type": "number", "nullable": True}
    )


class StatsSchema(Schema):
    items = fields.List(fields.Nested(StatSchema))


@bp.get("/search")
@doc(
    "Search recommendations: words (any form, by their beginning) and filters",
    response=page("RecommendationSchema"),
    query=_search_query(),
    exports=True,
    errors=(401, 422),
)
def search():
    from app.api.recommendations import dump  # here: recommendations imports list_or_export

    f, errors = parse(request.args, ranked=True)
    if errors:
        raise ApiError(422, fields=errors)
    if file_format():
        return list_or_export(
            queries.export_stmt(f),
            dump,
            exports.RECOMMENDATION_COLUMNS,
            "search",
            queries.export_prepare(f),
        )
    with queries.bitmaps_only(f):
        return paginated(queries.search_stmt(f).options(*queries.ROW_OPTIONS), dump)


@bp.get("/stats/recommendations")
@doc(
    "Recommendations counted per group, for visits that started in a period (or them as a file)",
    response=StatsSchema,
    query=StatsQuery,
    errors=(401, 422),
    content=[m.split(";")[0] for m in FORMATS.values()],
)
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
    return StatsSchema().dump({"items": rows})


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
