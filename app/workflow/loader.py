"""Load workflow YAML with line numbers, validate it and report every problem as FILE:LINE."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from app.workflow.definition import Definition
from app.workflow.errors import DefinitionError


@dataclass(frozen=True)
class Loaded:
    """A validated definition with the text it came from."""

    definition: Definition
    source: str
    sha256: str
    path: str


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_text(text: str, filename: str, registry=None, strict: bool = True) -> Definition:
    """Parse and validate one definition; raise ``DefinitionError`` listing every problem.

    ``strict=False`` reads a recorded version: keys an older grammar had are tolerated."""
    definition, problems = _validate(text, filename, registry, strict)
    if problems:
        raise DefinitionError(problems)
    return definition


def load_file(path, registry=None) -> Loaded:
    """Load one YAML file (see ``load_text``)."""
    text = Path(path).read_text(encoding="utf-8")
    return Loaded(load_text(text, str(path), registry), text, sha256_of(text), str(path))


def load_dir(directory, registry=None) -> dict[str, Loaded]:
    """Every ``*.yaml`` in ``directory`` by workflow name; ``DefinitionError`` on any problem."""
    loaded, problems = _load_dir(directory, registry)
    if problems:
        raise DefinitionError(problems)
    return loaded


def check_dir(directory, registry=None) -> list[str]:
    """The problems of every definition in ``directory`` as ``FILE:LINE: message`` (CLI)."""
    return _load_dir(directory, registry)[1]


def _load_dir(directory, registry) -> tuple[dict[str, Loaded], list[str]]:
    directory = Path(directory)
    if not directory.is_dir():
        return {}, [f"{directory}:0: no such directory"]
    loaded, problems, where = {}, [], {}
    for path in sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")]):
        text = path.read_text(encoding="utf-8")
        definition, found = _validate(text, str(path), registry)
        problems += found
        if definition is None:
            continue
        if definition.name in where:
            problems.append(
                f"{path}:1: workflow '{definition.name}' is also defined in {where[definition.name]}"
            )
            continue
        where[definition.name] = path
        loaded[definition.name] = Loaded(definition, text, sha256_of(text), str(path))
    return loaded, problems


def _validate(
    text: str, filename: str, registry, strict: bool = True
) -> tuple[Definition | None, list[str]]:
    data, lines, problems = _parse(text, filename)
    if data is None:
        return None, problems
    if not isinstance(data, dict):
        return None, problems + [f"{filename}:1: the file must hold a mapping (name, states ...)"]
    found = []
    try:
        definition = Definition.model_validate(
            data, context={"registry": registry, "problems": found, "strict": strict}
        )
    except ValidationError as exc:
        definition = None
        found = [(e["loc"], _pydantic_message(e, data)) for e in exc.errors(include_url=False)]
    located = sorted(((_line(lines, loc), message) for loc, message in found), key=lambda p: p[0])
    problems += [f"{filename}:{line}: {message}" for line, message in located]
    return (None if problems else definition), problems


def _parse(text: str, filename: str):
    """YAML → (data, {path: line}, problems); a syntax error yields data None."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}, [f"{filename}:1: the file is empty"]
        lines, problems = {(): node.start_mark.line + 1}, []
        _walk(loader, node, (), lines, problems, filename)
        return loader.construct_document(node), lines, problems
    except yaml.MarkedYAMLError as exc:
        return None, {}, [_syntax_error(exc, filename)]
    except yaml.YAMLError as exc:
        return None, {}, [f"{filename}:1: YAML error: {exc}"]
    finally:
        loader.dispose()


def _syntax_error(exc: yaml.MarkedYAMLError, filename: str) -> str:
    mark = exc.problem_mark or exc.context_mark
    message = f"{filename}:{mark.line + 1 if mark else 1}: YAML syntax error: {exc.problem}"
    if exc.context and exc.context_mark and exc.context_mark.line != getattr(mark, "line", None):
        message += f" ({exc.context} on line {exc.context_mark.line + 1})"
    return message


def _walk(loader, node, path, lines, problems, filename):
    """Record the line of every mapping key and sequence item, and flag duplicate keys."""
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if not isinstance(key, (str, int, bool, float)):
                problems.append(f"{filename}:{line}: a key must be a plain word, not {key!r}")
                continue
            if key in seen:
                problems.append(f"{filename}:{line}: duplicate key '{key}'")
                continue
            seen.add(key)
            lines[path + (key,)] = line
            _walk(loader, value_node, path + (key,), lines, problems, filename)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[path + (i,)] = item.start_mark.line + 1
            _walk(loader, item, path + (i,), lines, problems, filename)


def _line(lines: dict, loc) -> int:
    loc = tuple(loc)
    while loc not in lines:
        loc = loc[:-1]
    return lines[loc]


def _pydantic_message(error: dict, data: dict) -> str:
    loc, kind = error["loc"], error["type"]
    where = _describe(loc, data)
    field = loc[-1] if loc else ""
    if kind == "missing":
        text = f"missing '{field}'"
    elif kind == "extra_forbidden":
        text = f"unknown key '{field}'"
    else:
        text = f"{'.'.join(map(str, loc[_described(loc) :]))}: {error['msg']}".lstrip(": ")
    return f"{where}: {text}" if where else text


def _described(loc) -> int:
    """How many leading items of ``loc`` ``_describe`` names."""
    return 2 if len(loc) >= 2 and loc[0] in ("states", "transitions") else 0


def _describe(loc, data) -> str:
    if not _described(loc):
        return ""
    if loc[0] == "states":
        return f"state '{loc[1]}'"
    try:
        return f"transition '{data['transitions'][loc[1]]['name']}'"
    except (KeyError, IndexError, TypeError):
        return f"transition #{loc[1] + 1}"
