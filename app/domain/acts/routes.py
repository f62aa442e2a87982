"""Act pages: list, drafting from recommendations, the act page, transitions, downloads."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from app.core import features, storage
from app.core.errors import OperationError, flash_refusal, put_on_form
from app.core.once import one_time_form
from app.core.security import roles_required
from app.domain import access
from app.domain.acts import KINDS, STATES, queries
from app.domain.acts import exports as act_exports
from app.domain.acts import operations as ops
from app.domain.acts.exports import ACT_COLUMNS
from app.domain.acts.forms import ActEditForm, ActForm, SendForm
from app.domain.acts.models import Act, Document
from app.domain.acts.pages import act_page
from app.domain.acts.picker import why_none
from app.domain.authorities.models import Authority
from app.domain.confirm import posted_reason_form, reason_page, reason_transition
from app.domain.done_messages import act_done, email_done
from app.domain.drafts import delete_draft_page
from app.domain.lists.pages import list_page
from app.extensions import db
from app.workflow import WorkflowError

bp = Blueprint("acts", __name__, template_folder="templates")
features.export_columns(bp, "acts", ACT_COLUMNS)
features.menu_entry(bp, "acts.index", _l("Acts"), ("admin", "lawyer", "monitor"), order=50)


@bp.route("/acts/")
@roles_required()
def index():
    a = request.args
    stmt = queries.list_stmt(
        a.get("state") if a.get("state") in STATES else None,
        a.get("kind") if a.get("kind") in KINDS else None,
        a.get("authority_id", type=int),
        a.get("q"),
        current_user.id if a.get("mine") == "1" else None,
        a.get("documents"),
    )
    return list_page(
        stmt,
        "acts/list.html",
        act_exports.COLUMNS,
        "acts",
        _l("Acts"),
        export_stmt=stmt.options(*act_exports.load_options()),
        states=STATES,
        kinds=KINDS,
    )


@bp.route("/acts/new", methods=["GET", "POST"])
@roles_required("lawyer")
@one_time_form
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
        except OperationError as exc:
            put_on_form(form, exc)
            return render_template(
                "acts/new.html", form=form, authority=authority, kind=kind, eligible=eligible
            ), exc.status
        flash(_("Act drafted."), "success")
        return redirect(url_for("acts.detail", act_id=act.id))
    status = 422 if form.errors else 200
    return render_template(
        "acts/new.html",
        form=form,
        authority=authority,
        kind=kind,
        eligible=eligible,
        unavailable=why_none(authority.id, kind) if authority and not eligible else None,
    ), status


@bp.route("/acts/<int:act_id>")
@roles_required()
def detail(act_id):
    return act_page(access.load_or_404(Act, act_id))


@bp.route("/acts/<int:act_id>/edit", methods=["GET", "POST"])
@roles_required("lawyer")
def edit(act_id):
    act = access.load_or_404(Act, act_id, allow=ops.may_edit)
    form = ActEditForm(obj=act)
    eligible = ops.eligible_recommendations(act.authority_id, act.kind) + list(act.recommendations)
    if request.method == "GET":
        form.recommendation_ids.data = [r.id for r in act.recommendations]
    if form.validate_on_submit():
        try:
            # Only the act's own fields: the form also carries its CSRF token.
            values = {name: form.data[name] for name in ops.EDITABLE}
            values["recommendation_ids"] = form.recommendation_ids.data or []
            ops.update_act(act, values, current_user)
        except OperationError as exc:
            put_on_form(form, exc)
        else:
            flash(_("Act saved. Generate the documents again."), "success")
            return redirect(url_for("acts.detail", act_id=act.id))
    status = 422 if form.errors else 200
    return render_template("acts/edit.html", form=form, act=act, eligible=eligible), status


@bp.route("/acts/<int:act_id>/delete", methods=["GET", "POST"])
@roles_required("lawyer", "admin", "monitor")
def delete(act_id):
    """Discard a draft act, after the user confirms on a page of its own."""
    act = access.load_or_404(Act, act_id)
    return delete_draft_page(
        act,
        ops,
        title=_("Delete the draft act?"),
        text=act.heading,
        back=url_for("acts.detail", act_id=act.id),
        done=url_for("acts.index"),
    )


@bp.route("/acts/<int:act_id>/transitions", methods=["POST"])
@roles_required("lawyer", "admin", "monitor")
def transition(act_id):
    act = access.load_or_404(Act, act_id)
    name = request.form.get("name", "")
    reason = reason_transition(act, name)
    if reason is not None and not (request.form.get("comment") or "").strip():
        return _reason_page(act, reason, posted_reason_form(name)), 422
    params = {"comment": request.form.get("comment") or None}
    if name == "send":
        send = SendForm()
        if not send.validate():
            return act_page(act, send_form=send), 422
        params.update(channel=send.channel.data, received_on=send.received_on.data)
        if send.sent_on.data is not None:
            params["sent_on"] = send.sent_on.data
    try:
        ops.fire(act, name, current_user, params, requested=True)
    except WorkflowError as exc:
        db.session.rollback()
        if name == "send" and _on_send_form(send, exc):
            return act_page(db.session.get(Act, act_id), send_form=send), exc.status
        flash(str(exc) + _format_fields(exc), "error")
        return act_page(db.session.get(Act, act_id)), exc.status
    flash(act_done(act, name), "success")
    return redirect(url_for("acts.detail", act_id=act.id))


@bp.route("/acts/<int:act_id>/transitions/confirm")
@roles_required("lawyer", "admin", "monitor")
def confirm_transition(act_id):
    """The confirmation, with its reason, of a step that cannot be undone (close, cancel)."""
    act = access.load_or_404(Act, act_id)
    reason = reason_transition(act, request.args.get("name", ""))
    if reason is None:
        abort(404)
    return _reason_page(act, reason)


def _reason_page(act, transition, form=None):
    """Closing an act whose recommendations are not all assessed names them first."""
    unassessed = queries.unassessed(act) if transition.name == "close" else []
    warning = None
    if unassessed:
        warning = _(
            "Recommendations of this act not assessed yet: %(n)s. Closing the act leaves them "
            "unassessed:",
            n=len(unassessed),
        )
    items = [
        (f"№ {r.id}: {r.text[:120]}", url_for("recommendations.detail", rec_id=r.id))
        for r in unassessed
    ]
    return reason_page(
        "act",
        transition,
        form=form,
        warning=warning,
        items=items,
        action=url_for("acts.transition", act_id=act.id),
        back=url_for("acts.detail", act_id=act.id),
    )


@bp.route("/acts/<int:act_id>/documents/retry", methods=["POST"])
@roles_required("lawyer")
def retry_documents(act_id):
    """Make a sent act's registered documents again after a failure (then its e-mail)."""
    from app.domain.acts.dispatch import retry_final_documents

    act = db.get_or_404(Act, act_id)
    if not FlaskForm().validate():  # the CSRF token
        abort(400)
    try:
        retry_final_documents(act)
    except OperationError as exc:
        flash_refusal(exc)
        return redirect(url_for("acts.detail", act_id=act_id)), 303
    flash(_("Requested again; the page shows each step."), "success")
    return redirect(url_for("acts.detail", act_id=act_id)), 303


