"""The shipped workflows checked as the application loads them: roles must exist, terms must
parse with app.terms, a deadline says only what the sweep uses — FILE:LINE for each problem, in
`flask workflows check` and at start-up."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.workflow import DefinitionError

ROOT = Path(__file__).resolve().parents[2]


def _line(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if text in line)


@pytest.fixture
def broken(tmp_path):
    """Copies of workflows/*.yaml with a misspelt role, an unreadable term and a decoration."""
    folder = tmp_path / "workflows"
    shutil.copytree(ROOT / "workflows", folder)
    rec, act = folder / "recommendation.yaml", folder / "act.yaml"
    rec.write_text(
        rec.read_text("utf-8").replace(
            "    to: issued\n    roles: [lawyer]", "    to: issued\n    roles: [lawyerr]"
        ),
        "utf-8",
    )
    text = act.read_text("utf-8").replace("{term: 15 days, shift: next}", "{term: fifteen days}")
    text = text.replace(
        "on_expiry: mark_overdue, remind_before: 3}",
        "on_expiry: mark_overdue, remind_before: 3, kind: response}",
    )
    act.write_text(text, "utf-8")
    return folder, [
        f"{rec}:{_line(rec, 'roles: [lawyerr]')}: unknown role 'lawyerr' "
        "(known: admin, lawyer, monitor, system)",
        f"{act}:{_line(act, 'fifteen days')}: cannot parse term 'fifteen days': expected "
        "'N days', 'N working days' or 'N months' with N a positive whole number, e.g. "
        "'15 days' or '1 month'",
        f"{act}:{_line(act, 'kind: response')}: deadline 'kind' is not used: remove it",
    ]


def test_start_up_refuses_them(tmp_path, redis_url, broken):
    from app import create_app

    folder, expected = broken
    with pytest.raises(DefinitionError) as caught:
        create_app(
            {
                "INSTANCE_PATH": str(tmp_path / "instance"),
                "SECRET_KEY": "x",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
                "REDIS_URL": redis_url,
                "WORKFLOWS_DIR": str(folder),
                "TESTING": True,
            }
        )
    assert sorted(caught.value.problems) == sorted(expected)


def test_flask_workflows_check_lists_them(tmp_path, redis_url, broken):
    folder, expected = broken
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
        "SECRET_KEY": "x",
        "REDIS_URL": redis_url,
        "PYTHONPATH": str(ROOT),
    }
    flask = Path(sys.executable).with_name("flask")
    result = subprocess.run(
        [str(flask), "--app", "wsgi", "workflows", "check", "--dir", str(folder)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    shown = [
        os.path.abspath(line.split(":", 1)[0]) + ":" + line.split(":", 1)[1]
        for line in result.stdout.splitlines()
    ]
    assert sorted(shown) == sorted(expected)


def test_the_shipped_files_pass(app):
    from app.workflow.loader import check_dir

    assert check_dir(app.config["WORKFLOWS_DIR"], app.extensions["workflow_registry"]) == []


def test_the_sweep_fires_the_deadlines_on_expiry(app):
    deadline = app.extensions["workflow"].current("act").states["sent"].deadline
    assert (deadline.term, deadline.on_expiry, deadline.remind_before) == (
        "settings.terms",
        "mark_overdue",
        3,
    )
    assert deadline.kind is None and deadline.shift is None
