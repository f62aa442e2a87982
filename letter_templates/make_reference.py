"""Build ``letter_templates/reference.docx``, the DOCX look of every letter.

pandoc copies styles, page set-up, headers and footers from a *reference doc* into each DOCX
it writes. This script starts from pandoc's own default reference (so every style pandoc uses
exists) and adjusts it to ДСТУ 4163:2020:

* A4, margins 30 mm left, 10 mm right, 20 mm top and bottom;
* PT Serif 14 pt (the typeface of the PDF), Ukrainian language, black text, 1.25 cm paragraph indent;
* pages numbered in the middle of the top margin from the second page on (first page unnumbered);
* the custom paragraph styles named by the letter templates (``custom-style="..."``).

Run it again whenever the look changes::

    python letter_templates/make_reference.py [--output PATH]

Fonts are never embedded in DOCX. PT Serif is declared in the font table with Times New Roman
as its alternative, so an editor without PT Serif substitutes a serif font that has Cyrillic
glyphs instead of showing boxes.
"""

from __future__ import annotations

import argparse
import io
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path

import docx
import pypandoc
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
DEFAULT_OUTPUT = HERE / "reference.docx"

#: The letters' typeface, the same as the PDF's (embedded there from the fontpkg-pt-serif
#: package): ParaType's PT Serif, free, with full Ukrainian Cyrillic.
FONT = "PT Serif"
FONT_ALT = "Times New Roman"  # what an editor without PT Serif should substitute
BODY_SIZE = Pt(14)
LINE_SPACING = 1.15
INDENT = Mm(12.5)  # абзацний відступ
TEXT_WIDTH = Mm(210 - 30 - 10)
HALF = Mm(85)  # the addressee block starts in the right half of the text area

# pandoc styles that carry running text: no spacing between paragraphs, indented first line.
BODY_STYLES = ("Body Text", "First Paragraph", "Block Text", "Definition")

# Schema order of the w:pPr children this script may add (ECMA-376 CT_PPrBase).
PPR_ORDER = (
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)

# Custom styles used by the templates: name -> (based on, settings).
CUSTOM_STYLES: dict[str, dict] = {
    "Letterhead Name": {"align": "center", "bold": True, "caps": True, "after": Pt(2)},
    "Letterhead Details": {"align": "center", "size": Pt(10), "bottom_border": True},
    "Registration": {"size": Pt(12), "before": Pt(12), "contextual": True},
    "Addressee": {"left": HALF, "before": Pt(12), "after": Pt(12), "contextual": True},
    "Document Type": {"align": "center", "bold": True, "caps": True, "before": Pt(12)},
    "Subject": {
        "right": HALF,
        "bold": True,
        "before": Pt(12),
        "after": Pt(12),
        "contextual": True,
        "keep_next": True,
    },
    "Recommendation": {"based_on": "Body Text", "justify": True, "first_line": INDENT},
    # The term sentence and the attachment note stay on the page of the signature, so the
    # signature block is never alone on a page.
    "Term": {"based_on": "Body Text", "justify": True, "first_line": INDENT, "keep_next": True},
    "Attachment": {"before": Pt(12), "contextual": True, "keep_next": True},
    # Like Word's TOC styles: the right indent keeps a long position in the left part, and the
    # right tab stop at the margin (inside the indent) puts the name flush right on its last line.
    "Signature": {"before": Pt(24), "right": Mm(60), "tab_right": TEXT_WIDTH, "keep_lines": True},
    "Executor": {"size": Pt(10), "before": Pt(36), "contextual": True, "keep_lines": True},
}


def pandoc_default_reference(target: Path) -> None:
    """Write pandoc's built-in reference.docx to *target*."""
    subprocess.run(
        [
            pypandoc.get_pandoc_path(),
            "-o",
            str(target),
            "--print-default-data-file",
            "reference.docx",
        ],
        check=True,
    )


