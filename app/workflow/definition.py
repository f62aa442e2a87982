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
#: A term taken from the settings: ``settings.KEY``, a mapping of kinds to {term, shift}.
_SETTINGS_TERM = re.compile(r"^settings\.([a-z][a-z0-9_]*)$")


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
    """A legal term that starts when a case enters a state, exactly as the deadline sweep uses
    it; the arithmetic lives in ``app.terms``.

    ``term``: "15 days", "5 working days", "1 month" (parsed by ``app.terms.Term``; the last day
    shifts to the next working day), or ``settings.KEY``: a mapping under ``settings`` from a
    kind of case to ``{term: ..., shift: next | previous | none}``.
    ``on_expiry``: the transition the sweep fires (as the system) the day after the due date.
    ``remind_before``: working days before the due date on which the sweep reminds.
    """

    term: str
    on_expiry: str | None = None
    remind_before: int | None = Field(default=None, ge=0)
    #: Read in recorded versions written before the grammar lost them; a file may not use them.
    kind: str | None = None
    shift: str | None = None


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
    #: Fired only by the application's own operations (sending an act, recording an answer, the
    #: deadline sweep), never on request: refused through the generic transitions endpoints and
    #: never offered as a button.
    internal: bool = False

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
        problems = cross_reference_problems(
            self, context.get("registry"), strict=context.get("strict", True)
        )
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


def cross_reference_problems(
    definition: Definition, registry=None, strict: bool = True
) -> list[tuple[tuple, str]]:
    """Every inconsistency between the parts of ``definition`` as ``(location, message)``.

    ``strict`` (files being loaded or checked) also refuses what only recorded versions written
    under an older grammar may still contain.
    """
    d = definition
    problems = _role_problems(d, registry) + _group_problems(d)
    if d.initial not in d.states:
        problems.append((("initial",), f"unknown state '{d.initial}'"))
    seen: dict[tuple[str, str], int] = {}
    internal: dict[str, bool] = {}
    for i, t in enumerate(d.transitions):
        loc = ("transitions", i)
        problems += _transition_problems(d, t, loc, registry)
        if internal.setdefault(t.name, t.internal) != t.internal:
            problems.append(
                (loc + ("internal",), f"transition '{t.name}' is internal in one entry only")
            )
        for state in d.sources(t):
            if (t.name, state) in seen:
                problems.append(
                    (loc + ("name",), f"duplicate transition '{t.name}' from state '{state}'")
                )
            seen[(t.name, state)] = i
    for name, state in d.states.items():
        problems += _state_problems(d, name, state, strict)
    problems += _unreachable(d)
    return problems


def _role_problems(d: Definition, registry) -> list:
    """Roles must be the application's (``registry.roles``) or ``system``."""
    known = getattr(registry, "roles", None)
    if known is None:
        return []
    known = set(known) | {SYSTEM}
    listed = ", ".join(sorted(known))
    problems = []
    for i, t in enumerate(d.transitions):
        for j, role in enumerate(t.roles):
            if role not in known:
                problems.append(
                    (("transitions", i, "roles", j), f"unknown role '{role}' (known: {listed})")
                )
    for name, state in d.states.items():
        for role in state.editable:
            if role not in known:
                problems.append(
                    (("states", name, "editable", role), f"unknown role '{role}' (known: {listed})")
                )
    return problems


def _group_problems(d: Definition) -> list:
    """``settings.groups``: named lists of this workflow's states (the application's state
    lists are read from them)."""
    groups = d.settings.get("groups")
    if groups is None:
        return []
    if not isinstance(groups, dict):
        return [(("settings", "groups"), "groups must map a name to a list of states")]
    problems = []
    for name, states in groups.items():
        loc = ("settings", "groups", name)
        if not isinstance(states, list) or not all(isinstance(s, str) for s in states):
            problems.append((loc, f"group '{name}' must be a list of states"))
            continue
        for j, state in enumerate(states):
            if state not in d.states:
                problems.append((loc + (j,), f"group '{name}': unknown state '{state}'"))
    return problems


def _term_problem(text) -> str | None:
    from app.terms import Term

    try:
        Term.parse(text)
    except (TypeError, ValueError) as exc:
        return str(exc)
    return None


def _settings_terms_problems(d: Definition, key: str, loc: tuple) -> list:
    from app.terms import SHIFTS

    mapping = d.settings.get(key)
    if not isinstance(mapping, dict) or not mapping:
        return [(loc + ("term",), f"no mapping '{key}' under settings")]
    problems = []
    for kind, spec in mapping.items():
        where = ("settings", key, kind)
        if not isinstance(spec, dict) or set(spec) - {"term", "shift"} or "term" not in spec:
            problems.append((where, f"settings.{key}.{kind} must be {{term: ..., shift: ...}}"))
            continue
        problem = _term_problem(spec["term"])
        if problem:
            problems.append((where + ("term",), problem))
        if spec.get("shift", "next") not in SHIFTS:
            problems.append(
                (
                    where + ("shift",),
                    f"shift must be one of {', '.join(SHIFTS)}, not '{spec['shift']}'",
                )
            )
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


def _state_problems(d: Definition, name: str, state: State, strict: bool = True) -> list:
    problems = _label_problems(state.label, f"state '{name}'", ("states", name))
    deadline = state.deadline
    if deadline is None:
        return problems
    loc = ("states", name, "deadline")
    settings_term = _SETTINGS_TERM.match(deadline.term)
    if settings_term:
        problems += _settings_terms_problems(d, settings_term.group(1), loc)
    else:
        problem = _term_problem(deadline.term)
        if problem:
            problems.append((loc + ("term",), f"{problem}, or 'settings.KEY'"))
    for unused, why in (("kind", ""), ("shift", " (a kind's shift goes in settings)")):
        if strict and getattr(deadline, unused) is not None:
            problems.append((loc + (unused,), f"deadline '{unused}' is not used{why}: remove it"))
    expiry = deadline.on_expiry
    moves = [t for t in d.transitions if t.name == expiry and name in d.sources(t)]
    if expiry and not moves:
        problems.append(
            (loc + ("on_expiry",), f"on_expiry: no transition '{expiry}' from state '{name}'")
        )
    elif expiry and SYSTEM not in moves[0].roles:
        problems.append(
            (
                loc + ("on_expiry",),
                f"on_expiry: '{expiry}' is fired by the sweep: give it the role '{SYSTEM}'",
            )
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
