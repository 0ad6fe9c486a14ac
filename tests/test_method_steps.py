"""The steps of the method: a step the plans have not taken yet is a warning (code method-step),
and every finding of a step is listed first, in the method's order, with "step N of 8"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from macros.checks.check import check
from macros.checks.method import STEPS
from macros.cli import main

from .conftest import ROOT

MINI = ROOT / "tests" / "fixtures" / "mini" / "plans"

ORGANISATION = """\
owner: lead
reviewed: 2026-06-01
company:
  name: Beispiel GmbH
  description: Baut Regale für Werkstätten.
responsibility:
  kind: person
  name: Social-Media-Verantwortung
  description: Eine Person verantwortet alle Kanäle.
  lead: lead
"""

ROLES = """\
roles:
  - id: lead
    name: Social-Media-Leitung
"""

# What a new handbook with only its organisation and one role hears from check: its to-do list.
FIRST_STEPS = """\
plans/roles.yml:2:3: roles: warning: step 1 of 8 (responsibility and time): no role has a weekly time budget
  2 |   - id: lead
    |   ^
  hint: give the roles that do the work 'hours_per_week:'; social media needs dedicated time
plans/analysis.yml:1:1: listening: warning: step 2 of 8 (listening): \
nothing has been learned from listening yet
  hint: listen to each network for some weeks before posting and write down what you learned \
under 'listening:' in plans/analysis.yml
plans/goals.yml:1:1: goals: warning: step 3 of 8 (goals and target groups): there are no goals yet
  hint: write down what social media should achieve, measurable and with a deadline, in plans/goals.yml
plans/target-groups.yml:1:1: target_groups: warning: step 3 of 8 (goals and target groups): \
there are no target groups yet
  hint: describe whom you want to reach, with a priority, in plans/target-groups.yml
plans/analysis.yml:1:1: swot: warning: step 4 of 8 (as-is analysis from three perspectives): \
there is no as-is analysis yet
  hint: collect strengths, weaknesses, opportunities and threats from leadership, employees \
and stakeholders under 'swot:' in plans/analysis.yml
plans/actions.yml:1:1: measures: warning: step 5 of 8 (USP, lead idea, strategy and action plan): \
there is no action plan yet
  hint: turn the strategy into measures with a period and a responsible role in plans/actions.yml
plans/strategy.yml:1:1: (file): warning: step 5 of 8 (USP, lead idea, strategy and action plan): \
there is no strategy.yml: no mission, lead idea or USP
  hint: create plans/strategy.yml with mission, lead_idea and usp
plans/experts.yml:1:1: (file): warning: step 6 of 8 (processes, experts, guidelines and training): \
there are no experts who give the team answers yet
  hint: add them in plans/experts.yml
plans/guidelines.yml:1:1: (file): warning: step 6 of 8 (processes, experts, guidelines and training): \
there are no social media guidelines for employees yet
  hint: add them in plans/guidelines.yml
plans/processes.yml:1:1: (file): warning: step 6 of 8 (processes, experts, guidelines and training): \
there are no processes (who answers, who checks, who approves) yet
  hint: add them in plans/processes.yml
plans/training.yml:1:1: (file): warning: step 6 of 8 (processes, experts, guidelines and training): \
there are no training modules yet
  hint: add them in plans/training.yml
plans/channels.yml:1:1: channels: warning: step 7 of 8 (daily work: channels, content and crisis plan): \
there are no channels yet
  hint: add the networks you listen to or post in, with status and tone, in plans/channels.yml
plans/content.yml:1:1: (file): warning: step 7 of 8 (daily work: channels, content and crisis plan): \
there is no content plan yet
  hint: add content pillars and the editorial rhythm in plans/content.yml
plans/crisis.yml:1:1: (file): warning: step 7 of 8 (daily work: channels, content and crisis plan): \
there is no crisis plan yet
  hint: add crisis levels and the escalation chain in plans/crisis.yml
plans/improvement.yml:1:1: (file): warning: step 8 of 8 (continuous improvement): \
no regular review of the results is planned yet
  hint: add the KPI reviews (who looks at which figures how often) in plans/improvement.yml
0 errors, 15 warnings (2 files, 1 record)
"""


# A goal that is not SMART yet: findings that belong to no step.
GOALS = """\
goals:
  - id: more-visits
    owner: lead
    reviewed: 2026-06-01
    title: Mehr Besuche
    kpi: Besuche pro Monat
    unit: Besuche
"""
GOAL_CODES = {"goal-no-target", "goal-no-deadline", "goal-no-baseline", "goal-no-target-group"}


def new_handbook(tmp_path: Path, **files: str) -> Path:
    plans = tmp_path / "plans"
    plans.mkdir()
    for stem, text in {"organisation": ORGANISATION, "roles": ROLES, **files}.items():
        (plans / f"{stem}.yml").write_text(text, encoding="utf-8")
    return tmp_path


def test_a_new_handbook_hears_every_step_in_the_method_s_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(new_handbook(tmp_path))
    assert main(["check", "plans"]) == 0
    assert capsys.readouterr().out == FIRST_STEPS
    assert main(["check", "--strict", "plans"]) == 1
    assert capsys.readouterr().out == FIRST_STEPS
    assert (
        main(["check", "--strict", "--ignore", "method-step", "--ignore", "strategy-missing", "plans"]) == 0
    )
    assert capsys.readouterr().out == "ok: 2 files, 1 record, no problems\n"


def test_every_step_of_the_method_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(new_handbook(tmp_path))
    problems = check(Path("plans")).problems
    assert [p.step for p in problems] == sorted(p.step for p in problems)
    assert {p.step for p in problems} == set(range(1, len(STEPS) + 1))
    assert all(p.message.startswith(f"step {p.step} of 8 ({STEPS[p.step - 1]}): ") for p in problems)


def test_a_step_taken_is_no_longer_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(new_handbook(tmp_path, roles=ROLES + "    hours_per_week: 5\n"))
    messages = [p.message for p in check(Path("plans")).problems]
    assert len(messages) == 14
    assert not any(m.startswith("step 1 of 8") for m in messages)


def test_a_complete_plan_has_no_step_left() -> None:
    problems = check(MINI).problems
    assert [p for p in problems if p.code == "method-step" or p.step] == []


def test_findings_of_a_step_come_before_the_others(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(new_handbook(tmp_path, goals=GOALS))
    problems = check(Path("plans")).problems
    steps = [p.step for p in problems]
    first_other = steps.index(0)
    assert steps[:first_other] == sorted(steps[:first_other]) and 0 not in steps[:first_other]
    assert {p.code for p in problems[first_other:]} == GOAL_CODES
    assert not any(steps[first_other:])


def test_the_json_report_gives_the_step_of_stepped_findings_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(new_handbook(tmp_path, goals=GOALS))
    assert main(["check", "--format", "json", "plans"]) == 0
    problems = json.loads(capsys.readouterr().out)["problems"]
    stepped = [(p["code"], p["step"]) for p in problems if "step" in p]
    assert stepped[:2] == [("method-step", 1), ("method-step", 2)]
    assert ("strategy-missing", 5) in stepped
    assert all(p["message"].startswith(f"step {p['step']} of 8 (") for p in problems if "step" in p)
    others = [p for p in problems if "step" not in p]
    assert {p["code"] for p in others} == GOAL_CODES
    assert not any(p["message"].startswith("step ") for p in others)
