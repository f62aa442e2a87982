"""Firing transitions: order of checks, roles, parameters, guards, effects, history."""

from datetime import date

import pytest
from wf_support import ADMIN, LAWYER, MONITOR, Case

from app.extensions import db
from app.workflow import (
    Conflict,
    GuardRefused,
    InvalidParams,
    NotAllowed,
    UnknownTransition,
    WorkflowHistory,
    WrongState,
)


def new_case(engine, text="Provide access to a shelter during air raids", actor=LAWYER):
    case = Case(text=text)
    engine.start(case, actor)
    db.session.commit()
    return case


def advance(engine, case, *names):
    params = {"send": {"sent_on": "2026-03-12", "channel": "email"}, "respond": {"comment": "ok"}}
    for name in names:
        engine.fire(case, name, LAWYER, params.get(name))
    db.session.commit()


def test_start_records_the_creation(engine):
    case = Case(text="x")
    history = engine.start(case, None, comment="imported")
    db.session.commit()
    assert (case.state, case.workflow_version, case.version) == ("draft", 1, 1)
    assert (history.transition, history.from_state, history.to_state) == ("create", None, "draft")
    assert history.actor_id is None and history.comment == "imported"
    assert history.subject_type == "wf_test_cases" and history.subject_id == case.id


def test_fire_sets_state_and_appends_history(engine):
    case = new_case(engine)
    engine.fire(case, "issue", LAWYER, {"comment": "approved"})
    history = engine.fire(case, "send", LAWYER, {"sent_on": date(2026, 3, 12), "channel": "post"})
    db.session.commit()
    assert case.state == "sent" and case.version == 4  # 3 transitions, 1 effect wrote the row
    rows = engine.history(case)
    assert [(h.transition, h.from_state, h.to_state) for h in rows] == [
        ("create", None, "draft"),
        ("issue", "draft", "issued"),
        ("send", "issued", "sent"),
    ]
    assert rows[1].comment == "approved" and rows[1].params == {}
    assert rows[2].params == {"sent_on": "2026-03-12", "channel": "post"}
    assert rows[2].id == history.id and all(h.actor_id == LAWYER.id for h in rows)
    assert rows[2].at.tzinfo is not None and rows[2].workflow == "case"


def test_unknown_transition(engine):
    case = new_case(engine)
    with pytest.raises(UnknownTransition) as caught:
        engine.fire(case, "teleport", LAWYER)
    error = caught.value
    assert (error.status, error.code) == (422, "unknown_transition")
    assert error.to_dict()["error"]["fields"] == {"name": ["There is no action “teleport”."]}


def test_wrong_state_names_the_current_state(engine):
    case = new_case(engine)
    with pytest.raises(WrongState) as caught:
        engine.fire(case, "respond", LAWYER, {"comment": "x"})
    assert (caught.value.status, caught.value.code) == (409, "wrong_state")
    assert str(caught.value) == (
        "“Record the response” is not possible now: the case is “Draft” (draft)."
    )


def test_wrong_state_comes_before_role_and_params(engine):
    case = new_case(engine)
    with pytest.raises(WrongState):
        engine.fire(case, "send", MONITOR, {"bogus": 1})


def test_roles(engine):
    case = new_case(engine)
    with pytest.raises(NotAllowed) as caught:
        engine.fire(case, "issue", MONITOR)
    assert (caught.value.status, caught.value.code) == (403, "forbidden")
    assert str(caught.value) == "Your role may not do “Issue”."
    with pytest.raises(NotAllowed):
        engine.fire(case, "issue", ADMIN)  # roles are taken literally
    with pytest.raises(NotAllowed):
        engine.fire(case, "issue", None)  # "system" is not among issue's roles
    engine.fire(case, "issue", LAWYER)
    engine.fire(case, "send", None, {"sent_on": "2026-03-12", "channel": "email"})
    db.session.commit()
    assert case.state == "sent" and engine.history(case)[-1].actor_id is None


def test_system_only_transition(engine):
    case = new_case(engine)
    advance(engine, case, "issue", "send")
    with pytest.raises(NotAllowed) as caught:
        engine.fire(case, "mark_overdue", LAWYER)
    assert str(caught.value) == "“Mark overdue” is done by the system only."
    history = engine.fire(case, "mark_overdue", None)
    db.session.commit()
    assert case.state == "overdue" and history.actor_id is None


def test_missing_required_params(engine):
    case = new_case(engine)
    advance(engine, case, "issue")
    with pytest.raises(InvalidParams) as caught:
        engine.fire(case, "send", LAWYER, {"channel": ""})
    error = caught.value
    assert (error.status, error.code) == (422, "invalid_params")
    assert error.to_dict() == {
        "error": {
            "code": "invalid_params",
            "message": "Some values are missing or not valid.",
            "fields": {
                "sent_on": ["This field is required."],
                "channel": ["This field is required."],
            },
        }
    }


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"sent_on": "12.03.2026"}, "sent_on", "Not a valid date (YYYY-MM-DD)."),
        ({"sent_on": "2026-02-30"}, "sent_on", "Not a valid date (YYYY-MM-DD)."),
        ({"channel": "fax"}, "channel", "Not a valid choice; one of: email, post."),
        ({"pages": "many"}, "pages", "Not a valid whole number."),
        ({"colour": "red"}, "colour", "Unknown parameter."),
        ({"comment": 5}, "comment", "Must be text."),
    ],
)
def test_bad_params(engine, params, field, message):
    case = new_case(engine)
    advance(engine, case, "issue")
    values = {"sent_on": "2026-03-12", "channel": "email", **params}
    with pytest.raises(InvalidParams) as caught:
        engine.fire(case, "send", LAWYER, values)
    assert {k: [str(m) for m in v] for k, v in caught.value.fields.items()} == {field: [message]}
    assert case.state == "issued"


