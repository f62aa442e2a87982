"""A web server process for tests: the app built from the test's configuration (JSON in
VIDHUK_TEST_CONFIG), served threaded on the port in VIDHUK_TEST_PORT."""

import json
import os

from werkzeug.serving import run_simple

from app import create_app

if __name__ == "__main__":
    app = create_app(json.loads(os.environ["VIDHUK_TEST_CONFIG"]))
    run_simple("127.0.0.1", int(os.environ["VIDHUK_TEST_PORT"]), app, threaded=True)
