"""The hot path of a transition: one versioned UPDATE and one INSERT, without a unit-of-work flush.

The ORM would do the same two statements, but its flush costs more than the statements; the
engine issues them directly on the session's connection (same transaction) and tells the ORM
the new committed values, so nothing is written twice.
"""

import sqlalchemy as sa
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db
from app.workflow.errors import Conflict
from app.workflow.models import WorkflowHistory

_INSERT = WorkflowHistory.__table__.insert()
_HISTORY_MANAGER = sa.inspect(WorkflowHistory).class_manager


class SubjectInfo:
    """What the engine needs to know about a subject class, worked out once."""

    __slots__ = ("table_name", "path", "mapper", "update")

    def __init__(self, cls):
        table = cls.__table__
        self.table_name = table.name
        self.path = f"{cls.__module__}.{cls.__qualname__}"
        self.mapper = sa.inspect(cls)
        (pk,) = self.mapper.primary_key
        #: The statement the mapper's version_id_col would produce, built once.
        self.update = (
            table.update()
            .where(pk == sa.bindparam("_id"), table.c.version == sa.bindparam("_version"))
            .values(state=sa.bindparam("_state"), version=sa.bindparam("_next"))
        )


def write_transition(subject, info: SubjectInfo, to_state: str, values: dict) -> WorkflowHistory:
    """Move ``subject`` to ``to_state`` if its version is unchanged (else ``Conflict``) and
    insert the history row ``values``; return that row, persistent in the session."""
    session = db.session()
    connection = session.connection(bind_arguments={"mapper": info.mapper})
    version = subject.version
    try:
        done = connection.execute(
            info.update,
            {"_id": subject.id, "_version": version, "_state": to_state, "_next": version + 1},
        )
    except sa.exc.OperationalError as exc:
        if is_stale_snapshot(exc):
            raise Conflict() from None
        raise
    if done.rowcount != 1:
        raise Conflict()
    set_committed_value(subject, "state", to_state)
    set_committed_value(subject, "version", version + 1)
    (history_id,) = connection.execute(_INSERT, values).inserted_primary_key
    return _persistent_history(session, history_id, values)


#: SQLite's SQLITE_BUSY_SNAPSHOT: this transaction read before another one wrote and committed.
_SQLITE_BUSY_SNAPSHOT = 517


def is_stale_snapshot(exc: Exception) -> bool:
    """True when SQLite refuses a write because the data read in this transaction is stale
    (WAL mode): the same situation as a version mismatch, so it is a ``Conflict`` too."""
    return getattr(getattr(exc, "orig", None), "sqlite_errorcode", None) == _SQLITE_BUSY_SNAPSHOT


def _persistent_history(session, history_id: int, values: dict) -> WorkflowHistory:
    """The row just inserted as an ORM object, as if loaded: filling ``__dict__`` the way a
    query does skips eleven attribute events, which cost more than the INSERT."""
    history = _HISTORY_MANAGER.new_instance()
    history.__dict__.update(values, id=history_id)
    make_transient_to_detached(history)
    session.add(history)
    return history
