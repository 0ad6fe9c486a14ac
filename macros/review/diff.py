"""Semantic diff of two versions of plans/: records added, removed, renamed and
changed field by field, references by name, owners named, method warnings
that appear or disappear. Works on the raw data, so a broken file still diffs."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from ..checks.check import check_documents, load_document
from ..checks.problems import json_text, visible
from ..data import kinds as registry
from ..data import labels as german_labels
from ..data.field_labels import field_label, model_at, path_label, value_group
from ..data.fields import ID_PATTERN
from ..data.files import read_texts
from ..data.kinds import MODELS
from ..data.loader import Document, LoadError, SourceFloat, SourceInt
from ..data.memo import ByIdentity
from ..data.walk import Shape, fields_of, walk
from .codeowners import codeowners_text, owners_for


@dataclass
class FieldChange:
    """A field that differs between the versions: its value (``old`` → ``new``), or the items
    of a list that were ``removed`` and ``added`` (or, with neither, only ``reordered``)."""

    field: str
    old: str = ""
    new: str = ""
    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    joiner: str = ", "  # between the items of one line (" | " between whole entries of a list)
    reordered: bool = False
    label: str = ""  # the field as readers name it (macros.data.field_labels): 'Zielwert'
    brief: str = ""  # the same without list numbers, for one-line summaries: 'Schritte › Zweck'
    values: str = ""  # group of its values' German labels in labels.LABELS ('priority'), if any
    german: dict[str, str] = field(default_factory=dict, repr=False)  # an entry's text -> its German

    def with_labels(self) -> FieldChange:
        """A copy whose values are their German labels ('high' -> 'hoch'), where the field has them."""
        if not self.values and not self.german:
            return self

        def de(value: str) -> str:
            if value in self.german:
                return self.german[value]
            if self.values and value in german_labels.LABELS[self.values]:
                return german_labels.label(self.values, value)
            return value

        return replace(
            self,
            old=de(self.old),
            new=de(self.new),
            removed=[de(v) for v in self.removed],
            added=[de(v) for v in self.added],
        )

    @property
    def items(self) -> bool:
        """Whether the change is about the items of a list."""
        return bool(self.removed or self.added)

    def item_texts(self, lang: str = "en") -> tuple[str, str]:
        """The removed and the added items, one text each: 'removed: a, b', 'added: c' ('' for none);
        in German 'entfernt: a, b', 'neu: c'."""
        removed, added = ("entfernt", "neu") if lang == "de" else ("removed", "added")
        return (
            f"{removed}: {self.joiner.join(self.removed)}" if self.removed else "",
            f"{added}: {self.joiner.join(self.added)}" if self.added else "",
        )

    def as_json(self) -> dict[str, str]:
        """``{field, old, new}`` as the JSON report has it: the items of a list as their
        ``item_texts``; an order change as '(order)' → 'reordered'."""
        if self.reordered:
            old, new = "(order)", "reordered"
        else:
            old, new = self.item_texts() if self.items else (self.old, self.new)
        return {"field": self.field, "label": self.label or self.field, "old": old, "new": new}


@dataclass
class RecordChange:
    change: str  # added | removed | changed | renamed
    kind: str  # record kind, or "file" for file-level fields
    id: str
    title: str
    owner: str
    old_id: str = ""
    fields: list[FieldChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    notes_de: list[str] = field(default_factory=list)  # the same notes in German
    pages: list[str] = field(default_factory=list)  # site paths that show it ('zielgruppen/makers/')
    gone: list[str] = field(default_factory=list)  # site paths that no longer show it (removed, renamed)


@dataclass
class SectionDiff:
    file: str
    label: str
    changes: list[RecordChange] = field(default_factory=list)


@dataclass
class PlanDiff:
    base: str
    head: str
    sections: list[SectionDiff] = field(default_factory=list)
    warnings_added: list[str] = field(default_factory=list)
    warnings_removed: list[str] = field(default_factory=list)
    head_errors: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # files not compared, with the reason
    warnings_compared: bool = True
    approvers: list[str] = field(default_factory=list)  # CODEOWNERS handles of the changed files
    approvers_known: bool = True  # False when neither version could be checked without errors

    @property
    def count(self) -> int:
        return sum(len(s.changes) for s in self.sections)

    def owners(self) -> list[str]:
        seen: list[str] = []
        for section in self.sections:
            for change in section.changes:
                if change.owner and change.owner not in seen:
                    seen.append(change.owner)
        return seen

    def pages(self) -> list[str]:
        """Every site path a change shows on, in the order of the changes, each once."""
        return list(dict.fromkeys(p for s in self.sections for c in s.changes for p in c.pages))

    def gone(self) -> list[str]:
        """Site paths (pages or anchors) that the new version no longer has."""
        shown = set(self.pages())
        found = (p for s in self.sections for c in s.changes for p in c.gone if p not in shown)
        return list(dict.fromkeys(found))


# --- snapshots of one version -------------------------------------------------


@dataclass(frozen=True)
class _Record:
    kind: str
    id: str
    stem: str
    data: dict
    model: Any
    owner: str | None
    parent: tuple[str, str] | None = None  # (kind, id) of the record that holds this one


@dataclass
class Snapshot:
    """One version of plans/: raw data per file, records by kind and id, problems."""

    texts: dict[str, str]
    data: dict[str, Any] = field(default_factory=dict)
    records: dict[str, dict[str, _Record]] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)
    unreadable_stems: set[str] = field(default_factory=set)
    warnings: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)
    plan: Any = None  # the validated Plan, when the version checks without errors
    plans: str = "plans"

    @classmethod
    def load(cls, texts: dict[str, str], plans: str = "plans", method: bool = True) -> Snapshot:
        snap = cls(texts, plans=plans)
        for name, text in sorted(texts.items()):
            stem = name.rsplit(".", 1)[0]
            if stem not in MODELS:
                continue
            try:  # as read_texts gives it to the check: a file unchanged between versions is parsed once
                doc = load_document(text.encode("utf-8", "surrogatepass"), Path(f"{plans}/{name}"))
            except LoadError as exc:
                where = f"{exc.position.line}:{exc.position.column}"
                snap.unreadable.append(f"{plans}/{name}:{where}: {exc.message}")
                snap.unreadable_stems.add(stem)
                continue
            if not isinstance(doc.data, dict):
                snap.unreadable.append(f"{plans}/{name}: not a mapping of records")
                snap.unreadable_stems.add(stem)
                continue
            snap._index(stem, doc.data)
        if method:
            snap._problems(plans)
        return snap

    @classmethod
    def of_documents(cls, documents: dict[str, Document], plans: str = "plans") -> Snapshot:
        """The version a check has loaded already (its documents by stem): records only, without
        reading or parsing the files again."""
        snap = cls({}, plans=plans)
        for stem, doc in sorted(documents.items()):
            if stem in MODELS and isinstance(doc.data, dict):
                snap._index(stem, doc.data)
        return snap

    def filtered(self, keep: Callable[[str, dict], dict]) -> Snapshot:
        """A copy whose data per file is ``keep(stem, data)`` (e.g. what one audience may see)."""
        snap = Snapshot(self.texts, unreadable=self.unreadable, unreadable_stems=self.unreadable_stems)
        for stem, data in self.data.items():
            snap._index(stem, keep(stem, data))
        return snap

    def _index(self, stem: str, data: dict) -> None:
        """Keep the data of one file and index its records (with their owner, inherited)."""
        self.data[stem] = data
        for record in _indexed.get((data,), stem, _records_in, stem, data):
            self.records.setdefault(record.kind, {}).setdefault(record.id, record)

    def _problems(self, plans: str) -> None:
        """Check this version in memory, as ``handbook check`` would: its errors and warnings."""
        result = check_documents(read_texts(self.texts, plans))
        self.plan = result.plan
        for p in result.problems:
            if p.severity == "warning":
                self.warnings.add(f"{p.message} ({p.file.removeprefix(f'{plans}/')})")
            else:
                self.errors.append(f"{p.file}:{p.line}:{p.column}: {p.path}: {p.message}")

    def name(self, kind: str, rid: str) -> str | None:
        record = self.records.get(kind, {}).get(rid)
        if record is None:
            return None
        return registry.title_of_data(kind, record.data) or None


# What snapshots share: a file's records by its data (the history compares many commits, which
# mostly hold the same files; their documents are shared by load_document)
_indexed: ByIdentity[list[_Record]] = ByIdentity()


def _records_in(stem: str, data: dict) -> list[_Record]:
    """The records of one file's data, each with its owner (inherited) and parent."""
    records: list[_Record] = []
    file_owner = data.get("owner") if isinstance(data.get("owner"), str) else None
    stack: list[tuple[tuple, str | None, tuple[str, str]]] = []
    for what, found in walk(MODELS[stem], data):
        if what != "record" or not isinstance(found.value.get("id"), str):
            continue
        while stack and found.loc[: len(stack[-1][0])] != stack[-1][0]:
            stack.pop()
        inherited = stack[-1][1] if stack else file_owner
        parent = stack[-1][2] if stack else None
        owner = found.value.get("owner") if isinstance(found.value.get("owner"), str) else inherited
        if found.kinds[0] == "role":
            owner = found.value["id"]  # a role answers for itself (its holders review it)
        kind = found.kinds[0]
        stack.append((found.loc, owner, (kind, found.value["id"])))
        records.append(_Record(kind, found.value["id"], stem, found.value, found.model, owner, parent))
    return records


