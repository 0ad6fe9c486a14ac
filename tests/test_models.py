"""Models, the translation of their errors (shape), references and the method checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import pytest
from pydantic import ValidationError

from macros.checks.check import check
from macros.checks.shape import check_shape
from macros.data import models as m
from macros.data.fields import Date, Text
from macros.data.loader import load_text

from .conftest import CASES, STRATEGY

ROLES = """\
roles:
  - id: social-media-manager
    name: Social-Media-Managerin
  - id: community-manager
    name: Community-Manager
"""


TARGET_GROUPS = """\
target_groups:
  - id: homeowners
    owner: social-media-manager
    reviewed: 2026-06-01
    name: Hausbesitzer
    type: customers
    priority: medium
    description: Besitzer von Häusern.
"""

CHANNEL = """\
  - id: {id}
    owner: social-media-manager
    reviewed: 2026-06-01
    name: Instagram
    platform: Instagram
    status: {status}
    purpose: Einblicke.
    tone:
      address: du
      description: Freundlich.
    frequency: 3 pro Woche
"""

GOAL = """\
goals:
  - id: more-leads
    owner: social-media-manager
    reviewed: 2026-06-01
    title: Mehr Anfragen
    kpi: Anfragen pro Monat
    unit: Anfragen
"""

Row = tuple[str, int, int, str, str, str, str, str]
Run = Callable[..., list[Row]]


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Write plans files (stem -> text; None leaves a default file out) and check them."""

    def _run(**files: str | None) -> list[Row]:
        plans = tmp_path / "plans"
        plans.mkdir(exist_ok=True)
        for old in plans.iterdir():
            old.unlink()
        merged = {"roles": ROLES, "strategy": STRATEGY, **{k.replace("_", "-"): v for k, v in files.items()}}
        for stem, text in merged.items():
            if text is not None:
                (plans / f"{stem}.yml").write_text(text, encoding="utf-8")
        monkeypatch.chdir(tmp_path)
        result = check(Path("plans"))
        # These small plans leave most method steps out on purpose; the step warnings have their own tests.
        return [
            (p.file, p.line, p.column, p.path, p.message, p.hint, p.severity, p.code)
            for p in result.problems
            if p.code != "method-step"
        ]

    return _run


# --- models: good and bad records -----------------------------------------------------


def test_minimal_role_gets_defaults() -> None:
    role = m.Role.model_validate({"id": "social-media-manager", "name": "Social-Media-Managerin"})
    assert role.visibility == "internal"
    assert role.duties == []
    assert role.hours_per_week is None
    assert role.kind == "role"


def test_goal_parses_dates_numbers_and_references() -> None:
    goal = m.Goal.model_validate(
        {
            "id": "more-leads",
            "owner": "social-media-manager",
            "reviewed": "2026-06-01",
            "title": "  Mehr Anfragen  ",
            "kpi": "Anfragen",
            "unit": "Anfragen",
            "baseline": 10,
            "target": 40.5,
            "deadline": "2027-06-30",
            "target_groups": None,
        }
    )
    assert goal.reviewed == dt.date(2026, 6, 1)
    assert goal.deadline == dt.date(2027, 6, 30)
    assert (goal.baseline, goal.target) == (10, 40.5)
    assert goal.title == "Mehr Anfragen"
    assert goal.target_groups == []
    assert (goal.priority, goal.direction) == ("medium", "increase")


def test_text_fields_keep_numbers_as_written() -> None:
    doc = load_text("terms:\n  - id: v\n    term: 1.10\n    definition: 0711\n", Path("plans/glossary.yml"))
    glossary = m.GlossaryFile.model_validate(doc.data)
    assert (glossary.terms[0].term, glossary.terms[0].definition) == ("1.10", "0711")


def test_aliased_fields_use_the_yaml_key() -> None:
    group = m.TargetGroup.model_validate(
        {
            "id": "homeowners",
            "owner": "a",
            "reviewed": "2026-01-01",
            "name": "N",
            "type": "customers",
            "priority": "high",
            "description": "D",
        }
    )
    assert group.group_kind == "customers"


@pytest.mark.parametrize(
    ("model", "data", "errors"),
    [
        (m.Role, {"id": "Social Media", "name": "X"}, [("id_format", ("id",))]),
        (m.Role, {"id": "a", "name": ""}, [("too_short", ("name",))]),
        (m.Role, {"id": "a", "name": ["x"]}, [("text_type", ("name",))]),
        (m.Role, {"id": "a", "name": "X", "hours_per_week": 61}, [("less_than_equal", ("hours_per_week",))]),
        (m.Role, {"id": "a", "name": "X", "hours_per_week": True}, [("number_type", ("hours_per_week",))]),
        (m.Role, {"id": "a", "name": "X", "dutys": []}, [("extra_forbidden", ("dutys",))]),
        (m.Role, {"id": "a"}, [("missing", ("name",))]),
        (m.Duration, {"value": 4, "unit": "Stunden"}, [("vocabulary_value", ("unit",))]),
        (m.Duration, {"value": "4h", "unit": "hours"}, [("number_type", ("value",))]),
        (m.Exercise, {"title": "T", "task": None}, [("text_type", ("task",))]),
        (
            m.Measure,
            {
                "id": "m",
                "owner": "a",
                "reviewed": "2026-02-30",
                "title": "T",
                "start": "2026-05-01",
                "end": "1.5.2026",
                "status": "planned",
            },
            [("date_value", ("reviewed",)), ("date_format", ("end",))],
        ),
        (
            m.Measure,
            {
                "id": "m",
                "owner": "a",
                "reviewed": "2026-01-01",
                "title": "T",
                "start": "2026-05-01",
                "end": "2026-04-30",
                "status": "planned",
            },
            [("end_before_start", ())],
        ),
    ],
)
def test_bad_records(model: type, data: dict, errors: list[tuple[str, tuple]]) -> None:
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    assert [(e["type"], e["loc"]) for e in info.value.errors()] == errors


