"""Ids that clash with hand-written pages: found by ``handbook check`` before the build."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from pymdownx.slugs import slugify

from macros.checks.check import check
from macros.checks.clashes import _anchors, _first

from .conftest import ROOT, STRATEGY
from .site_support import build, make_project

MINI = ROOT / "tests" / "fixtures" / "mini" / "plans"
ROLES = "roles:\n  - id: leitung\n    name: Leitung\n    hours_per_week: 10\n"


def ids_of(text: str) -> list[str]:
    return list(_first(_anchors(text, "page.md", "page.md")))


# --- the anchors of a page, as the build makes them ------------------------------------------

HEADINGS = [
    "## Ein Begriff fehlt?",
    "## Zuhören: was wir in den Netzwerken gelernt haben",
    "## Ziel **formulieren**",
    "## Ziel `formulieren`",
    "## [Ziel](ziele.md) formulieren",
    "## Ziel _formulieren_",
    "## Ziel &amp; Weg",
    "## Lern- und Entscheidungslog",
    "## Ziel formulieren {: .wide }",
    "## Ein gutes Ziel formulieren {: #ziel-formulieren }",
    "## Zwei Ids {: #erste #zweite }",
    "## Id als Schlüssel {: id=schluessel }",
    "### Ziel formulieren ###",
    "#Ohne Leerzeichen",
    "Setext-Überschrift\n==================",
    "Zweite Ebene\n------------",
    "## Maßnahmen & Ümlaute",
    "## Zitat „Bearbeiten“",
    "Absatz\nZweite Zeile\n---",  # a rule, not a setext heading: the text does not start a block
    "Absatz\n\nTitel\n---",
    "Text\n# Mitten im Absatz\nweiter",
    "Text {: #kein-anker }",  # attr_list only takes a list on its own line or after an element
    "Text\n{: #absatz }",
    "[Link](x){: #link } `code`{: #code } **fett**{: #fett }",
    "| a {: #zelle } | b |\n|---|---|\n| c | d {: #ende } |",
    "- Punkt\n    {: #punkt }",
]


@pytest.mark.parametrize("heading", HEADINGS)
def test_anchors_match_the_markdown_extensions(heading: str) -> None:
    """The same ids as the build: toc with the slugify of mkdocs.yml, attr_list where it applies."""
    converter = markdown.Markdown(
        extensions=["attr_list", "toc", "tables"],
        extension_configs={"toc": {"slugify": slugify(case="lower")}},
    )
    html = converter.convert(heading + "\n")
    assert ids_of(heading + "\n") == re.findall(r'id="([^"]+)"', html)


def test_explicit_ids_html_ids_and_their_lines() -> None:
    text = (
        "# Seite\n"
        "\n"
        "Ein Absatz mit Id.\n"
        "{: #absatz .klasse }\n"
        "\n"
        '<div id="kasten" markdown>\n'
        "<span class='x' id='inline'></span>\n"
        "</div>\n"
        '<p data-id="kein-anker">Text</p>\n'
    )
    anchors = _first(_anchors(text, "content/x.md", "content/x.md"))
    assert {k: (a.line, a.what) for k, a in anchors.items()} == {
        "seite": (1, 'the heading "Seite"'),
        "absatz": (4, "the attribute '{: #absatz .klasse }'"),
        "kasten": (6, 'the HTML attribute id="kasten"'),
        "inline": (7, 'the HTML attribute id="inline"'),
    }


def test_jinja_code_comments_and_front_matter_are_not_anchors() -> None:
    text = (
        "---\n"
        "title: Ziele\n"
        "---\n"
        "# Ziele\n"
        '{{ show("goals") }}\n'
        "{% if plan.goals %}\n"
        "## {{ goal.title }} {: #ziel-aus-daten }\n"
        "{% endif %}\n"
        "```markdown\n"
        "## Im Codeblock\n"
        "```\n"
        "    ~~~\n"
        "    ## Eingerückter Codeblock\n"
        "    ~~~\n"
        "<!-- ## Auskommentiert\n"
        '<a id="auch-auskommentiert"></a> -->\n'
        'Schreiben Sie `{: #im-code }` oder `<a id="im-code-html">` hinter die Zeile.\n'
        "## Danach\n"
    )
    anchors = _first(_anchors(text, "p.md", "p.md"))
    assert {k: a.line for k, a in anchors.items()} == {"ziele": 4, "danach": 18}


# --- check() ---------------------------------------------------------------------------------


def project(tmp_path: Path, docs: str = "content", **files: str) -> Path:
    """plans/ from ``files`` (stem -> text); pages as 'docs/path.md' keys with '__' for '/'."""
    plans = tmp_path / "plans"
    plans.mkdir(parents=True)
    (plans / "roles.yml").write_text(ROLES, encoding="utf-8")
    (plans / "strategy.yml").write_text(STRATEGY.replace("social-media-manager", "leitung"), encoding="utf-8")
    for name, text in files.items():
        if name.endswith("_md"):
            page = tmp_path / docs / (name[:-3].replace("__", "/") + ".md")
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(text, encoding="utf-8")
        else:
            (plans / f"{name}.yml").write_text(text, encoding="utf-8")
    return tmp_path


def messages(root: Path, content_dir: Path | None = None) -> list[str]:
    """The errors of ``check`` (the sample plans' method warnings are not the point here)."""
    problems = [p for p in check(root, content_dir).problems if p.severity == "error"]
    return [f"{p.file}:{p.line}:{p.column}: {p.message} | {p.hint}" for p in problems]


def test_role_anchor_on_the_organisation_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path, organisation_md="# Organisation\n\n## Rolle Leitung\n")
    monkeypatch.chdir(root)
    assert messages(root) == [
        "plans/roles.yml:2:9: role id 'leitung' gives the anchor '#rolle-leitung' on "
        "content/organisation.md, which already has it | choose another id; '#rolle-leitung' is the "
        'heading "Rolle Leitung" at content/organisation.md:3; update references too'
    ]


