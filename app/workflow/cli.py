"""`flask workflows check` and `flask workflows graph NAME`."""

import os
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.workflow.loader import check_dir, load_dir

workflows_cli = AppGroup("workflows", help="Check and draw the workflow definitions.")


def invoked_as_check(argv: list[str] | None = None) -> bool:
    """Whether this process is ``flask ... workflows check``: the app must then start even with
    broken definitions, so that the command can list the problems."""
    argv = sys.argv if argv is None else argv
    if not argv or Path(argv[0]).name not in ("flask", "__main__.py", "flask.exe"):
        return False
    words = [a for a in argv[1:] if not a.startswith("-")]
    return any(a == "workflows" and b == "check" for a, b in zip(words, words[1:], strict=False))


def _directory(directory):
    return (
        directory
        or current_app.extensions.get("workflow_dir")
        or current_app.config.get("WORKFLOWS_DIR")
    )


def _registry():
    from app.workflow.registry import registry

    return current_app.extensions.get("workflow_registry", registry)


def _shown(problem: str) -> str:
    """A problem with its file relative to the working directory, as a user typed it."""
    path, sep, rest = problem.partition(":")
    try:
        return os.path.relpath(path) + sep + rest if Path(path).is_absolute() else problem
    except ValueError:
        return problem


@workflows_cli.command("check")
@click.option(
    "--dir", "directory", type=click.Path(file_okay=False), help="Default: WORKFLOWS_DIR."
)
def check(directory):
    """Validate every workflow definition; print FILE:LINE: message for each problem."""
    directory = _directory(directory)
    problems = check_dir(directory, _registry())
    for problem in problems:
        click.echo(_shown(problem))
    if problems:
        click.get_current_context().exit(1)
    count = len(list(Path(directory).glob("*.yaml"))) + len(list(Path(directory).glob("*.yml")))
    click.echo(f"OK: {count} workflows")


@workflows_cli.command("graph")
@click.argument("name")
@click.option("--locale", default="uk", show_default=True, type=click.Choice(["uk", "en"]))
@click.option(
    "--dir", "directory", type=click.Path(file_okay=False), help="Default: WORKFLOWS_DIR."
)
def graph(name, locale, directory):
    """Print workflow NAME as a Mermaid state diagram."""
    from app.workflow.diagram import mermaid
    from app.workflow.errors import DefinitionError

    try:
        loaded = load_dir(_directory(directory), _registry())
    except DefinitionError as exc:
        for problem in exc.problems:
            click.echo(_shown(problem))
        click.get_current_context().exit(1)
    if name not in loaded:
        raise click.UsageError(f"no workflow named {name!r}; known: {', '.join(sorted(loaded))}")
    click.echo(mermaid(loaded[name].definition, locale), nl=False)
