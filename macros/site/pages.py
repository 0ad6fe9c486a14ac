"""Which pages are generated from plans/, and where they live (stable URLs)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Section:
    """A kind of record that gets one page per record."""

    kind: str
    folder: str  # docs-relative folder, also the URL prefix
    stem: str  # plans file it comes from
    title_field: str
    label: str  # German label, singular


SECTIONS: dict[str, Section] = {
    s.kind: s
    for s in [
        Section("target_group", "zielgruppen", "target-groups", "name", "Zielgruppe"),
        Section("channel", "kanaele", "channels", "name", "Kanal"),
        Section("process", "prozesse", "processes", "name", "Prozess"),
        Section("module", "schulungen", "training", "title", "Schulungsmodul"),
        Section("guideline", "richtlinien", "guidelines", "title", "Richtlinie"),
    ]
}


def page_path(kind: str, record_id: str) -> str:
    """Docs-relative path of a record's generated page, e.g. 'zielgruppen/installateure.md'."""
    return f"{SECTIONS[kind].folder}/{record_id}.md"


def record_title(record: Any) -> str:
    section = SECTIONS.get(record.kind)
    field = section.title_field if section else "name"
    for name in (field, "name", "title", "term"):
        value = getattr(record, name, None)
        if isinstance(value, str):
            return value
    return record.id


def page_source(kind: str, record_id: str) -> str:
    """The Markdown source of a generated page: one macro call, no data text.

    The id is validated (lowercase, digits, hyphens), so no YAML text ever
    reaches Jinja as template source.
    """
    return f'{{{{ record_page("{kind}", "{record_id}") }}}}\n'


# Where records without their own page are shown: page and anchor prefix.
ANCHORS: dict[str, tuple[str, str]] = {
    "goal": ("ziele.md", "ziel"),
    "role": ("organisation.md", "rolle"),
    "expert": ("organisation.md", "experte"),
    "measure": ("massnahmen.md", "massnahme"),
    "pillar": ("content-marketing.md", "saeule"),
    "format": ("content-marketing.md", "format"),
    "term": ("glossar.md", "begriff"),
    "crisis_level": ("krisenmanagement.md", "stufe"),
    "template": ("krisenmanagement.md", "vorlage"),
    "swot": ("analyse.md", "swot"),
    "insight": ("analyse.md", "insight"),
    "review": ("verbesserung.md", "review"),
    "log_entry": ("verbesserung.md", "log"),
}


# Pages that show a whole plans file (for file-level owner and review date).
FILE_PAGES: dict[str, str] = {
    "organisation": "organisation.md",
    "strategy": "strategie.md",
    "analysis": "analyse.md",
    "content": "content-marketing.md",
    "crisis": "krisenmanagement.md",
    "improvement": "verbesserung.md",
    "onboarding": "schulungen/onboarding.md",
}
FILE_TITLES: dict[str, str] = {
    "organisation": "Organisation und Verantwortung",
    "strategy": "Strategie",
    "analysis": "Ist-Analyse",
    "content": "Content-Marketing",
    "crisis": "Krisenmanagement",
    "improvement": "Kontinuierliche Verbesserung",
    "onboarding": "Onboarding-Plan",
}


TEMPLATES = Path(__file__).parent / "templates"
"""The Jinja fragments (read as text by the clash check, rendered by ``render``)."""
