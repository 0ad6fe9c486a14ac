"""Vocabularies an organisation extends in plans/vocabularies.yml, and editorial slots with a time.

The mini plans define one custom value per vocabulary (patients, volunteers, fundraising, shifts)
without using them; each test puts them to use in a copy.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from macros.checks.check import check
from macros.checks.problems import format_text
from macros.cli import main
from macros.data import labels
from macros.data.loader import load_file
from macros.data.schema import check_schemas, write_schemas
from macros.site.render import Renderer
from macros.site.visuals import escalation

from .conftest import ROOT
from .site_support import build, edited_plans, make_project, page, visible_text

MINI = ROOT / "tests" / "fixtures" / "mini" / "plans"

USED = {
    "target-groups": [("type: customers", "type: patients")],
    "guidelines": [("audience: all_employees", "audience: volunteers")],
    "training": [("audience: [all_employees]", "audience: [all_employees, volunteers]")],
    "goals": [("    title: Mehr Reichweite\n", "    title: Mehr Reichweite\n    category: fundraising\n")],
    "crisis": [("{value: 2, unit: hours}", "{value: 3, unit: shifts}")],
    "experts": [("{value: 2, unit: working_days}", "{value: 1, unit: months}")],
    "processes": [("{value: 1, unit: working_days}", "{value: 2, unit: weeks}")],
}
"""Edits of the mini plans that use a custom value of every vocabulary, and weeks and months."""

SLOTS = """\
  - id: evening-qa
    title: Fragestunde am Abend
    cadence: weekly
    day: tuesday
    time: "18:30"
    channel: blog
    format: article
    pillar: howto
    owner: helper
  - id: morning-tip
    title: Tipp am Morgen
    cadence: weekly
    day: monday
    time: "08:05"
    channel: blog
    format: article
    pillar: howto
    owner: helper
  - id: early-qa
    title: Frühe Fragestunde
    cadence: weekly
    day: tuesday
    time: "09:00"
    channel: blog
    format: article
    pillar: howto
    owner: helper
"""
"""Three more slots, two of them on the Tuesday of the mini plans' weekly slot."""


def _plans(tmp_path: Path, edits: dict[str, list[tuple[str, str]]], slots: bool = False) -> Path:
    plans = tmp_path / "plans"
    edited_plans(plans, edits)
    if slots:
        with (plans / "content.yml").open("a", encoding="utf-8") as f:
            f.write(SLOTS)
    return plans


def _report(plans: Path) -> str:
    result = check(plans)
    return format_text(result.problems, result.summary()).replace(str(plans.parent) + "/", "")


# --- check -------------------------------------------------------------------------------------


def test_custom_values_are_accepted_beside_the_built_in_ones(tmp_path) -> None:
    result = check(_plans(tmp_path, USED, slots=True))
    assert result.errors == 0, [p.message for p in result.problems]
    assert result.plan is not None
    assert result.plan.custom_labels == {
        "group_kind": {"patients": "Patientinnen und Patienten"},
        "audience": {"volunteers": "Ehrenamtliche"},
        "goal_category": {"fundraising": "Spenden"},
        "unit": {"shifts": ("Schicht", "Schichten")},
    }


def test_a_typo_in_a_custom_value_gets_did_you_mean(tmp_path) -> None:
    plans = _plans(tmp_path, {"target-groups": [("type: customers", "type: patiens")]})
    assert _report(plans) == (
        "plans/target-groups.yml:5:11: target_groups[0].type: 'patiens' is not a known target group type\n"
        "  5 |     type: patiens\n"
        "    |           ^\n"
        "  hint: did you mean 'patients'? use one of: customers, prospects, influencers, "
        "opinion_leaders, stakeholders, press, employees, applicants, partners, community, patients; "
        "or define it under 'target_group_kinds:' in plans/vocabularies.yml\n"
        "1 error, 0 warnings (18 files, 24 records); method checks run once the errors are fixed\n"
    )


@pytest.mark.parametrize(
    ("written", "suggested"),
    [
        ("Ehrenamtliche", "volunteers"),  # a custom value's German label
        ("ehrenamtlich", "volunteers"),  # a typo of it
        ("Volunteers", "volunteers"),
        ("Alle Mitarbeitenden", "all_employees"),  # a built-in label
    ],
)
def test_german_labels_suggest_their_value(tmp_path, written, suggested) -> None:
    plans = _plans(tmp_path, {"guidelines": [("audience: all_employees", f"audience: {written}")]})
    problems = check(plans).problems
    assert [(p.code, p.message) for p in problems] == [
        ("invalid-choice", f"'{written}' is not a known audience")
    ]
    assert problems[0].hint.startswith(f"did you mean '{suggested}'? use one of: all_employees, ")


