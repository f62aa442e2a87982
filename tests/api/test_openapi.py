"""The OpenAPI document is generated from the routes and their schemas: every call of the API is
in it, nothing in it is missing from the API, and it says what the answers really carry."""

import re

from openapi_spec_validator import validate

PREFIX = "/api/v1"
#: Sample values for the path parameters of the document.
SAMPLES = {"token": "abc"}


def _spec(app):
    response = app.test_client().get(f"{PREFIX}/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def _routed_endpoint(app, path, method):
    url = PREFIX + re.sub(r"\{(\w+)\}", lambda m: SAMPLES.get(m.group(1), "1"), path)
    adapter = app.url_map.bind("localhost")
    endpoint, _args = adapter.match(url, method=method.upper())
    return endpoint


def test_every_documented_call_exists_and_every_call_is_documented(app, db):
    spec = _spec(app)
    validate(spec)
    documented = set()
    for path, operations in spec["paths"].items():
        for method in operations:
            endpoint = _routed_endpoint(app, path, method)  # raises NotFound / MethodNotAllowed
            assert endpoint.startswith("api."), (path, method, endpoint)
            documented.add((endpoint, method.upper()))
    routed = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert sorted(routed - documented) == []


def test_actions_in_the_path_are_documented_one_by_one(app, db):
    paths = _spec(app)["paths"]
    for action in ("receipt", "extend", "pause", "resume"):
        assert "post" in paths[f"/acts/{{id}}/deadline/{action}"]
    for action in ("retry", "cancel", "delivered"):
        assert "post" in paths[f"/emails/{{id}}/{action}"]
    assert not any("{action}" in path for path in paths)


def test_the_answers_carry_what_the_document_says(app, db, users, registry, api_for, make_rec):
    spec = _spec(app)
    schemas = spec["components"]["schemas"]
    api = api_for(users["lawyer"])
    rec = make_rec()
    answers = {
        "Authority": api.get(f"/authorities/{registry['agency'].id}"),
        "Facility": api.get(f"/facilities/{registry['facility'].id}"),
        "Visit": api.get(f"/visits/{registry['visit'].id}"),
        "Recommendation": api.get(f"/recommendations/{rec.id}"),
        "Me": api.get("/me"),
    }
    for name, response in answers.items():
        assert set(response.get_json()) == set(schemas[name]["properties"]), name


def test_request_schemas_are_the_ones_that_validate(app, db, users, api_for):
    """The input schema in the document refuses what the API refuses: its fields and limits."""
    schema = _spec(app)["components"]["schemas"]["AuthorityInput"]
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"name", "kind"}
    limit = schema["properties"]["name"]["maxLength"]
    api = api_for(users["lawyer"])
    too_long = api.post("/authorities", json={"name": "x" * (limit + 1), "kind": "ministry"})
    assert too_long.status_code == 422 and list(too_long.get_json()["error"]["fields"]) == ["name"]
    unknown = api.post("/authorities", json={"name": "Рада", "kind": "ministry", "colour": 1})
    assert unknown.get_json()["error"]["fields"] == {"colour": ["Невідоме поле."]}
    fine = api.post("/authorities", json={"name": "x" * limit, "kind": "ministry"})
    assert fine.status_code == 201
