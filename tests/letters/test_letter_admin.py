"""Administrators edit the letter templates, signatory and letterhead: versions in the database
over the files, a preview, a template error refuses the save, the sandbox holds."""

import io
import json

import docx
import sqlalchemy as sa

from app.core import storage
from app.core.clock import today as kyiv_today
from app.domain.acts.models import LetterTemplateVersion
from app.domain.acts.operations import fire


def _docx_text(act):
    final = next(d for d in act.documents if d.format == "docx")
    paragraphs = docx.Document(io.BytesIO(storage.read(final.path))).paragraphs
    return " ".join(p.text for p in paragraphs).replace("\xa0", " ")


def test_an_edited_template_makes_the_next_letters(db, users, client_for, make_act, run_jobs):
    admin = client_for(users["admin"])
    page = admin.get("/admin/letters").get_data(as_text=True)
    assert "submission.md.j2" in page and "settings" in page
    original = admin.get("/admin/letters/request.md.j2").get_data(as_text=True)
    assert "прошу поінформувати" in original and 'id="template-preview"' in original
    from app.domain.acts.letter_admin import default_text

    body = default_text("request.md.j2").replace(
        "прошу поінформувати", "прошу невідкладно поінформувати"
    )
    preview = admin.post("/admin/letters/request.md.j2", data={"body": body, "action": "preview"})
    assert preview.status_code == 200 and "невідкладно" in preview.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LetterTemplateVersion)) == 0
    saved = admin.post(
        "/admin/letters/request.md.j2", data={"body": body, "action": "save", "comment": "наголос"}
    )
    assert saved.status_code == 302
    act = make_act(kind="request")
    fire(act, "generate", users["lawyer"])
    db.session.commit()
    run_jobs()
    db.session.refresh(act)
    assert act.documents_status == "ready", act.documents_error
    assert "прошу невідкладно поінформувати" in _docx_text(act)
    page = admin.get("/admin/letters/request.md.j2").get_data(as_text=True)
    assert "версія 1" in page and "наголос" in page
    # Restoring the default is a new version with the file's text.
    admin.post("/admin/letters/request.md.j2", data={"restore": "1", "action": "save"})
    versions = db.session.scalars(
        sa.select(LetterTemplateVersion).order_by(LetterTemplateVersion.version)
    ).all()
    assert [v.version for v in versions] == [1, 2]
    assert versions[-1].body == default_text("request.md.j2")


def test_a_template_error_refuses_the_save(db, users, client_for):
    admin = client_for(users["admin"])
    for body, message in (
        ("{% if %}", "syntax error"),
        ("{{ letter.no_such_field }}", "no_such_field"),
        # The sandbox: no way from a template to Python's internals.
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "__class__"),
        ("{{ letter.heading.format.__globals__ }}", "format"),
    ):
        response = admin.post(
            "/admin/letters/submission.md.j2", data={"body": body, "action": "save"}
        )
        html = response.get_data(as_text=True)
        assert response.status_code == 422, body
        assert 'id="template-error"' in html and "У шаблоні помилка" in html, body
        assert message in html, (body, html[html.find("template-error") :][:300])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LetterTemplateVersion)) == 0
    assert client_for(users["lawyer"]).get("/admin/letters").status_code == 403


def test_signatory_and_letterhead_settings(db, users, client_for, make_act, run_jobs):
    admin = client_for(users["admin"])
    bad = admin.post("/admin/letters/settings", data={"body": '{"colour": "red"}'})
    assert bad.status_code == 422
    settings = {"signatory_name": "Дмитро ЛУБІНЕЦЬ", "issuer_address": "вул. Нова, 1, м. Київ"}
    saved = admin.post(
        "/admin/letters/settings", data={"body": json.dumps(settings, ensure_ascii=False)}
    )
    assert saved.status_code == 302
    act = make_act()
    assert act.signatory_name == "Дмитро ЛУБІНЕЦЬ"
    fire(act, "generate", users["lawyer"])
    db.session.commit()
    run_jobs()
    db.session.refresh(act)
    text = _docx_text(act)
    assert "Дмитро ЛУБІНЕЦЬ" in text and "вул. Нова, 1, м. Київ" in text
    fire(act, "send", users["lawyer"], {"channel": "post", "sent_on": kyiv_today()})
    db.session.commit()
