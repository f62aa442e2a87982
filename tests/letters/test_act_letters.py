"""The letters of every act kind as the law words them, read back from the generated DOCX and
PDF: citations, terms from the same settings as the clock, the addressee block, the visit
dates, the attachment note, the executor; and the layout (page numbers from page two at the top
centre, the signature never alone on a page, one typeface)."""

import io
from datetime import date

import docx
import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from app.core import clock, storage
from app.domain.acts.models import Act
from app.domain.acts.operations import fire
from app.domain.deadlines.sweep import sweep

LAW = "Закону України «Про Уповноваженого Верховної Ради України з прав людини»"
SUBMISSION_BASIS = (
    f"Відповідно до частини третьої статті 15 та статті 19-1 {LAW} вношу подання для вжиття у "
    "місячний строк відповідних заходів щодо усунення виявлених під час моніторингового візиту "
    "Національного превентивного механізму порушень прав і свобод людини і громадянина, а також "
    "причин і умов, що їм сприяли, а саме:"
)
KUPAP = "статтею 188-40 Кодексу України про адміністративні правопорушення"


def plain(text):
    text = text.replace("\u202f", " ").replace("\xa0", " ")
    return " ".join(text.split())


def docx_text(data):
    return plain("\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs))


def pdf_text(data):
    return plain("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def documents(act, final=True):
    docs = {d.format: d for d in act.documents if d.is_final or not final}
    return storage.read(docs["docx"].path), storage.read(docs["pdf"].path)


def texts(act, final=True):
    data_docx, data_pdf = documents(act, final)
    return {"docx": docx_text(data_docx), "pdf": pdf_text(data_pdf)}


def generate(db, users, act, run_jobs):
    fire(act, "generate", users["lawyer"])
    db.session.commit()
    run_jobs()
    db.session.refresh(act)
    assert act.documents_status == "ready", act.documents_error
    return act


def send(db, users, act, sent_on, run_jobs, channel="post"):
    """Register and send the act on ``sent_on`` (the register's day then), and let the letters
    job make its final, registered documents."""
    with clock.pinned(sent_on):
        fire(
            act,
            "send",
            users["lawyer"],
            {"channel": channel, "sent_on": sent_on, "received_on": sent_on},
        )
        db.session.commit()
    run_jobs()
    db.session.refresh(act)
    assert act.documents_status == "ready", act.documents_error
    return act


@pytest.fixture
def lawyer(db, users):
    users["lawyer"].name = "Ірина Коваль"
    users["lawyer"].phone = "(044) 299-74-08"
    db.session.commit()
    return users["lawyer"]


@pytest.fixture
def chain(db, users, registry, make_act, run_jobs, lawyer):
    """A submission, the reminder drafted when it went unanswered, and the letter to the
    supervising ministry drafted when the reminder did too — all generated and sent."""
    submission = send(
        db, users, generate(db, users, make_act(), run_jobs), date(2026, 1, 30), run_jobs
    )
    sweep(date(2026, 3, 3))
    reminder = db.session.scalar(sa.select(Act).where(Act.previous_act_id == submission.id))
    reminder = send(db, users, generate(db, users, reminder, run_jobs), date(2026, 3, 4), run_jobs)
    sweep(date(2026, 3, 17))
    escalation = db.session.scalar(sa.select(Act).where(Act.previous_act_id == reminder.id))
    escalation = send(
        db, users, generate(db, users, escalation, run_jobs), date(2026, 3, 18), run_jobs
    )
    return {"submission": submission, "reminder": reminder, "escalation": escalation}


def common(text, act, lawyer):
    """What every letter carries: the executor as «Ім'я ПРІЗВИЩЕ», the visit dates, the
    number, the signatory."""
    assert "Ірина КОВАЛЬ" in text and "Ірина Коваль" not in text
    assert "10–11 березня 2026 р." in text
    assert act.outgoing_number in text
    assert "Олена ПРИКЛАДНА" in text


def test_submission(chain, lawyer):
    act = chain["submission"]
    for fmt, text in texts(act).items():
        assert SUBMISSION_BASIS in text, fmt
        assert "пункту 1 статті 15" not in text
        assert (
            "Про результати розгляду подання та вжиті заходи прошу повідомити у місячний "
            "строк з дня його одержання." in text
        )
        assert "за результатами моніторингового візиту" in act.heading
        assert KUPAP not in text
        common(text, act, lawyer)
    assert "ПОДАННЯ" in texts(act)["pdf"]


def test_request(db, users, make_act, run_jobs, lawyer):
    act = make_act(kind="request")
    act = send(db, users, generate(db, users, act, run_jobs), date(2026, 4, 1), run_jobs)
    for fmt, text in texts(act).items():
        assert (
            f"Відповідно до частини шостої статті 19-1 та пункту 2 частини першої статті 22 {LAW} "
            "прошу поінформувати про стан виконання рекомендацій, внесених за результатами "
            "моніторингового візиту Національного превентивного механізму, а саме:"
        ) in text, fmt
        # The term is the Commissioner's (15 days in workflows/act.yaml), not the law's.
        assert (
            "Інформацію прошу надати у п’ятнадцятиденний строк з дня одержання цього "
            "запиту." in text
        )
        assert "наданих" not in text and "статті 15" not in text
        common(text, act, lawyer)


def test_initiative_letter(db, users, make_act, run_jobs, lawyer):
    act = send(
        db,
        users,
        generate(db, users, make_act(kind="initiative_letter"), run_jobs),
        date(2026, 4, 1),
        run_jobs,
    )
    assert act.heading.startswith("Про ")
    for fmt, text in texts(act).items():
        assert (
            f"Відповідно до статті 19-1 та пункту 3 частини першої статті 22 {LAW} вношу "
            "пропозиції" in text
        ), fmt
        assert (
            text.count("у місячний строк з дня їх одержання надати вмотивовану письмову відповідь")
            == 1
        )
        assert act.heading in text
        common(text, act, lawyer)


def test_reminder(chain, lawyer):
    act, submission = chain["reminder"], chain["submission"]
    for fmt, text in texts(act).items():
        assert "не пізніше десяти днів з дня одержання цього листа" in text, fmt
        # The basis of the act it reminds of (a submission), and the warning.
        assert f"Відповідно до частини третьої статті 15 та статті 19-1 {LAW} прошу " in text
        assert KUPAP in text
        assert f"листом від 30 січня 2026 р. № {submission.outgoing_number} (подання)" in text
        common(text, act, lawyer)


def test_escalation_to_the_supervising_authority(chain, lawyer, registry):
    act, submission, reminder = chain["escalation"], chain["submission"], chain["reminder"]
    assert act.authority_id == registry["ministry"].id
    data_docx, _ = documents(act)
    addressee = [
        p.text
        for p in docx.Document(io.BytesIO(data_docx)).paragraphs
        if p.style.name == "Addressee"
    ]
    # One dative block: the head's position with the organisation, then the name.
    assert addressee == ["Міністрові юстиції України", "Олександрові КОВАЛЕНКУ"]
    for fmt, text in texts(act).items():
        assert "Міністерство юстиції України" not in text, fmt
        assert (
            "інформую, що підпорядкований Вам орган — Державна кримінально-виконавча служба "
            "України — не надав відповіді на такі акти реагування"
        ) in text
        assert f"подання від 30 січня 2026 р. № {submission.outgoing_number}" in text
        assert f"нагадування від 4 березня 2026 р. № {reminder.outgoing_number}" in text
        assert "строк відповіді сплив 2 березня 2026 р." in text
        assert "строк відповіді сплив 16 березня 2026 р." in text
        assert KUPAP in text
        assert (
            "у місячний строк з дня одержання цього листа надати вмотивовану письмову "
            "відповідь" in text
        )
        common(text, act, lawyer)


def test_addressee_without_a_head_is_the_organisation(chain):
    data_docx, _ = documents(chain["submission"])
    addressee = [
        p.text
        for p in docx.Document(io.BytesIO(data_docx)).paragraphs
        if p.style.name == "Addressee"
    ]
    assert addressee == ["Державна кримінально-виконавча служба України"]


def test_several_visits_and_the_attachment_note(
    db, users, registry, make_rec, make_act, run_jobs, lawyer, api_for
):
    from app.domain.recommendations.operations import fire as fire_rec
    from app.domain.visits.models import Visit

    second = Visit(
        facility=registry["facility"],
        started_on=date(2026, 2, 27),
        ended_on=date(2026, 3, 2),
        kind="follow_up",
        monitors=[users["monitor"]],
    )
    db.session.add(second)
    db.session.commit()
    recs = [make_rec("Забезпечити освітлення камер"), make_rec("Ремонт даху", visit=second)]
    for rec in recs:
        fire_rec(rec, "issue", users["lawyer"])
    db.session.commit()
    act = make_act(recs=recs)
    assert "моніторингових візитів" in act.heading
    api = api_for(users["lawyer"])
    report = _pdf_pages(3)
    response = api.post(
        f"/acts/{act.id}/attachments",
        data={"title": "звіт за результатами візиту", "file": (io.BytesIO(report), "звіт.pdf")},
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["sheets"] == 3
    photo = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    response = api.post(
        f"/acts/{act.id}/attachments",
        data={"title": "фото", "sheets": "2", "file": (io.BytesIO(photo), "photo.exe")},
    )
    assert response.status_code == 201 and response.get_json()["filename"] == "photo.exe.png"
    bad = api.post(
        f"/acts/{act.id}/attachments",
        data={"title": "x", "file": (io.BytesIO(b"MZ\x90\x00"), "a.pdf")},
    )
    assert bad.status_code == 422 and "file" in bad.get_json()["error"]["fields"]
    listed = api.get(f"/acts/{act.id}/attachments").get_json()
    assert [a["title"] for a in listed] == ["звіт за результатами візиту", "фото"]
    content = api.get(f"/act-attachments/{listed[0]['id']}/content")
    assert content.data == report
    content.close()
    act = send(db, users, generate(db, users, act, run_jobs), date(2026, 4, 1), run_jobs)
    for fmt, text in texts(act).items():
        assert "моніторингових візитів" in text, fmt
        assert "27 лютого – 2 березня 2026 р." in text
        assert "1. звіт за результатами візиту на 3 арк. в 1 прим." in text
        assert "2. фото на 2 арк. в 1 прим." in text and "Додатки:" in text
    assert (
        api.post(
            f"/acts/{act.id}/attachments",
            data={"title": "x", "file": (io.BytesIO(report), "r.pdf")},
        ).status_code
        == 409
    )


def _pdf_pages(n):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(n):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_email_names_the_commissioner_in_the_genitive(
    app, db, users, make_act, run_jobs, smtp_server
):
    smtp_server.start()
    act = generate(db, users, make_act(), run_jobs)
    fire(act, "send", users["lawyer"], {"channel": "email", "sent_on": clock.today()})
    db.session.commit()
    run_jobs()
    body = smtp_server.messages[0].message.get_body(("plain",)).get_content()
    assert "Надсилаємо подання Уповноваженого Верховної Ради України з прав людини від" in body
    assert "подання Уповноважений" not in body


# --- layout ----------------------------------------------------------------------------------


def _fragments(page):
    """(text, x, y) of each text run on a PDF page, in points from the bottom left."""
    found = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            found.append((text.strip(), x, y))

    page.extract_text(visitor_text=visit)
    return found


def test_layout_page_numbers_and_the_signature_block(app, db, users, make_act, run_jobs, lawyer):
    """Letters of growing length: page 1 never numbered, later pages numbered at the top centre;
    the signature always shares its page with the text before it (checked for every length, so
    some lengths put the page break right before the signature)."""
    from app.domain.acts import letters
    from app.letters import render

    act = generate(db, users, make_act(), run_jobs)
    base = letters.context(act)
    rec = base["recommendations"][0]
    templates = app.config["LETTER_TEMPLATES_DIR"]
    pages_seen = set()
    for count in range(1, 14):
        letter = {
            **base,
            "recommendations": [
                {**rec, "number": n, "text": "Забезпечити належні умови тримання. " * (3 + n % 4)}
                for n in range(1, count + 1)
            ],
        }
        markdown = render.render_markdown("submission.md.j2", {"letter": letter}, templates)
        pdf = PdfReader(
            io.BytesIO(
                render.render_pdf(
                    markdown, f"{templates}/letter.css", {**letter["issuer"], "title": "t"}
                )
            )
        )
        pages_seen.add(len(pdf.pages))
        for number, page in enumerate(pdf.pages, start=1):
            height, width = float(page.mediabox.height), float(page.mediabox.width)
            top = [(t, x) for t, x, y in _fragments(page) if y > height - 20 / 25.4 * 72]
            digits = [(t, x) for t, x in top if t.isdigit()]
            if number == 1:
                assert digits == [], count
            else:
                assert [t for t, _ in digits] == [str(number)], (count, number, top)
                x = digits[0][1]
                # Centred over the text area (30 mm left, 10 mm right margins).
                centre = (30 + (210 - 40) / 2) / 25.4 * 72
                assert abs(x - centre) < 15 * 72 / 25.4, (count, x, centre, width)
        signed = [p for p in pdf.pages if "ПРИКЛАДНА" in p.extract_text()]
        assert len(signed) == 1
        text = plain(signed[0].extract_text())
        # Not alone: the term sentence ends on the signature's page.
        assert "з дня його одержання." in text, count
    assert max(pages_seen) >= 2 and min(pages_seen) == 1


def test_docx_layout_and_typeface(chain):
    data_docx, data_pdf = documents(chain["submission"])
    document = docx.Document(io.BytesIO(data_docx))
    section = document.sections[0]
    assert section.different_first_page_header_footer
    first = section.first_page_header._element.xml
    header = section.header._element.xml
    assert "PAGE" not in first
    assert "PAGE" in header and 'w:jc w:val="center"' in header
    styles = {p.style.name: p.style for p in document.paragraphs}
    term = [p for p in document.paragraphs if p.style.name == "Term"]
    assert term and term[0].style.paragraph_format.keep_with_next
    assert styles["Signature"].paragraph_format.keep_together
    order = [p.style.name for p in document.paragraphs]
    assert order.index("Term") < order.index("Signature")
    body_font = document.styles["Normal"].font.name
    assert body_font == "PT Serif"
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in PdfReader(io.BytesIO(data_pdf)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("PT-Serif" in f for f in fonts), fonts


def test_escalation_is_drafted_only_to_a_supervisor_and_cites_its_own_basis(chain):
    text = texts(chain["escalation"])["docx"]
    assert f"Відповідно до статті 19-1 та пунктів 2 і 3 частини першої статті 22 {LAW}" in text