# --- flattening ---------------------------------------------------------------


def _is_record_shape(shape: Shape | None) -> bool:
    while shape is not None and shape.what == "list":
        shape = shape.item
    return bool(shape and shape.what == "model" and getattr(shape.model, "kind", ""))


def _flatten(model: Any, data: Any, prefix: str, out: dict, refs: dict, lists: dict | None = None) -> None:
    """path -> scalar value, or tuple for a list of scalars; records inside are skipped.

    Lists of mappings (process steps, checklist items) are also kept whole in ``lists``.
    """
    shapes = {key: shape for _, key, shape in fields_of(model)} if model is not None else {}
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        shape = shapes.get(key)
        if _is_record_shape(shape) or key == "id":
            continue
        item_shape = shape.item if shape is not None and shape.what == "list" else shape
        if shape is not None and (shape.what == "ref" or (item_shape and item_shape.what == "ref")):
            refs[path] = (shape if shape.what == "ref" else item_shape).kinds
        if isinstance(value, dict):
            sub_model = shape.model if shape is not None and shape.what == "model" else None
            _flatten(sub_model, value, path, out, refs, lists)
        elif isinstance(value, list):
            if all(not isinstance(v, dict | list) for v in value):
                out[path] = tuple(value)
            else:
                sub = item_shape.model if item_shape is not None and item_shape.what == "model" else None
                if lists is not None:
                    lists[path] = value
                for index, item in enumerate(value):
                    if isinstance(item, dict):
                        _flatten(sub, item, f"{path}[{index}]", out, refs, lists)
                    else:
                        out[f"{path}[{index}]"] = item
        else:
            out[path] = value


