"""/acts/{id}/deadline (the legal clock of an act) and /terms/due (the term calculator)."""

from datetime import date

from flask import g, request
from flask_babel import gettext as _

from app.api import bp, openapi
from app.api.common import get_or_404, json_body, roles
from app.api.errors import ApiError
from app.domain.acts.models import Act
from app.domain.deadlines import operations as ops
from app.domain.deadlines import protocol
from app.domain.deadlines.calculator import CalculatorError, due_with_steps, explain_deadline


def _iso(value):
    return value.isoformat() if value else None


def dump_deadline(act):
    deadline = act.deadline
    if deadline is None:
        raise ApiError(404, _("The act has no term: it was not sent."))
    window = protocol.window(act)
    return {
        "due_on": _iso(deadline.due_on),
        "statutory_due_on": _iso(ops.statutory_due(deadline)),
        "received_on": _iso(act.received_on),
        "received_on_assumed": bool(act.received_on_assumed),
        "paused": deadline.suspended_on is not None,
        "extended_to": _iso(deadline.extended_to),
        "running": deadline.cancelled_at is None and act.state in ("sent", "overdue"),
        "term": deadline.term,
        "shift": deadline.shift,
        "protocol_until": _iso(window[1]) if window else None,
        "steps": explain_deadline(deadline)[1],
        "events": [
            {
                "kind": e.kind,
                "at": e.at.isoformat(),
                "actor": e.actor_id,
                "reason": e.reason,
                "old_due_on": _iso(e.old_due_on),
                "new_due_on": _iso(e.new_due_on),
            }
            for e in deadline.events
        ],
    }


def _date_field(data, name, required=True):
    value = data.get(name) if isinstance(data, dict) else None
    if value in (None, ""):
        if required:
            raise ApiError(422, fields={name: [_("This field is required.")]})
        return None
    try:
        return date.fromisoformat(value) if isinstance(value, str) else _bad(name)
    except ValueError:
        return _bad(name)


def _bad(name):
    raise ApiError(422, fields={name: [_("Give a date as YYYY-MM-DD.")]})


def _text(data, name):
    value = data.get(name, "") if isinstance(data, dict) else ""
    if not isinstance(value, str):
        raise ApiError(422, fields={name: [_("Give a text.")]})
    return value.strip()


@bp.get("/acts/<int:act_id>/deadline")
def deadline_get(act_id):
    return dump_deadline(get_or_404(Act, act_id))


@bp.post("/acts/<int:act_id>/deadline/<action>")
@roles("lawyer")
def deadline_change(act_id, action):
    act = get_or_404(Act, act_id)
    if action not in ("receipt", "extend", "pause", "resume"):
        raise ApiError(404)
    data = json_body()
    if not isinstance(data, dict):
        raise ApiError(422, fields={"body": [_("A JSON object is expected.")]})
    reason = _text(data, "reason")
    if action == "receipt":
        ops.change_receipt(act, _date_field(data, "received_on"), g.api_user, reason)
    elif action == "extend":
        ops.extend(act, _date_field(data, "until"), g.api_user, reason)
    elif action == "pause":
        ops.suspend(act, g.api_user, reason)
    else:
        ops.resume(act, g.api_user, reason)
    return dump_deadline(act)


@bp.get("/terms/due")
def terms_due():
    fields = {}
    received_on = None
    try:
        received_on = date.fromisoformat(request.args.get("received_on", ""))
    except ValueError:
        fields["received_on"] = [_("Give a date as YYYY-MM-DD.")]
    kind = request.args.get("kind", "")
    try:
        if received_on is not None:
            due, steps = due_with_steps(kind, received_on, request.args.get("shift") or None)
            return {
                "due_on": due.isoformat(),
                "steps": [{"date": s["date"], "note": s["note"]} for s in steps],
            }
        due_with_steps(kind, date(2000, 1, 1), request.args.get("shift") or None)
    except CalculatorError as exc:
        fields.update({k: [str(m) for m in v] for k, v in exc.fields.items()})
    raise ApiError(422, fields=fields)


def _register_openapi():
    id_param = [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}]
    d = {"type": "string", "format": "date"}

    def errors(*codes):
        return {str(c): {"$ref": f"#/components/responses/E{c}"} for c in codes}

    deadline = {
        "type": "object",
        "properties": {
            "due_on": {**d, "nullable": True},
            "statutory_due_on": {**d, "nullable": True},
            "received_on": {**d, "nullable": True},
            "received_on_assumed": {"type": "boolean"},
            "paused": {"type": "boolean"},
            "extended_to": {**d, "nullable": True},
            "protocol_until": {**d, "nullable": True},
            "events": {"type": "array", "items": {"type": "object"}},
            "steps": {"type": "array", "items": {"type": "object"}},
        },
    }
    deadline["required"] = ["due_on"]  # the shared builder needs a non-empty list
    openapi.EXTRA_SCHEMAS["Deadline"] = deadline
    ref = {"$ref": "#/components/schemas/Deadline"}
    openapi.EXTRA_PATHS.append(
        (
            "/acts/{id}/deadline",
            "get",
            {
                "summary": "The legal clock of a sent act, with its history and how it was counted",
                "parameters": id_param,
                "responses": {
                    "200": {
                        "description": "The deadline",
                        "content": {"application/json": {"schema": ref}},
                    },
                    **errors(401, 404),
                },
            },
        )
    )
    bodies = {
        "receipt": (
            "The confirmed receipt date (also after the act went overdue)",
            {"received_on": d, "reason": {"type": "string"}},
            ["received_on"],
        ),
        "extend": (
            "Extend the term: never before the statutory due date",
            {"until": d, "reason": {"type": "string"}},
            ["until", "reason"],
        ),
        "pause": ("Suspend the clock", {"reason": {"type": "string"}}, ["reason"]),
        "resume": (
            "Resume the clock: the paused days are added",
            {"reason": {"type": "string"}},
            [],
        ),
    }
    for action, (summary, props, required) in bodies.items():
        schema = {"type": "object", "properties": props}
        if required:
            schema["required"] = required
        openapi.EXTRA_PATHS.append(
            (
                f"/acts/{{id}}/deadline/{action}",
                "post",
                {
                    "summary": summary,
                    "parameters": id_param,
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": schema}},
                    },
                    "responses": {
                        "200": {
                            "description": "The deadline",
                            "content": {"application/json": {"schema": ref}},
                        },
                        **errors(400, 401, 403, 404, 409, 422),
                    },
                },
            )
        )
    openapi.EXTRA_PATHS.append(
        (
            "/terms/due",
            "get",
            {
                "summary": "The term calculator: the due date and how it was counted",
                "parameters": [
                    {
                        "name": "kind",
                        "in": "query",
                        "required": True,
                        "schema": {
                            "type": "string",
                            "enum": ["submission", "request", "reminder", "initiative_letter"],
                        },
                    },
                    {"name": "received_on", "in": "query", "required": True, "schema": d},
                    {
                        "name": "shift",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["next", "previous", "none"]},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "The due date and its steps",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "due_on": d,
                                        "steps": {
                                            "type": "array",
                                            "items": {
                                                "type": "object",
                                                "properties": {
                                                    "date": d,
                                                    "note": {"type": "string"},
                                                },
                                            },
                                        },
                                    },
                                }
                            }
                        },
                    },
                    **errors(401, 422),
                },
            },
        )
    )


_register_openapi()
