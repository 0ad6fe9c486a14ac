"""The second sample (samples/sportverein/plans): a sports club run by one volunteer, beside the
company sample in plans/. Both build strictly, and neither built site carries a word of the other.

The words are derived from each sample's names: the words of its organisation's name and website,
its town (a word of the location that the description repeats), the names of the people holding its
roles, and the networks it uses that the other does not. A word that also occurs in the other
sample's own plans is not distinctive and is left out. Each sample's own site must show all of its
words, so that an empty finding on the other site means something."""

from __future__ import annotations

import io
import re
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from macros.checks.check import check
from macros.cli import main
from macros.data import labels
from macros.data.plan import Plan
from macros.data.schema import check_schemas

from ..conftest import ROOT
from ..site_support import build, make_project, page, visible_text
from .test_sample_stays_out import ENGINE

COMPANY = ROOT / "plans"
CLUB = ROOT / "samples" / "sportverein" / "plans"
SAMPLES = {"company": COMPANY, "club": CLUB}

LETTER = "A-Za-zÄÖÜäöüß"
LEGAL_FORMS = {"gmbh", "mbh", "ag", "kg", "ug", "verein", "stiftung", "gemeinnützige"}


def _plan(plans: Path) -> Plan:
    plan = check(plans).plan
    assert plan is not None and plan.organisation is not None, plans
    return plan


def _words(text: str) -> list[str]:
    """Words of three letters or more, without legal forms ('GmbH', 'e. V.')."""
    return [w for w in re.findall(rf"[{LETTER}]{{3,}}", text) if w.lower() not in LEGAL_FORMS]


def _names(plans: Path) -> set[str]:
    """The proper names of one sample (see the module docstring), before filtering."""
    plan = _plan(plans)
    company = plan.organisation.company
    names = set(_words(company.name))
    if company.website:
        host = re.sub(r"^\w+://(www\.)?", "", str(company.website)).split("/")[0]
        names |= set(_words(" ".join(host.split(".")[:-1])))  # without the top-level domain
    if company.location:
        told = set(_words(f"{company.name} {company.description}"))
        names |= {w for w in _words(company.location) if w in told and w[0].isupper()}
    for role in plan.roles:
        for holder in role.holders:
            names |= {w for w in _words(holder) if w[0].isupper()}
    return names


def _platforms(plans: Path) -> set[str]:
    return {str(channel.platform) for channel in _plan(plans).channels}


def _occurs(word: str, text: str) -> bool:
    """``word`` as a word of ``text`` (case-insensitive; German inflection endings allowed)."""
    pattern = rf"(?<![{LETTER}]){re.escape(word)}(?:s|e|n|en|er|ern|ers)?(?![{LETTER}])"
    return re.search(pattern, text, re.IGNORECASE) is not None


def _plans_text(plans: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(plans.glob("*.yml")))


def distinctive(sample: str) -> set[str]:
    """Words of ``sample`` that must not appear in the other sample's site."""
    own, other = SAMPLES[sample], SAMPLES["club" if sample == "company" else "company"]
    words = _names(own) | (_platforms(own) - _platforms(other))
    other_text = _plans_text(other)
    kept = {w.lower(): w for w in sorted(words, reverse=True) if not _occurs(w, other_text)}
    return set(kept.values())  # one spelling per word ('Fiktiva' from the name, not 'fiktiva' from the host)


def _site_texts(site: Path) -> dict[str, str]:
    """Every built HTML page, the search index and the sitemap, by path."""
    files = [*sorted(site.rglob("*.html")), site / "search" / "search_index.json", site / "sitemap.xml"]
    return {str(f.relative_to(site)): f.read_text(encoding="utf-8") for f in files}


def _found(words: set[str], site: Path) -> dict[str, list[str]]:
    """Word -> the site files that contain it."""
    texts = _site_texts(site)
    found = {w: [name for name, text in texts.items() if _occurs(w, text)] for w in sorted(words)}
    return {w: names for w, names in found.items() if names}


def _build(tmp_path_factory: pytest.TempPathFactory, sample: str) -> Path:
    project = make_project(tmp_path_factory.mktemp(sample), SAMPLES[sample])
    result = build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Both samples built strictly, once each for this module."""
    return {sample: _build(tmp_path_factory, sample) for sample in SAMPLES}


def test_the_club_passes_the_strict_check() -> None:
    """As ./run.sh test checks plans/: strict, apart from the two warnings that age with the calendar."""
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(
            ["check", "--strict", "--ignore", "review-overdue", "--ignore", "goal-deadline-passed", str(CLUB)]
        )
    assert code == 0, out.getvalue()


def test_the_club_has_no_clash_with_the_written_pages() -> None:
    assert check(CLUB, ROOT / "content").problems == []


def test_the_club_schemas_are_up_to_date() -> None:
    """Its plans point editors at samples/sportverein/schema, which knows the club's vocabularies."""
    assert check_schemas(CLUB.parent / "schema", CLUB) == []


def test_the_engine_and_written_pages_name_nothing_of_the_club() -> None:
    """What test_sample_stays_out.py checks for the company, for the club: the engine, the schemas,
    the theme, mkdocs.yml and the written pages carry none of its names."""
    files = [*ENGINE, *sorted((ROOT / "content").rglob("*.md"))]
    words = distinctive("club")
    assert [
        f"{f.relative_to(ROOT)}: {w}"
        for f in files
        for w in sorted(words)
        if _occurs(w, f.read_text("utf-8"))
    ] == []


