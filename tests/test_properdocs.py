"""ProperDocs (PyPI ``properdocs``, the maintained fork of MkDocs 1.6) builds this project unchanged:
same mkdocs.yml, same hooks, plugins and extensions, and the same files as MkDocs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT
from .site_support import build, generated_pages, make_project

MINI = ROOT / "tests" / "fixtures" / "mini" / "plans"
# Both builds stamp the same date into sitemap.xml(.gz), as ./run.sh build does.
ENV = {"SOURCE_DATE_EPOCH": "1790000000"}
# The one line that differs: Material names the generator and its version on every page.
_GENERATOR = re.compile(rb'<meta name="generator" content="mkdocs-([^"]*), mkdocs-material-[^"]*">')


def properdocs_build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``properdocs build --strict`` of ``project``'s mkdocs.yml in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **ENV},
        timeout=300,
    )


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """(MkDocs build, ProperDocs build) of one copy of the project: every file, by path."""
    tmp = tmp_path_factory.mktemp("properdocs")
    project = make_project(tmp / "project", ROOT / "plans")
    mkdocs = build(project, env=ENV)
    assert mkdocs.returncode == 0, mkdocs.stderr
    properdocs = properdocs_build(project, "-d", str(tmp / "properdocs-site"))
    assert properdocs.returncode == 0, properdocs.stderr
    assert "WARNING" not in properdocs.stderr, properdocs.stderr
    return _files(project / "site"), _files(tmp / "properdocs-site")


def test_properdocs_builds_the_same_pages(sites: tuple[dict[str, bytes], dict[str, bytes]]) -> None:
    mkdocs, properdocs = sites
    pages = [p for p in mkdocs if p.endswith(".html")]
    assert [p for p in properdocs if p.endswith(".html")] == pages
    # Written pages, the error page and the pages generated per record (in on_files).
    assert {"index.html", "404.html", "glossar/index.html", *generated_pages(ROOT / "plans")} <= set(pages)


def test_properdocs_writes_the_same_files(sites: tuple[dict[str, bytes], dict[str, bytes]]) -> None:
    mkdocs, properdocs = sites
    assert sorted(properdocs) == sorted(mkdocs)
    generators = {m.group(1) for content in properdocs.values() for m in _GENERATOR.finditer(content)}
    assert len(generators) == 1 and next(iter(generators)).startswith(b"ProperDocs 1.6.")  # it did build
    differ = [
        path for path in mkdocs if _GENERATOR.sub(b"", mkdocs[path]) != _GENERATOR.sub(b"", properdocs[path])
    ]
    assert differ == []  # articles, review boxes, nav, search index, sitemap: all the same
    article = properdocs[generated_pages(ROOT / "plans")[0]].decode("utf-8")
    assert "Verantwortlich:" in article  # the review box from on_page_markdown
    assert 'role="dialog" aria-label="Suche"' in article  # the search dialog's name (theme override)


@pytest.mark.parametrize("builder", [build, properdocs_build], ids=["mkdocs", "properdocs"])
def test_an_anchor_twice_stops_the_build_and_names_the_page(tmp_path: Path, builder) -> None:
    """The page fixes (a Markdown extension) stop either build with the same message."""
    project = make_project(tmp_path / "p", MINI)
    page_file = project / "content" / "ueber.md"
    page_file.write_text(
        page_file.read_text(encoding="utf-8") + "\n## Eins {: #doppelt }\n\n## Zwei {: #doppelt }\n",
        encoding="utf-8",
    )
    result = builder(project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        "ueber.md: the anchor '#doppelt' exists twice on this page; "
        "rename the heading or the record id that produces it" in result.stderr
    )
