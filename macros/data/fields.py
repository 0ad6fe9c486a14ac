"""Field types shared by the models: ids, references, text, dates, durations."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StringConstraints,
    WithJsonSchema,
    WrapValidator,
)
from pydantic_core import PydanticCustomError, core_schema

from .loader import SourceFloat, SourceInt
from .positions import short
from .vocabularies import choice

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
ID_MAX_LENGTH = 64
"""Ids become file and URL names (``kanaele/<id>/``): 64 characters are plenty, far below the
255 bytes a file name may have."""
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
YEARS = (1900, 2999)
"""First and last year a date may have: anything outside is a typo (or '9999-12-31' for 'never',
which would overflow every date computed from it, such as the review due date)."""
NUMBER_LIMIT = 10**15
"""Numbers are smaller than this and, unless 0, at least its inverse: plans count people, money,
percent and hours. Infinite (``1e400``) and absurd values are typos, and every sum and ratio the
site computes from numbers in this range stays finite."""


@dataclass(frozen=True)
class Ref:
    """Marks a field as a reference to records of one or more kinds."""

    kinds: tuple[str, ...]


def _text(value: Any) -> Any:
    """Numbers in a text field become exactly what was written (``1.10``, ``0711``)."""
    if isinstance(value, SourceInt | SourceFloat):
        return value.text
    if isinstance(value, str):
        return value.strip()
    if value is None or isinstance(value, bool | list | dict):
        raise PydanticCustomError("text_type", "expected text, got {found}", {"found": describe(value)})
    return value


def describe(value: Any) -> str:
    """What was written, in words: "text '10h'", "the number 80", "a list" …"""
    if value is None:
        return "nothing (empty value)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {short(getattr(value, 'text', value))}"
    return f"text '{short(value)}'"


def _date(value: Any) -> Any:
    if isinstance(value, dt.date):
        _in_years(value.year, value.isoformat())
        return value
    if isinstance(value, str) and _DATE.fullmatch(value):
        _in_years(int(value[:4]), value)
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError(
                "date_value", "'{value}' is not a real calendar date", {"value": value}
            ) from None
    shown = value.text if isinstance(value, SourceInt | SourceFloat) else value
    raise PydanticCustomError(
        "date_format", "expected a date (YYYY-MM-DD), got {found}", {"found": describe(shown)}
    )


def _in_years(year: int, written: str) -> None:
    if not YEARS[0] <= year <= YEARS[1]:
        raise PydanticCustomError(
            "date_range",
            "'{value}' is not between the years {first} and {last}",
            {"value": short(written), "first": YEARS[0], "last": YEARS[1]},
        )


def _in_range(value: int | float) -> None:
    """Numbers are finite and of a sane size (see NUMBER_LIMIT)."""
    size = abs(value)
    shown = short(getattr(value, "text", value))
    if size >= NUMBER_LIMIT or size != size:  # too large, infinite or NaN
        raise PydanticCustomError(
            "number_range",
            "number out of range: {value} (numbers have at most 15 digits before the decimal point)",
            {"value": shown},
        )
    if 0 < size < 1 / NUMBER_LIMIT:
        raise PydanticCustomError(
            "number_range",
            "number out of range: {value} (more than 15 zeros after the decimal point; write 0 instead)",
            {"value": shown},
        )


def _number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("number_type", "expected a number, got {found}", {"found": describe(value)})
    _in_range(value)
    return value


def _whole(value: Any) -> Any:
    """Whole numbers only: no booleans, no quoted numbers, no 2.5."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        _in_range(value)  # a whole number too long for an int loads as an (infinite) float
        if isinstance(value, float) and value.is_integer():
            return int(value)  # 45.0 is 45: JSON, and so an editor's JSON Schema, cannot tell them apart
    if isinstance(value, bool) or not isinstance(value, int):
        raise PydanticCustomError(
            "int_type", "expected a whole number, got {found}", {"found": describe(value)}
        )
    return value


def _positive(value: Any) -> Any:
    """A number above 0 (a duration of 0 or less means nothing)."""
    value = _number(value)
    if value <= 0:
        raise PydanticCustomError(
            "duration_not_positive",
            "a duration must be more than 0, got {value}",
            {"value": short(getattr(value, "text", value))},
        )
    return value


def _list(value: Any) -> Any:
    if value is None:
        return []
    if not isinstance(value, list):
        raise PydanticCustomError("list_type", "expected a list, got {found}", {"found": describe(value)})
    return value


