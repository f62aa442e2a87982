"""Act pages: list, drafting from recommendations, the act page, transitions, downloads."""

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core import storage
from app.core.pagination import paginate
from app.core.security import roles_required
from app.domain.acts import KINDS, STATES, queries
from app.domain.acts import operations as ops
from app.domain.acts.forms import ActEditForm, ActForm, SendForm
from app.domain.acts.models import Act, Document
from app.domain.authorities.models import Authority
from app.domain.recommendations.forms import TransitionForm
from app.extensions import db
from app.workflow import WorkflowError, get_engine

bp = Blueprint("acts", __name__, template_folder="templates")


@bp.route("/acts/")
@roles_required()
def index():
    a = request.args
    stmt = queries.list_stmt(a.get("state") if a.get("state") in STATES else None,
                             a.get("kind") if a.get("kind") in KINDS else None,
                             a.get("authority_id", type=int), a.get("q"),
                             current_user.id if a.get("mine") == "1" else None, a.get("documents"))  # fmt: skip
    return render_template("acts/list.html", page=paginate(stmt), states=STATES, kinds=KINDS)


@bp.route("/acts/new", methods=["GET", "POST"])
@roles_required("lawyer")
def new():
    form = ActForm()
    authority = db.session.get(
        Authority, form.authority_id.data or request.args.get("authority_id", type=int) or 0
    )
    kind = form.kind.data or request.args.get("kind") or "submission"
    form.authority_id.choices = [
        (a.id, a.name) for a in db.session.scalars(db.select(Authority).order_by(Authority.name))
    ]
    eligible = ops.eligible_recommendations(authority.id, kind) if authority else []
    if request.method == "POST" and form.validate():
        try:
            act = ops.create_act(
                kind,
                authority.id,
                form.recommendation_ids.data or [],
                current_user,
                **{
                    k: form.data[k]
                    for k in ("heading", "opening", "closing", "reference_number", "reference_on")
                },
            )
        except ops.ActInputError as exc:
            db.session.rollback()
            for name, messages in exc.fields.items():
                form[name].errors = [*form[name].errors, *messages]
        else:
            db.session.commit()
            flash(_("Act drafted."), "success")
            return redirect(url_for("acts.detail", act_id=act.id))
    status = 422 if form.errors else 200
    return render_template(
        "acts/new.html", form=form, authority=authority, kind=kind, eligible=eligible
    ), status


@bp.route("/acts/<int:act_id>")
@roles_required()
def detail(act_id):
    return _act_page(db.get_or_404(Act, act_id))


@bp.route("/acts/<int:act_id>/edit", methods=["GET", "POST"])
@roles_required("lawyer")
def edit(act_id):
    act = db.get_or_404(Act, act_id)
    if act.state != "draft":
        abort(403)
    form = ActEditForm(obj=act)
    eligible = ops.eligible_recommendations(act.authority_id, act.kind) + list(act.recommendations)
    if request.method == "GET":
        form.recommendation_ids.data = [r.id for r in act.recommendations]
    if form.validate_on_submit():
        try:
            ops.update_act(
                act,
                form.data | {"recommendation_ids": form.recommendation_ids.data or []},
                current_user,
            )
        except ops.ActInputError as exc:
            db.session.rollback()
            for name, messages in exc.fields.items():
                form[name].errors = [*form[name].errors, *messages]
        else:
            db.session.commit()
            flash(_("Act saved. Generate the documents again."), "success")
            return redirect(url_for("acts.detail", act_id=act.id))
    status = 422 if form.errors else 200
    return render_template("acts/edit.html", form=form, act=act, eligible=eligible), status


@bp.route("/acts/<int:act_id>/transitions", methods=["POST"])
@roles_required("lawyer", "admin", "monitor")
def transition(act_id):
    act = db.get_or_404(Act, act_id)
    name = request.form.get("name", "")
    params = {"comment": request.form.get("comment") or None}
    if name == "send":
        send = SendForm()
        if not send.validate():
            return _act_page(act, send_form=send), 422
        params.update(
            channel=send.channel.data, sent_on=send.sent_on.data, received_on=send.received_on.data
        )
    try:
        ops.fire(act, name, current_user, params)
    except WorkflowError as exc:
        db.session.rollback()
        flash(str(exc) + _format_fields(exc), "error")
        return _act_page(db.session.get(Act, act_id)), exc.status
    db.session.commit()
    flash(_("Done: %(state)s.", state=get_engine().state_label(act)), "success")
    return redirect(url_for("acts.detail", act_id=act.id))


@bp.route("/documents/<int:document_id>")
@roles_required()
def download(document_id):
    doc = db.get_or_404(Document, document_id)
    return send_file(
        storage.absolute(doc.path),
        mimetype=doc.content_type,
        as_attachment=True,
        download_name=doc.filename,
    )


def _act_page(act, send_form=None, **sections):
    from app.domain.acts.letters import preview_html
    from app.domain.privacy.routes import act_sections
    from app.domain.recommendations.queries import actor_names
    from app.domain.responses.routes import act_section
    from app.letters.render import LetterError
    from app.mail.outbox import emails_for

    engine = get_engine()
    history = engine.history(act)
    try:
        preview, preview_error = preview_html(act), None
    except LetterError as exc:
        preview, preview_error = None, str(exc)
    if send_form is None:
        send_form = SendForm(formdata=None)
        send_form.channel.data = "email" if act.authority.email else "post"
    return render_template(
        "acts/detail.html", act=act, history=history, names=actor_names(history),
        transitions=engine.available(act, current_user), form=TransitionForm(), send_form=send_form,
        preview=preview, preview_error=preview_error, emails=emails_for("acts", act.id),
        **act_section(act, **sections), **act_sections(act),
    )  # fmt: skip


def _format_fields(exc):
    if not getattr(exc, "fields", None):
        return ""
    return " " + "; ".join(f"{k}: {', '.join(str(m) for m in v)}" for k, v in exc.fields.items())
