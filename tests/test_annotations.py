"""check --format github|gitlab: problems as annotations on the changed lines; date-driven
warnings shown but not failing --strict unless --dates fail."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from macros.checks.annotations import format_github, format_gitlab
from macros.checks.problems import Problem
from macros.cli import main

from .conftest import ROOT
from .site_support import edit_plans

MINI = ROOT / "tests" / "fixtures" / "mini" / "plans"


@pytest.fixture
def plans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(MINI, tmp_path / "plans")
    return Path("plans")


def test_github_escapes_data_and_properties() -> None:
    problem = Problem(
        "plans/a,b:c%.yml",
        3,
        7,
        "goals[0].title",
        "100% sicher\r\nzweite Zeile",
        "hint, with: colon",
        "warning",
        "goal-no-target",
    )
    dated = Problem(
        "plans/goals.yml",
        9,
        15,
        "goals[0].deadline",
        "passed \x1b[31m",
        "",
        "warning",
        "goal-deadline-passed",
    )
    assert format_github([problem, dated], "summary") == (
        "::warning file=plans/a%2Cb%3Ac%25.yml,line=3,col=7,title=handbook check%3A goal-no-target::"
        "goals[0].title: 100%25 sicher%0D%0Azweite Zeile%0Ahint: hint, with: colon\n"
        "::notice file=plans/goals.yml,line=9,col=15,title=handbook check%3A goal-deadline-passed::"
        "goals[0].deadline: passed ␛[31m\n"
        "summary\n"
    )


def test_github_annotation_per_problem_with_its_position(
    plans: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_plans(plans, "goals", "channels: [blog]", "channels: [blogg]")
    assert main(["check", "--format", "github", "plans"]) == 1
    assert capsys.readouterr().out == (
        "::error file=plans/goals.yml,line=12,col=16,title=handbook check%3A unknown-reference::"
        "goals[0].channels[0]: unknown channel 'blogg'%0A"
        "hint: did you mean 'blog'? (defined in plans/channels.yml:3:9)\n"
        "1 error, 0 warnings (18 files, 24 records); method checks run once the errors are fixed\n"
    )


def test_dates_do_not_gate_strict(
    plans: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HANDBOOK_TODAY", "2027-07-01")  # the goal's deadline 2027-06-30 has passed
    ignore = ["--ignore", "review-overdue"]
    assert main(["check", "--strict", "--format", "github", *ignore, "plans"]) == 0
    assert capsys.readouterr().out == (
        "::notice file=plans/goals.yml,line=10,col=15,title=handbook check%3A goal-deadline-passed::"
        "goals[0].deadline: the deadline 2027-06-30 of goal 'reach' has passed without reaching the "
        "target: it stands at 200 of 300%0A"
        "hint: record the result in 'current', then set a new deadline or retire the goal\n"
        "0 errors, 1 warning (18 files, 24 records); 1 warning from dates alone, failing only with "
        "--dates fail\n"
    )
    assert main(["check", "--dates", "fail", *ignore, "plans"]) == 1
    assert capsys.readouterr().out == (
        "plans/goals.yml:10:15: goals[0].deadline: warning (date): the deadline 2027-06-30 of goal "
        "'reach' has passed without reaching the target: it stands at 200 of 300\n"
        "  10 |     deadline: 2027-06-30\n"
        "     |               ^\n"
        "  hint: record the result in 'current', then set a new deadline or retire the goal\n"
        "0 errors, 1 warning (18 files, 24 records)\n"
    )
    assert main(["check", "--strict", "plans"]) == 0  # 14 reviews overdue too: still no gate
    assert capsys.readouterr().out.endswith(
        "0 errors, 15 warnings (18 files, 24 records); 15 warnings from dates alone, failing only "
        "with --dates fail\n"
    )
    # A warning the change itself brings fails --strict as before.
    edit_plans(plans, "goals", "    baseline: 100\n", "")
    assert main(["check", "--strict", "--format", "json", *ignore, "plans"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(p["code"], p.get("category")) for p in report["problems"]] == [
        ("goal-no-baseline", None),
        ("goal-deadline-passed", "date"),
    ]
    assert main(["check", *ignore, "plans"]) == 0


def test_gitlab_code_quality_report(plans: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit_plans(plans, "goals", "channels: [blog]", "channels: [blogg]")
    assert main(["check", "--format", "gitlab", "plans"]) == 1
    out, err = capsys.readouterr()
    assert err == "1 error, 0 warnings (18 files, 24 records); method checks run once the errors are fixed\n"
    report = json.loads(out)
    fingerprint = report[0].pop("fingerprint")
    assert len(fingerprint) == 32 and set(fingerprint) <= set("0123456789abcdef")
    assert report == [
        {
            "description": "goals[0].channels[0]: unknown channel 'blogg'; "
            "hint: did you mean 'blog'? (defined in plans/channels.yml:3:9)",
            "check_name": "unknown-reference",
            "severity": "major",
            "location": {"path": "plans/goals.yml", "positions": {"begin": {"line": 12, "column": 16}}},
        }
    ]
    # A line added above moves the problem, not its fingerprint.
    edit_plans(plans, "goals", "goals:\n", "# Ziele\ngoals:\n")
    assert main(["check", "--format", "gitlab", "plans"]) == 1
    moved = json.loads(capsys.readouterr().out)
    assert moved[0]["fingerprint"] == fingerprint
    assert moved[0]["location"]["positions"]["begin"] == {"line": 13, "column": 16}


def test_gitlab_severities_and_distinct_fingerprints() -> None:
    problems = [
        Problem("plans/a.yml", 1, 1, "x", "same", "", "error", "duplicate-id"),
        Problem("plans/a.yml", 5, 1, "x", "same", "", "error", "duplicate-id"),
        Problem("plans/a.yml", 2, 3, "y", "w", "", "warning", "goal-no-target"),
        Problem("plans/a.yml", 4, 3, "z", "d", "", "warning", "review-overdue"),
    ]
    report = json.loads(format_gitlab(problems))
    assert [i["severity"] for i in report] == ["major", "major", "minor", "info"]
    assert len({i["fingerprint"] for i in report}) == 4
    assert format_gitlab([]) == "[]\n"
