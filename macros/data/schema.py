"""JSON Schema for each plans file, generated from the models (never by hand)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue

from .kinds import MODELS
from .loader import LoadError, load_file
from .vocabularies import FILE as VOCABULARIES_FILE
from .vocabularies import Custom, custom_values, using

_KEYWORDS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}
"""Pydantic leaves a field's bounds under their Python names when the field may also be empty
(``budget_eur: Number | None = Field(None, ge=0)``); JSON Schema ignores those names."""


def _json_keywords(schema: Any) -> Any:
    if isinstance(schema, list):
        return [_json_keywords(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key in ("properties", "$defs"):  # names, not keywords
            out[key] = {name: _json_keywords(sub) for name, sub in value.items()}
        else:
            out[_KEYWORDS.get(key, key)] = _json_keywords(value)
    return out


class _Generator(GenerateJsonSchema):
    def generate(self, schema: Any, mode: Any = "validation") -> JsonSchemaValue:
        return _json_keywords(super().generate(schema, mode))


def schema_text(stem: str, custom: Custom | None = None) -> str:
    """The schema of ``plans/<stem>.yml``; fields of an extensible vocabulary accept the built-in
    values and the ``custom`` ones (see ``plans_vocabularies``)."""
    with using(custom or {}):
        schema = MODELS[stem].model_json_schema(by_alias=True, schema_generator=_Generator)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{stem}.schema.json",
        "title": f"plans/{stem}.yml",
        **schema,
    }
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def plans_vocabularies(plans: Path) -> Custom:
    """The custom values in ``plans/vocabularies.yml`` (none when the file is missing or cannot be
    read: ``check`` reports why), read as leniently as ``check`` reads them."""
    try:
        data = load_file(plans / f"{VOCABULARIES_FILE}.yml").data
    except (OSError, LoadError):
        return {}
    return custom_values(data)


def _custom(out: Path, plans: Path | None) -> Custom:
    """The vocabularies of ``plans``, by default of the ``plans/`` folder beside ``out``."""
    return plans_vocabularies(plans if plans is not None else out.absolute().parent / "plans")


def write_schemas(out: Path, plans: Path | None = None) -> list[Path]:
    """Write every plans file's schema into ``out``, with the vocabularies of ``plans``."""
    custom = _custom(out, plans)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for stem in MODELS:
        path = out / f"{stem}.schema.json"
        path.write_text(schema_text(stem, custom), encoding="utf-8")
        written.append(path)
    return written


def check_schemas(out: Path, plans: Path | None = None) -> list[str]:
    """Names of schema files that are missing or differ from the models and ``plans``' vocabularies."""
    custom = _custom(out, plans)
    stale = []
    for stem in MODELS:
        path = out / f"{stem}.schema.json"
        if not path.exists() or path.read_text(encoding="utf-8") != schema_text(stem, custom):
            stale.append(path.name)
    return stale
