"""Domain commands: `flask demo load`."""

import click
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Load only into a database with no users.")
def load(if_empty):
    """Load realistic Ukrainian demo data; running it twice changes nothing."""
    from app.domain import demo

    if if_empty and not demo.is_empty():
        click.echo("The database has data: demo data not loaded.")
        return
    demo.load_demo()
    click.echo("Demo data loaded.")


@demo_cli.command("logins")
def logins():
    """Print the demo accounts."""
    from app.domain.demo import logins as demo_logins

    click.echo("Demo logins (change or remove them on a real server):")
    for role, email, password in demo_logins():
        click.echo(f"  {role:8} {email:24} {password}")


def register(app):
    from app.domain.deadlines.cli import deadlines_cli
    from app.domain.imports.cli import import_cli
    from app.domain.retention import retention_cli

    app.cli.add_command(demo_cli)
    app.cli.add_command(deadlines_cli)
    app.cli.add_command(import_cli)
    app.cli.add_command(retention_cli)
    from app.domain.inbox.cli import mail_cli

    app.cli.add_command(mail_cli)
