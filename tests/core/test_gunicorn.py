"""The repository's gunicorn.conf.py serves the app: a real gunicorn on loopback."""

import http.client
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from support import free_port

ROOT = Path(__file__).resolve().parents[2]


def test_gunicorn_conf_serves_the_app_and_keeps_connections_alive(app, db, tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": app.config["REDIS_URL"],
        "VIDHUK_INSTANCE": str(tmp_path / "instance"),
        "SECRET_KEY": "test-secret",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESSLOG": "",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as r:
                    body, headers = r.read().decode(), r.headers
                    break
            except OSError:
                time.sleep(0.2)
        assert body is not None, proc.stderr.read1().decode() if proc.poll() is not None else ""
        assert 'lang="uk"' in body and headers["Content-Type"].startswith("text/html")

        # Keep-alive longer than gunicorn's default of 2 s: one connection, two requests 3 s apart.
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/healthz")
        first = conn.getresponse()
        first.read()
        assert first.getheader("Connection", "").lower() != "close"
        sock = conn.sock
        time.sleep(3)
        conn.request("GET", "/login")
        second = conn.getresponse()
        assert second.status == 200 and 'lang="uk"' in second.read().decode()
        assert conn.sock is sock, "the server closed the kept-alive connection"
        conn.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        proc.stderr.close()