def flatten(model: Any, data: dict, lists: dict | None = None) -> tuple[dict[str, Any], dict[str, tuple]]:
    out: dict[str, Any] = {}
    refs: dict[str, tuple[str, ...]] = {}
    _flatten(model, data, "", out, refs, lists)
    return out, refs


def _item_text(item: Any, model: Any = None, german: bool = False) -> str:
    """A list entry in one line: 'phase: prepare; item: Notfallnummern aktuell'; ``german``:
    keys by their label and values by theirs ('Phase: Vorbereiten; Punkt: Notfallnummern aktuell')."""
    if not isinstance(item, dict):
        return _scalar(item)
    parts = []
    for key, value in item.items():
        if isinstance(value, list):
            value = ", ".join(_scalar(v) for v in value if not isinstance(v, dict | list))
        elif isinstance(value, dict):
            value = ", ".join(f"{k} {_scalar(v)}" for k, v in value.items() if not isinstance(v, dict | list))
        elif german and isinstance(value, str):
            group = value_group(model, str(key))
            if group and value in german_labels.LABELS[group]:
                value = german_labels.label(group, value)
        parts.append(f"{field_label(model, str(key)) if german else key}: {_scalar(value)}")
    return _scalar("; ".join(parts))


# --- comparing ----------------------------------------------------------------


def _scalar(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, SourceInt | SourceFloat):
        return value.text
    if isinstance(value, bool):
        return str(value).lower()
    text = " ".join(str(value).split())
    return text if len(text) <= 120 else text[:119] + "…"


class _Namer:
    def __init__(self, base: Snapshot, head: Snapshot):
        self.snaps = (head, base)

    def ref(self, kinds: tuple[str, ...], rid: Any) -> str:
        for snap in self.snaps:
            for kind in kinds:
                name = snap.name(kind, str(rid))
                if name:
                    return f"{name} ({rid})"
        return str(rid)

    def owner(self, rid: Any) -> str:
        if not rid or not isinstance(rid, str):
            return ""  # missing, or written wrongly (a list, a number): the check reports it
        for snap in self.snaps:
            record = snap.records.get("role", {}).get(rid)
            if record is not None:
                name = record.data.get("name", rid)
                holders = record.data.get("holders")
                holders = holders if isinstance(holders, list) else []
                people = ", ".join(str(h) for h in holders if isinstance(h, str))
                return f"{name} ({people})" if people else str(name)
        return rid


Renames = dict[str, dict[str, str]]  # kind -> {old id: new id}


def _follow(value: Any, kinds: tuple[str, ...] | None, renames: Renames, followed: set) -> Any:
    """An old reference as it reads after the renames in this diff."""
    if not kinds or not isinstance(value, str):
        return value
    for kind in kinds:
        new = renames.get(kind, {}).get(value)
        if new is not None:
            followed.add((kind, new))
            return new
    return value


