"""The NPM domain: registries, recommendations, acts, responses; built on the generic core."""

from flask_babel import lazy_gettext as _l


def register_blueprints(app):
    from app.domain.authorities.routes import bp as authorities
    from app.domain.facilities.routes import bp as facilities
    from app.domain.visits.routes import bp as visits

    for bp in (authorities, facilities, visits):
        app.register_blueprint(bp)
    app.context_processor(_template_helpers)


#: Menu entries: (endpoint, label, roles that see it).
NAV = [
    ("visits.index", _l("Visits"), ("admin", "lawyer", "monitor")),
    ("facilities.index", _l("Facilities"), ("admin", "lawyer", "monitor")),
    ("authorities.index", _l("Authorities"), ("admin", "lawyer", "monitor")),
    ("auth.users", _l("Users"), ("admin",)),
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

    return {
        "nav_items": nav_items,
        "role_label": lambda code: codes.label(codes.ROLES, code),
        "code_label": lambda table, code: codes.label(tables[table], code),
    }
