"""Publishing is atomic: a failed, killed or concurrent build never leaves site/ missing,
empty or mixed (macros/site/publish.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import macros.site.publish

from .conftest import ROOT
from .site_support import build, make_project

PREFIX = macros.site.publish.PREFIX


def _snapshot(site: Path) -> dict[str, bytes]:
    """Every file of a built site with its bytes."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _temp_folders(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.glob(PREFIX + "*"))


def _start(project: Path) -> subprocess.Popen[str]:
    """``mkdocs build --strict`` like ``build()``, but in the background."""
    return subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def _new_site(folder: Path, text: str) -> Path:
    folder.mkdir()
    (folder / "index.html").write_text(text, encoding="utf-8")
    return folder


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


Published = tuple[Path, subprocess.CompletedProcess, dict[str, bytes]]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Published]:
    """The sample, built once from scratch (no site/ yet), with a pinned sitemap date."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1790000000")
        project = make_project(tmp_path_factory.mktemp("publish") / "p", ROOT / "plans")
        assert not (project / "site").exists()
        result = build(project)
        yield project, result, _snapshot(project / "site")


@pytest.fixture
def site(published: Published) -> tuple[Path, dict[str, bytes]]:
    """The project and its complete site (rebuilt if an earlier test broke it)."""
    project, first, reference = published
    assert first.returncode == 0, first.stderr
    if _snapshot(project / "site") != reference:
        build(project)
    assert _snapshot(project / "site") == reference
    return project, reference


def test_first_build_without_site_publishes_a_complete_site(published: Published) -> None:
    project, result, _ = published
    assert result.returncode == 0, result.stderr
    assert "Published the build to" in result.stderr
    files = _snapshot(project / "site")
    assert len(files) > 50
    assert {"index.html", "404.html", "sitemap.xml", "search/search_index.json"} <= files.keys()
    assert _temp_folders(project) == []


def _build_with_appended(project: Path, path: Path, extra: str) -> subprocess.CompletedProcess[str]:
    """Build with ``extra`` appended to ``path``; the file is restored afterwards."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text + extra, encoding="utf-8")
    try:
        return build(project)
    finally:
        path.write_text(text, encoding="utf-8")


def test_data_error_keeps_previous_site_byte_identical(site) -> None:
    project, before = site
    result = _build_with_appended(project, project / "plans" / "goals.yml", "\nbroken: [unclosed\n")
    assert result.returncode == 1
    assert _snapshot(project / "site") == before
    assert _temp_folders(project) == []


def test_strict_warning_after_writing_keeps_previous_site(site) -> None:
    """--strict aborts only after every file is written: that build must not be published."""
    project, before = site
    page = project / "content" / "glossar.md"
    result = _build_with_appended(project, page, "\n[kaputt](gibt-es-nicht.md)\n")
    assert result.returncode == 1
    assert "gibt-es-nicht.md" in result.stderr
    assert _snapshot(project / "site") == before
    assert _temp_folders(project) == []


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killed_build_keeps_previous_site(site, sig: signal.Signals) -> None:
    project, before = site
    # Fixed points in a ~3-5 s build: while loading, while rendering, while writing.
    for delay in (0.5, 1.5, 3.0):
        process = _start(project)
        time.sleep(delay)
        process.send_signal(sig)
        process.communicate()
        assert _snapshot(project / "site") == before, f"{sig.name} after {delay} s"
    # And right when an in-place build would have emptied site/ and started writing.
    process = _start(project)
    assert process.stderr is not None
    for line in process.stderr:
        if "Building documentation to directory" in line:
            process.send_signal(sig)
            break
    process.communicate()
    assert process.returncode == -sig
    assert _snapshot(project / "site") == before, f"{sig.name} when writing began"


def test_concurrent_builds_all_succeed_and_leave_a_complete_site(site) -> None:
    project, before = site
    processes = [_start(project) for _ in range(4)]
    errors = [p.communicate()[1] for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0, 0], errors
    assert _snapshot(project / "site") == before
    assert _temp_folders(project) == []


def test_next_build_removes_folders_of_dead_builds_only(published: Published, tmp_path: Path) -> None:
    """Also: ``-d`` into a folder that does not exist yet publishes there."""
    project, _, reference = published
    out = tmp_path / "out"
    dead = _dead_pid()
    stale = [out / f"{PREFIX}{dead}-0a1b2c", out / f"{PREFIX}{dead}-0a1b2c.old"]
    live = out / f"{PREFIX}{os.getpid()}-3d4e5f"  # this test process is alive
    for folder in [*stale, live]:
        (folder / "assets").mkdir(parents=True)
        (folder / "assets" / "half.css").write_text("/* half written */", encoding="utf-8")
    result = build(project, "-d", str(out / "handbuch"))
    assert result.returncode == 0, result.stderr
    assert _temp_folders(out) == [live.name]
    assert _snapshot(out / "handbuch").keys() == reference.keys()


def test_publishing_keeps_the_folder_mode_and_hidden_top_level_files(tmp_path: Path) -> None:
    """What an in-place build keeps (MkDocs' clean step spares hidden entries) is kept."""
    target = _new_site(tmp_path / "site", "alt")
    (target / ".htaccess").write_text("Options -Indexes\n", encoding="utf-8")
    (target / ".well-known").mkdir()
    (target / ".well-known" / "security.txt").write_text("Contact: it@example.org\n", encoding="utf-8")
    target.chmod(0o751)
    new = _new_site(tmp_path / f"{PREFIX}1-a", "neu")
    macros.site.publish._carry_over(target, new)
    assert _snapshot(new) == {
        ".htaccess": b"Options -Indexes\n",
        ".well-known/security.txt": b"Contact: it@example.org\n",
        "index.html": b"neu",
    }
    assert new.stat().st_mode & 0o777 == 0o751


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "rename-dance"])
def test_swap_replaces_the_site_and_returns_the_previous_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    if exchange and macros.site.publish._renameat2() is None:
        pytest.skip("renameat2 is not available here")
    if not exchange:
        monkeypatch.setattr(macros.site.publish, "_renameat2", lambda: None)
    target, new = tmp_path / "site", tmp_path / f"{PREFIX}1-a"
    assert macros.site.publish._swap(_new_site(new, "neu"), target) is None  # no site yet: a plain rename
    previous = macros.site.publish._swap(_new_site(tmp_path / f"{PREFIX}1-b", "neuer"), target)
    assert (target / "index.html").read_text(encoding="utf-8") == "neuer"
    assert previous is not None
    assert (previous / "index.html").read_text(encoding="utf-8") == "neu"