def _field_changes(
    old: dict,
    new: dict,
    namer: _Namer,
    model: Any,
    renames: Renames | None = None,
    followed: set | None = None,
) -> list[FieldChange]:
    renames = renames or {}
    followed = followed if followed is not None else set()
    lists_old: dict[str, list] = {}
    lists_new: dict[str, list] = {}
    flat_old, refs_old = flatten(model, old, lists_old)
    flat_new, refs_new = flatten(model, new, lists_new)
    refs = {**refs_old, **refs_new}
    changes = []
    # A list of mappings that grew or shrank: report whole entries, not shifted indexes.
    resized = {
        p for p in set(lists_old) | set(lists_new) if len(lists_old.get(p, [])) != len(lists_new.get(p, []))
    }
    for path in sorted(resized, key=lambda p: _order(p, flat_old, flat_new)):
        a_items = [_item_text(i) for i in lists_old.get(path, [])]
        b_items = [_item_text(i) for i in lists_new.get(path, [])]
        removed = [i for i in a_items if i not in b_items]
        added = [i for i in b_items if i not in a_items]
        label, brief = path_label(model, path), path_label(model, _unnumbered(path))
        change = FieldChange(path, removed=removed, added=added, joiner=" | ", label=label, brief=brief)
        item_model = model_at(model, path)
        for entry in [*lists_old.get(path, []), *lists_new.get(path, [])]:
            change.german[_item_text(entry)] = _item_text(entry, item_model, german=True)
        changes.append(change)
    hidden = tuple(f"{p}[" for p in resized)
    for path in sorted(set(flat_old) | set(flat_new), key=lambda p: _order(p, flat_old, flat_new)):
        if hidden and path.startswith(hidden):
            continue
        a, b = flat_old.get(path), flat_new.get(path)
        kinds = next((k for p, k in refs.items() if path == p or path.startswith(p + "[")), None)
        if isinstance(a, tuple):
            a = tuple(_follow(v, kinds, renames, followed) for v in a)
        else:
            a = _follow(a, kinds, renames, followed)
        if a == b and type(a) is type(b):
            continue

        def show(value: Any, kinds: tuple[str, ...] | None = kinds) -> str:
            if kinds and value is not None:
                return namer.ref(kinds, value)
            return _scalar(value)

        label, brief = path_label(model, path), path_label(model, _unnumbered(path))
        group = "" if kinds else value_group(model, path)
        if isinstance(a, tuple) or isinstance(b, tuple):
            a_items, b_items = _items(a), _items(b)  # a scalar may have become a list, or back
            added = [show(v) for v in b_items if v not in a_items]
            removed = [show(v) for v in a_items if v not in b_items]
            reordered = not (added or removed)
            changes.append(
                FieldChange(
                    path,
                    removed=removed,
                    added=added,
                    reordered=reordered,
                    label=label,
                    brief=brief,
                    values=group,
                )
            )
        elif isinstance(a, str) and isinstance(b, str) and not kinds:
            changes.append(FieldChange(path, *_excerpts(a, b), label=label, brief=brief, values=group))
        else:
            changes.append(FieldChange(path, show(a), show(b), label=label, brief=brief, values=group))
    return changes


def _unnumbered(path: str) -> str:
    """A field path without its list indexes: 'steps[0].consulted' -> 'steps.consulted'."""
    return re.sub(r"\[\d+\]", "", path)


def _items(value: Any) -> list:
    if isinstance(value, tuple):
        return list(value)
    return [] if value is None else [value]


def _excerpts(old: str, new: str, limit: int = 120, context: int = 30) -> tuple[str, str]:
    """Both texts in full when short; otherwise the part that differs, with some context."""
    a, b = " ".join(old.split()), " ".join(new.split())
    if len(a) <= limit and len(b) <= limit:
        return a, b
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(a), len(b)) - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    start = max(0, prefix - context)
    if start:
        space = a.rfind(" ", 0, start + 1)
        start = space + 1 if space > 0 else start

    def cut(text: str) -> str:
        end = len(text) - max(0, suffix - context)
        if end < len(text):
            space = text.find(" ", end)
            end = space if space != -1 else len(text)
        piece = text[start:end]
        if len(piece) > 2 * limit:
            piece = piece[: 2 * limit].rstrip() + " …"
        return ("… " if start else "") + piece + (" …" if end < len(text) else "")

    return cut(a), cut(b)


def _order(path: str, *flats: dict) -> tuple[int, str]:
    for flat in flats:
        keys = list(flat)
        if path in keys:
            return (keys.index(path), path)
    return (10_000, path)


def _similarity(a: dict, b: dict, model: Any) -> float:
    fa, _ = flatten(model, a)
    fb, _ = flatten(model, b)
    keys = set(fa) | set(fb)
    if not keys:
        return 0.0
    same = sum(1 for k in keys if fa.get(k) == fb.get(k))
    return same / len(keys)