@bp.route("/emails/<int:email_id>/<action>", methods=["POST"])
@roles_required("lawyer", "admin")
def email_action(email_id, action):
    """Send again, cancel, or record delivery by other means; back to the act or the outbox."""
    from app.domain.acts.emails import EmailDecisionForm, decide
    from app.mail.models import OutboxEmail

    email = db.get_or_404(OutboxEmail, email_id)
    form = EmailDecisionForm()
    if not form.validate():
        abort(400)
    try:
        decide(email, action, current_user, form.note.data, form.delivered_on.data)
    except OperationError as exc:
        if exc.status == 404:
            raise
        flash_refusal(exc)
    else:
        flash(email_done(action), "success")
    if request.form.get("back") == "act" and email.subject_type == "acts":
        return redirect(url_for("acts.detail", act_id=email.subject_id)), 303
    return redirect(url_for("followup.outbox")), 303


@bp.route("/documents/<int:document_id>")
@roles_required()
def download(document_id):
    doc = access.load_or_404(Document, document_id)
    return storage.send(
        doc.path,
        sha256=doc.sha256,
        mimetype=doc.content_type,
        download_name=doc.filename,
    )


@bp.route("/acts/<int:act_id>/live")
@roles_required()
def live(act_id):
    """The act page's parts that jobs change (documents, e-mail, actions), polled while a job
    runs; the answer says whether to ask again."""
    from app.domain.acts import live as parts

    act = access.load_or_404(Act, act_id)
    return render_template("acts/live.html", act=act, **parts.context(act, current_user))


def email_status_label(status):
    from app.domain.acts.emails import STATUS_LABELS

    return STATUS_LABELS.get(status, status)


def _on_send_form(form, exc):
    """Put a refused sending's field messages under the send form's fields (the input stays);
    False when the refusal names no field of that form."""
    fields = {k: v for k, v in (exc.fields or {}).items() if k in form._fields}
    if not fields:
        return False
    for name, messages in fields.items():
        form[name].errors = [*form[name].errors, *(str(m) for m in messages)]
    rest = [str(m) for k, v in exc.fields.items() if k not in fields for m in v]
    if rest:
        flash(" ".join(rest), "error")
    return True


def _format_fields(exc):
    if not getattr(exc, "fields", None):
        return ""
    return " " + " ".join(str(m) for messages in exc.fields.values() for m in messages)


@bp.route("/acts/<int:act_id>/attachments", methods=["POST"])
@roles_required("lawyer")
def attach(act_id):
    """Attach a file (the visit report, photos) to a draft act: «Додаток: … на N арк.»."""
    from app.domain.acts.attachments import add_attachment

    act = db.get_or_404(Act, act_id)
    upload = request.files.get("file")
    try:
        add_attachment(
            act,
            request.form.get("title"),
            upload.filename if upload else "",
            upload.read() if upload else b"",
            current_user,
            sheets=request.form.get("sheets"),
        )
    except OperationError as exc:
        flash_refusal(exc)
        return redirect(url_for("acts.detail", act_id=act_id) + "#attachments"), 303
    flash(_("The file is attached; generate the documents again."), "success")
    return redirect(url_for("acts.detail", act_id=act_id) + "#attachments")


@bp.route("/acts/<int:act_id>/attachments/<int:attachment_id>/delete", methods=["POST"])
@roles_required("lawyer")
def detach(act_id, attachment_id):
    from app.domain.acts.attachments import remove_attachment
    from app.domain.acts.models import ActAttachment

    attachment = db.get_or_404(ActAttachment, attachment_id)
    if attachment.act_id != act_id:
        abort(404)
    remove_attachment(attachment.act, attachment)
    return redirect(url_for("acts.detail", act_id=act_id) + "#attachments")


@bp.route("/act-attachments/<int:attachment_id>")
@roles_required()
def attachment_file(attachment_id):
    from app.domain.acts.models import ActAttachment

    attachment = access.load_or_404(ActAttachment, attachment_id)
    return storage.send(
        attachment.path,
        sha256=attachment.sha256,
        mimetype=attachment.content_type,
        download_name=attachment.filename,
    )