def test_content_dir_is_the_given_docs_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path, docs="docs", organisation_md="## Rolle Leitung\n")
    monkeypatch.chdir(root)
    assert messages(root) == []  # no content/ beside plans/: nothing to compare
    assert [m.split(":", 3)[3].split("|")[0].strip() for m in messages(root, root / "docs")] == [
        "role id 'leitung' gives the anchor '#rolle-leitung' on docs/organisation.md, which already has it"
    ]


def test_index_is_reserved_even_without_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    group = (
        "target_groups:\n  - id: index\n    name: Alle\n    type: customers\n    priority: low\n"
        "    description: Alle.\n    owner: leitung\n    reviewed: 2026-06-01\n"
    )
    root = project(tmp_path, **{"target-groups": group})
    monkeypatch.chdir(root)
    assert messages(root) == [
        "plans/target-groups.yml:2:9: target group id 'index' is reserved for the section overview | "
        "choose another id; 'index' is the section overview zielgruppen/index.md; update references too"
    ]


def test_guideline_rule_anchor_against_the_topic_page_template(tmp_path: Path, monkeypatch) -> None:
    """The fixed part of a topic page is the template; a rule 'dazu' is safe, a heading there is not."""
    from macros.data import kinds

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page_guideline.md").write_text(
        "# {{ record.title }}\n\n## Regel melden\n", encoding="utf-8"
    )
    monkeypatch.setattr("macros.checks.clashes.TEMPLATES", templates)
    guidelines = (MINI / "guidelines.yml").read_text(encoding="utf-8").replace("id: be-honest", "id: melden")
    root = project(tmp_path / "p", guidelines=guidelines, organisation_md="# Organisation\n")
    monkeypatch.chdir(root)
    found = [p for p in check(root).problems if "anchor" in p.message]
    assert [(p.line, p.message, p.hint) for p in found] == [
        (
            9,
            "guideline rule id 'melden' gives the anchor '#regel-melden' on the page of guideline topic "
            "'basics', which already has it",
            "choose another id; '#regel-melden' is the heading \"Regel melden\" at "
            "macros/site/templates/page_guideline.md:3; update references too",
        )
    ]
    assert (kinds.KINDS["rule"].parent, kinds.KINDS["rule"].anchor) == ("guideline", "regel")


# --- the build stops with the same message ---------------------------------------------------


def renamed(project: Path, stem: str, old: str, new: str, refs: tuple[str, ...] = ()) -> None:
    for path in (project / "plans").glob("*.yml"):
        text = path.read_text(encoding="utf-8")
        if path.stem == stem:
            text = text.replace(f"id: {old}\n", f"id: {new}\n", 1)
        for ref in refs:
            text = text.replace(ref.format(old), ref.format(new))
        path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("stem", "old", "new", "refs", "message"),
    [
        (
            "training",
            "intro",
            "onboarding",
            (),
            "plans/training.yml:3:9: modules[0].id: training module id 'onboarding' clashes with the "
            "hand-written page content/schulungen/onboarding.md",
        ),
        (
            "target-groups",
            "makers",
            "index",
            ("[{}]", "target_group: {}"),
            "plans/target-groups.yml:3:9: target_groups[0].id: target group id 'index' is reserved for "
            "the section overview",
        ),
        (
            "glossary",
            "reichweite",
            "fehlt",
            (),
            "plans/glossary.yml:3:9: terms[0].id: glossary term id 'fehlt' gives the anchor "
            "'#begriff-fehlt' on content/glossar.md, which already has it",
        ),
        (
            "goals",
            "reach",
            "formulieren",
            ("[{}]",),
            "plans/goals.yml:3:9: goals[0].id: goal id 'formulieren' gives the anchor '#ziel-formulieren' "
            "on content/ziele.md, which already has it",
        ),
    ],
    ids=["page", "index", "term-anchor", "goal-anchor"],
)
def test_build_stops_with_the_check_message(
    tmp_path: Path, stem: str, old: str, new: str, refs: tuple[str, ...], message: str
) -> None:
    site = make_project(tmp_path / "p", MINI)
    renamed(site, stem, old, new, refs)
    result = build(site)
    assert result.returncode == 1
    assert message in result.stderr
    assert "remove the hand-made file" not in result.stderr
    assert not (site / "site").exists()