# --- shape: pydantic errors as positioned problems with a hint ---------------------------


def shape(model: type, text: str) -> list[tuple[int, int, str, str, str]]:
    doc = load_text(text, Path("plans/x.yml"))
    result, problems = check_shape(doc, model, "plans/x.yml")
    assert (result is None) == bool(problems)
    return [(p.line, p.column, p.path, p.message, p.hint) for p in problems]


ROLE = "roles:\n  - id: sm\n    name: Social-Media-Managerin\n"


def test_shape_valid_file_has_no_problems() -> None:
    assert shape(m.RolesFile, ROLE) == []


def test_shape_missing_field_with_description() -> None:
    description = m.Role.model_fields["name"].description
    assert description
    assert shape(m.RolesFile, "roles:\n  - id: sm\n") == [
        (
            2,
            5,
            "roles[0].name",
            "required field 'name' is missing",
            f"add 'name: …' — {description.rstrip('.')}",
        )
    ]


class _Bare(m.Model):
    """Fields without descriptions: the hint falls back to what the type expects."""

    when: Date
    status: Literal["planned", "done"]
    within: m.Duration
    steps: list[Text]
    note: Text


class _BareFile(m.Model):
    items: list[_Bare]


def test_shape_missing_field_without_description_names_the_format() -> None:
    assert shape(_BareFile, "items:\n  - note: x\n") == [
        (2, 5, "items[0].when", "required field 'when' is missing", "add 'when: YYYY-MM-DD'"),
        (
            2,
            5,
            "items[0].status",
            "required field 'status' is missing",
            "add 'status: …' — one of: planned, done",
        ),
        (
            2,
            5,
            "items[0].within",
            "required field 'within' is missing",
            "add 'within:' with its fields indented below it (value, unit)",
        ),
        (
            2,
            5,
            "items[0].steps",
            "required field 'steps' is missing",
            "add 'steps:' with its items below it, each starting with '- '",
        ),
    ]
    text = (
        "items:\n  - when: 2026-01-01\n    status: done\n    within: {value: 1, unit: days}\n    steps: [a]\n"
    )
    assert shape(_BareFile, text) == [
        (2, 5, "items[0].note", "required field 'note' is missing", "add 'note: …'")
    ]


def test_shape_missing_field_combines_shape_and_description() -> None:
    text = (
        "measures:\n  - id: m\n    owner: sm\n    reviewed: 2026-01-01\n    title: T\n    start: 2026-01-01\n"
    )
    text += "    status: planned\n"
    description = m.Measure.model_fields["end"].description
    assert description
    assert shape(m.ActionsFile, text) == [
        (
            2,
            5,
            "measures[0].end",
            "required field 'end' is missing",
            f"add 'end: YYYY-MM-DD' — {description.rstrip('.')}",
        )
    ]


def test_shape_unknown_field_suggests_and_lists() -> None:
    assert shape(m.RolesFile, ROLE + "    dutys: []\n") == [
        (
            4,
            5,
            "roles[0].dutys",
            "unknown field 'dutys'",
            "did you mean 'duties'? allowed fields here: id, visibility, name, holders, department, summary, "
            "duties, hours_per_week, reports_to, deputy, codeowners",
        )
    ]


def test_shape_misspelled_required_key_is_reported_once() -> None:
    assert shape(m.RolesFile, "roles:\n  - id: sm\n    nme: X\n") == [
        (
            3,
            5,
            "roles[0].nme",
            "unknown field 'nme'",
            "did you mean 'name'? allowed fields here: id, visibility, name, holders, department, summary, "
            "duties, hours_per_week, reports_to, deputy, codeowners",
        )
    ]


def test_shape_unrelated_unknown_key_keeps_the_missing_field() -> None:
    assert [p[3] for p in shape(m.RolesFile, "roles:\n  - id: sm\n    titel: X\n")] == [
        "required field 'name' is missing",
        "unknown field 'titel'",
    ]


