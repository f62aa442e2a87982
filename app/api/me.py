"""GET /me: who the token belongs to."""

from flask import g

from app.api import bp


@bp.get("/me")
def me():
    user = g.api_user
    return {"id": user.id, "email": user.email, "name": user.name, "role": user.role}
