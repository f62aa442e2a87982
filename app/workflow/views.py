"""A page that shows each workflow's states and transitions to the people who use it."""

from flask import Blueprint, abort, render_template
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from app.core import features
from app.workflow.engine import get_engine

bp = Blueprint("workflows", __name__, url_prefix="/workflows", template_folder="templates")
features.menu_entry(bp, "workflows.index", _l("Workflows"), None, order=150)


@bp.route("/")
@login_required
def index():
    engine = get_engine()
    return render_template(
        "workflow/index.html", definitions=[engine.current(n) for n in engine.names]
    )


@bp.route("/<name>")
@login_required
def detail(name):
    engine = get_engine()
    if name not in engine.names:
        abort(404)
    locale = str(get_locale())
    return render_template(
        "workflow/detail.html",
        definition=engine.current(name),
        lang="uk" if locale == "uk" else "en",
        mermaid=engine.mermaid(name, locale=locale),
    )
