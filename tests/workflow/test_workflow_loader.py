"""Loading definitions: valid fixtures, and every kind of problem with its file and line."""

from pathlib import Path

import pytest
from pydantic import ValidationError
from wf_support import registry

from app.workflow import DefinitionError, Registry, init_app
from app.workflow.definition import Definition
from app.workflow.loader import check_dir, load_dir, load_file, load_text

FIXTURES = Path(__file__).parent / "fixtures"
BROKEN = FIXTURES / "broken"


def problems_of(name):
    path = BROKEN / name
    with pytest.raises(DefinitionError) as caught:
        load_file(path, registry)
    return [p.removeprefix(f"{path}:") for p in caught.value.problems]


def test_valid_fixtures_load_with_everything_exposed():
    loaded = load_dir(FIXTURES / "valid", registry)
    assert sorted(loaded) == ["case", "tiny"]
    case = loaded["case"].definition
    assert case.initial == "draft"
    assert case.states["draft"].label.uk == "Чернетка"
    assert case.states["draft"].editable["monitor"] == ("text", "theme")
    deadline = case.states["sent"].deadline
    assert deadline.term == "1 month"
    assert (deadline.on_expiry, deadline.remind_before) == ("mark_overdue", 3)
    assert case.settings == {"terms": {"submission": "1 month", "request": "15 days"}}
    send = next(t for t in case.transitions if t.name == "send")
    assert send.from_ == ("issued",) and send.roles == ("lawyer", "system")
    assert send.params["channel"].choices == ("email", "post")
    withdraw = next(t for t in case.transitions if t.name == "withdraw")
    assert "implemented" not in case.sources(withdraw) and "sent" in case.sources(withdraw)
    assert check_dir(FIXTURES / "valid", registry) == []


def test_definitions_are_immutable():
    case = load_dir(FIXTURES / "valid", registry)["case"].definition
    with pytest.raises(ValidationError):
        case.initial = "issued"
    with pytest.raises(ValidationError):
        case.states["draft"].final = True


def test_unknown_states_in_initial_from_and_to():
    assert problems_of("unknown_state.yaml") == [
        "2: unknown state 'start'",
        "9: unknown state 'limbo' in from",
        "15: transition 'jump' goes to unknown state 'nowhere'",
    ]


def test_unreachable_state():
    assert problems_of("unreachable.yaml") == ["6: state 'island' cannot be reached from 'draft'"]


def test_unknown_guard_effect_and_after_commit_names():
    assert problems_of("unknown_names.yaml") == [
        "12: unknown guard 'is_full_moon'",
        "15: unknown effect 'ring_bell'",
        "16: unknown after_commit effect 'send_pigeon'",
    ]


def test_names_are_checked_against_the_given_registry():
    with pytest.raises(DefinitionError) as caught:
        load_file(FIXTURES / "valid" / "case.yaml", Registry())
    assert [p.split(": ", 1)[1] for p in caught.value.problems] == [
        "unknown guard 'has_text'",
        "unknown effect 'set_issued_on'",
        "unknown after_commit effect 'notify'",
    ]
    assert caught.value.problems[0].endswith("case.yaml:30: unknown guard 'has_text'")


def test_duplicate_transition_from_the_same_state():
    # The third "finish" leaves from another state, which is allowed.
    assert problems_of("duplicate.yaml") == ["13: duplicate transition 'finish' from state 'draft'"]


def test_duplicate_yaml_key():
    assert problems_of("duplicate_key.yaml") == ["6: duplicate key 'draft'"]


def test_missing_labels():
    assert problems_of("labels.yaml") == [
        "5: state 'draft' has no Ukrainian label",
        "7: state 'done' has no English label",
        "10: transition 'finish' has no Ukrainian label",
        "10: transition 'finish' has no English label",
    ]


def test_yaml_syntax_error():
    (problem,) = problems_of("syntax.yaml")
    assert problem.startswith("5: YAML syntax error: expected ',' or '}'")
    assert "line 4" in problem


def test_wrong_types_and_unknown_keys():
    assert problems_of("types.yaml") == [
        "6: state 'draft': final: Input should be a valid boolean, unable to interpret input",
        "15: transition 'finish': params.sent_on.type: Input should be 'str', 'text', 'date', "
        "'choice', 'int' or 'bool'",
        "16: transition 'finish': unknown key 'colour'",
    ]


