"""Every text a user types that reaches a letter, hostile at once, through the app's own pages,
API and jobs: the DOCX and PDF hold no file or URL, nothing was fetched, the preview is inert.

The attack this closes: a monitor's recommendation with ``![k](file:///…/instance/secret_key#k.txt)``
put in an act by a lawyer's ordinary work made the DOCX writer embed the secret key in
``word/media``; a slow image URL hung the generation job.
"""

from __future__ import annotations

import io
import re
import secrets
import zipfile

import pytest
from docx import Document as DocxDocument
from pypdf import PdfReader
from untrusted_input import Trap, assert_inert_page, assert_nothing_pulled_in, attacks

from app.core import clock
from app.domain.acts.models import Act
from app.domain.portal import links, qr


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "instance" / "secret_key"
    path.parent.mkdir()
    path.write_text(f"SECRET-{secrets.token_hex(16)}")
    return path


@pytest.fixture
def trap():
    with Trap() as server:
        yield server


def _ok(response, status=200):
    assert response.status_code == status, response.get_data(as_text=True)[:800]
    return response.get_json()


def build_hostile_act(app, db, users, api_for, client_for, secret, url):
    """Authority, facility, visit, recommendation, executor and act, each field hostile,
    made as users make them (API and pages)."""
    markdown = "\n\n".join(attacks(secret, url).values())
    line = f'![k]({secret.as_uri()}#k.txt) ![h]({url}/l.png) <img src="{url}/i.png"> {{{{ 12345*54321 }}}}'
    short = f"![h]({url}/p.png)"
    assert len(line) <= 200 and len(short) <= 40
    admin, lawyer = api_for(users["admin"]), api_for(users["lawyer"])
    authority = _ok(
        admin.post(
            "/authorities",
            json={
                "name": f"Орган {line}",
                "kind": "agency",
                "email": "organ@example.org",
                "postal_address": f"{line}\n{markdown}"[:500],
                "head_title": f"Голові {line}",
                "head_name": line,
            },
        ),
        201,
    )
    facility = _ok(
        admin.post(
            "/facilities",
            json={
                "name": f"Установа {line}",
                "type": "sizo",
                "region": "UA-30",
                "address": line,
                "authority_id": authority["id"],
            },
        ),
        201,
    )
    visit = _ok(
        lawyer.post(
            "/visits",
            json={
                "facility_id": facility["id"],
                "started_on": "2026-03-10",
                "ended_on": "2026-03-11",
                "kind": "planned",
                "monitor_ids": [users["monitor"].id],
                "participants": [line],
                "summary": markdown,
            },
        ),
        201,
    )
    # The monitor writes the recommendation; the lawyer issues it and puts it in an act.
    rec = _ok(
        api_for(users["monitor"]).post(
            "/recommendations",
            json={
                "visit_id": visit["id"],
                "text": f"Забезпечити доступ до води.\n\n{markdown}",
                "theme": "conditions",
                "priority": "high",
            },
        ),
        201,
    )
    _ok(lawyer.post(f"/recommendations/{rec['id']}/transitions", json={"name": "issue"}))
    page = client_for(users["lawyer"])
    profile = {
        "which": "profile",
        "name": line,
        "phone": short,
        "locale": "uk",
        "notify_mode": users["lawyer"].notify_mode,
    }
    assert page.post("/profile", data=profile).status_code == 302
    act = _ok(
        lawyer.post(
            "/acts",
            json={
                "kind": "submission",
                "authority_id": authority["id"],
                "recommendation_ids": [rec["id"]],
                "heading": f"Про {line}",
                "opening": markdown,
                "closing": markdown,
                "reference_number": "![p](file:///etc/passwd#p.txt)",
                "reference_on": "2026-03-01",
            },
        ),
        201,
    )
    edit = {
        "heading": f"Про {line}",
        "opening": markdown,
        "closing": markdown,
        "reference_number": "![p](file:///etc/passwd#p.txt)",
        "reference_on": "2026-03-01",
        "signatory_position": f"Уповноважений {line}",
        "signatory_name": line,
        "recommendation_ids": [rec["id"]],
    }
    assert page.post(f"/acts/{act['id']}/edit", data=edit).status_code == 302
    return db.session.get(Act, act["id"]), page, lawyer


def docx_text(data):
    return " ".join(p.text for p in DocxDocument(io.BytesIO(data)).paragraphs)


def pdf_text(data):
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_hostile_act_documents_and_preview(
    app, db, users, api_for, client_for, run_jobs, secret, trap
):
    act, page, lawyer = build_hostile_act(app, db, users, api_for, client_for, secret, trap.url)
    _ok(lawyer.post(f"/acts/{act.id}/transitions", json={"name": "generate"}))
    run_jobs()
    db.session.refresh(act)
    assert act.documents_status == "ready", act.documents_error
    _check_every_document(lawyer, act.id, secret)

    # The lawyer's preview of the letter: the text is there, nothing in it can act.
    html = page.get(f"/acts/{act.id}").get_data(as_text=True)
    preview = html[html.index("letter-preview") :]
    assert "Забезпечити доступ до води." in preview
    assert_inert_page(html)

    # Sent by post: the final documents are as clean.
    today = clock.today().isoformat()
    _ok(
        lawyer.post(
            f"/acts/{act.id}/transitions",
            json={"name": "send", "channel": "post", "sent_on": today},
        )
    )
    run_jobs()
    # The letter for post carries one picture, the app's own: the QR code of the act's answer
    # link (a URL of the app's base and a random token; nothing typed by anyone).
    portal = links.info(db.session.get(Act, act.id))
    assert re.fullmatch(
        rf"{re.escape(app.config['PUBLIC_BASE_URL'])}/respond/[a-z2-7]{{24}}", portal["url"]
    )
    _check_every_document(lawyer, act.id, secret, portal)
    assert trap.requests == []


