"""Recording answers and assessing them: states, history, files, notifications, bad input."""

import hashlib
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from resp_support import SENT_ON, docx_bytes, image_bytes, pdf_bytes, png_bytes, zip_bytes

from app.core import storage
from app.core.clock import today
from app.core.errors import OperationError
from app.domain.acts.operations import fire as fire_act
from app.domain.notifications import Notification
from app.domain.responses import files as filetypes
from app.domain.responses import operations as ops
from app.domain.responses.models import Response, ResponseFile, ResponsePosition
from app.workflow import WrongState, get_engine


def answer(recs=(), kind="substantive", received_on=None, number="01-12/345", **kw):
    return {
        "received_on": received_on or today() - timedelta(days=2),
        "incoming_number": number,
        "kind": kind,
        "text": "Міністерство повідомляє про вжиті заходи.",
        "positions": [
            {"recommendation_id": rec.id, "position": position, "comment": comment}
            for rec, position, comment in recs
        ],
        **kw,
    }


def en(messages):
    """The messages as an English reader sees them."""
    with force_locale("en"):
        return " ".join(str(m) for m in messages)


def last(subject):
    return get_engine().history(subject)[-1]


def answer_files():
    """Every file stored for answers (the acts' own documents live elsewhere)."""
    return [p for p in (storage.root() / "responses").rglob("*") if p.is_file()]


