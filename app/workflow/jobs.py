"""The job that runs a transition's after-commit effects, once the transition is committed."""

import importlib
import logging

from flask import current_app

from app.core.jobs import job
from app.extensions import db
from app.workflow.models import WorkflowHistory
from app.workflow.registry import TransitionContext

log = logging.getLogger(__name__)


def _resolve(path: str):
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


# Effects are idempotent; a crashed job (a killed worker, a lost connection) runs again.
@job(retries=3, intervals=(5, 30, 120))
def run_after_commit(effect_name: str, subject_class_path: str, subject_id: int, history_id: int):
    """Reload the subject and the history row and run the effect ``effect_name`` (committed by
    the job's transaction).

    Enqueued by ``WorkflowEngine.fire`` after the commit. The effect sees the state the case has
    now (it may have moved on) and ``ctx.history`` tells which transition asked for it.
    """
    engine = current_app.extensions["workflow"]
    subject = db.session.get(_resolve(subject_class_path), subject_id)
    history = db.session.get(WorkflowHistory, history_id)
    if subject is None or history is None:
        log.warning(
            "%s: %s #%s or history #%s is gone",
            effect_name,
            subject_class_path,
            subject_id,
            history_id,
        )
        return
    compiled = engine.versions.get(history.workflow, history.workflow_version)
    move = compiled.moves.get((history.transition, history.from_state))
    params = dict(history.params or {})
    if move is not None:  # typed again, as the effects saw them (dates as date)
        params = move.params.clean(params)[0]
    ctx = TransitionContext(
        transition=move.transition if move else None,
        actor=None,
        params=params,
        definition=compiled.definition,
        version=compiled.version,
        from_state=history.from_state,
        comment=history.comment,
        history=history,
        actor_id=history.actor_id,
    )
    engine.registry.get("after_commit", effect_name).func(subject, ctx)
