"""The domain's guards and effects, registered with the generic engine before it loads."""

from flask_babel import lazy_gettext as _l

from app.workflow import registry


def init_app(app):
    """Register the domain's names, then load and validate workflows/*.yaml."""
    from app.auth import ROLES
    from app.domain.acts import workflow as _acts  # noqa: F401  (registers its guards/effects)
    from app.domain.privacy import operations as _privacy  # noqa: F401  (its guard)
    from app.workflow import init_app as init_engine
    from app.workflow.cli import workflows_cli

    registry.roles = frozenset(ROLES)  # a role the YAML names must exist
    engine = init_engine(app)
    if engine is not None:
        from app.domain.states import check_engine
        from app.workflow import DefinitionError

        problems = check_engine(engine)
        if problems:
            raise DefinitionError(problems)
    app.cli.add_command(workflows_cli)


@registry.guard("through_an_act")
def through_an_act(subject, ctx):
    """The act named must exist, carry this recommendation and be the one being sent."""
    from app.domain.acts.models import Act

    act = _load(Act, ctx.params.get("act_id"))
    if act is None or act.state != "sent" or subject not in act.recommendations:
        return _l("A recommendation is sent by sending an act of response that carries it.")
    return None


@registry.guard("through_a_response")
def through_a_response(subject, ctx):
    """The response named must exist and answer this act (or an act carrying this
    recommendation)."""
    from app.domain.responses.models import Response

    response = _load(Response, ctx.params.get("response_id"))
    if response is None or not _answers(response, subject):
        return _l("An answer is recorded on the act of response, with the authority's letter.")
    return None


def _load(model, ident):
    from app.extensions import db

    if not isinstance(ident, int) or isinstance(ident, bool) or not 0 < ident < 2**63:
        return None
    return db.session.get(model, ident)


def _answers(response, subject) -> bool:
    if subject.__workflow__ == "act":
        return response.act_id == subject.id
    return subject in response.act.recommendations


@registry.guard("on_a_follow_up_visit")
def on_a_follow_up_visit(subject, ctx):
    """Verified on a visit that took place: to this recommendation's facility, after the last
    act carrying it was sent (a reminder sent later still asks about it), and — when a monitor
    verifies — with that monitor on its team."""
    from app.core.clock import today
    from app.domain.followup.rules import last_sending, too_early
    from app.domain.visits.models import Visit

    visit = _load(Visit, ctx.params.get("visit_id"))
    if visit is None or visit.facility_id != subject.facility_id:
        return _l("Name the follow-up visit to this facility on which it was verified.")
    if last_sending(subject) is None:
        return _l("Only a recommendation sent to the authority can be verified.")
    early = too_early(subject, visit)
    if early is not None:
        return early
    if visit.started_on > today():
        return _l("The follow-up visit must have taken place after the recommendation was sent.")
    if ctx.actor is not None and ctx.actor.role == "monitor" and not visit.has_member(ctx.actor):
        return _l("Only a monitor of the follow-up visit can verify on it.")
    return None


# The name older versions of recommendation.yaml use: cases pinned to them follow the same rule.
registry.guard("monitor_on_a_later_visit")(on_a_follow_up_visit)
