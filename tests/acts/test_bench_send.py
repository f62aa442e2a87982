"""bench/send.py runs end to end with tiny counts (its figures are not asserted)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_send_bench_runs_and_reports_numbers_without_gaps():
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "send.py"), "--sends", "2", "--inline", "1",
         "--parallel", "2"],
        capture_output=True, text=True, timeout=300, cwd=ROOT, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ratio p95 old/new" in done.stdout
    assert "whole run: 7 numbers, gaps 0, duplicates 0" in done.stdout
