"""The NPM domain: registries, recommendations, acts, responses; built on the generic core."""

from flask_babel import lazy_gettext as _l

from app.domain import states as _states


def register_blueprints(app):
    from app.domain.acts.routes import bp as acts
    from app.domain.authorities.routes import bp as authorities
    from app.domain.deadlines.routes import bp as deadlines
    from app.domain.facilities.routes import bp as facilities
    from app.domain.followup.routes import bp as followup
    from app.domain.recommendations.routes import bp as recommendations
    from app.domain.search.routes import bp as search
    from app.domain.visits.routes import bp as visits
    from app.workflow.views import bp as workflows

    for bp in (
        authorities,
        facilities,
        visits,
        recommendations,
        acts,
        deadlines,
        workflows,
        followup,
        search,
    ):
        app.register_blueprint(bp)
    from app.domain.responses.routes import bp as responses

    app.register_blueprint(responses)
    from app.domain.imports.routes import bp as imports
    from app.domain.lists.routes import bp as lists
    from app.domain.privacy.routes import bp as privacy

    app.register_blueprint(imports)
    app.register_blueprint(lists)
    app.register_blueprint(privacy)
    from app.domain.notification_routes import bp as notifications

    app.register_blueprint(notifications)
    _register_portal(app)
    app.context_processor(_template_helpers)
    from app.domain.acts.admin_routes import bp as letter_admin
    from app.domain.acts.sending import register_mail_hooks

    app.register_blueprint(letter_admin)
    register_mail_hooks(app)
    _register_inbox(app)


def _register_inbox(app):
    """The office mailbox: its pages, its notes on the act page, scanned text in the search."""
    from app.domain.inbox.ocr import register_search
    from app.domain.inbox.routes import bp as inbox
    from app.domain.inbox.routes import inbox_notes, post_form

    app.register_blueprint(inbox)
    app.jinja_env.globals.update(inbox_notes=inbox_notes, inbox_post_form=post_form)
    register_search()


def _register_portal(app):
    """The authority's answer link (public pages) and the lawyer's queue of answers to review."""
    from app.domain.portal.routes import bp as portal
    from app.domain.responses.review_routes import bp as review

    app.register_blueprint(portal)
    app.register_blueprint(review)


def _template_helpers():
    from flask_login import current_user

    from app.domain import codes

    tables = {
        "authority_kind": codes.AUTHORITY_KINDS,
        "facility_type": codes.FACILITY_TYPES,
        "region": codes.REGIONS,
        "visit_kind": codes.VISIT_KINDS,
        "theme": codes.THEMES,
        "priority": codes.PRIORITIES,
        "role": codes.ROLES,
    }

    def state_label(workflow, state):
        from app.workflow import get_engine

        return get_engine().label(workflow, state) if state else ""

    def transition_label(workflow, name):
        from flask_babel import get_locale

        from app.workflow import get_engine

        lang = "uk" if str(get_locale()) == "uk" else "en"
        if name == "import":
            return _l("imported")
        for t in get_engine().current(workflow).transitions:
            if t.name == name:
                return getattr(t.label, lang)
        return name

    from app.domain import access
    from app.domain.acts import DOCUMENTS_STATUS_LABELS
    from app.domain.acts.forms import kind_label
    from app.domain.deadlines import DEADLINE_EVENT_LABELS
    from app.domain.deadlines.operations import statutory_due
    from app.domain.deadlines.protocol import window as protocol_window
    from app.domain.notifications import unread_count
    from app.domain.responses import POSITION_LABELS

    return {
        "may_read": lambda obj: access.can_read(access.actor(), obj),
        "statutory_due": statutory_due,
        "protocol_window": protocol_window,
        "transition_label": transition_label,
        "act_kind_label": kind_label,
        "documents_status_label": lambda code: DOCUMENTS_STATUS_LABELS.get(code, code),
        "deadline_event_label": lambda code: DEADLINE_EVENT_LABELS.get(code, code),
        "position_label": lambda code: POSITION_LABELS.get(code, code),
        "state_label": state_label,
        "due_text": due_text,
        "role_label": lambda code: codes.label(codes.ROLES, code),
        "code_label": lambda table, code: codes.label(tables[table], code),
        "unread_notifications": lambda: unread_count(current_user),
        "term_label": term_label,
        "field_label": lambda code: FIELD_LABELS.get(code, code),
    }


#: Fields and parameters the workflows name (who may edit what; what a transition asks).
FIELD_LABELS = {
    "text": _l("text"),
    "theme": _l("theme"),
    "priority": _l("priority"),
    "authority_id": _l("authority"),
    "previous_id": _l("previous recommendation"),
    "due_on": _l("due date"),
    "act_id": _l("act"),
    "response_id": _l("answer"),
    "visit_id": _l("follow-up visit"),
    "comment": _l("comment"),
    "sent_on": _l("sent on"),
    "received_on": _l("received on"),
    "channel": _l("channel"),
    "heading": _l("heading"),
    "opening": _l("opening"),
    "closing": _l("closing"),
    "reference_number": _l("reference number"),
    "reference_on": _l("reference date"),
    "signatory_position": _l("signatory's position"),
    "signatory_name": _l("signatory's name"),
    "recommendation_ids": _l("recommendations"),
    "ids": _l("recommendations"),
}


def term_label(term):
    """'1 month' → '1 місяць', '15 days' → '15 днів', '10 working days' → '10 робочих днів'."""
    from flask_babel import ngettext

    from app.terms import Term

    try:
        parsed = term if isinstance(term, Term) else Term.parse(str(term))
    except ValueError:
        return str(term)
    n = parsed.amount
    if parsed.unit == "months":
        return ngettext("%(num)s month", "%(num)s months", n)
    if parsed.unit == "working_days":
        return ngettext("%(num)s working day", "%(num)s working days", n)
    return ngettext("%(num)s day", "%(num)s days", n)


#: States in which the authority's clock runs, so days left or overdue are worth showing.
CLOCK_STATES = _states.group("recommendation", "clock") + _states.group("act", "clock")


def due_text(due_on, state=None):
    """'12.03.2026 (5 days left)' or '… (3 days overdue)' while the clock runs."""
    from flask_babel import ngettext

    from app.core.clock import today
    from app.core.i18n import fmt_date
    from app.terms import days_left

    if not due_on:
        return ""
    text = fmt_date(due_on)
    if state is not None and state not in CLOCK_STATES:
        return text
    left = days_left(due_on, today())
    if left < 0:
        note = ngettext("%(num)s day overdue", "%(num)s days overdue", -left)
    elif left == 0:
        note = _l("due today")
    else:
        note = ngettext("%(num)s day left", "%(num)s days left", left)
    return f"{text} ({note})"
