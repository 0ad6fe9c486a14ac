"""Walk data guided by the models: find records, ids and references.

Works on raw loaded data (so ids and references are checked even in files
whose shape is broken elsewhere) and on validated models alike.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Union

from pydantic import BaseModel

from .fields import Ref
from .positions import Loc


@dataclass(frozen=True)
class Shape:
    """What a field holds: a model, a list of something, a reference, or plain data."""

    what: str  # "model" | "list" | "ref" | "plain"
    model: type[BaseModel] | None = None
    item: Shape | None = None
    kinds: tuple[str, ...] = ()


_PLAIN = Shape("plain")


def shape_of(annotation: Any, metadata: list[Any] | tuple[Any, ...] = ()) -> Shape:
    for meta in metadata:
        if isinstance(meta, Ref):
            return Shape("ref", kinds=meta.kinds)
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        base, *extra = typing.get_args(annotation)
        return shape_of(base, [*metadata, *extra])
    if origin in (Union, types.UnionType):
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                shape = shape_of(arg)
                if shape.what != "plain":
                    return shape
        return _PLAIN
    if origin is list:
        (arg,) = typing.get_args(annotation)
        return Shape("list", item=shape_of(arg))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return Shape("model", model=annotation)
    return _PLAIN


@cache
def fields_of(model: type[BaseModel]) -> tuple[tuple[str, str, Shape], ...]:
    """(attribute name, YAML key, shape) of each field."""
    return tuple(
        (name, info.alias or name, shape_of(info.annotation, info.metadata))
        for name, info in model.model_fields.items()
    )


@cache
def _walked_fields(model: type[BaseModel]) -> tuple[tuple[str, str, Shape], ...]:
    """The fields of ``model`` that can hold records or references (the only ones ``walk`` visits)."""
    return tuple(f for f in fields_of(model) if _innermost(f[2]).what != "plain")


def _innermost(shape: Shape) -> Shape:
    while shape.what == "list":
        shape = shape.item  # type: ignore[assignment]
    return shape


def nested_models(model: type[BaseModel]) -> Iterator[type[BaseModel]]:
    for _, _, field in fields_of(model):
        shape = _innermost(field)
        if shape.what == "model":
            yield shape.model  # type: ignore[misc]


def record_kinds(model: type[BaseModel]) -> list[str]:
    """Kinds of the records a file model holds, nested ones included, in field order."""
    kinds: list[str] = []
    seen: set[type[BaseModel]] = set()

    def visit(cls: type[BaseModel]) -> None:
        for sub in nested_models(cls):
            if sub in seen:
                continue
            seen.add(sub)
            kind = getattr(sub, "kind", "")
            if kind:
                kinds.append(kind)
            visit(sub)

    visit(model)
    return kinds


@dataclass(frozen=True)
class Found:
    """A record or a reference found while walking."""

    loc: Loc
    value: Any  # the record (dict or model) or the referenced id
    kinds: tuple[str, ...] = ()
    model: type[BaseModel] | None = None
    field: str = ""


def walk(model: type[BaseModel], data: Any, loc: Loc = ()) -> Iterator[tuple[str, Found]]:
    """Yield ("record", …) for each record with an id and ("ref", …) for each reference.

    ``data`` may be a raw mapping (keys as written) or a model instance.
    """
    is_instance = isinstance(data, BaseModel)
    if not is_instance and not isinstance(data, dict):
        return
    kind = getattr(model, "kind", "")
    if kind:
        yield "record", Found(loc, data, (kind,), model)
    for name, key, shape in _walked_fields(model):
        value = getattr(data, name) if is_instance else data.get(key)
        yield from _walk_value(shape, value, (*loc, key), model, key)


def _walk_value(shape: Shape, value: Any, loc: Loc, owner: Any, key: str) -> Iterator[tuple[str, Found]]:
    if value is None:
        return
    if shape.what == "ref":
        if isinstance(value, str):
            yield "ref", Found(loc, value, shape.kinds, owner, key)
    elif shape.what == "model":
        yield from walk(shape.model, value, loc)  # type: ignore[arg-type]
    elif shape.what == "list" and isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk_value(shape.item, item, (*loc, index), owner, key)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Definition:
    """Where an id is defined."""

    kind: str
    id: str
    file: str
    line: int
    column: int
    loc: Loc

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"
