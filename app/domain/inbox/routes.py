"""The inbox pages: messages by state, one message with its original, filing and setting aside;
sending an act by post after its e-mail was returned."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.core import features, storage
from app.core.errors import OperationError
from app.core.pagination import paginate
from app.core.security import roles_required
from app.domain.access import load_or_404
from app.domain.acts.models import Act
from app.domain.inbox import MATCH_LABELS, STATE_LABELS, STATES, operations, queries
from app.domain.inbox.models import InboxMessage
from app.extensions import db
from app.workflow import WorkflowError

bp = Blueprint("inbox", __name__, template_folder="templates")
features.menu_entry(bp, "inbox.index", _l("Inbox"), ("admin", "lawyer"), order=95)


class FileForm(FlaskForm):
    act_id = IntegerField(validators=[DataRequired(), NumberRange(min=1, max=2**62)])


class IgnoreForm(FlaskForm):
    note = StringField(validators=[Optional(), Length(max=2000)])


class PostForm(FlaskForm):
    pass


@bp.route("/inbox")
@roles_required("lawyer", "admin")
def index():
    state = request.args.get("state") or "unmatched"
    if state not in STATES:
        state = "unmatched"
    page = paginate(queries.by_state(state))
    return render_template(
        "inbox/index.html",
        state=state,
        page=page,
        counts=queries.counts(),
        state_labels=STATE_LABELS,
    )


@bp.route("/inbox/<int:message_id>")
@roles_required("lawyer", "admin")
def detail(message_id):
    return _detail(_message(message_id))


def _detail(message, file_form=None, ignore_form=None, status=200):
    q = request.args.get("q", "")
    return render_template(
        "inbox/detail.html",
        message=message,
        q=q,
        acts=queries.acts_to_file_on(q) if message.state in operations.FILEABLE else [],
        file_form=file_form or FileForm(formdata=None),
        ignore_form=ignore_form or IgnoreForm(formdata=None),
        state_labels=STATE_LABELS,
        match_labels=MATCH_LABELS,
        problems=operations.ATTACHMENT_PROBLEMS,
    ), status


@bp.route("/inbox/<int:message_id>/original")
@roles_required("lawyer", "admin")
def original(message_id):
    message = _message(message_id)
    return storage.send(
        message.eml_path,
        mimetype="message/rfc822",
        download_name=f"message-{message.id}.eml",
    )


@bp.route("/inbox/<int:message_id>/file", methods=["POST"])
@roles_required("lawyer")
def file(message_id):
    message = _message(message_id)
    form = FileForm()
    if not form.validate():
        return _detail(message, file_form=form, status=422)
    act = db.session.get(Act, form.act_id.data)
    if act is None:
        form.act_id.errors.append(_("No such act."))
        return _detail(message, file_form=form, status=422)
    try:
        response = operations.file_on(message, act, current_user)
    except (OperationError, WorkflowError) as exc:
        db.session.rollback()
        form.form_errors.append(str(getattr(exc, "message", exc)))
        return _detail(_message(message_id), file_form=form, status=getattr(exc, "status", 409))
    flash(_("The message is filed on the act as an answer to review."), "success")
    return redirect(url_for("review.detail", response_id=response.id), 303)


@bp.route("/inbox/<int:message_id>/ignore", methods=["POST"])
@roles_required("lawyer")
def ignore(message_id):
    message = _message(message_id)
    form = IgnoreForm()
    if not form.validate():
        return _detail(message, ignore_form=form, status=422)
    try:
        operations.ignore(message, current_user, form.note.data)
    except OperationError as exc:
        db.session.rollback()
        form.form_errors.append(exc.message)
        return _detail(_message(message_id), ignore_form=form, status=exc.status)
    flash(_("The message is set aside."), "success")
    return redirect(url_for("inbox.index"), 303)


@bp.route("/acts/<int:act_id>/send-by-post", methods=["POST"])
@roles_required("lawyer")
def send_by_post(act_id):
    act = load_or_404(Act, act_id)
    if not PostForm().validate():
        abort(400)
    try:
        operations.send_by_post(act, current_user)
    except OperationError as exc:
        db.session.rollback()
        flash(exc.message or _("The act cannot be sent by post now."), "danger")
        return redirect(url_for("acts.detail", act_id=act_id), 303)
    flash(
        _("The act is recorded as sent by post; its term runs from the assumed delivery."),
        "success",
    )
    return redirect(url_for("acts.detail", act_id=act_id), 303)


def _message(message_id):
    message = db.session.get(InboxMessage, message_id) if 0 < message_id < 2**63 else None
    if message is None:
        abort(404)
    return message


def inbox_notes(act):
    """For the act page (a template global): undelivered e-mails and automatic replies."""
    return operations.act_notes(act)


def post_form():
    return PostForm(formdata=None)
