"""Custom values in plans/vocabularies.yml: none may repeat a built-in value or another custom one.

Whether a record's value is known is part of the shape check (``macros.data.vocabularies``);
this layer looks at the definitions themselves.
"""

from __future__ import annotations

from ..data.labels import label
from ..data.loader import Document
from ..data.vocabularies import VOCABULARIES, built_in, written_id
from .problems import Problem


def check_vocabularies(doc: Document | None, display: str) -> list[Problem]:
    """A custom value defined twice, or already built in, is an error (``duplicate-value``)."""
    if doc is None or not isinstance(doc.data, dict):
        return []
    problems = []
    for key, vocabulary in VOCABULARIES.items():
        entries = doc.data.get(key)
        seen: dict[str, int] = {}
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            value = written_id(entry.get("id")) if isinstance(entry, dict) else None
            if value is None:
                continue
            loc = (key, index, "id")
            if value in built_in(key):
                shown = label(vocabulary.group, value)
                message = f"'{value}' is already a built-in {vocabulary.what}"
                hint = f"delete this entry: '{value}' can be used as it is (shown as '{shown}')"
            elif value in seen:
                message = f"{vocabulary.what} '{value}' is defined twice"
                hint = f"it is first defined in line {seen[value]}: delete one entry or give it another id"
            else:
                seen[value] = doc.position(loc).line
                continue
            problems.append(Problem.at(doc, display, loc, message, hint, "duplicate-value"))
    return problems