def test_a_custom_value_is_unknown_without_its_definition(tmp_path) -> None:
    plans = _plans(tmp_path, {"crisis": [("{value: 2, unit: hours}", "{value: 3, unit: shifts}")]})
    (plans / "vocabularies.yml").unlink()
    assert _report(plans) == (
        "plans/crisis.yml:15:37: levels[1].response_time.unit: 'shifts' is not a known time unit\n"
        "  15 |     response_time: {value: 3, unit: shifts}\n"
        "     |                                     ^\n"
        "  hint: use one of: minutes, hours, working_hours, days, working_days, "
        "weeks, months; or define it under 'time_units:' in plans/vocabularies.yml\n"
        "1 error, 0 warnings (17 files, 24 records); method checks run once the errors are fixed\n"
    )


def test_a_value_built_in_or_defined_twice_is_an_error(tmp_path) -> None:
    plans = _plans(tmp_path, {})
    (plans / "vocabularies.yml").write_text(
        "audiences:\n"
        "  - id: volunteers\n"
        "    label: Ehrenamtliche\n"
        "  - id: leadership\n"
        "    label: Vorstand\n"
        "  - id: volunteers\n"
        "    label: Freiwillige\n",
        encoding="utf-8",
    )
    assert _report(plans) == (
        "plans/vocabularies.yml:4:9: audiences[1].id: 'leadership' is already a built-in audience\n"
        "  4 |   - id: leadership\n"
        "    |         ^\n"
        "  hint: delete this entry: 'leadership' can be used as it is (shown as 'Führungskräfte')\n"
        "plans/vocabularies.yml:6:9: audiences[2].id: audience 'volunteers' is defined twice\n"
        "  6 |   - id: volunteers\n"
        "    |         ^\n"
        "  hint: it is first defined in line 2: delete one entry or give it another id\n"
        "2 errors, 0 warnings (18 files, 24 records); method checks run once the errors are fixed\n"
    )
    assert {p.code for p in check(plans).problems} == {"duplicate-value"}


def test_a_broken_definition_is_reported_once(tmp_path) -> None:
    """A custom value whose label is missing still counts where it is used: one error, not two."""
    plans = _plans(tmp_path, {"guidelines": [("audience: all_employees", "audience: volunteers")]})
    path = plans / "vocabularies.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("    label: Ehrenamtliche\n", ""), encoding="utf-8"
    )
    problems = check(plans).problems
    assert [(Path(p.file).name, p.line, p.code, p.message) for p in problems] == [
        ("vocabularies.yml", 6, "missing-field", "required field 'label' is missing")
    ]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ('"18.30"', "expected a time of day (HH:MM), got text '18.30'"),
        ('"24:00"', "expected a time of day (HH:MM), got text '24:00'"),
        ("1830", "expected a time of day (HH:MM), got the number 1830"),
    ],
)
def test_a_slot_time_is_hh_mm(tmp_path, written, message) -> None:
    plans = _plans(
        tmp_path, {"content": [("    day: tuesday\n", f"    day: tuesday\n    time: {written}\n")]}
    )
    problems = check(plans).problems
    assert [(p.line, p.code, p.message, p.hint) for p in problems] == [
        (21, "invalid-value", message, "write the time of day as HH:MM, e.g. '18:30'")
    ]


# --- labels ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "dative", "shown"),
    [
        (1, "weeks", False, "1 Woche"),
        (2, "weeks", False, "2 Wochen"),
        (2, "weeks", True, "2 Wochen"),
        (1, "months", False, "1 Monat"),
        (3, "months", False, "3 Monate"),
        (3, "months", True, "3 Monaten"),
        (1, "shifts", True, "1 Schicht"),
        (3, "shifts", True, "3 Schichten"),
    ],
)
def test_durations_in_weeks_months_and_custom_units(value, unit, dative, shown) -> None:
    custom = {"unit": {"shifts": ("Schicht", "Schichten")}}
    assert labels.duration(value, unit, dative, custom) == shown


def test_fragments_show_the_custom_labels_and_slots_by_day_and_time(tmp_path) -> None:
    plan = check(_plans(tmp_path, USED, slots=True)).plan
    assert plan is not None
    render = Renderer(plan, "seite.md").render
    assert "Patientinnen und Patienten · Priorität **hoch**" in render("target_groups.md")
    assert "| Alle Mitarbeitenden, Ehrenamtliche |" in render("modules.md")
    assert '<span class="hb-badge">Spenden</span>' in render("goals.md")
    assert "**Reaktion innerhalb von 3 Schichten**" in render("crisis.md")
    assert "Reaktion&#58; 3 Schichten</tspan>" in escalation(Renderer(plan, "krisenmanagement.md"))
    assert "Antwort in 1 Monat" in render("organisation.md")
    assert "Freigabe: 2 Wochen" in render("processes.md")
    content = render("content.md").replace("&#58;", ":")  # the colon is escaped against emoji codes
    rows = [line.split(" | ")[:3] for line in content.splitlines() if "| Wöchentlich |" in line]
    assert rows == [
        ["| Tipp am Morgen", "Wöchentlich", "Montag, 08:05 Uhr"],
        ["| Anleitung der Woche", "Wöchentlich", "Dienstag"],
        ["| Frühe Fragestunde", "Wöchentlich", "Dienstag, 09:00 Uhr"],
        ["| Fragestunde am Abend", "Wöchentlich", "Dienstag, 18:30 Uhr"],
    ]


