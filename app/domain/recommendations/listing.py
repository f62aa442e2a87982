"""What the list of recommendations needs besides its rows: the options of its filters, the form
of the bulk actions, and the report of what a bulk action did to each selected case."""

from urllib.parse import urlencode, urlsplit

import sqlalchemy as sa
from flask import flash, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, SelectField
from wtforms.validators import DataRequired

from app.auth.models import User
from app.core.forms import options
from app.core.once import OneTimeFormMixin
from app.domain import access
from app.domain.acts.forms import KIND_LABELS
from app.domain.facilities.models import Facility
from app.domain.lists.pages import filter_args
from app.domain.recommendations.bulk import ACT_KINDS
from app.domain.visits.models import Visit
from app.extensions import db

#: Facilities offered in the filter without choosing an authority first (more: choose it).
FACILITY_OPTIONS_MAX = 300

ACTION_LABELS = {
    "assign": _l("Assign to a lawyer"),
    "issue": _l("Issue"),
    "act": _l("Create an act from the selected"),
}


class BulkForm(OneTimeFormMixin, FlaskForm):
    action = SelectField(
        _l("With the selected"), choices=options(ACTION_LABELS.items()), validators=[DataRequired()]
    )
    lawyer_id = SelectField(_l("Lawyer"), choices=[], validate_choice=False)
    kind = SelectField(
        _l("Kind of act"),
        choices=options((k, KIND_LABELS[k]) for k in ACT_KINDS),
        default="submission",
    )
    #: The list's filters, to come back to.
    back = HiddenField()


def lawyers():
    """Active lawyers, by name: (id, name)."""
    return db.session.execute(
        sa.select(User.id, User.name)
        .where(User.role == "lawyer", User.is_active.is_(True))
        .order_by(User.name)
    ).all()


def bulk_form(args):
    """The bulk actions' form for lawyers and administrators (None for monitors)."""
    if current_user.role not in ("lawyer", "admin"):
        return None
    form = BulkForm(formdata=None)
    form.lawyer_id.choices = options(
        [("none", _("Nobody (unassign)")), *((str(i), name) for i, name in lawyers())], "—"
    )
    form.back.data = urlencode(filter_args(args))
    return form


def choices(args):
    """The options of the list's filters, and what the chosen facility and visit are."""
    from app.domain.authorities.queries import all_for_choices

    authority_id = args.get("authority_id", type=int)
    facilities = sa.select(Facility.id, Facility.name).order_by(Facility.name)
    if authority_id:
        facilities = facilities.where(Facility.authority_id == authority_id)
    facilities = db.session.execute(facilities.limit(FACILITY_OPTIONS_MAX + 1)).all()
    visit_id = args.get("visit_id", type=int)
    visit = db.session.get(Visit, visit_id) if visit_id else None
    if visit is not None and not access.can_read(current_user, visit):
        visit = None  # the filter still applies (to nothing the user reads); its name stays hidden
    return {
        "authorities": all_for_choices(),
        "facilities": facilities[:FACILITY_OPTIONS_MAX],
        "more_facilities": len(facilities) > FACILITY_OPTIONS_MAX,
        "lawyers": lawyers(),
        "visit": visit,
        "select_all_url": url_for("recommendations.index")
        + "?"
        + urlencode([*filter_args(args), ("select", "all")]),
    }


def back_args(query):
    """The list's filters from the bulk form's ``back`` (a query string)."""
    from urllib.parse import parse_qsl

    return MultiDict(parse_qsl(query or "", keep_blank_values=False))


def back_url(query):
    """The list with the filters it was submitted from (only this site's list)."""
    query = query or ""
    if urlsplit("?" + query).netloc:
        query = ""
    return url_for("recommendations.index") + ("?" + query if query else "")


def flash_outcome(action, outcome):
    """One message for what was done, one per refused recommendation with its reason."""
    done = len(outcome.done)
    if action == "act" and outcome.acts:
        numbers = ", ".join(f"№ {a.id}" for a in outcome.acts)
        flash(
            _("Acts drafted: %(acts)s (recommendations: %(n)s).", acts=numbers, n=done), "success"
        )
    elif action == "issue" and done:
        flash(_("Recommendations issued: %(n)s.", n=done), "success")
    elif action == "assign" and done:
        flash(_("Recommendations assigned: %(n)s.", n=done), "success")
    for rec_id, reason in outcome.refused:
        flash(
            _("Recommendation № %(id)s not changed: %(reason)s", id=rec_id, reason=reason),
            "warning",
        )
    if not done and not outcome.refused:
        flash(_("Nothing was selected."), "warning")