@pytest.mark.parametrize(
    ("value", "message", "hint"),
    [
        (
            "aktiv",
            "'aktiv' is not a valid status",
            "did you mean 'active'? use one of: planned, active, paused, retired",
        ),
        (
            "eingestellt",
            "'eingestellt' is not a valid status",
            "did you mean 'retired'? use one of: planned, active, paused, retired",
        ),
        (
            "Active",
            "'Active' is not a valid status",
            "did you mean 'active'? use one of: planned, active, paused, retired",
        ),
        (
            "actve",
            "'actve' is not a valid status",
            "did you mean 'active'? use one of: planned, active, paused, retired",
        ),
        ("läuft", "'läuft' is not a valid status", "use one of: planned, active, paused, retired"),
        (
            "",
            "expected one of the status values, got nothing (empty value)",
            "use one of: planned, active, paused, retired",
        ),
    ],
)
def test_shape_enum_values(value: str, message: str, hint: str) -> None:
    text = "channels:\n" + CHANNEL.format(id="ig", status=value)
    column = 12 if value == "" else 13  # an empty value sits right after the colon
    assert shape(m.ChannelsFile, text) == [(7, column, "channels[0].status", message, hint)]


class _Durations(m.Model):
    levels: list[m.Duration]


UNITS = (
    "use one of: minutes, hours, working_hours, days, working_days, weeks, months; "
    "or define it under 'time_units:' in plans/vocabularies.yml"
)


def test_shape_enum_with_spaces_and_german_in_lists() -> None:
    text = "levels:\n  - value: 1\n    unit: working days\n  - value: 2\n    unit: Stunden\n"
    assert shape(_Durations, text) == [
        (
            3,
            11,
            "levels[0].unit",
            "'working days' is not a known time unit",
            f"did you mean 'working_days'? {UNITS}",
        ),
        (
            5,
            11,
            "levels[1].unit",
            "'Stunden' is not a known time unit",
            f"did you mean 'hours'? {UNITS}",
        ),
    ]


ROLE_HOURS = "roles:\n  - id: sm\n    name: X\n    hours_per_week: {}\n"


@pytest.mark.parametrize(
    ("value", "message", "hint"),
    [
        (
            "10h",
            "expected a number, got text '10h'",
            "write only the number, without the unit: 'hours_per_week: 10'",
        ),
        (
            "2,5 Stunden",
            "expected a number, got text '2,5 Stunden'",
            "write only the number, without the unit: 'hours_per_week: 2.5'",
        ),
        (
            "2,5",
            "expected a number, got text '2,5'",
            "use a decimal point, not a comma: 'hours_per_week: 2.5'",
        ),
        (
            '"12"',
            "expected a number, got text '12'",
            "remove the quotes, numbers are written plain: 'hours_per_week: 12'",
        ),
        (
            "yes",
            "expected a number, got text 'yes'",
            "write a plain number without unit or quotes, e.g. 1500 or 2.5; "
            "if there is none yet, delete the line",
        ),
        (
            "true",
            "expected a number, got the boolean true",
            "write a plain number without unit or quotes, e.g. 1500 or 2.5",
        ),
        (
            "[1, 2]",
            "expected a number, got a list",
            "write a plain number without unit or quotes, e.g. 1500 or 2.5",
        ),
        ("61", "61 is too large for 'hours_per_week': the maximum is 60", "use a value from 0 to 60"),
        ("-1.50", "-1.50 is too small for 'hours_per_week': the minimum is 0", "use a value from 0 to 60"),
    ],
)
def test_shape_numbers(value: str, message: str, hint: str) -> None:
    assert shape(m.RolesFile, ROLE_HOURS.format(value)) == [(4, 21, "roles[0].hours_per_week", message, hint)]


def test_shape_thousands_separator() -> None:
    text = "measures:\n  - id: m\n    owner: a\n    reviewed: 2026-01-01\n    title: T\n"
    text += "    start: 2026-01-01\n    end: 2026-02-01\n    status: planned\n    budget_eur: 2.500,00\n"
    assert shape(m.ActionsFile, text) == [
        (
            9,
            17,
            "measures[0].budget_eur",
            "expected a number, got text '2.500,00'",
            "write it without thousands separators and with a decimal point: 'budget_eur: 2500.00'",
        )
    ]


PILLAR = (
    "owner: a\nreviewed: 2026-01-01\npillars:\n"
    "  - id: p\n    name: N\n    description: D\n    share_percent: {}\n"
)


@pytest.mark.parametrize(
    ("value", "message", "hint"),
    [
        (
            "60%",
            "expected a whole number, got text '60%'",
            "write only the number, without the unit: 'share_percent: 60'",
        ),
        ("60.5", "expected a whole number, got the number 60.5", "write a whole number, e.g. 90"),
        ("sechzig", "expected a whole number, got text 'sechzig'", "write a whole number, e.g. 90"),
        ("101", "101 is too large for 'share_percent': the maximum is 100", "use a value from 0 to 100"),
    ],
)
def test_shape_whole_numbers(value: str, message: str, hint: str) -> None:
    assert shape(m.ContentFile, PILLAR.format(value)) == [(7, 20, "pillars[0].share_percent", message, hint)]


GOAL_DEADLINE = GOAL.replace("goals:", "goals:") + "    deadline: {}\n"


