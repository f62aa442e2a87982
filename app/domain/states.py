"""The domain's state lists, read from the workflow files instead of repeated in Python.

``workflows/recommendation.yaml`` and ``workflows/act.yaml`` name the states (the CHECK
constraints on ``state`` columns hold the same list; a test compares them), which ones are
final, and under ``settings.groups`` the named sets the code reads (awaiting an answer, counted
as implemented ...). Read once at import, from the files shipped with the application; at
start-up ``check_engine`` refuses a WORKFLOWS_DIR whose definitions say otherwise.
"""

from pathlib import Path

import yaml

SHIPPED = Path(__file__).resolve().parents[2] / "workflows"


def _read(name: str) -> dict:
    return yaml.safe_load((SHIPPED / f"{name}.yaml").read_text(encoding="utf-8"))


_DATA = {name: _read(name) for name in ("recommendation", "act")}


def states(workflow: str) -> tuple[str, ...]:
    """Every state of ``workflow``, in the file's order."""
    return tuple(_DATA[workflow]["states"])


def final(workflow: str) -> tuple[str, ...]:
    """The states that end a case."""
    return tuple(n for n, s in _DATA[workflow]["states"].items() if (s or {}).get("final"))


def not_final(workflow: str) -> tuple[str, ...]:
    """The states in which a case is still open."""
    ended = set(final(workflow))
    return tuple(n for n in states(workflow) if n not in ended)


def group(workflow: str, name: str) -> tuple[str, ...]:
    """The states of ``settings.groups.NAME``."""
    return tuple(_DATA[workflow]["settings"]["groups"][name])


def check_engine(engine) -> list[str]:
    """Where the loaded definitions disagree with the lists read here (empty: they agree)."""
    problems = []
    for name, data in _DATA.items():
        definition = engine.current(name)
        loaded = {
            "states": tuple(definition.states),
            "final": tuple(n for n, s in definition.states.items() if s.final),
            "groups": {k: tuple(v) for k, v in definition.settings.get("groups", {}).items()},
        }
        shipped = {
            "states": states(name),
            "final": final(name),
            "groups": {k: tuple(v) for k, v in data["settings"]["groups"].items()},
        }
        for key in loaded:
            if loaded[key] != shipped[key]:
                problems.append(
                    f"{name}.yaml:1: {key} differ from the application's ({shipped[key]!r}); "
                    "the database's CHECK constraints and the code follow the shipped file"
                )
    return problems