def diff(base: Snapshot, head: Snapshot, base_label: str, head_label: str) -> PlanDiff:
    namer = _Namer(base, head)
    result = PlanDiff(base_label, head_label)
    # A file that cannot be read on either side is not compared: its records are not "removed".
    blind = base.unreadable_stems | head.unreadable_stems
    result.unreadable = [f"new version: {u}" for u in head.unreadable] + [
        f"old version: {u}" for u in base.unreadable
    ]
    sections: dict[str, SectionDiff] = {}

    def section(stem: str) -> SectionDiff:
        if stem not in sections:
            sections[stem] = SectionDiff(f"{stem}.yml", registry.FILES[stem].label_en)
        return sections[stem]

    # file-level fields (strategy, organisation, …)
    for stem in MODELS:
        if stem in blind:
            continue
        old, new = base.data.get(stem, {}), head.data.get(stem, {})
        if old is new:  # the same file in both versions (snapshots share what did not change)
            continue
        fields = _field_changes(old, new, namer, MODELS[stem])
        if fields:
            owner = new.get("owner") or old.get("owner")
            change = RecordChange("changed", "file", stem, f"{stem}.yml", namer.owner(owner), fields=fields)
            page = registry.FILES[stem].page
            change.pages = [site_path(page)] if page else []
            section(stem).changes.append(change)

    # Per kind: the records on each side, and which ids were removed and added. Renames are
    # found first (for every kind), so that changed references can follow them.
    compared: dict[str, tuple[dict[str, _Record], dict[str, _Record], list[str], list[str]]] = {}
    renames: Renames = {}
    for kind in dict.fromkeys([*base.records, *head.records]):
        old_records = {i: r for i, r in base.records.get(kind, {}).items() if r.stem not in blind}
        new_records = {i: r for i, r in head.records.get(kind, {}).items() if r.stem not in blind}
        removed = [i for i in old_records if i not in new_records]
        added = [i for i in new_records if i not in old_records]
        for rid in list(removed):
            old = old_records[rid]
            similar = {a: _similarity(old.data, new_records[a].data, old.model) for a in added}
            best = max(added, key=similar.__getitem__, default=None)
            if best is not None and similar[best] >= 0.5:
                renames.setdefault(kind, {})[rid] = best
                removed.remove(rid)
                added.remove(best)
        compared[kind] = (old_records, new_records, removed, added)

    followers: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for kind, (old_records, new_records, removed, added) in compared.items():
        for rid, rec in new_records.items():
            if rid in old_records:
                if old_records[rid].data is rec.data:
                    continue
                followed: set[tuple[str, str]] = set()
                fields = _field_changes(old_records[rid].data, rec.data, namer, rec.model, renames, followed)
                for target in followed:
                    followers.setdefault(target, []).append((kind, _title(rec)))
                if fields:
                    section(rec.stem).changes.append(_change("changed", rec, namer, fields))
        for old_id, new_id in renames.get(kind, {}).items():
            rec = new_records[new_id]
            fields = _field_changes(old_records[old_id].data, rec.data, namer, rec.model, renames)
            section(rec.stem).changes.append(_change("renamed", rec, namer, fields, old_id))
        for rid in added:
            rec = new_records[rid]
            section(rec.stem).changes.append(_change("added", rec, namer))
        for rid in removed:
            rec = old_records[rid]
            section(rec.stem).changes.append(_change("removed", rec, namer))
    for s_ in sections.values():
        for c in s_.changes:
            if c.change == "renamed" and (c.kind, c.id) in followers:
                c.notes.append(_follow_note(followers[(c.kind, c.id)]))
                c.notes_de.append(_follow_note(followers[(c.kind, c.id)], "de"))

    order = list(MODELS)
    result.sections = [sections[s] for s in sorted(sections, key=order.index)]
    # Method checks run only on error-free plans: compare warnings only when both sides ran them.
    result.warnings_compared = not base.errors and not head.errors
    if result.warnings_compared:
        result.warnings_added = sorted(head.warnings - base.warnings)
        result.warnings_removed = sorted(base.warnings - head.warnings)
    result.head_errors = head.errors
    result.approvers, result.approvers_known = _approvers(base, head, [s.file for s in result.sections])
    return result


def _approvers(base: Snapshot, head: Snapshot, files: list[str]) -> tuple[list[str], bool]:
    """The CODEOWNERS handles that must approve a change of these files: CODEOWNERS as
    ``handbook codeowners`` derives it from the owners of the base version (the rules that apply
    to a pull request are the target branch's), else of the new version."""
    plan = base.plan if base.plan is not None else head.plan
    if plan is None:
        return [], not files
    snap = base if base.plan is not None else head
    text = codeowners_text(plan, snap.plans)
    handles: list[str] = []
    for name in files:
        for handle in owners_for(text, f"{snap.plans}/{name}"):
            if handle not in handles:
                handles.append(handle)
    return handles, True


def site_path(docs_path: str) -> str:
    """Where a docs page is in the built site (directory URLs): 'ziele.md' -> 'ziele/',
    'zielgruppen/index.md' -> 'zielgruppen/', 'index.md' -> './'."""
    stem = docs_path.removesuffix(".md")
    if stem == "index":
        return "./"
    return stem.removesuffix("index") if stem.endswith("/index") else f"{stem}/"


def record_pages(
    kind: str, rid: str, parent: tuple[str, str] | None = None, listed: bool = False
) -> list[str]:
    """The site paths that show a record: its own page (and, when ``listed`` changed, such as its
    title or its being there at all, the overview page of its kind), or its anchor on the page
    that shows its kind or on its parent record's page; a kind without either is shown on its
    plans file's page. Mirrors ``macros.site.render.Renderer.target``."""
    k = registry.KINDS.get(kind)
    if k is None or not re.fullmatch(ID_PATTERN, rid):  # an invalid id has no page (check reports it)
        return []
    if k.folder:
        return [f"{k.folder}/{rid}/", f"{k.folder}/"] if listed else [f"{k.folder}/{rid}/"]
    if k.parent and k.anchor:
        if parent is None or parent[0] != k.parent:
            return []
        holder = record_pages(*parent)
        return [f"{holder[0].partition('#')[0]}#{k.anchor}-{rid}"] if holder else []
    if k.page and k.anchor:
        return [f"{site_path(k.page)}#{k.anchor}-{rid}"]
    page = registry.FILES[k.file].page
    return [site_path(page)] if page else []


