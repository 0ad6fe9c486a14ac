"""The validated, cross-linked plan: the only thing templates and checks see."""

from __future__ import annotations

import datetime as dt
import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import labels
from . import models as m
from .kinds import MODELS, kind_files
from .memo import ByIdentity
from .today import SettingError as SettingError  # re-exported: the build reports it
from .today import today as today  # re-exported: checks and pages date reviews with it
from .visibility import AUDIENCES as AUDIENCES  # re-exported: who reads a build
from .visibility import allowed_for, shown
from .vocabularies import FILE as VOCABULARIES_FILE
from .vocabularies import VOCABULARIES
from .walk import Definition, walk


@dataclass(frozen=True)
class Origin:
    """Where a record is written: file as displayed, stem, line."""

    file: str
    stem: str
    line: int


class UnknownKind(LookupError):
    """A lookup names a kind of record that no plans file holds (e.g. a typo in a template)."""


@dataclass
class Plan:
    """All plans files, validated, with lookups by id and back-references.

    Made by :meth:`build`; ``records`` holds every kind the plans files can hold (empty when a
    kind has no records), and a lookup of any other kind raises :class:`UnknownKind`.
    """

    files: dict[str, BaseModel]
    ids: dict[str, dict[str, Definition]] = field(default_factory=dict, repr=False)
    plans_dir: Path | None = None  # where the plans were read (the site's history needs git there)
    audience: str = "confidential"  # who reads this build; a plan fresh from check shows everything
    hidden: int = 0  # entries left out for the audience of this build
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    origins: dict[tuple[str, str], Origin] = field(default_factory=dict)
    _parents: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)
    _backrefs: dict[tuple[str, str], list[tuple[str, Any, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    preview: bool = False  # a preview build: drafts are shown (see visibility.allowed_for)

    @classmethod
    def build(
        cls,
        files: dict[str, BaseModel],
        ids: dict[str, dict[str, Definition]],
        *,
        plans_dir: Path | None = None,
        audience: str = "confidential",
        hidden: int = 0,
    ) -> Plan:
        """The plan of validated ``files`` whose ids are defined at ``ids`` (from the check)."""
        records: dict[str, dict[str, Any]] = {kind: {} for kind in kind_files()}
        plan = cls(files, ids, plans_dir, audience, hidden, records)
        walked = {stem: _walked.get((model,), stem, _walk_file, stem, model) for stem, model in files.items()}
        for stem, (held, _) in walked.items():
            for kind, record, parent in held:
                plan.records[kind][record.id] = record
                d = ids[kind][record.id]
                plan.origins[(kind, record.id)] = Origin(d.file, stem, d.line)
                if parent is not None:
                    plan._parents[(kind, record.id)] = parent
        for stem, (_, refs) in walked.items():
            for kinds, value, via, referrer in refs:
                for kind in kinds:
                    if value in plan.records[kind]:
                        plan._backrefs[(kind, value)].append((via, referrer, stem))
                        break
        return plan

    def for_audience(self, audience: str, plans_dir: Path | None = None, preview: bool = False) -> Plan:
        """The plan as readers of ``audience`` may see it (public < internal < confidential).

        ``plans_dir`` is the folder the plans were read from, for a build that shows their git
        history (default: this plan's). Without ``preview``, drafts are left out too.
        """
        allowed = allowed_for(audience, preview)
        left_out: list[int] = []
        files = {}
        for stem, model in self.files.items():
            files[stem], hidden = _shown.get((model,), allowed, _visible_file, model, allowed)
            left_out.extend([1] * hidden)
        ids = {kind: dict(self.ids[kind]) for kind in self.ids}
        folder = plans_dir if plans_dir is not None else self.plans_dir
        plan = Plan.build(files, ids, plans_dir=folder, audience=audience, hidden=len(left_out))
        plan.preview = preview
        return plan

    # -- lookups ------------------------------------------------------------

    def of_kind(self, kind: str) -> dict[str, Any]:
        """Id -> record of one kind; raises UnknownKind for a kind no plans file holds."""
        try:
            return self.records[kind]
        except KeyError:
            close = difflib.get_close_matches(kind, list(self.records), n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise UnknownKind(
                f"unknown kind of record '{kind}'; {hint}known kinds: {', '.join(self.records)}"
            ) from None

    def get(self, kind: str, id: str) -> Any:
        return self.of_kind(kind).get(id)

    def all(self, kind: str) -> list[Any]:
        return list(self.of_kind(kind).values())

    def referrers(self, record: Any, kind: str | None = None, field: str | None = None) -> list[Any]:
        """Records that reference ``record`` (optionally of one kind, via one field)."""
        if kind:
            self.of_kind(kind)  # a kind no file holds is a mistake, not "no referrers"
        out = []
        for via, referrer, _ in self._backrefs[(record.kind, record.id)]:
            if referrer is None or referrer is record:
                continue
            if kind and getattr(referrer, "kind", "") != kind:
                continue
            if field and via != field:
                continue
            if not any(r is referrer for r in out):
                out.append(referrer)
        return out

    def find(self, record_id: str, *kinds: str) -> Any:
        """The record with this id among ``kinds``, or None (unknown or hidden in this build)."""
        for records in [self.of_kind(kind) for kind in kinds]:
            if record_id in records:
                return records[record_id]
        return None

    def resolve(self, ids: list[str], *kinds: str) -> list[Any]:
        """The records these ids name among ``kinds``, in order; ids unknown or hidden are left out."""
        kinds_records = [self.of_kind(kind) for kind in kinds]
        out = []
        for i in ids:
            for records in kinds_records:
                if i in records:
                    out.append(records[i])
                    break
        return out

    def in_force(self, records: list[Any]) -> list[Any]:
        """``records`` without those whose text no longer applies: a superseded record and what
        a superseded record holds (the rules of a superseded guideline topic)."""
        return [r for r in records if not self._superseded(r)]

    def replacement(self, record: Any) -> Any:
        """The record whose text applies instead of ``record`` (its ``approval.replaced_by``, any
        kind that carries approvals), or None: none named, or not in this plan (a draft or a
        narrower audience the build leaves out). ``record`` is read as this plan holds it."""
        approval = getattr(self.get(record.kind, record.id), "approval", None)
        name = approval.replaced_by if approval is not None else None
        if name is None:
            return None
        return next((r for kind in m.APPROVAL_KINDS if (r := self.get(kind, name)) is not None), None)

    def _superseded(self, record: Any) -> bool:
        while record is not None:
            if m.superseded(record):
                return True
            record = self._parents.get((record.kind, record.id))
        return False

    def parent(self, record: Any, kind: str) -> Any:
        """The record of ``kind`` that holds ``record`` (a guideline topic holds its rules)."""
        current = self._parents.get((record.kind, record.id))
        while current is not None and getattr(current, "kind", "") != kind:
            current = self._parents.get((current.kind, current.id))
        if current is None:
            raise LookupError(f"{record.kind} '{record.id}' is not held by a {kind}")
        return current

    def origin(self, record: Any) -> Origin | None:
        return self.origins.get((record.kind, record.id))

    def file(self, stem: str) -> Any:
        return self.files.get(stem)

    @cached_property  # read by every label and duration a page shows
    def custom_labels(self) -> dict[str, dict[str, Any]]:
        """Label group -> {value: German label} of the values defined in vocabularies.yml
        (time units as (singular, plural)), for labels.label() and labels.duration()."""
        found: dict[str, dict[str, Any]] = {}
        model = self.files.get(VOCABULARIES_FILE)
        for key, vocabulary in VOCABULARIES.items():
            for entry in getattr(model, key, None) or []:
                shown = (entry.label, entry.plural) if hasattr(entry, "plural") else entry.label
                found.setdefault(vocabulary.group, {})[entry.id] = shown
        organisation = self.organisation
        people = organisation.company.people if organisation is not None else "employees"
        if people != "employees":  # the built-in audience of everyone, in the organisation's words
            found.setdefault("audience", {})["all_employees"] = f"alle {labels.people(people, 'all')}"
        return found

    # -- sections -----------------------------------------------------------

    @property
    def organisation(self) -> m.OrganisationFile | None:
        return self.files.get("organisation")  # type: ignore[return-value]

    @property
    def strategy(self) -> m.StrategyFile | None:
        return self.files.get("strategy")  # type: ignore[return-value]

    @property
    def analysis(self) -> m.AnalysisFile | None:
        return self.files.get("analysis")  # type: ignore[return-value]

    @property
    def content(self) -> m.ContentFile | None:
        return self.files.get("content")  # type: ignore[return-value]

    @property
    def crisis(self) -> m.CrisisFile | None:
        return self.files.get("crisis")  # type: ignore[return-value]

    @property
    def improvement(self) -> m.ImprovementFile | None:
        return self.files.get("improvement")  # type: ignore[return-value]

    @property
    def onboarding(self) -> m.OnboardingFile | None:
        return self.files.get("onboarding")  # type: ignore[return-value]

    @property
    def goals(self) -> list[m.Goal]:
        return self.all("goal")

    @property
    def target_groups(self) -> list[m.TargetGroup]:
        return self.all("target_group")

    @property
    def channels(self) -> list[m.Channel]:
        return self.all("channel")

    @property
    def roles(self) -> list[m.Role]:
        return self.all("role")

    @property
    def experts(self) -> list[m.Expert]:
        return self.all("expert")

    @property
    def processes(self) -> list[m.Process]:
        return self.all("process")

    @property
    def guidelines(self) -> list[m.GuidelineTopic]:
        return self.all("guideline")

    @property
    def modules(self) -> list[m.Module]:
        return self.all("module")

    @property
    def measures(self) -> list[m.Measure]:
        return self.all("measure")

    @property
    def terms(self) -> list[m.Term]:
        return self.all("term")

    # -- review status ------------------------------------------------------

    @property
    def review_interval(self) -> dt.timedelta:
        days = self.strategy.review_interval_days if self.strategy else 365
        return dt.timedelta(days=days)

    def review_due(self, record: Any) -> dt.date | None:
        """When ``record`` is next to be reviewed; None without a review date, and for a superseded
        text, which nobody keeps current any more."""
        reviewed = getattr(record, "reviewed", None)
        return reviewed + self.review_interval if reviewed and not m.superseded(record) else None

    def is_overdue(self, record: Any) -> bool:
        due = self.review_due(record)
        return due is not None and due < today()


_Walked = tuple[list[tuple[str, Any, Any]], list[tuple[tuple[str, ...], str, str, Any]]]


def _walk_file(stem: str, model: BaseModel) -> _Walked:
    """The records one file holds, as (kind, record, the record that holds it or None), and its
    references, as (kinds, id, field, the record that makes it or the file's model)."""
    held: list[tuple[str, Any, Any]] = []
    refs: dict[tuple, tuple[tuple[str, ...], str, str, Any]] = {}  # once per referrer (by identity)
    stack: list[tuple[tuple, Any]] = []  # the records around the current position
    for what, found in walk(MODELS[stem], model):
        while stack and found.loc[: len(stack[-1][0])] != stack[-1][0]:
            stack.pop()
        if what == "record":
            held.append((found.kinds[0], found.value, stack[-1][1] if stack else None))
            stack.append((found.loc, found.value))
        else:
            referrer = stack[-1][1] if stack else model
            ref = (found.kinds, found.value, found.field, referrer)
            refs.setdefault((*ref[:3], id(referrer)), ref)
    return held, list(refs.values())


# What each file holds and what each file shows an audience, as long as its model is in use
_walked: ByIdentity[_Walked] = ByIdentity()
_shown: ByIdentity[tuple[Any, int]] = ByIdentity()


def _visible_file(model: Any, allowed: frozenset[str]) -> tuple[Any, int]:
    """``_visible`` of one file's model, and how many entries or fields it left out."""
    left_out: list[int] = []
    return _visible(model, allowed, left_out), len(left_out)


def _visible(model: Any, allowed: frozenset[str], left_out: list[int]) -> Any:
    """``model`` without what ``allowed`` does not cover, at any depth: list entries (records and
    other restricted entries) and fields guarded by a ``<field>_visibility``. Only what holds
    something left out is copied; the rest is the same (frozen) object, so what was derived from
    it (the walk of a file) is reused. Appends to ``left_out`` once per entry or field left out
    (nested ones not counted again)."""
    if not isinstance(model, BaseModel):
        return model
    fields, guarded = type(model).model_fields, _guarded(type(model))
    update: dict[str, Any] = {}
    for name in fields:
        value = getattr(model, name)
        if isinstance(value, list) and value and isinstance(value[0], BaseModel):
            kept = [
                i
                for i in value
                if not isinstance(i, m.HIDEABLE) or shown(i.visibility, getattr(i, "approval", None), allowed)
            ]
            left_out.extend([1] * (len(value) - len(kept)))
            items = [_visible(item, allowed, left_out) for item in kept]
            if len(items) != len(value) or any(a is not b for a, b in zip(items, value, strict=True)):
                update[name] = items
        elif isinstance(value, BaseModel):
            inner = _visible(value, allowed, left_out)
            if inner is not value:
                update[name] = inner
        guard = getattr(model, f"{name}_visibility") if name in guarded else None
        if guard is not None and guard not in allowed and value not in (None, []):
            left_out.append(1)
            info = fields[name]
            update[name] = None if info.is_required() else info.get_default(call_default_factory=True)
    return model.model_copy(update=update) if update else model


@cache
def _guarded(model: type[BaseModel]) -> frozenset[str]:
    """The fields of ``model`` that a ``<field>_visibility`` field guards."""
    return frozenset(name for name in model.model_fields if f"{name}_visibility" in model.model_fields)


def owned_records(plan: Plan) -> list[tuple[str, Any]]:
    """(stem, record) for every record or file that carries owner and reviewed."""
    out: list[tuple[str, Any]] = []
    for stem, model in plan.files.items():
        if isinstance(model, m.Maintained):
            out.append((stem, model))
    for kind in plan.records:
        for record in plan.records[kind].values():
            if isinstance(record, m.Owned):
                out.append((plan.origins[(kind, record.id)].stem, record))
    return out
