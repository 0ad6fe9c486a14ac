"""The registry: every plans file and every kind of record, each declared once.

A plans file names its model and its titles; a kind of record names its model, its labels, the
field that titles a record, and where the handbook shows it (its own page in a site folder, or an
anchor on a page). Everything else is derived from here: the files ``check`` reads and the schema
it writes, reference targets and did-you-mean tables, page paths, nav sections and anchors, diff
sections. Adding a kind is one ``Kind`` (plus its file, if new) and, for a page kind, a template
``page_<kind>.md``.

A kind's file is not declared: it is the plans file whose model holds the record model.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import models as m
from .walk import record_kinds


@dataclass(frozen=True)
class PlansFile:
    """One file ``plans/<stem>.yml`` and its model."""

    stem: str
    model: type[BaseModel]
    title: str  # German, where the handbook names the whole file (review status, edit links)
    label_en: str  # English section heading of ``handbook diff``
    page: str | None = None  # docs page that shows the file as a whole (its owner and review date)


@dataclass(frozen=True)
class Kind:
    """One kind of record (a target group, a channel, a rule …)."""

    model: type[BaseModel]  # its ``kind`` class attribute is the kind's name
    label_en: str  # in check messages: "target group"
    label: str  # German singular: "Zielgruppe"
    plural: str  # German plural: "Zielgruppen"
    title: str = "name"  # the field that names a record
    folder: str | None = None  # one page per record: ``<folder>/<id>.md``, nav section ``<folder>/index.md``
    page: str | None = None  # or: shown on this docs page, at ``#<anchor>-<id>``
    anchor: str | None = None
    parent: str | None = None  # or: shown on the page of the record (of this kind) that holds it
    templates: Path | None = None  # where its page template lives, when not with the built-in ones

    @property
    def name(self) -> str:
        return self.model.kind  # type: ignore[attr-defined]

    @property
    def file(self) -> str:
        """Stem of the plans file that holds these records."""
        return file_of(self.name)

    @property
    def template(self) -> str:
        return f"page_{self.name}.md"


FILES: dict[str, PlansFile] = {}
"""Plans file stem -> declaration, in the order files are checked and reported."""

KINDS: dict[str, Kind] = {}
"""Kind name -> declaration."""


def declare_file(plans_file: PlansFile) -> PlansFile:
    FILES[plans_file.stem] = plans_file
    return plans_file


def declare(kind: Kind) -> Kind:
    if not getattr(kind.model, "kind", ""):
        raise ValueError(f"{kind.model.__name__} has no 'kind' class attribute")
    KINDS[kind.name] = kind
    return kind


@contextmanager
def scoped() -> Iterator[None]:
    """Declarations made inside are undone on exit (tests register toy kinds with it)."""
    files, kinds = dict(FILES), dict(KINDS)
    try:
        yield
    finally:
        FILES.clear()
        FILES.update(files)
        KINDS.clear()
        KINDS.update(kinds)


TEMPLATES = Path(__file__).resolve().parent.parent / "site" / "templates"
"""The built-in Jinja templates, one ``page_<kind>.md`` per page kind (rendered by the site, read
as text by the clash check)."""


# --- derived ---------------------------------------------------------------------------------


class _Models(Mapping[str, type[BaseModel]]):
    """Plans file stem -> its model, always as currently declared."""

    def __getitem__(self, stem: str) -> type[BaseModel]:
        return FILES[stem].model

    def __iter__(self) -> Iterator[str]:
        return iter(FILES)

    def __len__(self) -> int:
        return len(FILES)


MODELS: Mapping[str, type[BaseModel]] = _Models()
"""Plans file stem -> its model, in declaration order."""


def template_dirs() -> list[Path]:
    """Where page templates are looked up: the built-in folder, then the declared kinds' own."""
    extra = [k.templates for k in KINDS.values() if k.templates is not None]
    return [TEMPLATES, *dict.fromkeys(extra)]


def kind_files() -> dict[str, str]:
    """Kind name -> stem of the (first) plans file whose model holds such records."""
    key = tuple((stem, f.model) for stem, f in FILES.items())
    if _kind_files[0] != key:
        found: dict[str, str] = {}
        for stem, f in FILES.items():
            for name in record_kinds(f.model):
                found.setdefault(name, stem)
        _kind_files[:] = [key, found]
    return _kind_files[1]


_kind_files: list = [(), {}]


def file_of(kind: str) -> str:
    try:
        return kind_files()[kind]
    except KeyError:
        raise LookupError(f"no plans file holds records of kind '{kind}'") from None


def kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        close = difflib.get_close_matches(name, list(KINDS), n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise LookupError(f"unknown kind of record '{name}'; {hint}known kinds: {', '.join(KINDS)}") from None


def label_en(name: str) -> str:
    return kind(name).label_en


def german(name: str, plural: bool = False) -> str:
    k = kind(name)
    return k.plural if plural else k.label


def page_kinds() -> list[Kind]:
    """Kinds with one generated page per record, in declaration order."""
    return [k for k in KINDS.values() if k.folder]


def kind_of_page(src_uri: str) -> tuple[Kind, str] | None:
    """(kind, id) of a generated page's docs path such as ``zielgruppen/<id>.md``."""
    folder, _, name = src_uri.partition("/")
    if not name.endswith(".md") or "/" in name:
        return None
    for k in page_kinds():
        if k.folder == folder:
            return k, name[:-3]
    return None


def page_path(kind_name: str, record_id: str) -> str:
    """Docs-relative path of a record's generated page, e.g. ``zielgruppen/<id>.md``."""
    folder = kind(kind_name).folder
    if folder is None:
        raise LookupError(f"records of kind '{kind_name}' have no page of their own")
    return f"{folder}/{record_id}.md"


def anchor_kinds() -> list[Kind]:
    """Kinds shown at an anchor on a fixed page."""
    return [k for k in KINDS.values() if k.page and k.anchor]


def title(record: Any) -> str:
    """What a record is called: its kind's title field, else its id."""
    k = KINDS.get(getattr(record, "kind", ""))
    value = getattr(record, k.title if k else "name", None)
    return value if isinstance(value, str) and value else record.id


def title_of_data(kind_name: str, data: Any) -> str:
    """The same for raw data (a mapping as read from YAML), e.g. in the diff of a broken file."""
    if not isinstance(data, dict):
        return ""
    k = KINDS.get(kind_name)
    value = data.get(k.title if k else "name")
    return value if isinstance(value, str) else ""


# --- the declarations ------------------------------------------------------------------------

for _file in [
    PlansFile(
        "organisation",
        m.OrganisationFile,
        "Organisation und Verantwortung",
        "Organisation",
        "organisation.md",
    ),
    PlansFile("roles", m.RolesFile, "Rollen", "Roles"),
    PlansFile("experts", m.ExpertsFile, "Experten", "Experts"),
    PlansFile("strategy", m.StrategyFile, "Strategie", "Strategy", "strategie.md"),
    PlansFile("goals", m.GoalsFile, "Ziele", "Goals"),
    PlansFile("target-groups", m.TargetGroupsFile, "Zielgruppen", "Target groups"),
    PlansFile("channels", m.ChannelsFile, "Kanäle", "Channels"),
    PlansFile("analysis", m.AnalysisFile, "Ist-Analyse", "As-is analysis", "analyse.md"),
    PlansFile("processes", m.ProcessesFile, "Prozesse", "Processes"),
    PlansFile("guidelines", m.GuidelinesFile, "Richtlinien", "Guidelines"),
    PlansFile("training", m.TrainingFile, "Schulungen", "Training"),
    PlansFile("onboarding", m.OnboardingFile, "Onboarding-Plan", "Onboarding", "schulungen/onboarding.md"),
    PlansFile("actions", m.ActionsFile, "Maßnahmenplan", "Action plan"),
    PlansFile("content", m.ContentFile, "Content-Marketing", "Content marketing", "content-marketing.md"),
    PlansFile("crisis", m.CrisisFile, "Krisenmanagement", "Crisis management", "krisenmanagement.md"),
    PlansFile(
        "improvement",
        m.ImprovementFile,
        "Kontinuierliche Verbesserung",
        "Continuous improvement",
        "verbesserung.md",
    ),
    PlansFile("glossary", m.GlossaryFile, "Glossar", "Glossary"),
    PlansFile("vocabularies", m.VocabulariesFile, "Begriffe und Auswahllisten", "Vocabularies"),
]:
    declare_file(_file)

for _kind in [
    Kind(m.Role, "role", "Rolle", "Rollen", page="organisation.md", anchor="rolle"),
    Kind(m.Expert, "expert", "Experte", "Experten", page="organisation.md", anchor="experte"),
    Kind(m.Goal, "goal", "Ziel", "Ziele", "title", page="ziele.md", anchor="ziel"),
    Kind(m.TargetGroup, "target group", "Zielgruppe", "Zielgruppen", folder="zielgruppen"),
    Kind(m.Channel, "channel", "Kanal", "Kanäle", folder="kanaele"),
    Kind(
        m.SwotEntry,
        "analysis entry",
        "Analyse-Eintrag",
        "Analyse-Einträge",
        "statement",
        page="analyse.md",
        anchor="swot",
    ),
    Kind(
        m.ListeningInsight,
        "listening insight",
        "Listening-Erkenntnis",
        "Listening-Erkenntnisse",
        "insight",
        page="analyse.md",
        anchor="insight",
    ),
    Kind(m.Process, "process", "Prozess", "Prozesse", folder="prozesse"),
    Kind(m.Module, "training module", "Schulungsmodul", "Schulungsmodule", "title", folder="schulungen"),
    Kind(m.GuidelineTopic, "guideline topic", "Richtlinie", "Richtlinien", "title", folder="richtlinien"),
    Kind(m.Rule, "guideline rule", "Regel", "Regeln", "title", anchor="regel", parent="guideline"),
    Kind(m.Measure, "measure", "Maßnahme", "Maßnahmen", "title", page="massnahmen.md", anchor="massnahme"),
    Kind(
        m.Pillar,
        "content pillar",
        "Content-Säule",
        "Content-Säulen",
        page="content-marketing.md",
        anchor="saeule",
    ),
    Kind(m.Format, "content format", "Format", "Formate", page="content-marketing.md", anchor="format"),
    Kind(m.RhythmSlot, "editorial slot", "Rubrik", "Rubriken", "title"),
    Kind(
        m.CrisisLevel,
        "crisis level",
        "Krisenstufe",
        "Krisenstufen",
        page="krisenmanagement.md",
        anchor="stufe",
    ),
    Kind(
        m.ResponseTemplate,
        "response template",
        "Antwortvorlage",
        "Antwortvorlagen",
        "title",
        page="krisenmanagement.md",
        anchor="vorlage",
    ),
    Kind(m.Review, "review", "Review", "Reviews", page="verbesserung.md", anchor="review"),
    Kind(
        m.LogEntry, "log entry", "Log-Eintrag", "Log-Einträge", "title", page="verbesserung.md", anchor="log"
    ),
    Kind(
        m.Term,
        "glossary term",
        "Glossarbegriff",
        "Glossarbegriffe",
        "term",
        page="glossar.md",
        anchor="begriff",
    ),
]:
    declare(_kind)
