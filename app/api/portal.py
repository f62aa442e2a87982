"""The authority's portal as JSON (no token: the link is the key) and the lawyer's link calls."""

from flask import g, request
from flask_babel import gettext as _

from app.api import PUBLIC, bp, openapi
from app.api.common import form_positions, get_or_404, json_body, roles
from app.api.errors import ApiError
from app.api.responses import dump
from app.domain.acts.models import Act
from app.domain.portal import links
from app.domain.portal import operations as ops
from app.domain.portal.routes import guarded
from app.domain.responses import POSITIONS

PUBLIC.update({"api.portal_show", "api.portal_answer"})
#: multipart/form-data: the fields, ``positions`` as a JSON string, ``files`` and ``files-ID``.
FORM_MIMETYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def _link(token):
    link = links.resolve(token)
    if link is None:
        raise ApiError(404)
    return link


@bp.get("/portal/<token>")
@guarded
def portal_show(token):
    act = _link(token).act
    return {
        "act": {
            "id": act.id,
            "kind": act.kind,
            "outgoing_number": act.outgoing_number,
            "sent_on": act.sent_on.isoformat(),
            "heading": act.heading,
            "authority": {"id": act.authority_id, "name": act.authority.name},
            "due_on": act.due_on.isoformat() if act.due_on else None,
        },
        "recommendations": [
            {
                "id": r.id,
                "number": n,
                "text": r.text,
                "facility": r.facility.name,
                "facility_id": r.facility_id,
                "visit": {
                    "id": r.visit_id,
                    "started_on": r.visit.started_on.isoformat(),
                    "ended_on": r.visit.ended_on.isoformat(),
                },
            }
            for n, r in enumerate(act.recommendations, 1)
        ],
        "positions": list(POSITIONS),
    }


@bp.post("/portal/<token>/responses")
@guarded
def portal_answer(token):
    link = _link(token)
    request.max_content_length = _max_bytes()
    data, files = _from_multipart(link.act) if request.mimetype in FORM_MIMETYPES else _from_json()
    response = ops.submit(link, data, files)
    return dump(response), 201


@bp.get("/acts/<int:act_id>/portal-link")
@roles("lawyer")
def portal_link(act_id):
    info = links.info(_sent(act_id))
    if info is None:
        raise ApiError(404, _("The act has no working answer link; make a new one."), "no_link")
    return _dump_link(info)


@bp.post("/acts/<int:act_id>/portal-link/renew")
@roles("lawyer")
def portal_link_renew(act_id):
    act = _sent(act_id)
    links.renew(act, g.api_user)
    return _dump_link(links.info(act)), 201


@bp.post("/acts/<int:act_id>/portal-link/revoke")
@roles("lawyer")
def portal_link_revoke(act_id):
    ended = links.revoke(_sent(act_id), g.api_user)
    return {"revoked": ended}


def _sent(act_id):
    act = get_or_404(Act, act_id)
    if act.state not in links.OPEN_ACT_STATES:
        raise ApiError(409, _("Only a sent act has an answer link."), "act_not_sent")
    return act


def _dump_link(info):
    return {
        "url": info["url"],
        "short_url": info["short_url"],
        "expires_at": info["expires_at"].isoformat(),
    }


def _max_bytes():
    from flask import current_app

    return current_app.config["PORTAL_MAX_REQUEST_BYTES"]


def _from_json():
    body = json_body()
    if not isinstance(body, dict):
        raise ApiError(422, fields={"_": [_("A JSON object is expected.")]})
    unknown = set(body) - {*ops.FIELDS, "positions"}
    if unknown:
        raise ApiError(422, fields={k: [_("Unknown field.")] for k in sorted(unknown)})
    return body, []


def _from_multipart(act):
    carried = {f"files-{r.id}": r.id for r in act.recommendations}
    unknown = (set(request.form) - {*ops.FIELDS, "positions"}) | (
        set(request.files) - {"files", *carried}
    )
    if unknown:
        raise ApiError(422, fields={k: [_("Unknown field.")] for k in sorted(unknown)})
    positions = form_positions()
    data = {name: request.form.get(name, "") for name in ops.FIELDS} | {"positions": positions}
    files = [(None, f) for f in request.files.getlist("files") if f.filename]
    for field, rec_id in carried.items():
        files += [(rec_id, f) for f in request.files.getlist(field) if f.filename]
    return data, files


