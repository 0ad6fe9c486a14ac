"""Confidential means absent everywhere: every output file of a lower-audience build, git history included.

One project on the mini fixture plans, with history: commits add records and entries of each
visibility (nested ones and guarded contact data included), rename and delete a confidential
record. It is built for all three audiences; every file of each build (HTML, search index,
sitemap, 404) is searched for the markers the audience must not see, and the build that may see
them must show them (so the markers are real).
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from .conftest import ROOT
from .site_support import build, edit, git, make_project

CONFIDENTIAL = [
    "GEHEIMZIEL-MARKE",
    "geheimziel-xq1",
    "GEHEIMROLLE-MARKE",
    "geheimrolle-xq2",
    "PERSON-MARKE",
    "REGEL-MARKE",
    "geheimregel-xq3",
    "ESKALATION-MARKE",
    "TELEFON-MARKE",
    "CHECKLISTE-MARKE",
    "VORLAGE-MARKE",
    "geheimvorlage-xq4",
    "WOCHE-MARKE",
    "AUFGABE-MARKE",
    "KONTAKT-MARKE",
    "MANDAT-MARKE",
    "BETREFF-MARKE",
]
"""Markers only the confidential build may show (titles, ids, people, contact data, commit messages)."""

INTERNAL = ["INTERN-MARKE", "interngruppe-xq5"]
"""Markers the internal and confidential builds show, the public build not."""

MINI = ROOT / "tests" / "fixtures" / "mini" / "plans"


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _add_hidden_things(plans: Path) -> None:
    # A public target group kept by a confidential role: the owner must not show by name or id.
    edit(plans / "target-groups.yml", "  - id: makers\n", "  - id: makers\n    visibility: public\n")
    edit(plans / "target-groups.yml", "    owner: lead\n", "    owner: geheimrolle-xq2\n")
    _append(
        plans / "roles.yml",
        "  - id: geheimrolle-xq2\n    name: GEHEIMROLLE-MARKE\n    visibility: confidential\n"
        "    holders:\n      - PERSON-MARKE\n",
    )
    _append(
        plans / "goals.yml",
        "  - id: geheimziel-xq1\n    visibility: confidential\n    owner: geheimrolle-xq2\n"
        "    reviewed: 2026-09-01\n    title: GEHEIMZIEL-MARKE\n    kpi: Umsatz\n    unit: Euro\n"
        "    target_groups:\n      - makers\n",
    )
    _append(
        plans / "target-groups.yml",
        "  - id: interngruppe-xq5\n    owner: lead\n    reviewed: 2026-09-01\n"
        "    name: INTERN-MARKE\n    type: partners\n    priority: low\n    description: Nur intern.\n",
    )
    # A confidential rule inside a public topic.
    edit(
        plans / "guidelines.yml",
        "    rules:\n",
        "    rules:\n      - id: geheimregel-xq3\n        visibility: confidential\n"
        "        title: REGEL-MARKE\n        rule: Nur für die Geschäftsführung.\n"
        "        rationale: Vertraulich.\n        obligation: must\n        audience: leadership\n",
    )
    edit(
        plans / "crisis.yml",
        "escalation:\n",
        "escalation:\n  - who: lead\n    visibility: confidential\n    when: ESKALATION-MARKE\n"
        "  - who: helper\n    when: Bei jeder Anfrage.\n    reach: TELEFON-MARKE 0171 0000000\n"
        "    reach_visibility: confidential\n",
    )
    edit(
        plans / "crisis.yml",
        "checklist:\n",
        "checklist:\n  - phase: prepare\n    visibility: confidential\n    item: CHECKLISTE-MARKE\n",
    )
    edit(
        plans / "crisis.yml",
        "templates:\n",
        "templates:\n  - id: geheimvorlage-xq4\n    visibility: confidential\n    title: VORLAGE-MARKE\n"
        "    situation: Vertraulich.\n    text: Vertraulich.\n    approved_by: lead\n"
        "    approved: 2026-09-01\n",
    )
    edit(
        plans / "onboarding.yml",
        "    tasks:\n",
        "    tasks:\n      - task: AUFGABE-MARKE\n        visibility: confidential\n        mentor: lead\n",
    )
    edit(  # a week after the last one (the weeks come before the questions)
        plans / "onboarding.yml",
        "questions:\n",
        "  - week: 7\n    visibility: confidential\n    title: WOCHE-MARKE\n    goal: Vertraulich.\n"
        "    tasks:\n      - task: Vertraulich.\n        mentor: lead\nquestions:\n",
    )
    edit(
        plans / "experts.yml",
        "    contact: Postfach Recht\n",
        "    contact: KONTAKT-MARKE\n    contact_visibility: confidential\n",
    )
    edit(
        plans / "organisation.yml",
        "  mandate:\n",
        "  mandate_visibility: confidential\n  mandate:\n    - MANDAT-MARKE\n",
    )


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("audiences")
    project = make_project(root / "p", MINI)
    plans = project / "plans"
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "plans")
    git(project, "commit", "-qm", "Strategie angelegt")
    _add_hidden_things(plans)
    git(project, "commit", "-qam", "BETREFF-MARKE hinzugefügt")
    edit(plans / "goals.yml", "  - id: geheimziel-xq1\n", "  - id: geheimziel-xq9\n")
    git(project, "commit", "-qam", "Umbenannt")
    text = (plans / "goals.yml").read_text(encoding="utf-8")
    (plans / "goals.yml").write_text(text[: text.index("  - id: geheimziel-xq9\n")], encoding="utf-8")
    git(project, "commit", "-qam", "Gelöscht")
    out = {}
    for audience in ("public", "internal", "confidential"):
        env = {"HANDBOOK_AUDIENCE": audience}
        result = build(project, "-d", str(root / audience), env=env)
        assert result.returncode == 0, result.stderr
        out[audience] = root / audience
    return out


def _all_output(site: Path) -> dict[str, str]:
    """Every file of a build as text (gzip files unpacked), by path."""
    files = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.suffix in (".png", ".ico", ".woff", ".woff2", ".svg"):
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        files[str(path.relative_to(site))] = data.decode("utf-8", "replace")
    return files


def _found(site: Path, markers: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, text in _all_output(site).items():
        for marker in markers:
            if re.search(re.escape(marker), text, re.IGNORECASE):
                found.setdefault(marker, []).append(name)
    return found


def test_the_confidential_build_shows_every_marker(sites: dict[str, Path]) -> None:
    found = _found(sites["confidential"], CONFIDENTIAL + INTERNAL)
    assert sorted(found) == sorted(CONFIDENTIAL + INTERNAL)
    assert "aenderungen/index.html" in found["BETREFF-MARKE"]
    assert "aenderungen/index.html" in found["geheimziel-xq1"]  # the rename, named in this build


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_no_confidential_marker_in_a_lower_build(sites: dict[str, Path], audience: str) -> None:
    assert _found(sites[audience], CONFIDENTIAL) == {}


def test_no_internal_marker_in_the_public_build(sites: dict[str, Path]) -> None:
    assert _found(sites["public"], INTERNAL) == {}
    assert sorted(_found(sites["internal"], INTERNAL)) == sorted(INTERNAL)


def test_history_counts_what_it_does_not_name(sites: dict[str, Path]) -> None:
    from .site_support import page, visible_text

    text = visible_text(page(sites["internal"], "aenderungen"))
    assert "1 Eintrag mit engerem Leserkreis geändert" in text  # the rename, the deletion
    assert "Commit-Nachricht ausgeblendet" in text
    assert "Zielgruppe „INTERN-MARKE“ neu" in text


def test_a_hidden_owner_is_not_named_in_the_review_box(sites: dict[str, Path]) -> None:
    from .site_support import page

    html = page(sites["public"], "zielgruppen/makers")
    assert "Verantwortlich: <strong>–</strong>" in html
    assert "GEHEIMROLLE-MARKE" in page(sites["confidential"], "zielgruppen/makers")
