"""A real `flask worker` process for tests: the app built from the test's configuration (JSON in
VIDHUK_TEST_CONFIG), then the same run_worker as the command line."""

import json
import os

from app import create_app
from app.core.jobs import run_worker

if __name__ == "__main__":
    app = create_app(json.loads(os.environ["VIDHUK_TEST_CONFIG"]))
    with app.app_context():
        run_worker(app, logging_level="WARNING")
