"""The registry of named guards, effects and after-commit effects that YAML definitions refer to."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class TransitionContext:
    """What a guard or an effect learns about the transition being fired.

    ``params`` holds the validated values (dates as ``date``). ``history`` is the new history row
    for effects and None for guards. In an after-commit job ``actor`` is None and ``actor_id``
    tells who fired the transition.
    """

    transition: Any
    actor: Any
    params: dict
    definition: Any
    version: int
    from_state: str | None
    comment: str | None = None
    history: Any = None
    actor_id: int | None = None

    @property
    def name(self) -> str:
        return self.transition.name

    @property
    def to_state(self) -> str:
        return self.transition.to


@dataclass(frozen=True, slots=True)
class AfterCommit:
    """An effect run by a job once the transaction has committed."""

    func: Callable
    queue: str


class Registry:
    """Named callables, looked up when definitions are loaded (unknown names stop the app).

    - guard ``(subject, ctx) -> None | str``: None lets the transition through, a (translatable)
      string refuses it with that message. Guards must not change anything.
    - effect ``(subject, ctx)``: runs in the same transaction, after the state was set and the
      history row added; it may change rows and flush, never commit.
    - after_commit ``(subject, ctx)``: runs in a job after the commit (never after a rollback),
      with the subject reloaded; the job commits. Make it idempotent: a job may run twice.
    """

    NOUNS = {"guards": "guard", "effects": "effect", "after_commit": "after_commit effect"}

    def __init__(self, roles=None):
        #: The roles a definition may name (besides "system"); None: not checked.
        self.roles: frozenset[str] | None = frozenset(roles) if roles is not None else None
        self.guards: dict[str, Callable] = {}
        self.effects: dict[str, Callable] = {}
        self.after_commits: dict[str, AfterCommit] = {}

    def guard(self, name: str):
        """Register a guard ``(subject, ctx) -> None | str`` under ``name``."""
        return self._register(self.guards, name, lambda f: f)

    def effect(self, name: str):
        """Register a synchronous effect ``(subject, ctx)`` under ``name``."""
        return self._register(self.effects, name, lambda f: f)

    def after_commit(self, name: str, queue: str = "default"):
        """Register an effect ``(subject, ctx)`` run by a job on ``queue`` after the commit."""
        return self._register(self.after_commits, name, lambda f: AfterCommit(f, queue))

    def has(self, kind: str, name: str) -> bool:
        """Whether ``name`` is registered; ``kind`` is guards, effects or after_commit."""
        return name in self._table(kind)

    def get(self, kind: str, name: str):
        """The callable (an ``AfterCommit`` for after_commit) registered as ``name``."""
        return self._table(kind)[name]

    def _table(self, kind: str) -> dict:
        return {"guards": self.guards, "effects": self.effects}.get(kind, self.after_commits)

    @staticmethod
    def _register(table: dict, name: str, wrap: Callable):
        def decorator(func):
            old = table.get(name)
            old_func = getattr(old, "func", old)
            # Re-importing a module re-registers the same function; a different one is a mistake.
            if old_func is not None and _qualname(old_func) != _qualname(func):
                raise ValueError(f"'{name}' is already registered to {_qualname(old_func)}")
            table[name] = wrap(func)
            return func

        return decorator


def _qualname(func) -> str:
    return f"{func.__module__}.{func.__qualname__}"


#: The application's registry: domain modules register into it before ``init_app`` runs.
registry = Registry()
guard = registry.guard
effect = registry.effect
after_commit = registry.after_commit