def number_id(value: Any) -> Any:
    """An unquoted number in an id or reference is the whole number it stands for, in digits
    (``2026``, ``+7`` and ``7.0`` are '2026', '7' and '7'): what an editor's JSON Schema sees is
    the value, not its spelling. Other numbers stay as written (and are no valid id)."""
    if isinstance(value, SourceInt | SourceFloat) and value >= 0 and float(value).is_integer():
        return str(int(value))
    return value


def _id(value: Any) -> Any:
    if isinstance(value, SourceInt | SourceFloat) and not isinstance(number_id(value), str):
        # '1e-16' would pass as text, but an editor's JSON Schema sees a number that is no id
        raise PydanticCustomError("id_format", "'{value}' is not a valid id", {"value": short(value.text)})
    value = _text(number_id(value))
    if isinstance(value, str) and len(value) > ID_MAX_LENGTH:
        raise PydanticCustomError(
            "id_length",
            "the id has {length} characters; ids have at most {limit} (they become file names)",
            {"length": len(value), "limit": ID_MAX_LENGTH},
        )
    if isinstance(value, str) and not re.fullmatch(ID_PATTERN, value):
        raise PydanticCustomError(
            "id_format",
            "'{value}' is not a valid id",
            {"value": value},
        )
    return value


def _as_written(value: Any, handler: core_schema.ValidatorFunctionWrapHandler) -> Any:
    """The validated number, still carrying its source text (``3.85``, ``2499.990``) for the site."""
    result = handler(value)
    if isinstance(value, SourceInt | SourceFloat) and isinstance(result, float) and result == value:
        kept = SourceFloat(result)
        kept.text = value.text
        return kept
    return result


@dataclass(frozen=True, eq=False)  # hashable by identity: Annotated hashes its metadata
class JsonExtra:
    """Adds to a field's generated JSON Schema what its validator checks beyond the type, so the
    schema accepts exactly what ``check`` accepts (tests/test_schema_agreement.py)."""

    extra: dict[str, Any]

    def __get_pydantic_json_schema__(self, schema: Any, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        return {**handler(schema), **self.extra}


_SPACE = r"\s*"
TEXT_SCHEMA = {"type": ["string", "number"], "pattern": r"\S"}
"""Text: anything but blanks; an unquoted number is text as written."""
WHOLE_RANGE = {"exclusiveMinimum": -NUMBER_LIMIT, "exclusiveMaximum": NUMBER_LIMIT}
NUMBER_RANGE = {
    **WHOLE_RANGE,
    "not": {"exclusiveMinimum": -1 / NUMBER_LIMIT, "exclusiveMaximum": 1 / NUMBER_LIMIT, "not": {"const": 0}},
}
"""The sane size of every number (see NUMBER_LIMIT), in JSON Schema."""

Text = Annotated[str, BeforeValidator(_text), StringConstraints(min_length=1), WithJsonSchema(TEXT_SCHEMA)]
Id = Annotated[
    str,
    BeforeValidator(_id),
    WithJsonSchema(
        {
            "type": ["string", "integer"],
            # surrounding blanks are dropped before the id is checked
            "pattern": f"^{_SPACE}(?=[a-z0-9-]{{1,{ID_MAX_LENGTH}}}{_SPACE}$)"
            f"{ID_PATTERN.removeprefix('^').removesuffix('$')}{_SPACE}$",
            "minimum": 0,
            "maximum": 10**ID_MAX_LENGTH - 1,
        }
    ),
    Field(description="Stable identifier: lowercase letters, digits and hyphens, e.g. 'b2b-installers'."),
]
Date = Annotated[
    dt.date,
    BeforeValidator(_date),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "pattern": "^(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}$",  # the YEARS
        }
    ),
]
Number = Annotated[float, BeforeValidator(_number), WrapValidator(_as_written), JsonExtra(NUMBER_RANGE)]
Int = Annotated[int, BeforeValidator(_whole), JsonExtra(WHOLE_RANGE)]
Positive = Annotated[
    float,
    BeforeValidator(_positive),
    WrapValidator(_as_written),
    JsonExtra({**NUMBER_RANGE, "exclusiveMinimum": 0}),
]
Hours = Annotated[
    float, BeforeValidator(_number), Field(ge=0, le=60), WrapValidator(_as_written), JsonExtra(NUMBER_RANGE)
]


