"""The CHECK constraint on each workflow subject's ``state`` column allows exactly the states of
its YAML definition (and the code's state lists come from the same file)."""

import re

import pytest
import sqlalchemy as sa

from app.domain import states


def _subjects(db):
    return sorted(
        (mapper.class_.__tablename__, mapper.class_.__workflow__)
        for mapper in db.Model.registry.mappers
        if getattr(mapper.class_, "__workflow__", None)
    )


def _constraint_states(db, table):
    if db.engine.dialect.name == "postgresql":
        text = db.session.scalar(
            sa.text("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = :name"),
            {"name": f"ck_{table}_state"},
        )
    else:
        sql = db.session.scalar(
            sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :name"),
            {"name": table},
        )
        match = re.search(rf"CONSTRAINT ck_{table}_state CHECK \((.*?)\)\)", sql, re.S)
        text = match.group(1) if match else None
    assert text, f"no CHECK constraint ck_{table}_state"
    return re.findall(r"'([a-z_]+)'", text)


def test_every_workflow_subject_is_covered(db):
    assert _subjects(db) == [("acts", "act"), ("recommendations", "recommendation")]


@pytest.mark.parametrize(
    "table, workflow", [("acts", "act"), ("recommendations", "recommendation")]
)
def test_check_constraint_matches_the_yaml(app, db, table, workflow):
    yaml_states = list(app.extensions["workflow"].current(workflow).states)
    in_database = _constraint_states(db, table)
    assert sorted(in_database) == sorted(yaml_states)
    assert len(in_database) == len(set(in_database))
    assert list(states.states(workflow)) == yaml_states


def test_code_lists_come_from_the_yaml(app):
    from app.domain.recommendations import OPEN_STATES
    from app.domain.responses import AWAITING_STATES, OPEN_ACT_STATES

    engine = app.extensions["workflow"]
    rec = engine.current("recommendation")
    assert OPEN_STATES == tuple(n for n, s in rec.states.items() if not s.final)
    assert AWAITING_STATES == tuple(rec.settings["groups"]["awaiting_answer"])
    assert OPEN_ACT_STATES == tuple(engine.current("act").settings["groups"]["answerable"])
    assert states.check_engine(engine) == []