def set_fonts(rpr_owner, size=None) -> None:
    """Give a style explicit Times New Roman for every script, dropping theme fonts."""
    font = rpr_owner.font
    font.name = FONT
    rpr = rpr_owner.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in list(fonts.attrib):
        if attr.endswith("Theme") or attr.endswith("theme"):
            del fonts.attrib[attr]  # theme fonts would override the explicit face
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)
    font.color.rgb = RGBColor(0, 0, 0)
    if size is not None:
        font.size = size
        size_cs = rpr.find(qn("w:szCs"))
        if size_cs is None:
            size_cs = OxmlElement("w:szCs")
            rpr.append(size_cs)
        size_cs.set(qn("w:val"), str(int(size.pt * 2)))


def insert_ppr_child(ppr, element) -> None:
    """Insert *element* into ``w:pPr`` at its schema position (Word rejects misordered XML)."""
    tag_seq = PPR_ORDER
    name = element.tag.replace(qn("w:"), "w:")
    successors = tag_seq[tag_seq.index(name) + 1 :]
    ppr.insert_element_before(element, *successors)


def set_paragraph(style, **opts) -> None:
    """Apply the paragraph settings named in CUSTOM_STYLES to *style*."""
    fmt = style.paragraph_format
    fmt.space_before = opts.get("before", Pt(0))
    fmt.space_after = opts.get("after", Pt(0))
    fmt.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
    fmt.line_spacing = LINE_SPACING
    fmt.first_line_indent = opts.get("first_line", Mm(0))
    fmt.left_indent = opts.get("left", Mm(0))
    fmt.right_indent = opts.get("right", Mm(0))
    align = opts.get("align")
    if opts.get("justify"):
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    elif align == "center":
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    else:
        fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
    if opts.get("keep_next"):
        fmt.keep_with_next = True
    if opts.get("keep_lines"):
        fmt.keep_together = True
    if "tab_right" in opts:
        fmt.tab_stops.add_tab_stop(opts["tab_right"], WD_TAB_ALIGNMENT.RIGHT)
    ppr = style.element.get_or_add_pPr()
    if opts.get("contextual"):
        # Spacing applies around the block, not between its lines (Word's contextualSpacing).
        insert_ppr_child(ppr, OxmlElement("w:contextualSpacing"))
    if opts.get("bottom_border"):
        # Consecutive paragraphs with the same border form one group: one rule under the block.
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, value in (("val", "single"), ("sz", "6"), ("space", "4"), ("color", "000000")):
            bottom.set(qn(f"w:{key}"), value)
        borders.append(bottom)
        insert_ppr_child(ppr, borders)
    # None = inherit, so bold/caps are only switched on where a style asks for them.
    style.font.bold = True if opts.get("bold") else None
    style.font.all_caps = True if opts.get("caps") else None


def set_doc_defaults(styles) -> None:
    """Document defaults: every style, table and run inherits font, size and language."""
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    fonts.attrib.clear()
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(int(BODY_SIZE.pt * 2)))
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "uk-UA")  # spelling and hyphenation in Ukrainian
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")


def adjust_builtin_styles(document) -> None:
    """Make pandoc's own styles look like an official Ukrainian letter."""
    styles = document.styles
    set_doc_defaults(styles)
    normal = styles["Normal"]
    set_fonts(normal, BODY_SIZE)
    set_paragraph(normal)
    for name in BODY_STYLES:
        set_paragraph(styles[name], justify=True, first_line=INDENT)
        set_fonts(styles[name])
    set_paragraph(styles["Compact"])  # tight list items: no indent, no spacing
    set_fonts(styles["Compact"])
    for level in range(1, 10):
        heading = styles[f"Heading {level}"]
        set_fonts(heading, BODY_SIZE)
        set_paragraph(heading, before=Pt(12), after=Pt(6), keep_next=True, bold=True)
        heading.font.italic = False
    by_name = {style.name.lower(): style for style in styles}
    for name in ("Title", "Subtitle", "Author", "Date", "Abstract", "Abstract Title"):
        if name.lower() in by_name:
            set_fonts(by_name[name.lower()], BODY_SIZE)
            set_paragraph(by_name[name.lower()], align="center", bold=(name == "Title"))
    for name in ("Footnote Text", "Caption", "Table Caption", "Image Caption"):
        if name.lower() in by_name:
            set_fonts(by_name[name.lower()], Pt(10) if name == "Footnote Text" else Pt(12))
            set_paragraph(by_name[name.lower()])


