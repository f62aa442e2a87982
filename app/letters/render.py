"""Letters: Jinja Markdown templates → DOCX (pandoc + reference doc) and PDF (WeasyPrint).

The Markdown rendered from a template is the single source of a letter: the DOCX (editable,
styled by ``reference.docx``) and the PDF (what is signed and sent) are both made from it.
Blocks are pandoc fenced divs carrying a class for the PDF stylesheet and a ``custom-style``
naming a paragraph style of the reference DOCX, e.g. ``::: {.addressee custom-style="Addressee"}``.

Context contract of the letter templates (``<kind>.md.j2``; every key must be present,
``StrictUndefined`` turns a missing one into ``LetterTemplateError``)::

    letter = {
      "kind": "submission" | "request" | "reminder" | "initiative_letter",
      "escalation": bool,                       # an initiative letter to a supervising body
      "date": date,
      "date_text": "12 березня 2026 р.",        # preformatted; "" leaves a blank
      "outgoing_number": "123/2026" | None,     # None before registration: "№ ____"
      "reference": {"number": str, "date_text": str} | None,   # "На № … від …"
      "addressee": {"lines": [str],             # the block as printed: the head's position
                                                # and «Власне ім'я ПРІЗВИЩЕ» in the dative, or
                                                # the organisation (nominative) without a head
                    "organisation": str, "title_dative": str, "name_dative": str,
                    "address": str},            # empty strings are skipped
      "heading": str,                           # "Про ..."
      "opening": str,                           # Markdown, may be empty
      "legal_basis": str,                       # "Відповідно до частини третьої статті 15 ..."
      "reminded_basis": str,                    # a reminder: the basis of the act reminded of
      "visits_text": str,                       # «моніторингового візиту» / «…візитів»
      "warning_text": str,                      # КУпАП 188-40 (reminders, escalations) or ""
      "recommendations": [{"number": int, "text": str (Markdown), "facility": str,
                           "visit_text": str}],  # visit_text: dates, "12–13 лютого 2026 р."
      "closing": str,                           # Markdown, may be empty
      "term_text": str,                         # "Про результати розгляду ... прошу повідомити ..."
      "attachments": [{"title": str, "sheets": int}],
      "signatory": {"position": str, "name": str},          # name as «Власне ім'я ПРІЗВИЩЕ»
      "executor": {"name": str, "phone": str, "email": str},
      "issuer": {"name": str, "short_name": str, "address": str, "phone": str, "email": str,
                 "website": str, "edrpou": str},
      "previous_act": {"title": str, "outgoing_number": str, "date_text": str,
                       "authority": str} | None,  # reminders and escalations
      "ignored": [{"title", "outgoing_number", "date_text", "due_text"}],  # escalations
    }

Plain strings are inserted with the ``md`` filter (Markdown special characters escaped); the
fields marked Markdown are inserted as they are. Every value is text users typed and is never
evaluated as a template (the environment is sandboxed as well). Raw HTML/OpenXML/TeX is disabled
when pandoc reads the Markdown (``SAFE_MARKDOWN``), and every document is cleaned before it is
written (``untrusted.lua``: no image, raw markup, attribute other than a class or custom-style,
or link other than http(s)/mailto), so user text can neither inject markup nor make pandoc read
a file or fetch a URL; WeasyPrint fetches only files of the letters' folder and font
(``url_fetcher``); the HTML preview is sanitised once more (``render_preview``).
"""

from __future__ import annotations

import atexit
import functools
import html
import io
import re
import threading
import zipfile
from pathlib import Path

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from app.letters import pandoc


class LetterError(Exception):
    """Base class of letter rendering errors."""


class LetterTemplateError(LetterError):
    """A template is missing, malformed, or uses a variable the context lacks."""


class LetterOutputError(LetterError):
    """A converter produced something that is not a valid DOCX/PDF."""


# --- Markdown escaping -------------------------------------------------------------------

# Characters that start inline syntax anywhere in pandoc Markdown. pandoc lets any ASCII
# punctuation be backslash-escaped, so escaping them is always safe.
_INLINE_SPECIAL = re.compile(r"([\\`*_{}\[\]<>~^$|@&#])")
# Characters that only matter at the start of a line (lists "(1)", quotes, divs, headings).
_LINE_START_SPECIAL = re.compile(r"^([-+>:=%(])")
# "1." "a)" "iv." start an ordered list; escaping the delimiter after any leading word is
# harmless ("вул\." still reads "вул.").
_ORDERED_MARKER = re.compile(r"^(\w+)([.)])")