def _follow_note(referrers: list[tuple[str, str]], lang: str = "en") -> str:
    """'references follow the new id in 2 records: goal “A”, measure “B”' (counted when many);
    in German 'Verweise folgen der neuen Kennung in 2 Einträgen: Ziel „A“, Maßnahme „B“'."""
    counts = Counter(kind for kind, _ in referrers)  # by kind, in the order first met
    if lang == "de":
        n = len(referrers)
        where = "1 Eintrag" if n == 1 else f"{n} Einträgen"
        if n <= 8:
            listed = ", ".join(f"{registry.german(k)} „{t}“" for k, t in referrers)
            return f"Verweise folgen der neuen Kennung in {where}: {listed}"
        listed = ", ".join(f"{c} × {registry.german(k, plural=c != 1)}" for k, c in counts.items())
        return f"Verweise folgen der neuen Kennung in {where} ({listed})"
    if len(referrers) <= 8:
        listed = ", ".join(f"{registry.label_en(k)} “{t}”" for k, t in referrers)
        return f"references follow the new id in {len(referrers)} record(s): {listed}"
    counted = ", ".join(f"{n} × {registry.label_en(k)}" for k, n in counts.items())
    return f"references follow the new id in {len(referrers)} records ({counted})"


def _change(
    change: str, rec: _Record, namer: _Namer, fields: list[FieldChange] | None = None, old_id: str = ""
) -> RecordChange:
    title = _title(rec)
    result = RecordChange(change, rec.kind, rec.id, title, namer.owner(rec.owner), old_id, fields or [])
    title_field = registry.KINDS[rec.kind].title if rec.kind in registry.KINDS else "name"
    listed = change != "changed" or any(f.field == title_field for f in result.fields)
    result.pages = record_pages(rec.kind, rec.id, rec.parent, listed)
    if change == "removed":
        result.pages, result.gone = [], result.pages
    elif change == "renamed":
        result.gone = [p for p in record_pages(rec.kind, old_id, rec.parent) if p not in result.pages]
    return result


def _title(rec: _Record) -> str:
    title = registry.title_of_data(rec.kind, rec.data)
    return _scalar(title) if title else rec.id


# --- output -------------------------------------------------------------------

# Every data value reaches the comment through _t (or _code/_span, which fall back to it). The
# comment is read on GitHub and GitLab: CommonMark plus GFM extensions, then filters that work on
# the rendered text (mentions, issue and merge-request references, emoji).
_ENTITIES = frozenset("&<>`[]@*_|#~\\!$")  # HTML, links/images, code, emphasis, tables, headings, math
_REFERENCES = frozenset("@#!~%$&")  # @user, #issue, !merge-request, ~label, %milestone, $snippet, &epic
_ZWSP = "&#8203;"  # a zero-width space after a reference sigil: the reference filters see no name
_SHORTCODE = re.compile(r"[A-Za-z0-9_+-]+:")  # after a colon: an emoji shortcode such as :tada:
_SAFE_ID = r"[A-Za-z0-9_.\[\]-]+"  # ids and field paths that may be code spans
_SAFE_SPAN = r"[^`]+"  # a message may be a code span unless it holds a backtick


def _line(text: Any) -> str:
    """Any value as one printable line: all whitespace (line and paragraph separators too)
    collapsed to single spaces, control characters shown as symbols (never an escape sequence)."""
    return visible(" ".join(str(text).split()))


def _t(text: Any) -> str:
    """Plain text for a Markdown comment, inert: no markup, no HTML, no autolink, no mention."""
    text = _line(text)
    out = []
    for i, char in enumerate(text):
        after = text[i + 1 : i + 2]
        if char == ":" and (text.startswith("//", i + 1) or _SHORTCODE.match(text, i + 1)):
            out.append("&#58;" + _ZWSP)  # https://… and :emoji: stay text
        elif char == "." and text[max(0, i - 3) : i].lower() == "www":
            out.append("&#46;")  # www.… stays text
        else:
            out.append(f"&#{ord(char)};" if char in _ENTITIES else char)
            if char in _REFERENCES and (after.isalnum() or after in ("_", '"')):
                out.append(_ZWSP)
    return "".join(out)


def _code(text: Any, safe: str = _SAFE_ID) -> str:
    """An id or field path as a code span when it is safe to be one, else as inert text."""
    line = _line(text)
    return f"`{line}`" if re.fullmatch(safe, line) else _t(line)


def _span(text: Any) -> str:
    """A message as a code span (inert on every platform), unless it holds a backtick."""
    return _code(text, _SAFE_SPAN)


