"""Layer 1: shape. Validate each loaded file against its model and translate
pydantic's errors into positioned problems with a hint.

The hints look at the value that was written, so that a typical slip gets its
concrete fix: ``31.12.2026`` -> ``2026-12-31``, ``10h`` -> ``10``, ``2,5`` ->
``2.5``, ``aktiv`` -> ``active``, an id with umlauts -> its spelling in ASCII.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
import types
import typing
import unicodedata
from typing import Any, Literal

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from ..data.fields import describe
from ..data.labels import values_for
from ..data.loader import Document
from ..data.positions import Loc, format_loc, short
from ..data.walk import fields_of, shape_of
from .problems import Problem

_DATE_EXAMPLE = "write dates as YYYY-MM-DD, e.g. 2025-03-31"

_TYPE_HINTS = {
    "text_type": "write the text after the key; use quotes if it starts with a special character",
    "date_format": _DATE_EXAMPLE,
    "date_value": "check day and month: YYYY-MM-DD",
    "number_type": "write a plain number without unit or quotes, e.g. 1500 or 2.5",
    "list_type": "write each item on its own line, starting with '- '",
    "id_format": "ids use lowercase letters, digits and hyphens only, e.g. 'b2b-installers'",
    "string_too_short": "write the text, or remove the key if it is optional",
    "deadline_before_baseline": "the deadline must come after the baseline date: correct one of them",
    "end_before_start": "swap the dates or correct one of them",
    "number_range": "write a plain number of a sensible size, e.g. 2500 or 2.5",
    "date_range": "write a date from 1900-01-01 to 2999-12-31",
    "id_length": "shorten the id to at most 64 characters; update the references to it too",
    "duration_not_positive": "write a duration above 0, e.g. 4",
    "handle_format": "write one handle such as '@org/team' or '@user' (or an e-mail address), no spaces",
    "url_scheme": "write the full address starting with https:// (or mailto: for e-mail)",
    "url_space": "remove the spaces; encode a space inside an address as %20",
    "url_host": "write the full address with its host, e.g. https://www.example.org/page",
    "int_parsing": "write a whole number, e.g. 90",
    "int_type": "write a whole number, e.g. 90",
    "int_from_float": "write a whole number, e.g. 90",
    "greater_than_equal": "use a larger value",
    "less_than_equal": "use a smaller value",
}

_AS_TEXT_HINT = (
    "the {what} is written as one text (in quotes, or after '|' or '>'): "
    "remove the quotes or the '|'/'>' so that YAML reads the {lines} lines"
)

# German words people write for the English enum values beyond the handbook's own labels
# (``labels.values_for``); checked only against the allowed values.
_SYNONYMS = {
    "gering": "low",
    "stillgelegt": "retired",
    "laufend": "in_progress",
    "läuft": "in_progress",
    "fertig": "done",
    "abgeschlossen": "done",
    "angehalten": "on_hold",
    "storniert": "cancelled",
    "zweiwöchentlich": "biweekly",
    "14-tägig": "biweekly",
    "quartalsweise": "quarterly",
    "muss": "must",
    "soll": "should",
    "sollte": "should",
    "bedrohung": "threat",
    "geschäftsführung": "leadership",
    "mitarbeiter": "employees",
    "beschäftigte": "employees",
    "alle": "all_employees",
    "experten": "experts",
    "bewerber": "applicants",
    "bewerbende": "applicants",
    "arbeitsgruppe": "working_group",
    "steigern": "increase",
    "erhöhen": "increase",
    "senken": "decrease",
    "verringern": "decrease",
    "reichweite": "awareness",
    "besucher": "traffic",
    "anfragen": "leads",
    "personalgewinnung": "recruiting",
    "rekrutierung": "recruiting",
    "ruf": "reputation",
    "image": "reputation",
}


# --- following a loc through the models ---------------------------------------


def _field(model: type[BaseModel], loc: Loc) -> tuple[type[BaseModel] | None, FieldInfo | None]:
    """Follow ``loc`` through the models: (model owning the last named field, that field)."""
    current: Any = model
    owner: type[BaseModel] | None = None
    info: FieldInfo | None = None
    for part in loc:
        if isinstance(part, int):
            inner = _unwrap_list(current)
            if inner is not current:
                current = inner
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None, None
        match = next(
            (i for name, i in current.model_fields.items() if (i.alias or name) == part),
            None,
        )
        if match is None:
            return current, None
        owner, info = current, match
        current = _strip(match.annotation)
    return owner, info


def _field_info(model: type[BaseModel], loc: Loc) -> tuple[type[BaseModel] | None, Any]:
    """(model owning the last field of ``loc``, that field's annotation without wrappers)."""
    owner, info = _field(model, loc)
    return owner, (_strip(info.annotation) if info is not None else None)


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model that describes the mapping at ``loc``."""
    if not loc:
        return model
    _, annotation = _field_info(model, loc)
    if isinstance(loc[-1], int):
        annotation = _unwrap_list(annotation)
    annotation = _strip(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _strip(annotation: Any) -> Any:
    """Drop Annotated and Optional wrappers."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
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
    annotation = _unwrap_list(annotation)
    if typing.get_origin(annotation) is Literal:
        return [str(v) for v in typing.get_args(annotation)]
    return []


def _is_ref(info: FieldInfo | None, item: bool) -> bool:
    """Whether the field (or, with ``item``, each item of the list field) is a reference."""
    if info is None:
        return False
    shape = shape_of(info.annotation, info.metadata)
    if item and shape.what == "list":
        shape = shape.item  # type: ignore[assignment]
    return shape.what == "ref"


def _bounds(info: FieldInfo | None) -> tuple[Any, Any]:
    """(ge, le) constraints of a field, wherever in its annotation they are declared."""
    ge = le = None
    seen: list[Any] = [*(info.metadata if info else [])]
    stack: list[Any] = [info.annotation] if info else []
    while stack:
        annotation = stack.pop()
        args = typing.get_args(annotation)
        if typing.get_origin(annotation) is typing.Annotated:
            seen.extend(args[1:])
            stack.append(args[0])
        else:
            stack.extend(args)
    for meta in seen:
        for item in [meta, *getattr(meta, "metadata", [])]:
            ge = getattr(item, "ge", None) if getattr(item, "ge", None) is not None else ge
            le = getattr(item, "le", None) if getattr(item, "le", None) is not None else le
    return ge, le


# --- describing values ----------------------------------------------------------


def _written(value: Any) -> str:
    """A scalar as written (numbers keep their source text)."""
    if isinstance(value, bool):
        return str(value).lower()
    return str(getattr(value, "text", value))


def _name(loc: Loc) -> str:
    return next((str(p) for p in reversed(loc) if isinstance(p, str)), "value")


def _did_you_mean(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'? " if close else ""


def _suggest_option(word: str, options: list[str]) -> str:
    """'did you mean …? ' for an enum value: case, spaces, German words, then typos."""
    folded = word.strip().lower()
    german = [*values_for(folded), _SYNONYMS.get(folded)]
    for candidate in (folded, folded.replace(" ", "_").replace("-", "_"), *german):
        if candidate in options:
            return f"did you mean '{candidate}'? "
    return _did_you_mean(folded, options)


def _slug(value: str) -> str:
    text = value.lower()
    for umlaut, ascii_ in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, ascii_)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _plain_number(text: str) -> str:
    """A German or unit-laden number as YAML needs it: '2.500,50' -> '2500.50', '2,5' -> '2.5'."""
    if re.fullmatch(r"[-+]?\d{1,3}(\.\d{3})+(,\d+)?", text):
        return text.replace(".", "").replace(",", ".")
    return text.replace(",", ".")


def _number_hint(value: Any, key: str, default: str) -> str:
    if not isinstance(value, str):
        return default
    text = value.strip()
    if re.fullmatch(r"[-+]?(\d+(\.\d+)?|\.\d+)", text):
        return f"remove the quotes, numbers are written plain: '{key}: {text}'"
    if re.fullmatch(r"[-+]?\d{1,3}(\.\d{3})+(,\d+)?", text):
        plain = _plain_number(text)
        return f"write it without thousands separators and with a decimal point: '{key}: {plain}'"
    if re.fullmatch(r"[-+]?\d+,\d+", text):
        return f"use a decimal point, not a comma: '{key}: {_plain_number(text)}'"
    match = re.fullmatch(r"([-+]?\d[\d.,]*)\s*[^\d\s.,].*", text)
    if match:
        return f"write only the number, without the unit: '{key}: {_plain_number(match.group(1))}'"
    return default


def _date_hint(value: Any) -> str:
    text = _written(value).strip()
    parts: tuple[str, str, str] | None = None
    if match := re.fullmatch(r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})", text):
        parts = (match.group(3), match.group(2), match.group(1))
    elif match := re.fullmatch(r"(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})", text):
        parts = (match.group(1), match.group(2), match.group(3))
    if parts:
        try:
            date = dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
        except ValueError:
            return _DATE_EXAMPLE
        return f"write it as {date.isoformat()} (YYYY-MM-DD)"
    return _DATE_EXAMPLE


