"""Text users typed cannot make pandoc or WeasyPrint read a file or fetch a URL, cannot carry
markup into a letter or its preview, and is never evaluated as a template."""

from __future__ import annotations

import io
import secrets
import subprocess
import time
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_render import CSS, REFERENCE, TEMPLATES, docx_text, pdf_text, sample_letter
from untrusted_input import PIXEL, Trap, assert_nothing_pulled_in, attacks, one_line

from app.letters import pandoc
from app.letters.render import (
    LetterTemplateError,
    clean_html,
    font_dir,
    render_docx,
    render_markdown,
    render_pdf,
    render_preview,
    url_fetcher,
)


@pytest.fixture
def secret(tmp_path):
    """A file the letters must never read (as instance/secret_key would be)."""
    path = tmp_path / "instance" / "secret_key"
    path.parent.mkdir()
    path.write_text(f"SECRET-{secrets.token_hex(16)}")
    return path


@pytest.fixture
def trap():
    with Trap() as server:
        yield server


def test_the_attack_worked_before_the_filter(secret, trap, tmp_path):
    """The reproduction: plain pandoc, without the cleaning filter, embeds the file."""
    from app.letters.pandoc import pandoc_path

    script = tmp_path / "plain.lua"
    script.write_text(
        "local doc = pandoc.read(io.read('a'), 'markdown')\nio.write(pandoc.write(doc, 'docx'))\n"
    )
    done = subprocess.run(
        [pandoc_path(), "lua", str(script)],
        input=f"![k]({secret.as_uri()}#k.txt)".encode(),
        capture_output=True,
        timeout=60,
        check=True,
    )
    with zipfile.ZipFile(io.BytesIO(done.stdout)) as package:
        media = [package.read(n) for n in package.namelist() if n.startswith("word/media/")]
    assert [secret.read_bytes()] == media


@pytest.mark.parametrize("name", sorted(attacks(Path("/x"), "http://x")))
def test_each_attack_pulls_nothing_into_docx_pdf_or_preview(name, secret, trap):
    attack = attacks(secret, trap.url)[name]
    markdown = f"Перед атакою.\n\n{attack}\n\nПісля атаки."
    docx = render_docx(markdown, REFERENCE)
    pdf = render_pdf(markdown, CSS, {"name": "Уповноважений"})
    assert_nothing_pulled_in(docx, pdf, [secret.read_text()])
    assert "Перед атакою." in docx_text(docx) and "Після атаки." in pdf_text(pdf)
    assert_inert_html(render_preview(markdown))
    assert trap.requests == []


def test_every_field_of_a_letter_at_once(secret, trap):
    """Every string of the template context hostile, in every kind of letter."""
    markdown_attack = "\n\n".join(attacks(secret, trap.url).values())
    line = one_line(secret, trap.url)
    for kind in ("submission", "request", "reminder", "initiative_letter"):
        letter = sample_letter(kind)
        _poison(letter, line)
        letter["opening"] = letter["closing"] = markdown_attack
        for rec in letter["recommendations"]:
            rec["text"] = markdown_attack
        markdown = render_markdown(f"{kind}.md.j2", {"letter": letter}, TEMPLATES)
        started = time.monotonic()
        docx = render_docx(markdown, REFERENCE)
        pdf = render_pdf(markdown, CSS, letter["issuer"])
        assert time.monotonic() - started < 15  # the slow URL was never waited for
        assert_nothing_pulled_in(docx, pdf, [secret.read_text()])
        # Plain strings are literal: the Jinja in them shows as typed, nothing was evaluated.
        assert "{{ config.SECRET_KEY }}" in docx_text(docx)
        assert_inert_html(render_preview(markdown))
    assert trap.requests == []


def _poison(value, line):
    """Replace every string in a (nested) letter context by hostile text."""
    for key, item in list(value.items()) if isinstance(value, dict) else enumerate(value):
        if isinstance(item, str) and key != "kind":
            value[key] = line
        elif isinstance(item, dict | list):
            _poison(item, line)


def test_jinja_in_user_text_is_not_evaluated():
    letter = sample_letter("request")
    letter["recommendations"][0]["text"] = (
        "{{ 12345 * 54321 }} {{ config.SECRET_KEY }} {% if 1 %}x{% endif %}"
    )
    letter["heading"] = "{{ 11111 * 9 }}"
    markdown = render_markdown("request.md.j2", {"letter": letter}, TEMPLATES)
    text = docx_text(render_docx(markdown, REFERENCE))
    assert "{{ 12345 * 54321 }} {{ config.SECRET_KEY }} {% if 1 %}x{% endif %}" in text
    assert "{{ 11111 * 9 }}" in text and "670592745" not in text and "99999" not in text


def test_templates_run_sandboxed(tmp_path):
    """A template (administrators may edit them) cannot reach Python internals."""
    (tmp_path / "evil.md.j2").write_text(
        "{{ letter.__class__.__mro__[1].__subclasses__() }}", encoding="utf-8"
    )
    with pytest.raises(LetterTemplateError, match="evil.md.j2"):
        render_markdown("evil.md.j2", {"letter": {}}, tmp_path)
    (tmp_path / "evil2.md.j2").write_text("{{ letter.pop('x') }}", encoding="utf-8")
    with pytest.raises(LetterTemplateError):
        render_markdown("evil2.md.j2", {"letter": {"x": 1}}, tmp_path)


