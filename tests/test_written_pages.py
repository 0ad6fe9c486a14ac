"""The written pages in content/ are true for any organisation: built from the mini fixture plans
(responsibility with one person, nothing optional filled in) and from a team with its meeting,
contact route, approvers, staff representation and an onboarding question of its own, they carry
none of the sample's words, name the unit in the right case and leave out what the plans do not say.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import ROOT
from .site_support import build, edited_plans, make_project, page, visible_text

MINI = ROOT / "tests" / "fixtures" / "mini" / "plans"

# Written pages (site paths) whose text is the engine's default text.
WRITTEN = [
    "",
    "strategie",
    "organisation",
    "ziele",
    "analyse",
    "massnahmen",
    "content-marketing",
    "krisenmanagement",
    "verbesserung",
    "glossar",
    "ueber",
    "kanaele",
    "zielgruppen",
    "prozesse",
    "richtlinien",
    "schulungen",
    "schulungen/onboarding",
]

# Words of the sample's trade and structure that are false for another organisation.
SAMPLE_WORDS = [
    "Fachbetrieb",
    "Fachhandwerk",
    "Endkunde",
    "Hausbesitzer",
    "Produkte",
    "Leitung Marketing",
    "Geschäftsführung",
    "Wochenrunde",
    "monatlichen Runde",
    "Monatsreport",
    "Betriebsrat",
    "Community-Team",
    "Kundendienst",
    "Rechtsabteilung",
    "Onboarding für Community Manager",
    "Einarbeitungsplan für Community Manager",
    "als Unternehmen",
    "des Unternehmens",
]


def _plans(tmp_path: Path, edits: dict[str, list[tuple[str, str]]]) -> Path:
    plans = tmp_path / "plans-src"
    edited_plans(plans, edits)
    return plans


def _site(tmp_path: Path, edits: dict[str, list[tuple[str, str]]]) -> dict[str, str]:
    """Visible text of every written page of a strict build of the mini plans with ``edits``."""
    project = make_project(tmp_path / "project", _plans(tmp_path, edits))
    result = build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    return {
        path: visible_text(page(site, path))
        if path
        else visible_text((site / "index.html").read_text(encoding="utf-8"))
        for path in WRITTEN
    }


TEAM = {
    "organisation": [
        ("kind: person", "kind: team"),
        (
            "  mandate:",
            "  meeting: im Jour fixe\n"
            "  contact: Postfach Kommunikation\n"
            "  approvers: [lead, helper]\n"
            "  staff_representation: helper\n"
            "  mandate:",
        ),
    ],
    "guidelines": [
        (
            "        legal_basis: UWG § 5a\n",
            "        legal_basis: UWG § 5a\n"
            "      - id: lead-by-example\n"
            "        title: Vorbild sein\n"
            "        rule: Wir drängen niemanden zum Teilen.\n"
            "        rationale: Freiwilligkeit schafft Vertrauen.\n"
            "        obligation: must\n"
            "        audience: leadership\n"
            "      - id: volunteers-ask\n"
            "        title: Erst fragen\n"
            "        rule: Ehrenamtliche fragen vor Fotos von Kindern.\n"
            "        rationale: Eltern müssen einwilligen.\n"
            "        obligation: must\n"
            "        audience: volunteers\n",
        )
    ],
}


@pytest.fixture(scope="module")
def person_site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return _site(tmp_path_factory.mktemp("person"), {})


@pytest.fixture(scope="module")
def team_site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return _site(tmp_path_factory.mktemp("team"), TEAM)


@pytest.mark.parametrize("site", ["person_site", "team_site"])
def test_written_pages_carry_no_word_of_the_sample(site: str, request: pytest.FixtureRequest) -> None:
    pages = request.getfixturevalue(site)
    found = [(path or "index", word) for path, text in pages.items() for word in SAMPLE_WORDS if word in text]
    assert found == []
    assert [path for path, text in pages.items() if "Arbeitsgruppe" in text] == []


def test_a_person_is_named_in_every_case(person_site: dict[str, str]) -> None:
    start = person_site[""]
    assert "sondern den Link an die für Social Media verantwortliche Person geben." in start
    assert "Posten Sie nicht, sondern fragen Sie vorher die für Social Media verantwortliche Person." in start
    rules = person_site["richtlinien"]
    assert "Sofort der für Social Media verantwortlichen Person Bescheid geben , auch" in rules
    org = person_site["organisation"]
    assert "entscheidet die für Social Media verantwortliche Person selbst." in org
    assert "legt die für Social Media verantwortliche Person der Rolle vor, an die sie berichtet" in org
    # no meeting in the plans: matters go to the person, no meeting is invented
    assert "Urlaub rechtzeitig bei der für Social Media verantwortlichen Person ansagen." in org
    assert "Kontakt:" not in start
    team_words = ("Social-Media-Team", "das Team", "des Teams")
    assert [(path, w) for path, text in person_site.items() for w in team_words if w in text] == []


def test_what_the_plans_do_not_say_is_left_out(person_site: dict[str, str]) -> None:
    """The mini plans name no meeting, contact, approvers or staff representation."""
    assert "Durchsehen und freigeben" not in person_site["ueber"]
    assert "Mitarbeitervertretung" not in " ".join(person_site.values())
    assert "Wer vertritt, steht bei der Rolle" in person_site["organisation"]


def test_a_team_is_named_with_its_meeting_and_contact(team_site: dict[str, str]) -> None:
    start = team_site[""]
    assert "sondern den Link an das Social-Media-Team geben (Kontakt: Postfach Kommunikation)." in start
    assert (
        "Geben Sie sie dem Social-Media-Team (Kontakt: Postfach Kommunikation), am besten"
        in (team_site["content-marketing"])
    )
    org = team_site["organisation"]
    assert "legt die Leitung des Social-Media-Teams der Rolle vor" in org
    assert "Urlaub rechtzeitig im Jour fixe ansagen." in org
    assert "Kontakt: Postfach Kommunikation" in org
    assert "Stellen Sie die Idee dann im Jour fixe vor." in team_site["massnahmen"]


def test_roles_come_from_the_plans(team_site: dict[str, str]) -> None:
    assert "Durchsehen und freigeben: Social-Media-Leitung und Redaktion ." in team_site["ueber"]
    assert "Dann berät die Mitarbeitervertretung mit ( Redaktion )." in team_site["strategie"]
    assert "Der Einarbeitungsplan für die Rolle Redaktion , Woche für Woche." in team_site[""]
    onboarding = team_site["schulungen/onboarding"]
    assert "Fahrplan für die ersten Wochen in Ihrer neuen Rolle ( Redaktion )." in onboarding
    assert "Darf ich Fotos vom Empfang posten? Nur mit Einwilligung aller, die zu erkennen" in onboarding


# A club: its people are members, and its rules are for its own audience (the built-in audience
# 'all_employees' keeps its label 'alle Mitarbeitenden').
MEMBERS = {
    "organisation": [("employees: 40", "employees: 900\n  people: members")],
    "guidelines": [("audience: all_employees", "audience: volunteers")],
    "training": [("audience: [all_employees]", "audience: [volunteers]")],
}


def test_a_club_is_written_about_its_members(tmp_path: Path) -> None:
    """With `people: members` no written page speaks of employees, working hours or business
    hours, and the members are named in the right form after 'alle', an article and 'von'."""
    pages = _site(tmp_path, MEMBERS)
    employment = (
        "Mitarbeitend",
        "Mitarbeiterin",
        "Beschäftigte",
        "Geschäftszeit",
        "Arbeitszeit",
        "Ihre Arbeit",
    )
    assert [(path or "index", w) for path, text in pages.items() for w in employment if w in text] == []
    start = pages[""]
    assert "Testfirma Mini GmbH , Prüfstadt, 900 Mitglieder." in start
    assert "Für alle Mitglieder" in start
    assert "was Sie als Mitglied privat und beruflich in sozialen Netzwerken beachten müssen." in start
    assert "Die Richtlinien gelten für alle Mitglieder, nicht nur für die für Social Media" in start
    assert "Das gilt auch für Beiträge von Mitgliedern." in pages["verbesserung"]
    assert (
        "Stärken, Schwächen, Chancen und Risiken aus Sicht der Führung, der Mitglieder und der"
        in (pages["strategie"])
    )
    assert "Wer sich als Mitglied in eine hitzige Diskussion einschaltet" in pages["krisenmanagement"]
    assert (
        "und für alle Mitglieder, wenn sie sich in ihren privaten Profilen über uns" in pages["richtlinien"]
    )
    assert "unseren eigenen Mitgliedern und der Nachbarschaft" in pages["zielgruppen"]


def test_every_written_section_has_an_id() -> None:
    """'## Titel {: #id }' on every section, so that one section can be replaced by its id."""
    missing = []
    for md in sorted((ROOT / "content").rglob("*.md")):
        fence = False
        for number, line in enumerate(md.read_text(encoding="utf-8").splitlines(), start=1):
            if line.lstrip().startswith("```"):
                fence = not fence
            if not fence and re.match(r"#{2,6} ", line) and not re.search(r"\{: *#[\w-]+ *\}\s*$", line):
                missing.append(f"{md.relative_to(ROOT)}:{number}: {line}")
    assert missing == []


def test_guidelines_quote_only_audiences_that_rules_are_for(
    person_site: dict[str, str], team_site: dict[str, str]
) -> None:
    """The column 'Gilt für' is quoted with the labels the reader finds there: no built-in
    audience no rule is for, and the organisation's own audiences by their labels."""
    only_all = person_site["richtlinien"]  # the mini plans: one rule, for all employees
    assert "bei denen in der Spalte „Gilt für“ „Alle Mitarbeitenden“ steht." in only_all
    assert "eigene Regeln für Führungskräfte gibt es bisher nicht." in only_all
    assert "Für Sie gelten alle Regeln." in only_all
    for label in ("Community Manager", "Fachexperten", "„Führungskräfte“", "Netiquette"):
        assert label not in only_all
    assert "nur an bestimmte Gruppen" not in only_all
    more = team_site["richtlinien"]
    assert "Für Sie gelten zusätzlich die Regeln mit „Führungskräfte“ in der Spalte „Gilt für“." in more
    assert "Sie stehen in der Spalte „Gilt für“ als „Ehrenamtliche“." in more


def test_the_checklist_of_the_strategy_fits_any_trade(person_site: dict[str, str]) -> None:
    assert "Jede Zahl und jede Sachaussage hat eine Quelle" in person_site["strategie"]
    assert "technische" not in " ".join(person_site.values())


def test_the_404_page_is_german(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", MINI)
    assert build(project).returncode == 0
    text = (project / "site" / "404.html").read_text(encoding="utf-8")
    assert "Not found" not in text
    assert "<h1>Seite nicht gefunden</h1>" in text
    assert 'Weiter geht es über die <a href="' in text


def test_pages_claim_no_process_or_principle_the_plans_lack(person_site: dict[str, str]) -> None:
    """The mini plans hold one process and no principle about listening: no page sends the reader
    to an 'expert process', a reporting role, a cooperation request or such a principle."""
    claims = (
        "Expertenprozess",
        "Kooperationsanfrage",
        "das Reporting verantwortet",
        "legen die Grundsätze",
        "Welche Ziele das sind",
    )
    assert [(path, c) for path, text in person_site.items() for c in claims if c in text] == []
    assert "stellen Sie die Frage den zuständigen Fachleuten" in person_site["schulungen/onboarding"]