@pytest.mark.parametrize(
    ("value", "message", "hint"),
    [
        (
            "31.12.2026",
            "expected a date (YYYY-MM-DD), got text '31.12.2026'",
            "write it as 2026-12-31 (YYYY-MM-DD)",
        ),
        (
            "1.2.2027",
            "expected a date (YYYY-MM-DD), got text '1.2.2027'",
            "write it as 2027-02-01 (YYYY-MM-DD)",
        ),
        (
            "2026/01/05",
            "expected a date (YYYY-MM-DD), got text '2026/01/05'",
            "write it as 2026-01-05 (YYYY-MM-DD)",
        ),
        (
            "2026-1-5",
            "expected a date (YYYY-MM-DD), got text '2026-1-5'",
            "write it as 2026-01-05 (YYYY-MM-DD)",
        ),
        (
            "31.02.2026",
            "expected a date (YYYY-MM-DD), got text '31.02.2026'",
            "write dates as YYYY-MM-DD, e.g. 2025-03-31",
        ),
        (
            "2026",
            "expected a date (YYYY-MM-DD), got the number 2026",
            "write dates as YYYY-MM-DD, e.g. 2025-03-31",
        ),
        (
            "Ende 2026",
            "expected a date (YYYY-MM-DD), got text 'Ende 2026'",
            "write dates as YYYY-MM-DD, e.g. 2025-03-31",
        ),
        (
            "offen",
            "expected a date (YYYY-MM-DD), got text 'offen'",
            "write dates as YYYY-MM-DD, e.g. 2025-03-31; if there is none yet, delete the line",
        ),
        (
            "2026-02-30",
            "'2026-02-30' is not a real calendar date",
            "February 2026 has 28 days; check day and month (YYYY-MM-DD)",
        ),
        (
            "2028-02-30",
            "'2028-02-30' is not a real calendar date",
            "February 2028 has 29 days; check day and month (YYYY-MM-DD)",
        ),
        (
            "2026-31-12",
            "'2026-31-12' is not a real calendar date",
            "the month comes second: did you mean 2026-12-31? (YYYY-MM-DD)",
        ),
        (
            "2026-13-13",
            "'2026-13-13' is not a real calendar date",
            "the month (second part) must be 01 to 12: YYYY-MM-DD",
        ),
        (
            "2026-13-05",
            "'2026-13-05' is not a real calendar date",
            "the month comes second: did you mean 2026-05-13? (YYYY-MM-DD)",
        ),
    ],
)
def test_shape_dates(value: str, message: str, hint: str) -> None:
    assert shape(m.GoalsFile, GOAL_DEADLINE.format(value)) == [(8, 15, "goals[0].deadline", message, hint)]


@pytest.mark.parametrize(
    ("value", "example"),
    [
        ("Social-Media-Manager", "social-media-manager"),
        ("community manager", "community-manager"),
        ("geschäftsführung", "geschaeftsfuehrung"),
        ("Straße_Süd", "strasse-sued"),
        ("café-crème", "cafe-creme"),
        ("--", "b2b-installers"),
    ],
)
def test_shape_invalid_id_suggests_a_valid_one(value: str, example: str) -> None:
    assert shape(m.RolesFile, f"roles:\n  - id: '{value}'\n    name: X\n") == [
        (
            2,
            9,
            "roles[0].id",
            f"'{value}' is not a valid id",
            f"ids use lowercase letters, digits and hyphens only, e.g. '{example}'; update references too",
        )
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            ROLE.replace("name: Social-Media-Managerin", "name:\n      - A\n      - B"),
            (
                4,
                7,
                "roles[0].name",
                "expected text, got a list",
                "'name' holds one text: write it on the same line after 'name:', not as a list",
            ),
        ),
        (
            ROLE.replace("name: Social-Media-Managerin", "name:\n      Hinweis: wichtig"),
            (
                4,
                7,
                "roles[0].name",
                "expected text, got a mapping",
                "'name' holds one text: write it after 'name:' (in quotes if it contains ': '), "
                "or check the indentation of the lines below",
            ),
        ),
        (
            ROLE.replace("Social-Media-Managerin", ""),
            (
                3,
                10,
                "roles[0].name",
                "expected text, got nothing (empty value)",
                "write the text after 'name:'",
            ),
        ),
        (
            ROLE.replace("Social-Media-Managerin", "''"),
            (
                3,
                11,
                "roles[0].name",
                "the text is empty",
                "write the text, or delete 'name' if it is optional",
            ),
        ),
        (
            ROLE.replace("Social-Media-Managerin", "true"),
            (
                3,
                11,
                "roles[0].name",
                "expected text, got the boolean true",
                "put it in quotes if it is meant as text: 'name: \"true\"'",
            ),
        ),
        (
            ROLE + "    duties:\n      - Posten\n      -\n",
            (
                6,
                8,
                "roles[0].duties[1]",
                "expected text, got nothing (empty value)",
                "this list item is empty: write its text after '- ', or delete the line",
            ),
        ),
        (
            ROLE + "    reports_to:\n      - a\n      - b\n",
            (
                5,
                7,
                "roles[0].reports_to",
                "expected text, got a list",
                "'reports_to' takes a single id, not a list",
            ),
        ),
        (
            ROLE + "    reports_to:\n      id: boss\n",
            (
                5,
                7,
                "roles[0].reports_to",
                "expected text, got a mapping",
                "write just the id: 'reports_to: boss'",
            ),
        ),
        (
            ROLE + "    duties: Posten\n",
            (
                4,
                13,
                "roles[0].duties",
                "expected a list, got text 'Posten'",
                "write each item on its own line, starting with '- '",
            ),
        ),
        (
            "roles:\n  id: sm\n  name: X\n",
            (
                2,
                3,
                "roles",
                "expected a list, got a mapping",
                "write each item on its own line, starting with '- '",
            ),
        ),
        (
            "roles:\n  - sm\n",
            (
                2,
                5,
                "roles[0]",
                "expected a mapping (key: value lines), got text 'sm'",
                "each entry of 'roles' is a record: write its fields as 'key: value' lines indented below it "
                "(id, name)",
            ),
        ),
    ],
)
def test_shape_wrong_types(text: str, expected: tuple) -> None:
    assert shape(m.RolesFile, text) == [expected]


