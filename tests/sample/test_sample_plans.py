"""The sample plans: complete, consistent with the repository's files, and their known numbers."""

from __future__ import annotations

import io
import re
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from macros.checks.check import check
from macros.cli import main
from macros.site.build import load_plan
from macros.site.pages import glossary

from ..conftest import ROOT
from ..site_support import build, generated_pages, make_project, page, visible_text

PLANS = ROOT / "plans"


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("sample"), PLANS)
    result = build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_every_written_page_anchor_is_in_the_built_sample(sample_site: Path) -> None:
    """What the scanner finds on the real pages is really there after the build."""
    from macros.checks.clashes import _page_anchors
    from macros.site.render import TEMPLATES

    for written in sorted((ROOT / "content").rglob("*.md")):
        rel = written.relative_to(ROOT / "content")
        folder = rel.parent if rel.stem == "index" else rel.with_suffix("")
        built = (sample_site / folder / "index.html").read_text(encoding="utf-8")
        ids = set(re.findall(r'id="([^"]*)"', built))
        missing = [a for a in _page_anchors(written, TEMPLATES) if a not in ids]
        assert not missing, f"{rel}: {missing}"


def test_sample_plans_have_no_clash() -> None:
    assert not [p for p in check(PLANS, ROOT / "content").problems if "clash" in p.message]


def test_repository_codeowners_matches_plans(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    with redirect_stdout(io.StringIO()):
        assert main(["codeowners", "--check"]) == 0


def test_the_sample_has_its_known_numbers() -> None:
    """The numbers the engine tests once pinned for the sample: 32 generated pages beside the 20
    written ones (52 exported), 4 entries the intranet build hides."""
    assert len(list((ROOT / "content").rglob("*.md"))) == 20
    assert len(generated_pages(PLANS)) == 32
    assert load_plan(PLANS).hidden == 4


def test_the_sample_pages_the_engine_tests_once_named(sample_site: Path) -> None:
    """The sample's pages the engine tests once named: a target group linking to LinkedIn, a module
    whose text uses a glossary term, the data link to the sample's repository, the glossary."""
    html = page(sample_site, "zielgruppen/fachhandwerk")
    assert 'href="../../kanaele/linkedin/"' in html
    edit = "https://git.intranet.example/kommunikation/social-media-handbuch/edit/main/plans/"
    assert f'Daten: <a href="{edit}target-groups.yml">plans/target-groups.yml</a>' in html
    assert "Verantwortlich:" in html
    assert "Kultur und Etikette" in page(sample_site, "kanaele/linkedin")
    assert "<abbr" in page(sample_site, "schulungen/community-management-praxis")
    assert glossary(load_plan(PLANS))["Social Listening"].startswith("Systematisches Zuhören")
    footer = "Ausgabe: intern, 4 Einträge mit engerem Leserkreis ausgeblendet"
    assert footer in page(sample_site, "")


def test_the_sample_written_pages_read_from_its_plans(sample_site: Path) -> None:
    """The sample's own words on the written pages come from its plans: its meeting, contact route,
    approvers, works council and the onboarding question about buying directly."""
    organisation = visible_text(page(sample_site, "organisation"))
    assert "Urlaub rechtzeitig in der Wochenrunde ansagen." in organisation
    assert "entscheidet die Social-Media-Arbeitsgruppe selbst." in organisation
    assert "Kontakt: Teams-Kanal „AG Social Media“" in organisation
    assert "Durchsehen und freigeben: Leitung Marketing" in visible_text(page(sample_site, "ueber"))
    rules = visible_text(page(sample_site, "richtlinien"))
    assert "berät die Mitarbeitervertretung mit ( Betriebsrat" in rules
    onboarding = visible_text(page(sample_site, "schulungen/onboarding"))
    assert "Ein Hausbesitzer will direkt bei uns kaufen. Was antworte ich?" in onboarding
    assert "Ihrer neuen Rolle ( Community Manager )" in onboarding
