"""/authorities: the authority registry."""

import sqlalchemy as sa
from flask import g, request
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates_schema
from sqlalchemy.orm import selectinload

from app.api import bp
from app.api.common import choice_arg, get_or_404, int_arg, json_body, roles
from app.api.openapi import doc, page
from app.api.schemas import Choice, Input, RefId, Text, code, nullable
from app.api.search import list_or_export
from app.domain.authorities import queries
from app.domain.authorities.models import Authority
from app.domain.authorities.operations import save_authority
from app.domain.codes import AUTHORITY_KINDS
from app.domain.search.exports import AUTHORITY_COLUMNS
from app.extensions import db


class AuthoritySchema(Schema):
    id = fields.Integer()
    name = fields.String()
    kind = code(AUTHORITY_KINDS)
    email = nullable(fields.String)
    postal_address = fields.String()
    head_title = fields.String()
    head_name = fields.String()
    parent_id = nullable(fields.Integer)


class AuthorityInputSchema(Input):
    name = Text(300, needed=True)
    kind = Choice(AUTHORITY_KINDS)
    email = Text(254, email=True)
    postal_address = Text(500)
    head_title = Text(300, metadata={"description": "In the dative («Міністрові юстиції України»)"})
    head_name = Text(200, metadata={"description": "In the dative («Ользі СТЕФАНІШИНІЙ»)"})
    parent_id = RefId(metadata={"description": "The supervising authority"})

    @validates_schema(skip_on_field_errors=False)
    def _unique_and_acyclic(self, data, **kwargs):
        errors = {}
        if data.get("name"):
            other = db.session.scalar(
                sa.select(Authority).where(Authority.name == data["name"].strip())
            )
            if other is not None and other is not self.record:
                errors["name"] = [_l("An authority with this name already exists.")]
        if data.get("parent_id") is not None:
            parent = db.session.get(Authority, data["parent_id"])
            if parent is None:
                errors["parent_id"] = [_l("No such authority.")]
            elif self.record is not None and (
                parent is self.record or self.record in parent.ancestors()
            ):
                errors["parent_id"] = [
                    _l("An authority cannot be supervised by itself or by one under it.")
                ]
        if errors:
            raise ValidationError(errors)


class AuthorityQuery(Schema):
    q = fields.String()
    kind = code(AUTHORITY_KINDS)
    parent_id = fields.Integer()


dump = AuthoritySchema().dump


@bp.get("/authorities")
@doc(
    "List authorities",
    response=page(AuthoritySchema),
    query=AuthorityQuery,
    exports=True,
    errors=(401, 422),
)
def authorities_list():
    stmt = queries.list_stmt(
        request.args.get("q"), choice_arg("kind", AUTHORITY_KINDS), int_arg("parent_id")
    )
    stmt = stmt.options(selectinload(Authority.parent))
    return list_or_export(stmt, dump, AUTHORITY_COLUMNS, "authorities")


@bp.get("/authorities/<int:authority_id>")
@doc("One authority", response=AuthoritySchema, errors=(401, 404))
def authorities_get(authority_id):
    return dump(get_or_404(Authority, authority_id))


@bp.post("/authorities")
@doc(
    "Create an authority",
    response=AuthoritySchema,
    status=201,
    body=AuthorityInputSchema,
    errors=(400, 401, 403, 422),
)
@roles("admin", "lawyer")
def authorities_create():
    data = AuthorityInputSchema().load_request(json_body())
    authority = save_authority(data, actor=g.api_user)
    return dump(authority), 201


@bp.patch("/authorities/<int:authority_id>")
@doc(
    "Change an authority (fields left out keep their values)",
    response=AuthoritySchema,
    body=AuthorityInputSchema,
    errors=(400, 401, 403, 404, 409, 422),
)
@roles("admin", "lawyer")
def authorities_update(authority_id):
    authority = get_or_404(Authority, authority_id)
    data = AuthorityInputSchema().load_request(json_body(), authority)
    save_authority(data, authority, g.api_user)
    return dump(authority)
