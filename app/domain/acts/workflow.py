"""Guards and effects of workflows/act.yaml."""

from flask_babel import lazy_gettext as _l

from app.core.clock import today
from app.domain.acts import documents
from app.domain.deadlines import operations as deadlines
from app.workflow import InvalidParams, registry


@registry.guard("carries_recommendations")
def carries_recommendations(act, ctx):
    if not act.recommendations:
        return _l("The act carries no recommendations.")
    return None


@registry.guard("documents_ready")
def documents_ready(act, ctx):
    if act.documents_status != "ready":
        return _l("Generate the documents first; they must be ready before sending.")
    return None


@registry.guard("reachable_by_channel")
def reachable_by_channel(act, ctx):
    if ctx.params.get("channel") == "email" and not act.authority.email:
        return _l("The authority has no e-mail address: send the act by post.")
    return None


@registry.effect("request_documents")
def request_documents(act, ctx):
    documents.request_generation(act)


@registry.after_commit("generate_documents", queue="letters")
def generate_documents(act, ctx):
    documents.generate(act.id)


@registry.effect("register_and_send")
def register_and_send(act, ctx):
    """Number the act, make its final documents, start the clock, send its recommendations."""
    from app.domain.acts.register import next_number
    from app.domain.recommendations.operations import fire as fire_rec

    sent_on, received_on, channel = (
        ctx.params["sent_on"],
        ctx.params.get("received_on"),
        ctx.params["channel"],
    )
    _check_dates(sent_on, received_on)
    act.outgoing_seq, act.outgoing_number = next_number(sent_on.year)
    act.outgoing_year, act.sent_on, act.received_on, act.channel = (
        sent_on.year,
        sent_on,
        received_on,
        channel,
    )
    documents.write_documents(act, final=True)
    deadlines.start(act, ctx.definition, ctx.actor)
    for rec in act.recommendations:
        if rec.state == "issued":
            fire_rec(rec, "send", ctx.actor, {"act_id": act.id})
    from app.domain.acts.sending import after_registration

    after_registration(act, ctx)


@registry.effect("stop_clock")
def stop_clock(act, ctx):
    deadlines.stop(act, reason=ctx.transition.name)


@registry.effect("release_recommendations")
def release_recommendations(act, ctx):
    """The act no longer holds its recommendations open (see ``app.domain.acts.holds``)."""
    from app.domain.acts import holds

    holds.release(act, ctx)


def _check_dates(sent_on, received_on):
    fields = {}
    if sent_on > today():
        fields["sent_on"] = [_l("The sending date cannot be in the future.")]
    if received_on is not None and received_on < sent_on:
        fields["received_on"] = [_l("The receipt date cannot be before the sending date.")]
    if fields:
        raise InvalidParams(fields)
