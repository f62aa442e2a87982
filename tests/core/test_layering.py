"""The layers stay apart, read from the sources' import statements:

* the low layers (app/core, app/terms, app/letters, app/mail, app/workflow) never import the
  domain or the API; the workflow engine does not import auth either;
* no routes module (``routes.py``, ``*_routes.py``) imports another feature's routes module:
  pages shared between features are built in non-route modules (``pages.py``) and other
  features' sections, menu entries and export columns come through app/core/features.py.
"""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
PACKAGE = APP / "workflow"
FORBIDDEN = ("app.domain", "app.auth")
LOW_LAYERS = ("core", "terms", "letters", "mail", "workflow")
ABOVE_LOW_LAYERS = ("app.domain", "app.api")


def imported_modules(path):
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def within(name, packages):
    return name in packages or name.startswith(tuple(f"{p}." for p in packages))


def test_no_domain_or_auth_imports():
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) >= 8
    offending = [
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in files
        for name in imported_modules(path)
        if within(name, FORBIDDEN)
    ]
    assert offending == []


def test_low_layers_import_neither_the_domain_nor_the_api():
    offending = []
    for layer in LOW_LAYERS:
        files = sorted((APP / layer).rglob("*.py"))
        assert files, layer
        offending += [
            f"{path.relative_to(APP)}: {name}"
            for path in files
            for name in imported_modules(path)
            if within(name, ABOVE_LOW_LAYERS)
        ]
    assert offending == []


def feature_of(module):
    """'app.domain.acts.routes' → 'domain.acts'; 'app.auth.routes' → 'auth'."""
    parts = module.split(".")[1:]
    return ".".join(parts[:2]) if parts and parts[0] == "domain" else (parts[0] if parts else "")


def is_routes_module(module):
    last = module.rsplit(".", 1)[-1]
    return last == "routes" or last.endswith("_routes")


def module_name(path):
    return ".".join(path.relative_to(APP.parent).with_suffix("").parts)


def other_features_routes(own, path):
    """The routes modules of other features that the module ``own`` (source at ``path``)
    imports."""
    found = []
    for name in imported_modules(path):
        # "from app.domain.acts import routes" names the module as its last part
        target = next((m for m in (name, name.rsplit(".", 1)[0]) if is_routes_module(m)), None)
        if target and target.startswith("app.") and feature_of(target) != feature_of(own):
            found.append(target)
    return sorted(set(found))


def test_no_routes_module_imports_another_features_routes():
    routes = [p for p in sorted(APP.rglob("*.py")) if is_routes_module(module_name(p))]
    assert len(routes) >= 15
    offending = [
        f"{module_name(path)}: {target}"
        for path in routes
        for target in other_features_routes(module_name(path), path)
    ]
    assert offending == []


def test_the_checks_catch_an_offender(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from app.domain.recommendations import models\nimport app.auth\n")
    assert list(imported_modules(bad)) == [
        "app.domain.recommendations",
        "app.domain.recommendations.models",
        "app.auth",
    ]
    assert within("app.api.errors", ABOVE_LOW_LAYERS)
    assert not within("app.apidoc", ABOVE_LOW_LAYERS)
    fake = tmp_path / "routes.py"
    fake.write_text(
        "from app.domain.responses.routes import act_section\n"
        "from app.domain.visits import routes\n"
        "from app.domain.acts.routes import bp\n"
        "from app.domain.responses.pages import act_section\n"
    )
    assert feature_of("app.domain.acts.routes") == "domain.acts"
    assert other_features_routes("app.domain.acts.routes", fake) == [
        "app.domain.responses.routes",
        "app.domain.visits.routes",
    ]
