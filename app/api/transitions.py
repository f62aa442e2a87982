"""Transitions and history endpoints shared by every workflow resource (recommendations, acts)."""

from flask import g
from flask_babel import gettext as _
from marshmallow import INCLUDE, Schema, fields

from app.api import bp
from app.api.common import get_or_404, json_body
from app.api.errors import ApiError
from app.api.openapi import doc
from app.workflow import get_engine


class TransitionSchema(Schema):
    name = fields.String()
    label = fields.String()
    to = fields.String()


class HistoryEntrySchema(Schema):
    transition = fields.String()
    from_ = fields.String(data_key="from", attribute="from_state", allow_none=True)
    to = fields.String(attribute="to_state")
    actor = fields.Integer(attribute="actor_id", allow_none=True)
    at = fields.DateTime()
    comment = fields.String(allow_none=True)


class FireSchema(Schema):
    """The transition's name, a comment, and the parameters the transition takes."""

    class Meta:
        unknown = INCLUDE

    name = fields.String(required=True)
    comment = fields.String()


history_item = HistoryEntrySchema().dump


def register(resource, model, schema, fire):
    """Add GET/POST /{resource}/{id}/transitions and GET /{resource}/{id}/history.

    ``fire(subject, name, actor, params, requested=True)`` is the domain operation (it may
    refuse with PermissionError; internal transitions are refused with 403); ``schema``
    renders the subject after the transition.
    """
    dump = schema().dump
    noun = resource.removesuffix("s")

    @doc(
        f"What the caller may fire now on a {noun}", response=[TransitionSchema], errors=(401, 404)
    )
    def transitions_get(subject_id):
        subject = get_or_404(model, subject_id)
        return [a.as_dict() for a in get_engine().available(subject, g.api_user)]

    @doc(
        f"Fire a transition on a {noun}",
        response=schema,
        body=FireSchema,
        errors=(400, 401, 403, 404, 409, 422),
    )
    def transitions_post(subject_id):
        subject = get_or_404(model, subject_id)
        body = json_body()
        if not isinstance(body, dict) or not isinstance(body.get("name"), str):
            raise ApiError(422, fields={"name": [_("This field is required.")]})
        params = {k: v for k, v in body.items() if k != "name"}
        fire(subject, body["name"], g.api_user, params, requested=True)
        return dump(subject)

    @doc(
        f"History of a {noun}, oldest first (actor null: the system)",
        response=[HistoryEntrySchema],
        errors=(401, 404),
    )
    def history_get(subject_id):
        subject = get_or_404(model, subject_id)
        return [history_item(h) for h in get_engine().history(subject)]

    bp.add_url_rule(
        f"/{resource}/<int:subject_id>/transitions",
        f"{resource}_transitions",
        transitions_get,
        methods=["GET"],
    )
    bp.add_url_rule(
        f"/{resource}/<int:subject_id>/transitions",
        f"{resource}_fire",
        transitions_post,
        methods=["POST"],
    )
    bp.add_url_rule(
        f"/{resource}/<int:subject_id>/history", f"{resource}_history", history_get, methods=["GET"]
    )