def test_convert_once_cleans_the_same_way(secret, trap):
    markdown = "\n\n".join(attacks(secret, trap.url).values())
    docx = pandoc.convert_once(
        markdown, "docx", from_format=pandoc.SAFE_MARKDOWN, reference_doc=REFERENCE
    )
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        assert not [n for n in package.namelist() if n.startswith("word/media/")]
    html = pandoc.convert_once(markdown, "html5", from_format=pandoc.SAFE_MARKDOWN).decode()
    assert_inert_html(html)
    assert trap.requests == []


def test_the_filter_holds_even_with_raw_formats_enabled(secret, trap):
    """Were the reader options lost, the document is still cleaned before writing."""
    markdown = "\n\n".join(attacks(secret, trap.url).values())
    docx = pandoc.markdown_to_docx(markdown, REFERENCE, from_format="markdown")
    html = pandoc.markdown_to_html(markdown, from_format="markdown")
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        assert not [n for n in package.namelist() if n.startswith("word/media/")]
        assert b"<w:instrText" not in package.read("word/document.xml")
    assert_inert_html(html)
    assert trap.requests == []


def test_letters_keep_their_layout_after_cleaning():
    """The templates' own blocks (classes, custom styles, the signature's tab) survive."""
    letter = sample_letter("submission")
    markdown = render_markdown("submission.md.j2", {"letter": letter}, TEMPLATES)
    with zipfile.ZipFile(io.BytesIO(render_docx(markdown, REFERENCE))) as package:
        document = package.read("word/document.xml").decode()
    for style in ("Addressee", "Subject", "Recommendation", "Signature", "Executor"):
        assert f'<w:pStyle w:val="{style}"' in document
    assert "<w:tab/>" in document
    html = render_preview(markdown)
    assert '<div class="signature">' in html and '<span class="position">' in html
    assert "https://" not in html or 'rel="noopener' in html


def test_allowed_links_stay_and_others_become_text():
    html = render_preview(
        "[сайт](https://ombudsman.gov.ua) [пошта](mailto:npm@example.org) "
        "[файл](file:///etc/passwd) [відносне](/acts/1) [дані](data:text/html,x)"
    )
    assert 'href="https://ombudsman.gov.ua"' in html and 'href="mailto:npm@example.org"' in html
    for target in ("file:", "/acts/1", "data:"):
        assert target not in html
    assert "файл" in html and "відносне" in html and "дані" in html


def test_preview_sanitiser_alone_removes_what_pandoc_could_let_through():
    html = clean_html(
        '<p id="x" onclick="alert(1)" style="color:red">a<img src=x onerror=alert(2)>'
        '<a href="javascript:alert(3)">j</a><script>alert(4)</script>'
        '<span class="position-fixed top-0 signature">s</span>'
        '<svg onload="alert(5)"><a href="x">v</a></svg><iframe src="/"></iframe>'
        '<form action="/logout"><button>b</button></form></p>'
    )
    assert_inert_html(html)
    assert "alert(4)" not in html and "position-fixed" not in html
    assert '<span class="signature">s</span>' in html


# --- WeasyPrint ------------------------------------------------------------------------


def test_pdf_fetcher_refuses_everything_but_the_letters_own_files(secret, trap):
    fetcher = url_fetcher(CSS.parent)
    for allowed in (CSS.as_uri(), next(font_dir().glob("*.ttf")).as_uri()):
        response = fetcher.fetch(allowed)
        response.close()
    refused = [
        secret.as_uri(),
        "file:///etc/passwd",
        (CSS.parent / ".." / ".." / "etc" / "passwd").as_uri(),
        f"{(CSS.parent / '..' / 'app' / 'config.py')}",
        f"file://{CSS.parent}/../app/config.py",
        f"{trap.url}/logo.png",
        f"data:image/png;base64,{PIXEL}",
        "ftp://127.0.0.1/x",
    ]
    for url in refused:
        with pytest.raises(ValueError, match="not allowed"):
            fetcher.fetch(url)
    assert trap.requests == []


def test_pdf_of_raw_html_fetches_nothing(secret, trap):
    """Even HTML with images and stylesheets straight to WeasyPrint gets nothing from outside."""
    from weasyprint import HTML

    page = (
        f'<html><head><link rel="stylesheet" href="{trap.url}/a.css">'
        f"<style>@import url({trap.url}/b.css); body {{ background: url({secret.as_uri()}) }}"
        f'</style></head><body><img src="{secret.as_uri()}"><img src="{trap.url}/c.png">'
        f'<img src="data:image/png;base64,{PIXEL}">text</body></html>'
    )
    pdf = HTML(string=page, base_url=str(CSS.parent) + "/", url_fetcher=url_fetcher(CSS.parent))
    data = pdf.write_pdf()
    assert_pdf_without_images(data)
    assert trap.requests == []


def assert_pdf_without_images(data):
    import pypdf

    assert all(not page.images for page in pypdf.PdfReader(io.BytesIO(data)).pages)


# --- helpers ---------------------------------------------------------------------------


class _Inspector(HTMLParser):
    BAD_TAGS = {"img", "script", "style", "iframe", "object", "embed", "svg", "link", "form"}

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BAD_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "id", "src", "srcset", "action"):
                self.problems.append(f"{tag}[{name}]")
            if name == "href" and not (value or "").startswith(("https:", "http:", "mailto:", "#")):
                self.problems.append(f"{tag}[href={value}]")


def assert_inert_html(html):
    inspector = _Inspector()
    inspector.feed(html)
    assert inspector.problems == [], html