_TEXTS = {
    "en": {
        "heading": "## Strategy changes: {base} → {head}",
        "worktree": "working tree",
        "none": "No change to the strategy data.",
        "count": "**{n} change{s}** in: {sections}.  ",
        "nothing_compared": "No change in the records that could be compared.  ",
        "owners": "Owners to review: {owners}.",
        "approvers": "Approval (CODEOWNERS): {handles}.",
        "no_approvers": "Approval (CODEOWNERS): no handle for the changed files.",
        "approvers_unknown": "Approval (CODEOWNERS): unknown until one version passes `handbook check`.",
        "pages": "### Pages that change",
        "gone": " (removed)",
        "errors": "> **{n} error(s)** in the new version; `handbook check` fails:",
        "unreadable": "> **Not compared** (the file cannot be read):",
        "file": "file-level fields",
        "renamed": "- **Renamed** {what} *{title}*: {old} → {new}",
        "file_changed": "- **Changed** {what}",
        "record": "- **{verb}** {what} *{title}* ({id})",
        "owner": " — owner: {owner}",
        "reordered": "reordered",
        "warnings_later": "Method warnings are compared once both versions pass `handbook check` "
        "without errors.",
        "warnings": "### Method warnings",
        "new": "new",
        "resolved": "resolved",
    },
    "de": {
        "heading": "## Änderungen an der Strategie: {base} → {head}",
        "worktree": "Arbeitskopie",
        "none": "Keine Änderung an den Strategiedaten.",
        "count": "**{n} Änderung{s}** in: {sections}.  ",
        "nothing_compared": "Keine Änderung in den Einträgen, die verglichen werden konnten.  ",
        "owners": "Zu prüfen von: {owners}.",
        "approvers": "Freigabe (CODEOWNERS): {handles}.",
        "no_approvers": "Freigabe (CODEOWNERS): für die geänderten Dateien ist niemand eingetragen.",
        "approvers_unknown": "Freigabe (CODEOWNERS): erst bekannt, wenn eine Fassung `handbook check` "
        "ohne Fehler besteht.",
        "pages": "### Seiten, die sich ändern",
        "gone": " (entfällt)",
        "errors": "> **{n} Fehler** in der neuen Fassung; `handbook check` schlägt fehl:",
        "unreadable": "> **Nicht verglichen** (die Datei ist nicht lesbar):",
        "file": "Angaben der Datei",
        "renamed": "- **Umbenannt:** {what} *{title}*: {old} → {new}",
        "file_changed": "- **Geändert:** {what}",
        "record": "- **{verb}:** {what} *{title}* ({id})",
        "owner": " — verantwortlich: {owner}",
        "reordered": "Reihenfolge geändert",
        "warnings_later": "Die Hinweise der Methodenprüfung werden verglichen, sobald beide Fassungen "
        "`handbook check` ohne Fehler bestehen.",
        "warnings": "### Hinweise der Methodenprüfung",
        "new": "neu",
        "resolved": "erledigt",
    },
}
_VERB = {
    "en": {"added": "Added", "removed": "Removed", "changed": "Changed", "renamed": "Renamed"},
    "de": {"added": "Neu", "removed": "Entfernt", "changed": "Geändert", "renamed": "Umbenannt"},
}
_SAFE_PAGE = r"[a-z0-9./#-]+"  # a site path built from ids: a code span when it is one
LANGUAGES = tuple(_TEXTS)