def count(db, model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_substantive_answer_moves_the_act_and_its_recommendations(db, users, issued, sent_act):
    lawyer = users["lawyer"]
    data = answer([(issued[0], "implemented", "Гаряча вода є"), (issued[1], "in_progress", "")])
    files = [("лист.pdf", pdf_bytes()), ("додаток.docx", docx_bytes()), ("фото.png", png_bytes())]
    response = ops.record_response(sent_act, data, files, lawyer)
    db.session.commit()

    db.session.expire_all()
    assert sent_act.state == "responded"
    assert [r.state for r in issued] == ["responded"] * 3
    ref = f"01-12/345 {(today() - timedelta(days=2)).strftime('%d.%m.%Y')}"
    entry = last(sent_act)
    assert (entry.transition, entry.from_state, entry.to_state) == ("respond", "sent", "responded")
    assert entry.actor_id == lawyer.id and entry.params == {"response_id": response.id}
    assert all(part in entry.comment for part in ref.split())
    for rec in issued:
        rec_entry = last(rec)
        assert (rec_entry.transition, rec_entry.to_state) == ("respond", "responded")
        assert rec_entry.comment == entry.comment

    stored = db.session.get(Response, response.id)
    assert (stored.kind, stored.incoming_number, stored.recorded_by_id) == (
        "substantive",
        "01-12/345",
        lawyer.id,
    )
    assert [(p.recommendation_id, p.position, p.comment) for p in stored.positions] == [
        (issued[0].id, "implemented", "Гаряча вода є"),
        (issued[1].id, "in_progress", ""),
    ]
    kinds = [(f.filename, f.content_type) for f in stored.files]
    assert kinds == [
        ("лист.pdf", filetypes.PDF),
        ("додаток.docx", filetypes.DOCX),
        ("фото.png", filetypes.PNG),
    ]
    for f, (_name, content) in zip(stored.files, files, strict=True):
        assert storage.read(f.path) == content
        assert f.sha256 == hashlib.sha256(content).hexdigest() and f.size == len(content)


def test_the_executor_is_notified(db, users, sent_act):
    from app.mail.models import OutboxEmail

    users["lawyer"].notify_mode = "each"
    db.session.commit()
    ops.record_response(sent_act, answer(), [], users["lawyer"])
    db.session.commit()
    note = db.session.scalar(sa.select(Notification))
    assert note.user_id == sent_act.executor_id and note.kind == "response_received"
    assert note.link == f"/acts/{sent_act.id}"
    assert sent_act.outgoing_number in note.subject
    assert "01-12/345" in note.text and sent_act.authority.name in note.text
    email = db.session.scalar(sa.select(OutboxEmail))
    assert email.to_addrs == [users["lawyer"].email] and email.subject == note.subject


@pytest.mark.parametrize("kind", ["interim", "formal"])
def test_interim_and_formal_answers_enter_the_history_only(db, users, issued, sent_act, kind):
    ops.record_response(sent_act, answer(kind=kind, number="77"), [], users["lawyer"])
    db.session.commit()
    db.session.expire_all()
    assert sent_act.state == "sent"
    assert [r.state for r in issued] == ["sent_to_authority"] * 3
    entry = last(sent_act)
    assert (entry.transition, entry.from_state, entry.to_state) == (
        "note_interim_answer",
        "sent",
        "sent",
    )
    assert "77" in entry.comment
    other = {"interim": "formal", "formal": "interim"}[kind]
    assert ops.history_comment(db.session.scalar(sa.select(Response))) == entry.comment
    assert entry.comment != ops.history_comment(
        Response(kind=other, incoming_number="77", received_on=today())
    )
    # Each recommendation's own history shows the answer too, without a change of state.
    for rec in issued:
        noted = last(rec)
        assert (noted.transition, noted.from_state, noted.to_state) == (
            "note_interim_answer",
            "sent_to_authority",
            "sent_to_authority",
        )
        assert "77" in noted.comment

    ops.record_response(sent_act, answer(number="78"), [], users["lawyer"])
    db.session.commit()
    db.session.expire_all()
    assert sent_act.state == "responded" and {r.state for r in issued} == {"responded"}


def test_an_overdue_act_is_answered_late(db, users, issued, sent_act):
    from app.domain.recommendations.operations import fire as fire_rec

    fire_act(sent_act, "mark_overdue", None)
    fire_rec(issued[0], "mark_overdue", None)
    db.session.commit()
    ops.record_response(sent_act, answer(kind="interim"), [], users["lawyer"])
    db.session.commit()
    assert sent_act.state == "overdue" and last(sent_act).to_state == "overdue"
    ops.record_response(sent_act, answer(), [], users["lawyer"])
    db.session.commit()
    db.session.expire_all()
    assert sent_act.state == "responded"
    assert [r.state for r in issued] == ["responded"] * 3
    assert (last(issued[0]).from_state, last(issued[1]).from_state) == (
        "overdue",
        "sent_to_authority",
    )


def test_a_further_answer_to_an_answered_act_is_recorded_in_the_history(
    db, users, issued, sent_act
):
    ops.record_response(sent_act, answer(number="1"), [], users["lawyer"])
    db.session.commit()
    ops.record_response(
        sent_act, answer([(issued[2], "rejected", "Немає коштів")], number="2"), [], users["lawyer"]
    )
    db.session.commit()
    db.session.expire_all()
    entry = last(sent_act)
    assert (entry.transition, entry.from_state, entry.to_state) == (
        "note_interim_answer",
        "responded",
        "responded",
    )
    assert "2" in entry.comment
    # Not moved twice: the further letter is noted in each case's history, the state stays.
    assert [r.state for r in issued] == ["responded"] * 3
    assert [last(r).transition for r in issued] == ["note_interim_answer"] * 3
    assert count(db, Response) == 2


def test_assessing_together_is_all_or_nothing(db, users, issued, sent_act):
    from app.domain.recommendations.operations import fire as fire_rec

    ops.record_response(sent_act, answer(), [], users["lawyer"])
    db.session.commit()
    fire_rec(issued[2], "withdraw", users["lawyer"], {"comment": "Установу закрито"})
    db.session.commit()
    decisions = [(issued[0], "implemented", "Підтверджено"), (issued[2], "rejected", "")]
    with pytest.raises(WrongState):
        ops.assess(decisions, users["lawyer"])
    db.session.rollback()
    db.session.expire_all()
    assert issued[0].state == "responded"

    ops.assess(
        [(issued[0], "implemented", "Підтверджено"), (issued[1], "partially_implemented", "")],
        users["lawyer"],
    )
    db.session.commit()
    db.session.expire_all()
    assert (issued[0].state, issued[1].state) == ("implemented", "partially_implemented")
    entry = last(issued[0])
    assert (entry.transition, entry.comment) == ("assess_implemented", "Підтверджено")
    assert last(issued[1]).transition == "assess_partially_implemented"
    with pytest.raises(OperationError):
        ops.assess([(issued[1], "in_progress", "")], users["lawyer"])


@pytest.mark.parametrize("role", ["monitor", "admin"])
def test_only_lawyers_record_and_assess(db, users, issued, sent_act, role):
    with pytest.raises(ops.NotPermitted):
        ops.record_response(sent_act, answer(), [], users[role])
    with pytest.raises(ops.NotPermitted):
        ops.assess([(issued[0], "implemented", "")], users[role])
    db.session.rollback()
    assert count(db, Response) == 0 and sent_act.state == "sent"


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"received_on": SENT_ON - timedelta(days=1)}, "received_on", "before the act was sent"),
        ({"received_on": today() + timedelta(days=1)}, "received_on", "in the future"),
        ({"received_on": None}, "received_on", "required"),
        ({"incoming_number": "  "}, "incoming_number", "incoming number"),
        ({"kind": "final"}, "kind", "substantive, interim, formal"),
        (
            {"positions": [{"recommendation_id": 99999, "position": "implemented"}]},
            "positions",
            "№99999 is not in this act",
        ),
        (
            {"positions": [{"recommendation_id": "x", "position": "implemented"}]},
            "positions",
            "whole number",
        ),
        ({"positions": "all done"}, "positions", "list"),
        (
            {"positions": [{"recommendation_id": 1, "position": "implemented", "extra": 1}]},
            "positions",
            "object with",
        ),
    ],
)
def test_bad_values_are_refused_with_the_field(db, users, sent_act, data, field, message):
    with pytest.raises(OperationError) as caught:
        ops.record_response(sent_act, answer() | data, [("a.pdf", pdf_bytes())], users["lawyer"])
    db.session.rollback()
    assert caught.value.status == 422
    assert message in en(caught.value.fields[field])
    assert count(db, Response) == 0 and sent_act.state == "sent"
    assert not answer_files()


