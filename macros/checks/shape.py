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
import typing
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from ..data.fields import describe
from ..data.labels import LABELS, values_for
from ..data.loader import Document
from ..data.positions import Loc, short
from ..data.vocabularies import FILE as VOCABULARIES_FILE
from ..data.vocabularies import VOCABULARIES, active, allowed
from ..data.walk import Shape, fields_of, shape_of
from .problems import Problem

_PLAIN = Shape("plain")

_DATE_EXAMPLE = "write dates as YYYY-MM-DD, e.g. 2025-03-31"

_TYPE_HINTS = {
    "text_type": "write the text after the key; use quotes if it starts with a special character",
    "date_format": _DATE_EXAMPLE,
    "date_value": "check day and month: YYYY-MM-DD",
    "number_type": "write a plain number without unit or quotes, e.g. 1500 or 2.5",
    "list_type": "write each item on its own line, starting with '- '",
    "id_format": "ids use lowercase letters, digits and hyphens only, e.g. 'b2b-installers'",
    "site_name": 'write the name as plain text on one line, without < > " ` { } or \\',
    "edit_path": "GitHub and Gitea: edit/BRANCH/, GitLab: -/edit/BRANCH/ (e.g. edit/main/)",
    "site_path": "give the path of a .svg, .png, .jpg, .webp or .ico file in content/, e.g. assets/logo.svg",
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
    "time_format": "write the time of day as HH:MM, e.g. '18:30'",
    "bool_type": "write true or false, without quotes",
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


# --- following a loc through the models (with walk.py's shapes) ------------------


def _follow(model: type[BaseModel], loc: Loc) -> tuple[type[BaseModel] | None, FieldInfo | None, Shape]:
    """Follow ``loc`` through the models: (model owning the last named field, that field, what
    ``loc`` itself holds)."""
    shape = Shape("model", model=model)
    owner: type[BaseModel] | None = None
    info: FieldInfo | None = None
    for part in loc:
        if isinstance(part, int):
            if shape.what == "list":
                shape = shape.item  # type: ignore[assignment]
            continue
        if shape.what != "model" or shape.model is None:
            return None, None, _PLAIN
        fields = shape.model.model_fields
        name = next((n for n, i in fields.items() if (i.alias or n) == part), None)
        if name is None:
            return shape.model, None, _PLAIN
        owner, info = shape.model, fields[name]
        shape = shape_of(info.annotation, info.metadata)
    return owner, info, shape


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model that describes the mapping at ``loc``."""
    shape = _follow(model, loc)[2]
    return shape.model if shape.what == "model" else None


def _parts(annotation: Any) -> Iterator[Any]:
    """An annotation and everything written inside it (Optional, Annotated, list, Literal)."""
    yield annotation
    for arg in typing.get_args(annotation):
        yield from _parts(arg)


def _literal_values(annotation: Any) -> list[str]:
    """The values an enum field allows (its Literal, also when optional or a list of them)."""
    for part in _parts(annotation):
        if typing.get_origin(part) is Literal:
            return [str(v) for v in typing.get_args(part)]
    return []


def _is_date(info: FieldInfo | None) -> bool:
    return info is not None and any(part is dt.date for part in _parts(info.annotation))


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
    if info is None:
        return ge, le
    for meta in [*info.metadata, *_parts(info.annotation)]:
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


def labels_of(group: str, value: str, custom: Any) -> tuple[str, ...]:
    """Every German label of a value (singular and plural of a time unit)."""
    shown = LABELS.get(group, {}).get(value) or custom.get(value) or ()
    return (shown,) if isinstance(shown, str) else tuple(shown)


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
    shape = shape_of(info.annotation, info.metadata) if info is not None else _PLAIN
    options = _literal_values(info.annotation) if info is not None else []
    if shape.what == "model" and shape.model is not None:
        how = f"add '{key}:' with its fields indented below it ({', '.join(_required(shape.model))})"
    elif shape.what == "list":
        how = f"add '{key}:' with its items below it, each starting with '- '"
    elif _is_date(info):
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


@dataclass(frozen=True)
class _Error:
    """One pydantic error, with what its translation looks at."""

    type: str
    loc: Loc
    value: Any
    key: str  # the last key of ``loc``
    info: FieldInfo | None  # the field it is about
    model: type[BaseModel]  # the model of the whole file
    missing: dict[Loc, list[str]]  # loc of a mapping -> its missing required keys
    ctx: dict[str, Any]
    msg: str


def _missing(e: _Error) -> tuple[str, str]:
    return f"required field '{e.key}' is missing", _missing_hint(e.key, e.info)


def _unknown_field(e: _Error) -> tuple[str, str]:
    owner = _model_at(e.model, e.loc[:-1])
    allowed = [k for _, k, _ in fields_of(owner)] if owner else []
    word = str(e.loc[-1])
    suggestion = _did_you_mean(word, e.missing.get(e.loc[:-1], [])) or _did_you_mean(word, allowed)
    return f"unknown field '{word}'", f"{suggestion}allowed fields here: {', '.join(allowed)}"


def _invalid_choice(e: _Error) -> tuple[str, str]:
    options = _literal_values(e.info.annotation if e.info else None)
    if e.value is None or isinstance(e.value, list | dict):
        message = f"expected one of the {e.key} values, got {describe(e.value)}"
        suggestion = ""
    else:
        message = f"'{short(_written(e.value))}' is not a valid {e.key}"
        suggestion = _suggest_option(_written(e.value), options)
    return message, f"{suggestion}use one of: {', '.join(options)}"


def _vocabulary_value(e: _Error) -> tuple[str, str]:
    """A value neither built in nor defined in vocabularies.yml: did-you-mean over the ids and
    German labels of both."""
    key = e.ctx.get("vocabulary", "")
    options = allowed(key)
    what = VOCABULARIES[key].what if key in VOCABULARIES else e.key
    define = f"or define it under '{key}:' in plans/{VOCABULARIES_FILE}.yml"
    if e.value is None or isinstance(e.value, list | dict | bool):
        article = "an" if what[:1].lower() in "aeiou" else "a"
        hint = f"use one of: {', '.join(options)}; {define}"
        return f"expected {article} {what}, got {describe(e.value)}", hint
    written = _written(e.value)
    group = VOCABULARIES[key].group if key in VOCABULARIES else ""
    custom = active().get(key, {})
    shown = {v: labels_of(group, v, custom) for v in options}
    folded = written.strip().lower()
    by_label = {text.lower(): v for v, texts in shown.items() for text in texts}
    suggestion = ""
    for candidate in (folded, folded.replace(" ", "_").replace("-", "_"), folded.replace(" ", "-")):
        if candidate in options:
            suggestion = candidate
            break
    else:
        german = [*values_for(folded), _SYNONYMS.get(folded), by_label.get(folded)]
        suggestion = next((v for v in german if v in options), "")
    if not suggestion:
        close = difflib.get_close_matches(folded, [*options, *by_label], n=1, cutoff=0.6)
        suggestion = by_label.get(close[0], close[0]) if close else ""
    did_you_mean = f"did you mean '{suggestion}'? " if suggestion else ""
    hint = f"{did_you_mean}use one of: {', '.join(options)}; {define}"
    return f"'{short(written)}' is not a known {what}", hint


def _expected_mapping(e: _Error) -> tuple[str, str]:
    target = _model_at(e.model, e.loc)
    fields = ", ".join(_required(target)) if target else ""
    what = f"each entry of '{e.key}'" if e.loc and isinstance(e.loc[-1], int) else f"'{e.key}'"
    hint = (
        f"{what} is a record: write its fields as 'key: value' lines indented below it ({fields})"
        if fields
        else "indent the fields of this entry below it, as 'key: value' lines"
    )
    if isinstance(e.value, str) and re.search(r"^\s*[\w-]+:(\s|$)", e.value):
        hint = _AS_TEXT_HINT.format(what="record", lines="'key: value'")
    return f"expected a mapping (key: value lines), got {describe(e.value)}", hint


def _expected_whole_number(e: _Error) -> tuple[str, str]:
    hint = _number_hint(e.value, e.key, _TYPE_HINTS[e.type])
    return f"expected a whole number, got {describe(e.value)}", hint


def _expected_number(e: _Error) -> tuple[str, str]:
    hint = _optional(_number_hint(e.value, e.key, _TYPE_HINTS[e.type]), e.value, e.info)
    return f"expected a number, got {describe(e.value)}", hint


def _expected_bool(e: _Error) -> tuple[str, str]:
    return f"expected true or false, got {describe(e.value)}", _TYPE_HINTS[e.type]


def _out_of_bounds(e: _Error) -> tuple[str, str]:
    ge, le = _bounds(e.info)
    if e.type == "greater_than_equal":
        message = f"{_written(e.value)} is too small for '{e.key}': the minimum is {e.ctx.get('ge')}"
    else:
        message = f"{_written(e.value)} is too large for '{e.key}': the maximum is {e.ctx.get('le')}"
    hint = f"use a value from {ge} to {le}" if ge is not None and le is not None else _TYPE_HINTS[e.type]
    return message, hint


def _empty(e: _Error) -> tuple[str, str]:
    if isinstance(e.value, list):
        return "the list is empty", f"add at least one item below '{e.key}:', starting with '- '"
    return "the text is empty", f"write the text, or delete '{e.key}' if it is optional"


def _expected_text(e: _Error) -> tuple[str, str]:
    return f"expected text, got {describe(e.value)}", _text_hint(e.value, e.loc, e.info)


def _expected_list(e: _Error) -> tuple[str, str]:
    hint = _TYPE_HINTS[e.type]
    if isinstance(e.value, str) and (e.value.lstrip().startswith("- ") or "\n- " in e.value):
        hint = _AS_TEXT_HINT.format(what="list", lines="'- item'")
    return f"expected a list, got {describe(e.value)}", hint


def _date_format(e: _Error) -> tuple[str, str]:
    message = f"expected a date (YYYY-MM-DD), got {describe(e.value)}"
    return message, _optional(_date_hint(e.value), e.value, e.info)


def _date_value(e: _Error) -> tuple[str, str]:
    return e.msg, _date_value_hint(e.ctx.get("value", e.value))


def _id_format(e: _Error) -> tuple[str, str]:
    slug = _slug(str(e.ctx.get("value", e.value)))
    example = f"'{slug}'" if slug else "'b2b-installers'"
    hint = f"ids use lowercase letters, digits and hyphens only, e.g. {example}; update references too"
    return f"'{short(_written(e.value))}' is not a valid id", hint


def _as_pydantic_says(e: _Error) -> tuple[str, str]:
    """pydantic's message (our own validators word it already), and the hint for its type."""
    message = e.msg.removeprefix("Value error, ") if e.type == "value_error" else e.msg
    return message, _TYPE_HINTS.get(e.type, "see the schema in schema/ for the expected shape")


@dataclass(frozen=True)
class _Rule:
    """How one type of pydantic error is reported."""

    code: str  # the problem's code (``--format json``)
    words: Callable[[_Error], tuple[str, str]]  # -> (message, hint)
    at_key: bool = False  # point at the key rather than the value
    field: str | None = None  # reported at this field of the record pydantic names


_RULES: dict[str, _Rule] = {
    "missing": _Rule("missing-field", _missing),
    "extra_forbidden": _Rule("unknown-field", _unknown_field, at_key=True),
    "literal_error": _Rule("invalid-choice", _invalid_choice),
    "vocabulary_value": _Rule("invalid-choice", _vocabulary_value),
    "time_format": _Rule("invalid-value", _as_pydantic_says),
    "model_type": _Rule("expected-mapping", _expected_mapping),
    "model_attributes_type": _Rule("expected-mapping", _expected_mapping),
    "dict_type": _Rule("expected-mapping", _expected_mapping),
    "int_parsing": _Rule("expected-whole-number", _expected_whole_number),
    "int_type": _Rule("expected-whole-number", _expected_whole_number),
    "int_from_float": _Rule("expected-whole-number", _expected_whole_number),
    "number_type": _Rule("expected-number", _expected_number),
    "bool_type": _Rule("invalid-value", _expected_bool),
    "greater_than_equal": _Rule("out-of-range", _out_of_bounds),
    "less_than_equal": _Rule("out-of-range", _out_of_bounds),
    "number_range": _Rule("out-of-range", _as_pydantic_says),
    "date_range": _Rule("out-of-range", _as_pydantic_says),
    "duration_not_positive": _Rule("out-of-range", _as_pydantic_says),
    "string_too_short": _Rule("empty-value", _empty),
    "too_short": _Rule("empty-value", _empty),  # pydantic's type for an Annotated str
    "text_type": _Rule("expected-text", _expected_text),
    "list_type": _Rule("expected-list", _expected_list),
    "date_format": _Rule("invalid-date", _date_format),
    "date_value": _Rule("invalid-date", _date_value),
    "id_format": _Rule("invalid-id", _id_format),
    "id_length": _Rule("invalid-id", _as_pydantic_says),
    "handle_format": _Rule("invalid-handle", _as_pydantic_says),
    "site_path": _Rule("invalid-value", _as_pydantic_says),
    "site_name": _Rule("invalid-value", _as_pydantic_says),
    "edit_path": _Rule("invalid-value", _as_pydantic_says),
    "url_scheme": _Rule("invalid-url", _as_pydantic_says),
    "url_space": _Rule("invalid-url", _as_pydantic_says),
    "url_host": _Rule("invalid-url", _as_pydantic_says),
    "end_before_start": _Rule("date-order", _as_pydantic_says, field="end"),
    "deadline_before_baseline": _Rule("date-order", _as_pydantic_says, field="deadline"),
}
"""pydantic error type -> how to report it; any other type is an ``invalid-value``."""

_OTHER = _Rule("invalid-value", _as_pydantic_says)


@dataclass(frozen=True)
class Translation:
    """A pydantic error in the words of the handbook."""

    loc: Loc
    message: str
    hint: str
    code: str
    at_key: bool = False  # point at the key rather than the value


def translate(
    error: dict[str, Any], model: type[BaseModel], missing: dict[Loc, list[str]] | None = None
) -> Translation:
    """One pydantic error of a file whose model is ``model``, translated.

    ``missing`` maps a mapping's loc to its missing required keys, so that an
    unknown key can be recognised as the misspelling of one of them.
    """
    loc: Loc = tuple(error["loc"])
    rule = _RULES.get(error["type"], _OTHER)
    e = _Error(
        error["type"],
        loc,
        error.get("input"),
        _name(loc),
        _follow(model, loc)[1],
        model,
        missing or {},
        error.get("ctx", {}),
        error["msg"],
    )
    message, hint = rule.words(e)
    where = (*loc, rule.field) if rule.field else loc
    return Translation(where, message, hint, rule.code, rule.at_key)


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
            Problem.in_file(
                display,
                "the file holds only comments, no data" if comments else "the file is empty",
                f"start it with '{key}:' and its entries, or delete the file",
                "empty-file",
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
                code="expected-mapping",
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
            t = translate(error, model, missing)
            problems.append(Problem.at(doc, display, t.loc, t.message, t.hint, t.code, prefer_key=t.at_key))
        return None, problems
