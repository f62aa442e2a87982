"""The lawyer's queue of answers that came by themselves, each beside its recommendations."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.core import features
from app.core.clock import to_kyiv
from app.core.errors import OperationError, put_on_form
from app.core.security import roles_required
from app.domain.responses import POSITION_LABELS, queries, review
from app.domain.responses.forms import KIND_LABELS, ResponsePageForm
from app.domain.responses.models import Response
from app.extensions import db

bp = Blueprint("review", __name__, template_folder="templates")
features.menu_entry(bp, "review.index", _l("Answers to review"), ("lawyer",), order=60)

SOURCE_LABELS = {
    "manual": _l("entered by a lawyer"),
    "email": _l("e-mail"),
    "portal": _l("answer link"),
}
STATUS_LABELS = {
    "to_review": _l("to review"),
    "recorded": _l("recorded"),
    "returned": _l("returned with a question"),
}


class ReturnForm(FlaskForm):
    question = TextAreaField(
        _l("Question to the authority"),
        validators=[DataRequired(), Length(max=review.QUESTION_MAX)],
    )


@bp.route("/responses/review")
@roles_required("lawyer")
def index():
    mine = request.args.get("mine") == "1"
    stmt = queries.to_review(
        source=request.args.get("source") or None, executor_id=current_user.id if mine else None
    )
    items = db.session.scalars(stmt.limit(500)).all()
    return render_template(
        "responses/review_list.html", items=items, mine=mine, source_labels=SOURCE_LABELS
    )


@bp.route("/responses/<int:response_id>/review")
@roles_required("lawyer")
def detail(response_id):
    response = db.get_or_404(Response, response_id)
    return _detail(response)


@bp.route("/responses/<int:response_id>/record", methods=["POST"])
@roles_required("lawyer")
def record(response_id):
    response = db.get_or_404(Response, response_id)
    form = ResponsePageForm()
    if not form.validate():
        return _detail(response, record_form=form), 422
    data = form.values() | {"positions": form.position_values()}
    try:
        review.record_reviewed(response, data, current_user)
    except OperationError as exc:
        _form_errors(form, exc)
        return _detail(db.session.get(Response, response_id), record_form=form), exc.status
    flash(_("The answer is recorded."), "success")
    return redirect(url_for("acts.detail", act_id=response.act_id, _anchor="responses"), 303)


@bp.route("/responses/<int:response_id>/return", methods=["POST"])
@roles_required("lawyer")
def send_back(response_id):
    response = db.get_or_404(Response, response_id)
    form = ReturnForm()
    if not form.validate():
        return _detail(response, return_form=form), 422
    try:
        review.return_to_authority(response, form.question.data, current_user)
    except OperationError as exc:
        _form_errors(form, exc)
        return _detail(db.session.get(Response, response_id), return_form=form), exc.status
    flash(_("The answer is returned with your question; the authority is e-mailed."), "success")
    return redirect(url_for("review.index"), 303)


def _detail(response, record_form=None, return_form=None):
    act = response.act
    if record_form is None:
        record_form = ResponsePageForm(
            formdata=None,
            received_on=to_kyiv(response.created_at).date(),
            text=response.text,
            kind="substantive",
        )
        given = {p.recommendation_id: p for p in response.positions}
        for rec in act.recommendations:
            p = given.get(rec.id)
            record_form.positions.append_entry(
                {
                    "recommendation_id": rec.id,
                    "position": p.position if p else "",
                    "comment": p.comment if p else "",
                }
            )
    rows = {int(row.recommendation_id.data): row for row in record_form.positions}
    return render_template(
        "responses/review_detail.html",
        response=response,
        act=act,
        positions={p.recommendation_id: p for p in response.positions},
        files_by_rec=_files_by_rec(response),
        rows=rows,
        form=record_form,
        return_form=return_form or ReturnForm(formdata=None),
        kind_labels=KIND_LABELS,
        position_labels=POSITION_LABELS,
        source_labels=SOURCE_LABELS,
    )


def _files_by_rec(response):
    out = {}
    for f in response.files:
        out.setdefault(f.recommendation_id, []).append(f)
    return out


def _form_errors(form, exc):
    """Every message of the refusal above the form."""
    messages = [m for items in exc.field_messages().values() for m in items]
    put_on_form(form, OperationError(exc.message, fields={"form": messages}))