def test_shape_record_as_text_for_a_nested_record() -> None:
    text = "experts:\n  - id: e\n    name: N\n    department: D\n    topics: []\n    contact: C\n"
    text += "    response_time: 4 Stunden\n"
    assert shape(m.ExpertsFile, text) == [
        (
            7,
            20,
            "experts[0].response_time",
            "expected a mapping (key: value lines), got text '4 Stunden'",
            "'response_time' is a record: "
            "write its fields as 'key: value' lines indented below it (value, unit)",
        )
    ]


def test_shape_end_before_start_points_at_end() -> None:
    text = "measures:\n  - id: m\n    owner: a\n    reviewed: 2026-01-01\n    title: T\n"
    text += "    start: 2026-05-01\n    end: 2026-04-30\n    status: planned\n"
    assert shape(m.ActionsFile, text) == [
        (
            7,
            10,
            "measures[0].end",
            "end 2026-04-30 is before start 2026-05-01",
            "swap the dates or correct one of them",
        )
    ]


def test_shape_whole_file() -> None:
    assert shape(m.GoalsFile, "") == [
        (1, 1, "(file)", "the file is empty", "start it with 'goals:' and its entries, or delete the file")
    ]
    assert shape(m.GoalsFile, "# später\n") == [
        (
            1,
            1,
            "(file)",
            "the file holds only comments, no data",
            "start it with 'goals:' and its entries, or delete the file",
        )
    ]
    assert shape(m.GoalsFile, "- id: g\n") == [
        (
            1,
            1,
            "(file)",
            "expected a mapping at the top of the file, got a list",
            "the file starts with its top-level keys: goals",
        )
    ]
    assert shape(m.StrategyFile, "Unsere Strategie\n") == [
        (
            1,
            1,
            "(file)",
            "expected a mapping at the top of the file, got text 'Unsere Strategie'",
            "the file starts with its top-level keys: "
            "owner, reviewed, mission, vision, lead_idea, usp, principles, "
            "review, review_interval_days",
        )
    ]


def test_shape_collects_every_error_of_a_file() -> None:
    text = "roles:\n  - id: A\n    name: X\n    hours_per_week: 10h\n  - id: b\n"
    assert [p[2] for p in shape(m.RolesFile, text)] == [
        "roles[0].id",
        "roles[0].hours_per_week",
        "roles[1].name",
    ]


# --- references ------------------------------------------------------------------------


def test_reference_typo_suggests_the_close_id(run: Run) -> None:
    assert run(
        target_groups=TARGET_GROUPS.replace("owner: social-media-manager", "owner: social-media-manger")
    ) == [
        (
            "plans/target-groups.yml",
            3,
            12,
            "target_groups[0].owner",
            "unknown role 'social-media-manger'",
            "did you mean 'social-media-manager'? (defined in plans/roles.yml:2:9)",
            "error",
            "unknown-reference",
        )
    ]


def test_reference_to_the_wrong_kind(run: Run) -> None:
    channels = "channels:\n" + CHANNEL.format(id="instagram", status="active")
    goals = GOAL + "    target_groups:\n      - homeowners\n      - instagram\n"
    assert run(target_groups=TARGET_GROUPS, channels=channels, goals=goals) == [
        (
            "plans/goals.yml",
            10,
            9,
            "goals[0].target_groups[1]",
            "unknown target group 'instagram'",
            "'instagram' is a channel (plans/channels.yml:2:9), but a target group is expected here",
            "error",
            "unknown-reference",
        )
    ]


def test_reference_to_a_kind_with_no_records(run: Run) -> None:
    goals = GOAL + "    channels:\n      - instagram\n"
    assert run(goals=goals) == [
        (
            "plans/goals.yml",
            9,
            9,
            "goals[0].channels[0]",
            "unknown channel 'instagram'",
            "no channel is defined yet; add it to plans/channels.yml",
            "error",
            "unknown-reference",
        )
    ]


def test_reference_with_no_close_match_lists_the_ids(run: Run) -> None:
    roles = "roles:\n" + "".join(f"  - id: role-{i:02d}\n    name: R\n" for i in range(14))
    strategy = STRATEGY.replace("social-media-manager", "role-00")
    rows = run(
        roles=roles, strategy=strategy, target_groups=TARGET_GROUPS.replace("social-media-manager", "chef")
    )
    assert rows == [
        (
            "plans/target-groups.yml",
            3,
            12,
            "target_groups[0].owner",
            "unknown role 'chef'",
            "the role ids in plans/roles.yml are: role-00, role-01, role-02, role-03, role-04, role-05, "
            "role-06, role-07, role-08, role-09, role-10, role-11, …",
            "error",
            "unknown-reference",
        )
    ]


