"""Incremental rebuilds under ``mkdocs serve --dirty`` (macros/site/incremental.py) leave exactly the
site a full build of the same plans writes: every file, byte for byte."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from macros.site import incremental

from .conftest import ROOT
from .site_support import edit, git, make_project, visible_text

SERVE_URL = "http://127.0.0.1:8000/"


def _build(project: Path, site: Path, *, dirty: bool, startup: bool) -> None:
    """One build as ``mkdocs serve`` runs it: a fresh config per build, on_startup once per server."""
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site))
    config.site_url = SERVE_URL
    if startup:
        config.plugins.on_startup(command="serve", dirty=dirty)
        search = config.plugins.get("material/search")
        search.search_index_prev = None  # the same plugin object served the other server's builds
    build(config, serve_url=SERVE_URL, dirty=dirty)


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _assert_same(site: Path, reference: Path) -> None:
    ours, full = _files(site), _files(reference)
    assert sorted(ours) == sorted(full)
    different = [name for name in full if ours[name] != full[name]]
    assert different == []


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    project = make_project(tmp_path / "project", ROOT / "plans")
    _build(project, tmp_path / "served", dirty=True, startup=True)
    yield project
    incremental.on_startup("build", False)
    logging.getLogger("mkdocs.commands.build").removeFilter(incremental._filter)


def _rebuilt(caplog: pytest.LogCaptureFixture) -> str:
    found = [r.getMessage() for r in caplog.records if r.getMessage().startswith("handbook: rebuilding")]
    return found[-1] if found else "full"


EDITS = {
    "a channel's purpose": ("channels.yml", "    purpose: >-\n", "    purpose: >-\n      Neu geschärft:\n"),
    "a target group's description": (
        "target-groups.yml",
        "    description: >-\n",
        "    description: >-\n      Neu beschrieben:\n",
    ),
    "a rule nested in a guideline topic": (
        "guidelines.yml",
        "        rule: >-\n",
        "        rule: >-\n          Neu:\n",
    ),
    "a role's weekly hours (summed on another page)": (
        "roles.yml",
        "hours_per_week: 38",
        "hours_per_week: 37",
    ),
    "a topic superseded by another (named on its page and the overview)": (
        "guidelines.yml",
        "    approval:\n      status: approved\n",
        "    approval:\n      status: superseded\n      replaced_by: vertraulichkeit\n",
    ),
}


@pytest.mark.parametrize("name", EDITS)
def test_a_record_edit_rebuilds_its_pages_only_and_equals_a_full_build(
    name: str, served: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    stem, old, new = EDITS[name]
    edit(served / "plans" / stem, old, new)
    _build(served, tmp_path / "served", dirty=True, startup=False)
    message = _rebuilt(caplog)
    assert message.startswith("handbook: rebuilding"), message
    done, _, total = message.removeprefix("handbook: rebuilding ").partition(" of ")
    assert 0 < int(done) < int(total.split()[0])
    _build(served, tmp_path / "full", dirty=False, startup=True)
    _assert_same(tmp_path / "served", tmp_path / "full")


def test_another_replacement_is_linked_where_the_old_one_was(served: Path, tmp_path: Path) -> None:
    """Only ``replaced_by`` changes: the superseded page and the overview link the new replacement."""
    guidelines = served / "plans" / "guidelines.yml"
    _, old, new = EDITS["a topic superseded by another (named on its page and the overview)"]
    edit(guidelines, old, new)
    _build(served, tmp_path / "served", dirty=True, startup=False)
    edit(guidelines, "replaced_by: vertraulichkeit", "replaced_by: umgang-mit-kritik")
    _build(served, tmp_path / "served", dirty=True, startup=False)
    page = (tmp_path / "served" / "richtlinien" / "grundsaetze" / "index.html").read_text(encoding="utf-8")
    assert 'An seine Stelle tritt <a href="../umgang-mit-kritik/">' in page
    _build(served, tmp_path / "full", dirty=False, startup=True)
    _assert_same(tmp_path / "served", tmp_path / "full")


def test_a_title_edit_rebuilds_every_page_and_equals_a_full_build(
    served: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    edit(served / "plans" / "channels.yml", "    purpose: >-\n", "    purpose: >-\n      Neu geschärft:\n")
    _build(served, tmp_path / "served", dirty=True, startup=False)
    caplog.clear()
    edit(served / "plans" / "channels.yml", " auf LinkedIn\n", " bei LinkedIn\n")
    _build(served, tmp_path / "served", dirty=True, startup=False)
    assert _rebuilt(caplog) == "full"
    _build(served, tmp_path / "full", dirty=False, startup=True)
    _assert_same(tmp_path / "served", tmp_path / "full")


def test_the_change_page_follows_git_not_every_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The change page shows the git history: an edit not yet committed leaves it as it is, a
    commit shows on it; both times the site equals a full build."""
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    project = make_project(tmp_path / "project", ROOT / "plans")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Strategie angelegt")
    served = tmp_path / "served"
    try:
        _build(project, served, dirty=True, startup=True)
        channels = project / "plans" / "channels.yml"
        caplog.set_level(logging.DEBUG, logger="mkdocs.plugins.handbook")
        caplog.clear()
        # the first edit after a commit: the footer of a served site does not mark local changes
        edit(channels, "    purpose: >-\n", "    purpose: >-\n      Neu geschärft:\n")
        _build(project, served, dirty=True, startup=False)
        footer = (served / "index.html").read_text(encoding="utf-8")
        assert "Datenstand: Vorschau des Arbeitsstands (letzter Commit " in footer, visible_text(footer)
        rebuilt = [
            r.getMessage() for r in caplog.records if r.getMessage().startswith("handbook: rebuilding [")
        ]
        assert len(rebuilt) == 1 and "kanaele/index.md" in rebuilt[0], rebuilt
        assert "aenderungen.md" not in rebuilt[0]
        assert "pflegestatus.md" not in rebuilt[0]  # it shows owners and dates, not the purpose
        _build(project, tmp_path / "full", dirty=False, startup=True)
        _assert_same(served, tmp_path / "full")

        _build(project, served, dirty=True, startup=True)  # serve again (the full build ended it)
        git(project, "commit", "-qam", "Zweck geschärft")
        _build(project, served, dirty=True, startup=False)
        page = (served / "aenderungen" / "index.html").read_text(encoding="utf-8")
        assert "Zweck geschärft" in page, visible_text(page)
        _build(project, tmp_path / "full2", dirty=False, startup=True)
        _assert_same(served, tmp_path / "full2")
    finally:
        incremental.on_startup("build", False)
        logging.getLogger("mkdocs.commands.build").removeFilter(incremental._filter)
