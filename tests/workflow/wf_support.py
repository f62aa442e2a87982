"""The test subject model, its own metadata, and the guards and effects the fixtures name."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.extensions import NAMING_CONVENTION
from app.workflow import Registry, WorkflowSubjectMixin
from app.workflow.models import WorkflowDefinitionSnapshot, WorkflowHistory


class TestBase(DeclarativeBase):
    """Own metadata: the subject never enters the application's ``db.metadata``."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


#: The app's users table does not exist in these tests; this stand-in keeps the real FK (and
#: its ON DELETE RESTRICT) in the test database without adding "users" to db.metadata, where
#: app.auth's model would later clash with it.
users = sa.Table("users", TestBase.metadata, sa.Column("id", sa.Integer, primary_key=True))
for _table in (WorkflowDefinitionSnapshot.__table__, WorkflowHistory.__table__):
    _table.to_metadata(TestBase.metadata)


class Case(WorkflowSubjectMixin, TestBase):
    __tablename__ = "wf_test_cases"
    __workflow__ = "case"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(sa.Text, default="")
    issued_on: Mapped[date | None] = mapped_column(sa.Date)
    notified: Mapped[int] = mapped_column(sa.Integer, default=0)


class Ticket(WorkflowSubjectMixin, TestBase):
    __tablename__ = "wf_test_tickets"
    __workflow__ = "tiny"

    id: Mapped[int] = mapped_column(primary_key=True)


@dataclass(frozen=True)
class Actor:
    id: int
    role: str


LAWYER = Actor(1, "lawyer")
MONITOR = Actor(2, "monitor")
ADMIN = Actor(3, "admin")

registry = Registry()


@registry.guard("has_text")
def has_text(subject, ctx):
    return None if subject.text.strip() else "The recommendation has no text."


@registry.effect("set_issued_on")
def set_issued_on(subject, ctx):
    subject.issued_on = date(2026, 3, 12)


@registry.after_commit("notify", queue="default")
def notify(subject, ctx):
    assert ctx.history.transition == "issue" and ctx.actor_id == LAWYER.id
    subject.notified += 1
