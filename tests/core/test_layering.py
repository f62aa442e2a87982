"""The engine stays generic: nothing under app/workflow imports the domain or auth."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "app" / "workflow"
FORBIDDEN = ("app.domain", "app.auth")


def imported_modules(path):
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def test_no_domain_or_auth_imports():
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) >= 8
    offending = [
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in files
        for name in imported_modules(path)
        if name in FORBIDDEN
        or name.startswith(tuple(f + "." for f in FORBIDDEN))
        or name == "app"
        and False
    ]
    assert offending == []


def test_the_check_catches_an_offender(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from app.domain.recommendations import models\nimport app.auth\n")
    assert list(imported_modules(bad)) == [
        "app.domain.recommendations",
        "app.domain.recommendations.models",
        "app.auth",
    ]
