"""Vocabularies an organisation can extend: built-in values plus those in ``plans/vocabularies.yml``.

A field of an extensible vocabulary (a target group's type, the audience of a rule or module, a
goal's category, the unit of a duration) accepts a built-in value or a value the organisation
defined with its German label. Which custom values exist is a property of the plans being
checked, so it is *active* while a plan's files are validated (``using``) and while the JSON
Schema is written: the validator and the schema read the same list, and both accept the same
documents (tests/test_schema_agreement.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BeforeValidator, GetJsonSchemaHandler
from pydantic_core import PydanticCustomError

from .labels import LABELS


@dataclass(frozen=True)
class Vocabulary:
    """One extensible vocabulary: its key in vocabularies.yml and the label group of its values."""

    key: str  # list in plans/vocabularies.yml, e.g. 'target_group_kinds'
    group: str  # label group in labels.LABELS, e.g. 'group_kind'
    what: str  # English, for messages: 'target group type'


VOCABULARIES: dict[str, Vocabulary] = {
    v.key: v
    for v in [
        Vocabulary("target_group_kinds", "group_kind", "target group type"),
        Vocabulary("audiences", "audience", "audience"),
        Vocabulary("goal_categories", "goal_category", "goal category"),
        Vocabulary("time_units", "unit", "time unit"),
    ]
}
"""Key in vocabularies.yml -> vocabulary."""

FILE = "vocabularies"
"""Stem of the plans file that defines custom values."""

Custom = Mapping[str, Mapping[str, Any]]
"""Vocabulary key -> {custom id: its label (text, or (singular, plural) for time units)}."""


def built_in(key: str) -> list[str]:
    """The built-in values of a vocabulary, in their order."""
    return list(LABELS[VOCABULARIES[key].group])


_ACTIVE: ContextVar[Custom | None] = ContextVar("vocabularies", default=None)


def active() -> Custom:
    """The custom values in force (none unless inside ``using``)."""
    return _ACTIVE.get() or {}


@contextmanager
def using(custom: Custom) -> Iterator[None]:
    """Validate and write schemas with ``custom`` values accepted besides the built-in ones."""
    token = _ACTIVE.set(custom)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def allowed(key: str) -> list[str]:
    """Built-in values, then the active custom ones."""
    return [*built_in(key), *(v for v in active().get(key, {}) if v not in LABELS[VOCABULARIES[key].group])]


_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # fields.ID_PATTERN (fields imports this module)


def written_id(value: Any) -> str | None:
    """The id of a custom value as the Id field reads it (an unquoted whole number is its digits),
    or None when it is no usable id."""
    whole = isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer()
    if whole and value >= 0:
        value = str(int(value))
    if not isinstance(value, str) or not _ID.fullmatch(value.strip()) or len(value.strip()) > 64:
        return None
    return value.strip()


def custom_values(data: Any) -> dict[str, dict[str, Any]]:
    """The custom values defined in the raw data of vocabularies.yml, read leniently: an entry
    counts once its id is usable, even when its labels are broken (the shape check of the file
    reports those), so that one slip there does not turn every use elsewhere into an error."""
    found: dict[str, dict[str, Any]] = {}
    if not isinstance(data, dict):
        return found
    for key in VOCABULARIES:
        entries = data.get(key)
        values: dict[str, Any] = {}
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict):
                continue
            value = written_id(entry.get("id"))
            if value is None:
                continue
            singular, plural = entry.get("label"), entry.get("plural")
            shown = singular if isinstance(singular, str) else value
            if key == "time_units":
                values.setdefault(value, (shown, plural if isinstance(plural, str) else shown))
            else:
                values.setdefault(value, shown)
        if values:
            found[key] = values
    return found


@dataclass(frozen=True, eq=False)  # hashable by identity: Annotated hashes its metadata
class Choice:
    """Marks a field as taking a value of the vocabulary ``key``; writes its JSON Schema enum."""

    key: str

    def __get_pydantic_json_schema__(self, schema: Any, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        return {**handler(schema), "enum": allowed(self.key), "type": "string"}


def choice(key: str) -> Any:
    """A field whose value is a built-in or custom value of the vocabulary ``key``."""

    def validate(value: Any) -> Any:
        if isinstance(value, str) and value in allowed(key):
            return value
        raise PydanticCustomError(
            "vocabulary_value",
            "'{value}' is not a known {what}",
            {"value": str(getattr(value, "text", value)), "vocabulary": key, "what": VOCABULARIES[key].what},
        )

    return Annotated[str, BeforeValidator(validate), Choice(key)]
