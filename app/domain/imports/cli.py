"""`flask import recommendations FILE [--dry-run]`."""

import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app.extensions import db

import_cli = AppGroup("import", help="Import legacy spreadsheets.")


@import_cli.command("recommendations")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check the file and report; save nothing.")
@click.option("--user", "email", help="The importing user (e-mail); the system when omitted.")
def recommendations(file, dry_run, email):
    """Import recommendations from FILE (.xlsx or .csv); on any invalid row save nothing, exit 1."""
    from app.auth.models import User
    from app.domain.imports.operations import import_recommendations

    actor = None
    if email:
        actor = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email.lower()))
        if actor is None:
            raise click.ClickException(f"no user {email}")
    report = import_recommendations(file, Path(file).name, actor, dry_run=dry_run)
    if dry_run or not report.ok:
        db.session.rollback()  # nothing is saved (the command's transaction commits nothing)
    if report.sheet:
        click.echo(f"sheet: {report.sheet}")
    if report.encoding:
        click.echo(f"encoding: {report.encoding}, delimiter: {report.delimiter!r}")
    for error in report.errors:
        where = f"row {error.row}" + (f", {error.column}" if error.column else "")
        click.echo(f"{where}: {error.message}", err=True)
    verb = "would create" if dry_run else "created"
    click.echo(
        f"rows: {report.rows}, {verb}: {report.created}, updated: {report.updated}, "
        f"errors: {len(report.errors)}" + ("" if report.ok else " — nothing saved")
    )
    sys.exit(0 if report.ok else 1)
