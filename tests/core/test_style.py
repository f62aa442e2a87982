"""The code stays as the formatter and the linter leave it (`make lint` runs the same)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TREES = ["app", "tests", "bench", "letter_templates"]


def _ruff(*args):
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, *TREES],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_ruff_format_leaves_every_file_as_it_is():
    done = _ruff("format", "--check")
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_check_finds_nothing():
    done = _ruff("check")
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_formatter_opt_outs():
    marker = "fmt: " + "skip"
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for tree in TREES
        for path in (ROOT / tree).rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if marker in line or "fmt: " + "off" in line
    ]
    assert found == []
