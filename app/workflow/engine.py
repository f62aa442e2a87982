"""The workflow engine: start cases, fire transitions, say what is possible now."""

import dataclasses
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from app.core.db import utcnow
from app.extensions import db
from app.workflow.compiled import Compiled, Move
from app.workflow.definition import CREATE, IMPORT, SYSTEM, Deadline, Definition
from app.workflow.diagram import mermaid
from app.workflow.errors import Conflict, GuardRefused, NotAllowed, UnknownTransition, WrongState
from app.workflow.loader import load_dir
from app.workflow.models import WorkflowHistory
from app.workflow.registry import TransitionContext
from app.workflow.versions import VersionStore
from app.workflow.writes import SubjectInfo, is_stale_snapshot, write_transition


@dataclass(frozen=True, slots=True)
class Available:
    """A transition the actor may fire now, as a button or ``GET .../transitions`` shows it."""

    name: str
    label: str
    to: str
    #: The transition asks for a reason (a required ``comment``): pages confirm it first.
    needs_reason: bool = False

    def as_dict(self) -> dict:
        return {"name": self.name, "label": self.label, "to": self.to}


class WorkflowEngine:
    """Every workflow of the application; one per app in ``app.extensions["workflow"]``.

    The engine flushes and never commits: the route, job or command that called it commits once.
    After ``Conflict`` (or any error raised by a flush) the caller must roll the session back.
    """

    def __init__(self, directory, registry):
        self.directory = directory
        self.registry = registry
        self.versions = VersionStore(registry)
        self._sources: dict[str, str] = {}
        self._current: dict[str, Compiled] = {}
        self._class_info: dict[type, SubjectInfo] = {}
        self.reload()

    def reload(self) -> None:
        """Read the directory again (``DefinitionError`` on a problem); running cases keep theirs."""
        loaded = load_dir(self.directory, self.registry)
        self._sources = {name: item.source for name, item in loaded.items()}
        self._current = {
            name: Compiled(item.definition, None, item.sha256, self.registry)
            for name, item in loaded.items()
        }

    @property
    def names(self) -> list[str]:
        """The names of the loaded workflows."""
        return sorted(self._current)

    def current(self, name: str) -> Definition:
        """The definition as the file reads now (what new cases start under)."""
        return self._current[name].definition

    def definition_for(self, subject) -> Definition:
        """The definition ``subject`` follows: the version it started under."""
        return self._pinned(subject).definition

    def start(self, subject, actor, comment: str | None = None) -> WorkflowHistory:
        """Put a new case in the initial state under the current version; add it to the session,
        flush, and return the creation history row (transition "create", from None)."""
        name = subject.__workflow__
        compiled = self.versions.register(name, self._current[name], self._sources[name])
        subject.state = compiled.definition.initial
        subject.workflow_version = compiled.version
        db.session.add(subject)
        db.session.flush()
        values = _history_values(
            self._info(type(subject)), subject, compiled, CREATE, None, subject.state, actor
        )
        history = WorkflowHistory(**values, comment=comment, params={})
        db.session.add(history)
        db.session.flush()
        return history

    def fire(
        self, subject, transition: str, actor, params: dict | None = None, requested: bool = False
    ) -> WorkflowHistory:
        """Fire ``transition`` on ``subject`` as ``actor`` (None: the system) and flush.

        ``requested``: the transition was asked for by name (the generic transitions endpoints
        of the API and the pages); an ``internal`` transition then raises ``NotAllowed`` before
        anything else is checked, whatever the state.

        Checks, in order: the name (``UnknownTransition``), the current state (``WrongState``),
        the role (``NotAllowed``), the parameters (``InvalidParams``), the guards
        (``GuardRefused``). Then sets the state (an UPDATE checking the ``version`` column),
        adds the history row, runs the effects in this transaction, flushes, and schedules the
        after-commit effects. A concurrent change, seen by the UPDATE or by the flush, raises
        ``Conflict``. ``params`` may hold ``comment``. Returns the history row.
        """
        compiled = self._pinned(subject)
        if requested and transition in compiled.internal:
            raise NotAllowed(_internal(compiled.labels[transition]))
        from_state = subject.state
        move = compiled.moves.get((transition, from_state))
        if move is None:
            self._refuse_unknown(compiled, transition, from_state)
        if not move.allows(actor):
            raise NotAllowed(_not_allowed(move))
        values, comment, stored = move.params.clean(params)
        ctx = TransitionContext(
            transition=move.transition,
            actor=actor,
            params=values,
            definition=compiled.definition,
            version=compiled.version,
            from_state=from_state,
            comment=comment,
            actor_id=actor.id if actor is not None else None,
        )
        _check_guards(move, subject, ctx)
        info = self._info(type(subject))
        row = _history_values(info, subject, compiled, move.name, from_state, move.to, actor)
        row["comment"], row["params"] = comment, stored
        history = write_transition(subject, info, move.to, row)
        if move.effects:
            ctx = _with(ctx, history)
            for effect in move.effects:
                effect(subject, ctx)
        try:
            db.session.flush()
        except StaleDataError:
            raise Conflict() from None
        except sa.exc.OperationalError as exc:
            if is_stale_snapshot(exc):
                raise Conflict() from None
            raise
        if move.after_commit:
            self._schedule(subject, move, history)
        return history

    def enter(self, subject, state: str, actor, comment=None, params=None) -> WorkflowHistory:
        """Record that ``subject`` reached ``state`` outside the application (a record brought
        in from elsewhere): one history row with the reserved transition ``import``, no role,
        guard or effect. ``state`` must be a state of the subject's definition (``ValueError``
        otherwise); a concurrent change raises ``Conflict``."""
        compiled = self._pinned(subject)
        if state not in compiled.definition.states:
            raise ValueError(f"unknown state {state!r}")
        info = self._info(type(subject))
        row = _history_values(info, subject, compiled, IMPORT, subject.state, state, actor)
        row["comment"], row["params"] = comment, dict(params or {})
        return write_transition(subject, info, state, row)

    def new_case_version(self, name: str) -> int:
        """The definition version a case of workflow ``name`` starting now is pinned to (for
        callers that insert cases in bulk with ``record_entries``)."""
        return self.versions.register(name, self._current[name], self._sources[name]).version

    def record_entries(self, cls, entries, actor) -> None:
        """Insert history rows in bulk for cases of ``cls`` written in bulk (already inserted
        with their ``state``, ``workflow_version`` and ``version``): each entry is
        ``(subject_id, workflow_version, transition, from_state, to_state, comment, params)`` where
        ``transition`` is ``create`` or ``import``."""
        info = self._info(cls)
        name, now = cls.__workflow__, utcnow()
        actor_id = actor.id if actor is not None else None
        keys = ("subject_id", "workflow_version", "transition", "from_state", "to_state")
        keys += ("comment", "params")
        common = {"subject_type": info.table_name, "workflow": name, "actor_id": actor_id}
        rows = [{**common, **dict(zip(keys, entry, strict=True)), "at": now} for entry in entries]
        if {r["transition"] for r in rows} - {CREATE, IMPORT}:
            raise ValueError(f"only {CREATE!r} and {IMPORT!r} entries are recorded in bulk")
        if rows:
            db.session.execute(WorkflowHistory.__table__.insert(), rows)

    def available(self, subject, actor) -> list[Available]:
        """The transitions ``actor`` may fire now (state, role and guards allow), labelled in the
        current locale."""
        compiled = self._pinned(subject)
        locale = _language()
        result = []
        for move in compiled.by_state.get(subject.state, ()):
            if move.internal or not move.allows(actor):
                continue
            ctx = TransitionContext(
                transition=move.transition,
                actor=actor,
                params={},
                definition=compiled.definition,
                version=compiled.version,
                from_state=subject.state,
                actor_id=actor.id if actor is not None else None,
            )
            if all(not guard(subject, ctx) for guard in move.guards):
                label = move.transition.label.get(locale)
                needs_reason = "comment" in move.params.required
                result.append(Available(move.name, label, move.to, needs_reason))
        return result

    def editable_fields(self, subject, actor) -> frozenset[str]:
        """The fields ``actor`` may edit while ``subject`` is in its current state."""
        role = SYSTEM if actor is None else actor.role
        return self._pinned(subject).editable.get(subject.state, {}).get(role, frozenset())

    def can_edit(self, subject, actor, field: str) -> bool:
        """Whether ``actor`` may edit ``field`` of ``subject`` now."""
        return field in self.editable_fields(subject, actor)

    def deadline_for(self, subject) -> Deadline | None:
        """The deadline spec of ``subject``'s current state (the arithmetic lives in app.terms)."""
        return self.definition_for(subject).states[subject.state].deadline

    def history(self, subject) -> list[WorkflowHistory]:
        """``subject``'s history rows, oldest first, from its creation on."""
        return subject.history()

    def label(self, name: str, state: str, locale=None) -> str:
        """The label of ``state`` in workflow ``name`` (current definition), in ``locale``."""
        return self._current[name].definition.states[state].label.get(locale or _language())

    def state_label(self, subject, locale=None) -> str:
        """The label of ``subject``'s current state in its pinned definition."""
        state = self.definition_for(subject).states[subject.state]
        return state.label.get(locale or _language())

    def mermaid(self, name: str, locale: str = "uk") -> str:
        """Workflow ``name`` as a Mermaid ``stateDiagram-v2``."""
        return mermaid(self._current[name].definition, locale)

    def _pinned(self, subject) -> Compiled:
        if subject.workflow_version is None:
            raise ValueError(f"{subject!r} has not been started by the workflow engine")
        return self.versions.get(subject.__workflow__, subject.workflow_version)

    def _info(self, cls) -> SubjectInfo:
        info = self._class_info.get(cls)
        if info is None:
            info = self._class_info[cls] = SubjectInfo(cls)
        return info

    def _schedule(self, subject, move: Move, history) -> None:
        from app.workflow.jobs import run_after_commit

        path = self._info(type(subject)).path
        for name, after in move.after_commit:
            run_after_commit.enqueue_after_commit(
                name, path, subject.id, history.id, queue=after.queue
            )

    @staticmethod
    def _refuse_unknown(compiled: Compiled, transition: str, state: str):
        label = compiled.labels.get(transition)
        if label is None:
            raise UnknownTransition(transition)
        locale = _language()
        raise WrongState(
            _l(
                "“%(action)s” is not possible now: the case is “%(state)s” (%(code)s).",
                action=label.get(locale),
                state=compiled.definition.states[state].label.get(locale),
                code=state,
            )
        )


