"""Acts of response: drafting, generation by a real RQ worker, real DOCX/PDF, sending, numbers."""

import io
from datetime import date

import pytest
import sqlalchemy as sa
from docx import Document as DocxDocument
from pypdf import PdfReader

from app.core import clock, storage
from app.core.errors import OperationError
from app.domain.acts.models import Act, Document
from app.domain.acts.operations import create_act, fire


def docx_text(data):
    doc = DocxDocument(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for section in doc.sections:
        parts += [p.text for p in section.header.paragraphs] + [
            p.text for p in section.footer.paragraphs
        ]
    return "\n".join(parts)


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def squash(text):
    return " ".join(text.split())


def generate(db, act, users, run_jobs):
    fire(act, "generate", users["lawyer"])
    db.session.commit()
    assert act.documents_status == "pending"
    run_jobs()
    db.session.refresh(act)
    return act


def send(db, act, users, channel="post", sent_on=None, received_on=None, run_jobs=None):
    """Send on ``sent_on`` as the register saw that day; with ``run_jobs``, the registered
    documents are made too (by default the register's day, Kyiv's, not the machine's)."""
    sent_on = sent_on or clock.today()
    with clock.pinned(sent_on):
        fire(
            act,
            "send",
            users["lawyer"],
            {"channel": channel, "sent_on": sent_on, "received_on": received_on},
        )
        db.session.commit()
    if run_jobs is not None:
        run_jobs()
        db.session.refresh(act)
    return act


def test_generated_documents_carry_every_requisite(
    app, db, users, registry, issued, make_act, run_jobs
):
    act = generate(db, make_act(), users, run_jobs)
    assert act.documents_status == "ready", act.documents_error
    docs = {d.format: d for d in act.documents}
    assert set(docs) == {"docx", "pdf"}
    for d in docs.values():
        data = storage.read(d.path)
        import hashlib

        assert hashlib.sha256(data).hexdigest() == d.sha256 and len(data) == d.size
    send(db, act, users, channel="post", run_jobs=run_jobs)
    final = {d.format: d for d in act.documents if d.is_final}
    docx = squash(docx_text(storage.read(final["docx"].path)))
    pdf = squash(pdf_text(storage.read(final["pdf"].path)))
    for text in (docx, pdf):
        assert "Державна кримінально-виконавча служба України" in text
        assert act.outgoing_number in text and act.outgoing_number == f"1/{clock.today().year}"
        assert str(clock.today().year) in text
        assert "частини третьої статті 15 та статті 19-1 Закону України" in text
        for rec in issued:
            assert squash(rec.text) in text, rec.text
        assert "Олена ПРИКЛАДНА" in text
        assert users["lawyer"].name in text
    from app.core.i18n import long_date

    assert long_date(clock.today()) in pdf


def test_generation_again_makes_a_new_version_and_keeps_the_old(db, users, make_act, run_jobs):
    act = generate(db, make_act(), users, run_jobs)
    act = generate(db, act, users, run_jobs)
    versions = sorted((d.format, d.version) for d in act.documents)
    assert versions == [("docx", 1), ("docx", 2), ("pdf", 1), ("pdf", 2)]
    assert all(storage.absolute(d.path).exists() for d in act.documents)


def test_a_job_run_twice_makes_no_duplicate_documents(app, db, users, make_act, run_jobs):
    from app.domain.acts.documents import generate as job

    act = make_act()
    fire(act, "generate", users["lawyer"])
    db.session.commit()
    run_jobs()
    with app.app_context():
        assert job(act.id) == "nothing to do"
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Document)) == 2


def test_template_error_fails_the_job_visibly_and_leaves_no_file(
    app, db, users, make_act, run_jobs, tmp_path
):
    bad = tmp_path / "templates"
    import shutil

    shutil.copytree(app.config["LETTER_TEMPLATES_DIR"], bad)
    (bad / "submission.md.j2").write_text("{{ letter.no_such_thing }}\n", encoding="utf-8")
    saved = app.config["LETTER_TEMPLATES_DIR"]
    app.config["LETTER_TEMPLATES_DIR"] = str(bad)
    try:
        act = generate(db, make_act(), users, run_jobs)
    finally:
        app.config["LETTER_TEMPLATES_DIR"] = saved
    assert act.documents_status == "failed"
    assert "no_such_thing" in act.documents_error and "line 1" in act.documents_error
    assert act.documents == []
    assert not any(storage.root().rglob("*.pdf"))
    # Fixed: generating again works.
    act = generate(db, act, users, run_jobs)
    assert act.documents_status == "ready"


