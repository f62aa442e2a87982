"""Two machines, one office: two web servers and two workers, each with a STORAGE_DIR of its own,
sharing the database and Redis. With STORAGE_BACKEND=database (and s3, against moto's server on
loopback) a document made by either worker downloads from both web servers, and every act e-mail
arrives with its PDF."""

import io
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from pypdf import PdfReader
from support import free_port

from app.core.clock import today as kyiv_today

ROOT = Path(__file__).resolve().parents[2]


class Machine:
    """One machine's processes: a web server or a worker, with its own STORAGE_DIR."""

    def __init__(self, app, tmp_path, name, extra):
        self.port = free_port()
        config = {
            "INSTANCE_PATH": str(tmp_path / name / "instance"),
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "REDIS_URL": app.config["REDIS_URL"],
            "REDIS_PREFIX": app.config["REDIS_PREFIX"],
            "STORAGE_DIR": str(tmp_path / name / "storage"),
            "SECRET_KEY": "test-secret",
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{self.port}",
            **extra,
        }
        self.env = {
            **os.environ,
            "VIDHUK_TEST_CONFIG": json.dumps(config),
            "VIDHUK_TEST_PORT": str(self.port),
            "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tests'}",
        }
        self.procs = []
        self.log_path = tmp_path / name / "stderr.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log = self.log_path.open("ab")

    def start(self, module):
        self.procs.append(
            subprocess.Popen(
                [sys.executable, "-m", f"core.support.{module}"],
                env=self.env,
                cwd=ROOT,
                start_new_session=True,
                stdout=subprocess.DEVNULL,
                stderr=self.log,
            )
        )
        return self

    def log_tail(self):
        self.log.flush()
        return self.log_path.read_text(errors="replace")[-3000:]

    def stop(self):
        for proc in self.procs:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=20)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        self.procs = []

    def close(self):
        self.stop()
        self.log.close()

    def call(self, method, path, token, body=None):
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/api/v1{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                data = response.read()
                kind = response.headers.get("Content-Type", "")
                return response.status, json.loads(data) if "json" in kind else data
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def wait_up(self):
        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2).read()
                return self
            except urllib.error.HTTPError:
                return self
            except OSError:
                time.sleep(0.2)
        raise AssertionError("the web server did not start")


def wait_for(condition, seconds=90, step=0.3):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("timed out")


@pytest.fixture
def storage_settings(app, request):
    if request.param == "database":
        return {"STORAGE_BACKEND": "database"}
    import uuid

    import boto3
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    request.addfinalizer(server.stop)
    settings = {
        "STORAGE_BACKEND": "s3",
        "S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "S3_BUCKET": f"vidhuk-{uuid.uuid4().hex[:8]}",
        "S3_ACCESS_KEY_ID": "test",
        "S3_SECRET_ACCESS_KEY": "test",
        "S3_REGION": "us-east-1",
    }
    boto3.client(
        "s3",
        endpoint_url=settings["S3_ENDPOINT_URL"],
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    ).create_bucket(Bucket=settings["S3_BUCKET"])
    return settings


@pytest.mark.parametrize("storage_settings", ["database", "s3"], indirect=True)
def test_two_machines_share_documents_and_every_email_carries_its_pdf(
    app, db, users, registry, issued, smtp_server, storage_settings, tmp_path
):
    from app.auth.operations import issue_token

    token = issue_token(users["lawyer"])
    db.session.commit()
    smtp_server.start()
    extra = {**storage_settings, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_server.port}
    one = Machine(app, tmp_path, "one", extra)
    two = Machine(app, tmp_path, "two", extra)
    try:
        one.start("web_proc").wait_up()
        two.start("web_proc").wait_up()
        acts = []
        # Each act's documents are made by a different machine's worker.
        for machine, recs in ((one, issued[:2]), (two, issued[2:])):
            machine.start("worker_proc")
            status, act = machine.call(
                "POST",
                "/acts",
                token,
                {
                    "kind": "submission",
                    "authority_id": registry["agency"].id,
                    "recommendation_ids": [r.id for r in recs],
                },
            )
            assert status == 201, act
            assert (
                machine.call("POST", f"/acts/{act['id']}/transitions", token, {"name": "generate"})[
                    0
                ]
                == 200
            )
            wait_for(
                lambda a=act, m=machine: (
                    m.call("GET", f"/acts/{a['id']}", token)[1]["documents_status"] == "ready"
                )
            )
            machine.stop()  # this machine's worker goes; the web server is started again
            machine.start("web_proc").wait_up()
            acts.append(act)

        for act in acts:
            _, documents = one.call("GET", f"/acts/{act['id']}/documents", token)
            assert {d["format"] for d in documents} >= {"docx", "pdf"}
            for document in documents:
                for machine in (one, two):
                    status, content = machine.call(
                        "GET", f"/documents/{document['id']}/content", token
                    )
                    assert status == 200, (machine.port, content)
                    assert len(content) == document["size"]

        one.start("worker_proc")
        two.start("worker_proc")
        for machine, act in zip((one, two), acts, strict=True):
            status, body = machine.call(
                "POST",
                f"/acts/{act['id']}/transitions",
                token,
                {"name": "send", "channel": "email", "sent_on": kyiv_today().isoformat()},
            )
            assert status == 200, (body, machine.log_tail())
        wait_for(lambda: len(smtp_server.messages) == 2)
        for received in smtp_server.messages:
            (pdf,) = [
                part
                for part in received.message.iter_attachments()
                if part.get_content_type() == "application/pdf"
            ]
            text = " ".join(
                p.extract_text() for p in PdfReader(io.BytesIO(pdf.get_content())).pages
            )
            assert "Державна кримінально-виконавча служба України" in " ".join(text.split())
        for act in acts:
            _, emails = one.call("GET", f"/acts/{act['id']}/emails", token)
            wait_for(
                lambda a=act: (
                    one.call("GET", f"/acts/{a['id']}/emails", token)[1][0]["status"] == "sent"
                )
            )
    finally:
        one.close()
        two.close()
