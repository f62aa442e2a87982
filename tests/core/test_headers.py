"""Security headers on every response, and templates that live with a CSP without inline code."""

import io
import re
from pathlib import Path

import pypdf
import pytest

from app.core.headers import CONTENT_SECURITY_POLICY

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
#: Templates rendered only into PDFs by WeasyPrint (never served as a page).
PDF_TEMPLATES = {"checklist_print.html"}


def test_the_policy_forbids_inline_code_framing_and_plugins():
    directives = dict(d.strip().split(" ", 1) for d in CONTENT_SECURITY_POLICY.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'" and directives["base-uri"] == "'self'"
    assert directives["form-action"] == "'self'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY and "*" not in CONTENT_SECURITY_POLICY


@pytest.fixture
def document(db, users, make_act, run_jobs):
    """A generated PDF of an act (for the download)."""
    from app.domain.acts.operations import fire

    act = make_act()
    fire(act, "generate", users["lawyer"])
    db.session.commit()
    run_jobs()
    db.session.refresh(act)
    return act.latest("pdf")


def _responses(app, users, client_for, api_for, document, monkeypatch):
    lawyer = client_for(users["lawyer"])
    api = api_for(users["lawyer"])
    yield "login page", client_for().get("/login"), 200
    yield "home page", lawyer.get("/"), 200
    yield "act page", lawyer.get(f"/acts/{document.act_id}"), 200
    yield "API", api.get("/me"), 200
    yield "API without a token", api_for(None).get("/me"), 401
    yield "API 404", api.get("/acts/999999"), 404
    yield "download", lawyer.get(f"/documents/{document.id}"), 200
    yield "API download", api.get(f"/documents/{document.id}/content"), 200
    yield "error page", lawyer.get("/no/such/page"), 404
    too_large = {"email": "x" * (26 * 1024 * 1024)}
    yield "too large", client_for().post("/login", data=too_large), 413
    yield "health", app.test_client().get("/healthz"), 200
    yield "static file", app.test_client().get("/static/core/vidhuk.css"), 200
    # An unexpected error still answers with the headers (the error page of a 500).
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setitem(app.view_functions, "core.healthz", broken)
    yield "server error", app.test_client().get("/healthz"), 500


def test_every_response_carries_the_headers(
    app, db, users, client_for, api_for, document, monkeypatch
):
    seen = []
    for name, response, status in _responses(
        app, users, client_for, api_for, document, monkeypatch
    ):
        with response:
            assert response.status_code == status, name
            for header, value in EXPECTED.items():
                assert response.headers.get(header) == value, (name, header)
            assert "Strict-Transport-Security" not in response.headers, name  # http here
            cache = response.headers.get("Cache-Control", "")
            if name == "static file":
                assert "no-store" not in cache
            else:
                assert cache == "no-store", (name, cache)
        seen.append(name)
    assert len(seen) == 13


def test_hsts_only_when_the_public_address_is_https(app, db, monkeypatch):
    assert "Strict-Transport-Security" not in app.test_client().get("/login").headers
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://vidhuk.example.org")
    for path in ("/login", "/api/v1/me", "/no/such/page"):
        headers = app.test_client().get(path).headers
        assert headers["Strict-Transport-Security"] == "max-age=63072000", path
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def _served_templates():
    for path in sorted((ROOT / "app").rglob("templates/**/*.html")):
        if path.name not in PDF_TEMPLATES:
            yield path


def test_templates_hold_no_inline_script_style_or_handler():
    """Under the CSP these would not run (or not apply): keep them in static files."""
    problems = []
    patterns = {
        "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
        "style element": re.compile(r"<style\b", re.I),
        "style attribute": re.compile(r"\sstyle\s*=", re.I),
        "event handler": re.compile(r"\son[a-z]+\s*=", re.I),
        "javascript: URL": re.compile(r"javascript:", re.I),
        "unescaped output": re.compile(r"\|\s*safe\b"),
    }
    templates = list(_served_templates())
    assert len(templates) > 20
    for path in templates:
        text = path.read_text(encoding="utf-8")
        for what, pattern in patterns.items():
            if pattern.search(text):
                problems.append(f"{path.relative_to(ROOT)}: {what}")
    assert problems == []


def test_the_pdf_template_is_not_served_as_a_page(db, users, registry, client_for):
    """The checklist's print template has a <style>: it must only ever go to WeasyPrint."""
    client = client_for(users["monitor"])
    facility = registry["facility"]
    with client.get(f"/facilities/{facility.id}/checklist.pdf") as response:
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        reader = pypdf.PdfReader(io.BytesIO(response.data))
    # The letters' font still reaches it through the restricted fetcher.
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("PT-Serif" in name for name in fonts), fonts
    page = client.get(f"/facilities/{facility.id}/checklist")
    assert page.status_code == 200 and "<style" not in page.get_data(as_text=True)
