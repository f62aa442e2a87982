"""`flask storage migrate --to BACKEND`: copy every stored file to another backend, check each
sha256 there, then switch every machine to it (the choice is recorded in the database)."""

import click
from flask import current_app
from flask.cli import with_appcontext

from app.core import storage
from app.extensions import db


@click.group("storage")
def storage_cli():
    """Stored files (letters, uploaded answers)."""


@storage_cli.command("migrate")
@click.option("--to", "target_name", required=True, type=click.Choice(storage.BACKENDS))
@with_appcontext
def migrate(target_name):
    """Copy every file to BACKEND, check each sha256, then switch to it. Twice changes nothing."""
    from app.core.storage.database import record_backend

    source_name = storage.active_name()
    if source_name == target_name:
        click.echo(f"storage: already on {target_name}; nothing to do")
        return
    source, target = storage.backend(source_name), storage.backend(target_name)
    copied = skipped = 0
    for path, sha256 in list(source.list()):
        data = storage.read(path, sha256) if sha256 else _read_from(source, path)
        digest = storage.sha256_of(data)
        if target.exists(path) and _digest_at(target, path) == digest:
            skipped += 1
            continue
        target.write(path, data, digest, session=db.session)
        db.session.flush()
        if _digest_at(target, path) != digest:
            raise click.ClickException(f"{path}: the copy's sha256 differs; nothing switched")
        copied += 1
    record_backend(target_name)
    db.session.commit()
    current_app.logger.info("storage migrated from %s to %s", source_name, target_name)
    click.echo(
        f"storage: {copied} copied, {skipped} already there, from {source_name} to "
        f"{target_name}; every machine now uses {target_name}"
    )


def _read_from(backend, path):
    return b"".join(chunk for chunk, _sha in backend.chunks(path))


def _digest_at(backend, path):
    return storage.sha256_of(_read_from(backend, path))
