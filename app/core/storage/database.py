"""Files kept in the database, in chunks of 1 MiB: every machine reads what any machine wrote,
backups include them, and a rolled-back transaction takes its files with it. Reads stream chunk
by chunk, never the whole file at once."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import UTCDateTime, utcnow
from app.core.storage.base import CHUNK, StorageError
from app.extensions import db


class StoredFile(db.Model):
    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(sa.String(500), unique=True)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    created_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow)


class StoredFileChunk(db.Model):
    __tablename__ = "stored_file_chunks"

    file_id: Mapped[int] = mapped_column(
        sa.ForeignKey("stored_files.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)


class StorageSetting(db.Model):
    """The backend in use, recorded by `flask storage migrate` (one row)."""

    __tablename__ = "storage_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    backend: Mapped[str] = mapped_column(sa.String(20))
    switched_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow)


def recorded_backend():
    row = db.session.execute(sa.select(StorageSetting.backend).limit(1)).first()
    return row[0] if row else None


def record_backend(name):
    row = db.session.scalar(sa.select(StorageSetting).limit(1))
    if row is None:
        db.session.add(StorageSetting(backend=name))
    else:
        row.backend, row.switched_at = name, utcnow()


class Backend:
    name = "database"

    def __init__(self, app):
        self.app = app

    def write(self, relative, data, sha256, session=None):
        session = session or db.session
        old = session.scalar(sa.select(StoredFile).where(StoredFile.path == relative))
        if old is not None:
            session.delete(old)
            session.flush()
        row = StoredFile(path=relative, sha256=sha256, size=len(data))
        session.add(row)
        session.flush()
        for seq, start in enumerate(range(0, max(len(data), 1), CHUNK)):
            session.add(StoredFileChunk(file_id=row.id, seq=seq, data=data[start : start + CHUNK]))
        session.flush()

    def chunks(self, relative):
        row = db.session.execute(
            sa.select(StoredFile.id, StoredFile.sha256).where(StoredFile.path == relative)
        ).first()
        if row is None:
            raise StorageError(relative, "missing")
        seq = 0
        while True:
            data = db.session.scalar(
                sa.select(StoredFileChunk.data).where(
                    StoredFileChunk.file_id == row.id, StoredFileChunk.seq == seq
                )
            )
            if data is None:
                return
            yield bytes(data), row.sha256
            seq += 1

    def exists(self, relative):
        return (
            db.session.scalar(sa.select(StoredFile.id).where(StoredFile.path == relative))
            is not None
        )

    def delete(self, relative):
        ids = sa.select(StoredFile.id).where(StoredFile.path == relative).scalar_subquery()
        db.session.execute(sa.delete(StoredFileChunk).where(StoredFileChunk.file_id == ids))
        db.session.execute(sa.delete(StoredFile).where(StoredFile.path == relative))

    def delete_after_commit(self, relative, session):
        self.delete(relative)  # in the transaction itself: gone if it commits, kept if not

    def list(self):
        yield from db.session.execute(
            sa.select(StoredFile.path, StoredFile.sha256).order_by(StoredFile.path)
        ).all()
