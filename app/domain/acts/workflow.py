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
    """Cases pinned to a definition that still names this effect: the request's own job (keyed
    on the act and the request) does the work; a second run changes nothing."""
    documents.generate(act.id)


@registry.effect("register_and_send")
def register_and_send(act, ctx):
    """Number the act (today's register), record the sending, start the clock, send its
    recommendations, and ask for the registered documents: a job makes them after the commit
    and then queues the e-mail (app.domain.acts.dispatch). Nothing slow runs here, while the
    year's counter row is locked."""
    from app.domain.acts.register import next_number
    from app.domain.recommendations.operations import fire as fire_rec

    registered_on = today()
    sent_on = ctx.params.get("sent_on") or registered_on
    received_on, channel = ctx.params.get("received_on"), ctx.params["channel"]
    _check_dates(registered_on, sent_on, received_on)
    act.outgoing_seq, act.outgoing_number = next_number(registered_on.year)
    act.outgoing_year, act.registered_on = registered_on.year, registered_on
    act.sent_on, act.received_on, act.channel = sent_on, received_on, channel
    deadlines.start(act, ctx.definition, ctx.actor)
    for rec in act.recommendations:
        if rec.state == "issued":
            fire_rec(rec, "send", ctx.actor, {"act_id": act.id})
    documents.request_generation(act)


@registry.effect("stop_clock")
def stop_clock(act, ctx):
    deadlines.stop(act, reason=ctx.transition.name)


@registry.effect("release_recommendations")
def release_recommendations(act, ctx):
    """The act no longer holds its recommendations open (see ``app.domain.acts.holds``)."""
    from app.domain.acts import holds

    holds.release(act, ctx)


def _check_dates(registered_on, sent_on, received_on):
    """The letter is dated the day of its number: it cannot have left before it was registered
    (a backdated letter would take a number after later ones), nor in the future."""
    fields = {}
    if sent_on > today():
        fields["sent_on"] = [_l("The sending date cannot be in the future.")]
    elif sent_on < registered_on:
        fields["sent_on"] = [
            _l(
                "The sending date cannot be before the registration date (%(date)s): outgoing "
                "numbers follow the dates of registration.",
                date=registered_on.strftime("%d.%m.%Y"),
            )
        ]
    if received_on is not None:
        if received_on > today():
            fields["received_on"] = [_l("The receipt date cannot be in the future.")]
        elif received_on < sent_on:
            fields["received_on"] = [_l("The receipt date cannot be before the sending date.")]
    if fields:
        raise InvalidParams(fields)