def md_escape(value) -> str:
    """Make a plain string safe to place inside Markdown as literal inline text.

    Whitespace runs (including newlines) become one space, since a newline inside a template
    line could start a new block.
    """
    if value is None:
        return ""
    text = " ".join(str(value).split())
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    text = _LINE_START_SPECIAL.sub(r"\\\1", text)
    return _ORDERED_MARKER.sub(r"\1\\\2", text)


def md_clause(value) -> str:
    """A sentence fragment the template continues (``{{ legal_basis | clause | md }}, ...``):
    trailing punctuation the author may have typed is dropped so it does not double up."""
    return str(value or "").strip().rstrip(",.;:").rstrip()


def nbsp(value) -> str:
    """Join words with no-break spaces (a signatory's name must not wrap)."""
    return str(value or "").replace(" ", "\u00a0")


def md_blank(width: int = 10) -> str:
    """A fill-in line of underscores (escaped, so pandoc keeps them literal)."""
    return "\\_" * width


# --- Templates ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _environment(templates_dir: str) -> jinja2.Environment:
    # Sandboxed: a template (which administrators may edit) reaches only the letter context,
    # never Python internals or the application's configuration. What users typed arrives as
    # values in that context and is never evaluated as a template.
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(templates_dir),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is Markdown, escaped per value with the md filter
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_escape
    env.filters["clause"] = md_clause
    env.filters["nbsp"] = nbsp
    env.globals["blank"] = md_blank
    return env


