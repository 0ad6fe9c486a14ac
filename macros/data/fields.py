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
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from .loader import SourceFloat, SourceInt
from .positions import short

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


def _id(value: Any) -> Any:
    value = _text(value)
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


Text = Annotated[str, BeforeValidator(_text), StringConstraints(min_length=1)]
Id = Annotated[
    str,
    BeforeValidator(_id),
    WithJsonSchema({"type": "string", "pattern": ID_PATTERN, "maxLength": ID_MAX_LENGTH}),
    Field(description="Stable identifier: lowercase letters, digits and hyphens, e.g. 'b2b-installers'."),
]
Date = Annotated[
    dt.date,
    BeforeValidator(_date),
    WithJsonSchema({"type": "string", "format": "date"}),
]
Number = Annotated[float, BeforeValidator(_number)]
Int = Annotated[int, BeforeValidator(_whole)]
Positive = Annotated[
    float, BeforeValidator(_positive), WithJsonSchema({"type": "number", "exclusiveMinimum": 0})
]
Hours = Annotated[float, BeforeValidator(_number), Field(ge=0, le=60)]


def ref(*kinds: str) -> Any:
    """A reference to a record of one of ``kinds``."""
    return Annotated[str, BeforeValidator(_text), Ref(kinds), WithJsonSchema({"type": "string"})]


def refs(*kinds: str) -> Any:
    """A list of references; an empty value counts as an empty list."""
    return Annotated[list[ref(*kinds)], BeforeValidator(_list)]


def texts() -> Any:
    return Annotated[list[Text], BeforeValidator(_list)]


def many(model: type) -> Any:
    return Annotated[list[model], BeforeValidator(_list)]


Visibility = Literal["public", "internal", "confidential"]
Priority = Literal["high", "medium", "low"]
Level = Literal["high", "medium", "low"]
Audience = Literal["all_employees", "community_managers", "leadership", "experts"]
Cadence = Literal["daily", "weekly", "biweekly", "monthly", "quarterly", "half_yearly", "yearly"]
TimeUnit = Literal["minutes", "hours", "working_hours", "days", "working_days"]


class Model(BaseModel):
    """Base for every model: unknown keys are errors, values are validated on assignment."""

    model_config = ConfigDict(extra="forbid")


class Duration(Model):
    """A time span such as a response time: a value and its unit."""

    value: Positive = Field(description="How many units, more than 0, e.g. 4.")
    unit: TimeUnit = Field(description="minutes, hours, working_hours, days or working_days.")


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


Url = Annotated[
    str,
    BeforeValidator(_url),
    WithJsonSchema({"type": "string", "pattern": "^(https?://[^\\s/]+|mailto:)\\S*$"}),
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


Handle = Annotated[
    str,
    BeforeValidator(_handle),
    WithJsonSchema({"type": "string", "pattern": f"^({HANDLE_PATTERN})$"}),
]
"""A CODEOWNERS owner: '@user', '@org/team' or an e-mail address, one token."""