def test_the_samples_differ_in_structure() -> None:
    """Another size, form of responsibility and set of channels than the company."""
    company, club = _plan(COMPANY), _plan(CLUB)
    assert club.organisation.responsibility.kind == "person"
    assert company.organisation.responsibility.kind != "person"
    assert len(club.roles) < len(company.roles)
    assert _platforms(CLUB) != _platforms(COMPANY)


@pytest.mark.parametrize("sample", list(SAMPLES))
def test_each_sample_has_distinctive_words(sample: str) -> None:
    """The derivation finds the names the brief for the samples lists."""
    words = {w.lower() for w in distinctive(sample)}
    expected = {
        "company": {"fiktiva", "musterstadt", "heiztechnik", "linkedin"},
        "club": {"eschental", "jaschke"},
    }
    assert expected[sample] <= words, sorted(words)


@pytest.mark.parametrize("sample", list(SAMPLES))
def test_a_site_shows_its_own_words(sites: dict[str, Path], sample: str) -> None:
    """The scan finds every distinctive word on the sample's own site (so an empty scan counts)."""
    words = distinctive(sample)
    assert set(_found(words, sites[sample])) == words


@pytest.mark.parametrize(("sample", "other"), [("company", "club"), ("club", "company")])
def test_no_site_carries_a_word_of_the_other_sample(sites: dict[str, Path], sample: str, other: str) -> None:
    assert _found(distinctive(other), sites[sample]) == {}


def test_the_club_site_shows_its_name(sites: dict[str, Path]) -> None:
    organisation = _plan(CLUB).organisation
    start = page(sites["club"], ".")
    assert organisation.company.name in visible_text(start)
    assert organisation.site is not None
    assert f"<title>{organisation.site.name}</title>" in start


def _other_forms() -> set[str]:
    """How the pages name a team or working group that owns social media: the phrases the engine
    writes for those kinds, their nouns ('Social-Media-Team', 'Arbeitsgruppe') and the definite
    references to a team ('das Team', 'des Teams'); a bare 'Team' ('im Team') is ordinary German."""
    forms = {p for kind, f in labels.RESPONSIBILITY_WORDS.items() if kind != "person" for p in f.values()}
    nouns = {p.split()[-1].removesuffix("s") for p in forms}
    return forms | (nouns - {"Team"}) | {"das Team", "dem Team", "des Teams"}


def test_the_club_site_names_a_person_as_responsible(sites: dict[str, Path]) -> None:
    """The organisation page introduces one person, and no page speaks of a team or working group."""
    text = visible_text(page(sites["club"], "organisation"))
    assert f"Für Social Media ist {labels.responsibility('person', 'a')} verantwortlich" in text
    assert labels.responsibility("person", "the") in text
    found = {}
    for html in sorted(sites["club"].rglob("*.html")):
        shown = visible_text(html.read_text("utf-8"))
        if hits := sorted(form for form in _other_forms() if _occurs(form, shown)):
            found[str(html.relative_to(sites["club"]))] = hits
    assert found == {}


def test_the_club_site_speaks_of_members(sites: dict[str, Path]) -> None:
    """The club's people are members (`people: members`): its written pages name them so and no
    page speaks of employees; the company keeps the default."""
    assert _plan(CLUB).organisation.company.people == "members"
    assert _plan(COMPANY).organisation.company.people == "employees"
    texts = _site_texts(sites["club"])
    assert [path for path, text in texts.items() if "Mitarbeitend" in text] == []
    assert "Für alle Mitglieder" in visible_text(page(sites["club"], "."))
    assert "Die Mitglieder und die Menschen außerhalb" in visible_text(page(sites["club"], "analyse"))


# Where a sample's site shows a word of the form of address it did not pick: only in its own data
# texts that name a form or quote someone else ('Du bist …' is a group's name, the club's crisis
# template answers a parent in Sie).
OTHER_FORM_IN_DATA = {
    "company": [
        "schulungen/community-management-praxis/index.html: Du",
        "zielgruppen/nachbarschaft/index.html: Du",
    ],
    "club": [
        "kanaele/facebook/index.html: Sie",
        "krisenmanagement/index.html: Sie",
        "krisenmanagement/index.html: Sie",
        "krisenmanagement/index.html: Sie",
    ],
}


@pytest.mark.parametrize(("sample", "address"), [("company", "sie"), ("club", "du")])
def test_each_sample_keeps_one_form_of_address(sites: dict[str, Path], sample: str, address: str) -> None:
    """The company says Sie, the club du (site.address); engine pages follow, and so do the
    samples' onboarding and exercise texts."""
    from ..test_language import other_form

    assert _plan(SAMPLES[sample]).organisation.site.address == address
    found = [hit.split(": …", 1)[0] for hit in other_form(sites[sample], address)]
    assert found == OTHER_FORM_IN_DATA[sample]


@pytest.mark.parametrize("sample", list(SAMPLES))
def test_each_sample_site_has_no_text_slip(sites: dict[str, Path], sample: str) -> None:
    """No label capitalised with str.capitalize ('In arbeit (4)'), no glued words ('Wocheje')."""
    from ..test_language import capitalize_slips, glued_words

    assert capitalize_slips(sites[sample]) == {}
    assert glued_words(sites[sample]) == {}
