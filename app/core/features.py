"""What features add to shared pages, registered when their blueprint is registered.

The core and the shared pages know no feature: a feature's routes module says, with its
blueprint, which menu entries it brings, which sections it adds to another feature's page
(e.g. the answers on the act page), which export column sets it offers and, for one of them,
the home page; an error format answers errors under a path (the API's JSON). Each call records
a callback on the blueprint (``Blueprint.record_once``), so the entries belong to the app the
blueprint is registered on and nothing is shared between apps.

    features.menu_entry(bp, "acts.index", _l("Acts"), ("admin", "lawyer", "monitor"), order=50)
    features.page_section(bp, "act", act_section)        # act_section(act, **forms) -> dict
    features.export_columns(bp, "acts", ACT_COLUMNS)
    features.home_page(bp, home_page)                    # home_page(user) -> response

and, reading them: ``menu(role)``, ``sections("act", act, **forms)``, ``columns("acts")``,
``home(user)``, ``error_format(path)``.
"""

import inspect
from dataclasses import dataclass, field

from flask import current_app


@dataclass
class Registry:
    #: (order, endpoint, label, roles)
    menu: list = field(default_factory=list)
    #: page name → [builder(subject, **forms) -> dict of template variables]
    sections: dict = field(default_factory=dict)
    #: name → [Column]
    columns: dict = field(default_factory=dict)
    home: object = None
    #: (path prefix, respond(status, code=None, message=None, fields=None))
    error_formats: list = field(default_factory=list)


def of(app=None) -> Registry:
    """The registry of ``app`` (the current app by default), made on first use."""
    app = app or current_app
    return app.extensions.setdefault("features", Registry())


def _on_register(bp, record):
    """Every registering call is made once per blueprint, at import (a call per app would add
    its entry again to every later app)."""
    bp.record_once(lambda state: record(of(state.app)))


# --- registering (with a blueprint) -------------------------------------------------------


def menu_entry(bp, endpoint, label, roles, order):
    """A link of the main menu for ``roles`` (None: every signed-in user); ``order`` places it
    (lower first). Call it once, where the blueprint is made."""
    roles = None if roles is None else tuple(roles)
    _on_register(bp, lambda reg: reg.menu.append((order, endpoint, label, roles)))


def page_section(bp, page, builder):
    """``builder(subject, **forms)`` returns template variables for a section of ``page``; it
    receives only the forms it names (a form shown again with its errors)."""
    _on_register(bp, lambda reg: reg.sections.setdefault(page, []).append(builder))


def export_columns(bp, name, columns):
    """The columns of the ``name`` export (spreadsheet and CSV)."""

    def record(reg):
        if name in reg.columns:
            raise RuntimeError(f"export columns {name!r} registered twice")
        reg.columns[name] = columns

    _on_register(bp, record)


def home_page(bp, view):
    """``view(user)`` answers the site's first page."""

    def record(reg):
        if reg.home is not None:
            raise RuntimeError("the home page is registered twice")
        reg.home = view

    _on_register(bp, record)


def error_format(bp, prefix, respond):
    """Errors under ``prefix`` are answered by ``respond(status, code=None, message=None,
    fields=None)`` instead of the HTML error pages."""
    _on_register(bp, lambda reg: reg.error_formats.append((prefix, respond)))


# --- reading -------------------------------------------------------------------------------


#: Entries ordered below this are on the menu bar, the others in its "More" list (the bar fits
#: on one line at 1,366 px).
MENU_BAR_BEFORE = 90


def menu(role, more=False):
    """(endpoint, label) of the menu entries ``role`` sees, in order: the bar's, or with ``more``
    those of its "More" list."""
    return [
        (endpoint, label)
        for order, endpoint, label, roles in sorted(of().menu, key=_first)
        if role is not None
        and (roles is None or role in roles)
        and (order >= MENU_BAR_BEFORE) == more
    ]


def _first(entry):
    return entry[0]


def sections(page, subject, **forms):
    """The template variables of every section registered for ``page``."""
    out = {}
    for builder in of().sections.get(page, []):
        accepted = inspect.signature(builder).parameters
        out.update(builder(subject, **{k: v for k, v in forms.items() if k in accepted}))
    return out


def columns(name):
    return of().columns[name]


def home(user):
    if of().home is None:
        raise RuntimeError("no feature registered the home page")
    return of().home(user)


def error_responder(path):
    """The error format answering under ``path``, or None (the HTML error pages)."""
    for prefix, respond in of().error_formats:
        if path.startswith(prefix):
            return respond
    return None
