"""Letter rendering: templates → Markdown → DOCX (pandoc runner) and PDF (WeasyPrint)."""

from __future__ import annotations

import copy
import datetime
import io
import os
import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import docx
import pypdf
import pytest

from app.domain.acts.kinds import TEMPLATE_KINDS, template_for
from app.letters import pandoc
from app.letters.render import (
    LetterOutputError,
    LetterTemplateError,
    _check_docx,
    _check_pdf,
    _fetcher,
    font_dir,
    md_escape,
    render_docx,
    render_markdown,
    render_pdf,
)

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "letter_templates"
REFERENCE = TEMPLATES / "reference.docx"
CSS = TEMPLATES / "letter.css"


def sample_letter(kind: str, recommendations: int = 3, number: str | None = "123/2026") -> dict:
    """A complete letter context (see the contract in app/letters/render.py)."""
    return {
        "kind": kind,
        "date": datetime.date(2026, 3, 12),
        "date_text": "12 березня 2026\u202fр.",
        "outgoing_number": number,
        "reference": {"number": "45/7-12", "date_text": "02.03.2026"},
        "escalation": kind == "escalation",
        "addressee": {
            "lines": ["Міністрові юстиції України", "Олександрові ПЕТРЕНКУ"],
            "organisation": "",
            "title_dative": "Міністрові юстиції України",
            "name_dative": "Олександрові ПЕТРЕНКУ",
            "address": "вул. Городецького, 13, м. Київ, 01001",
        },
        "heading": "Про усунення порушень прав людини в установах виконання покарань",
        "opening": "Під час моніторингових візитів виявлено порушення прав людини.",
        "legal_basis": (
            "Відповідно до частини третьої статті 15 та статті 19-1 Закону України "
            "«Про Уповноваженого Верховної Ради України з прав людини»"
        ),
        "reminded_basis": (
            "Відповідно до частини третьої статті 15 та статті 19-1 Закону України "
            "«Про Уповноваженого Верховної Ради України з прав людини»"
        ),
        "visits_text": "моніторингових візитів",
        "warning_text": "Звертаю увагу на статтю 188-40 КУпАП." if kind == "reminder" else "",
        "recommendations": [
            {
                "number": i,
                "text": f"Забезпечити доступ до медичної допомоги у секторі {i} установи.",
                "facility": "ДУ «Київський слідчий ізолятор»",
                "visit_text": "12–13 лютого 2026 р.",
            }
            for i in range(1, recommendations + 1)
        ],
        "closing": "Сподіваюся на конструктивну співпрацю.",
        "term_text": "Про результати розгляду прошу повідомити у місячний строк.",
        "attachments": [{"title": "звіт за результатами візиту", "sheets": 5}],
        "signatory": {
            "position": "Уповноважений Верховної Ради України з прав людини",
            "name": "Дмитро ЛУБІНЕЦЬ",
        },
        "executor": {
            "name": "Олена КОВАЛЕНКО",
            "phone": "(044) 299-74-08",
            "email": "npm@ombudsman.gov.ua",
        },
        "issuer": {
            "name": "Уповноважений Верховної Ради України з прав людини",
            "short_name": "Омбудсман України",
            "address": "вул. Інститутська, 21/8, м. Київ, 01008",
            "phone": "(044) 253-75-89",
            "email": "hotline@ombudsman.gov.ua",
            "website": "www.ombudsman.gov.ua",
            "edrpou": "21661556",
        },
        "previous_act": {
            "title": "подання",
            "outgoing_number": "77/2026",
            "date_text": "10 січня 2026 р.",
            "authority": "ДУ «Київський слідчий ізолятор»",
        },
        "ignored": [
            {
                "title": "подання",
                "outgoing_number": "77/2026",
                "date_text": "10 січня 2026 р.",
                "due_text": "10 лютого 2026 р.",
            }
        ],
    }


def normalise(text: str) -> str:
    """Compare text as a reader sees it: one kind of space and apostrophe, no line breaks."""
    text = text.replace("\u202f", " ").replace("\xa0", " ").replace("\u2019", "'")
    return " ".join(text.split())


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return normalise("\n".join(p.text for p in document.paragraphs))


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return normalise("\n".join(page.extract_text() for page in reader.pages))


def expected_fragments(letter: dict) -> list[str]:
    fragments = [
        letter["addressee"]["title_dative"],
        letter["addressee"]["name_dative"],
        letter["outgoing_number"],
        letter["date_text"],
        letter["legal_basis"],
        letter["heading"],
        letter["signatory"]["position"],
        letter["signatory"]["name"],
        letter["executor"]["name"],
        letter["executor"]["phone"],
    ]
    fragments += [rec["text"] for rec in letter["recommendations"]]
    return [normalise(fragment) for fragment in fragments]


