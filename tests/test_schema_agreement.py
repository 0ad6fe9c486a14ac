"""Whatever ``check`` accepts, the committed JSON Schema accepts, and the other way round.

Editors validate plans/ against schema/*.schema.json; ``check`` validates them with the models.
Both must give the same answer, or an editor shows red where the tool says all is well (or the
reverse). Documents are the mini fixture plans with values replaced by typed variations: numbers
as ids, quoted numbers, dates as text, booleans, empty values, whole numbers for decimals, text
with spaces, lists, mappings, missing and unknown keys.

* ``test_every_field_and_variation_agrees`` replaces one value at a time, every field with every
  variation (deterministic, about 6 000 documents);
* ``test_mutated_documents_agree`` lets Hypothesis combine several changes in one document
  (HANDBOOK_FUZZ_EXAMPLES sets the examples, default 60; HANDBOOK_FUZZ_SEED explores others).

Both run twice: with the built-in vocabularies only (against the committed schema, as for plans
without vocabularies.yml) and with the custom values of the mini plans' vocabularies.yml active
(against the schema ``handbook schema`` writes for them), where a custom value such as 'patients'
or 'shifts' is valid and its misspelling is not.

Compared is the shape layer of ``check`` (``model_validate``, what ``check_shape`` runs on each
file) against the schema validator with format assertion. Not compared: the two rules that compare
two values of a record (a goal's deadline before its baseline date, a measure's end before its
start), which a JSON Schema cannot state; references and duplicate ids, which need all files.
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker
from pydantic import BaseModel, ValidationError

from macros.data.kinds import MODELS
from macros.data.loader import load_text
from macros.data.schema import schema_text
from macros.data.vocabularies import custom_values, using

from .conftest import ROOT
from .fuzz_support import fuzzer

MINI = ROOT / "tests" / "fixtures" / "mini" / "plans"
fuzz = fuzzer(60)
TWO_VALUE_RULES = {"deadline_before_baseline", "end_before_start"}

# Written into YAML as they are: the loader decides what they become.
VARIATIONS = [
    # numbers, as ids and everywhere else
    "2026",
    "0",
    "-1",
    "+7",
    "7.0",
    "1e3",
    "3.85",
    "-2.5",
    "0.5",
    "5",
    "45",
    "61",
    "100",
    "999999999999999",
    "1e15",
    "1e-16",
    "1e400",
    "1" + "0" * 70,
    # quoted numbers
    '"2026"',
    '"3.85"',
    "'45'",
    # dates
    "2026-06-01",
    "2026-02-30",
    "1899-12-31",
    "3000-01-01",
    "31.12.2026",
    '"2026-06-01"',
    '" 2026-06-01"',
    # booleans and nothing
    "true",
    "false",
    "no",
    "",
    "~",
    '""',
    '"   "',
    # text, ids, references, choices
    "Mehr Reichweite",
    "b2b-installers",
    '" lead "',
    "lead",
    "makers",
    "blog",
    "low",
    "high",
    "hoch",
    "hours",
    "working_days",
    "weeks",
    "months",
    # custom values of the mini plans (vocabularies.yml) and near misses
    "patients",
    "Patients",
    "volunteers",
    "[volunteers, experts]",
    "fundraising",
    "shifts",
    "shift",
    "{value: 2, unit: shifts}",
    '"18:30"',
    "18:30",
    "24:00",
    "8:30",
    "person",
    "public",
    "a" * 64,
    "a" * 65,
    "-lead",
    "Lead",
    # addresses and handles
    "https://example.org/x",
    "HTTPS://example.org",
    "http://",
    "https:///x",
    "mailto:team@example.org",
    '"mailto:"',
    "ftp://example.org",
    '"https://example.org/a b"',
    "'@team'",
    "'@org/team'",
    "team@example.org",
    "'@@maintainer'",
    '"@org team"',
    '"@team\\u202e"',
    # lists and mappings
    "[]",
    "[lead]",
    "[1, 2]",
    "[makers, blog]",
    '[""]',
    "[[a]]",
    "{}",
    "{a: b}",
    "{value: 2, unit: hours}",
    "{value: 0, unit: hours}",
]


@functools.cache
def _value(written: str) -> Any:
    return load_text(f"v: {written}\n", Path("v.yml")).data["v"]


@functools.cache
def _fixture(stem: str) -> Any:
    data = load_text((MINI / f"{stem}.yml").read_text(encoding="utf-8"), MINI / f"{stem}.yml").data
    if stem == "content":  # optional fields the mini plans leave out, so that they are varied too
        data["rhythm"][0]["time"] = "18:30"
    return data


MODES = ["built-in", "custom"]
"""Built-in vocabularies only (the committed schema), or with the mini plans' custom values."""


