"""Hostile text for the letters and the means to prove it did nothing.

``Trap`` is a real HTTP server on loopback that records every request and answers slowly: a
letter that fetched a URL would show up in its log (and take its time). ``attacks`` gives the
ways a user could try to pull a file or a URL into a letter, or markup into a page;
``assert_nothing_pulled_in`` reads the DOCX and PDF back and checks that none of it worked.
"""

from __future__ import annotations

import io
import re
import threading
import zipfile
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pypdf

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "letter_templates" / "reference.docx"

#: What /etc/passwd starts with on every Linux system.
PASSWD_MARK = "root:x:0:0"
#: A one-pixel PNG (as a data: URL it is fetched from nowhere, but must not be embedded either).
PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="


class Trap:
    """An HTTP server on 127.0.0.1 that records requests and answers after *delay* seconds."""

    def __init__(self, delay: float = 5.0):
        trap = self
        self.requests: list[str] = []
        self.delay = delay
        self._release = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the http.server API)
                trap.requests.append(self.path)
                trap._release.wait(trap.delay)
                body = b"\x89PNG\r\n\x1a\nfetched"
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:  # the client gave up waiting
                    pass

            do_HEAD = do_GET  # noqa: N815

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_port}"

    def __enter__(self) -> Trap:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()


def attacks(secret: Path, url: str) -> dict[str, str]:
    """Named attacks on Markdown fields (multi-line allowed)."""
    s = secret.as_uri()
    return {
        "file image": f"![k]({s}#k.txt)",
        "passwd image": "![p](file:///etc/passwd#p.txt)",
        "url image": f"![h]({url}/healthz.png)",
        "relative path image": f"![r]({secret}#r.txt)",
        "reference image": f"![x][ref]\n\n[ref]: {s}#ref.txt",
        "nested image": f"![![a]({s}#a.txt)]({url}/outer.png)",
        "attribute image": f'![x]({url}/attr.png){{onerror="alert(1)" width=1}}',
        "attribute span": f'[t]{{onmouseover="alert(1)" style="background:url({url}/span.png)"}}',
        "javascript link": "[x](javascript:alert(1)) [y](java\tscript:alert(2))",
        "file link": f"[secret]({s})",
        "svg image": f"![s]({url}/image.svg)",
        "data image": f"![d](data:image/png;base64,{PIXEL})",
        "raw html image": f'<img src="{s}#i.txt"> <img src="{url}/img.png">',
        "raw html iframe": f'<iframe src="{url}/frame"></iframe>',
        "raw html style": f"<style>@import url({url}/import.css);</style>",
        "tex image": f"\\includegraphics{{{secret}}}",
        "raw openxml": (
            '```{=openxml}\n<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r>'
            f'<w:instrText>INCLUDEPICTURE "{url}/field.png"</w:instrText></w:r></w:p>\n```'
        ),
        "raw html block": f'```{{=html}}\n<img src="{url}/raw.png" onerror="alert(1)">\n```',
        "raw inline": f'`<img src="{url}/inline.png">`{{=html}}',
        "metadata": f'---\ntitle: "![t]({s}#t.txt)"\n---',
        "jinja": "{{ config.SECRET_KEY }} {% for x in range(3) %}loop{% endfor %}",
    }


def one_line(secret: Path, url: str) -> str:
    """Several attacks on one line, for plain (single-line) fields."""
    return (
        f'![k]({secret.as_uri()}#k.txt) ![h]({url}/line.png) <img src="{url}/l.png"> '
        "{{ config.SECRET_KEY }} [x](javascript:alert(1)){onclick=x}"
    )


def _media(package: zipfile.ZipFile) -> dict[str, bytes]:
    return {n: package.read(n) for n in package.namelist() if n.startswith("word/media/")}


def assert_nothing_pulled_in(docx: bytes, pdf: bytes, secrets: list[str]) -> str:
    """No file or URL made it into the DOCX or the PDF; returns the DOCX's document.xml."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package, zipfile.ZipFile(REFERENCE) as reference:
        allowed = set(_media(reference).values())  # the letterhead's own images, if any
        foreign = [n for n, data in _media(package).items() if data not in allowed]
        assert foreign == [], f"embedded in the DOCX: {foreign}"
        everything = b"".join(package.read(n) for n in package.namelist())
        rels = b"".join(package.read(n) for n in package.namelist() if n.endswith(".rels"))
        document = package.read("word/document.xml").decode("utf-8")
    for secret in [*secrets, PASSWD_MARK]:
        assert secret.encode() not in everything, f"{secret!r} is in the DOCX"
        assert secret.encode() not in pdf, f"{secret!r} is in the PDF"
    # No image, object or field pulls anything in when Word opens the file.
    assert b"file:" not in rels
    assert not re.search(rb'Type="[^"]*/image"[^>]*TargetMode="External"', rels)
    for tag in ("<w:drawing", "<w:pict", "<w:object", "<w:instrText", "<w:fldSimple"):
        assert tag not in document, f"{tag} in the DOCX body"
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert all(not page.images for page in reader.pages), "the PDF holds an image"
    text = "\n".join(page.extract_text() for page in reader.pages)
    for secret in [*secrets, PASSWD_MARK]:
        assert secret not in text
    return document


class _PageInspector(HTMLParser):
    """Finds what could run in a page: inline scripts, handlers, script URLs, foreign images."""

    SCRIPT_URL = re.compile(r"\s*(javascript|data|file):", re.I)

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src"):
            self.problems.append("inline <script>")
        own_icon = tag == "svg" and attrs.get("class") == "bell-icon"  # the header's bell
        if tag in ("img", "iframe", "object", "embed", "svg", "style") and not own_icon:
            self.problems.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on") or name == "style":
                self.problems.append(f"{tag}[{name}]")
            if name in ("href", "src", "action") and self.SCRIPT_URL.match(value or ""):
                self.problems.append(f"{tag}[{name}={value}]")


def assert_inert_page(html):
    """Nothing in the page can run: no inline script, handler, script URL or foreign image."""
    inspector = _PageInspector()
    inspector.feed(html)
    assert inspector.problems == []
