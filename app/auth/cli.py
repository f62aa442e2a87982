"""`flask users create`, `flask users token` and `flask users reset-2fa`."""

import sys
from datetime import UTC, datetime, time

import click
from email_validator import EmailNotValidError, validate_email
from flask.cli import AppGroup

from app.auth import ROLES, sessions, twofactor
from app.auth import operations as ops
from app.auth.passwords import password_problems
from app.core.clock import KYIV, today

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Full name as shown in the app and in letters.")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--phone", default="", help="Phone shown as the letters' executor.")
def create(email, name, role, phone):
    """Create a user. The password is read from stdin when piped, else prompted."""
    try:
        email = validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise click.BadParameter(str(exc), param_hint="EMAIL") from None
    if ops.find_user(email) is not None:
        raise click.ClickException(f"a user with e-mail {email} already exists")
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    problems = password_problems(password, email, name)
    if problems:
        raise click.ClickException(" ".join(str(p) for p in problems))
    user = ops.create_user(email, name, role, password, phone)
    click.echo(f"created {user.role} {user.email} (id {user.id})", err=True)


def _active_user(email):
    user = ops.find_user(email)
    if user is None or not user.is_active:
        raise click.ClickException(f"no active user with e-mail {email}")
    return user


@users_cli.command("token")
@click.argument("email")
@click.option("--name", default="command line", help="What the token is for (shown in lists).")
@click.option(
    "--expires",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Last day the token works (YYYY-MM-DD); default: until revoked.",
)
def token(email, name, expires):
    """Print a new API token for EMAIL (one line, nothing else)."""
    user = _active_user(email)
    expires_at = None
    if expires is not None:
        if expires.date() <= today():
            raise click.BadParameter("give a date in the future", param_hint="--expires")
        expires_at = datetime.combine(expires.date(), time(23, 59, 59), KYIV).astimezone(UTC)
    value = ops.issue_token(user, name, expires_at)
    click.echo(value)


@users_cli.command("reset-2fa")
@click.argument("email")
def reset_2fa(email):
    """Remove EMAIL's second factor and recovery codes and end their sign-ins (a lost phone).
    Where their role requires it, they enrol again at the next sign-in."""
    user = _active_user(email)
    if not user.has_2fa:
        raise click.ClickException(f"{email} has no second factor")
    twofactor.disable(user, None, event="2fa.reset")
    sessions.end_all_sessions(user)
    click.echo(f"two-factor sign-in removed for {user.email}", err=True)