_OR_NOTHING = JsonExtra({"type": ["array", "null"]})
"""A list key with nothing after it is an empty list."""


def ref(*kinds: str) -> Any:
    """A reference to a record of one of ``kinds`` (whether it exists is checked across files)."""
    return Annotated[
        str,
        BeforeValidator(lambda value: _text(number_id(value))),
        Ref(kinds),
        WithJsonSchema({"type": ["string", "number"]}),
    ]


def refs(*kinds: str) -> Any:
    """A list of references; an empty value counts as an empty list."""
    return Annotated[list[ref(*kinds)], BeforeValidator(_list), _OR_NOTHING]


def texts() -> Any:
    return Annotated[list[Text], BeforeValidator(_list), _OR_NOTHING]


def many(model: type) -> Any:
    return Annotated[list[model], BeforeValidator(_list), _OR_NOTHING]


Visibility = Literal["public", "internal", "confidential"]
Priority = Literal["high", "medium", "low"]
Level = Literal["high", "medium", "low"]
Audience = choice("audiences")
Cadence = Literal["daily", "weekly", "biweekly", "monthly", "quarterly", "half_yearly", "yearly"]
TimeUnit = choice("time_units")


class Model(BaseModel):
    """Base for every model: unknown keys are errors. Validated models never change (frozen): the
    build under ``mkdocs serve`` reuses what it derived from a file's models while the file is
    unchanged, and a template cannot alter what the next page shows."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Duration(Model):
    """A time span such as a response time: a value and its unit."""

    value: Positive = Field(description="How many units, more than 0, e.g. 4.")
    unit: TimeUnit = Field(
        description="minutes, hours, working_hours, days, working_days, weeks, months "
        "or a time unit defined in vocabularies.yml."
    )


def _time(value: Any) -> Any:
    """A time of day as HH:MM, 00:00 to 23:59 ('18:30', '08:05')."""
    if isinstance(value, str) and re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", value.strip()):
        return value.strip()
    raise PydanticCustomError(
        "time_format", "expected a time of day (HH:MM), got {found}", {"found": describe(value)}
    )


Time = Annotated[
    str,
    BeforeValidator(_time),
    WithJsonSchema({"type": "string", "pattern": r"^\s*([01][0-9]|2[0-3]):[0-5][0-9]\s*$"}),
]
"""A time of day, '18:30'."""


_SITE_PATH = (
    r"([A-Za-z0-9_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*/)*"  # folders: no '..', no leading '.' or '/'
    r"[A-Za-z0-9_][A-Za-z0-9_.-]*\.(svg|png|jpg|jpeg|webp|ico)"
)


def _site_path(value: Any) -> Any:
    """A picture file of the site (logo, icon) as a path inside the docs folder: letters, digits,
    '-', '_', '.' and '/', no '..', ending in an image type."""
    if isinstance(value, str) and re.fullmatch(_SITE_PATH, value):
        return value
    raise PydanticCustomError(
        "site_path", "{found} is not a picture file inside content/", {"found": describe(value)}
    )


SitePath = Annotated[
    str, BeforeValidator(_site_path), WithJsonSchema({"type": "string", "pattern": f"^{_SITE_PATH}$"})
]
"""A logo or icon file inside the docs folder, e.g. 'assets/logo.svg'."""


_NOT_IN_NAMES = '<>"`{}\\'


def _site_name(value: Any) -> Any:
    """The site's name: one line of plain text. The theme prints it unescaped in places (an
    aria-label, a heading), so characters that could end an attribute or start markup or a
    template are refused rather than escaped."""
    value = _text(value)
    if not isinstance(value, str):
        return value
    bad = sorted({ch for ch in value if ch in _NOT_IN_NAMES or ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0})
    if bad:
        shown = " ".join(f"'{ch}'" if ch.isprintable() else f"U+{ord(ch):04X}" for ch in bad)
        raise PydanticCustomError(
            "site_name",
            "the site name cannot contain {chars}: it is one line of plain text",
            {"chars": shown},
        )
    return value


SiteName = Annotated[
    str,
    BeforeValidator(_site_name),
    StringConstraints(min_length=1),
    WithJsonSchema(
        {"type": "string", "minLength": 1, "pattern": '^[^<>"`{}\\\\\u0000-\u001f\u007f-\u009f]+$'}
    ),
]
"""The site's name: plain text on one line, e.g. 'Social-Media-Handbuch der Stadtwerke'."""