def test_every_problem_of_a_directory_is_reported():
    problems = check_dir(BROKEN, registry)
    files = {Path(p.split(":", 1)[0]).name for p in problems}
    assert files == {p.name for p in BROKEN.glob("*.yaml")}
    assert len(problems) == 17


def test_deadline_and_param_cross_references():
    text = """\
name: x
initial: a
states:
  a:
    label: {uk: А, en: A}
    deadline: {term: soon, on_expiry: nope}
  b:
    label: {uk: Б, en: B}
    deadline: {term: settings.terms, shift: sideways}
transitions:
  - name: go
    label: {uk: Іти, en: Go}
    from: a
    to: b
    roles: [lawyer]
    params:
      how: {type: choice}
      why: {choices: [x]}
"""
    with pytest.raises(DefinitionError) as caught:
        load_text(text, "x.yaml", registry)
    assert caught.value.problems == [
        "x.yaml:6: cannot parse term 'soon': expected 'N days', 'N working days' or 'N months' "
        "with N a positive whole number, e.g. '15 days' or '1 month', or 'settings.KEY'",
        "x.yaml:6: on_expiry: no transition 'nope' from state 'a'",
        "x.yaml:9: no mapping 'terms' under settings",
        "x.yaml:9: deadline 'shift' is not used (a kind's shift goes in settings): remove it",
        "x.yaml:17: parameter 'how' of type choice needs choices",
        "x.yaml:18: parameter 'why' has choices but is not a choice",
    ]
    fixed = text.replace("term: soon", "term: 10 working days").replace(", shift: sideways", "")
    with pytest.raises(DefinitionError) as caught:
        load_text(fixed, "x.yaml", registry)
    assert caught.value.problems == [
        "x.yaml:6: on_expiry: no transition 'nope' from state 'a'",
        "x.yaml:9: no mapping 'terms' under settings",
        "x.yaml:17: parameter 'how' of type choice needs choices",
        "x.yaml:18: parameter 'why' has choices but is not a choice",
    ]


def test_empty_and_non_mapping_files():
    with pytest.raises(DefinitionError) as caught:
        load_text("", "e.yaml")
    assert caught.value.problems == ["e.yaml:1: the file is empty"]
    with pytest.raises(DefinitionError) as caught:
        load_text("- a\n- b\n", "l.yaml")
    assert caught.value.problems == ["l.yaml:1: the file must hold a mapping (name, states ...)"]


def test_model_validator_rejects_cross_reference_problems_without_a_sink():
    data = {"name": "x", "initial": "nowhere", "states": {"a": {"label": {"uk": "А", "en": "A"}}}}
    with pytest.raises(ValidationError, match="initial: unknown state 'nowhere'"):
        Definition.model_validate(data)


def test_the_same_name_in_two_files(tmp_path):
    for name in ("one.yaml", "two.yaml"):
        (tmp_path / name).write_text((FIXTURES / "valid" / "tiny.yaml").read_text())
    assert check_dir(tmp_path, registry) == [
        f"{tmp_path / 'two.yaml'}:1: workflow 'tiny' is also defined in {tmp_path / 'one.yaml'}"
    ]


def test_init_app_refuses_to_start_with_a_broken_definition(flask_app):
    with pytest.raises(DefinitionError) as caught:
        init_app(flask_app, BROKEN, registry)
    assert len(caught.value.problems) == 17
    assert "unreachable.yaml:6: state 'island' cannot be reached" in str(caught.value)


def test_registry_refuses_a_second_function_under_one_name():
    local = Registry()

    @local.guard("ok")
    def first(subject, ctx):
        return None

    local.guard("ok")(first)  # the same function again (a re-import) is fine
    with pytest.raises(ValueError, match="already registered"):

        @local.guard("ok")
        def second(subject, ctx):
            return None


def test_create_and_import_are_reserved_entry_names():
    label = {"uk": "А", "en": "A"}
    for name in ("create", "import"):
        data = {
            "name": "x",
            "initial": "a",
            "states": {"a": {"label": label}},
            "transitions": [{"name": name, "label": label, "from": "a", "to": "a", "roles": "x"}],
        }
        with pytest.raises(ValidationError, match=f"'{name}' is reserved"):
            Definition.model_validate(data)