def test_a_built_site_shows_the_custom_labels(tmp_path) -> None:
    project = make_project(tmp_path / "p", _plans(tmp_path, USED, slots=True))
    done = build(project)
    assert done.returncode == 0, done.stderr[-3000:]
    site = project / "site"
    assert "Patientinnen und Patienten" in visible_text(page(site, "zielgruppen/makers"))
    assert "Ehrenamtliche" in visible_text(page(site, "richtlinien/basics"))
    assert "Spenden" in visible_text(page(site, "ziele"))
    assert "Reaktion innerhalb von 3 Schichten" in visible_text(page(site, "krisenmanagement"))
    assert "Fragestunde am Abend Wöchentlich Dienstag, 18:30 Uhr" in visible_text(page(site, "kanaele/blog"))


# --- JSON Schema -------------------------------------------------------------------------------


def test_handbook_schema_takes_the_plans_vocabularies(tmp_path) -> None:
    plans = _plans(tmp_path, USED)
    out = tmp_path / "schema"
    write_schemas(out)  # reads plans/ beside schema/
    schema = json.loads((out / "target-groups.schema.json").read_text(encoding="utf-8"))
    assert schema["$defs"]["TargetGroup"]["properties"]["type"]["enum"][-2:] == ["community", "patients"]
    for stem in ("target-groups", "guidelines", "training", "goals", "crisis", "experts", "processes"):
        validator = Draft202012Validator(
            json.loads((out / f"{stem}.schema.json").read_text(encoding="utf-8"))
        )
        assert list(validator.iter_errors(load_file(plans / f"{stem}.yml").data)) == [], stem
    assert check_schemas(out) == []
    assert check_schemas(out, plans=ROOT / "tests" / "cases") != []  # no vocabularies there: stale
    (plans / "vocabularies.yml").write_text(
        "target_group_kinds:\n  - id: members\n    label: Mitglieder\n", encoding="utf-8"
    )
    assert "target-groups.schema.json" in check_schemas(out)
    committed = Draft202012Validator(json.loads((ROOT / "schema" / "target-groups.schema.json").read_text()))
    assert not committed.is_valid(load_file(plans / "target-groups.yml").data)  # built-in only


def test_handbook_schema_plans_names_the_vocabularies_elsewhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _plans(tmp_path / "project", USED)
    out = tmp_path / "elsewhere" / "schema"
    assert main(["schema", "--dir", str(out), "--plans", str(tmp_path / "project")]) == 0
    assert f"wrote {out}/target-groups.schema.json\n" in capsys.readouterr().out
    schema = json.loads((out / "target-groups.schema.json").read_text(encoding="utf-8"))
    assert schema["$defs"]["TargetGroup"]["properties"]["type"]["enum"][-2:] == ["community", "patients"]
    assert main(["schema", "--dir", str(out), "--plans", str(tmp_path / "project" / "plans"), "--check"]) == 0
    assert capsys.readouterr().out == f"ok: schemas in {out} are up to date\n"
    assert main(["schema", "--dir", str(out), "--check"]) == 1  # no plans/ beside it: built-in only
    stale = (
        f"{out}/target-groups.schema.json: out of date; run 'handbook schema --dir {out}' to regenerate it"
    )
    assert stale in capsys.readouterr().out.splitlines()
    sample = ROOT / "plans"  # no vocabularies.yml there
    assert main(["schema", "--dir", str(out), "--plans", str(sample), "--check"]) == 1
    assert f"run 'handbook schema --dir {out} --plans {sample}' to regenerate it" in capsys.readouterr().out
    assert main(["schema", "--dir", str(out), "--plans", str(tmp_path / "nowhere")]) == 2
    assert capsys.readouterr().err == f"handbook: error: {tmp_path}/nowhere: no such directory\n"
    assert main(["schema", "--dir", str(out), "--plans", str(tmp_path / "elsewhere")]) == 2  # a typo
    assert capsys.readouterr().err == (
        f"handbook: error: {tmp_path}/elsewhere: no plans files there "
        "(give the plans/ directory or the project holding it)\n"
    )
