"""Every feature's pages and API routes are in the application as create_app builds it.

The suite uses that application and nothing else: no test registers a blueprint itself, so a
feature left out of create_app fails here (and in its own tests) instead of passing unnoticed.
"""

import re
from pathlib import Path

import pytest

APP_DIR = Path(__file__).resolve().parents[2] / "app"
BLUEPRINT = re.compile(r"Blueprint\(\s*\"(\w+)\",([^)]*)\)", re.S)
PREFIX = re.compile(r"url_prefix=\"([^\"]*)\"")
ROUTE = re.compile(r"@bp\.(?:route|get|post|patch|put|delete)\(\s*\"([^\"]+)\"")
TESTS_DIR = Path(__file__).resolve().parents[1]
#: A module that adds routes to a blueprint declared in another module of its feature.
IMPORTED_BP = re.compile(r"from (app(?:\.\w+)+) import bp\b")


def _modules():
    """(module path, blueprint name, URL prefix, [route paths]) for every module with routes."""
    found = []
    for path in sorted(APP_DIR.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        routes = ROUTE.findall(text)
        if not routes:
            continue
        if path.parent.name == "api":
            name, prefix = "api", "/api/v1"
        else:
            match = BLUEPRINT.search(text)
            imported = None if match else IMPORTED_BP.search(text)
            if imported:
                owner = APP_DIR.parent / (imported.group(1).replace(".", "/") + ".py")
                match = BLUEPRINT.search(owner.read_text(encoding="utf-8"))
            assert match, f"{path} declares routes but no blueprint"
            prefix = PREFIX.search(match.group(2))
            name, prefix = match.group(1), prefix.group(1) if prefix else ""
        found.append((str(path.relative_to(APP_DIR.parent)), name, prefix, routes))
    return found


MODULES = _modules()


def test_the_features_are_found():
    names = {name for _path, name, _prefix, _routes in MODULES}
    assert {"recommendations", "acts", "responses", "search", "followup", "api"} <= names


@pytest.mark.parametrize("module, name, prefix, routes", MODULES, ids=[m[0] for m in MODULES])
def test_every_route_is_in_the_application(app, module, name, prefix, routes):
    assert name in app.blueprints, f"blueprint {name!r} ({module}) is not registered"
    rules = {}
    for rule in app.url_map.iter_rules():
        rules.setdefault(rule.rule, set()).add(rule.endpoint.split(".")[0])
    for route in routes:
        url = (prefix.rstrip("/") + route) if route != "/" or not prefix else prefix + "/"
        assert name in rules.get(url, ()) or name in rules.get(url.rstrip("/"), ()), (
            f"{module}: {url} is not served by the application"
        )


def test_no_test_registers_blueprints_itself():
    offenders = [
        str(path.relative_to(TESTS_DIR))
        for path in TESTS_DIR.rglob("*.py")
        if path.name != Path(__file__).name
        and re.search(r"register_blueprint\(|register_blueprints\s*=", path.read_text("utf-8"))
    ]
    assert offenders == []