def test_params_are_typed_for_effects_and_json_safe_in_history(engine):
    case = new_case(engine)
    advance(engine, case, "issue")
    history = engine.fire(
        case, "send", LAWYER, {"sent_on": "2026-03-12", "channel": "email", "pages": "3"}
    )
    assert history.params == {"sent_on": "2026-03-12", "channel": "email", "pages": 3}


def test_required_comment(engine):
    case = new_case(engine)
    advance(engine, case, "issue", "send")
    with pytest.raises(InvalidParams) as caught:
        engine.fire(case, "respond", LAWYER, {"comment": "  "})
    assert list(caught.value.fields) == ["comment"]
    assert engine.fire(case, "respond", LAWYER, {"comment": "Interim answer"}).comment == (
        "Interim answer"
    )


def test_guard_refuses_and_passes(engine):
    case = new_case(engine, text=" ")
    with pytest.raises(GuardRefused) as caught:
        engine.fire(case, "issue", LAWYER)
    assert (caught.value.status, caught.value.code) == (409, "guard_refused")
    assert str(caught.value) == "The recommendation has no text."
    assert case.state == "draft" and len(engine.history(case)) == 1
    case.text = "Now with text"
    engine.fire(case, "issue", LAWYER)
    assert case.state == "issued"


def test_sync_effects_run_in_the_same_transaction(engine):
    case = new_case(engine)
    engine.fire(case, "issue", LAWYER)
    assert case.issued_on == date(2026, 3, 12)
    db.session.rollback()
    assert (case.state, case.issued_on) == ("draft", None)
    assert [h.transition for h in engine.history(case)] == ["create"]
    engine.fire(case, "issue", LAWYER)
    db.session.commit()
    db.session.expire_all()
    assert (case.state, case.issued_on) == ("issued", date(2026, 3, 12))


def test_star_source_excludes_final_states(engine):
    case = new_case(engine)
    advance(engine, case, "issue", "send", "respond")
    engine.fire(case, "withdraw", LAWYER)
    assert case.state == "withdrawn"
    other = new_case(engine)
    advance(engine, other, "issue", "send", "respond", "assess_implemented")
    with pytest.raises(WrongState):
        engine.fire(other, "withdraw", LAWYER)


def test_conflict_on_a_stale_version(app, engine):
    case = new_case(engine)
    with app.app_context():  # a second request, with its own session
        theirs = db.session.get(Case, case.id)
        engine.fire(theirs, "issue", LAWYER)
        db.session.commit()
    with pytest.raises(Conflict) as caught:
        engine.fire(case, "issue", LAWYER)
    assert (caught.value.status, caught.value.code) == (409, "conflict")
    assert str(caught.value) == "The case was changed by someone else; reload it."
    db.session.rollback()
    assert case.state == "issued"
    assert [h.transition for h in engine.history(case)] == ["create", "issue"]


def test_available(engine):
    case = new_case(engine)
    assert [t.as_dict() for t in engine.available(case, LAWYER)] == [
        {"name": "issue", "label": "Issue", "to": "issued"},
        {"name": "withdraw", "label": "Withdraw", "to": "withdrawn"},
    ]
    assert engine.available(case, MONITOR) == []
    case.text = ""
    assert [t.name for t in engine.available(case, LAWYER)] == ["withdraw"]
    case.text = "x"
    advance(engine, case, "issue", "send")
    assert [t.name for t in engine.available(case, None)] == ["mark_overdue"]
    assert [t.name for t in engine.available(case, LAWYER)] == ["respond", "withdraw"]


def test_can_edit(engine):
    case = new_case(engine)
    assert engine.can_edit(case, MONITOR, "text") and not engine.can_edit(case, MONITOR, "due_on")
    assert engine.editable_fields(case, LAWYER) == {"text", "theme", "due_on"}
    assert engine.editable_fields(case, None) == frozenset()
    advance(engine, case, "issue")
    assert engine.editable_fields(case, LAWYER) == {"due_on"}
    assert not engine.can_edit(case, MONITOR, "text")


def test_deadline_and_labels(engine):
    case = new_case(engine)
    assert engine.deadline_for(case) is None
    advance(engine, case, "issue", "send")
    deadline = engine.deadline_for(case)
    assert (deadline.term, deadline.on_expiry, deadline.remind_before) == (
        "1 month",
        "mark_overdue",
        3,
    )
    assert engine.label("case", "sent", "uk") == "Надіслано"
    assert engine.label("case", "sent") == "Sent to authority"  # the app context's locale
    assert engine.state_label(case, "uk") == "Надіслано"
    assert engine.current("case").settings["terms"]["request"] == "15 days"


def test_history_helper_query(engine):
    case = new_case(engine)
    advance(engine, case, "issue")
    rows = db.session.scalars(case.history_query()).all()
    assert [r.transition for r in rows] == ["create", "issue"]
    assert db.session.query(WorkflowHistory).count() == 2


def test_mermaid(engine):
    text = engine.mermaid("tiny", "en")
    assert text == (
        "stateDiagram-v2\n"
        "    [*] --> open\n"
        "    open : Open\n"
        "    closed : Closed\n"
        "    open --> closed : Close (close)\n"
        "    closed --> [*]\n"
    )
    case_diagram = engine.mermaid("case")
    assert "    [*] --> draft\n" in case_diagram
    assert "    draft --> issued : Видати (issue)\n" in case_diagram
    assert "    overdue --> withdrawn : Зняти з контролю (withdraw)\n" in case_diagram
    assert "    implemented --> withdrawn" not in case_diagram
    assert "    implemented --> [*]\n" in case_diagram and "    withdrawn --> [*]\n" in case_diagram
