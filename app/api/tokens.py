"""The caller's own API tokens: list, create (named, optionally expiring), revoke one."""

from datetime import UTC, datetime, time

import sqlalchemy as sa
from flask import g
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load

from app.api import bp
from app.api.common import json_body, paginated
from app.api.errors import ApiError
from app.api.openapi import doc, page
from app.api.schemas import nullable
from app.auth import operations as ops
from app.auth.models import ApiToken
from app.core.clock import KYIV, today
from app.core.security import hash_token
from app.extensions import db


class TokenSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    created_at = fields.DateTime()
    last_used_at = nullable(fields.DateTime)
    expires_at = nullable(fields.DateTime)
    revoked_at = nullable(fields.DateTime)


class NewTokenSchema(TokenSchema):
    token = fields.String(metadata={"description": "The token's value, shown this once"})


BAD_NAME = _l("A name of 1 to 100 characters.")
NOT_IN_FUTURE = _l("Give a date in the future.")


def _good_name(name):
    if not (0 < len(name.strip()) and len(name) <= 100 and "\x00" not in name):
        raise ValidationError(str(BAD_NAME))


def _in_future(day):
    if day is not None and not day > today():
        raise ValidationError(str(NOT_IN_FUTURE))


class TokenInputSchema(Schema):
    """Other keys are ignored."""

    class Meta:
        unknown = EXCLUDE

    name = fields.String(
        required=True,
        validate=_good_name,
        metadata={"minLength": 1, "maxLength": 100},
        error_messages={k: BAD_NAME for k in ("required", "null", "invalid", "validator_failed")},
    )
    expires_on = fields.Date(
        allow_none=True,
        validate=_in_future,
        metadata={"description": "A day in the future; left out or null: never"},
        error_messages={"invalid": NOT_IN_FUTURE, "validator_failed": NOT_IN_FUTURE},
    )

    @post_load
    def _end_of_day(self, data, **kwargs):
        day = data.get("expires_on")
        expires_at = datetime.combine(day, time(23, 59, 59), KYIV).astimezone(UTC) if day else None
        return data["name"].strip(), expires_at


dump = TokenSchema().dump


@bp.get("/tokens")
@doc(
    "The caller's API tokens (never their values)",
    response=page(TokenSchema),
    paged=True,
    errors=(401, 422),
)
def tokens_list():
    stmt = (
        sa.select(ApiToken)
        .where(ApiToken.user_id == g.api_user.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return paginated(stmt, dump)


def _input(data):
    if not isinstance(data, dict):
        raise ApiError(422, fields={"name": [_("This field is required.")]})
    try:
        return TokenInputSchema().load(data)
    except ValidationError as exc:
        raise ApiError(422, fields=exc.messages) from None


@bp.post("/tokens")
@doc(
    "A new token for the caller; its value is in the answer, once",
    response=NewTokenSchema,
    status=201,
    body=TokenInputSchema,
    errors=(400, 401, 422),
)
def tokens_create():
    user = g.api_user
    name, expires_at = _input(json_body())
    value = ops.issue_token(user, name, expires_at, actor=user)
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == hash_token(value)))
    return {**dump(row), "token": value}, 201


@bp.delete("/tokens/<int:token_id>")
@doc("Revoke one of the caller's tokens", status=204, description="Revoked", errors=(401, 404))
def tokens_revoke(token_id):
    row = ops.own_row(ApiToken, token_id, g.api_user)
    if row is None:
        raise ApiError(404)
    ops.revoke_token(row, g.api_user)
    return "", 204