@functools.cache
def _custom() -> dict:
    return custom_values(_fixture("vocabularies"))


@functools.cache
def _validator(stem: str, mode: str = "built-in") -> Draft202012Validator:
    if mode == "custom":
        schema = json.loads(schema_text(stem, _custom()))
    else:
        schema = json.loads((ROOT / "schema" / f"{stem}.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker())


def _paths(data: Any, at: tuple = ()) -> list[tuple]:
    """Every value's path below the top of the file."""
    found = [at] if at else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*at, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*at, index))
    return found


def _put(data: Any, path: tuple, value: Any) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


def _replaced(data: Any, path: tuple, value: Any) -> Any:
    """A copy of ``data`` with the value at ``path`` replaced; of a list on the way only that item
    is kept (fewer records to validate, the same question)."""
    if not path:
        return value
    if isinstance(data, list):
        return [_replaced(data[path[0]], path[1:], value)]
    return {**data, path[0]: _replaced(data[path[0]], path[1:], value)}


def _check_errors(model: type[BaseModel], data: Any, mode: str = "built-in") -> list[str]:
    try:
        with using(_custom() if mode == "custom" else {}):
            model.model_validate(data)
    except ValidationError as exc:
        return [f"{list(e['loc'])}: {e['msg']}" for e in exc.errors() if e["type"] not in TWO_VALUE_RULES]
    return []


def _schema_errors(stem: str, data: Any, mode: str = "built-in") -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in _validator(stem, mode).iter_errors(data)]


def _disagreement(stem: str, data: Any, mode: str = "built-in") -> str | None:
    by_check = _check_errors(MODELS[stem], data, mode)
    if bool(by_check) != _validator(stem, mode).is_valid(data):
        return None
    by_schema = _schema_errors(stem, data, mode)
    return f"{stem} ({mode}): check says {by_check or 'valid'}, the schema says {by_schema or 'valid'}"


@pytest.mark.parametrize("mode", MODES)
def test_the_fixture_plans_are_valid_for_both(mode: str) -> None:
    for stem in MODELS:
        assert _check_errors(MODELS[stem], _fixture(stem), mode) == []
        assert _schema_errors(stem, _fixture(stem), mode) == []


def _one_per_field(paths: list[tuple]) -> list[tuple]:
    """The first path of each field: ('levels', 1, 'id') repeats ('levels', 0, 'id')."""
    seen: dict[tuple, tuple] = {}
    for path in paths:
        seen.setdefault(tuple(0 if isinstance(step, int) else step for step in path), path)
    return list(seen.values())


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("stem", sorted(MODELS))
def test_every_field_and_variation_agrees(stem: str, mode: str) -> None:
    disagreements = []
    for path in _one_per_field(_paths(_fixture(stem))):
        for written in VARIATIONS:
            found = _disagreement(stem, _replaced(_fixture(stem), path, _value(written)), mode)
            if found:
                disagreements.append(f"{path} = {written!r}: {found}")
    assert disagreements == [], f"{len(disagreements)} disagreements, first ones:\n" + "\n".join(
        disagreements[:10]
    )


