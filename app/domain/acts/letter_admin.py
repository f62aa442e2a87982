"""Letter templates, the signatory and the letterhead as administrators edit them: versions in
the database over the files in letter_templates/ (the defaults).

Every save is a new version (the newest is in force; going back saves an old text again). A
template is checked before it is saved — it must compile in the sandbox and render a complete
sample letter of its kinds — so an error refuses the save instead of breaking the next letter.
"""

import datetime
import json
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.core.errors import OperationError
from app.domain.acts import kinds
from app.domain.acts.models import LetterTemplateVersion
from app.extensions import db
from app.letters import render

#: Which template renders which letters (the base renders them all).
TEMPLATES = {
    "_base.md.j2": kinds.TEMPLATE_KINDS,
    **{kinds.template_for(kind): (kind,) for kind in kinds.TEMPLATE_KINDS},
}
SETTINGS = "settings"
#: The letter settings an administrator may change, over the environment's defaults.
SETTING_KEYS = (
    "signatory_position",
    "signatory_name",
    "issuer_name",
    "issuer_name_genitive",
    "issuer_address",
    "issuer_phone",
    "issuer_email",
    "issuer_website",
    "issuer_edrpou",
)
BODY_MAX = 100_000


def names():
    return [*TEMPLATES, SETTINGS]


def default_text(name):
    if name == SETTINGS:
        return json.dumps(default_settings(), ensure_ascii=False, indent=2)
    return (Path(current_app.config["LETTER_TEMPLATES_DIR"]) / name).read_text(encoding="utf-8")


def default_settings():
    cfg = current_app.config
    issuer = cfg["ISSUER"]
    return {
        "signatory_position": cfg["LETTER_SIGNATORY_POSITION"],
        "signatory_name": cfg["LETTER_SIGNATORY_NAME"],
        **{
            f"issuer_{key}": issuer.get(key, "")
            for key in ("name", "name_genitive", "address", "phone", "email", "website", "edrpou")
        },
    }


def versions(name):
    return db.session.scalars(
        sa.select(LetterTemplateVersion)
        .where(LetterTemplateVersion.name == name)
        .order_by(LetterTemplateVersion.version.desc())
    ).all()


def current(name):
    """The text in force: the newest version, else the default."""
    newest = db.session.scalars(
        sa.select(LetterTemplateVersion.body)
        .where(LetterTemplateVersion.name == name)
        .order_by(LetterTemplateVersion.version.desc())
        .limit(1)
    ).first()
    return newest if newest is not None else default_text(name)


def overrides():
    """Edited templates in force (name → text), for render.render_markdown."""
    newest = (
        sa.select(LetterTemplateVersion.name, sa.func.max(LetterTemplateVersion.version))
        .where(LetterTemplateVersion.name != SETTINGS)
        .group_by(LetterTemplateVersion.name)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(LetterTemplateVersion.name, LetterTemplateVersion.body).join(
            newest,
            sa.and_(
                LetterTemplateVersion.name == newest.c.name,
                LetterTemplateVersion.version == newest.c[1],
            ),
        )
    ).all()
    return {name: body for name, body in rows}


def settings():
    """The letter settings in force: the defaults with an administrator's changes over them."""
    values = default_settings()
    stored = overrides_settings()
    values.update({k: v for k, v in stored.items() if k in SETTING_KEYS and isinstance(v, str)})
    return values


def overrides_settings():
    newest = db.session.scalars(
        sa.select(LetterTemplateVersion.body)
        .where(LetterTemplateVersion.name == SETTINGS)
        .order_by(LetterTemplateVersion.version.desc())
        .limit(1)
    ).first()
    return json.loads(newest) if newest else {}


def issuer():
    """The letterhead in force, in the shape of ``config["ISSUER"]``."""
    values = settings()
    base = dict(current_app.config["ISSUER"])
    base.update(
        {key[len("issuer_") :]: values[key] for key in SETTING_KEYS if key.startswith("issuer_")}
    )
    return base


