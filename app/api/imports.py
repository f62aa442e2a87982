"""/imports: legacy spreadsheets of recommendations (multipart upload), and the template."""

import tempfile

from flask import Response, g, request
from flask_babel import gettext as _
from marshmallow import Schema, fields

from app.api import bp
from app.api.common import roles
from app.api.errors import ApiError
from app.api.openapi import doc
from app.extensions import db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RowErrorSchema(Schema):
    row = fields.Integer()
    column = fields.String()
    message = fields.String()


class ImportReportSchema(Schema):
    """Also the body of a 422 (errors in rows: nothing saved) and of a dry run (200)."""

    rows = fields.Integer(required=True)
    created = fields.Integer(required=True)
    updated = fields.Integer(required=True)
    errors = fields.List(fields.Nested(RowErrorSchema), required=True)


class ImportUploadSchema(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})
    kind = fields.String(metadata={"enum": ["recommendations"]})
    dry_run = fields.Boolean()


class TemplateQuery(Schema):
    format = fields.String(metadata={"enum": ["xlsx", "csv"]})


@bp.post("/imports")
@doc(
    "Import recommendations from an XLSX or CSV sheet (whole or nothing; a dry run answers 200)",
    response=ImportReportSchema,
    status=201,
    form=ImportUploadSchema,
    errors=(400, 401, 403, 413, 422),
)
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
@doc(
    "The empty sheet to fill in",
    description="The file",
    query=TemplateQuery,
    content=(XLSX, "text/csv"),
    errors=(401, 403, 422),
)
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
