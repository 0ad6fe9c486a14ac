"""Layer 1: shape. Validate each loaded file against its model and translate
pydantic's errors into positioned problems with a hint."""

from __future__ import annotations

import difflib
import typing
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from .loader import Document
from .problems import Loc, Problem, format_loc
from .walk import fields_of

_TYPE_HINTS = {
    "text_type": "write the text after the key; use quotes if it starts with a special character",
    "date_format": "write dates as YYYY-MM-DD, e.g. 2025-03-31",
    "date_value": "check day and month: YYYY-MM-DD",
    "number_type": "write a plain number without unit or quotes, e.g. 1500 or 2.5",
    "list_type": "write each item on its own line, starting with '- '",
    "id_format": "ids use lowercase letters, digits and hyphens only, e.g. 'b2b-installers'",
    "string_too_short": "write the text, or remove the key if it is optional",
    "end_before_start": "swap the dates or correct one of them",
    "int_parsing": "write a whole number, e.g. 90",
    "int_type": "write a whole number, e.g. 90",
    "int_from_float": "write a whole number, e.g. 90",
    "greater_than_equal": "use a larger value",
    "less_than_equal": "use a smaller value",
}


def _field_info(model: type[BaseModel], loc: Loc) -> tuple[type[BaseModel] | None, Any]:
    """Follow ``loc`` through the models: (model owning the last field, that field's annotation)."""
    current: Any = model
    annotation: Any = None
    owner: type[BaseModel] | None = None
    for part in loc:
        if isinstance(part, int):
            annotation = _unwrap_list(annotation)
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                current = annotation
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None, None
        match = next(
            (info for name, info in current.model_fields.items() if (info.alias or name) == part),
            None,
        )
        if match is None:
            return current, None
        owner = current
        annotation = _strip(match.annotation)
        current = annotation
    return owner, annotation


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model that describes the mapping at ``loc``."""
    if not loc:
        return model
    _, annotation = _field_info(model, loc)
    annotation = _strip(annotation)
    if isinstance(loc[-1], int) or typing.get_origin(annotation) is list:
        annotation = _unwrap_list(annotation) if not isinstance(loc[-1], int) else annotation
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _strip(annotation: Any) -> Any:
    """Drop Annotated and Optional wrappers."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, __import__("types").UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _unwrap_list(annotation: Any) -> Any:
    annotation = _strip(annotation)
    if typing.get_origin(annotation) is list:
        return _strip(typing.get_args(annotation)[0])
    return annotation


def _literal_values(annotation: Any) -> list[str]:
    annotation = _strip(annotation)
    if typing.get_origin(annotation) is list:
        annotation = _strip(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) is Literal:
        return [str(v) for v in typing.get_args(annotation)]
    return []


def _found(value: Any) -> str:
    if value is None:
        return "nothing (empty value)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    return f"'{getattr(value, 'text', value)}'"


def _did_you_mean(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'? " if close else ""


def translate(error: dict[str, Any], model: type[BaseModel]) -> tuple[Loc, str, str, bool]:
    """One pydantic error -> (loc, message, hint, point at key)."""
    kind = error["type"]
    loc: Loc = tuple(error["loc"])
    value = error.get("input")
    if kind == "missing":
        owner, _ = _field_info(model, loc)
        key = loc[-1]
        description = ""
        if owner is not None:
            info = next((i for n, i in owner.model_fields.items() if (i.alias or n) == key), None)
            description = f" ({info.description})" if info and info.description else ""
        return loc, f"required field '{key}' is missing", f"add '{key}: …'{description}", False
    if kind == "extra_forbidden":
        owner = _model_at(model, loc[:-1])
        allowed = [key for _, key, _ in fields_of(owner)] if owner else []
        word = str(loc[-1])
        suggestion = _did_you_mean(word, allowed)
        return (
            loc,
            f"unknown field '{word}'",
            f"{suggestion}allowed fields here: {', '.join(allowed)}",
            True,
        )
    if kind == "literal_error":
        _, annotation = _field_info(model, loc)
        options = _literal_values(annotation)
        word = str(getattr(value, "text", value))
        suggestion = _did_you_mean(word, options)
        name = next((p for p in reversed(loc) if isinstance(p, str)), "value")
        return (
            loc,
            f"{_found(value)} is not a valid {name}",
            f"{suggestion}use one of: {', '.join(options)}",
            False,
        )
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return (
            loc,
            f"expected a mapping (key: value lines), got {_found(value)}",
            "indent the fields of this entry below it, as 'key: value' lines",
            False,
        )
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return loc, f"expected a whole number, got {_found(value)}", _TYPE_HINTS[kind], False
    if kind in ("greater_than_equal", "less_than_equal"):
        limit = error.get("ctx", {}).get("ge", error.get("ctx", {}).get("le"))
        word = "at least" if kind == "greater_than_equal" else "at most"
        return loc, f"{_found(value)} is out of range: must be {word} {limit}", _TYPE_HINTS[kind], False
    if kind == "string_too_short":
        return loc, "the text is empty", _TYPE_HINTS[kind], False
    message = error["msg"]
    if kind == "value_error":
        message = message.removeprefix("Value error, ")
    return loc, message, _TYPE_HINTS.get(kind, "see the schema in schema/ for the expected shape"), False


def check_shape(
    doc: Document, model: type[BaseModel], display: str
) -> tuple[BaseModel | None, list[Problem]]:
    """Validate one document; returns the model (or None) and the problems."""
    if doc.data is None:
        key = next(iter(model.model_fields))
        return None, [
            Problem(
                display,
                1,
                1,
                "(file)",
                "the file is empty",
                f"start it with '{key}:' and its entries, or delete the file",
            )
        ]
    if not isinstance(doc.data, dict):
        return None, [
            Problem(
                display,
                1,
                1,
                "(file)",
                f"expected a mapping at the top of the file, got {_found(doc.data)}",
                f"the file starts with its top-level keys: {', '.join(k for _, k, _ in fields_of(model))}",
                source_line=doc.line_text(1),
            )
        ]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            loc, message, hint, at_key = translate(error, model)
            position = doc.position(loc, prefer_key=at_key)
            problems.append(
                Problem(
                    display,
                    position.line,
                    position.column,
                    format_loc(loc),
                    message,
                    hint,
                    source_line=doc.line_text(position.line),
                )
            )
        return None, problems