def save(name, body, actor, comment=""):
    """Check ``body`` and store it as the next version of ``name``; OperationError if not."""
    if name not in names():
        raise OperationError(_l("There is no letter template “%(name)s”.", name=name))
    body = (body or "").replace("\r\n", "\n")
    if not body.strip() or len(body) > BODY_MAX:
        raise OperationError(_l("The text is empty or too long."))
    if name == SETTINGS:
        body = _check_settings(body)
    else:
        preview(name, body)  # raises on any error
    number = (
        db.session.scalar(
            sa.select(sa.func.max(LetterTemplateVersion.version)).where(
                LetterTemplateVersion.name == name
            )
        )
        or 0
    )
    version = LetterTemplateVersion(
        name=name,
        version=number + 1,
        body=body,
        comment=(comment or "")[:300],
        created_by_id=actor.id,
    )
    db.session.add(version)
    db.session.flush()
    return version


def _check_settings(body):
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise OperationError(_l("Not valid JSON: %(error)s", error=str(exc))) from None
    if not isinstance(data, dict):
        raise OperationError(_l("A JSON object is expected."))
    unknown = sorted(set(data) - set(SETTING_KEYS))
    if unknown:
        raise OperationError(_l("Unknown settings: %(keys)s.", keys=", ".join(unknown)))
    if not all(isinstance(v, str) and len(v) <= 300 for v in data.values()):
        raise OperationError(_l("Every setting is a text of at most 300 characters."))
    return json.dumps(data, ensure_ascii=False, indent=2)


def preview(name, body):
    """Render sample letters with ``body`` in place of template ``name``; the HTML of the first.
    Any template error becomes an OperationError (with the template's own message)."""
    from app.letters import pandoc

    templates = Path(current_app.config["LETTER_TEMPLATES_DIR"])
    sources = {**overrides(), name: body}
    first = None
    for kind in TEMPLATES[name]:
        try:
            markdown = render.render_markdown(
                f"{kind}.md.j2", {"letter": sample_letter(kind)}, templates, sources
            )
        except render.LetterTemplateError as exc:
            raise OperationError(
                _l("The template has an error: %(error)s", error=str(exc))
            ) from None
        if first is None:
            first = markdown
    return pandoc.markdown_to_html(first)


def sample_letter(kind):
    """A complete letter context (the contract in app/letters/render.py) for previews."""
    from app.core.i18n import long_date
    from app.domain.acts import kinds
    from app.domain.acts.letters import term_of

    on = datetime.date(2026, 3, 12)
    escalation = kind == "escalation"
    code = "initiative_letter" if escalation else kind
    values = settings()
    previous = {
        "title": "подання",
        "outgoing_number": "77/2026",
        "date_text": long_date(on),
        "authority": "Державна установа «Приклад»",
    }
    return {
        "kind": code,
        "escalation": escalation,
        "date": on,
        "date_text": long_date(on),
        "outgoing_number": "123/2026",
        "reference": {"number": "45/7-12", "date_text": "02.03.2026"},
        "addressee": {
            "lines": ["Міністрові юстиції України", "Ользі СТЕФАНІШИНІЙ"],
            "organisation": "",
            "title_dative": "Міністрові юстиції України",
            "name_dative": "Ользі СТЕФАНІШИНІЙ",
            "address": "вул. Городецького, 13, м. Київ, 01001",
        },
        "heading": "Про вжиття заходів за результатами моніторингового візиту",
        "opening": "",
        "closing": "",
        "legal_basis": kinds.ESCALATION_BASIS if escalation else kinds.kind_of(code).basis,
        "reminded_basis": kinds.kind_of("submission").basis,
        "visits_text": "моніторингового візиту",
        "recommendations": [
            {
                "number": 1,
                "text": "Забезпечити доступ до питної води.",
                "facility": "ДУ «Приклад»",
                "visit_text": "10–11 березня 2026 р.",
            }
        ],
        "term_text": kinds.term_text(code, term_of(code), escalation),
        "warning_text": kinds.KUPAP_WARNING if kind == "reminder" or escalation else "",
        "attachments": [{"title": "звіт за результатами візиту", "sheets": 5}],
        "signatory": {"position": values["signatory_position"], "name": values["signatory_name"]},
        "executor": {
            "name": "Ірина КОВАЛЬ",
            "phone": "(044) 299-74-08",
            "email": "npm@ombudsman.gov.ua",
        },
        "issuer": issuer(),
        "previous_act": previous if kind in ("reminder", "escalation") else None,
        "ignored": [{**previous, "due_text": long_date(on)}] if escalation else [],
    }