def _register_openapi():
    int_, str_ = {"type": "integer"}, {"type": "string"}
    date = {"type": "string", "format": "date"}
    ref = {"$ref": "#/components/schemas/Response"}
    token = [{"name": "token", "in": "path", "required": True, "schema": str_}]
    id_param = [{"name": "id", "in": "path", "required": True, "schema": int_}]

    def errors(*codes):
        return {str(c): {"$ref": f"#/components/responses/E{c}"} for c in codes}

    def ok(description, schema, code="200"):
        return {
            code: {"description": description, "content": {"application/json": {"schema": schema}}}
        }

    position = {
        "type": "object",
        "required": ["recommendation_id", "position"],
        "properties": {
            "recommendation_id": int_,
            "position": {"type": "string", "enum": list(POSITIONS)},
            "comment": str_,
            "planned_on": {**date, "description": "Required for in_progress; not in the past."},
        },
    }
    answer = {
        "type": "object",
        "required": ["responder_name", "responder_position", "positions"],
        "additionalProperties": False,
        "properties": {
            **{name: str_ for name in ops.FIELDS},
            "positions": {"type": "array", "items": position},
        },
    }
    multipart = {
        "type": "object",
        "properties": {
            **{name: str_ for name in ops.FIELDS},
            "positions": {"type": "string", "description": "The positions as a JSON array."},
            "files": {
                "type": "array",
                "items": {"type": "string", "format": "binary"},
                "description": "Files of the whole answer; `files-ID` for recommendation ID.",
            },
        },
    }
    portal = {
        "type": "object",
        "properties": {
            "act": {
                "type": "object",
                "properties": {
                    "id": int_,
                    "kind": str_,
                    "outgoing_number": str_,
                    "sent_on": date,
                    "heading": str_,
                    "authority": {"type": "object"},
                    "due_on": {**date, "nullable": True},
                },
            },
            "recommendations": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": int_,
                        "number": int_,
                        "text": str_,
                        "facility": {**str_, "description": "The facility's name"},
                        "facility_id": int_,
                        "visit": {"type": "object"},
                    },
                },
            },
            "positions": {"type": "array", "items": str_},
        },
    }
    link = {
        "type": "object",
        "properties": {
            "url": str_,
            "short_url": str_,
            "expires_at": {"type": "string", "format": "date-time"},
        },
    }
    openapi.EXTRA_PATHS.append(
        (
            "/portal/{token}",
            "get",
            {
                "summary": "The authority's view of its act (no API token: the link's token is the key; "
                "a forged, expired or revoked one is 404)",
                "security": [],
                "parameters": token,
                "responses": {**ok("The act and its recommendations", portal), **errors(404)},
            },
        )
    )
    openapi.EXTRA_PATHS.append(
        (
            "/portal/{token}/responses",
            "post",
            {
                "summary": "The authority answers: a response with source portal and status to_review",
                "security": [],
                "parameters": token,
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": answer},
                        "multipart/form-data": {"schema": multipart},
                    },
                },
                "responses": {**ok("Received", ref, "201"), **errors(400, 404, 413, 422)},
            },
        )
    )
    openapi.EXTRA_PATHS.append(
        (
            "/acts/{id}/portal-link",
            "get",
            {
                "summary": "The act's answer link (lawyers)",
                "parameters": id_param,
                "responses": {**ok("The link", link), **errors(401, 403, 404, 409)},
            },
        )
    )
    openapi.EXTRA_PATHS.append(
        (
            "/acts/{id}/portal-link/renew",
            "post",
            {
                "summary": "End the act's link and make a new one",
                "parameters": id_param,
                "responses": {**ok("The new link", link, "201"), **errors(401, 403, 404, 409)},
            },
        )
    )
    openapi.EXTRA_PATHS.append(
        (
            "/acts/{id}/portal-link/revoke",
            "post",
            {
                "summary": "End the act's link (it then answers 404)",
                "parameters": id_param,
                "responses": {
                    **ok(
                        "How many links ended", {"type": "object", "properties": {"revoked": int_}}
                    ),
                    **errors(401, 403, 404, 409),
                },
            },
        )
    )


_register_openapi()