@pytest.fixture(scope="module", params=TEMPLATE_KINDS)
def rendered(request):
    letter = sample_letter(
        request.param, recommendations=2 + TEMPLATE_KINDS.index(request.param) * 2
    )
    markdown = render_markdown(template_for(request.param), {"letter": letter}, TEMPLATES)
    return {
        "letter": letter,
        "markdown": markdown,
        "docx": render_docx(markdown, REFERENCE),
        "pdf": render_pdf(markdown, CSS, letter["issuer"]),
    }


def test_docx_has_every_requisite(rendered):
    text = docx_text(rendered["docx"])
    for fragment in expected_fragments(rendered["letter"]):
        assert fragment in text
    assert "Додаток: звіт за результатами візиту на 5 арк." in text


def test_docx_uses_reference_layout_and_styles(rendered):
    document = docx.Document(io.BytesIO(rendered["docx"]))
    section = document.sections[0]
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 10
    assert round(section.top_margin.mm) == 20 and round(section.bottom_margin.mm) == 20
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert section.different_first_page_header_footer  # numbering starts on page two
    styles = {p.style.name for p in document.paragraphs}
    assert {"Addressee", "Subject", "Signature", "Executor", "Recommendation"} <= styles
    addressee = [p.text for p in document.paragraphs if p.style.name == "Addressee"]
    # One dative block for the head: position (with the organisation), then the name.
    assert addressee[:2] == rendered["letter"]["addressee"]["lines"]
    signature = next(p for p in document.paragraphs if p.style.name == "Signature")
    assert "\t" in signature.text  # name pushed to the right edge by a tab


def test_pdf_has_every_requisite_in_cyrillic(rendered):
    text = pdf_text(rendered["pdf"])
    for fragment in expected_fragments(rendered["letter"]):
        assert fragment in text
    assert "\ufffd" not in text


def test_pdf_embeds_packaged_font(rendered):
    reader = pypdf.PdfReader(io.BytesIO(rendered["pdf"]))
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("PT-Serif" in name for name in fonts), fonts


def test_pdf_letterhead_and_reference(rendered):
    text = pdf_text(rendered["pdf"])
    assert normalise(rendered["letter"]["issuer"]["name"]).upper() in text
    assert "Код згідно з ЄДРПОУ 21661556" in text
    assert "На № 45/7-12 від 02.03.2026" in text
    # The Markdown letterhead is hidden in the PDF: the name appears once as letterhead and
    # once as signatory position, not a third time.
    assert text.upper().count(normalise(rendered["letter"]["issuer"]["name"]).upper()) == 2


def test_pdf_fetches_only_its_own_files(tmp_path):
    fetcher = _fetcher(CSS.parent)
    font = next(font_dir().glob("*.ttf"))
    response = fetcher.fetch(font.as_uri())
    try:
        assert response.read(4) == b"\x00\x01\x00\x00"  # a TrueType file
    finally:
        response.close()
    outside = tmp_path / "secret.png"
    outside.write_bytes(b"not for letters")
    for url in (outside.as_uri(), "http://127.0.0.1:9/logo.png"):
        with pytest.raises(ValueError, match="not allowed"):
            fetcher.fetch(url)
    # A letter whose Markdown points at such files still renders, without them.
    pdf = render_pdf(f"Текст ![logo]({outside.as_uri()})", CSS, {})
    assert "Текст" in pdf_text(pdf)


def test_reminder_names_previous_act():
    letter = sample_letter("reminder")
    markdown = render_markdown("reminder.md.j2", {"letter": letter}, TEMPLATES)
    assert "від 10 січня 2026 р. № 77/2026" in markdown


def test_unregistered_letter_leaves_number_blank():
    letter = sample_letter("submission", number=None)
    letter["reference"] = None
    markdown = render_markdown("submission.md.j2", {"letter": letter}, TEMPLATES)
    text = docx_text(render_docx(markdown, REFERENCE))
    assert "№ ________" in text
    assert "На №" not in text


def test_user_strings_are_literal():
    letter = sample_letter("request")
    tricky = "ТОВ *Зірка* [1] <b>x</b> _a_ @me & #3 `code`"
    letter["addressee"]["lines"] = [tricky]
    letter["addressee"]["address"] = "(044) 1. - > ::: line\nbreak"
    markdown = render_markdown("request.md.j2", {"letter": letter}, TEMPLATES)
    text = docx_text(render_docx(markdown, REFERENCE))
    assert tricky in text
    assert "(044) 1. - > ::: line break" in text


def test_md_escape_keeps_plain_text_plain():
    assert md_escape("Петренко О.") == "Петренко О."
    assert md_escape("1. пункт") == "1\\. пункт"
    assert md_escape("- пункт") == "\\- пункт"
    assert md_escape(None) == ""