def add_custom_styles(document) -> None:
    """Create the paragraph styles the templates name with ``custom-style``."""
    styles = document.styles
    for name, opts in CUSTOM_STYLES.items():
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[opts.get("based_on", "Normal")]
        style.quick_style = True
        set_paragraph(style, **opts)
        set_fonts(style, opts.get("size", BODY_SIZE))


def add_page_number(paragraph) -> None:
    """Insert a PAGE field; Word and LibreOffice compute it when the page is laid out."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("end", None)):
        run = paragraph.add_run()
        run.font.size = Pt(12)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
            if kind == "separate":
                run.add_text("2")


def set_up_page(document) -> None:
    """A4 with ДСТУ 4163:2020 margins; page numbers in the header from page two."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(10)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    section.different_first_page_header_footer = True  # the first page is not numbered
    header = section.header
    header.is_linked_to_previous = False
    add_page_number(header.paragraphs[0])
    section.first_page_header.is_linked_to_previous = False


def write_samples(document) -> None:
    """Replace the body with one sample per custom style (pandoc ignores the body)."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    samples = {
        "Letterhead Name": "Найменування установи",
        "Letterhead Details": "адреса, телефон, e-mail, вебсайт, код ЄДРПОУ",
        "Registration": "12 березня 2026 р. № 123/2026",
        "Addressee": "Міністерство юстиції України",
        "Document Type": "Подання",
        "Subject": "Про усунення порушень прав людини",
        "Body Text": "Текст листа. Абзацний відступ 1,25 см, шрифт PT Serif 14 пт.",
        "Recommendation": "1. Текст рекомендації.",
        "Term": "Про результати розгляду прошу повідомити у місячний строк.",
        "Attachment": "Додаток: звіт на 5 арк. в 1 прим.",
        "Signature": "Посада\tВласне ім'я ПРІЗВИЩЕ",
        "Executor": "Власне ім'я ПРІЗВИЩЕ 044 000 00 00",
    }
    for style, text in samples.items():
        document.add_paragraph(text, style=style)


def patch_package(data: bytes) -> bytes:
    """Edit parts python-docx does not model: font table and theme fonts."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/fontTable.xml":
                text = content.decode("utf-8")
                text = text.replace(
                    f'<w:font w:name="{FONT}">',
                    f'<w:font w:name="{FONT}">\n    <w:altName w:val="{FONT_ALT}"/>',
                    1,
                )
                content = text.encode("utf-8")
            elif item.filename.startswith("word/theme/"):
                # Anything pandoc styles through the theme (e.g. tables) also gets the letter font.
                text = content.decode("utf-8")
                text = re.sub(
                    r'<a:latin typeface="[^"]*"[^/]*', f'<a:latin typeface="{FONT}" ', text
                )
                content = text.encode("utf-8")
            target.writestr(item, content)
    return out.getvalue()


def build(output: Path = DEFAULT_OUTPUT) -> Path:
    """Build the reference document and return its path."""
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "pandoc-reference.docx"
        pandoc_default_reference(base)
        document = docx.Document(str(base))
    adjust_builtin_styles(document)
    add_custom_styles(document)
    set_up_page(document)
    write_samples(document)
    document.core_properties.title = "Vidhuk letter reference"
    buffer = io.BytesIO()
    document.save(buffer)
    output.write_bytes(patch_package(buffer.getvalue()))
    return output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    print(build(args.output))


if __name__ == "__main__":
    main()
