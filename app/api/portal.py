"""The authority's portal as JSON (no token: the link is the key) and the lawyer's link calls."""

from flask import g, request
from flask_babel import gettext as _
from marshmallow import Schema, fields

from app.api import PUBLIC, bp
from app.api.common import form_positions, get_or_404, json_body, roles
from app.api.errors import ApiError
from app.api.openapi import doc
from app.api.responses import PositionSchema, ResponseSchema, dump
from app.api.schemas import code, nullable
from app.domain.acts.models import Act
from app.domain.portal import links
from app.domain.portal import operations as ops
from app.domain.portal.routes import guarded
from app.domain.responses import POSITIONS

PUBLIC.update({"api.portal_show", "api.portal_answer"})
#: multipart/form-data: the fields, ``positions`` as a JSON string, ``files`` and ``files-ID``.
FORM_MIMETYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


class PortalAuthoritySchema(Schema):
    id = fields.Integer()
    name = fields.String()


class PortalActSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    outgoing_number = fields.String()
    sent_on = fields.Date()
    heading = fields.String()
    authority = fields.Nested(PortalAuthoritySchema)
    due_on = nullable(fields.Date)


class PortalVisitSchema(Schema):
    id = fields.Integer()
    started_on = fields.Date()
    ended_on = fields.Date()


class PortalRecommendationSchema(Schema):
    id = fields.Integer()
    number = fields.Integer()
    text = fields.String()
    facility = fields.String(metadata={"description": "The facility's name"})
    facility_id = fields.Integer()
    visit = fields.Nested(PortalVisitSchema)


class PortalSchema(Schema):
    act = fields.Nested(PortalActSchema)
    recommendations = fields.List(fields.Nested(PortalRecommendationSchema))
    positions = fields.List(code(POSITIONS))


class PortalAnswerSchema(Schema):
    """The authority's answer (JSON); ``responder_name`` and ``responder_position`` required."""

    responder_name = fields.String(required=True)
    responder_position = fields.String(required=True)
    responder_phone = fields.String()
    responder_email = fields.String()
    text = fields.String()
    sender_number = fields.String()
    positions = fields.List(fields.Nested(PositionSchema), required=True)


class PortalUploadSchema(Schema):
    """The answer as a multipart form: ``positions`` as a JSON string, ``files`` for the whole
    answer and ``files-ID`` for recommendation ID."""

    responder_name = fields.String(required=True)
    responder_position = fields.String(required=True)
    responder_phone = fields.String()
    responder_email = fields.String()
    text = fields.String()
    sender_number = fields.String()
    positions = fields.String(metadata={"description": "The positions as a JSON array"})
    files = fields.List(fields.Raw(metadata={"type": "string", "format": "binary"}))


class PortalLinkSchema(Schema):
    url = fields.String()
    short_url = fields.String()
    expires_at = fields.DateTime()


class RevokedSchema(Schema):
    revoked = fields.Integer(metadata={"description": "How many links ended"})


def _link(token):
    link = links.resolve(token)
    if link is None:
        raise ApiError(404)
    return link


@bp.get("/portal/<token>")
@doc(
    "The authority's view of its act (no API token: the link's token is the key; a forged, "
    "expired or revoked one is 404)",
    response=PortalSchema,
    errors=(404,),
    public=True,
)
@guarded
def portal_show(token):
    act = _link(token).act
    recommendations = [
        {
            "id": r.id,
            "number": n,
            "text": r.text,
            "facility": r.facility.name,
            "facility_id": r.facility_id,
            "visit": r.visit,
        }
        for n, r in enumerate(act.recommendations, 1)
    ]
    return PortalSchema().dump(
        {"act": act, "recommendations": recommendations, "positions": list(POSITIONS)}
    )


@bp.post("/portal/<token>/responses")
@doc(
    "The authority answers: a response with source portal and status to_review",
    response=ResponseSchema,
    status=201,
    body=PortalAnswerSchema,
    form=PortalUploadSchema,
    errors=(400, 404, 413, 422),
    public=True,
)
@guarded
def portal_answer(token):
    link = _link(token)
    request.max_content_length = _max_bytes()
    data, files = _from_multipart(link.act) if request.mimetype in FORM_MIMETYPES else _from_json()
    response = ops.submit(link, data, files)
    return dump(response), 201


@bp.get("/acts/<int:act_id>/portal-link")
@doc("The act's answer link (lawyers)", response=PortalLinkSchema, errors=(401, 403, 404, 409))
@roles("lawyer")
def portal_link(act_id):
    info = links.info(_sent(act_id))
    if info is None:
        raise ApiError(404, _("The act has no working answer link; make a new one."), "no_link")
    return _dump_link(info)


@bp.post("/acts/<int:act_id>/portal-link/renew")
@doc(
    "End the act's link and make a new one",
    response=PortalLinkSchema,
    status=201,
    errors=(401, 403, 404, 409),
)
@roles("lawyer")
def portal_link_renew(act_id):
    act = _sent(act_id)
    links.renew(act, g.api_user)
    return _dump_link(links.info(act)), 201


@bp.post("/acts/<int:act_id>/portal-link/revoke")
@doc(
    "End the act's link (it then answers 404)", response=RevokedSchema, errors=(401, 403, 404, 409)
)
@roles("lawyer")
def portal_link_revoke(act_id):
    ended = links.revoke(_sent(act_id), g.api_user)
    return {"revoked": ended}


def _sent(act_id):
    act = get_or_404(Act, act_id)
    if act.state not in links.OPEN_ACT_STATES:
        raise ApiError(409, _("Only a sent act has an answer link."), "act_not_sent")
    return act


_dump_link = PortalLinkSchema().dump


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
