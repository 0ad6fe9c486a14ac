"""A handbook's own pages over the engine's (macros/site/overlay.py) and the site's identity from
plans/organisation.yml ``site:`` (macros/site/plugin.py, export.py), built as an organisation's
handbook repository holds them: its plans, a few pages of its own, the engine installed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from macros.checks.check import check
from macros.data.bundle import engine_pages
from macros.site.export import ExportError, export
from macros.site.overlay import OverlayError, merge, mode, sections

from .conftest import ROOT
from .site_support import build, page

MINI = ROOT / "tests" / "fixtures" / "mini" / "plans"

ENGINE = """\
---
plans: [goals]
---
# Ablauf

Einleitung der Engine.

## Vorbereitung {: #vorbereitung }

Text der Engine zur Vorbereitung.

### Checkliste

Punkte der Engine.

## Durchführung

Text der Engine zur Durchführung.

```markdown
## Kein Abschnitt
```

## Nachbereitung {: .wichtig #nachbereitung }

Text der Engine zur Nachbereitung.
"""

HEAD = "---\noverride: sections\n---\n"


def _error(engine: str, own: str) -> tuple[int, str]:
    with pytest.raises(OverlayError) as caught:
        merge(engine, own)
    return caught.value.line, str(caught.value)


# --- mode ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# Seite\n", "page"),
        ("---\ntitle: Eigene Seite\n---\n# Seite\n", "page"),
        ("---\noverride: page\n---\n# Seite\n", "page"),
        (HEAD + "## Abschnitt\n", "sections"),
        ("---\n---\n# Seite\n", "page"),
        ("---\n[kaputt\n---\n# Seite\n", "page"),  # MkDocs reports broken front matter itself
    ],
)
def test_mode(text: str, expected: str) -> None:
    assert mode(text) == expected


def test_mode_rejects_an_unknown_value_at_its_line() -> None:
    with pytest.raises(OverlayError) as caught:
        mode("---\ntitle: Eigene Seite\noverride: section\n---\n## Abschnitt\n")
    assert caught.value.line == 3
    assert str(caught.value) == (
        "override: 'section' is not a way to override a page; write 'override: sections' to replace "
        "sections by their id, or leave it out to replace the page"
    )


# --- sections -----------------------------------------------------------------------------------


def test_sections_with_explicit_and_slug_ids_outside_code_fences() -> None:
    found = sections(ENGINE.splitlines(keepends=True))
    assert [(s.level, s.id, s.title, s.start, s.end) for s in found] == [
        (2, "vorbereitung", "Vorbereitung", 7, 15),
        (3, "checkliste", "Checkliste", 11, 15),
        (2, "durchführung", "Durchführung", 15, 23),  # the toc keeps umlauts
        (2, "nachbereitung", "Nachbereitung", 23, 26),
    ]


def test_section_ids_as_the_toc_makes_them() -> None:
    lines = [
        "## Über Straßen und Wege\n",
        "## Mit `Code` und **fett**\n",
        "## Geschlossen ##\n",
        "~~~\n",
        "## Im Zaun aus Tilden\n",
        "~~~\n",
        "#### Tief {: #tief-unten }\n",
        "# Titel der Seite\n",
    ]
    assert [s.id for s in sections(lines)] == [
        "über-straßen-und-wege",
        "mit-code-und-fett",
        "geschlossen",
        "tief-unten",
    ]


# --- merge --------------------------------------------------------------------------------------


def test_one_section_replaced_the_others_kept() -> None:
    own = HEAD + "## Durchführung bei uns {: #durchführung }\n\nUnser eigener Ablauf.\n"
    assert merge(ENGINE, own) == ENGINE.replace(
        "## Durchführung\n\nText der Engine zur Durchführung.\n\n```markdown\n## Kein Abschnitt\n```\n",
        "## Durchführung bei uns {: #durchführung }\n\nUnser eigener Ablauf.\n",
    )


def test_a_subsection_replaced_alone() -> None:
    own = HEAD + "### Unsere Checkliste {: #checkliste }\n\n- [ ] Raum buchen\n"
    assert merge(ENGINE, own) == ENGINE.replace(
        "### Checkliste\n\nPunkte der Engine.\n",
        "### Unsere Checkliste {: #checkliste }\n\n- [ ] Raum buchen\n",
    )


def test_several_sections_with_their_subsections() -> None:
    own = (
        HEAD
        + "## Nachbereitung {: #nachbereitung }\n\nUnsere Nachbereitung.\n\n"
        + "## Vorbereitung\n\nUnsere Vorbereitung.\n\n### Eigene Liste\n\nUnsere Punkte.\n"
    )
    assert merge(ENGINE, own) == (
        "---\nplans: [goals]\n---\n# Ablauf\n\nEinleitung der Engine.\n\n"
        "## Vorbereitung\n\nUnsere Vorbereitung.\n\n### Eigene Liste\n\nUnsere Punkte.\n\n"
        "## Durchführung\n\nText der Engine zur Durchführung.\n\n```markdown\n## Kein Abschnitt\n```\n\n"
        "## Nachbereitung {: #nachbereitung }\n\nUnsere Nachbereitung.\n"
    )


def test_an_unknown_section_id_with_did_you_mean() -> None:
    own = HEAD + "## Vorbereiten {: #vorbereitun }\n\nText.\n"
    assert _error(ENGINE, own) == (
        4,
        "the engine's page has no section 'vorbereitun' to replace; did you mean 'vorbereitung'? "
        "sections there: vorbereitung, checkliste, durchführung, nachbereitung",
    )


def test_a_heading_in_a_code_fence_is_no_section() -> None:
    own = HEAD + "## Kein Abschnitt\n\nText.\n"
    assert _error(ENGINE, own) == (
        4,
        "the engine's page has no section 'kein-abschnitt' to replace; "
        "sections there: vorbereitung, checkliste, durchführung, nachbereitung",
    )
    fenced = HEAD + "## Vorbereitung\n\n```markdown\n## Kein Abschnitt\n```\n"
    assert "## Kein Abschnitt" in merge(ENGINE, fenced)  # part of the section it replaces


def test_text_before_the_first_heading() -> None:
    own = HEAD + "\nVorwort ohne Überschrift.\n\n## Vorbereitung\n\nText.\n"
    assert _error(ENGINE, own) == (
        5,
        "text outside a section: with 'override: sections' the page holds only sections; start it "
        "with a heading whose id names the engine section it replaces (## Title {: #id })",
    )


def test_a_page_without_sections() -> None:
    assert _error(ENGINE, HEAD + "\n") == (
        2,
        "no section: with 'override: sections' the page holds the sections it replaces; add a "
        "heading whose id names the engine section it replaces (## Title {: #id })",
    )


def test_a_section_replaced_twice() -> None:
    own = HEAD + "## Vorbereitung\n\nEins.\n\n## Vorbereitung\n\nZwei.\n"
    assert _error(ENGINE, own) == (
        8,
        "section 'vorbereitung' is replaced twice on this page; keep one of the two (the other is at line 4)",
    )


def test_a_section_inside_another_replaced_section() -> None:
    own = HEAD + "## Vorbereitung\n\nEins.\n\n## Liste {: #checkliste }\n\nZwei.\n"
    assert _error(ENGINE, own) == (
        8,
        "section 'checkliste' is part of section 'vorbereitung', which this page replaces too; write it "
        "inside the section 'vorbereitung' (as a lower heading), or replace only one of them",
    )


# --- a handbook repository ----------------------------------------------------------------------

REPOSITORY = "https://git.example.invalid/kommunikation/handbuch"
SITE = f"""
site:
  name: "Prüf- & Mess'abteilung: Handbuch"
  logo: assets/logo.svg
  colours:
    primary: teal
    accent: deep orange
  repository: {REPOSITORY}