def _history_values(info, subject, compiled, transition, from_state, to_state, actor) -> dict:
    return {
        "subject_type": info.table_name,
        "subject_id": subject.id,
        "workflow": compiled.name,
        "workflow_version": compiled.version,
        "transition": transition,
        "from_state": from_state,
        "to_state": to_state,
        "actor_id": actor.id if actor is not None else None,
        "at": utcnow(),
    }


def _with(ctx: TransitionContext, history) -> TransitionContext:
    return dataclasses.replace(ctx, history=history)


def _check_guards(move: Move, subject, ctx) -> None:
    for guard in move.guards:
        refusal = guard(subject, ctx)
        if refusal:
            raise GuardRefused(refusal)


def _internal(label):
    return _l(
        "“%(action)s” happens by itself, through the operation it belongs to (sending an act, "
        "recording an answer, the deadline sweep); it cannot be requested.",
        action=label.get(_language()),
    )


def _not_allowed(move: Move):
    label = move.transition.label.get(_language())
    if move.is_system_only:
        return _l("“%(action)s” is done by the system only.", action=label)
    return _l("Your role may not do “%(action)s”.", action=label)


def _language() -> str:
    """The current locale's language, falling back to the configured default."""
    try:
        locale = get_locale()
    except (KeyError, RuntimeError):  # no request, or Flask-Babel not set up (bench, jobs)
        locale = None
    if locale is not None:
        return locale.language
    return current_app.config.get("BABEL_DEFAULT_LOCALE", "uk") if has_app_context() else "uk"


