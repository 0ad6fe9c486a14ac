"""Confidential entries nested deep inside a file are absent for a lower audience.

Two filters hide them: ``Plan.for_audience`` (the validated plan every page is rendered from) and
``visibility.hidden_records``/``visible_data`` (the raw data of old versions that the change
history compares). Both must look at every depth, not only at a file's top-level lists: a rule
inside a guideline topic, a task inside an onboarding week, a step or checklist item inside the
crisis file, a reference inside a template or task. The confidential audience sees every marker,
so the markers are real.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from macros.checks.check import check
from macros.data.loader import load_file
from macros.data.plan import Plan
from macros.data.visibility import AUDIENCES, hidden_records, visible_data

from .conftest import ROOT
from .site_support import edit

MINI = ROOT / "tests" / "fixtures" / "mini" / "plans"

SECRET_TOPIC = """\
  - id: geheimthema
    visibility: confidential
    title: GEHEIMTHEMA-MARKE
    summary: Nur für die Leitung.
    owner: lead
    reviewed: 2026-06-01
    rules:
      - id: regel-im-geheimthema
        title: THEMENREGEL-MARKE
        rule: Erbt den Leserkreis des Themas.
        rationale: Vertraulich.
        obligation: should
        audience: leadership
"""

SECRET_MODULE = """\
  - id: geheimmodul
    visibility: confidential
    title: MODUL-MARKE
    summary: Vertraulich.
    audience: [leadership]
    format: Workshop
    duration_minutes: 60
    objectives: [Vertraulich]
    owner: lead
    reviewed: 2026-06-01
"""

MARKERS = [
    "GEHEIMREGEL-MARKE",
    "geheimregel",
    "GEHEIMTHEMA-MARKE",
    "THEMENREGEL-MARKE",
    "regel-im-geheimthema",
    "AUFGABE-MARKE",
    "ESKALATION-MARKE",
    "TELEFON-MARKE",
    "CHECKLISTE-MARKE",
    "MODUL-MARKE",
    "geheimmodul",
    "geheimstufe",
    "STUFE-MARKE",
    "MANDAT-MARKE",
]
"""What only the confidential audience may see."""


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini plans with confidential entries at depth two and three."""
    plans = tmp_path_factory.mktemp("visibility") / "plans"
    shutil.copytree(MINI, plans)
    # A confidential rule inside an internal topic (guidelines[0].rules[0]) ...
    edit(
        plans / "guidelines.yml",
        "    rules:\n",
        "    rules:\n      - id: geheimregel\n        visibility: confidential\n"
        "        title: GEHEIMREGEL-MARKE\n        rule: Vertraulich.\n        rationale: Vertraulich.\n"
        "        obligation: must\n        audience: leadership\n",
    )
    # ... and a rule without its own visibility inside a confidential topic: hidden with it.
    (plans / "guidelines.yml").write_text(
        (plans / "guidelines.yml").read_text(encoding="utf-8") + SECRET_TOPIC, encoding="utf-8"
    )
    (plans / "training.yml").write_text(
        (plans / "training.yml").read_text(encoding="utf-8") + SECRET_MODULE, encoding="utf-8"
    )
    # A confidential task inside an internal week (weeks[0].tasks[0]), and an internal task
    # whose training module (weeks[0].tasks[2].module) is confidential.
    edit(
        plans / "onboarding.yml",
        "    tasks:\n",
        "    tasks:\n      - task: AUFGABE-MARKE\n        visibility: confidential\n        mentor: lead\n",
    )
    edit(
        plans / "onboarding.yml",
        "        done_when: Fragen notiert\n",
        "        done_when: Fragen notiert\n"
        "      - task: Vertiefen\n        mentor: lead\n        module: geheimmodul\n",
    )
    # The crisis file: a confidential escalation step, contact data guarded inside a step,
    # a confidential checklist item, and a confidential level a template refers to.
    edit(
        plans / "crisis.yml",
        "escalation:\n",
        "escalation:\n  - who: lead\n    visibility: confidential\n    when: ESKALATION-MARKE\n",
    )
    edit(
        plans / "crisis.yml",
        "    reach: Mobil\n",
        "    reach: TELEFON-MARKE\n    reach_visibility: confidential\n",
    )
    edit(
        plans / "crisis.yml",
        "checklist:\n",
        "checklist:\n  - phase: detect\n    visibility: confidential\n    item: CHECKLISTE-MARKE\n",
    )
    edit(
        plans / "crisis.yml",
        "escalation:\n",
        "  - id: geheimstufe\n    visibility: confidential\n    level: 2\n    name: STUFE-MARKE\n"
        "    criteria: [Vertraulich]\n    response_time: {value: 1, unit: hours}\n    lead: lead\n"
        "escalation:\n",
    )
    edit(plans / "crisis.yml", "    levels: [low]\n", "    levels: [low, geheimstufe]\n")
    # A guarded field inside a nested mapping (responsibility.mandate).
    edit(
        plans / "organisation.yml",
        "  mandate:\n    - Beiträge ohne Rückfrage veröffentlichen\n",
        "  mandate_visibility: confidential\n  mandate:\n    - MANDAT-MARKE\n",
    )
    return plans


@pytest.fixture(scope="module")
def plan(plans: Path) -> Plan:
    result = check(plans)
    assert [p for p in result.problems if p.severity == "error"] == []
    assert result.plan is not None
    return result.plan


def _dump(plan: Plan) -> str:
    return "\n".join(model.model_dump_json() for model in plan.files.values())


