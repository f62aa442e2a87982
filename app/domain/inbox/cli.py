"""`flask mail fetch`: read the office mailbox now."""

import click
from flask.cli import AppGroup

mail_cli = AppGroup("mail", help="The office mailbox.")


@mail_cli.command("fetch")
@click.option("--limit", type=click.IntRange(min=1), help="Read at most this many new messages.")
def fetch_command(limit):
    """Read new messages from IMAP_URL, file them, put them away; prints the counts."""
    from app.domain.inbox.fetch import FetchBusy, fetch
    from app.mail.imap import ImapConfigError

    try:
        counts = fetch(limit=limit)
    except ImapConfigError as exc:
        raise click.ClickException(str(exc)) from None
    except FetchBusy:
        raise click.ClickException("Another fetch is running; try again in a minute.") from None
    click.echo(" ".join(f"{key}={value}" for key, value in sorted(counts.items())))
