"""Immutable pydantic models of a workflow definition, with cross-reference validation."""

import re
from collections import deque
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

#: The pseudo-transition recorded when a case starts.
CREATE = "create"
#: The pseudo-transition recorded when a case's state was reached outside the application
#: (records brought in from elsewhere): no transition, role or guard applies.
IMPORT = "import"
#: The role that stands for the system (timers, jobs): an actor of None.
SYSTEM = "system"

_NAME = r"^[a-z][a-z0-9_]*$"
_DURATION = re.compile(r"^\d+ (calendar |working )?(day|days|week|weeks|month|months|year|years)$")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Label(_Frozen):
    """A label in Ukrainian and English (a missing one is reported with the other problems)."""

    uk: str = ""
    en: str = ""

    def get(self, locale) -> str:
        """The label for ``locale`` (a code or a babel Locale); English unless Ukrainian."""
        return self.uk if str(locale or "").split("_")[0] == "uk" else self.en


class Deadline(_Frozen):
    """A legal term that starts when a case enters a state; the arithmetic lives elsewhere."""

    #: "1 month", "15 days", "5 working days" ..., or "settings.KEY": a per-kind mapping.
    term: str
    kind: str = "response"
    shift: Literal["next", "previous", "none"] = "next"
    #: A transition fired by the deadline sweep when the term has passed.
    on_expiry: str | None = None
    #: Days before the due date on which a reminder goes out.
    remind_before: int | None = Field(default=None, ge=0)

    @field_validator("term")
    @classmethod
    def _term(cls, value: str) -> str:
        if not (_DURATION.match(value) or value.startswith("settings.")):
            raise ValueError("term must read like '1 month', '15 days' or 'settings.KEY'")
        return value


class State(_Frozen):
    """One state: its label, whether it ends the case, who may edit which fields, its term."""

    label: Label = Label()
    final: bool = False
    #: role -> fields that role may edit while the case is in this state.
    editable: dict[str, tuple[str, ...]] = {}
    deadline: Deadline | None = None


class Param(_Frozen):
    """A parameter a transition accepts (``comment`` is always accepted as an optional str)."""

    type: Literal["str", "text", "date", "choice", "int", "bool"] = "str"
    required: bool = False
    choices: tuple[str, ...] | None = None
    label: Label | None = None


