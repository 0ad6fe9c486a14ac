"""Shared test setup: a fixed 'today' so review-status output is stable."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"
TODAY = "2026-11-22"

# The smallest strategy.yml that passes the method checks (used by CLI and model tests).
STRATEGY = """\
owner: social-media-manager
reviewed: 2026-06-01
mission: Wir helfen Hausbesitzern, klimafreundlich zu heizen.
lead_idea:
  title: Wärme zum Anfassen
  description: Echte Häuser, echte Menschen, echte Zahlen.
usp:
  statement: Wir messen, was wir versprechen.
"""

os.environ["HANDBOOK_TODAY"] = TODAY
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@pytest.fixture
def update_snapshots() -> bool:
    """Set UPDATE_SNAPSHOTS=1 to rewrite expected files (then review the diff)."""
    return os.environ.get("UPDATE_SNAPSHOTS") == "1"
