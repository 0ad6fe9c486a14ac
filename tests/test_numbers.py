"""Numbers appear as they were written in plans/: German format, every written decimal, euros.

The loader keeps each number's source text (``3.85``, ``2499.990``, ``1e3``); the models keep it
through validation, and labels.number_de shows it with '.' between thousands and ',' before the
decimals. Pinned on the formatting functions and on fragments rendered from the mini fixture plans
with changed numbers.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from macros.checks.check import check
from macros.data.labels import duration, euro_de, number_de
from macros.data.loader import load_text
from macros.site.render import Renderer

from .conftest import ROOT

MINI = ROOT / "tests" / "fixtures" / "mini" / "plans"


def _written(text: str) -> object:
    """A number as the loader reads it from YAML (with its source text)."""
    return load_text(f"n: {text}\n", Path("n.yml")).data["n"]


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("3.85", "3,85"),
        ("2499.99", "2.499,99"),
        ("2499.990", "2.499,990"),
        ("1500", "1.500"),
        ("1234567.891", "1.234.567,891"),
        ("0.0015", "0,0015"),
        ("1.5e-3", "0,0015"),
        ("1e3", "1.000"),
        ("-1234.5", "-1.234,5"),
        ("+7", "7"),
        ("0", "0"),
        ("12.0", "12,0"),
    ],
)
def test_a_number_is_shown_as_written(written: str, shown: str) -> None:
    assert number_de(_written(written)) == shown


@pytest.mark.parametrize(
    ("written", "shown"),
    [("2499.99", "2.499,99 €"), ("2500", "2.500 €"), ("19.9", "19,90 €"), ("0.125", "0,125 €")],
)
def test_an_amount_in_euros(written: str, shown: str) -> None:
    assert euro_de(_written(written)) == shown


def test_computed_numbers_have_no_float_noise() -> None:
    assert number_de(0.1 + 0.2) == "0,3"
    assert number_de(20.0 + 25.0) == "45"
    assert number_de(1500) == "1.500"
    assert number_de(None) == "–"


def test_durations_keep_their_decimals() -> None:
    assert duration(_written("1.25"), "hours") == "1,25 Stunden"
    assert duration(_written("1"), "working_days") == "1 Arbeitstag"
    assert duration(_written("1500"), "minutes") == "1.500 Minuten"


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory):
    """The mini plans with numbers that have decimals."""
    plans = tmp_path_factory.mktemp("numbers") / "plans"
    shutil.copytree(MINI, plans)
    replace = {
        "goals.yml": [("baseline: 100", "baseline: 3.85"), ("target: 300", "target: 12.50"),
                      ("current: 200", "current: 1234.5")],
        "actions.yml": [("budget_eur: 500", "budget_eur: 2499.99")],
        "roles.yml": [("hours_per_week: 10", "hours_per_week: 7.5")],
        "crisis.yml": [("{value: 2, unit: hours}", "{value: 1.5, unit: hours}")],
    }  # fmt: skip
    for name, pairs in replace.items():
        path = plans / name
        text = path.read_text(encoding="utf-8")
        for old, new in pairs:
            assert old in text, (name, old)
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    result = check(plans)
    assert result.plan is not None, result.problems
    return result.plan


def test_goal_values_are_shown_as_written(plan) -> None:
    goals = Renderer(plan, "seite.md").render("goals.md")
    assert "| Follower (Follower) | 3,85 | 1.234,5 | 12,50 | 30.06.2027 |" in goals


def test_budget_is_shown_in_euros_with_its_cents(plan) -> None:
    assert "Budget: 2.499,99 €" in Renderer(plan, "seite.md").render("measures.md")


def test_hours_and_durations_keep_their_decimals(plan) -> None:
    organisation = Renderer(plan, "seite.md").render("organisation.md")
    assert "7,5 Stunden pro Woche" in organisation
    crisis = Renderer(plan, "seite.md").render("crisis.md")
    assert "1,5 Stunden" in crisis


def test_models_keep_the_written_number(plan) -> None:
    goal = plan.goals[0]
    assert (goal.baseline, goal.baseline.text) == (3.85, "3.85")
    assert (goal.target, goal.target.text) == (12.5, "12.50")
    assert plan.measures[0].budget_eur.text == "2499.99"
