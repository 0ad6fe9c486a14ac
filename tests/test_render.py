"""Snapshot tests of every rendered fragment, page and visual from the mini fixture plans.

Set UPDATE_SNAPSHOTS=1 to rewrite tests/snapshots/ (then review the diff).
"""

from __future__ import annotations

import posixpath
import re
import sys

import pytest

from macros.checks.check import check
from macros.data.kinds import KINDS, page_kinds
from macros.site.escape import _CONTROLS, one_line
from macros.site.render import TEMPLATES, Renderer, md, relative_path
from macros.site.visuals import VISUALS

from .conftest import ROOT

MINI = ROOT / "tests" / "fixtures" / "mini" / "plans"
SNAPSHOTS = ROOT / "tests" / "snapshots"

# Fragments pages call with show(); page_* and visual_* are reached through the others.
FRAGMENTS = sorted(p.stem for p in TEMPLATES.glob("*.md") if not p.stem.startswith(("page_", "visual_")))


@pytest.fixture(scope="module")
def plan():
    result = check(MINI)
    assert result.plan is not None, result.problems
    return result.plan


def _compare(name: str, output: str, update: bool) -> None:
    path = SNAPSHOTS / name
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(output, encoding="utf-8")
    assert path.exists(), f"{path} is missing (run with UPDATE_SNAPSHOTS=1)"
    assert output == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", FRAGMENTS)
def test_fragment(name: str, plan, update_snapshots: bool) -> None:
    output = Renderer(plan, "seite.md").render(f"{name}.md")
    _compare(f"fragment-{name}.md", output, update_snapshots)


@pytest.mark.parametrize("kind", sorted(k.name for k in page_kinds()))
def test_generated_page(kind: str, plan, update_snapshots: bool) -> None:
    record = plan.all(kind)[0]
    page = f"{KINDS[kind].folder}/{record.id}.md"
    output = Renderer(plan, page).render(f"page_{kind}.md", record=record)
    _compare(f"page-{kind}.md", output, update_snapshots)


@pytest.mark.parametrize("name", sorted(VISUALS))
def test_visual(name: str, plan, update_snapshots: bool) -> None:
    output = VISUALS[name](Renderer(plan, "seite.md"))
    _compare(f"visual-{name}.md", output, update_snapshots)


def test_links_are_relative_to_the_page(plan) -> None:
    group = plan.get("target_group", "makers")
    goal = plan.get("goal", "reach")
    assert Renderer(plan, "zielgruppen/makers.md").link(goal) == "[Mehr Reichweite](../ziele.md#ziel-reach)"
    assert Renderer(plan, "ziele.md").link(group) == "[Bastler](zielgruppen/makers.md)"
    assert Renderer(plan, "ziele.md").url(goal) == "#ziel-reach"


def test_md_escapes_markup_and_template_syntax() -> None:
    assert md("<b>a</b> {{ x }} {% y %} *z* [l](u)") == (
        "&#60;b&#62;a&#60;/b&#62; &#123;&#123; x &#125;&#125; &#123;% y %&#125; "
        "&#42;z&#42; &#91;l&#93;&#40;u&#41;"
    )
    assert md("- kein Aufzählungspunkt") == "&#45; kein Aufzählungspunkt"
    assert md("zwei\n\nZeilen") == "zwei Zeilen"
    assert md(":heart: \"x\" 'y' a&b") == "&#58;heart&#58; &#34;x&#34; &#39;y&#39; a&#38;b"
    assert md("1. kein Listenpunkt") == "&#49;. kein Listenpunkt"


def test_each_output_context_has_its_escaping() -> None:
    from macros.site.escape import admonition_title, attr, href, internal_href

    payload = '"><img src=x onerror=alert(1)>![a](https://evil.example/p.png)'
    assert attr(payload) == (
        "&#34;&#62;&#60;img src&#61;x onerror&#61;alert&#40;1&#41;&#62;"
        "&#33;&#91;a&#93;&#40;https&#58;//evil.example/p.png&#41;"
    )
    assert admonition_title('Frage "eins"\n[Mehr](javascript:x)') == (
        "Frage &#34;eins&#34; &#91;Mehr&#93;&#40;javascript&#58;x&#41;"
    )
    assert href("https://example.org/a?b=1&c=(2)") == (
        "https&#58;//example.org/a?b&#61;1&#38;c&#61;&#40;2&#41;"
    )
    assert href("mailto:team@example.org") == "mailto&#58;team@example.org"
    assert href("javascript:alert(1)") == ""
    assert href(" JaVaScRiPt:alert(1)") == ""
    assert internal_href("../ziele.md#ziel-reach") == "../ziele.md#ziel-reach"
    with pytest.raises(ValueError, match="not a site-internal link target"):
        internal_href('x.md" onclick="alert(1)')


def test_unknown_fragment_is_an_error(plan) -> None:
    with pytest.raises(LookupError, match="unknown fragment 'gaols'"):
        Renderer(plan).render("gaols.md")


def test_snapshots_have_no_orphans() -> None:
    expected = (
        {f"fragment-{n}.md" for n in FRAGMENTS}
        | {f"page-{k.name}.md" for k in page_kinds()}
        | {f"visual-{n}.md" for n in VISUALS}
    )
    assert {p.name for p in SNAPSHOTS.glob("*.md")} == expected


@pytest.mark.parametrize(
    ("page", "directory_urls", "expected"),
    [
        ("zielgruppen/index.md", True, "makers/"),
        ("zielgruppen/makers.md", True, ""),
        ("index.md", True, "zielgruppen/makers/"),
        ("kanaele/blog.md", True, "../../zielgruppen/makers/"),
        ("zielgruppen/index.md", False, "makers.html"),
        ("index.md", False, "zielgruppen/makers.html"),
        ("kanaele/blog.md", False, "../zielgruppen/makers.html"),
    ],
)
def test_chart_links_are_site_addresses(plan, page: str, directory_urls: bool, expected: str) -> None:
    """Charts are raw HTML, which MkDocs leaves as written: their links are the built addresses."""
    group = plan.get("target_group", "makers")
    assert Renderer(plan, page, directory_urls).site_url(group) == expected


def test_relative_path_is_relpath_for_every_pair_of_pages_and_folders() -> None:
    plan = check(ROOT / "plans").plan
    assert plan is not None
    pages = {p.relative_to(ROOT / "content").as_posix() for p in (ROOT / "content").rglob("*.md")}
    pages |= {f"{k.folder}/{r.id}.md" for k in page_kinds() for r in plan.all(k.name)}
    starts = {posixpath.dirname(p) for p in pages} | {"", "a/b/c", "kanaele/x/"}
    for path in [*sorted(pages), "kanaele/", "index.md"]:
        for start in sorted(starts):
            assert relative_path(path, start) == posixpath.relpath(path, start or "."), (path, start)


def test_one_line_joins_exactly_the_whitespace_runs_a_regex_would() -> None:
    """one_line splits with str.split() (fast); it must treat every character as ``\\s`` does."""
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        text = f" a{chr(code)}{chr(code)}b\t"
        expected = re.sub(r"\s+", " ", _CONTROLS.sub("", text)).strip()
        assert one_line(text) == expected, hex(code)
