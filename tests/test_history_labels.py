"""The change history (page and feed) names changed fields by their German labels, never by YAML keys.

Every field of every model is found from the models (as tests/test_field_labels.py does). For
each, two versions of a minimal plans file differ in that field only: the record that holds it
(with an id and a title), inside the records and sub-mappings that lead to it from its file. The
one-line summary of the change (``summary_line``, which the history page and the feed show) must
read exactly '<kind> „<title>“ geändert: <label path>' (or, for a field of the file itself,
'Angaben der Datei „<file>“ geändert: <label path>'), with the label from
``macros.data.field_labels`` and no YAML key of the path in it.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from macros.data import kinds as registry
from macros.data.field_labels import all_fields, field_label, path_label
from macros.data.kinds import MODELS
from macros.data.walk import Shape, fields_of
from macros.review.diff import Snapshot, diff, summary_line, to_markdown
from macros.review.history import describe

Route = tuple[tuple[str, int], ...]  # (key, how many lists deep) from the file to a model


def _inner(shape: Shape) -> tuple[Shape, int]:
    depth = 0
    while shape.what == "list":
        shape, depth = shape.item, depth + 1  # type: ignore[assignment]
    return shape, depth


def _routes() -> dict[type[BaseModel], tuple[str, Route]]:
    """For each model, the first file and route (breadth first) that reach it."""
    routes: dict[type[BaseModel], tuple[str, Route]] = {}
    queue: list[tuple[type[BaseModel], str, Route]] = [(MODELS[s], s, ()) for s in MODELS]
    while queue:
        model, stem, route = queue.pop(0)
        if model in routes:
            continue
        routes[model] = (stem, route)
        for _, key, shape in fields_of(model):
            inner, depth = _inner(shape)
            if inner.what == "model":
                queue.append((inner.model, stem, (*route, (key, depth))))  # type: ignore[arg-type]
    return routes


ROUTES = _routes()


def _is_record(model: type[BaseModel]) -> bool:
    return bool(getattr(model, "kind", ""))


def _holds_records(model: type[BaseModel], key: str) -> bool:
    shape = next(s for _, k, s in fields_of(model) if k == key)
    inner, _ = _inner(shape)
    return inner.what == "model" and _is_record(inner.model)  # type: ignore[arg-type]


def _case(model: type[BaseModel], key: str, value: str, **extra: str) -> tuple[str, dict, str]:
    """(stem, data of the file, title of the innermost record) with ``key`` of ``model`` = ``value``
    (and the ``extra`` fields next to it)."""
    stem, route = ROUTES[model]
    models = [MODELS[stem]]
    for step, _ in route:
        shape = next(s for _, k, s in fields_of(models[-1]) if k == step)
        models.append(_inner(shape)[0].model)  # type: ignore[arg-type]
    mappings: list[dict[str, Any]] = []
    title = ""
    for n, cls in enumerate(models):
        mapping: dict[str, Any] = {}
        if _is_record(cls) and n:
            title_key = registry.KINDS[cls.kind].title  # type: ignore[attr-defined]
            title = value if (cls is model and key == title_key) else "Testeintrag"
            mapping = {"id": f"eintrag-{n}", title_key: title}
        mappings.append(mapping)
    mappings[-1].update({key: value, **extra})
    for (step, depth), outer, inner in zip(route, mappings[:-1], mappings[1:], strict=True):
        held: Any = inner
        for _ in range(depth):
            held = [held]
        outer[step] = held
    return stem, mappings[0], title


def _snapshot(stem: str, data: dict) -> Snapshot:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    snap = Snapshot.load({f"{stem}.yml": text}, method=False)
    assert snap.unreadable == []
    return snap


def _expected(model: type[BaseModel], key: str) -> str:
    """The summary's text: the field's path from its innermost record (or file), in labels."""
    stem, route = ROUTES[model]
    start, path, cls = MODELS[stem], [], MODELS[stem]
    for step, _ in route:
        shape = next(s for _, k, s in fields_of(cls) if k == step)
        cls = _inner(shape)[0].model  # type: ignore[assignment]
        path.append(step)
        if _is_record(cls):
            start, path = cls, []
    label = path_label(start, ".".join([*path, key]))
    assert label.endswith(field_label(model, key))
    if _is_record(start):
        return f"{registry.german(start.kind)} „{{title}}“ geändert: {label}"  # type: ignore[attr-defined]
    return f"Angaben der Datei „{registry.FILES[stem].title}“ geändert: {label}"


FIELDS = [
    (model, key)
    for model, key in all_fields(MODELS[stem] for stem in MODELS)
    if key != "id" and not _holds_records(model, key)  # an id or a list of records: not a field change
]


def test_every_field_of_every_kind_is_walked() -> None:
    assert len(FIELDS) > 300
    kinds = {model.kind for model, _ in FIELDS if _is_record(model)}  # type: ignore[attr-defined]
    assert kinds == set(registry.KINDS)  # every kind of record has its fields walked


@pytest.mark.parametrize(("model", "key"), FIELDS, ids=[f"{m.__name__}.{k}" for m, k in FIELDS])
def test_a_changed_field_is_named_by_its_german_label(model: type[BaseModel], key: str) -> None:
    # a record's own visibility must be a real one: an unknown value hides it from every audience
    old_value, new_value = ("internal", "confidential") if key == "visibility" else ("alt", "neu")
    stem, before, _ = _case(model, key, old_value)
    _, after, title = _case(model, key, new_value)
    old, new = _snapshot(stem, before), _snapshot(stem, after)
    summary = summary_line(diff(old, new, "a", "b"))
    assert summary == _expected(model, key).format(title=title)
    _, route = ROUTES[model]
    for yaml_key in [*(step for step, _ in route), key]:
        assert not re.search(rf"(?<![\w-]){re.escape(yaml_key)}(?![\w-])", summary), (yaml_key, summary)
    # the history page and the feed show that text (the confidential audience sees every field)
    assert describe(old, new, "confidential", preview=True).text == summary
    # the English pull-request comment keeps the YAML path
    assert re.search(rf"  - `(\S+\.)?{re.escape(key)}`: ", to_markdown(diff(old, new, "a", "b"), "en"))


def test_many_fields_read_once_each_without_list_numbers() -> None:
    def process(purpose: str, trigger: str, tools: list[str], consulted: str, informed: str) -> dict:
        steps = [{"name": f"Schritt {n}", "consulted": consulted, "informed": informed} for n in (1, 2)]
        record = {"id": "freigabe", "name": "Freigabe", "purpose": purpose, "trigger": trigger}
        return {"processes": [{**record, "steps": steps, "tools": tools}]}

    old = _snapshot("processes", process("Zweck alt", "Anlass alt", ["a"], "r1", "r1"))
    new = _snapshot("processes", process("Zweck neu", "Anlass neu", ["b"], "r2", "r2"))
    assert summary_line(diff(old, new, "a", "b")) == (
        "Prozess „Freigabe“ geändert: Zweck, Auslöser, Schritte › Konsultiert (C) und 2 weitere Felder"
    )
    # the pull-request comment names each field with its number
    comment = to_markdown(diff(old, new, "a", "b"))
    assert "  - Schritte, Nr. 2 › Informiert (I): r1 → r2" in comment


def test_a_rename_names_the_fields_changed_with_it() -> None:
    def process(id: str, purpose: str) -> dict:
        return {"processes": [{"id": id, "name": "Freigabe", "purpose": purpose, "trigger": "Anlass"}]}

    old = _snapshot("processes", process("freigabe", "Zweck alt"))
    same = _snapshot("processes", process("freigabe-neu", "Zweck alt"))
    assert summary_line(diff(old, same, "a", "b")) == "Prozess freigabe → freigabe-neu umbenannt"
    new = _snapshot("processes", process("freigabe-neu", "Zweck neu"))
    edited = "Prozess freigabe → freigabe-neu umbenannt und geändert: Zweck"
    assert summary_line(diff(old, new, "a", "b")) == edited
    assert describe(old, new, "internal").text == edited

    def expert(id: str, contact: str) -> dict:
        record = {
            "id": id,
            "name": "Recht",
            "department": "Recht",
            "topics": ["Verträge"],
            "contact": contact,
        }
        return {"experts": [{**record, "contact_visibility": "confidential"}]}

    old, new = _snapshot("experts", expert("recht", "alt")), _snapshot("experts", expert("recht-neu", "neu"))
    seen = "Experte recht → recht-neu umbenannt und geändert: Kontaktweg"
    assert describe(old, new, "confidential").text == seen
    assert describe(old, new, "internal").text == "Experte recht → recht-neu umbenannt"  # the field unnamed


GUARDED = [(model, key) for model, key in FIELDS if (model, f"{key}_visibility") in FIELDS]


def test_guarded_fields_are_found() -> None:
    assert {key for _, key in GUARDED} >= {"contact", "reach", "mandate"}


@pytest.mark.parametrize(("model", "key"), GUARDED, ids=[f"{m.__name__}.{k}" for m, k in GUARDED])
@pytest.mark.parametrize("audience", ["public", "internal"])
def test_a_field_hidden_from_the_audience_is_counted_not_named(
    model: type[BaseModel], key: str, audience: str
) -> None:
    guard = {f"{key}_visibility": "confidential"}
    stem, before, _ = _case(model, key, "alt", **guard)
    _, after, _ = _case(model, key, "neu", **guard)
    old, new = _snapshot(stem, before), _snapshot(stem, after)
    assert field_label(model, key) in summary_line(diff(old, new, "a", "b"))  # named where seen
    text = describe(old, new, audience).text
    assert text == "1 Eintrag mit engerem Leserkreis geändert"
