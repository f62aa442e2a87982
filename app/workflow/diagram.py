"""Workflow definitions drawn as Mermaid state diagrams."""

import re

from app.workflow.definition import Definition

_UNSAFE = re.compile(r"[:;#\"\n]+")


def _text(value: str) -> str:
    return _UNSAFE.sub(" ", value).strip()


def mermaid(definition: Definition, locale: str = "uk") -> str:
    """A ``stateDiagram-v2``: ``[*]`` into the initial state, final states into ``[*]``, and
    every transition labelled (a "*" source drawn from each state that is not final)."""
    lines = ["stateDiagram-v2", f"    [*] --> {definition.initial}"]
    for name, state in definition.states.items():
        lines.append(f"    {name} : {_text(state.label.get(locale))}")
    for transition in definition.transitions:
        label = f"{_text(transition.label.get(locale))} ({transition.name})"
        for source in definition.sources(transition):
            lines.append(f"    {source} --> {transition.to} : {label}")
    for name, state in definition.states.items():
        if state.final:
            lines.append(f"    {name} --> [*]")
    return "\n".join(lines) + "\n"
