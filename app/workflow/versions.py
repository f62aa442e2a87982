"""Version pinning: definition texts recorded in workflow_definitions, cached once committed."""

import threading

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.extensions import db
from app.workflow.compiled import Compiled
from app.workflow.errors import DefinitionError
from app.workflow.loader import load_text
from app.workflow.models import WorkflowDefinitionSnapshot as Snapshot

_PENDING = "vidhuk_workflow_versions"


class VersionStore:
    """Maps (name, version) to compiled definitions.

    A version seen only inside the current, uncommitted transaction is kept in the session and
    cached for good only after the commit: a rollback could take the row, and its number, away.
    """

    def __init__(self, registry):
        self.registry = registry
        self._by_version: dict[tuple[str, int], Compiled] = {}
        self._by_sha: dict[str, Compiled] = {}
        self._current: dict[str, tuple[str, int]] = {}  # name -> (sha256, version), committed
        self._lock = threading.Lock()

    def get(self, name: str, version: int) -> Compiled:
        """The definition ``name`` as recorded under ``version``."""
        compiled = self._by_version.get((name, version))
        if compiled is not None:
            return compiled
        pending = db.session().info.get(_PENDING, {})
        if (name, version) in pending:
            return pending[(name, version)][1]
        row = db.session.execute(
            sa.select(Snapshot.source, Snapshot.sha256).where(
                Snapshot.name == name, Snapshot.version == version
            )
        ).first()
        if row is None:
            raise DefinitionError([f"workflow {name} v{version}:0: no such recorded version"])
        compiled = self._compile(row.source, row.sha256, f"workflow {name} v{version}", version)
        self._by_version[(name, version)] = compiled  # rows read from others are committed
        return compiled

    def register(self, name: str, current: Compiled, source: str) -> Compiled:
        """``current`` pinned to the version its text has (a new text becomes the next one)."""
        known = self._current.get(name)
        if known and known[0] == current.sha256:
            return self.get(name, known[1])
        version, inserted = self._record(name, current.sha256, source)
        pinned = current.pinned(version)
        pending = db.session().info.setdefault(_PENDING, {})
        if inserted or (name, version) in pending:
            pending[(name, version)] = (self, pinned)
        else:
            self.remember(name, pinned)  # found a row another transaction committed
        return pinned

    def _record(self, name: str, sha: str, source: str) -> tuple[int, bool]:
        """Find or insert the row for this text; concurrent inserts retry in a SAVEPOINT."""
        session = db.session
        _begin_sqlite_transaction(session)
        for _attempt in range(10):
            found = session.execute(
                sa.select(Snapshot.version).where(Snapshot.name == name, Snapshot.sha256 == sha)
            ).scalar()
            if found is not None:
                return found, False
            latest = session.execute(
                sa.select(sa.func.max(Snapshot.version)).where(Snapshot.name == name)
            ).scalar()
            try:
                with session.begin_nested():
                    row = Snapshot(name=name, version=(latest or 0) + 1, sha256=sha, source=source)
                    session.add(row)
                return row.version, True
            except IntegrityError:
                continue  # another process took this version number or recorded this text
        raise RuntimeError(f"could not record a version of workflow {name}")

    def _compile(self, source: str, sha: str, filename: str, version: int) -> Compiled:
        base = self._by_sha.get(sha)
        if base is None:
            base = Compiled(
                load_text(source, filename, self.registry, strict=False),
                version,
                sha,
                self.registry,
            )
            self._by_sha[sha] = base
        return base.pinned(version)

    def remember(self, name: str, compiled: Compiled) -> None:
        """Cache the version of the current text once its row is known to be committed."""
        with self._lock:
            self._by_version[(name, compiled.version)] = compiled
            self._by_sha.setdefault(compiled.sha256, compiled)
            self._current[name] = (compiled.sha256, compiled.version)


def _begin_sqlite_transaction(session) -> None:
    """Open the SQLite transaction for real before a SAVEPOINT.

    pysqlite (legacy transaction control) begins a transaction only at the first INSERT/UPDATE,
    so a SAVEPOINT issued before one *is* the transaction and its RELEASE commits: the row
    would survive the caller's rollback. Not needed when the app drives BEGIN itself.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.dbapi_connection
    if raw.isolation_level is not None and not raw.in_transaction:
        connection.exec_driver_sql("BEGIN")


@event.listens_for(Session, "after_commit")
def _remember_committed(session):
    for (name, _version), (store, compiled) in session.info.pop(_PENDING, {}).items():
        store.remember(name, compiled)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session):
    session.info.pop(_PENDING, None)
