"""GET /openapi.json: the OpenAPI 3 description of the whole API, built from small tables."""

from flask import url_for

from app.api import bp
from app.domain import codes

STR, INT, BOOL = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}


def nullable(schema):
    return {**schema, "nullable": True}


def enum(table):
    return {"type": "string", "enum": list(table)}


#: Resource schemas; "required" lists what POST needs, "read_only" what the server sets.
SCHEMAS = {
    "Authority": {
        "properties": {
            "id": INT,
            "name": STR,
            "kind": enum(codes.AUTHORITY_KINDS),
            "email": nullable({"type": "string", "format": "email"}),
            "postal_address": STR,
            "head_title": STR,
            "head_name": STR,
            "parent_id": nullable(INT),
        },
        "required": ["name", "kind"],
    },
    "Facility": {
        "properties": {
            "id": INT,
            "name": STR,
            "type": enum(codes.FACILITY_TYPES),
            "region": enum(codes.REGIONS),
            "address": STR,
            "capacity": nullable(INT),
            "authority_id": nullable(INT),
        },
        "required": ["name", "type", "region"],
    },
    "Recommendation": {
        "properties": {
            "id": INT,
            "visit_id": INT,
            "facility_id": INT,
            "authority_id": INT,
            "text": STR,
            "theme": enum(codes.THEMES),
            "priority": enum(codes.PRIORITIES),
            "state": STR,
            "due_on": nullable(DATE),
            "act_ids": {"type": "array", "items": INT},
            "previous_id": nullable(INT),
        },
        "required": ["visit_id", "text", "theme"],
        "read_only": ("id", "facility_id", "state", "act_ids"),
    },
    "Visit": {
        "properties": {
            "id": INT,
            "facility_id": INT,
            "started_on": DATE,
            "ended_on": DATE,
            "kind": enum(codes.VISIT_KINDS),
            "monitor_ids": {"type": "array", "items": INT},
            "participants": {"type": "array", "items": STR},
            "summary": STR,
        },
        "required": ["facility_id", "started_on", "ended_on", "kind"],
    },
}

#: path, resource, calls ("list", "get", "create", "update"), list filters
RESOURCES = [
    (
        "/authorities",
        "Authority",
        ("list", "get", "create", "update"),
        {"q": STR, "kind": enum(codes.AUTHORITY_KINDS), "parent_id": INT},
    ),
    (
        "/facilities",
        "Facility",
        ("list", "get", "create", "update"),
        {
            "q": STR,
            "type": enum(codes.FACILITY_TYPES),
            "region": enum(codes.REGIONS),
            "authority_id": INT,
        },
    ),
    (
        "/visits",
        "Visit",
        ("list", "get", "create", "update"),
        {
            "q": STR,
            "facility_id": INT,
            "kind": enum(codes.VISIT_KINDS),
            "region": enum(codes.REGIONS),
            "monitor_id": INT,
        },
    ),
]
RESOURCES.append((
    "/recommendations", "Recommendation", ("list", "get", "create", "update"),
    {"state": STR, "authority_id": INT, "facility_id": INT, "visit_id": INT,
     "theme": enum(codes.THEMES), "overdue": BOOL, "q": STR},
))  # fmt: skip

#: Resources driven by a workflow: they get /transitions and /history.
WORKFLOW_RESOURCES = [("/recommendations", "Recommendation")]

#: Extra operations registered by other modules: (path, method, operation object).
EXTRA_PATHS = []
EXTRA_SCHEMAS = {}


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema):
    return {"content": {"application/json": {"schema": schema}}}


def _errors(*statuses):
    return {str(s): {"$ref": f"#/components/responses/E{s}"} for s in statuses}


def _operations(path, name, calls, filters):
    ops, item = {}, {}
    query = [{"name": k, "in": "query", "schema": v} for k, v in filters.items()]
    paging = [
        {"$ref": "#/components/parameters/page"},
        {"$ref": "#/components/parameters/per_page"},
    ]
    id_param = [{"name": "id", "in": "path", "required": True, "schema": INT}]
    if "list" in calls:
        ops["get"] = {
            "summary": f"List {name} records",
            "parameters": query + paging,
            "responses": {
                "200": {"description": "A page", **_json(_page(name))},
                **_errors(401, 422),
            },
        }
    if "create" in calls:
        ops["post"] = {
            "summary": f"Create a {name}",
            "requestBody": {"required": True, **_json(_ref(name + "Input"))},
            "responses": {
                "201": {"description": "Created", **_json(_ref(name))},
                **_errors(400, 401, 403, 422),
            },
        }
    if "get" in calls:
        item["get"] = {
            "summary": f"One {name}",
            "parameters": id_param,
            "responses": {
                "200": {"description": "The record", **_json(_ref(name))},
                **_errors(401, 404),
            },
        }
    if "update" in calls:
        item["patch"] = {
            "summary": f"Change a {name}",
            "parameters": id_param,
            "requestBody": {"required": True, **_json(_ref(name + "Input"))},
            "responses": {
                "200": {"description": "Changed", **_json(_ref(name))},
                **_errors(400, 401, 403, 404, 409, 422),
            },
        }
    return {path: ops, path + "/{id}": item}


