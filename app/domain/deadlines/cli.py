"""`flask deadlines sweep [--today YYYY-MM-DD]`."""

import click
from flask.cli import AppGroup

deadlines_cli = AppGroup("deadlines", help="Legal deadlines.")


@deadlines_cli.command("sweep")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), help="Sweep as on this date.")
def sweep_command(today):
    """Fire every reminder and expiry due on that date; running it twice changes nothing."""
    from app.domain.deadlines.sweep import sweep

    report = sweep(today.date() if today else None)
    for number in report["reminded"]:
        click.echo(f"reminded: act {number}")
    for number in report["expired"]:
        click.echo(f"overdue: act {number}")
    for number in report.get("protocol", []):
        click.echo(f"protocol window closing (КУпАП 188-40): act {number}")
    for deadline_id, error in report["errors"]:
        click.echo(f"error: deadline {deadline_id}: {error}", err=True)
    click.echo(
        f"{len(report['reminded'])} reminders, {len(report['expired'])} expired, "
        f"{len(report['errors'])} errors"
    )
    if report["errors"]:
        raise SystemExit(1)
