"""A definition turned into lookup tables once, so firing a transition does no parsing."""

from app.workflow.definition import SYSTEM, Definition, Transition
from app.workflow.params import ParamSpec


class Move:
    """One transition from one state, with its guards and effects resolved to callables."""

    __slots__ = (
        "transition",
        "name",
        "to",
        "roles",
        "is_system",
        "is_system_only",
        "internal",
        "guards",
        "effects",
        "after_commit",
        "params",
    )

    def __init__(self, transition: Transition, registry):
        self.transition = transition
        self.name = transition.name
        self.to = transition.to
        self.roles = frozenset(transition.roles)
        self.is_system = SYSTEM in self.roles
        self.is_system_only = self.roles == {SYSTEM}
        self.internal = transition.internal
        self.guards = tuple(registry.get("guards", n) for n in transition.guards)
        self.effects = tuple(registry.get("effects", n) for n in transition.effects)
        self.after_commit = tuple(
            (n, registry.get("after_commit", n)) for n in transition.after_commit
        )
        self.params = ParamSpec(transition.params)

    def allows(self, actor) -> bool:
        """Whether ``actor`` (None for the system) may fire this move, by role alone."""
        if actor is None:
            return self.is_system
        return not self.is_system_only and actor.role in self.roles


class Compiled:
    """A definition pinned to a version, indexed by (transition, state) and by state."""

    def __init__(self, definition: Definition, version: int | None, sha256: str, registry):
        self.definition = definition
        self.name = definition.name
        self.version = version
        self.sha256 = sha256
        self.moves: dict[tuple[str, str], Move] = {}
        self.by_state: dict[str, list[Move]] = {name: [] for name in definition.states}
        self.labels: dict[str, object] = {}
        #: Names of the transitions only the application's operations fire.
        self.internal = frozenset(t.name for t in definition.transitions if t.internal)
        for transition in definition.transitions:
            self.labels.setdefault(transition.name, transition.label)
            for state in definition.sources(transition):
                move = Move(transition, registry)
                self.moves[(transition.name, state)] = move
                self.by_state[state].append(move)
        self.editable = {
            name: {role: frozenset(fields) for role, fields in state.editable.items()}
            for name, state in definition.states.items()
        }

    def pinned(self, version: int) -> "Compiled":
        """The same tables under another version number (the parsing and lookups are shared)."""
        if version == self.version:
            return self
        other = object.__new__(Compiled)
        other.__dict__.update(self.__dict__, version=version)
        return other
