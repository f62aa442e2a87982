"""GET /me: who the token belongs to."""

from flask import g
from marshmallow import Schema, fields

from app.api import bp
from app.api.openapi import doc
from app.api.schemas import code
from app.domain.codes import ROLES


class MeSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    role = code(ROLES)


@bp.get("/me")
@doc("The caller: the user the token belongs to", response=MeSchema, errors=(401,))
def me():
    return MeSchema().dump(g.api_user)
