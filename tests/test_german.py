"""German that is right for every organisation's values, not only for the sample's.

Each test renders fragments from a copy of the mini fixture plans changed to other values (a
person, a team, a working group; counts of 0, 1 and 2) and asserts whole sentences.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from typing import get_args

import pytest

from macros.checks.check import check
from macros.data import labels
from macros.data.models import Company, Responsibility
from macros.site.render import TEMPLATES, Renderer

from .conftest import ROOT
from .site_support import edited_plans

MINI = ROOT / "tests" / "fixtures" / "mini" / "plans"
LEAD = "[Social-Media-Leitung](organisation.md#rolle-lead)"


def _render(tmp_path: Path, fragment: str, edits: dict[str, list[tuple[str, str]]], **context) -> str:
    """Render a fragment from the mini plans with text replacements in some files."""
    plans = tmp_path / "plans"
    edited_plans(plans, edits)
    result = check(plans)
    assert result.plan is not None, result.problems
    page = context.pop("page", "seite.md")
    record = context.pop("record", None)
    if record:
        context["record"] = result.plan.get(*record)
    return Renderer(result.plan, page).render(f"{fragment}.md", **context)


# --- responsibility: the sentence fits the kind, no article before a written name -------------


@pytest.mark.parametrize(
    ("kind", "name", "sentence", "mandate"),
    [
        (
            "person",
            "Maria Beispiel",
            f"Für Social Media ist eine Person verantwortlich: **Maria Beispiel**, in der Rolle {LEAD}.",
            "Das darf die verantwortliche Person selbst entscheiden",
        ),
        (
            "team",
            "Team Digitale Kommunikation",
            "Für Social Media ist ein Team verantwortlich: **Team Digitale Kommunikation**, "
            f"geleitet von der Rolle {LEAD}.",
            "Das darf das Team selbst entscheiden",
        ),
        (
            "working_group",
            "Referat Öffentlichkeitsarbeit",
            "Für Social Media ist eine bereichsübergreifende Arbeitsgruppe verantwortlich: "
            f"**Referat Öffentlichkeitsarbeit**, geleitet von der Rolle {LEAD}.",
            "Das darf die Arbeitsgruppe selbst entscheiden",
        ),
    ],
)
def test_responsibility_is_phrased_for_its_kind(tmp_path, kind, name, sentence, mandate) -> None:
    output = _render(
        tmp_path,
        "organisation",
        {
            "organisation": [
                ("kind: person", f"kind: {kind}"),
                ("name: Social-Media-Verantwortung", f"name: {name}"),
            ]
        },
    )
    lines = output.splitlines()
    assert sentence in lines
    assert f'!!! abstract "{mandate}"' in lines
    assert (
        "Diese Fachleute unterstützen die Arbeit in Social Media. "
        "Fragen Sie über den genannten Kontakt, nicht privat." in lines
    )
    assert "liegt bei" not in output
    assert "Social-Media-Team" not in output


def test_every_responsibility_kind_has_its_words() -> None:
    kinds = get_args(Responsibility.model_fields["kind"].annotation)
    assert sorted(labels.RESPONSIBILITY_WORDS) == sorted(kinds)
    for kind in kinds:
        assert labels.responsibility(kind, "a").split()[0] in ("ein", "eine")
        assert labels.responsibility(kind, "the").split()[0] in ("das", "die")


@pytest.mark.parametrize(
    ("kind", "nom", "dat", "gen", "lead", "at"),
    [
        (
            "person",
            "die für Social Media verantwortliche Person",
            "der für Social Media verantwortlichen Person",
            "der für Social Media verantwortlichen Person",
            "die für Social Media verantwortliche Person",
            "bei der für Social Media verantwortlichen Person",
        ),
        (
            "team",
            "das Social-Media-Team",
            "dem Social-Media-Team",
            "des Social-Media-Teams",
            "die Leitung des Social-Media-Teams",
            "bei der Leitung des Social-Media-Teams",
        ),
        (
            "working_group",
            "die Social-Media-Arbeitsgruppe",
            "der Social-Media-Arbeitsgruppe",
            "der Social-Media-Arbeitsgruppe",
            "die Leitung der Social-Media-Arbeitsgruppe",
            "bei der Leitung der Social-Media-Arbeitsgruppe",
        ),
    ],
)
def test_written_pages_name_the_unit_in_each_case(kind, nom, dat, gen, lead, at) -> None:
    """The cases the written pages use ('an {nom} geben', '{dat} Bescheid geben', …)."""
    words = {form: labels.responsibility(kind, form) for form in ("nom", "dat", "gen", "lead", "at")}
    assert words == {"nom": nom, "dat": dat, "gen": gen, "lead": lead, "at": at}
    assert labels.responsibility(kind, "nom", start=True) == nom[0].upper() + nom[1:]


@pytest.mark.parametrize(
    ("items", "expected"), [([], ""), (["A"], "A"), (["A", "B"], "A und B"), (["A", "B", "C"], "A, B und C")]
)
def test_enumeration(items, expected) -> None:
    assert labels.enumeration(items) == expected


def test_onboarding_questions_of_the_organisation(tmp_path) -> None:
    output = _render(
        tmp_path,
        "onboarding_questions",
        {
            "onboarding": [
                ("Darf ich Fotos vom Empfang posten?", 'Was heißt "Takeover"?'),
                ("Nur mit Einwilligung aller, die zu erkennen sind.", "Ein Tag auf unserem Konto."),
            ]
        },
    )
    question = '??? question "Was heißt &#34;Takeover&#34;?"'
    assert output.splitlines()[:2] == [question, "    Ein Tag auf unserem Konto."]


ARTICLE_BEFORE_VALUE = re.compile(
    r"\b(der|die|das|dem|den|des|ein|eine|einem|einen|einer|eines|unser|unsere)\s+\{\{", re.IGNORECASE
)


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.md")))
def test_no_fixed_article_before_a_value(template: str) -> None:
    """'die {{ name }}' is wrong for a name of another gender; phrase around it instead."""
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    assert ARTICLE_BEFORE_VALUE.findall(text) == []


# --- counts: one helper for singular and plural ----------------------------------------------


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 Einträge"), (1, "1 Eintrag"), (2, "2 Einträge"), (1.5, "1,5 Einträge"), (1500, "1.500 Einträge")],
)
def test_plural(count, expected) -> None:
    assert labels.plural(count, "Eintrag", "Einträge") == expected


@pytest.mark.parametrize(
    ("goals", "channels", "expected"),
    [
        ("2026-06-01", "2026-06-01", '!!! success "Alles aktuell"'),
        ("2025-09-01", "2026-06-01", '!!! warning "1 Überprüfung überfällig"'),
        ("2025-09-01", "2025-01-15", '!!! warning "2 Überprüfungen überfällig"'),
    ],
)
def test_overdue_reviews_are_counted_in_words(tmp_path, goals, channels, expected) -> None:
    output = _render(
        tmp_path,
        "review_status",
        {
            "goals": [("reviewed: 2026-06-01", f"reviewed: {goals}")],
            "channels": [("reviewed: 2026-06-01", f"reviewed: {channels}")],
        },
    )
    assert output.splitlines()[0] == expected


@pytest.mark.parametrize(
    ("hours", "holders", "expected"),
    [
        (1, "[Erika Test]", "Besetzt mit Erika Test · **1 Stunde pro Woche**"),
        (2, "[Erika Test]", "Besetzt mit Erika Test · **2 Stunden pro Woche**"),
        (
            2,
            "[Erika Test, Max Muster]",
            "Besetzt mit Erika Test, Max Muster · **2 Stunden pro Woche je Person**",
        ),
        (
            0.5,
            "[Erika Test, Max Muster]",
            "Besetzt mit Erika Test, Max Muster · **0,5 Stunden pro Woche je Person**",
        ),
    ],
)
def test_weekly_hours_of_a_role(tmp_path, hours, holders, expected) -> None:
    output = _render(
        tmp_path,
        "organisation",
        {
            "roles": [
                ("hours_per_week: 10", f"hours_per_week: {hours}"),
                ("holders: [Erika Test]", f"holders: {holders}"),
            ]
        },
    )
    assert expected in output.splitlines()


def test_role_facts_without_department_start_with_the_first_fact(tmp_path) -> None:
    output = _render(tmp_path, "organisation", {})
    assert "**4 Stunden pro Woche**" in output.splitlines()
    assert not any(line.startswith(" · ") for line in output.splitlines())


@pytest.mark.parametrize(
    ("response", "hours", "expected"),
    [
        (
            "{value: 1, unit: working_days}",
            1,
            "*Recht* · Kontakt: Postfach Recht · Antwort in 1 Arbeitstag · 1 Stunde pro Monat",
        ),
        (
            "{value: 2, unit: working_days}",
            2,
            "*Recht* · Kontakt: Postfach Recht · Antwort in 2 Arbeitstagen · 2 Stunden pro Monat",
        ),
        (
            "{value: 3, unit: days}",
            0.5,
            "*Recht* · Kontakt: Postfach Recht · Antwort in 3 Tagen · 0,5 Stunden pro Monat",
        ),
        (
            "{value: 4, unit: hours}",
            10,
            "*Recht* · Kontakt: Postfach Recht · Antwort in 4 Stunden · 10 Stunden pro Monat",
        ),
    ],
)
def test_expert_answer_time_is_in_the_dative(tmp_path, response, hours, expected) -> None:
    output = _render(
        tmp_path,
        "organisation",
        {
            "experts": [
                (
                    "response_time: {value: 2, unit: working_days}",
                    f"response_time: {response}\n    hours_per_month: {hours}",
                )
            ]
        },
    )
    assert expected in output.splitlines()


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ("{value: 1, unit: working_days}", "Reaktion innerhalb von 1 Arbeitstag"),
        ("{value: 2, unit: working_days}", "Reaktion innerhalb von 2 Arbeitstagen"),
        ("{value: 2, unit: days}", "Reaktion innerhalb von 2 Tagen"),
        ("{value: 30, unit: minutes}", "Reaktion innerhalb von 30 Minuten"),
    ],
)
def test_crisis_reaction_time_is_in_the_dative(tmp_path, response, expected) -> None:
    output = _render(
        tmp_path,
        "crisis",
        {"crisis": [("response_time: {value: 1, unit: working_days}", f"response_time: {response}")]},
    )
    assert f"**{expected}** · Leitung: [Redaktion](organisation.md#rolle-helper)" in output.splitlines()


@pytest.mark.parametrize(
    ("employees", "expected"), [(1, "1 Mitarbeiterin oder Mitarbeiter"), (2, "2 Mitarbeitende")]
)
def test_company_size(tmp_path, employees, expected) -> None:
    output = _render(tmp_path, "company", {"organisation": [("employees: 40", f"employees: {employees}")]})
    assert output == f"**Testfirma Mini GmbH**, Prüfstadt, {expected}. Stellt Prüfgeräte her.\n"


@pytest.mark.parametrize(
    ("people", "employees", "expected"),
    [
        ("members", 900, "900 Mitglieder"),
        ("members", 1, "1 Mitglied"),
        ("volunteers", 64, "64 Ehrenamtliche"),
        ("volunteers", 1, "1 Ehrenamtliche oder Ehrenamtlicher"),
    ],
)
def test_company_size_counts_its_people(tmp_path, people, employees, expected) -> None:
    edit = ("employees: 40", f"employees: {employees}\n  people: {people}")
    output = _render(tmp_path, "company", {"organisation": [edit]})
    assert output == f"**Testfirma Mini GmbH**, Prüfstadt, {expected}. Stellt Prüfgeräte her.\n"


def test_people_forms() -> None:
    """Without article, after 'alle' or an article, in the dative plural, one person."""
    forms = {
        kind: tuple(labels.people(kind, form) for form in labels.PEOPLE_FORMS) for kind in labels.PEOPLE_WORDS
    }
    assert labels.PEOPLE_FORMS == ("nom", "all", "dat", "one")
    assert forms == {
        "employees": ("Mitarbeitende", "Mitarbeitenden", "Mitarbeitenden", "Mitarbeiterin oder Mitarbeiter"),
        "members": ("Mitglieder", "Mitglieder", "Mitgliedern", "Mitglied"),
        "volunteers": (
            "Ehrenamtliche",
            "Ehrenamtlichen",
            "Ehrenamtlichen",
            "Ehrenamtliche oder Ehrenamtlicher",
        ),
    }
    assert set(labels.PEOPLE_WORDS) == set(get_args(Company.model_fields["people"].annotation))


@pytest.mark.parametrize(("people", "expected"), [("employees", "Mitarbeitende"), ("members", "Mitglieder")])
def test_the_employees_perspective_is_named_by_the_people(tmp_path, people, expected) -> None:
    output = _render(
        tmp_path, "swot", {"organisation": [("employees: 40", f"employees: 40\n  people: {people}")]}
    )
    assert f'=== "Sicht: {expected}"' in output


@pytest.mark.parametrize(("minutes", "expected"), [(5, "5 Minuten"), (90, "90 Minuten")])
def test_module_duration(tmp_path, minutes, expected) -> None:
    output = _render(
        tmp_path,
        "page_module",
        {"training": [("duration_minutes: 30", f"duration_minutes: {minutes}")]},
        page="schulungen/intro.md",
        record=("module", "intro"),
    )
    assert f'<span class="hb-badge">{expected}</span>' in output


# --- labels: capital at the start of a sentence or cell, as written in the middle -------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in Arbeit", "In Arbeit"),
        ("alle zwei Wochen", "Alle zwei Wochen"),
        ("Du", "Du"),
        ("", ""),
        ("überfällig", "Überfällig"),
    ],
)
def test_capital_keeps_the_rest_as_written(text, expected) -> None:
    assert labels.capital(text) == expected


def test_label_starting_a_heading_is_capitalised(tmp_path) -> None:
    output = _render(tmp_path, "measures", {})
    assert output.splitlines()[0] == "## In Arbeit (1)"


def test_label_starting_a_line_keeps_the_rest_as_written(tmp_path) -> None:
    output = _render(tmp_path, "improvement", {"improvement": [("cadence: monthly", "cadence: biweekly")]})
    assert (
        "**Alle zwei Wochen** · Teilnehmende: [Social-Media-Leitung](organisation.md#rolle-lead), "
        "[Redaktion](organisation.md#rolle-helper)" in output.splitlines()
    )


def test_labels_starting_table_cells_are_capitalised(tmp_path) -> None:
    channels = _render(tmp_path / "a", "channels", {})
    assert (
        "| [Testblog](kanaele/blog.md) | Aktiv | 1 Beitrag pro Woche | Du | [Bastler](zielgruppen/makers.md) "
        "| Anleitungen veröffentlichen. |" in channels
    )
    content = _render(tmp_path / "b", "content", {})
    assert "| Anleitung der Woche | Wöchentlich | Dienstag |" in content
    modules = _render(
        tmp_path / "c",
        "modules",
        {"training": [("audience: [all_employees]", "audience: [all_employees, leadership]")]},
    )
    assert (
        "| [Einführung](schulungen/intro.md) | Alle Mitarbeitenden, Führungskräfte | E-Learning |" in modules
    )


def test_labels_in_the_middle_stay_as_written(tmp_path) -> None:
    page = _render(tmp_path / "a", "page_channel", {}, page="kanaele/blog.md", record=("channel", "blog"))
    assert '<span class="hb-badge hb-status-active">Status: aktiv</span>' in page
    strategy = _render(
        tmp_path / "b", "strategy", {"strategy": [("cadence: quarterly", "cadence: biweekly")]}
    )
    assert "Die Strategie wird **alle zwei Wochen** überprüft" in strategy


# --- names that would read wrong or be ambiguous -----------------------------------------------

SECOND_CHANNEL = """  - id: video
    name: testblog
    platform: Videoportal
    status: planned
    purpose: Anleitungen als Video.
    tone: {address: du, description: Locker.}
    frequency: 1 Video pro Monat
    owner: lead
    reviewed: 2026-06-01
