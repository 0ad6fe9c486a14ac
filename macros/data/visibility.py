"""What one audience may see of *raw* plans data (as written, possibly broken).

The validated plan has its own filter (``Plan.for_audience``); this one serves
everything built from git history, where old versions need not validate: an
entry whose ``visibility`` is missing counts as internal, an unknown value as
hidden. Records inside a hidden entry are hidden too, and references to hidden
records are dropped, so neither their name nor their id can appear.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .kinds import MODELS
from .memo import ByIdentity
from .models import DRAFT, HIDEABLE
from .walk import Shape, fields_of

AUDIENCES: dict[str, frozenset[str]] = {
    "public": frozenset({"public"}),
    "internal": frozenset({"public", "internal"}),
    "confidential": frozenset({"public", "internal", "confidential"}),
}
"""Which visibilities a build for each audience shows."""

PREVIEW = DRAFT
"""Added to an audience's visibilities for a preview build, which shows drafts too: a record
whose ``approval.status`` is draft is left out of a published build exactly like a record of a
narrower audience."""

Hidden = set[tuple[str, str]]  # (kind, id)


def allowed_for(audience: str, preview: bool = False) -> frozenset[str]:
    """What a build for ``audience`` shows: its visibilities, plus drafts in a preview."""
    return (AUDIENCES[audience] | {PREVIEW}) if preview else AUDIENCES[audience]


def shown(visibility: Any, approval: Any, allowed: frozenset[str]) -> bool:
    """Whether an entry with this ``visibility`` and ``approval`` (a model or raw data) is shown."""
    status = approval.get("status") if isinstance(approval, dict) else getattr(approval, "status", None)
    return _allowed(visibility, allowed) and (status != DRAFT or PREVIEW in allowed)


def _shown(model: type[BaseModel] | None, data: dict, allowed: frozenset[str]) -> bool:
    if model is None or not issubclass(model, HIDEABLE):
        return True
    return shown(data.get("visibility", "internal"), data.get("approval"), allowed)


def _allowed(visibility: Any, allowed: frozenset[str]) -> bool:
    """Anything but a known visibility the audience may see (a typo, a list) counts as hidden."""
    return isinstance(visibility, str) and visibility in allowed and visibility != PREVIEW


def hidden_records(stem: str, data: Any, allowed: frozenset[str]) -> frozenset[tuple[str, str]]:
    """(kind, id) of every record in one file that the audience may not see, nested ones included."""
    return _hidden_in.get((data,), (stem, allowed), _hidden_records, stem, data, allowed)


def _hidden_records(stem: str, data: Any, allowed: frozenset[str]) -> frozenset[tuple[str, str]]:
    hidden: Hidden = set()
    if isinstance(data, dict) and stem in MODELS:
        _collect(MODELS[stem], data, allowed, hidden, False)
    return frozenset(hidden)


# Per file data (never changed once loaded): what an audience may not see, and what it sees
_hidden_in: ByIdentity[frozenset[tuple[str, str]]] = ByIdentity()
_visible_in: ByIdentity[dict] = ByIdentity()


def _collect(model: type[BaseModel], data: dict, allowed: frozenset[str], out: Hidden, inside: bool) -> None:
    inside = inside or not _shown(model, data, allowed)
    kind = getattr(model, "kind", "")
    if kind and inside and isinstance(data.get("id"), str):
        out.add((kind, data["id"]))
    for _, key, shape in fields_of(model):
        for sub_model, item in _models_in(shape, data.get(key)):
            _collect(sub_model, item, allowed, out, inside)


def _models_in(shape: Shape, value: Any) -> list[tuple[type[BaseModel], dict]]:
    """The mappings a field holds that are described by a model (directly or in lists)."""
    if shape.what == "model" and isinstance(value, dict):
        return [(shape.model, value)]  # type: ignore[list-item]
    if shape.what == "list" and isinstance(value, list):
        return [found for item in value for found in _models_in(shape.item, item)]  # type: ignore[arg-type]
    return []


def visible_data(stem: str, data: dict, allowed: frozenset[str], hidden: Hidden) -> dict:
    """A copy of one file's data without hidden entries, guarded fields and references to ``hidden``
    (the same copy for the same data: the history compares many versions of unchanged files)."""
    if stem not in MODELS:
        return data
    key = (stem, allowed, frozenset(hidden))
    return _visible_in.get((data,), key, _strip, MODELS[stem], data, allowed, hidden)


def _strip(model: type[BaseModel] | None, data: dict, allowed: frozenset[str], hidden: Hidden) -> dict:
    shapes = {key: shape for _, key, shape in fields_of(model)} if model is not None else {}
    out: dict = {}
    for key, value in data.items():
        guard = f"{key}_visibility"
        if guard in shapes and not _allowed(data.get(guard, "internal"), allowed):
            continue  # a field guarded by its own visibility, e.g. contact data
        shape = shapes.get(key)
        kept = _strip_value(shape, value, allowed, hidden) if shape is not None else value
        if kept is not _DROP:
            out[key] = kept
    return out


_DROP = object()


def _strip_value(shape: Shape, value: Any, allowed: frozenset[str], hidden: Hidden) -> Any:
    if shape.what == "ref":
        refers_hidden = isinstance(value, str) and any((k, value) in hidden for k in shape.kinds)
        return _DROP if refers_hidden else value
    if shape.what == "model" and isinstance(value, dict):
        if not _shown(shape.model, value, allowed):
            return _DROP
        return _strip(shape.model, value, allowed, hidden)
    if shape.what == "list" and isinstance(value, list):
        items = [_strip_value(shape.item, item, allowed, hidden) for item in value]  # type: ignore[arg-type]
        return [item for item in items if item is not _DROP]
    return value
