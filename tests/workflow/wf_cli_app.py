"""An app for the CLI tests: `flask --app tests/workflow/wf_cli_app.py workflows check`."""

import os
import sys
from pathlib import Path

from flask import Flask

sys.path.insert(0, str(Path(__file__).parent))

from wf_support import registry  # noqa: E402

from app.workflow import init_app  # noqa: E402
from app.workflow.cli import workflows_cli  # noqa: E402


def create_app():
    app = Flask(__name__)
    init_app(app, os.environ["WORKFLOWS_DIR"], registry)
    app.cli.add_command(workflows_cli)
    return app
