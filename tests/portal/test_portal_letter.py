"""A letter sent by post prints the answer link: its short URL and a QR code of the link."""

import io

from pypdf import PdfReader

from app.core import storage
from app.domain.portal import links, qr


def final(act, fmt):
    (doc,) = [d for d in act.documents if d.is_final and d.format == fmt]
    with open(storage.absolute(doc.path), "rb") as fh:
        return fh.read()


def test_the_posted_letter_carries_the_link_and_its_qr_code(app, db, sent_act, token):
    short = f"{app.config['PUBLIC_BASE_URL']}/r/{token}"
    pdf = PdfReader(io.BytesIO(final(sent_act, "pdf")))
    text = "".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    # A long URL may wrap at the end of a line: compare without whitespace.
    assert "за особистим посиланням" in text and short in "".join(text.split())

    from docx import Document

    document = Document(io.BytesIO(final(sent_act, "docx")))
    paragraphs = [p.text for p in document.paragraphs]
    at = next(i for i, t in enumerate(paragraphs) if short in t)
    assert len(document.inline_shapes) == 1
    # The picture is the QR code of the full link, right after the paragraph with the short URL.
    blip = document.paragraphs[at + 1]._p.xpath(".//a:blip/@r:embed")
    assert blip, "the picture follows the short URL"
    image = document.part.related_parts[blip[0]].blob
    assert image == qr.png(links.url_of(token))


def test_an_emailed_act_has_no_qr_in_its_letter(db, users, make_act, run_jobs):
    from app.core.clock import today
    from app.domain.acts.operations import fire

    act = make_act()
    fire(act, "generate", users["lawyer"])
    db.session.commit()
    run_jobs()
    fire(act, "send", users["lawyer"], {"channel": "email", "sent_on": today()})
    db.session.commit()
    run_jobs()  # the letters job makes the registered documents
    db.session.refresh(act)
    from docx import Document

    assert len(Document(io.BytesIO(final(act, "docx"))).inline_shapes) == 0
    assert links.open_link(act) is not None  # the e-mail carries the link instead


def test_the_qr_svg_goes_after_its_paragraph():
    fragment = "<p>a</p><p>Посилання: http://x/r/abc</p><p>b</p>"
    out = qr.insert_after(fragment, "http://x/r/abc", "<svg/>")
    assert (
        out == '<p>a</p><p>Посилання: http://x/r/abc</p><div class="portal-qr"><svg/></div><p>b</p>'
    )
    assert qr.insert_after(fragment, "missing", "<svg/>") == fragment