_EDIT_PATH = r"[A-Za-z0-9_~+@%-][A-Za-z0-9._~+@%-]*(/[A-Za-z0-9_~+@%-][A-Za-z0-9._~+@%-]*)*/?"


def _edit_path(value: Any) -> Any:
    """The path of a repository's web editor with the branch ('edit/main/', '-/edit/main/'):
    path segments of URL characters, none starting with a dot."""
    if isinstance(value, str) and re.fullmatch(_EDIT_PATH, value):
        return value
    raise PydanticCustomError(
        "edit_path", "{found} is not a path of the repository's web editor", {"found": describe(value)}
    )


EditPath = Annotated[
    str, BeforeValidator(_edit_path), WithJsonSchema({"type": "string", "pattern": f"^{_EDIT_PATH}$"})
]
"""The web editor's path after the repository address, with the branch: 'edit/main/'."""


_URL_SCHEMES = ("https", "http", "mailto")


def _url(value: Any) -> Any:
    """A web or mail address: http(s) with a host, or mailto; nothing a browser would run."""
    value = _text(value)
    if not isinstance(value, str):
        return value
    scheme, colon, rest = value.partition(":")
    if not colon or scheme.lower() not in _URL_SCHEMES:
        raise PydanticCustomError(
            "url_scheme",
            "'{value}' is not a web or mail address",
            {"value": short(value)},
        )
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        raise PydanticCustomError(
            "url_space", "an address cannot contain spaces or line breaks: '{value}'", {"value": short(value)}
        )
    host = rest[2:].split("/", 1)[0] if rest.startswith("//") else ""
    if (scheme.lower() != "mailto" and not host) or not rest:
        raise PydanticCustomError("url_host", "'{value}' has no host name", {"value": short(value)})
    return value


_VISIBLE = r"[^\s\x00-\x1f\x7f]"
Url = Annotated[
    str,
    BeforeValidator(_url),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": rf"^\s*([hH][tT][tT][pP][sS]?://(?!/){_VISIBLE}+|[mM][aA][iI][lL][tT][oO]:{_VISIBLE}+)\s*$",
        }
    ),
]
"""An address people click: https://…, http://… or mailto:…"""


# @user, @org/team (GitLab also @group/subgroup and @@role) or an e-mail address: one token.
HANDLE_PATTERN = r"@{1,2}[^\s@#]+|[^\s@#]+@[^\s@#]+"
_HANDLE = re.compile(HANDLE_PATTERN)


def valid_handle(handle: str) -> bool:
    """Whether ``handle`` can stand in a CODEOWNERS line without adding or hiding anything."""
    return bool(_HANDLE.fullmatch(handle)) and not any(
        unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in handle
    )


def _handle(value: Any) -> Any:
    value = _text(value)
    if isinstance(value, str) and not valid_handle(value):
        raise PydanticCustomError(
            "handle_format", "'{value}' is not a git hosting handle", {"value": short(value)}
        )
    return value


def _invisible() -> str:
    """The characters a handle may not hold beyond blanks (controls, format characters such as
    bidi overrides and zero-width spaces), as \\uXXXX ranges for the JSON Schema. Only the Basic
    Multilingual Plane: a JSON Schema pattern cannot name the rest (a dozen rare format characters,
    which ``check`` still rejects)."""
    ranges: list[list[int]] = []
    for point in range(0x10000):
        if unicodedata.category(chr(point)) in ("Cc", "Cf", "Zl", "Zp"):
            if ranges and ranges[-1][1] == point - 1:
                ranges[-1][1] = point
            else:
                ranges.append([point, point])
    return "".join(f"\\u{a:04x}" + (f"-\\u{b:04x}" if b > a else "") for a, b in ranges)


@dataclass(frozen=True)
class _HandleSchema:
    """The JSON Schema of a handle, made when a schema is asked for: listing the invisible
    characters takes a scan of 65,536 code points, which ``check`` should not pay at start-up."""

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> dict[str, Any]:
        char = rf"[^\s@#{_invisible()}]"
        return {"type": "string", "pattern": rf"^\s*(@{{1,2}}{char}+|{char}+@{char}+)\s*$"}


Handle = Annotated[str, BeforeValidator(_handle), _HandleSchema()]
"""A CODEOWNERS owner: '@user', '@org/team' or an e-mail address, one token."""
