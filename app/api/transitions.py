"""Transitions and history endpoints shared by every workflow resource (recommendations, acts)."""

from flask import g
from flask_babel import gettext as _

from app.api import bp
from app.api.common import get_or_404, json_body
from app.api.errors import ApiError
from app.workflow import get_engine


def history_item(h):
    return {
        "transition": h.transition,
        "from": h.from_state,
        "to": h.to_state,
        "actor": h.actor_id,
        "at": h.at.isoformat(),
        "comment": h.comment,
    }


def register(resource, model, dump, fire):
    """Add GET/POST /{resource}/{id}/transitions and GET /{resource}/{id}/history.

    ``fire(subject, name, actor, params, requested=True)`` is the domain operation (it may
    refuse with PermissionError; internal transitions are refused with 403); ``dump`` renders the subject after the transition.
    """

    def transitions_get(subject_id):
        subject = get_or_404(model, subject_id)
        return [a.as_dict() for a in get_engine().available(subject, g.api_user)]

    def transitions_post(subject_id):
        subject = get_or_404(model, subject_id)
        body = json_body()
        if not isinstance(body, dict) or not isinstance(body.get("name"), str):
            raise ApiError(422, fields={"name": [_("This field is required.")]})
        params = {k: v for k, v in body.items() if k != "name"}
        fire(subject, body["name"], g.api_user, params, requested=True)
        return dump(subject)

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