def test_positions_must_be_the_acts_and_once_each(db, users, make_rec, issued, sent_act):
    other = make_rec("Інша рекомендація")
    twice = [(issued[0], "implemented", ""), (issued[0], "rejected", "")]
    for positions, message in [
        ([(other, "implemented", "")], f"№{other.id} is not in this act"),
        (twice, "more than one position"),
        ([(issued[1], "done", "")], "the position must be one of"),
    ]:
        with pytest.raises(OperationError) as caught:
            ops.record_response(sent_act, answer(positions), [], users["lawyer"])
        db.session.rollback()
        assert message in en(caught.value.fields["positions"])
    assert count(db, ResponsePosition) == 0


def test_a_file_over_the_limit_is_413_and_nothing_is_kept(app, db, users, sent_act, monkeypatch):
    monkeypatch.setitem(app.config, "RESPONSE_FILE_MAX_BYTES", 2000)
    big = pdf_bytes() + b"%" + b"0" * 2000
    with pytest.raises(ops.FileTooLarge) as caught:
        ops.record_response(
            sent_act, answer(), [("small.png", png_bytes()), ("big.pdf", big)], users["lawyer"]
        )
    db.session.rollback()
    assert caught.value.status == 413 and "“big.pdf” is larger than" in en([caught.value.message])
    assert count(db, Response) == 0 and not answer_files()