def _date_value_hint(value: Any) -> str:
    year, month, day = (int(p) for p in str(value).split("-"))
    if 1 <= month <= 12:
        days = calendar.monthrange(year, month)[1]
        return f"{calendar.month_name[month]} {year} has {days} days; check day and month (YYYY-MM-DD)"
    if 1 <= day <= 12 and 1 <= month <= 31:
        return f"the month comes second: did you mean {year:04d}-{day:02d}-{month:02d}? (YYYY-MM-DD)"
    return "the month (second part) must be 01 to 12: YYYY-MM-DD"


def _missing_hint(key: str, info: FieldInfo | None) -> str:
    """How to add a missing field: its shape, then what it means (or which values it takes)."""
    annotation = _strip(info.annotation) if info is not None else None
    options = _literal_values(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        how = f"add '{key}:' with its fields indented below it ({', '.join(_required(annotation))})"
    elif typing.get_origin(annotation) is list:
        how = f"add '{key}:' with its items below it, each starting with '- '"
    elif annotation is dt.date:
        how = f"add '{key}: YYYY-MM-DD'"
    else:
        how = f"add '{key}: …'"
    if info is not None and info.description:
        return f"{how} — {info.description.rstrip('.')}"
    if options:
        return f"{how} — one of: {', '.join(options)}"
    return how


def _required(model: type[BaseModel]) -> list[str]:
    keys = [info.alias or name for name, info in model.model_fields.items() if info.is_required()]
    return keys or [key for _, key, _ in fields_of(model)]


# --- translation ------------------------------------------------------------------


def _optional(hint: str, value: Any, info: FieldInfo | None) -> str:
    """For a word such as 'no' or 'offen' in an optional number or date field: say it may be left out."""
    if isinstance(value, str) and not any(c.isdigit() for c in value) and info and not info.is_required():
        return f"{hint}; if there is none yet, delete the line"
    return hint


def _text_hint(value: Any, loc: Loc, info: FieldInfo | None) -> str:
    key = _name(loc)
    item = isinstance(loc[-1], int) if loc else False
    ref = _is_ref(info, item)
    if item and value is None:
        return "this list item is empty: write its text after '- ', or delete the line"
    if value is None:
        return f"write the {'id' if ref else 'text'} after '{key}:'"
    if isinstance(value, list):
        if ref:
            return f"'{key}' takes a single id, not a list"
        return f"'{key}' holds one text: write it on the same line after '{key}:', not as a list"
    if isinstance(value, dict):
        if ref:
            example = value.get("id") or value.get("name") or "…"
            return f"write just the id: '- {example}'" if item else f"write just the id: '{key}: {example}'"
        return (
            f"'{key}' holds one text: write it after '{key}:' "
            "(in quotes if it contains ': '), or check the indentation of the lines below"
        )
    if isinstance(value, bool):
        return f"put it in quotes if it is meant as text: '{key}: \"{_written(value)}\"'"
    return _TYPE_HINTS["text_type"]


def translate(
    error: dict[str, Any], model: type[BaseModel], missing: dict[Loc, list[str]] | None = None
) -> tuple[Loc, str, str, bool]:
    """One pydantic error -> (loc, message, hint, point at key).

    ``missing`` maps a mapping's loc to its missing required keys, so that an
    unknown key can be recognised as the misspelling of one of them.
    """
    kind = error["type"]
    loc: Loc = tuple(error["loc"])
    value = error.get("input")
    key = _name(loc)
    _, info = _field(model, loc)
    if kind == "missing":
        return loc, f"required field '{key}' is missing", _missing_hint(key, info), False
    if kind == "extra_forbidden":
        owner = _model_at(model, loc[:-1])
        allowed = [k for _, k, _ in fields_of(owner)] if owner else []
        word = str(loc[-1])
        suggestion = _did_you_mean(word, (missing or {}).get(loc[:-1], [])) or _did_you_mean(word, allowed)
        return (
            loc,
            f"unknown field '{word}'",
            f"{suggestion}allowed fields here: {', '.join(allowed)}",
            True,
        )
    if kind == "literal_error":
        options = _literal_values(info.annotation if info else None)
        if value is None or isinstance(value, list | dict):
            message = f"expected one of the {key} values, got {describe(value)}"
            suggestion = ""
        else:
            message = f"'{short(_written(value))}' is not a valid {key}"
            suggestion = _suggest_option(_written(value), options)
        return loc, message, f"{suggestion}use one of: {', '.join(options)}", False
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        target = _model_at(model, loc)
        fields = ", ".join(_required(target)) if target else ""
        what = f"each entry of '{key}'" if loc and isinstance(loc[-1], int) else f"'{key}'"
        hint = (
            f"{what} is a record: write its fields as 'key: value' lines indented below it ({fields})"
            if fields
            else "indent the fields of this entry below it, as 'key: value' lines"
        )
        if isinstance(value, str) and re.search(r"^\s*[\w-]+:(\s|$)", value):
            hint = _AS_TEXT_HINT.format(what="record", lines="'key: value'")
        return loc, f"expected a mapping (key: value lines), got {describe(value)}", hint, False
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return (
            loc,
            f"expected a whole number, got {describe(value)}",
            _number_hint(value, key, _TYPE_HINTS[kind]),
            False,
        )
    if kind == "number_type":
        hint = _optional(_number_hint(value, key, _TYPE_HINTS[kind]), value, info)
        return loc, f"expected a number, got {describe(value)}", hint, False
    if kind in ("greater_than_equal", "less_than_equal"):
        ctx = error.get("ctx", {})
        ge, le = _bounds(info)
        if kind == "greater_than_equal":
            message = f"{_written(value)} is too small for '{key}': the minimum is {ctx.get('ge')}"
        else:
            message = f"{_written(value)} is too large for '{key}': the maximum is {ctx.get('le')}"
        hint = f"use a value from {ge} to {le}" if ge is not None and le is not None else _TYPE_HINTS[kind]
        return loc, message, hint, False
    if kind in ("string_too_short", "too_short"):  # pydantic says 'too_short' for an Annotated str
        if isinstance(value, list):
            hint = f"add at least one item below '{key}:', starting with '- '"
            return loc, "the list is empty", hint, False
        return loc, "the text is empty", f"write the text, or delete '{key}' if it is optional", False
    if kind == "text_type":
        return loc, f"expected text, got {describe(value)}", _text_hint(value, loc, info), False
    if kind == "list_type":
        hint = _TYPE_HINTS[kind]
        if isinstance(value, str) and (value.lstrip().startswith("- ") or "\n- " in value):
            hint = _AS_TEXT_HINT.format(what="list", lines="'- item'")
        return loc, f"expected a list, got {describe(value)}", hint, False
    if kind == "date_format":
        message = f"expected a date (YYYY-MM-DD), got {describe(value)}"
        return loc, message, _optional(_date_hint(value), value, info), False
    if kind == "date_value":
        return loc, error["msg"], _date_value_hint(error.get("ctx", {}).get("value", value)), False
    if kind == "id_format":
        slug = _slug(str(error.get("ctx", {}).get("value", value)))
        example = f"'{slug}'" if slug else "'b2b-installers'"
        hint = f"ids use lowercase letters, digits and hyphens only, e.g. {example}; update references too"
        return loc, f"'{short(_written(value))}' is not a valid id", hint, False
    if kind == "end_before_start":
        return (*loc, "end"), error["msg"], _TYPE_HINTS[kind], False
    if kind == "deadline_before_baseline":
        return (*loc, "deadline"), error["msg"], _TYPE_HINTS[kind], False
    message = error["msg"]
    if kind == "value_error":
        message = message.removeprefix("Value error, ")
    return loc, message, _TYPE_HINTS.get(kind, "see the schema in schema/ for the expected shape"), False


def _missing_keys(errors: list[dict[str, Any]]) -> dict[Loc, list[str]]:
    out: dict[Loc, list[str]] = {}
    for error in errors:
        if error["type"] == "missing":
            loc = tuple(error["loc"])
            out.setdefault(loc[:-1], []).append(str(loc[-1]))
    return out


def _misspelled(errors: list[dict[str, Any]], missing: dict[Loc, list[str]]) -> set[Loc]:
    """Missing keys that are explained by an unknown key next to them (``role:`` for ``roles:``)."""
    out = set()
    for error in errors:
        if error["type"] != "extra_forbidden":
            continue
        loc = tuple(error["loc"])
        close = difflib.get_close_matches(str(loc[-1]), missing.get(loc[:-1], []), n=1, cutoff=0.6)
        if close:
            out.add((*loc[:-1], close[0]))
    return out


def check_shape(
    doc: Document, model: type[BaseModel], display: str
) -> tuple[BaseModel | None, list[Problem]]:
    """Validate one document; returns the model (or None) and the problems."""
    if doc.data is None:
        key = next(iter(model.model_fields))
        comments = any(line.strip() for line in doc.lines)
        return None, [
            Problem(
                display,
                1,
                1,
                "(file)",
                "the file holds only comments, no data" if comments else "the file is empty",
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
                f"expected a mapping at the top of the file, got {describe(doc.data)}",
                f"the file starts with its top-level keys: {', '.join(k for _, k, _ in fields_of(model))}",
                source_line=doc.line_text(1),
            )
        ]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        missing = _missing_keys(errors)
        explained = _misspelled(errors, missing)
        problems = []
        for error in errors:
            if error["type"] == "missing" and tuple(error["loc"]) in explained:
                continue
            loc, message, hint, at_key = translate(error, model, missing)
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
