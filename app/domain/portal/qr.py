"""The answer link as a QR code in letters sent by post, made at render time.

The code is generated in memory from the link (segno, pure Python) and placed in the outputs by
the renderer itself: inline SVG in the PDF's HTML (never a file or URL WeasyPrint would fetch)
and a PNG picture added to the DOCX with python-docx after pandoc. Nothing user-typed reaches
either, and pandoc never sees an image.
"""

import io

import segno

#: Printed size in the letter (the code stays readable from a photocopy).
SIZE_MM = 28


def _code(url):
    return segno.make(url, error="m")


def svg(url):
    """Inline SVG markup of the code, sized for print."""
    out = io.BytesIO()
    _code(url).save(
        out, kind="svg", scale=4, border=2, xmldecl=False, svgclass="portal-qr", unit="mm"
    )
    markup = out.getvalue().decode()
    return markup.replace("<svg ", f'<svg style="width:{SIZE_MM}mm;height:{SIZE_MM}mm" ', 1)


def png(url):
    out = io.BytesIO()
    _code(url).save(out, kind="png", scale=8, border=2)
    return out.getvalue()


def add_to_docx(data, marker, url):
    """The DOCX ``data`` with the code as a picture in a paragraph after the first paragraph
    containing ``marker`` (the short URL); unchanged when the marker is not found."""
    from docx import Document
    from docx.shared import Mm

    document = Document(io.BytesIO(data))
    for paragraph in document.paragraphs:
        if marker in paragraph.text:
            picture = paragraph.insert_paragraph_before("")
            # insert_paragraph_before puts it above; move the new paragraph below the marker.
            paragraph._p.addnext(picture._p)
            picture.add_run().add_picture(io.BytesIO(png(url)), width=Mm(SIZE_MM))
            break
    else:
        return data
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def insert_after(fragment, marker, markup):
    """The HTML ``fragment`` with ``markup`` in its own block after the paragraph containing the
    (HTML-escaped) ``marker``; unchanged when the marker is not found."""
    import html

    at = fragment.find(html.escape(marker))
    end = fragment.find("</p>", at) if at >= 0 else -1
    if end < 0:
        return fragment
    end += len("</p>")
    return f'{fragment[:end]}<div class="portal-qr">{markup}</div>{fragment[end:]}'