"""
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>\n'
WHOLE = "verbesserung.md"  # replaced as a whole
PARTLY = "krisenmanagement.md"  # one section replaced


def _engine_ids(rel: str, level: int = 2) -> list[str]:
    """The ids of the engine page's sections of ``level`` (0: all)."""
    text = (engine_pages() / rel).read_text(encoding="utf-8")
    return [s.id for s in sections(text.splitlines(keepends=True)) if level in (0, s.level)]


def _config() -> str:
    """The engine repository's mkdocs.yml as a handbook repository uses it: the engine's macros
    as an installed module (not a folder beside mkdocs.yml), nothing of the engine to watch."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    handbook, watched = re.subn(r"^watch:.*?(?=^\S)", "", text, flags=re.MULTILINE | re.DOTALL)
    assert watched == 1, "mkdocs.yml has no watch: block any more; adapt this test"
    assert "module_name: macros" in handbook
    return handbook.replace("module_name: macros", "modules: [macros]")


def _handbook(dest: Path) -> Path:
    """A handbook repository: mkdocs.yml, plans/ with a site: block, content/ with only its own
    pages and logo, an empty site_overrides/."""
    (dest / "content" / "assets").mkdir(parents=True)
    (dest / "site_overrides").mkdir()
    (dest / "site_overrides" / ".gitkeep").touch()
    (dest / "mkdocs.yml").write_text(_config(), encoding="utf-8")
    shutil.copytree(MINI, dest / "plans")
    with (dest / "plans" / "organisation.yml").open("a", encoding="utf-8") as f:
        f.write(SITE)
    (dest / "content" / "assets" / "logo.svg").write_text(LOGO, encoding="utf-8")
    # A whole replacement keeps the anchors other engine pages may link to.
    kept = "".join(
        f"## Abschnitt {n} {{: #{sid} }}\n\nWie wir es halten.\n\n"
        for n, sid in enumerate(_engine_ids(WHOLE))
    )
    whole = f"# Besser werden bei uns\n\nUnsere eigene Seite ersetzt die der Engine ganz.\n\n{kept}"
    (dest / "content" / WHOLE).write_text(whole, encoding="utf-8")
    first = _engine_ids(PARTLY)[0]
    partly = f"{HEAD}## Unser Weg {{: #{first} }}\n\nBei uns ruft man zuerst die Bereitschaft an.\n"
    (dest / "content" / PARTLY).write_text(partly, encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def handbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _handbook(tmp_path_factory.mktemp("overlay") / "handbook")


@pytest.fixture(scope="module")
def site(handbook: Path) -> Path:
    result = build(handbook)
    assert result.returncode == 0, result.stderr
    return handbook / "site"


def test_the_repository_holds_only_its_own_pages(handbook: Path) -> None:
    own = sorted(p.relative_to(handbook / "content").as_posix() for p in (handbook / "content").rglob("*"))
    assert own == ["assets", "assets/logo.svg", PARTLY, WHOLE]


def test_engine_pages_fill_the_rest(site: Path) -> None:
    assert (site / "glossar" / "index.html").is_file()
    assert (site / "index.html").is_file()
    assert (site / "assets" / "handbook.css").is_file()


def test_whole_page_replaced(site: Path) -> None:
    html = page(site, WHOLE.removesuffix(".md"))
    assert "Unsere eigene Seite ersetzt die der Engine ganz." in html
    article = html.split("<article", 1)[1].split("</article>", 1)[0]
    assert re.findall(r"<h1[^>]*>([^<]*)", article) == ["Besser werden bei uns"]


def test_section_replaced_and_the_others_kept(site: Path) -> None:
    html = page(site, PARTLY.removesuffix(".md"))
    first, *others = _engine_ids(PARTLY)
    assert "Bei uns ruft man zuerst die Bereitschaft an." in html
    assert f'<h2 id="{first}">Unser Weg' in html
    for sid in others:
        assert f'<h2 id="{sid}">' in html


def test_identity_from_the_site_block(site: Path) -> None:
    for path in ("glossar", PARTLY.removesuffix(".md")):
        html = page(site, path)
        # The name's '&' and "'" (allowed; < > " ` { } \\ are refused) reach the page escaped.
        assert re.search(r"<title>[^<]* - Prüf- &amp; Mess&#39;abteilung: Handbuch</title>", html)
        assert 'aria-label="Prüf- & Mess\'abteilung: Handbuch"' in html  # Material prints it unescaped
        assert '<html lang="de"' in html
        assert 'data-md-color-primary="teal" data-md-color-accent="deep-orange"' in html
        assert '<img src="../assets/logo.svg" alt="logo">' in html
    assert (site / "assets" / "logo.svg").read_text(encoding="utf-8") == LOGO


def test_edit_links_only_for_the_repositorys_own_pages(site: Path) -> None:
    assert "/edit/main/content/" not in page(site, "glossar")  # the engine's page: not in this repository
    for rel in (WHOLE, PARTLY):
        html = page(site, rel.removesuffix(".md"))
        assert f'<a href="{REPOSITORY}/edit/main/content/{rel}" title="Seite editieren"' in html


def test_export_merges_the_same_way(handbook: Path, tmp_path: Path) -> None:
    export(handbook / "mkdocs.yml", tmp_path / "out")
    docs = tmp_path / "out" / "docs"
    assert "Unsere eigene Seite ersetzt die der Engine ganz." in (docs / WHOLE).read_text(encoding="utf-8")
    merged = (docs / PARTLY).read_text(encoding="utf-8")
    first, *others = _engine_ids(PARTLY)
    assert f"## Unser Weg {{: #{first} }}\n\nBei uns ruft man zuerst die Bereitschaft an.\n" in merged
    assert all(f"#{sid} }}" in merged for sid in others)
    assert (docs / "assets" / "logo.svg").is_file() and (docs / "glossar.md").is_file()
    config = (tmp_path / "out" / "mkdocs.yml").read_text(encoding="utf-8")
    assert "site_name: 'Prüf- & Mess''abteilung: Handbuch'\n" in config
    assert f"repo_url: {REPOSITORY}\n" in config and "edit_uri: edit/main/content/\n" in config
    assert "  logo: assets/logo.svg\n" in config


def _copy(handbook: Path, dest: Path) -> Path:
    shutil.copytree(handbook, dest, ignore=shutil.ignore_patterns("site", ".site*"))
    return dest


def test_an_unknown_section_fails_the_build_at_its_line(handbook: Path, tmp_path: Path) -> None:
    project = _copy(handbook, tmp_path / "handbook")
    first = _engine_ids(PARTLY)[0]
    (project / "content" / PARTLY).write_text(
        f"{HEAD}\n## Unser Weg {{: #{first}x }}\n\nText.\n", encoding="utf-8"
    )
    result = build(project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        f"ERROR   -  content/{PARTLY}:5:1: the engine's page has no section '{first}x' to replace; "
        f"did you mean '{first}'? sections there: {', '.join(_engine_ids(PARTLY, 0))}\n"
    ) in result.stderr
    assert not (project / "site").exists()


def test_sections_of_a_page_the_engine_does_not_have(handbook: Path, tmp_path: Path) -> None:
    project = _copy(handbook, tmp_path / "handbook")
    (project / "content" / PARTLY).rename(project / "content" / "krisen.md")
    result = build(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        "ERROR   -  content/krisen.md:2:1: 'override: sections', but the engine has no page 'krisen.md' "
        f"whose sections this page could replace; did you mean '{PARTLY}'? name the file like the "
        "engine's page, or leave out 'override' for a page of your own\n"
    ) in result.stderr


def test_a_missing_logo_fails_the_build_and_the_export(handbook: Path, tmp_path: Path) -> None:
    project = _copy(handbook, tmp_path / "handbook")
    (project / "content" / "assets" / "logo.svg").unlink()
    lines = (project / "plans" / "organisation.yml").read_text(encoding="utf-8").splitlines()
    line = lines.index("  logo: assets/logo.svg") + 1
    message = (
        f"plans/organisation.yml:{line}:9: site.logo 'assets/logo.svg' is not a file in content/; "
        "add the file there or correct the path"
    )
    result = build(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"ERROR   -  {message}\n" in result.stderr
    with pytest.raises(ExportError) as caught:
        export(project / "mkdocs.yml", tmp_path / "out")
    assert str(caught.value) == f"{message}; nothing was exported"
    assert not (tmp_path / "out").exists()


def test_site_name_is_plain_text(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    shutil.copytree(MINI, plans)
    organisation = plans / "organisation.yml"
    organisation.write_text(
        organisation.read_text(encoding="utf-8") + 'site:\n  name: Handbuch <b>"{{ x }}"\n', encoding="utf-8"
    )
    problems = [p for p in check(plans).problems if p.severity == "error"]
    assert [(p.path, p.message, p.hint, p.code) for p in problems] == [
        (
            "site.name",
            "the site name cannot contain '\"' '<' '>' '{' '}': it is one line of plain text",
            'write the name as plain text on one line, without < > " ` { } or \\',
            "invalid-value",
        )
    ]


@pytest.mark.parametrize(
    ("line", "message", "hint"),
    [
        (
            "  edit_path: edit/main/ x",
            "text 'edit/main/ x' is not a path of the repository's web editor",
            "GitHub and Gitea: edit/BRANCH/, GitLab: -/edit/BRANCH/ (e.g. edit/main/)",
        ),
        (
            "  logo: ../assets/logo.svg",
            "text '../assets/logo.svg' is not a picture file inside content/",
            "give the path of a .svg, .png, .jpg, .webp or .ico file in content/, e.g. assets/logo.svg",
        ),
    ],
)
def test_site_paths_are_checked(tmp_path: Path, line: str, message: str, hint: str) -> None:
    plans = tmp_path / "plans"
    shutil.copytree(MINI, plans)
    organisation = plans / "organisation.yml"
    organisation.write_text(organisation.read_text(encoding="utf-8") + f"site:\n{line}\n", encoding="utf-8")
    problems = [p for p in check(plans).problems if p.severity == "error"]
    assert [(p.message, p.hint, p.code) for p in problems] == [(message, hint, "invalid-value")]
