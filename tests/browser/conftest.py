"""Browser tests: a screenshot of every page a failed test left open, under test-artifacts/."""

import re
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


class Screenshots(list):
    """The pages a test opened (it appends them) and the step it is at."""

    step = "start"


@pytest.fixture
def screenshots(request):
    pages = Screenshots()
    yield pages
    report = getattr(request.node, "report_call", None)
    if report is None or not report.failed:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "-", request.node.name)
    for n, page in enumerate(pages):
        shot = ARTIFACTS / f"{name}-{pages.step}-{n}.png"
        try:
            page.screenshot(path=str(shot), full_page=True)
        except Exception as exc:  # a closed page: say so, keep the others
            print(f"\nno screenshot of {page.url}: {exc}")
            continue
        print(f"\n{request.node.name} failed at '{pages.step}' ({page.url}); screenshot: {shot}")