def test_no_recommendations_or_another_authoritys_are_refused(
    db, users, registry, issued, make_rec
):
    from app.domain.authorities.models import Authority
    from app.domain.recommendations.operations import fire as fire_rec

    with pytest.raises(OperationError) as no_recs:
        create_act("submission", registry["agency"].id, [], users["lawyer"])
    assert "recommendation_ids" in no_recs.value.fields
    other = Authority(name="Інший орган", kind="agency")
    db.session.add(other)
    db.session.commit()
    foreign = make_rec("Чужа", authority_id=other.id)
    fire_rec(foreign, "issue", users["lawyer"])
    db.session.commit()
    with pytest.raises(OperationError) as wrong:
        create_act("submission", registry["agency"].id, [issued[0].id, foreign.id], users["lawyer"])
    assert "іншому органу" in str(
        wrong.value.fields["recommendation_ids"][0]
    ) or "another authority" in str(wrong.value.fields["recommendation_ids"][0])
    draft = make_rec("Чернетка")
    with pytest.raises(OperationError):
        create_act("submission", registry["agency"].id, [draft.id], users["lawyer"])
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Act)) == 0


def test_sending_needs_ready_documents_and_an_email_for_email(
    db, users, registry, make_act, run_jobs
):
    from app.workflow import GuardRefused

    act = make_act()
    with pytest.raises(GuardRefused):
        fire(act, "send", users["lawyer"], {"channel": "post", "sent_on": clock.today()})
    db.session.rollback()
    act = generate(db, act, users, run_jobs)
    registry["agency"].email = None
    db.session.commit()
    with pytest.raises(GuardRefused, match="post|поштою"):
        fire(act, "send", users["lawyer"], {"channel": "email", "sent_on": clock.today()})
    db.session.rollback()
    send(db, act, users, channel="post")
    assert act.state == "sent" and act.channel == "post"


def test_sending_numbers_freezes_and_sends_the_recommendations(db, users, make_act, run_jobs):
    act = generate(db, make_act(), users, run_jobs)
    send(db, act, users, channel="post", sent_on=date(2026, 1, 30), run_jobs=run_jobs)
    assert act.outgoing_number == "1/2026" and act.state == "sent"
    assert act.registered_on == date(2026, 1, 30) and act.documents_status == "ready"
    # Post, no receipt date: 30 Jan + 5 days delivery = 4 Feb; + 1 month = 4 Mar 2026 (Wednesday).
    assert act.due_on == date(2026, 3, 4)
    for rec in act.recommendations:
        assert rec.state == "sent_to_authority" and rec.due_on == act.due_on
    finals = [d for d in act.documents if d.is_final]
    assert {d.format for d in finals} == {"docx", "pdf"}
    # Frozen: no more generation, no edit.
    from app.workflow import WrongState

    with pytest.raises(WrongState):
        fire(act, "generate", users["lawyer"])
    db.session.rollback()


def test_receipt_date_moves_the_term(db, users, make_act, run_jobs):
    from app.domain.deadlines.operations import change_receipt

    act = generate(db, make_act(kind="request"), users, run_jobs)
    send(db, act, users, channel="post", sent_on=date(2026, 4, 1))
    with clock.pinned(date(2026, 4, 3)):
        change_receipt(act, date(2026, 4, 3), users["lawyer"])
        db.session.commit()
    # Request: 15 days from receipt on 3 Apr → 18 Apr 2026, a Saturday → Monday 20 Apr.
    assert act.due_on == date(2026, 4, 20)


def test_bad_sending_dates_are_refused(db, users, make_act, run_jobs):
    from app.workflow import InvalidParams

    act = generate(db, make_act(), users, run_jobs)
    with pytest.raises(InvalidParams) as err:
        fire(
            act,
            "send",
            users["lawyer"],
            {"channel": "post", "sent_on": date(2026, 5, 10), "received_on": date(2026, 5, 1)},
        )
    assert "received_on" in err.value.fields
    db.session.rollback()
    db.session.refresh(act)
    assert act.state == "draft" and act.outgoing_number is None
    assert not [d for d in act.documents if d.is_final]


def test_numbers_are_consecutive_within_a_year(db, users, registry, make_act, make_rec, run_jobs):
    from app.domain.recommendations.operations import fire as fire_rec

    numbers = []
    for i in range(3):
        rec = make_rec(f"Рекомендація {i}")
        fire_rec(rec, "issue", users["lawyer"])
        db.session.commit()
        act = generate(db, make_act(recs=[rec]), users, run_jobs)
        send(db, act, users, sent_on=date(2026, 2, 1 + i))
        numbers.append(act.outgoing_number)
    assert numbers == ["1/2026", "2/2026", "3/2026"]


def test_a_crashed_generation_job_is_retried(app, db, users, make_act):
    """The generation job is enqueued with retries: a killed worker or a lost connection retries it."""
    from app.core.jobs import get_queue

    act = make_act()
    fire(act, "generate", users["lawyer"])
    db.session.commit()
    (job,) = get_queue("letters").get_jobs()
    assert job.retries_left == 2 and job.func_name == "app.domain.acts.dispatch.run_documents"
    assert job.args == (act.id, act.documents_token)
