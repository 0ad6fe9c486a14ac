"""Shared test setup: a fixed 'today' so review-status output is stable."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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
# PDFs cost more than the rest of a build: only tests/test_pdf.py makes them (HANDBOOK_PDF=1)
os.environ.setdefault("HANDBOOK_PDF", "0")


@pytest.fixture
def update_snapshots() -> bool:
    """Set UPDATE_SNAPSHOTS=1 to rewrite expected files (then review the diff)."""
    return os.environ.get("UPDATE_SNAPSHOTS") == "1"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Chromium for the whole run (Playwright's sync API allows one driver per thread)."""
    from playwright.sync_api import sync_playwright

    from .browser_support import LAUNCH_ARGS, chromium_or_fail

    executable = chromium_or_fail()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        yield browser
        browser.close()
