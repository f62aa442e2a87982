"""Generic, table-driven state machines defined in ``workflows/*.yaml``.

The engine knows nothing about recommendations or acts (it never imports ``app.domain`` or
``app.auth``); the domain registers guards and effects and calls ``WorkflowEngine.fire``.

Definition format (one workflow per file; every label needs ``uk`` and ``en``)::

    name: recommendation            # [a-z][a-z0-9_]*, unique in the directory
    initial: draft
    states:
      draft:
        label: {uk: Чернетка, en: Draft}
        editable: {monitor: [text, theme], lawyer: [text, theme, due_on]}   # role -> fields
      sent_to_authority:
        label: {uk: Надіслано, en: Sent to authority}
        deadline:                   # what the deadline sweep uses (deadline_for), nothing else
          term: settings.terms      # "15 days" | "5 working days" | "1 month" (app.terms), or
                                    # settings.KEY: a mapping kind -> {term, shift}
          on_expiry: mark_overdue   # fired by the sweep (role system) the day after the due date
          remind_before: 3          # working days before the due date, optional
      implemented: {label: {uk: Виконано, en: Implemented}, final: true}
    transitions:
      - name: issue                 # "create" is reserved for the creation entry
        label: {uk: Видати, en: Issue}
        from: [draft]               # a state, a list, or "*" = every state that is not final
        to: issued
        roles: [lawyer]             # the registry's roles, or "system" = an actor of None
        internal: false             # true: fired only by operations, never on request (403)
        guards: [has_text]          # registry names: (subject, ctx) -> None | refusal message
        effects: [set_issued_on]    # (subject, ctx), same transaction
        after_commit: [notify]      # (subject, ctx) in a job after the commit
        params:                     # "comment" (optional text) is always accepted
          comment: {required: true}
          sent_on: {type: date, required: true}      # str (default) | text | date | choice |
          channel: {type: choice, choices: [email, post]}   # int | bool; optional label
    settings:                       # exposed as definition.settings; checked where named:
      terms:                        # the mapping a deadline's settings.KEY names
        submission: {term: 1 month, shift: next}        # shift: next | previous | none
      groups:                       # named lists of states the application reads
        open: [draft, sent_to_authority]

The same transition name may appear more than once when the source states do not overlap.
Unknown keys are errors. Every problem is reported as ``FILE:LINE: message``.

Firing: ``get_engine().fire(subject, "issue", user, {"comment": ...})`` flushes and returns
the history row; the caller commits (and rolls back after any ``WorkflowError``). Errors
subclass ``WorkflowError`` (``.status``, ``.code``, ``.fields``, ``.to_dict()``):
UnknownTransition 422 unknown_transition, WrongState 409 wrong_state, NotAllowed 403 forbidden,
InvalidParams 422 invalid_params, GuardRefused 409 guard_refused, Conflict 409 conflict.
Guards return None to allow or a (translatable) refusal message. A subject's ``version``
counts writes, not transitions: an effect that changes the row bumps it once more.

Wiring: import the modules that register guards and effects (into ``registry``), then
``init_app(app)`` (directory ``WORKFLOWS_DIR``), then ``app.cli.add_command(workflows_cli)``
from ``app.workflow.cli``.
"""

from app.workflow.engine import Available, WorkflowEngine, get_engine, init_app
from app.workflow.errors import (
    Conflict,
    DefinitionError,
    GuardRefused,
    InvalidParams,
    NotAllowed,
    UnknownTransition,
    WorkflowError,
    WrongState,
)
from app.workflow.models import WorkflowDefinitionSnapshot, WorkflowHistory, WorkflowSubjectMixin
from app.workflow.registry import Registry, TransitionContext, registry

__all__ = [
    "Available",
    "Conflict",
    "DefinitionError",
    "GuardRefused",
    "InvalidParams",
    "NotAllowed",
    "Registry",
    "TransitionContext",
    "UnknownTransition",
    "WorkflowDefinitionSnapshot",
    "WorkflowEngine",
    "WorkflowError",
    "WorkflowHistory",
    "WorkflowSubjectMixin",
    "WrongState",
    "get_engine",
    "init_app",
    "registry",
]