"""


def test_channels_sharing_a_name_are_told_apart_by_their_platform(tmp_path) -> None:
    """Organisations often give every channel their own name: lists, links and the navigation
    then add the platform, so that the reader knows which one is meant."""
    edits = {"channels": [("    reviewed: 2026-06-01\n", "    reviewed: 2026-06-01\n" + SECOND_CHANNEL)]}
    channels = html.unescape(_render(tmp_path / "a", "channels", edits))  # md() writes '(' as &#40;
    assert "| [Testblog (Blog)](kanaele/blog.md) | Aktiv |" in channels
    assert "| [testblog (Videoportal)](kanaele/video.md) | Geplant |" in channels
    plans = tmp_path / "a" / "plans"
    from macros.site.pages import record_pages

    nav = {p.id: html.unescape(p.title) for p in record_pages(check(plans).plan) if p.kind == "channel"}
    assert nav == {"blog": "Testblog (Blog)", "video": "testblog (Videoportal)"}
    # a name no other channel has stays as written
    alone = _render(tmp_path / "b", "channels", {})
    assert "| [Testblog](kanaele/blog.md) | Aktiv |" in alone


def test_a_rule_for_some_channels_says_so_without_a_second_auf(tmp_path) -> None:
    page = _render(
        tmp_path,
        "page_guideline",
        {
            "guidelines": [("audience: all_employees", "audience: all_employees\n        channels: [blog]")],
            "channels": [("name: Testblog", "name: Testfirma auf Blog")],
        },
        page="richtlinien/basics.md",
        record=("guideline", "basics"),
    )
    assert "| Alle Mitarbeitenden (nur [Testfirma auf Blog](../kanaele/blog.md)) |" in page
    assert " auf [" not in page


def test_members_of_a_unit_and_roles_beside_a_person(tmp_path) -> None:
    person = _render(tmp_path / "a", "organisation", {})
    assert "**Beteiligte Rollen:** [Social-Media-Leitung]" in person
    assert "Mitglieder" not in person
    team = _render(tmp_path / "b", "organisation", {"organisation": [("kind: person", "kind: team")]})
    assert "**Mitglieder:** [Social-Media-Leitung]" in team


def test_onboarding_names_the_mentor_without_a_case_to_guess(tmp_path) -> None:
    """A role's name takes no article ('mit Redaktion' is wrong): the mentor is a labelled fact."""
    plan = _render(tmp_path, "onboarding", {})
    assert "· Begleitung: [Social-Media-Leitung](organisation.md#rolle-lead)" in plan
    assert " – mit " not in plan


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("role: helper", "role: easy-to-use", "'easy-to-use' is an analysis entry ("),
        ("role: helper", "role: basics", "'basics' is a guideline topic ("),
    ],
)
def test_check_messages_use_a_and_an(tmp_path, old, new, expected) -> None:
    plans = tmp_path / "plans"
    shutil.copytree(MINI, plans)
    path = plans / "onboarding.yml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    hints = " ".join(str(p.hint) for p in check(plans).problems)
    assert expected in hints
    assert "but a role is expected here" in hints


def test_indefinite_article_of_a_kind() -> None:
    from macros.checks.references import _a

    assert [_a(n) for n in ("expert", "analysis entry", "role", "guideline topic")] == [
        "an expert",
        "an analysis entry",
        "a role",
        "a guideline topic",
    ]


@pytest.mark.parametrize(
    ("people", "expected"),
    [
        ("employees", "Alle Mitarbeitenden"),
        ("members", "Alle Mitglieder"),
        ("volunteers", "Alle Ehrenamtlichen"),
    ],
)
def test_the_rule_audience_of_everyone_is_named_by_the_people(tmp_path, people, expected) -> None:
    page = _render(
        tmp_path,
        "page_guideline",
        {"organisation": [("employees: 40", f"employees: 40\n  people: {people}")]},
        page="richtlinien/basics.md",
        record=("guideline", "basics"),
    )
    assert f"| {expected} |" in page