def test_the_confidential_plan_shows_every_marker(plan: Plan) -> None:
    shown = plan.for_audience("confidential")
    dump = _dump(shown)
    assert [marker for marker in MARKERS if marker not in dump] == []
    assert shown.hidden == 0


def test_the_internal_plan_has_no_nested_confidential_entry(plan: Plan) -> None:
    shown = plan.for_audience("internal")
    # References stay as written in the plan (pages resolve them with find(), which knows no
    # hidden record); everything else of the hidden entries is gone.
    referenced = {"geheimmodul", "geheimstufe"}
    assert [marker for marker in MARKERS if marker in _dump(shown) and marker not in referenced] == []
    # Nested records: gone from their parent and from the lookups.
    basics = shown.get("guideline", "basics")
    assert [rule.id for rule in basics.rules] == ["be-honest"]
    assert shown.get("rule", "geheimregel") is None
    assert shown.get("guideline", "geheimthema") is None
    assert shown.get("rule", "regel-im-geheimthema") is None
    assert sorted(shown.records["rule"]) == ["be-honest"]
    assert shown.get("module", "geheimmodul") is None
    assert shown.get("crisis_level", "geheimstufe") is None
    # Nested entries without an id, and a guarded field inside a list entry.
    week = shown.files["onboarding"].weeks[0]
    assert [task.task for task in week.tasks] == ["Alle Kanäle lesen", "Vertiefen"]
    crisis = shown.files["crisis"]
    assert [(step.who, step.when, step.reach) for step in crisis.escalation] == [
        ("helper", "Kritik häuft sich", None),
        ("lead", "Stufe 1 erreicht", None),
    ]
    assert [item.item for item in crisis.checklist] == ["Notfallnummern aktuell", "Vorlage anpassen"]
    assert shown.files["organisation"].responsibility.mandate == []
    # rule, topic, module, task, step, reach, checklist item, level, mandate: each counted once
    assert shown.hidden == 9


def test_only_what_holds_a_hidden_entry_is_copied(plan: Plan) -> None:
    """The audience's plan shares every file, record and list entry without anything hidden in it
    with the full plan (frozen models): what was derived from them is reused, not recomputed."""
    shown = plan.for_audience("internal")
    same = sorted(stem for stem, model in shown.files.items() if model is plan.files[stem])
    assert same and sorted(set(plan.files) - set(same)) == [
        "crisis",
        "guidelines",
        "onboarding",
        "organisation",
        "training",
    ]
    basics, full_basics = shown.get("guideline", "basics"), plan.get("guideline", "basics")
    assert basics is not full_basics  # it lost a rule
    assert shown.get("rule", "be-honest") is plan.get("rule", "be-honest")
    steps = {(s.who, s.when): s for s in plan.files["crisis"].escalation}
    helper, lead = shown.files["crisis"].escalation
    assert helper is steps["helper", "Kritik häuft sich"]  # nothing hidden in it
    assert lead is not steps["lead", "Stufe 1 erreicht"] and lead.reach is None  # its reach hidden


def _raw(plans: Path) -> dict[str, Any]:
    return {path.stem: load_file(path).data for path in sorted(plans.glob("*.yml"))}


def test_the_raw_filter_finds_nested_hidden_records(plans: Path) -> None:
    raw = _raw(plans)
    internal = AUDIENCES["internal"]
    hidden = set().union(*(hidden_records(stem, data, internal) for stem, data in raw.items()))
    assert hidden == {
        ("rule", "geheimregel"),
        ("guideline", "geheimthema"),
        ("rule", "regel-im-geheimthema"),
        ("module", "geheimmodul"),
        ("crisis_level", "geheimstufe"),
    }
    everyone = AUDIENCES["confidential"]
    assert set().union(*(hidden_records(stem, data, everyone) for stem, data in raw.items())) == set()


def test_the_raw_filter_drops_nested_entries_and_references(plans: Path) -> None:
    raw = _raw(plans)
    internal = AUDIENCES["internal"]
    hidden = set().union(*(hidden_records(stem, data, internal) for stem, data in raw.items()))
    shown = {stem: visible_data(stem, data, internal, hidden) for stem, data in raw.items()}
    text = repr(shown)
    assert [marker for marker in MARKERS if marker in text] == []
    assert [rule["id"] for topic in shown["guidelines"]["guidelines"] for rule in topic["rules"]] == [
        "be-honest"
    ]
    tasks = shown["onboarding"]["weeks"][0]["tasks"]
    assert tasks == [
        {"task": "Alle Kanäle lesen", "mentor": "lead", "module": "intro", "done_when": "Fragen notiert"},
        {"task": "Vertiefen", "mentor": "lead"},  # the reference to the hidden module is dropped
    ]
    crisis = shown["crisis"]
    assert crisis["escalation"] == [
        {"who": "helper", "when": "Kritik häuft sich"},
        {"who": "lead", "when": "Stufe 1 erreicht", "reach_visibility": "confidential"},  # no reach
    ]
    assert [item["item"] for item in crisis["checklist"]] == ["Notfallnummern aktuell", "Vorlage anpassen"]
    assert [level["id"] for level in crisis["levels"]] == ["low", "high"]
    assert crisis["templates"][0]["levels"] == ["low"]
    assert "mandate" not in shown["organisation"]["responsibility"]
    # The confidential audience gets the data unchanged.
    everyone = AUDIENCES["confidential"]
    assert {stem: visible_data(stem, data, everyone, set()) for stem, data in raw.items()} == raw