def test_reference_to_role_or_expert(run: Run) -> None:
    experts = "experts:\n  - id: product\n    name: P\n    department: D\n    topics: []\n    contact: C\n"
    training = """\
modules:
  - id: basics
    owner: social-media-manager
    reviewed: 2026-06-01
    title: T
    summary: S
    audience:
      - experts
    format: F
    duration_minutes: 30
    trainer: prodcut
    objectives:
      - O
"""
    assert run(experts=experts, training=training) == [
        (
            "plans/training.yml",
            11,
            14,
            "modules[0].trainer",
            "unknown role or expert 'prodcut'",
            "did you mean 'product'? (defined in plans/experts.yml:2:9)",
            "error",
            "unknown-reference",
        )
    ]


def test_duplicate_id(run: Run) -> None:
    roles = ROLES + "  - id: social-media-manager\n    name: Vertretung\n"
    assert run(roles=roles) == [
        (
            "plans/roles.yml",
            6,
            9,
            "roles[2].id",
            "duplicate role id 'social-media-manager'",
            "first defined at plans/roles.yml:2:9; every id must be unique, rename one of them",
            "error",
            "duplicate-id",
        )
    ]


def test_ids_and_references_written_as_numbers(run: Run) -> None:
    roles = ROLES + "  - id: 2026\n    name: Jahresrolle\n    reports_to: 404\n    deputy: 2026\n"
    assert run(roles=roles) == [
        (
            "plans/roles.yml",
            8,
            17,
            "roles[2].reports_to",
            "unknown role '404'",
            "the role ids in plans/roles.yml are: 2026, community-manager, social-media-manager",
            "error",
            "unknown-reference",
        )
    ]
    assert run(roles=roles.replace("404", "2026")) == []


def test_ids_and_references_without_outer_spaces(run: Run) -> None:
    roles = ROLES.replace("- id: community-manager", '- id: " community-manager "')
    roles += '    reports_to: "social-media-manager "\n'
    assert run(roles=roles) == []


def test_long_and_multiline_values_stay_on_one_line(run: Run) -> None:
    goals = GOAL.replace("owner: social-media-manager", 'owner: "zeile eins\\nzeile zwei ' + "x" * 80 + '"')
    rows = run(goals=goals)
    assert [(r[3], r[4]) for r in rows] == [
        (
            "goals[0].owner",
            "unknown role 'zeile eins⏎zeile zwei " + "x" * 37 + "…'",
        )
    ]


def test_same_id_in_different_kinds_is_fine(run: Run) -> None:
    glossary = "terms:\n  - id: social-media-manager\n    term: SMM\n    definition: D\n"
    assert run(glossary=glossary) == []


def test_references_are_checked_even_when_the_shape_is_broken(run: Run) -> None:
    broken = TARGET_GROUPS.replace("owner: social-media-manager", "owner: nobody").replace(
        "priority: medium", ""
    )
    assert [r[4] for r in run(target_groups=broken)] == [
        "required field 'priority' is missing",
        "unknown role 'nobody'",
    ]


# --- method warnings: each from a tiny plan, with its exact text ---------------------------


def warning(file: str, line: int, column: int, path: str, message: str, hint: str, code: str) -> Row:
    return (file, line, column, path, message, hint, "warning", code)


def test_clean_minimal_plan(run: Run) -> None:
    assert run() == []


def test_method_strategy_missing(run: Run) -> None:
    assert run(strategy=None) == [
        warning(
            "plans/strategy.yml",
            1,
            1,
            "(file)",
            "step 5 of 8 (USP, lead idea, strategy and action plan): "
            "there is no strategy.yml: no mission, lead idea or USP",
            "create plans/strategy.yml with mission, lead_idea and usp",
            "strategy-missing",
        )
    ]


def test_method_no_lead_idea_and_no_usp(run: Run) -> None:
    assert run(strategy="owner: social-media-manager\nreviewed: 2026-06-01\nmission: M\n") == [
        warning(
            "plans/strategy.yml",
            1,
            1,
            "(file)",
            "step 5 of 8 (USP, lead idea, strategy and action plan): the strategy has no USP",
            "add 'usp:' with the statement that follows from the strengths in analysis.yml",
            "no-usp",
        ),
        warning(
            "plans/strategy.yml",
            1,
            1,
            "(file)",
            "step 5 of 8 (USP, lead idea, strategy and action plan): the strategy has no creative lead idea",
            "add 'lead_idea:' with title and description; it ties goals, content and tone together",
            "no-lead-idea",
        ),
    ]


def test_method_goal_not_smart(run: Run) -> None:
    at = ("plans/goals.yml", 2, 5, "goals[0]")
    assert run(goals=GOAL) == [
        warning(
            *at,
            "goal 'more-leads' has no baseline",
            "add 'baseline:' with today's value, so progress can be shown",
            "goal-no-baseline",
        ),
        warning(
            *at,
            "goal 'more-leads' has no deadline",
            "add 'deadline: YYYY-MM-DD'; a goal without a date is a wish",
            "goal-no-deadline",
        ),
        warning(
            *at,
            "goal 'more-leads' has no measurable target",
            "add 'target:' with the KPI value to reach",
            "goal-no-target",
        ),
        warning(
            *at,
            "goal 'more-leads' names no target group",
            "add 'target_groups:' with the groups whose behaviour the goal is about",
            "goal-no-target-group",
        ),
    ]