def _workflow_operations(path, name):
    id_param = [{"name": "id", "in": "path", "required": True, "schema": INT}]
    available = {"type": "array", "items": _ref("Transition")}
    fire = {
        "type": "object",
        "required": ["name"],
        "additionalProperties": True,
        "properties": {"name": STR, "comment": STR},
    }
    history = {"type": "array", "items": _ref("HistoryEntry")}
    return {
        path + "/{id}/transitions": {
            "get": {
                "summary": f"What the caller may fire now on a {name}",
                "parameters": id_param,
                "responses": {
                    "200": {"description": "Transitions", **_json(available)},
                    **_errors(401, 404),
                },
            },
            "post": {
                "summary": f"Fire a transition on a {name}",
                "parameters": id_param,
                "requestBody": {"required": True, **_json(fire)},
                "responses": {
                    "200": {"description": "The record after it", **_json(_ref(name))},
                    **_errors(400, 401, 403, 404, 409, 422),
                },
            },
        },
        path + "/{id}/history": {
            "get": {
                "summary": f"History of a {name}, oldest first",
                "parameters": id_param,
                "responses": {
                    "200": {"description": "History", **_json(history)},
                    **_errors(401, 404),
                },
            },
        },
    }


def _page(name):
    return {
        "type": "object",
        "required": ["items", "total", "page", "per_page"],
        "properties": {
            "items": {"type": "array", "items": _ref(name)},
            "total": INT,
            "page": INT,
            "per_page": INT,
        },
    }


def _schemas():
    out = {}
    for name, spec in {**SCHEMAS, **EXTRA_SCHEMAS}.items():
        props = spec["properties"]
        out[name] = {"type": "object", "properties": props, "required": list(props)}
        writable = {k: v for k, v in props.items() if k not in spec.get("read_only", ("id",))}
        out[name + "Input"] = {
            "type": "object",
            "properties": writable,
            "required": spec.get("required", []),
            "additionalProperties": False,
        }
    out["Error"] = {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": STR,
                    "message": STR,
                    "fields": {
                        "type": "object",
                        "additionalProperties": {"type": "array", "items": STR},
                    },
                },
            }
        },
    }
    out["Transition"] = {"type": "object", "properties": {"name": STR, "label": STR, "to": STR}}
    out["HistoryEntry"] = {
        "type": "object",
        "properties": {
            "transition": STR,
            "from": nullable(STR),
            "to": STR,
            "actor": nullable(INT),
            "at": DATETIME,
            "comment": nullable(STR),
        },
    }
    out["Me"] = {
        "type": "object",
        "properties": {"id": INT, "email": STR, "name": STR, "role": enum(codes.ROLES)},
    }
    return out


#: Sent on any POST: a repeat within a day gets the first answer (see the README).
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "A repeat with the same key by the same user within 24 hours returns the "
    "first answer and creates nothing; the same key with another body is 409 "
    "idempotency_key_reused.",
    "schema": {"type": "string", "maxLength": 255},
}
#: Resources whose drafts can be deleted.
DELETABLE = (("/recommendations/{id}", "recommendation"), ("/acts/{id}", "act"))


def _add_writes(paths):
    """Every POST takes Idempotency-Key; drafts of the DELETABLE resources can be deleted."""
    for operations in paths.values():
        post = operations.get("post")
        if post is not None:  # operations of EXTRA_PATHS are the same objects every time
            params = post.setdefault("parameters", [])
            if IDEMPOTENCY_KEY not in params:
                params.append(IDEMPOTENCY_KEY)
            post.setdefault("responses", {}).setdefault("409", _errors(409)["409"])
    id_param = [{"name": "id", "in": "path", "required": True, "schema": INT}]
    for path, name in DELETABLE:
        paths.setdefault(path, {})["delete"] = {
            "summary": f"Delete a draft {name} with its history (only in the state draft)",
            "parameters": id_param,
            "responses": {"204": {"description": "Deleted"}, **_errors(401, 403, 404, 409)},
        }


def build_spec():
    paths = {}
    for path, name, calls, filters in RESOURCES:
        paths.update(_operations(path, name, calls, filters))
    paths["/me"] = {
        "get": {
            "summary": "The caller",
            "responses": {
                "200": {"description": "The user the token belongs to", **_json(_ref("Me"))},
                **_errors(401),
            },
        }
    }
    for path, name in WORKFLOW_RESOURCES:
        paths.update(_workflow_operations(path, name))
    for path, method, operation in EXTRA_PATHS:
        paths.setdefault(path, {})[method] = operation
    from app.api.search import add_file_formats

    add_file_formats(paths)
    _add_writes(paths)
    responses = {
        f"E{s}": {"description": desc, **_json(_ref("Error"))}
        for s, desc in (
            (400, "Malformed request"),
            (401, "No valid token"),
            (403, "Role not allowed"),
            (404, "Not found"),
            (409, "Conflict with the current state"),
            (413, "Too large"),
            (422, "Invalid values; `fields` names them"),
        )
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Vidhuk API",
            "version": "1.0.0",
            "description": "Follow-up of NPM recommendations. Errors: {error: {code, message, fields}}.",
        },
        "servers": [{"url": url_for("api.openapi", _external=False).rsplit("/", 1)[0]}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "schemas": _schemas(),
            "responses": responses,
            "parameters": {
                "page": {
                    "name": "page",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1},
                },
                "per_page": {
                    "name": "per_page",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 100},
                },
            },
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


@bp.get("/openapi.json")
def openapi():
    return build_spec()
