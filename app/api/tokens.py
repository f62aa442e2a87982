"""The caller's own API tokens: list, create (named, optionally expiring), revoke one."""

from datetime import UTC, date, datetime, time

import sqlalchemy as sa
from flask import g
from flask_babel import gettext as _

from app.api import bp, openapi
from app.api.common import json_body, paginated
from app.api.errors import ApiError
from app.auth import operations as ops
from app.auth.models import ApiToken
from app.core.clock import KYIV, today
from app.core.security import hash_token
from app.extensions import db


def dump(row):
    return {
        "id": row.id,
        "name": row.name,
        "created_at": row.created_at.isoformat(),
        "last_used_at": row.last_used_at.isoformat() if row.last_used_at else None,
        "expires_at": row.expires_at.isoformat() if row.expires_at else None,
        "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None,
    }


@bp.get("/tokens")
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
    fields, name, expires = {}, data.get("name"), data.get("expires_on")
    if not isinstance(name, str) or not name.strip() or len(name) > 100 or "\x00" in name:
        fields["name"] = [_("A name of 1 to 100 characters.")]
    expires_at = None
    if expires is not None:
        try:
            day = date.fromisoformat(expires) if isinstance(expires, str) else None
        except ValueError:
            day = None
        if day is None or day <= today():
            fields["expires_on"] = [_("Give a date in the future.")]
        else:
            expires_at = datetime.combine(day, time(23, 59, 59), KYIV).astimezone(UTC)
    if fields:
        raise ApiError(422, fields=fields)
    return name.strip(), expires_at


@bp.post("/tokens")
def tokens_create():
    user = g.api_user
    name, expires_at = _input(json_body())
    value = ops.issue_token(user, name, expires_at, actor=user)
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == hash_token(value)))
    return {**dump(row), "token": value}, 201


@bp.delete("/tokens/<int:token_id>")
def tokens_revoke(token_id):
    row = ops.own_row(ApiToken, token_id, g.api_user)
    if row is None:
        raise ApiError(404)
    ops.revoke_token(row, g.api_user)
    return "", 204


def _register_openapi():
    int_, str_, when = (
        {"type": "integer"},
        {"type": "string"},
        {"type": "string", "format": "date-time"},
    )
    openapi.EXTRA_SCHEMAS["Token"] = {
        "properties": {
            "id": int_,
            "name": str_,
            "created_at": when,
            "last_used_at": {**when, "nullable": True},
            "expires_at": {**when, "nullable": True},
            "revoked_at": {**when, "nullable": True},
        },
        "required": ["name"],
        "read_only": ("id", "created_at", "last_used_at", "expires_at", "revoked_at"),
    }
    ref = {"$ref": "#/components/schemas/Token"}

    def errors(*codes):
        return {str(c): {"$ref": f"#/components/responses/E{c}"} for c in codes}

    page = {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": ref},
            "total": int_,
            "page": int_,
            "per_page": int_,
        },
    }
    openapi.EXTRA_PATHS.append(
        (
            "/tokens",
            "get",
            {
                "summary": "The caller's API tokens (never their values)",
                "responses": {
                    "200": {
                        "description": "A page",
                        "content": {"application/json": {"schema": page}},
                    },
                    **errors(401, 422),
                },
            },
        )
    )
    body = {
        "type": "object",
        "required": ["name"],
        "additionalProperties": False,
        "properties": {
            "name": str_,
            "expires_on": {"type": "string", "format": "date", "nullable": True},
        },
    }
    created = {"allOf": [ref, {"type": "object", "properties": {"token": str_}}]}
    openapi.EXTRA_PATHS.append(
        (
            "/tokens",
            "post",
            {
                "summary": "A new token for the caller; its value is in the answer, once",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": body}},
                },
                "responses": {
                    "201": {
                        "description": "Created",
                        "content": {"application/json": {"schema": created}},
                    },
                    **errors(400, 401, 422),
                },
            },
        )
    )
    openapi.EXTRA_PATHS.append(
        (
            "/tokens/{id}",
            "delete",
            {
                "summary": "Revoke one of the caller's tokens",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": int_}],
                "responses": {"204": {"description": "Revoked"}, **errors(401, 404)},
            },
        )
    )


_register_openapi()
