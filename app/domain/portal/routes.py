"""The authority's answer page ``/respond/TOKEN`` (no login) and the lawyer's link actions."""

import hashlib

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import OperationError
from app.core.security import roles_required
from app.domain.acts.models import Act
from app.domain.portal import formtokens, links
from app.domain.portal import operations as ops
from app.domain.responses import POSITION_LABELS, POSITIONS
from app.domain.responses import files as filetypes
from app.domain.responses.models import Response
from app.extensions import db, limiter

bp = Blueprint(
    "portal",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/portal-static",
)


def token_key():
    """Rate-limit key of a link: its token's hash (so forged tokens share nothing with it)."""
    token = (request.view_args or {}).get("token", "")
    return "portal-token:" + hashlib.sha256(token.encode()).hexdigest()[:32]


def per_token():
    return current_app.config["PORTAL_LIMIT_PER_TOKEN"]


def per_ip():
    return current_app.config["PORTAL_LIMIT_PER_IP"]


#: Every portal request (page and API) counts against its link and its IP address.
limits = [limiter.limit(per_token, key_func=token_key), limiter.limit(per_ip)]


def guarded(view):
    for decorate in limits:
        view = decorate(view)
    return view


@bp.before_request
def larger_uploads():
    # Photos from a phone: several files in one answer, more than the app's usual request limit.
    if request.endpoint == "portal.answer" and request.method == "POST":
        request.max_content_length = current_app.config["PORTAL_MAX_REQUEST_BYTES"]


@bp.route("/r/<token>")
@guarded
def short(token):
    return redirect(url_for("portal.answer", token=token))


@bp.route("/respond/<token>", methods=["GET", "POST"])
@guarded
def answer(token):
    with force_locale("uk"):
        link = links.resolve(token)
        if link is None:
            return not_found()
        if request.method == "GET":
            return _page(link, token)
        return _submit(link, token)


@bp.route("/respond/<token>/receipt/<int:response_id>")
@guarded
def receipt(token, response_id):
    with force_locale("uk"):
        link = links.resolve(token)
        response = db.session.get(Response, response_id) if link is not None else None
        if response is None or response.act_id != link.act_id or response.source != "portal":
            return not_found()
        return render_template(
            "portal/receipt.html",
            act=link.act,
            response=response,
            lines=ops.receipt_lines(response),
        )


def not_found():
    """The one page a forged, expired or revoked link gets (404, Ukrainian)."""
    return render_template("portal/not_found.html"), 404


def _submit(link, token):
    form_token = request.form.get("form_token")
    first = formtokens.first_answer(form_token)
    if first is not None:
        return redirect(url_for("portal.receipt", token=token, response_id=first), 303)
    if not formtokens.consume(form_token, link.id):
        return _page(
            link,
            token,
            errors=[
                _(
                    "This form was already sent or is out of date. "
                    "Check your answer and send it again."
                )
            ],
        ), 409
    data, files = _read_form(link.act)
    try:
        response = ops.submit(link, data, files)
    except OperationError as exc:
        db.session.rollback()  # the page shown again reads what is saved
        messages = [str(m) for items in (exc.fields or {}).values() for m in items]
        return _page(
            db.session.get(type(link), link.id), token, errors=messages or [str(exc.message)]
        ), exc.status
    db.session.commit()  # before the form token remembers the answer
    formtokens.remember(form_token, response.id)
    return redirect(url_for("portal.receipt", token=token, response_id=response.id), 303)


def _read_form(act):
    """The page's fields as the operation's data: ``position-ID``, ``comment-ID``,
    ``planned-ID`` and ``files-ID`` per recommendation; a recommendation left without a
    position is not answered."""
    form = request.form
    data = {name: form.get(name, "") for name in ops.FIELDS}
    data["positions"] = []
    files = [(None, f) for f in request.files.getlist("files") if f.filename]
    for rec in act.recommendations:
        position = form.get(f"position-{rec.id}", "")
        if position:
            data["positions"].append(
                {
                    "recommendation_id": rec.id,
                    "position": position,
                    "comment": form.get(f"comment-{rec.id}", ""),
                    "planned_on": form.get(f"planned-{rec.id}", ""),
                }
            )
        files += [(rec.id, f) for f in request.files.getlist(f"files-{rec.id}") if f.filename]
    return data, files


def _page(link, token, errors=()):
    act = link.act
    return render_template(
        "portal/answer.html",
        act=act,
        token=token,
        errors=errors,
        form=request.form,
        form_token=formtokens.issue(link.id),
        positions=[(c, POSITION_LABELS[c]) for c in POSITIONS],
        accept=filetypes.ACCEPT + ",image/*",
        max_mb=filetypes.max_bytes() // (1024 * 1024),
        max_files=current_app.config["PORTAL_MAX_FILES"],
        expires_at=link.expires_at,
    )


# --- The lawyer's side: show, renew and end the act's link ------------------------------


@bp.app_template_global()
def portal_link_of(act):
    """What the act page shows of the link: for lawyers, on sent acts only."""
    if getattr(current_user, "role", None) != "lawyer" or act.state not in links.OPEN_ACT_STATES:
        return None
    return {"info": links.info(act)}


@bp.route("/acts/<int:act_id>/portal-link/renew", methods=["POST"])
@roles_required("lawyer")
def renew(act_id):
    act = _sent_act(act_id)
    links.renew(act, current_user)
    flash(_("A new answer link is made; the previous one no longer works."), "success")
    return redirect(url_for("acts.detail", act_id=act.id, _anchor="portal-link"), 303)


@bp.route("/acts/<int:act_id>/portal-link/revoke", methods=["POST"])
@roles_required("lawyer")
def revoke(act_id):
    act = _sent_act(act_id)
    links.revoke(act, current_user)
    flash(_("The answer link is ended."), "success")
    return redirect(url_for("acts.detail", act_id=act.id, _anchor="portal-link"), 303)


def _sent_act(act_id):
    act = db.get_or_404(Act, act_id)
    if act.state not in links.OPEN_ACT_STATES:
        abort(409)
    return act