def _template_line(exc: BaseException, templates_dir: str) -> tuple[str | None, int | None]:
    """Find the template file and line of a runtime error from Jinja's rewritten traceback."""
    found: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(templates_dir):
            found = (Path(filename).name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def sandboxed_environment(templates_dir: str, overrides: dict) -> jinja2.Environment:
    """Templates an administrator edited (``overrides``: name → source) over the files, in a
    sandbox: they are data from the database, so they get no access to Python internals."""
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(
            [jinja2.DictLoader(dict(overrides)), jinja2.FileSystemLoader(templates_dir)]
        ),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_escape
    env.filters["clause"] = md_clause
    env.filters["nbsp"] = nbsp
    env.globals["blank"] = md_blank
    return env


def render_markdown(
    template_name: str, context: dict, templates_dir: Path, overrides: dict | None = None
) -> str:
    """Render a letter template to Markdown; errors become ``LetterTemplateError``.

    ``overrides`` (name → source) replace template files of the same name, rendered in a
    sandboxed environment.
    """
    directory = str(Path(templates_dir).resolve())
    env = sandboxed_environment(directory, overrides) if overrides else _environment(directory)
    try:
        return env.get_template(template_name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        where = exc.name or exc.filename or template_name
        raise LetterTemplateError(
            f"template {where}, line {exc.lineno}: syntax error: {exc.message}"
        ) from exc
    except jinja2.TemplateNotFound as exc:
        raise LetterTemplateError(f"template {exc.name} not found in {directory}") from exc
    except jinja2.UndefinedError as exc:
        name, line = _template_line(exc, directory)
        raise LetterTemplateError(
            f"template {name or template_name}, line {line}: {exc.message}"
        ) from exc
    except jinja2.exceptions.SecurityError as exc:
        name, line = _template_line(exc, directory)
        raise LetterTemplateError(
            f"template {name or template_name}, line {line}: not allowed: {exc}"
        ) from exc
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        name, line = _template_line(exc, directory)
        raise LetterTemplateError(
            f"template {name or template_name}, line {line}: {type(exc).__name__}: {exc}"
        ) from exc


# --- DOCX --------------------------------------------------------------------------------


def _check_docx(data: bytes) -> bytes:
    if not data:
        raise LetterOutputError("pandoc produced an empty DOCX")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            if "word/document.xml" not in package.namelist():
                raise LetterOutputError("DOCX has no word/document.xml")
    except zipfile.BadZipFile as exc:
        raise LetterOutputError("pandoc output is not a DOCX (not a zip)") from exc
    return data


def render_docx(markdown: str, reference_doc: Path) -> bytes:
    """Markdown → DOCX bytes styled by *reference_doc*."""
    return _check_docx(pandoc.markdown_to_docx(markdown, reference_doc))


# --- PDF ---------------------------------------------------------------------------------

FONT_FAMILY = "PT Serif"
# (file stem suffix, CSS font-weight, CSS font-style) of the files in fontpkg-pt-serif.
_FONT_FACES = (
    ("Regular", 400, "normal"),
    ("Italic", 400, "italic"),
    ("Bold", 700, "normal"),
    ("BoldItalic", 700, "italic"),
)


@functools.lru_cache(maxsize=1)
def font_dir() -> Path | None:
    """Folder of the PT Serif files shipped by the ``fontpkg-pt-serif`` package, if installed."""
    try:
        import fontpkg_pt_serif  # ParaType's PT Serif: full Cyrillic incl. Ukrainian letters
    except ImportError:
        return None
    folder = Path(fontpkg_pt_serif.__file__).resolve().parent / "files"
    return folder if folder.is_dir() else None


def font_face_css() -> str:
    """@font-face rules pointing at the packaged font files (empty if the package is absent:
    WeasyPrint then falls back to the system's serif fonts)."""
    folder = font_dir()
    if folder is None:
        return ""
    rules = []
    for suffix, weight, style in _FONT_FACES:
        files = sorted(folder.glob(f"*-{suffix}.ttf"))
        if files:
            rules.append(
                f'@font-face {{ font-family: "{FONT_FAMILY}"; '
                f'src: url("{files[0].as_uri()}") format("truetype"); '
                f"font-weight: {weight}; font-style: {style}; }}"
            )
    return "\n".join(rules) + "\n"


# WeasyPrint shares font state between the CSS objects and the render; its rendering is not
# documented as thread-safe, so PDFs are made one at a time per process.
_PDF_LOCK = threading.Lock()


def _fetcher(css_dir: Path):
    """A URL fetcher limited to local files under the letters' own folder and the font folder.

    Everything else is refused: other files, the network (a slow or internal URL), data: URLs.
    The HTML comes from user-written Markdown, which is cleaned of images before it gets here
    (untrusted.lua); this is the second line, and it covers the stylesheets too.
    """
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher  # deferred: WeasyPrint is heavy to import

    roots = [Path(css_dir).resolve()] + ([font_dir()] if font_dir() else [])

    class _Fetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "file" and parts.netloc in ("", "localhost"):
                path = Path(unquote(parts.path)).resolve()
                if path.is_file() and any(path.is_relative_to(root) for root in roots):
                    return super().fetch(url, headers)
            raise ValueError(f"resource not allowed in letters: {url[:100]}")

    return _Fetcher(allowed_protocols={"file"})


def url_fetcher(assets_dir: Path):
    """The fetcher every PDF made by WeasyPrint uses: *assets_dir* and the letters' font only."""
    return _fetcher(assets_dir)


@functools.lru_cache(maxsize=4)
def _stylesheet(css_path: str, mtime_ns: int):
    """Parse the stylesheet once per file version; returns (CSS, FontConfiguration, fetcher)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    path = Path(css_path)
    font_config = FontConfiguration()
    fetcher = _fetcher(path.parent)
    css = CSS(
        string=font_face_css() + path.read_text(encoding="utf-8"),
        base_url=str(path.parent) + "/",
        font_config=font_config,
        url_fetcher=fetcher,
    )
    return css, font_config, fetcher


# WeasyPrint's FontConfiguration frees C memory in __del__; at interpreter exit that would run
# after the libraries are gone and print an error, so drop the cached ones while they still work.
atexit.register(_stylesheet.cache_clear)


def _letterhead_html(letterhead: dict) -> str:
    """The running letterhead (first page): issuer's name and details, HTML-escaped."""
    esc = html.escape
    contacts = [
        esc(letterhead.get("address") or ""),
        "тел. " + esc(letterhead["phone"]) if letterhead.get("phone") else "",
        "e-mail: " + esc(letterhead["email"]) if letterhead.get("email") else "",
        esc(letterhead.get("website") or ""),
    ]
    details = ", ".join(part for part in contacts if part)
    edrpou = letterhead.get("edrpou")
    code = f'<p class="issuer-details">Код згідно з ЄДРПОУ {esc(edrpou)}</p>' if edrpou else ""
    return (
        '<header class="running-letterhead">'
        f'<p class="issuer-name">{esc(letterhead.get("name") or "")}</p>'
        f'<p class="issuer-details">{details}</p>{code}</header>'
    )


def html_page(fragment: str, letterhead: dict | None) -> str:
    """Wrap pandoc's HTML fragment into the page WeasyPrint lays out."""
    letterhead = letterhead or {}
    title = letterhead.get("title") or letterhead.get("name") or "Лист"
    header = _letterhead_html(letterhead) if letterhead.get("name") else ""
    body_class = "letter has-letterhead" if header else "letter"
    author = html.escape(letterhead.get("name") or "")
    return (
        '<!DOCTYPE html><html lang="uk"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>"
        f'<meta name="author" content="{author}"></head>'
        f'<body class="{body_class}">{header}<main>{fragment}</main></body></html>'
    )


def _check_pdf(data: bytes) -> bytes:
    if not data or not data.startswith(b"%PDF-"):
        raise LetterOutputError("WeasyPrint output is not a PDF")
    if b"%%EOF" not in data[-1024:]:
        raise LetterOutputError("PDF is truncated (no %%EOF)")
    return data


def render_pdf(markdown: str, css_path: Path, letterhead: dict, add_figures=None) -> bytes:
    """Markdown → HTML (pandoc) → PDF (WeasyPrint, in-process).

    *letterhead* holds the issuer's details (``name``, ``address``, ``phone``, ``email``,
    ``website``, ``edrpou``; optional ``title`` for the PDF metadata). With a ``name`` the
    first page carries it as a running letterhead and the Markdown's own ``.letterhead`` block
    is hidden.

    *add_figures*: a function of pandoc's HTML fragment that returns it with markup the caller
    generated itself (never user text: e.g. an inline SVG QR code); nothing is fetched for it.
    """
    from weasyprint import HTML

    path = Path(css_path).resolve()
    css, font_config, fetcher = _stylesheet(str(path), path.stat().st_mtime_ns)
    fragment = pandoc.markdown_to_html(markdown)
    if add_figures is not None:
        fragment = add_figures(fragment)
    page = html_page(fragment, letterhead)
    with _PDF_LOCK:
        document = HTML(string=page, base_url=str(path.parent) + "/", url_fetcher=fetcher)
        data = document.write_pdf(stylesheets=[css], font_config=font_config)
    return _check_pdf(data)


# --- HTML preview ------------------------------------------------------------------------

#: What the letter's HTML preview may hold. pandoc's HTML of a cleaned document already has no
#: images, raw markup or foreign attributes; the preview is put into a page, so it is sanitised
#: once more with its own allow-list (no script, no style, no id, no event handler, no image).
PREVIEW_TAGS = frozenset(
    """p br hr div span section em strong u s del sup sub code pre blockquote a ol ul li dl dt dd
    h1 h2 h3 h4 h5 h6 table caption colgroup col thead tbody tfoot tr th td""".split()
)
PREVIEW_ATTRIBUTES = {
    "a": {"href"},
    "ol": {"start", "type"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
#: Classes of the letter templates' blocks and of pandoc's own output; any other class (a page
#: framework's utility classes could lay user text over the page) is dropped.
LETTER_CLASSES = frozenset(
    """letterhead registration addressee doc-type subject recommendation attachments signature
    executor position name tab footnotes footnote-ref footnote-back uri email math inline display
    smallcaps underline""".split()
)


def _in_page_only(url: str) -> str | None:
    """Relative URLs: only the letter's own footnote anchors ("#fn1") are kept."""
    return url if url.startswith("#") else None


@functools.cache
def _preview_cleaner():
    import nh3

    return nh3.Cleaner(
        tags=PREVIEW_TAGS,
        clean_content_tags={"script", "style"},
        attributes=PREVIEW_ATTRIBUTES,
        allowed_classes={tag: LETTER_CLASSES for tag in ("div", "span", "a", "section", "code")},
        url_schemes={"http", "https", "mailto"},
        url_relative=_in_page_only,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def clean_html(fragment: str) -> str:
    """Sanitise an HTML fragment made from a letter for display inside a page."""
    return _preview_cleaner().clean(fragment)


def render_preview(markdown: str) -> str:
    """Markdown → the letter as a sanitised HTML fragment (what the act page shows)."""
    return clean_html(pandoc.markdown_to_html(markdown))
