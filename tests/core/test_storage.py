"""Stored files on every backend: filesystem, database, and S3 (moto's server on loopback).

Each read checks the sha256; a missing or damaged file is a clear 409 on pages and the API,
never a 500; `flask storage migrate` copies, checks and switches, and twice changes nothing.
"""

import pytest
import sqlalchemy as sa

from app.core import storage
from app.core.storage.database import StoredFile, StoredFileChunk
from app.domain.acts.models import Document
from app.domain.acts.operations import fire

BACKENDS = ["filesystem", "database", "s3"]


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer
    from support import free_port

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def use_backend(app, db, request):
    """Switch the app to a backend for one test (and a fresh bucket for S3)."""
    saved = {k: app.config[k] for k in app.config if k.startswith(("S3_", "STORAGE_BACKEND"))}

    def use(name):
        app.config["STORAGE_BACKEND"] = name
        if name == "s3":
            import uuid

            import boto3

            endpoint = request.getfixturevalue("s3_server")
            bucket = f"vidhuk-{uuid.uuid4().hex[:8]}"
            app.config.update(
                S3_ENDPOINT_URL=endpoint,
                S3_BUCKET=bucket,
                S3_ACCESS_KEY_ID="test",
                S3_SECRET_ACCESS_KEY="test",
                S3_REGION="us-east-1",
            )
            boto3.client(
                "s3",
                endpoint_url=endpoint,
                aws_access_key_id="test",
                aws_secret_access_key="test",
                region_name="us-east-1",
            ).create_bucket(Bucket=bucket)

    yield use
    app.config.update(saved)


def damage(name, path):
    """Change a stored file behind the application's back."""
    if name == "filesystem":
        storage.absolute(path).write_bytes(b"tampered")
    elif name == "database":
        from app.extensions import db

        file_id = db.session.scalar(sa.select(StoredFile.id).where(StoredFile.path == path))
        db.session.execute(
            sa.update(StoredFileChunk).where(StoredFileChunk.file_id == file_id).values(data=b"x")
        )
        db.session.commit()
    else:
        backend = storage.backend("s3")
        sha = backend.client.head_object(Bucket=backend.bucket, Key=path)["Metadata"]["sha256"]
        backend.client.put_object(
            Bucket=backend.bucket, Key=path, Body=b"tampered", Metadata={"sha256": sha}
        )


@pytest.mark.parametrize("name", BACKENDS)
def test_round_trip_checksum_and_missing(db, use_backend, name):
    use_backend(name)
    data = bytes(range(256)) * 9000  # > 2 MiB: several database chunks
    info = storage.store("acts/1/letter.pdf", data, session=db.session)
    db.session.commit()
    assert info["size"] == len(data)
    assert storage.read("acts/1/letter.pdf", info["sha256"]) == data
    assert storage.exists("acts/1/letter.pdf")

    damage(name, "acts/1/letter.pdf")
    with pytest.raises(storage.StorageError) as caught:
        storage.read("acts/1/letter.pdf", info["sha256"])
    assert caught.value.reason == "damaged"

    storage.delete("acts/1/letter.pdf")
    db.session.commit()
    with pytest.raises(storage.StorageError) as caught:
        storage.read("acts/1/letter.pdf")
    assert caught.value.reason == "missing"


@pytest.mark.parametrize("name", BACKENDS)
def test_a_rolled_back_transaction_leaves_no_file(db, use_backend, name):
    use_backend(name)
    storage.store("responses/9/answer.pdf", b"%PDF-1.4 answer", session=db.session)
    db.session.rollback()
    assert not storage.exists("responses/9/answer.pdf")


@pytest.mark.parametrize("path", ["../secret_key", "/etc/passwd", "a/../../b", ""])
def test_paths_cannot_leave_the_storage(db, path):
    with pytest.raises(storage.StorageError):
        storage.store(path, b"x")


def ready_act(db, users, make_act, run_jobs):
    act = make_act()
    fire(act, "generate", users["lawyer"])
    db.session.commit()
    run_jobs()
    db.session.refresh(act)
    assert act.documents_status == "ready", act.documents_error
    return act


@pytest.mark.parametrize("name", BACKENDS)
def test_documents_download_on_every_backend_and_a_lost_file_is_a_clear_409(
    db, users, make_act, run_jobs, client_for, api_for, use_backend, name
):
    use_backend(name)
    act = ready_act(db, users, make_act, run_jobs)
    pdf = next(d for d in act.documents if d.format == "pdf")
    page, api = client_for(users["lawyer"]), api_for(users["lawyer"])

    response = page.get(f"/documents/{pdf.id}")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    assert api.get(f"/documents/{pdf.id}/content").data == response.data

    storage.delete(pdf.path)
    db.session.commit()
    response = page.get(f"/documents/{pdf.id}")
    assert response.status_code == 409
    assert "Збережений файл відсутній" in response.get_data(as_text=True)
    response = api.get(f"/documents/{pdf.id}/content")
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "file_unavailable"


def test_migrate_copies_checks_switches_and_twice_changes_nothing(
    app, db, users, make_act, run_jobs, client_for, tmp_path
):
    from click.testing import CliRunner

    act = ready_act(db, users, make_act, run_jobs)
    paths = sorted(d.path for d in act.documents)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["storage", "migrate", "--to", "database"])
    assert result.exit_code == 0, result.output
    assert f"{len(paths)} copied" in result.output
    assert sorted(db.session.scalars(sa.select(StoredFile.path))) == paths

    # The folder is gone: every machine now reads the database.
    import shutil

    shutil.rmtree(app.config["STORAGE_DIR"])
    pdf = db.session.scalar(sa.select(Document).where(Document.format == "pdf"))
    response = client_for(users["lawyer"]).get(f"/documents/{pdf.id}")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")

    again = runner.invoke(args=["storage", "migrate", "--to", "database"])
    assert again.exit_code == 0 and "nothing to do" in again.output
    assert isinstance(runner, CliRunner)


def test_an_email_whose_attachment_is_lost_is_not_marked_sent(
    app, db, users, make_act, run_jobs, smtp_server, monkeypatch
):
    from app.core import clock, jobs
    from app.mail.models import OutboxEmail

    smtp_server.start()
    try:
        act = ready_act(db, users, make_act, run_jobs)
        fire(act, "send", users["lawyer"], {"channel": "email", "sent_on": clock.today()})
        db.session.commit()
        # The letters job makes the registered documents and queues the e-mail; the mail
        # worker has not taken it yet when its attachments vanish.
        with monkeypatch.context() as only_letters:
            only_letters.setattr(jobs, "QUEUES", ("letters",))
            run_jobs()
        email = db.session.scalar(sa.select(OutboxEmail))
        assert email is not None and email.status == "queued" and email.attachments
        for item in email.attachments:
            storage.delete(item["path"])
        db.session.commit()
        run_jobs()
        db.session.refresh(email)
        assert email.status != "sent"
        assert "not found" in (email.last_error or "")
        assert smtp_server.messages == []
    finally:
        smtp_server.stop()