class Transition(_Frozen):
    """A named move from one or more states to one state."""

    name: str = Field(pattern=_NAME)
    label: Label = Label()
    #: Source states; "*" stands for every state that is not final.
    from_: tuple[str, ...] = Field(alias="from", min_length=1)
    to: str
    #: Roles allowed to fire it; "system" means an actor of None (timers, jobs).
    roles: tuple[str, ...] = Field(min_length=1)
    guards: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()
    after_commit: tuple[str, ...] = ()
    params: dict[str, Param] = {}

    @field_validator("from_", "roles", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value


class Definition(_Frozen):
    """A whole workflow. Validate with ``context={"registry": ..., "problems": []}`` to collect
    every cross-reference problem as ``(location, message)`` instead of failing on the first."""

    name: str = Field(pattern=_NAME)
    initial: str
    states: dict[str, State] = Field(min_length=1)
    transitions: tuple[Transition, ...] = ()
    #: Free data for other parts of the application (e.g. terms per act kind), untouched.
    settings: dict[str, Any] = {}

    @model_validator(mode="after")
    def _cross_references(self, info: ValidationInfo) -> "Definition":
        context = info.context or {}
        problems = cross_reference_problems(self, context.get("registry"))
        if "problems" in context:
            context["problems"].extend(problems)
        elif problems:
            raise ValueError("; ".join(f"{'.'.join(map(str, loc))}: {m}" for loc, m in problems))
        return self

    def sources(self, transition: Transition) -> tuple[str, ...]:
        """The states ``transition`` may be fired from, with "*" expanded."""
        if "*" in transition.from_:
            return tuple(n for n, s in self.states.items() if not s.final)
        return transition.from_


def cross_reference_problems(definition: Definition, registry=None) -> list[tuple[tuple, str]]:
    """Every inconsistency between the parts of ``definition`` as ``(location, message)``."""
    d = definition
    problems = []
    if d.initial not in d.states:
        problems.append((("initial",), f"unknown state '{d.initial}'"))
    seen: dict[tuple[str, str], int] = {}
    for i, t in enumerate(d.transitions):
        loc = ("transitions", i)
        problems += _transition_problems(d, t, loc, registry)
        for state in d.sources(t):
            if (t.name, state) in seen:
                problems.append(
                    (loc + ("name",), f"duplicate transition '{t.name}' from state '{state}'")
                )
            seen[(t.name, state)] = i
    for name, state in d.states.items():
        problems += _state_problems(d, name, state)
    problems += _unreachable(d)
    return problems


def _label_problems(label: Label, what: str, loc: tuple) -> list:
    return [
        (loc + ("label", lang), f"{what} has no {language} label")
        for lang, language in (("uk", "Ukrainian"), ("en", "English"))
        if not getattr(label, lang).strip()
    ]


def _transition_problems(d: Definition, t: Transition, loc: tuple, registry) -> list:
    problems = _label_problems(t.label, f"transition '{t.name}'", loc)
    if t.name == CREATE:
        problems.append((loc + ("name",), f"'{CREATE}' is reserved for the creation entry"))
    if t.name == IMPORT:
        problems.append((loc + ("name",), f"'{IMPORT}' is reserved for records brought in"))
    for j, state in enumerate(t.from_):
        if state != "*" and state not in d.states:
            problems.append((loc + ("from", j), f"unknown state '{state}' in from"))
    if t.to not in d.states:
        problems.append((loc + ("to",), f"transition '{t.name}' goes to unknown state '{t.to}'"))
    for kind in ("guards", "effects", "after_commit"):
        for j, name in enumerate(getattr(t, kind)):
            if registry is not None and not registry.has(kind, name):
                problems.append((loc + (kind, j), f"unknown {registry.NOUNS[kind]} '{name}'"))
    for pname, param in t.params.items():
        ploc = loc + ("params", pname)
        if param.type == "choice" and not param.choices:
            problems.append((ploc, f"parameter '{pname}' of type choice needs choices"))
        if param.type != "choice" and param.choices:
            problems.append((ploc, f"parameter '{pname}' has choices but is not a choice"))
        if pname == "comment" and param.type not in ("str", "text"):
            problems.append((ploc, "parameter 'comment' must be text"))
    return problems


def _state_problems(d: Definition, name: str, state: State) -> list:
    problems = _label_problems(state.label, f"state '{name}'", ("states", name))
    deadline = state.deadline
    if deadline is None:
        return problems
    loc = ("states", name, "deadline")
    if deadline.term.startswith("settings."):
        key = deadline.term.split(".", 1)[1]
        if not isinstance(d.settings.get(key), dict):
            problems.append((loc + ("term",), f"no mapping '{key}' under settings"))
    expiry = deadline.on_expiry
    if expiry and not any(t.name == expiry and name in d.sources(t) for t in d.transitions):
        problems.append(
            (loc + ("on_expiry",), f"on_expiry: no transition '{expiry}' from state '{name}'")
        )
    return problems


def _unreachable(d: Definition) -> list:
    if d.initial not in d.states:
        return []
    edges: dict[str, set[str]] = {}
    for t in d.transitions:
        for state in d.sources(t):
            edges.setdefault(state, set()).add(t.to)
    reached, todo = {d.initial}, deque([d.initial])
    while todo:
        for nxt in edges.get(todo.popleft(), ()):
            if nxt not in reached:
                reached.add(nxt)
                todo.append(nxt)
    return [
        (("states", name), f"state '{name}' cannot be reached from '{d.initial}'")
        for name in d.states
        if name not in reached
    ]
