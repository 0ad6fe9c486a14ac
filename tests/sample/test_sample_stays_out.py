"""Nothing of the sample organisation in the engine: code, templates, schema descriptions, theme
overrides and mkdocs.yml name no company of plans/ (the sample is one customer, not the product)."""

from __future__ import annotations

import re
from pathlib import Path

from macros.checks.check import check

from ..conftest import ROOT

ENGINE = [
    *sorted((ROOT / "macros").rglob("*.py")),
    *sorted((ROOT / "macros").rglob("*.md")),
    *sorted((ROOT / "schema").glob("*.json")),
    *sorted((ROOT / "site_overrides").rglob("*.html")),
    ROOT / "mkdocs.yml",
]


def _sample_names() -> set[str]:
    """Proper names of the sample: the words of its company name and of its website's host."""
    plan = check(ROOT / "plans").plan
    assert plan is not None and plan.organisation is not None
    company = plan.organisation.company
    text = company.name
    if company.website:
        host = re.sub(r"^\w+://(www\.)?", "", str(company.website)).split("/")[0]
        text += " " + " ".join(host.split(".")[:-1])  # without the top-level domain
    return {w.lower() for w in re.findall(r"[A-Za-zÄÖÜäöüß]{5,}", text)} - {"gmbh", "verein", "stiftung"}


def _found(paths: list[Path], names: set[str]) -> list[str]:
    return [
        f"{path.name}: {name}"
        for path in paths
        for name in sorted(names)
        if name in path.read_text("utf-8").lower()
    ]


def test_the_engine_names_no_sample_company() -> None:
    assert _found(ENGINE, _sample_names()) == []


def test_the_scan_finds_a_sample_name(tmp_path: Path) -> None:
    names = _sample_names()
    assert names  # the scan looks for something
    page = tmp_path / "page.md"
    page.write_text(f"Willkommen bei {max(names).title()}!\n", encoding="utf-8")
    assert _found([page], names) == [f"page.md: {max(names)}"]
