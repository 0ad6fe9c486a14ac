"""JSON Schema for each plans file, generated from the models (never by hand)."""

from __future__ import annotations

import json
from pathlib import Path

from .kinds import MODELS


def schema_text(stem: str) -> str:
    schema = MODELS[stem].model_json_schema(by_alias=True)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{stem}.schema.json",
        "title": f"plans/{stem}.yml",
        **schema,
    }
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for stem in MODELS:
        path = out / f"{stem}.schema.json"
        path.write_text(schema_text(stem), encoding="utf-8")
        written.append(path)
    return written


def check_schemas(out: Path) -> list[str]:
    """Names of schema files that are missing or differ from the models."""
    stale = []
    for stem in MODELS:
        path = out / f"{stem}.schema.json"
        if not path.exists() or path.read_text(encoding="utf-8") != schema_text(stem):
            stale.append(path.name)
    return stale
