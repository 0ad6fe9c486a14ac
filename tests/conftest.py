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


SAMPLES = {"company": ROOT / "plans", "club": ROOT / "samples" / "sportverein" / "plans"}
"""The two sample handbooks: a company's (internal audience) and a club's (public)."""


@pytest.fixture(scope="session")
def sample_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Both samples built once per run for the tests that visit every page (layout, accessibility),
    with the address they are served at (``browser_support.PREFIX``)."""
    from .browser_support import PREFIX
    from .site_support import build, make_project

    root = tmp_path_factory.mktemp("samples")
    built = {}
    for name, plans in SAMPLES.items():
        project = make_project(root / name, plans)
        site = root / f"{name}-site"
        env = {"HANDBOOK_TODAY": TODAY, "HANDBOOK_SITE_URL": f"http://127.0.0.1{PREFIX}"}
        done = build(project, "-d", str(site), env=env)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        built[name] = site
    return built


@pytest.fixture(scope="session")
def sample_servers(sample_sites: dict[str, Path]) -> Iterator[dict[str, str]]:
    """The sample sites served under ``browser_support.PREFIX``: name -> address."""
    from .browser_support import serve

    with serve(sample_sites["company"]) as company, serve(sample_sites["club"]) as club:
        yield {"company": company, "club": club}