SMART = "    baseline: {}\n    target: {}\n    deadline: 2027-06-30\n    target_groups:\n      - homeowners\n"


def test_method_smart_goal_is_clean(run: Run) -> None:
    assert run(target_groups=TARGET_GROUPS, goals=GOAL + SMART.format(10, 40)) == []


def test_method_goal_target_below_baseline(run: Run) -> None:
    assert run(target_groups=TARGET_GROUPS, goals=GOAL + SMART.format(50, 40)) == [
        warning(
            "plans/goals.yml",
            9,
            13,
            "goals[0].target",
            "goal 'more-leads': target 40 is below the baseline 50",
            "check the numbers, or set 'direction: decrease'",
            "goal-direction",
        )
    ]


def test_method_goal_decrease_above_baseline(run: Run) -> None:
    goals = GOAL + SMART.format(4.5, 6) + "    direction: decrease\n"
    assert run(target_groups=TARGET_GROUPS, goals=goals) == [
        warning(
            "plans/goals.yml",
            9,
            13,
            "goals[0].target",
            "goal 'more-leads': target 6 is above the baseline 4.5",
            "check the numbers, or set 'direction: increase'",
            "goal-direction",
        )
    ]


def test_method_high_priority_group_unserved(run: Run) -> None:
    assert run(target_groups=TARGET_GROUPS.replace("priority: medium", "priority: high")) == [
        warning(
            "plans/target-groups.yml",
            2,
            5,
            "target_groups[0]",
            "high-priority target group 'homeowners' is served by no goal and no channel",
            "link it from a goal or channel ('target_groups:'), or lower its priority",
            "target-group-unserved",
        )
    ]


def test_method_high_priority_group_served_by_a_goal(run: Run) -> None:
    groups = TARGET_GROUPS.replace("priority: medium", "priority: high")
    assert run(target_groups=groups, goals=GOAL + SMART.format(10, 40)) == []


def test_method_active_channel(run: Run) -> None:
    at = ("plans/channels.yml", 2, 5, "channels[0]")
    assert run(channels="channels:\n" + CHANNEL.format(id="ig", status="active")) == [
        warning(
            *at,
            "active channel 'ig' has no listening insight",
            "listen first: add an entry with 'channel: ig' under 'listening' in analysis.yml",
            "channel-not-listened",
        ),
        warning(
            *at,
            "active channel 'ig' names no target group",
            "add 'target_groups:' with the groups you reach there",
            "channel-no-target-group",
        ),
    ]


def test_method_planned_channel_is_not_checked(run: Run) -> None:
    assert run(channels="channels:\n" + CHANNEL.format(id="ig", status="planned")) == []


ANALYSIS = "owner: social-media-manager\nreviewed: 2026-06-01\nswot:\n"
SWOT = "  - id: {0}\n    type: strength\n    perspective: {0}\n    statement: S\n"


def test_method_analysis_perspectives(run: Run) -> None:
    at = ("plans/analysis.yml", 4, 3, "swot")
    assert run(analysis=ANALYSIS + SWOT.format("leadership")) == [
        warning(
            *at,
            "step 4 of 8 (as-is analysis from three perspectives): "
            "the as-is analysis has no entry from the employees perspective",
            "add strengths and weaknesses with 'perspective: employees'",
            "analysis-perspective-missing",
        ),
        warning(
            *at,
            "step 4 of 8 (as-is analysis from three perspectives): "
            "the as-is analysis has no entry from the stakeholders perspective",
            "add strengths and weaknesses with 'perspective: stakeholders'",
            "analysis-perspective-missing",
        ),
    ]
    full = ANALYSIS + "".join(SWOT.format(p) for p in ("leadership", "employees", "stakeholders"))
    assert run(analysis=full) == []


def test_method_role_without_time(run: Run) -> None:
    roles = ROLES.replace(
        "    name: Community-Manager\n", "    name: Community-Manager\n    duties:\n      - Antworten\n"
    )
    assert run(roles=roles) == [
        warning(
            "plans/roles.yml",
            4,
            5,
            "roles[1]",
            "step 1 of 8 (responsibility and time): "
            "role 'community-manager' has duties but no weekly time budget",
            "add 'hours_per_week:'; social media work done 'on the side' does not get done",
            "role-no-time",
        )
    ]
    assert run(roles=roles + "    hours_per_week: 5\n") == []


MEASURE = """\
measures:
  - id: reels
    owner: social-media-manager
    reviewed: 2026-06-01
    title: Reels
    start: 2026-01-01
    end: 2026-12-31
    status: {status}
    channels:
      - ig
"""


