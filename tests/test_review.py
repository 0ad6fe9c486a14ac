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


def _reviewed(plans, stem: str, date: str) -> None:
    """Set the one 'reviewed:' date of plans/<stem>.yml."""
    path = plans / f"{stem}.yml"
    text = path.read_text(encoding="utf-8")
    assert text.count("reviewed: 2026-06-01") == 1, stem
    path.write_text(text.replace("reviewed: 2026-06-01", f"reviewed: {date}"), encoding="utf-8")


def test_review_status_lists_overdue_first(tmp_path) -> None:
    import shutil

    plans = tmp_path / "plans"
    shutil.copytree(MINI, plans)
    # Today is 2026-11-22 (conftest), the interval 365 days. Due dates chosen so that neither
    # the files' order nor the kinds' order nor the sources' order is the sorted one.
    _reviewed(plans, "target-groups", "2026-02-01")  # due 2027-02-01: current, before the rest
    _reviewed(plans, "crisis", "2025-12-01")  # due 2026-12-01: current, first of the current
    _reviewed(plans, "goals", "2025-09-01")  # due 2026-09-01: overdue
    _reviewed(plans, "channels", "2025-01-15")  # due 2026-01-15: overdue the longest, first
    plan = check(plans).plan
    assert plan is not None
    output = Renderer(plan, "pflegestatus.md").render("review_status.md")
    assert '!!! warning "2 Überprüfungen überfällig"' in output
    rows = [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in output.splitlines()
        if line.startswith(("| Überfällig |", "| Aktuell |"))
    ]
    assert [(status, entry, due) for status, entry, due, _, _, _, _ in rows] == [
        ("Überfällig", "[Testblog](kanaele/blog.md)", "15.01.2026"),
        ("Überfällig", "[Mehr Reichweite](ziele.md#ziel-reach)", "01.09.2026"),
        ("Aktuell", "[Krisenmanagement](krisenmanagement.md)", "01.12.2026"),
        ("Aktuell", "[Bastler](zielgruppen/makers.md)", "01.02.2027"),
        # the same due date: by source file
        ("Aktuell", "[Blogserie Messen](massnahmen.md#massnahme-blog-series)", "01.06.2027"),
        ("Aktuell", "[Ist-Analyse](analyse.md)", "01.06.2027"),
        ("Aktuell", "[Content-Marketing](content-marketing.md)", "01.06.2027"),
        ("Aktuell", "[Grundsätze](richtlinien/basics.md)", "01.06.2027"),
        ("Aktuell", "[Kontinuierliche Verbesserung](verbesserung.md)", "01.06.2027"),
        ("Aktuell", "[Onboarding-Plan](schulungen/onboarding.md)", "01.06.2027"),
        ("Aktuell", "[Organisation und Verantwortung](organisation.md)", "01.06.2027"),
        ("Aktuell", "[Veröffentlichen](prozesse/publish.md)", "01.06.2027"),
        ("Aktuell", "[Strategie](strategie.md)", "01.06.2027"),
        ("Aktuell", "[Einführung](schulungen/intro.md)", "01.06.2027"),
    ]


def test_check_can_ignore_a_warning_code(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from macros.cli import main

    monkeypatch.setenv("HANDBOOK_TODAY", "2027-06-02")
    assert main(["check", "--strict", "--dates", "fail", str(MINI)]) == 1
    assert "review of goal 'reach' is overdue since 2027-06-01" in capsys.readouterr().out
    assert main(["check", "--strict", "--dates", "fail", "--ignore", "review-overdue", str(MINI)]) == 0
    assert capsys.readouterr().out == "ok: 18 files, 24 records, no problems\n"


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
