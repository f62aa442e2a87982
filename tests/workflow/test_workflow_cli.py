"""`flask workflows check` and `flask workflows graph`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from wf_support import registry

from app.workflow import init_app
from app.workflow.cli import invoked_as_check, workflows_cli

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
BROKEN = HERE / "fixtures" / "broken"


@pytest.fixture
def cli(flask_app):
    if "workflows" not in flask_app.cli.commands:
        flask_app.cli.add_command(workflows_cli)
    return flask_app.test_cli_runner()


def test_check_passes(app, cli):
    result = cli.invoke(args=["workflows", "check"])
    assert (result.exit_code, result.output) == (0, "OK: 2 workflows\n")


def test_check_lists_every_problem_even_when_the_app_could_not_load(flask_app, cli):
    assert init_app(flask_app, BROKEN, registry, raise_errors=False) is None
    result = cli.invoke(args=["workflows", "check"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) == 17
    assert any(
        line.endswith("unreachable.yaml:6: state 'island' cannot be reached from 'draft'")
        for line in lines
    )


def test_graph(app, cli):
    result = cli.invoke(args=["workflows", "graph", "tiny", "--locale", "en"])
    assert result.exit_code == 0
    assert result.output.startswith("stateDiagram-v2\n    [*] --> open\n")
    assert cli.invoke(args=["workflows", "graph", "nope"]).exit_code == 2


def test_invoked_as_check():
    assert invoked_as_check(["/x/.venv/bin/flask", "--app", "wsgi", "workflows", "check"])
    assert invoked_as_check(["/usr/lib/python3.11/flask/__main__.py", "workflows", "check"])
    assert not invoked_as_check(["/x/.venv/bin/flask", "--app", "wsgi", "run"])
    assert not invoked_as_check(["/x/.venv/bin/flask", "workflows", "graph", "check"])
    assert not invoked_as_check(["pytest", "workflows", "check"])


def run_flask(*args, workflows_dir):
    env = {**os.environ, "WORKFLOWS_DIR": str(workflows_dir), "PYTHONPATH": str(ROOT)}
    flask = Path(sys.executable).with_name("flask")
    return subprocess.run(
        [str(flask), "--app", str(HERE / "wf_cli_app.py"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )


def test_real_command_line_with_broken_definitions():
    checked = run_flask("workflows", "check", workflows_dir=BROKEN)
    assert checked.returncode == 1, checked.stderr
    lines = checked.stdout.splitlines()
    assert len(lines) == 17
    assert "tests/workflow/fixtures/broken/duplicate_key.yaml:6: duplicate key 'draft'" in lines
    # Any other command refuses to start the app, naming the problems.
    other = run_flask("workflows", "graph", "tiny", workflows_dir=BROKEN)
    assert other.returncode != 0 and "DefinitionError" in other.stderr
    assert "duplicate_key.yaml:6: duplicate key 'draft'" in other.stderr


def test_real_command_line_with_valid_definitions():
    checked = run_flask("workflows", "check", workflows_dir=HERE / "fixtures" / "valid")
    assert (checked.returncode, checked.stdout) == (0, "OK: 2 workflows\n"), checked.stderr
