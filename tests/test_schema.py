"""The committed JSON Schemas match the models, and every plans file points at its schema."""

from __future__ import annotations

import json

from macros.data.kinds import MODELS
from macros.data.schema import check_schemas, schema_text

from .conftest import ROOT


def test_committed_schemas_are_up_to_date() -> None:
    assert check_schemas(ROOT / "schema") == [], "run '.venv/bin/handbook schema' and commit schema/"


def test_every_plans_file_starts_with_its_schema_line() -> None:
    for stem in MODELS:
        if not (ROOT / "plans" / f"{stem}.yml").exists():
            continue  # every plans file is optional (vocabularies.yml most of all)
        first = (ROOT / "plans" / f"{stem}.yml").read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=../schema/{stem}.schema.json"


def test_schema_describes_every_field() -> None:
    schema = json.loads(schema_text("goals"))
    goal = schema["$defs"]["Goal"]
    assert goal["additionalProperties"] is False
    assert set(goal["required"]) >= {"id", "owner", "reviewed", "title", "kpi", "unit"}
    assert goal["properties"]["reviewed"] == {
        "description": "Date of the last review (YYYY-MM-DD).",
        "title": "Reviewed",
        "format": "date",
        "pattern": "^(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}$",
        "type": "string",
    }


def test_every_field_has_a_description() -> None:
    undocumented = []
    for stem in MODELS:
        schema = json.loads(schema_text(stem))
        for name, definition in {**schema.get("$defs", {}), stem: schema}.items():
            for field, spec in definition.get("properties", {}).items():
                if "description" not in spec:
                    undocumented.append(f"{stem}: {name}.{field}")
    assert undocumented == []


def test_sample_plans_validate_against_their_schema() -> None:
    """What an editor with the YAML language server sees: the committed sample is valid."""
    from jsonschema import Draft202012Validator, FormatChecker

    from macros.data.loader import load_file

    for stem in MODELS:
        if not (ROOT / "plans" / f"{stem}.yml").exists():
            continue
        schema = json.loads((ROOT / "schema" / f"{stem}.schema.json").read_text(encoding="utf-8"))
        data = load_file(ROOT / "plans" / f"{stem}.yml").data
        validator = Draft202012Validator(schema, format_checker=FormatChecker())
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
        assert errors == [], f"{stem}: {errors}"


def test_schema_rejects_what_check_rejects(tmp_path) -> None:
    import subprocess
    import sys

    bad = tmp_path / "goals.yml"
    bad.write_text(
        "goals:\n  - id: Mehr Reichweite\n    title: x\n    kpi: y\n    unit: z\n"
        "    owner: a\n    reviewed: 2026-01-01\n    priority: hoch\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--schemafile",
            str(ROOT / "schema" / "goals.schema.json"),
            str(bad),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "'Mehr Reichweite' does not match" in done.stdout
    assert "'hoch' is not one of ['high', 'medium', 'low']" in done.stdout
