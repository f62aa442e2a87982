"""/authorities: the authority registry."""

from flask import g, request
from sqlalchemy.orm import selectinload

from app.api import bp
from app.api.common import choice_arg, get_or_404, int_arg, roles, validated
from app.api.search import list_or_export
from app.domain.authorities import queries
from app.domain.authorities.forms import AuthorityForm
from app.domain.authorities.models import Authority
from app.domain.authorities.operations import save_authority
from app.domain.codes import AUTHORITY_KINDS
from app.domain.search.exports import AUTHORITY_COLUMNS


def dump(a):
    return {
        "id": a.id,
        "name": a.name,
        "kind": a.kind,
        "email": a.email,
        "postal_address": a.postal_address,
        "head_title": a.head_title,
        "head_name": a.head_name,
        "parent_id": a.parent_id,
    }


@bp.get("/authorities")
def authorities_list():
    stmt = queries.list_stmt(
        request.args.get("q"), choice_arg("kind", AUTHORITY_KINDS), int_arg("parent_id")
    )
    stmt = stmt.options(selectinload(Authority.parent))
    return list_or_export(stmt, dump, AUTHORITY_COLUMNS, "authorities")


@bp.get("/authorities/<int:authority_id>")
def authorities_get(authority_id):
    return dump(get_or_404(Authority, authority_id))


@bp.post("/authorities")
@roles("admin", "lawyer")
def authorities_create():
    authority = save_authority(validated(AuthorityForm), actor=g.api_user)
    return dump(authority), 201


@bp.patch("/authorities/<int:authority_id>")
@roles("admin", "lawyer")
def authorities_update(authority_id):
    authority = get_or_404(Authority, authority_id)
    save_authority(validated(AuthorityForm, obj=authority), authority, g.api_user)
    return dump(authority)