def init_app(app, directory=None, registry=None, raise_errors: bool | None = None):
    """Load and validate every workflow of ``directory`` (default ``WORKFLOWS_DIR``) against
    ``registry`` (default: the module registry, populated by importing the domain's guards
    and effects first) and store the engine in ``app.extensions["workflow"]``.

    A problem raises ``DefinitionError`` so the app does not start, except when
    ``raise_errors`` is False or, if it is None, when the process is ``flask workflows check``
    (which then reports the problems itself).
    """
    from app.workflow.cli import invoked_as_check
    from app.workflow.errors import DefinitionError
    from app.workflow.registry import registry as default_registry

    directory = directory or app.config["WORKFLOWS_DIR"]
    registry = registry or default_registry
    # Kept even when loading fails, so `flask workflows check` checks what the app would load.
    app.extensions["workflow_registry"] = registry
    app.extensions["workflow_dir"] = str(directory)
    app.extensions.pop("workflow", None)
    try:
        app.extensions["workflow"] = WorkflowEngine(directory, registry)
    except DefinitionError:
        if raise_errors or (raise_errors is None and not invoked_as_check()):
            raise
    return app.extensions.get("workflow")


def get_engine(app=None) -> WorkflowEngine:
    """The application's engine."""
    return (app or current_app).extensions["workflow"]