def to_markdown(d: PlanDiff, lang: str = "de") -> str:
    """The diff as a pull-request comment: German (the handbook's language) with the fields'
    labels, or English with their YAML paths (``lang="en"``). Every data value goes through ``_t``."""
    t = _TEXTS[lang]
    de = lang == "de"
    head = t["worktree"] if d.head == "working tree" else _code(d.head)
    lines = [t["heading"].format(base=_code(d.base), head=head), ""]
    if not (d.count or d.warnings_added or d.warnings_removed or d.head_errors or d.unreadable):
        lines.append(t["none"])
        return "\n".join(lines) + "\n"
    if d.count:
        sections = ", ".join(
            registry.FILES[s.file.removesuffix(".yml")].title if de else s.label for s in d.sections
        )
        plural = ("en" if de else "s") if d.count != 1 else ""
        lines.append(t["count"].format(n=d.count, s=plural, sections=sections))
    else:
        lines.append(t["nothing_compared"])
    owners = d.owners()
    if owners:
        lines.append(t["owners"].format(owners=_t("; ".join(owners))) + ("  " if d.count else ""))
    if d.count:
        if not d.approvers_known:
            lines.append(t["approvers_unknown"])
        elif d.approvers:
            lines.append(
                t["approvers"].format(handles=", ".join(_code(h, _SAFE_HANDLE) for h in d.approvers))
            )
        else:
            lines.append(t["no_approvers"])
    lines.append("")
    if d.head_errors:
        lines += [t["errors"].format(n=len(d.head_errors)), ">"]
        lines += [f"> - {_span(e)}" for e in d.head_errors[:20]]
        lines.append("")
    if d.unreadable:
        lines += [t["unreadable"], ">"]
        lines += [f"> - {_span(u)}" for u in d.unreadable]
        lines.append("")
    pages = _page_lines(d, t)
    if pages:
        lines += [t["pages"], "", *pages, ""]
    for s in d.sections:
        label = registry.FILES[s.file.removesuffix(".yml")].title if de else s.label
        lines += [f"### {label} ({_code(s.file)})", ""]
        for c in s.changes:
            what = (
                t["file"]
                if c.kind == "file"
                else (registry.german(c.kind) if de else registry.label_en(c.kind))
            )
            title = _t(c.title) or "–"
            if c.change == "renamed":
                line = t["renamed"].format(what=what, title=title, old=_code(c.old_id), new=_code(c.id))
            elif c.kind == "file":
                line = t["file_changed"].format(what=what)
            else:
                line = t["record"].format(verb=_VERB[lang][c.change], what=what, title=title, id=_code(c.id))
            if c.owner:
                line += t["owner"].format(owner=_t(c.owner))
            lines.append(line)
            for note in c.notes_de if de else c.notes:
                lines.append(f"  - {_t(note)}")
            for f in c.fields:
                name = _t(f.label or f.field) if de else _code(f.field)
                if f.reordered:
                    lines.append(f"  - {name}: {t['reordered']}")
                elif f.items:
                    shown = f.with_labels() if de else f
                    lines.append(f"  - {name}: {_t('; '.join(x for x in shown.item_texts(lang) if x))}")
                else:
                    shown = f.with_labels() if de else f
                    lines.append(f"  - {name}: {_t(shown.old)} → {_t(shown.new)}")
        lines.append("")
    if not d.warnings_compared:
        lines += [t["warnings_later"], ""]
    if d.warnings_added or d.warnings_removed:
        lines += [t["warnings"], ""]
        lines += [f"- {t['new']}: {_t(w)}" for w in d.warnings_added]
        lines += [f"- {t['resolved']}: {_t(w)}" for w in d.warnings_removed]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


_SAFE_HANDLE = r"@?[A-Za-z0-9_.@/-]+"


def _page_lines(d: PlanDiff, t: dict[str, str]) -> list[str]:
    """One line per site path, in the order of the changes: the path as a code span, and
    whether the page (or the anchor) is gone."""
    return [f"- {_code(p, _SAFE_PAGE)}" for p in d.pages()] + [
        f"- {_code(p, _SAFE_PAGE)}{t['gone']}" for p in d.gone()
    ]


def to_json(d: PlanDiff) -> str:
    doc = asdict(d)
    for section, plain in zip(d.sections, doc["sections"], strict=True):
        for change, record in zip(section.changes, plain["changes"], strict=True):
            record["fields"] = [f.as_json() for f in change.fields]
    doc["count"] = d.count
    doc["owners"] = d.owners()
    doc["pages"] = d.pages()
    doc["gone"] = d.gone()
    return json_text(doc)


VERB_DE = {"added": "neu", "removed": "entfernt", "changed": "geändert", "renamed": "umbenannt"}


def summary_line(d: PlanDiff) -> str:
    """A short German summary for the history page and the feed, fields named by their German
    labels (``macros.data.field_labels``, without list numbers): 'Ziel „X“ geändert: Zielwert;
    9 Rollen neu'. English readers get the field paths from ``to_markdown(d, "en")``."""
    groups: dict[tuple[str, str], list[RecordChange]] = {}
    for s in d.sections:
        for c in s.changes:
            groups.setdefault((c.kind if c.kind != "file" else f"file:{s.file}", c.change), []).append(c)
    parts = []
    for (kind, change), items in groups.items():
        if kind.startswith("file:"):
            stem = kind[5:].removesuffix(".yml")
            name = registry.FILES[stem].title if stem in registry.FILES else kind[5:]
            parts.append(f"Angaben der Datei „{name}“ geändert: {_field_names(items[0].fields)}")
            continue
        singular, plural = registry.german(kind), registry.german(kind, plural=True)
        if len(items) > 3:
            parts.append(f"{len(items)} {plural} {VERB_DE[change]}")
            continue
        for c in items:
            if change == "renamed":
                edited = f" und geändert: {_field_names(c.fields)}" if c.fields else ""
                parts.append(f"{singular} {c.old_id} → {c.id} umbenannt{edited}")
            elif change == "changed":
                parts.append(f"{singular} „{c.title}“ geändert: {_field_names(c.fields)}")
            else:
                parts.append(f"{singular} „{c.title}“ {VERB_DE[change]}")
    return "; ".join(parts)


def _field_names(fields: list[FieldChange], shown: int = 3) -> str:
    """The changed fields by their labels, each once, the first ``shown`` of them named:
    'Zweck, Zielwert, Einheit und 2 weitere Felder'."""
    names = list(dict.fromkeys(f.brief or f.label or f.field for f in fields))
    more = len(names) - shown
    text = ", ".join(names[:shown])
    if more > 0:
        text += " und 1 weiteres Feld" if more == 1 else f" und {more} weitere Felder"
    return text
