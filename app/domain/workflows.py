"""The domain's guards and effects, registered with the generic engine before it loads."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.workflow import registry


def init_app(app):
    """Register the domain's names, then load and validate workflows/*.yaml."""
    from app.domain.acts import workflow as _acts  # noqa: F401  (registers its guards/effects)
    from app.domain.privacy import operations as _privacy  # noqa: F401  (its guard)
    from app.workflow import init_app as init_engine
    from app.workflow.cli import workflows_cli

    init_engine(app)
    app.cli.add_command(workflows_cli)


@registry.guard("through_an_act")
def through_an_act(subject, ctx):
    if not ctx.params.get("act_id"):
        return _l("A recommendation is sent by sending an act of response that carries it.")
    return None


@registry.guard("through_a_response")
def through_a_response(subject, ctx):
    if not ctx.params.get("response_id"):
        return _l("An answer is recorded on the act of response, with the authority's letter.")
    return None


@registry.guard("monitor_on_a_later_visit")
def monitor_on_a_later_visit(subject, ctx):
    """Lawyers verify on a monitor's word; a monitor verifies on a later visit of their own."""
    if ctx.actor is None or ctx.actor.role != "monitor":
        return None
    from app.domain.visits.models import Visit, visit_monitors

    stmt = (
        sa.select(Visit.id)
        .join(visit_monitors, visit_monitors.c.visit_id == Visit.id)
        .where(
            visit_monitors.c.user_id == ctx.actor.id,
            Visit.facility_id == subject.facility_id,
            Visit.started_on > subject.visit.started_on,
        )
    )
    if ctx.params.get("visit_id"):
        stmt = stmt.where(Visit.id == ctx.params["visit_id"])
    from app.extensions import db

    if db.session.scalar(stmt.limit(1)) is None:
        return _l("Only a monitor of a later visit to this facility can verify it.")
    return None
