"""`flask users create` and `flask users token`."""

import sys

import click
from email_validator import EmailNotValidError, validate_email
from flask.cli import AppGroup

from app.auth import ROLES
from app.auth import operations as ops
from app.extensions import db

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
    if len(password) < ops.MIN_PASSWORD:
        raise click.ClickException(f"the password must have at least {ops.MIN_PASSWORD} characters")
    user = ops.create_user(email, name, role, password, phone)
    db.session.commit()
    click.echo(f"created {user.role} {user.email} (id {user.id})", err=True)


@users_cli.command("token")
@click.argument("email")
def token(email):
    """Print a new API token for EMAIL (one line, nothing else)."""
    user = ops.find_user(email)
    if user is None or not user.is_active:
        raise click.ClickException(f"no active user with e-mail {email}")
    value = ops.issue_token(user)
    db.session.commit()
    click.echo(value)
