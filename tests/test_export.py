"""``handbook export``: the handbook as a plain MkDocs project (no hooks, no macros plugin) that
builds to the same pages as the normal build, for renderers that run no MkDocs hooks."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from macros.site.build import load_plan
from macros.site.pages import glossary
from macros.site.settings import read_settings

from .conftest import ROOT
from .site_support import build, generated_pages, make_project

MINI = ROOT / "tests" / "fixtures" / "mini" / "plans"


def _handbook(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "macros.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def _written() -> list[Path]:
    """The written pages (content/) the export carries beside the generated ones."""
    return list((ROOT / "content").rglob("*.md"))


def _pages(site: Path) -> dict[str, str]:
    """Every HTML page, whole (nav, review box, edit button, footer included), without lines of only
    whitespace: Material writes a few more for a page with front matter, as the engine's pages have
    in the export (``edit_url: null``)."""
    return {
        path.relative_to(site).as_posix(): _BLANK.sub("", path.read_text(encoding="utf-8"))
        for path in sorted(site.rglob("*.html"))
    }


_BLANK = re.compile(r"(?m)^[ \t]*\n")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(normal build, exported project, build of the export) of a copy of the sample."""
    tmp = tmp_path_factory.mktemp("export")
    project = make_project(tmp / "project", ROOT / "plans")
    (project / "content" / "ueber.md").unlink()  # the engine's page then, as in a new handbook
    normal = build(project)
    assert normal.returncode == 0, normal.stderr
    result = _handbook("export", str(tmp / "out"), "-f", str(project / "mkdocs.yml"), cwd=tmp)
    assert result.returncode == 0, result.stdout + result.stderr
    config = tmp / "out" / "mkdocs.yml"
    generated = len(generated_pages(project / "plans"))
    pages = len(_written()) + generated
    told = f"wrote {tmp / 'out'}: {pages} pages ({generated} generated); "
    assert result.stdout == told + f"build it with 'mkdocs build -f {config}'\n"
    exported = build(tmp / "out")
    assert exported.returncode == 0, exported.stderr
    return project / "site", tmp / "out", tmp / "out" / "site"


def test_export_needs_no_hooks_and_no_macros_plugin(sites: tuple[Path, Path, Path]) -> None:
    _, out, _ = sites
    text = (out / "mkdocs.yml").read_text(encoding="utf-8")
    assert not re.search(r"(?m)^hooks:|^watch:|^\s+- macros:?$|\{\{|\{%", text)
    pages = list((out / "docs").rglob("*.md"))
    assert len(pages) == len(_written()) + len(generated_pages(ROOT / "plans"))
    assert [p for p in pages if "{{" in p.read_text(encoding="utf-8")] == []  # macros rendered
    assert "docs_dir: docs\n" in text
    # The glossary sits in the abbr extension's configuration, as data.
    config = read_settings(text)
    abbr = next(e["abbr"] for e in config["markdown_extensions"] if isinstance(e, dict) and "abbr" in e)
    assert abbr["glossary"] == glossary(load_plan(ROOT / "plans"))
    assert abbr["glossary"]  # the plans define terms


def test_export_builds_the_same_pages(sites: tuple[Path, Path, Path]) -> None:
    normal, _, exported = sites
    a, b = _pages(normal), _pages(exported)
    assert list(a) == list(b)
    assert [p for p in a if a[p] != b[p]] == []
    for path in generated_pages(ROOT / "plans"):
        assert "Verantwortlich:" in b[path], path  # the review box came along
    # "Edit this page": a generated page's plans file, a written page's Markdown, none on the engine's
    repo = "https://git.intranet.example/kommunikation/social-media-handbuch/edit/main/"
    edit = re.compile(r'<a href="([^"]*)" title="Seite editieren"')
    group = load_plan(ROOT / "plans").target_groups[0].id
    assert edit.findall(b[f"zielgruppen/{group}/index.html"]) == [repo + "plans/target-groups.yml"]
    assert edit.findall(b["index.html"]) == [repo + "content/index.md"]
    assert edit.findall(b["ueber/index.html"]) == []
    hidden = load_plan(ROOT / "plans").hidden
    footer = "Ausgabe: intern"
    if hidden:
        footer += (
            f", {'1 Eintrag' if hidden == 1 else f'{hidden} Einträge'} mit engerem Leserkreis ausgeblendet"
        )
    assert footer in (exported / "index.html").read_text(encoding="utf-8")


def test_generated_pages_carry_their_review_box_in_front_matter(sites: tuple[Path, Path, Path]) -> None:
    _, out, _ = sites
    group = load_plan(ROOT / "plans").target_groups[0]
    text = (out / "docs" / "zielgruppen" / f"{group.id}.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["review"]["source"] == "plans/target-groups.yml"
    assert meta["review"]["source_url"].endswith("/edit/main/plans/target-groups.yml")


def test_export_refuses_an_existing_folder_and_bad_plans(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", MINI)
    (tmp_path / "taken").mkdir()
    result = _handbook("export", str(tmp_path / "taken"), "-f", str(project / "mkdocs.yml"), cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        2,
        f"handbook: error: {tmp_path / 'taken'} exists; give a new folder (the export never overwrites)\n",
    )
    goals = project / "plans" / "goals.yml"
    goals.write_text(goals.read_text(encoding="utf-8") + "  - id: [\n", encoding="utf-8")
    result = _handbook("export", str(tmp_path / "new"), "-f", str(project / "mkdocs.yml"), cwd=tmp_path)
    assert result.returncode == 1
    head = "the plans have errors; nothing was exported\nproject/plans/goals.yml:16:1: "
    assert result.stdout.startswith(head)
    assert not (tmp_path / "new").exists()
    assert not list(tmp_path.glob(".new.export-*"))


def test_a_hostile_repository_address_stays_an_address_in_the_edit_links(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", MINI)
    organisation = project / "plans" / "organisation.yml"
    hostile = 'https://git.example/x"><img/src=x/onerror=alert(1)>'
    organisation.write_text(
        organisation.read_text(encoding="utf-8") + f"site:\n  repository: '{hostile}'\n", encoding="utf-8"
    )
    result = _handbook("export", str(tmp_path / "out"), "-f", str(project / "mkdocs.yml"), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    exported = build(tmp_path / "out")
    assert exported.returncode == 0, exported.stderr
    html = (tmp_path / "out" / "site" / "schulungen" / "intro" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<a href="([^"]*)" title="Seite editieren"', html) == [
        "https://git.example/x%22%3E%3Cimg/src=x/onerror=alert(1)%3E/edit/main/plans/training.yml"
    ]
    assert "<img/src=x" not in html