def test_undefined_variable_is_template_error():
    letter = sample_letter("submission")
    del letter["heading"]
    with pytest.raises(LetterTemplateError, match=r"_base\.md\.j2, line \d+: .*heading"):
        render_markdown("submission.md.j2", {"letter": letter}, TEMPLATES)


def test_syntax_error_is_template_error(tmp_path):
    (tmp_path / "broken.md.j2").write_text("Текст\n\n{% if letter %}\nбез кінця\n")
    with pytest.raises(LetterTemplateError, match=r"broken\.md\.j2, line \d+: syntax error"):
        render_markdown("broken.md.j2", {"letter": {}}, tmp_path)


def test_missing_template_and_unknown_kind(tmp_path):
    with pytest.raises(LetterTemplateError, match="not found"):
        render_markdown("absent.md.j2", {}, tmp_path)
    with pytest.raises(LetterTemplateError, match="unknown letter kind"):
        template_for("protocol")


def test_output_validation():
    for bad in (b"", b"not a zip", b"PK\x03\x04broken"):
        with pytest.raises(LetterOutputError):
            _check_docx(bad)
    for bad in (b"", b"<html>", b"%PDF-1.7 truncated"):
        with pytest.raises(LetterOutputError):
            _check_pdf(bad)


# --- pandoc runner -----------------------------------------------------------------------


@pytest.fixture
def runner():
    runner = pandoc.PandocRunner(pool_size=2, timeout=30)
    yield runner
    runner.close()


def test_runner_survives_killed_process(runner):
    assert "<em>x</em>" in runner.convert("*x*", "html5").decode()
    (old,) = runner.pids()
    os.kill(old, signal.SIGKILL)
    assert "<em>y</em>" in runner.convert("*y*", "html5").decode()
    assert runner.pids() and old not in runner.pids()


def test_default_runner_survives_killed_process():
    markdown = render_markdown("request.md.j2", {"letter": sample_letter("request")}, TEMPLATES)
    render_docx(markdown, REFERENCE)
    pids = pandoc.get_runner().pids()
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    # Killed mid-way or between requests, the next letter still renders.
    assert "Олена КОВАЛЕНКО" in docx_text(render_docx(markdown, REFERENCE))


def test_pandoc_error_carries_pandocs_message(runner, tmp_path):
    with pytest.raises(pandoc.PandocError, match="Unknown output format"):
        runner.convert("x", "no-such-format")
    with pytest.raises(pandoc.PandocError, match="does not exist"):
        pandoc.markdown_to_docx("x", tmp_path / "missing.docx", runner=runner)
    assert runner.convert("ok", "html5").strip() == b"<p>ok</p>"  # the process is reused


def test_timeout_kills_and_recovers(runner):
    with pytest.raises(pandoc.PandocTimeout):
        runner.convert("x " * 1000, "docx", timeout=0)
    assert runner.convert("after", "html5").strip() == b"<p>after</p>"


def test_runner_is_thread_safe(runner):
    def convert(i: int) -> bool:
        return runner.convert(f"текст {i}", "html5").decode().strip() == f"<p>текст {i}</p>"

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert all(pool.map(convert, range(24)))
    assert len(runner.pids()) <= 2


def test_forked_child_uses_its_own_process(runner):
    runner.convert("warm", "html5")
    parent_pids = runner.pids()
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        status = 1
        try:
            html = runner.convert("дитина", "html5").decode().strip()
            ok = html == "<p>дитина</p>" and not set(runner.pids()) & set(parent_pids)
            os.write(write_end, b"ok" if ok else html.encode())
            runner.close()
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        answer = reader.read()
    _, status = os.waitpid(child, 0)
    assert answer == b"ok" and os.WEXITSTATUS(status) == 0
    # The parent's process was neither used nor harmed by the child.
    assert runner.pids() == parent_pids
    assert runner.convert("батько", "html5").decode().strip() == "<p>батько</p>"


def test_convert_once_matches_runner(runner):
    markdown = render_markdown(
        "submission.md.j2", {"letter": sample_letter("submission")}, TEMPLATES
    )
    once = pandoc.convert_once(markdown, "html5", from_format=pandoc.SAFE_MARKDOWN)
    assert (
        once.strip() == runner.convert(markdown, "html5", from_format=pandoc.SAFE_MARKDOWN).strip()
    )
    with pytest.raises(pandoc.PandocError):
        pandoc.convert_once("x", "no-such-format")


def test_letter_context_is_not_mutated():
    letter = sample_letter("initiative_letter")
    before = copy.deepcopy(letter)
    render_markdown("initiative_letter.md.j2", {"letter": letter}, TEMPLATES)
    assert letter == before
