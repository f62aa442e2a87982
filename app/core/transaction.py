"""One transaction per request, job and command, committed at its boundary.

A view, a job or a command does its work and never commits: the boundary commits the session
when the work succeeded and rolls it back when it raised (any exception, refusals included).
For a request, success is a response below 400: a form shown again with errors (422), an error
page or an API error rolls back. A view that refuses an operation raises ``OperationError`` or
shows it with ``put_on_form``/``flash_refusal`` (both roll back at once).

The session's after-commit hooks (jobs enqueued after the commit, files removed after it, the
audit log) therefore run once per request. Code that must commit in the middle (to release a
lock, to keep a failed sign-in's count while refusing, a job's claim before its network
traffic) still calls ``db.session.commit()`` itself, and says why.
"""

from functools import wraps

import click
import flask

from app.extensions import db


def finish(response):
    """Commit when ``response`` is a success (status below 400), roll back otherwise; the
    request boundary, also called earlier by whoever must know the outcome first."""
    if response.status_code < 400:
        db.session.commit()
    else:
        db.session.rollback()
    return response


class Flask(flask.Flask):
    """Flask whose views run in one transaction: committed after a successful answer, rolled
    back on an error answer or any exception (before the error handlers run)."""

    def dispatch_request(self):
        try:
            response = self.make_response(super().dispatch_request())
        except BaseException:
            db.session.rollback()
            raise
        return finish(response)


def committed(func):
    """Run ``func`` (a job or a command) in one transaction: commit when it returns, roll back
    when it raises."""

    @wraps(func)
    def run(*args, **kwargs):
        try:
            result = func(*args, **kwargs)
        except (SystemExit, click.exceptions.Exit) as exc:
            _end(succeeded=_exit_code(exc) in (0, None))
            raise
        except BaseException:
            _end(succeeded=False)
            raise
        db.session.commit()
        return result

    return run


def _exit_code(exc):
    return exc.code if isinstance(exc, SystemExit) else exc.exit_code


def _end(succeeded):
    """Commit or roll back, when there is an application (a command may fail before)."""
    if not flask.has_app_context():
        return
    if succeeded:
        db.session.commit()
    else:
        db.session.rollback()


def commit_commands(group):
    """Run every command of ``group`` (and of its subgroups) in one transaction."""
    for command in group.commands.values():
        if isinstance(command, click.Group):
            commit_commands(command)
        elif command.callback is not None and not getattr(command.callback, "committed", False):
            command.callback = committed(command.callback)
            command.callback.committed = True
