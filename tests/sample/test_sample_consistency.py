"""The contradictions the samples once held (issue 11) are found when put back, with both places."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.checks.check import check

from ..conftest import ROOT
from ..site_support import edited_plans


def test_the_company_sample_s_old_answer_times_are_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The newsletter's page said 2 working days; the answering process and crisis level 0 say
    4 working hours."""
    text = (ROOT / "plans" / "channels.yml").read_text(encoding="utf-8")
    newsletter = text[text.index("  - id: fachpartner-newsletter") :]
    slow = newsletter.replace(
        "      value: 4\n      unit: working_hours\n", "      value: 2\n      unit: working_days\n"
    )
    edited_plans(tmp_path / "plans", {"channels": [(newsletter, slow)]}, ROOT / "plans")
    monkeypatch.chdir(tmp_path)
    found = [
        (p.code, p.file, p.path, p.related and (p.related.file, p.related.path))
        for p in check(Path("plans")).problems
    ]
    at = ("plans/channels.yml", "channels[6].response_time.value")
    assert found == [
        (
            "response-time-process",
            *at,
            ("plans/processes.yml", "processes[1].service_levels[0].within.value"),
        ),
        ("response-time-crisis", *at, ("plans/crisis.yml", "levels[0].response_time.value")),
    ]


def test_the_club_s_onboarding_asks_for_the_photo_training_before_the_start_module(tmp_path: Path) -> None:
    club = ROOT / "samples" / "sportverein" / "plans"
    edits = {
        "training": [
            (
                "    trainer: social-media\n    objectives:\n      - Die vier Kanäle",
                "    trainer: social-media\n    prerequisites:\n      - fotos-im-jugendbereich\n"
                "    objectives:\n      - Die vier Kanäle",
            ),
        ]
    }
    problems = check(edited_plans(tmp_path / "plans", edits, club)).problems
    assert [(p.code, p.path, p.related and p.related.path) for p in problems] == [
        ("onboarding-prerequisite-later", "weeks[0].tasks[0].module", "weeks[1].tasks[0].module")
    ]
