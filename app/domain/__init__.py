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
    from app.domain.privacy.routes import bp as privacy

    app.register_blueprint(imports)
    app.register_blueprint(privacy)
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


DOCUMENTS_STATUS_LABELS = {
    "none": _l("not generated"),
    "pending": _l("being generated…"),
    "ready": _l("ready"),
    "failed": _l("generation failed"),
}

DEADLINE_EVENT_LABELS = {
    "created": _l("term started"),
    "receipt_changed": _l("receipt date entered"),
    "extended": _l("extended"),
    "suspended": _l("suspended"),
    "resumed": _l("resumed"),
    "reminded": _l("lawyer reminded"),
    "expired": _l("term passed"),
    "cancelled": _l("clock stopped"),
    "recounted": _l("recounted (calendar changed)"),
    "accepted": _l("accepted by the authority's mail server (receipt)"),
    "reopened": _l("term running again: the act is no longer overdue"),
    "assumed_passed": _l("term passed on an assumed receipt date: confirm the receipt"),
    "protocol_warned": _l("lawyer warned: the КУпАП 188-40 protocol window closes"),
}

POSITION_LABELS = {
    "implemented": _l("Implemented"),
    "partially_implemented": _l("Partially implemented"),
    "in_progress": _l("In progress"),
    "not_implemented": _l("Not implemented"),
    "rejected": _l("Rejected"),
}

#: Menu entries: (endpoint, label, roles that see it).
NAV = [
    ("visits.index", _l("Visits"), ("admin", "lawyer", "monitor")),
    ("recommendations.index", _l("Recommendations"), ("admin", "lawyer", "monitor")),
    ("search.index", _l("Search"), ("admin", "lawyer", "monitor")),
    ("search.dashboard", _l("Dashboard"), ("admin", "lawyer", "monitor")),
    ("acts.index", _l("Acts"), ("admin", "lawyer", "monitor")),
    ("review.index", _l("Answers to review"), ("lawyer",)),
    ("deadlines.index", _l("Terms"), ("admin", "lawyer")),
    ("followup.outbox", _l("Outbox"), ("admin", "lawyer")),
    ("facilities.index", _l("Facilities"), ("admin", "lawyer", "monitor")),
    ("authorities.index", _l("Authorities"), ("admin", "lawyer", "monitor")),
    ("auth.users", _l("Users"), ("admin",)),
    ("deadlines.calendar", _l("Calendar"), ("admin",)),
    ("auth.audit", _l("Audit log"), ("admin",)),
    ("letter_admin.index", _l("Letter templates"), ("admin",)),
    ("workflows.index", _l("Workflows"), ("admin", "lawyer", "monitor")),
    ("imports.index", _l("Import"), ("admin", "lawyer")),
]


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

    def nav_items():
        role = getattr(current_user, "role", None)
        return [(endpoint, label) for endpoint, label, roles in NAV if role in roles]

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
    from app.domain.acts.forms import kind_label
    from app.domain.deadlines.operations import statutory_due
    from app.domain.deadlines.protocol import window as protocol_window

    return {
        "may_read": lambda obj: access.can_read(access.actor(), obj),
        "statutory_due": statutory_due,
        "protocol_window": protocol_window,
        "nav_items": nav_items,
        "transition_label": transition_label,
        "act_kind_label": kind_label,
        "documents_status_label": lambda code: DOCUMENTS_STATUS_LABELS.get(code, code),
        "deadline_event_label": lambda code: DEADLINE_EVENT_LABELS.get(code, code),
        "position_label": lambda code: POSITION_LABELS.get(code, code),
        "state_label": state_label,
        "due_text": due_text,
        "role_label": lambda code: codes.label(codes.ROLES, code),
        "code_label": lambda table, code: codes.label(tables[table], code),
    }


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
