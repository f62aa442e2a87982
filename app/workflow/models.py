"""Tables of the engine (definition snapshots, history) and the mixin for workflow subjects."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from app.core.db import UTCDateTime, utcnow
from app.extensions import db


class WorkflowDefinitionSnapshot(db.Model):
    """The text of a definition as it was when a case started under it (append-only)."""

    __tablename__ = "workflow_definitions"
    __table_args__ = (
        sa.UniqueConstraint("name", "version"),
        sa.UniqueConstraint("name", "sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    #: 1, 2, ... per name, in the order the texts were first used.
    version: Mapped[int] = mapped_column(sa.Integer)
    #: Hex SHA-256 of ``source``, so an unchanged file reuses its version.
    sha256: Mapped[str] = mapped_column(sa.String(64))
    source: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WorkflowHistory(db.Model):
    """One row per transition of a case, from its creation on (oldest first by id)."""

    __tablename__ = "workflow_history"
    __table_args__ = (sa.Index("ix_workflow_history_subject", "subject_type", "subject_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The subject's table name.
    subject_type: Mapped[str] = mapped_column(sa.String(80))
    subject_id: Mapped[int] = mapped_column(sa.Integer)
    workflow: Mapped[str] = mapped_column(sa.String(80))
    workflow_version: Mapped[int] = mapped_column(sa.Integer)
    transition: Mapped[str] = mapped_column(sa.String(80))
    #: None for the creation entry.
    from_state: Mapped[str | None] = mapped_column(sa.String(40))
    to_state: Mapped[str] = mapped_column(sa.String(40))
    #: None when the system fired the transition (timers, jobs).
    actor_id: Mapped[int | None] = mapped_column(
        # use_alter: the engine does not import the users model, so the mapper must not need to
        # resolve this key to order its flushes (it has no relationship to users anyway).
        sa.Integer,
        sa.ForeignKey("users.id", ondelete="RESTRICT", use_alter=True),
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    comment: Mapped[str | None] = mapped_column(sa.Text)
    #: The transition's parameters, JSON-safe (dates as YYYY-MM-DD).
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    def __repr__(self) -> str:
        return f"<WorkflowHistory {self.subject_type}#{self.subject_id} {self.transition}>"


class WorkflowSubjectMixin:
    """Columns of a model whose ``state`` the engine drives (set ``__workflow__``).

    ``version`` is the mapper's ``version_id_col``: every UPDATE checks it, so two people firing
    from the same state cannot both win. A model that needs more mapper arguments combines them::

        @declared_attr.directive
        def __mapper_args__(cls):
            return {**WorkflowSubjectMixin.version_mapper_args(cls), "eager_defaults": True}
    """

    #: The workflow's name (the ``name:`` in its YAML file).
    __workflow__: str = ""

    #: Current state; changed only by the workflow engine.
    state: Mapped[str] = mapped_column(sa.String(40), index=True)
    #: The version of the definition the case started under (see workflow_definitions).
    workflow_version: Mapped[int] = mapped_column(sa.Integer)
    #: Optimistic lock, incremented by every UPDATE.
    version: Mapped[int] = mapped_column(sa.Integer)

    @staticmethod
    def version_mapper_args(cls) -> dict:
        """The mapper arguments the mixin needs, for models that define their own."""
        return {"version_id_col": cls.__table__.c.version}

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return WorkflowSubjectMixin.version_mapper_args(cls)

    def history_query(self) -> sa.Select:
        """A SELECT of this case's history rows, oldest first."""
        return (
            sa.select(WorkflowHistory)
            .where(
                WorkflowHistory.subject_type == self.__table__.name,
                WorkflowHistory.subject_id == self.id,
            )
            .order_by(WorkflowHistory.id)
        )

    def history(self) -> list[WorkflowHistory]:
        """This case's history rows, oldest first."""
        return list(db.session.scalars(self.history_query()))

    def delete_with_history(self) -> None:
        """Delete the case and its history rows (the domain decides when that is allowed)."""
        db.session.execute(
            sa.delete(WorkflowHistory).where(
                WorkflowHistory.subject_type == self.__table__.name,
                WorkflowHistory.subject_id == self.id,
            )
        )
        db.session.delete(self)
        db.session.flush()
