"""Review status: overdue reviews are warnings in check and flagged in the site."""

from __future__ import annotations

import pytest

from macros.checks.check import check
from macros.site.render import Renderer

from .conftest import ROOT

MINI = ROOT / "tests" / "fixtures" / "mini" / "plans"


def test_check_warns_on_overdue_reviews(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDBOOK_TODAY", "2027-06-02")
    result = check(MINI)
    overdue = [p for p in result.problems if p.code == "review-overdue"]
    messages = [f"{p.file.split('/')[-1]}:{p.line}:{p.column}: {p.path}: {p.message}" for p in overdue]
    assert (
        "goals.yml:14:15: goals[0].reviewed: review of goal 'reach' is overdue since 2027-06-01" in messages
    )
    assert "strategy.yml:3:11: reviewed: review of strategy.yml is overdue since 2027-06-01" in messages
    assert all(p.severity == "warning" for p in overdue)
    assert overdue[0].hint == "review it with its owner 'lead', then set 'reviewed:' to the review date"


def test_no_warning_before_due_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDBOOK_TODAY", "2027-06-01")
    assert not [p for p in check(MINI).problems if p.code == "review-overdue"]


def test_review_status_lists_overdue_first(monkeypatch: pytest.MonkeyPatch) -> None:
    plan = check(MINI).plan
    assert plan is not None
    monkeypatch.setenv("HANDBOOK_TODAY", "2027-06-02")
    rows = Renderer(plan, "pflegestatus.md").review_rows()
    assert all(r["overdue"] for r in rows)
    output = Renderer(plan, "pflegestatus.md").render("review_status.md")
    assert '!!! warning "' in output
    assert "| überfällig | [Mehr Reichweite](ziele.md#ziel-reach) | Ziel |" in output


def test_check_can_ignore_a_warning_code(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from macros.cli import main

    monkeypatch.setenv("HANDBOOK_TODAY", "2027-06-02")
    assert main(["check", "--strict", str(MINI)]) == 1
    assert "review of goal 'reach' is overdue since 2027-06-01" in capsys.readouterr().out
    assert main(["check", "--strict", "--ignore", "review-overdue", str(MINI)]) == 0
    assert capsys.readouterr().out == "ok: 17 files, 24 records, no problems\n"


def test_bad_handbook_today_is_a_usage_error(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from macros.cli import main

    monkeypatch.setenv("HANDBOOK_TODAY", "22.11.2026")
    assert main(["check", str(MINI)]) == 2
    assert capsys.readouterr().err == (
        "handbook: error: HANDBOOK_TODAY must be a date like 2026-11-22, not '22.11.2026'\n"
    )


def test_goal_deadline_passed_and_paused_channels(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    plans = tmp_path / "plans"
    shutil.copytree(MINI, plans)
    channels = plans / "channels.yml"
    channels.write_text(channels.read_text(encoding="utf-8").replace("status: active", "status: paused"))
    monkeypatch.setenv("HANDBOOK_TODAY", "2027-07-01")
    found = {
        p.code: f"{p.path}: {p.message}"
        for p in check(plans).problems
        if p.code in ("goal-deadline-passed", "goal-no-active-channel")
    }
    assert found == {
        "goal-deadline-passed": "goals[0].deadline: the deadline 2027-06-30 of goal 'reach' has passed "
        "without reaching the target: it stands at 200 of 300",
        "goal-no-active-channel": "goals[0].channels: goal 'reach' relies only on paused or retired channels",
    }
