"""/imports: legacy spreadsheets of recommendations (multipart upload), and the template."""

import tempfile

from flask import Response, g, request
from flask_babel import gettext as _

from app.api import bp
from app.api.common import roles
from app.api.errors import ApiError
from app.extensions import db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.post("/imports")
@roles("admin", "lawyer")
def imports_create():
    from app.domain.imports.operations import import_recommendations

    upload = request.files.get("file")
    kind = request.form.get("kind", "recommendations")
    dry_run = request.form.get("dry_run", "false").lower()
    fields = {}
    if upload is None or not upload.filename:
        fields["file"] = [_("Attach the spreadsheet as the field “file”.")]
    if kind != "recommendations":
        fields["kind"] = [_("Must be one of: %(codes)s.", codes="recommendations")]
    if dry_run not in ("true", "false", "1", "0"):
        fields["dry_run"] = [_("Must be true or false.")]
    if fields:
        raise ApiError(422, fields=fields)
    with tempfile.NamedTemporaryFile() as tmp:
        try:
            upload.save(tmp)
        finally:
            upload.close()  # a large upload is spooled to a temporary file of its own
        tmp.flush()
        report = import_recommendations(
            tmp.name, upload.filename, g.api_user, dry_run=dry_run in ("true", "1")
        )
    body = report.as_dict()
    if report.dry_run:
        db.session.rollback()  # a dry run keeps nothing, whatever it answers
    if not report.ok:
        body["error"] = {"code": "invalid_rows", "message": _("Nothing was saved: see errors.")}
        return body, 200 if report.dry_run else 422
    return body, 200 if report.dry_run else 201


@bp.get("/imports/template")
@roles("admin", "lawyer")
def imports_template():
    from app.domain.imports.template import template_csv, template_xlsx
    from app.workflow import get_engine

    fmt = request.args.get("format", "xlsx")
    if fmt == "xlsx":
        data, mimetype = template_xlsx(get_engine()), XLSX
    elif fmt == "csv":
        data, mimetype = template_csv(), "text/csv; charset=utf-8"
    else:
        raise ApiError(422, fields={"format": [_("Must be one of: %(codes)s.", codes="xlsx, csv")]})
    response = Response(data, mimetype=mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=f"recommendations.{fmt}")
    return response


def _describe():
    from app.api.openapi import EXTRA_PATHS

    schema = {
        "type": "object",
        "required": ["rows", "created", "updated", "errors"],
        "properties": {
            "rows": {"type": "integer"},
            "created": {"type": "integer"},
            "updated": {"type": "integer"},
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "row": {"type": "integer"},
                        "column": {"type": "string"},
                        "message": {"type": "string"},
                    },
                },
            },
        },
    }
    report = {"content": {"application/json": {"schema": schema}}}
    form = {
        "type": "object",
        "required": ["file"],
        "properties": {
            "file": {"type": "string", "format": "binary"},
            "kind": {"type": "string", "enum": ["recommendations"]},
            "dry_run": {"type": "boolean"},
        },
    }
    EXTRA_PATHS.append(
        (
            "/imports",
            "post",
            {
                "summary": "Import recommendations from an XLSX or CSV sheet (whole or nothing)",
                "requestBody": {"content": {"multipart/form-data": {"schema": form}}},
                "responses": {
                    "201": {"description": "Imported", **report},
                    "200": {
                        "description": "Dry run: what would be imported, or the errors",
                        **report,
                    },
                    "422": {"description": "Errors in rows: nothing saved", **report},
                },
            },
        )
    )
    EXTRA_PATHS.append(
        (
            "/imports/template",
            "get",
            {
                "summary": "The empty sheet to fill in",
                "parameters": [
                    {
                        "name": "format",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["xlsx", "csv"]},
                    }
                ],
                "responses": {"200": {"description": "The file"}},
            },
        )
    )


_describe()