def _check_every_document(api, act_id, secret, portal=None):
    docs = _ok(api.get(f"/acts/{act_id}/documents"))
    docs = docs["items"] if isinstance(docs, dict) else docs
    by_version = {}
    for doc in docs:
        with api.get(f"/documents/{doc['id']}/content") as response:
            assert response.status_code == 200
            data = response.data
        by_version.setdefault((doc["version"], doc["is_final"]), {})[doc["format"]] = data
    assert by_version
    for (_version, is_final), pair in by_version.items():
        if is_final and portal is not None:
            pair["docx"] = _without_the_portal_qr(pair["docx"], portal)
        document = assert_nothing_pulled_in(pair["docx"], pair["pdf"], [secret.read_text()])
        text = docx_text(pair["docx"])
        # Plain fields are literal text (Jinja included), and nothing was evaluated.
        assert "{{ 12345*54321 }}" in text and "670592745" not in text
        assert "Забезпечити доступ до води." in text
        assert "Забезпечити доступ до води." in pdf_text(pair["pdf"])
        assert "javascript" not in _hyperlinks(pair["docx"])
        assert "<w:drawing" not in document


def _without_the_portal_qr(docx, portal):
    """The DOCX less the app's QR picture, which must be there exactly once: a PNG whose bytes
    are the QR code of the act's answer link, drawn right after the paragraph printing its short
    URL. Anything else embedded stays for ``assert_nothing_pulled_in`` to find."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        parts = {n: package.read(n) for n in package.namelist()}
    code = qr.png(portal["url"])
    ours = [n for n in parts if n.startswith("word/media/") and parts[n] == code]
    assert len(ours) == 1, "the letter for post lacks its answer link's QR code"
    rels_name, target = "word/_rels/document.xml.rels", ours[0].removeprefix("word/")
    rels = parts[rels_name].decode()
    (relationship,) = re.findall(rf'<Relationship [^>]*Target="{re.escape(target)}"[^>]*/>', rels)
    rel_id = re.search(r'Id="([^"]+)"', relationship).group(1)
    document = parts["word/document.xml"].decode()
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", document, re.S)
    (at,) = [i for i, p in enumerate(paragraphs) if f'r:embed="{rel_id}"' in p]
    (drawing,) = re.findall(r"<w:drawing>.*?</w:drawing>", paragraphs[at], re.S)
    assert f'r:embed="{rel_id}"' in drawing
    assert portal["short_url"] in re.sub(r"<[^>]+>", "", paragraphs[at - 1])
    parts["word/document.xml"] = document.replace(drawing, "").encode()
    parts[rels_name] = rels.replace(relationship, "").encode()
    del parts[ours[0]]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return out.getvalue()


def _hyperlinks(docx):
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        rels = package.read("word/_rels/document.xml.rels").decode()
    return " ".join(re.findall(r'Target="([^"]*)"[^>]*TargetMode="External"', rels))


def test_xss_payloads_in_the_preview(db, users, make_rec, make_act, client_for):
    """The payloads of the report, in a recommendation an act carries."""
    from app.domain.recommendations.operations import fire

    rec = make_rec(
        '![x](x){onerror="alert(1)"} [t]{onmouseover="alert(2)"} [x](javascript:alert(3)) '
        "<script>alert(4)</script> <img src=x onerror=alert(5)> [s]{.position-fixed .top-0}"
    )
    fire(rec, "issue", users["lawyer"])
    db.session.commit()
    act = make_act(recs=[rec])
    html = client_for(users["lawyer"]).get(f"/acts/{act.id}").get_data(as_text=True)
    assert_inert_page(html)
    for payload in ("alert(1)", "alert(2)", "alert(3)", "position-fixed"):
        assert payload not in html[html.index("letter-preview") :]
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in html  # shown as the text it is


def test_xss_payloads_on_the_recommendation_pages(db, users, registry, make_rec, client_for):
    """The same text where recommendations are shown as Markdown (their page, the visit, the
    follow-up checklist): rendered, sanitised, inert."""
    rec = make_rec(
        '![x](x){onerror="alert(1)"} [t]{onmouseover="alert(2)"} [x](javascript:alert(3)) '
        "<img src=x onerror=alert(4)> [v](vbscript:x) [d](data:text/html,x) [f](file:///etc/passwd)"
        " [ok](https://ombudsman.gov.ua)"
    )
    from app.domain.recommendations.operations import fire

    fire(rec, "issue", users["lawyer"])
    db.session.commit()
    client = client_for(users["lawyer"])
    for path in (
        f"/recommendations/{rec.id}",
        f"/visits/{registry['visit'].id}",
        f"/facilities/{registry['facility'].id}/checklist",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert_inert_page(html)
        assert 'href="https://ombudsman.gov.ua"' in html, path