@pytest.mark.parametrize(
    ("stem", "path", "written", "valid"),
    [
        ("crisis", ("levels", 0, "id"), "2026", True),  # ids written as numbers
        ("crisis", ("templates", 0, "levels", 0), "1", True),
        ("crisis", ("levels", 0, "id"), "-1", False),
        ("crisis", ("levels", 0, "id"), "7.0", True),  # 7.0 is the id '7' for both
        ("crisis", ("levels", 0, "id"), "1.5", False),
        ("crisis", ("levels", 0, "id"), '" lead "', True),  # spaces around are dropped
        ("actions", ("measures", 0, "budget_eur"), "-1", False),
        ("actions", ("measures", 0, "budget_eur"), "2499.99", True),
        ("actions", ("measures", 0, "budget_eur"), '"2499.99"', False),
        ("actions", ("measures", 0, "goals"), "", True),  # an empty list
        ("actions", ("measures", 0, "title"), '"   "', False),
        ("actions", ("measures", 0, "title"), "2026", True),  # text as written
        ("actions", ("measures", 0, "start"), "1899-12-31", False),
        ("actions", ("measures", 0, "start"), "2026-02-30", False),
        ("crisis", ("levels", 0, "level"), "1.0", True),  # a whole number either way
        ("crisis", ("levels", 0, "level"), "1.5", False),
        ("crisis", ("levels", 0, "response_time", "value"), "1e-16", False),
        ("crisis", ("levels", 0, "response_time", "unit"), "weeks", True),
        ("crisis", ("levels", 0, "response_time", "unit"), "months", True),
        ("content", ("rhythm", 0, "time"), '"18:30"', True),
        ("content", ("rhythm", 0, "time"), '"24:00"', False),
        ("content", ("rhythm", 0, "time"), '"8:30"', False),
    ],
)
def test_known_cases(stem: str, path: tuple, written: str, valid: bool) -> None:
    data = copy.deepcopy(_fixture(stem))
    _put(data, path, _value(written))
    assert (_check_errors(MODELS[stem], data) == []) == valid
    assert (_schema_errors(stem, data) == []) == valid


@pytest.mark.parametrize(
    ("stem", "path", "written"),
    [
        ("target-groups", ("target_groups", 0, "type"), "patients"),
        ("guidelines", ("guidelines", 0, "rules", 0, "audience"), "volunteers"),
        ("training", ("modules", 0, "audience"), "[volunteers, experts]"),
        ("goals", ("goals", 0, "category"), "fundraising"),
        ("crisis", ("levels", 0, "response_time", "unit"), "shifts"),
    ],
)
def test_custom_values_are_valid_only_where_defined(stem: str, path: tuple, written: str) -> None:
    data = copy.deepcopy(_fixture(stem))
    _put(data, path, _value(written))
    for mode, valid in (("built-in", False), ("custom", True)):
        assert (_check_errors(MODELS[stem], data, mode) == []) == valid, mode
        assert (_schema_errors(stem, data, mode) == []) == valid, mode


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, Any, str]:
    mode = draw(st.sampled_from(MODES))
    stem = draw(st.sampled_from(sorted(MODELS)))
    data = copy.deepcopy(_fixture(stem))
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(data)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        if action == "replace":
            parent[path[-1]] = copy.deepcopy(_value(draw(st.sampled_from(VARIATIONS))))
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            key = draw(st.sampled_from(["notes", "id", "name", "owner", "visibility", "extra_field"]))
            parent[key] = copy.deepcopy(_value(draw(st.sampled_from(VARIATIONS))))
        else:
            parent.append(copy.deepcopy(parent[path[-1]]))
    return stem, data, mode


@fuzz
@given(mutated())
def test_mutated_documents_agree(case: tuple[str, Any, str]) -> None:
    stem, data, mode = case
    assert _disagreement(stem, data, mode) is None
