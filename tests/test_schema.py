"""The committed JSON Schemas match the models, and every plans file points at its schema."""

from __future__ import annotations

import json

from macros.models import FILES
from macros.schema import check_schemas, schema_text

from .conftest import ROOT


def test_committed_schemas_are_up_to_date() -> None:
    assert check_schemas(ROOT / "schema") == [], "run '.venv/bin/handbook schema' and commit schema/"


def test_every_plans_file_starts_with_its_schema_line() -> None:
    for stem in FILES:
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
        "type": "string",
    }


def test_every_field_has_a_description() -> None:
    undocumented = []
    for stem in FILES:
        schema = json.loads(schema_text(stem))
        for name, definition in {**schema.get("$defs", {}), stem: schema}.items():
            for field, spec in definition.get("properties", {}).items():
                if "description" not in spec:
                    undocumented.append(f"{stem}: {name}.{field}")
    assert undocumented == []
