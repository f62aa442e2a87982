"""The act page, built here for every route that shows it (the act's own and the sections'
routes that show it again with a form's errors). Other features add their sections to it
(``features.page_section(bp, "act", builder)``): the answers, personal data, legal hold."""

from flask import render_template
from flask_login import current_user

from app.core import features
from app.domain.acts import operations as ops
from app.workflow import get_engine


def act_page(act, send_form=None, **sections):
    from app.domain.acts import live
    from app.domain.acts.letters import preview_html
    from app.domain.followup.rules import verified_in_open_act
    from app.domain.recommendations.queries import actor_names
    from app.letters.render import LetterError

    history = get_engine().history(act)
    try:
        preview, preview_error = preview_html(act), None
    except LetterError as exc:
        preview, preview_error = None, str(exc)
    return render_template(
        "acts/detail.html",
        act=act,
        history=history,
        names=actor_names(history),
        preview=preview,
        preview_error=preview_error,
        can_edit=ops.may_edit(act, current_user),
        can_delete=ops.may_edit_draft(act, current_user),
        verified_carried=verified_in_open_act(act),
        **live.context(act, current_user, send_form),
        **features.sections("act", act, **sections),
    )