@pytest.mark.parametrize(
    "name, content",
    [
        ("лист.pdf", "Це не PDF, а текст.".encode()),
        ("script.docx", zip_bytes(["xl/workbook.xml", "[Content_Types].xml"])),  # a spreadsheet
        ("page.png", b"<html><script>alert(1)</script></html>"),
        ("empty.pdf", b""),
    ],
)
def test_a_file_is_judged_by_its_content_not_its_name(db, users, sent_act, name, content):
    with pytest.raises(OperationError) as caught:
        ops.record_response(
            sent_act, answer(), [("ok.pdf", pdf_bytes()), (name, content)], users["lawyer"]
        )
    db.session.rollback()
    assert f"“{name}” is not a PDF" in en(caught.value.fields["files"])
    assert count(db, ResponseFile) == 0 and not answer_files()


def test_a_real_file_under_a_wrong_name_gets_its_real_extension(db, users, sent_act):
    response = ops.record_response(
        sent_act,
        answer(),
        [("scan.exe", pdf_bytes()), ("C:\\Docs\\photo", png_bytes())],
        users["lawyer"],
    )
    db.session.commit()
    assert [(f.filename, f.content_type) for f in response.files] == [
        ("scan.exe.pdf", filetypes.PDF),
        ("photo.png", filetypes.PNG),
    ]


def test_a_rolled_back_answer_leaves_no_file(db, users, sent_act):
    response = ops.record_response(sent_act, answer(), [("a.pdf", pdf_bytes())], users["lawyer"])
    path = storage.absolute(response.files[0].path)
    assert path.exists()
    db.session.rollback()
    assert not path.exists() and count(db, Response) == 0


def test_acts_not_sent_or_finished_are_409(db, users, make_act, make_rec, send_act):
    from app.domain.recommendations.operations import fire as fire_rec

    draft = make_act()
    recs = [make_rec("Друга"), make_rec("Третя")]
    for rec in recs:
        fire_rec(rec, "issue", users["lawyer"])
    db.session.commit()
    cancelled = make_act(recs=recs[:1])
    fire_act(cancelled, "cancel", users["lawyer"], {"comment": "Помилка"})
    closed = send_act(make_act(recs=recs[1:]))
    fire_act(closed, "close", users["lawyer"], {"comment": "Відповідь оцінено"})
    db.session.commit()
    for act in (draft, cancelled, closed):
        with pytest.raises(ops.ActNotOpen) as caught:
            ops.record_response(act, answer(), [], users["lawyer"])
        db.session.rollback()
        assert caught.value.status == 409
    assert count(db, Response) == 0


def test_sniffing_knows_the_accepted_types():
    assert filetypes.sniff(pdf_bytes()) == filetypes.PDF
    assert filetypes.sniff(docx_bytes()) == filetypes.DOCX
    assert filetypes.sniff(png_bytes()) == filetypes.PNG
    assert filetypes.sniff(image_bytes("JPEG")) == filetypes.JPEG
    assert filetypes.sniff(image_bytes("TIFF")) == filetypes.TIFF
    assert filetypes.sniff(image_bytes("GIF")) is None
    assert filetypes.sniff(zip_bytes(["word/document.xml"])) is None  # no [Content_Types].xml
    assert filetypes.sniff(b"PK\x03\x04 not really a zip") is None
    assert filetypes.sniff(b"") is None


def test_display_names():
    name = filetypes.display_name
    assert name("../../etc/Відповідь МЮ.PDF", filetypes.PDF) == "Відповідь МЮ.PDF"
    assert name("скан.jpeg", filetypes.JPEG) == "скан.jpeg"
    assert name("скан.png", filetypes.JPEG) == "скан.png.jpg"
    assert name("bad\x00name\n.docx", filetypes.DOCX) == "badname.docx"
    assert name("", filetypes.TIFF) == "file.tif"
    long = name("я" * 300 + ".pdf", filetypes.PDF)
    assert len(long) == filetypes.MAX_NAME and long.endswith("я.pdf")