def test_method_measure_without_goal_on_retired_channel(run: Run) -> None:
    channels = "channels:\n" + CHANNEL.format(id="ig", status="retired")
    assert run(channels=channels, actions=MEASURE.format(status="planned")) == [
        warning(
            "plans/actions.yml",
            2,
            5,
            "measures[0]",
            "measure 'reels' is linked to no goal",
            "add 'goals:' with the goal(s) it serves, or drop the measure",
            "measure-no-goal",
        ),
        warning(
            "plans/actions.yml",
            10,
            9,
            "measures[0].channels[0]",
            "measure 'reels' uses the retired channel 'ig'",
            "pick an active channel or reactivate the channel",
            "measure-retired-channel",
        ),
    ]
    # a finished measure may have used a channel that is retired now
    assert [r[7] for r in run(channels=channels, actions=MEASURE.format(status="done"))] == [
        "measure-no-goal"
    ]


CONTENT = "owner: social-media-manager\nreviewed: 2026-06-01\npillars:\n"
PILLARS = "  - id: p{0}\n    name: N\n    description: D\n    share_percent: {0}\n"


def test_method_pillar_shares(run: Run) -> None:
    assert run(content=CONTENT + PILLARS.format(50) + PILLARS.format(30)) == [
        warning(
            "plans/content.yml",
            4,
            3,
            "pillars",
            "content pillar shares add up to 80%, not 100%",
            "adjust 'share_percent' of the pillars",
            "pillar-shares",
        )
    ]
    assert run(content=CONTENT + PILLARS.format(60) + PILLARS.format(40)) == []


def module(name: str, *prerequisites: str) -> str:
    text = (
        f"  - id: {name}\n    owner: social-media-manager\n    reviewed: 2026-06-01\n    title: T\n"
        "    summary: S\n    audience:\n      - experts\n    format: F\n    duration_minutes: 30\n"
        "    objectives:\n      - O\n"
    )
    if prerequisites:
        text += "    prerequisites:\n" + "".join(f"      - {p}\n" for p in prerequisites)
    return text


def test_method_prerequisite_cycle_is_one_error(run: Run) -> None:
    training = "modules:\n" + module("a", "b") + module("b", "c") + module("c", "x", "a") + module("x")
    assert run(training=training) == [
        (
            "plans/training.yml",
            14,
            9,
            "modules[0].prerequisites[0]",
            "training prerequisites form a cycle: a -> b -> c -> a",
            "remove one prerequisite of the cycle (e.g. this one, 'b') "
            "so that the modules can be taken in order",
            "error",
            "module-cycle",
        )
    ]


def test_method_module_requiring_itself(run: Run) -> None:
    assert [r[4] for r in run(training="modules:\n" + module("a", "a"))] == [
        "training prerequisites form a cycle: a -> a"
    ]


def test_method_prerequisite_chain_is_fine(run: Run) -> None:
    assert run(training="modules:\n" + module("a") + module("b", "a") + module("c", "a", "b")) == []


def test_method_review_overdue(run: Run) -> None:
    # HANDBOOK_TODAY is 2026-11-22 and the interval 365 days: 2025-11-22 is due today, 2025-11-21 overdue
    goals = GOAL.replace("2026-06-01", "2025-11-21") + SMART.format(10, 40)
    rows = run(
        strategy=STRATEGY.replace("2026-06-01", "2025-11-22"), target_groups=TARGET_GROUPS, goals=goals
    )
    assert rows == [
        warning(
            "plans/goals.yml",
            4,
            15,
            "goals[0].reviewed",
            "review of goal 'more-leads' is overdue since 2026-11-21",
            "review it with its owner 'social-media-manager', then set 'reviewed:' to the review date",
            "review-overdue",
        )
    ]


def test_method_review_interval_from_the_strategy(run: Run) -> None:
    assert run(strategy=STRATEGY + "review_interval_days: 30\n") == [
        warning(
            "plans/strategy.yml",
            2,
            11,
            "reviewed",
            "review of strategy.yml is overdue since 2026-07-01",
            "review it with its owner 'social-media-manager', then set 'reviewed:' to the review date",
            "review-overdue",
        )
    ]


def test_method_checks_wait_for_errors(run: Run) -> None:
    rows = run(strategy=None, goals=GOAL.replace("    title: Mehr Anfragen\n", ""))
    assert [(r[4], r[6]) for r in rows] == [("required field 'title' is missing", "error")]


# --- the YAML 1.1 valid case keeps its values ---------------------------------------------


def test_yaml11_case_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASES / "valid" / "yaml11-surprises")
    result = check(Path("plans"))
    assert [p for p in result.problems if p.code != "method-step"] == []
    plan = result.plan
    assert plan is not None
    terms = {t.id: t for t in plan.terms}
    assert (terms["norway"].term, terms["norway"].definition, terms["norway"].aliases) == (
        "NO",
        "no",
        ["No", "n"],
    )
    assert terms["area-code"].term == "0711"
    assert terms["guideline-version"].term == "1.10"
    assert terms["guideline-version"].definition == "2026-06-01"
    assert terms["guideline-version"].aliases == ["1.1", "1e3", ".inf", "12:30"]
    assert terms["tilde"].term == "~"
    assert plan.strategy is not None
    assert plan.strategy.principles == ["yes", "no", "on", "off"]
    assert plan.strategy.reviewed == dt.date(2026, 6, 1)
    role = plan.roles[0]
    assert (role.department, role.hours_per_week) == ("0711", 12.5)
