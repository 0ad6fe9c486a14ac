"""Safe YAML loading that remembers where every value came from.

Built on libyaml's event stream (``CSafeLoader``), with our own resolution of
scalars instead of PyYAML's YAML 1.1 rules:

* ``yes``/``no``/``on``/``off`` stay text; only ``true``/``false`` are booleans;
* dates such as ``2024-01-01`` stay text (the model parses date fields);
* numbers keep their source text (``1.10``, ``0711``), so a text field gets
  exactly what was written;
* duplicate keys, anchors/aliases (and so alias bombs), explicit tags such as
  ``!!python/object``, multiple documents and absurdly deep nesting are errors.

Every error is a :class:`LoadError` with a position, a plain message and a hint.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .positions import Loc, Position

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?((0|[1-9][0-9]*)(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?")
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_STR_TAG = "tag:yaml.org,2002:str"
# The line breaks libyaml counts (str.splitlines() also splits on \v, \f and others, YAML does not).
_LINE_BREAK = re.compile("\r\n|\r|\n|\x85|\u2028|\u2029")
MAX_DEPTH = 64
"""Deeper nesting than this is an error (plans need a handful of levels; Python's stack needs a limit)."""
MAX_INT_DIGITS = 100
"""Longer whole numbers are not converted to int (Python refuses more than 4300 digits, and no field
takes numbers that size): they load as a float (infinite when huge) that keeps its text."""


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` as YAML numbers them (line 1 is index 0)."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def line_at(lines: Sequence[str], number: int) -> str | None:
    """The text of line ``number`` (1-based), or None when the file has no such line."""
    return lines[number - 1] if 1 <= number <= len(lines) else None


def source_lines(raw: bytes) -> list[str]:
    """Best-effort lines of a file for showing it, even if it is not valid UTF-8."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return split_lines(raw.decode("utf-16", "replace"))
    return split_lines(raw.decode("utf-8-sig", "replace"))


class SourceInt(int):
    """An int that remembers how it was written."""

    text: str


class SourceFloat(float):
    """A float that remembers how it was written."""

    text: str


@dataclass
class Document:
    """One loaded YAML file: its data and the position of every node."""

    path: Path
    data: Any
    lines: list[str]
    values: dict[Loc, Position] = field(default_factory=dict)
    keys: dict[Loc, Position] = field(default_factory=dict)

    def position(self, loc: Loc, prefer_key: bool = False) -> Position:
        """Where ``loc`` is written; falls back to the nearest enclosing node."""
        loc = tuple(loc)
        while True:
            if prefer_key and loc in self.keys:
                return self.keys[loc]
            if loc in self.values:
                return self.values[loc]
            if loc in self.keys:
                return self.keys[loc]
            if not loc:
                return Position(1, 1)
            loc = loc[:-1]

    def line_text(self, line: int) -> str | None:
        """The text of one line as written, or None when there is no such line."""
        return line_at(self.lines, line)


class LoadError(Exception):
    """A file that cannot be turned into data; carries position, a hint and a code.

    Codes: ``encoding`` (not UTF-8 text), ``yaml-syntax``, ``duplicate-key``, ``yaml-feature``
    (anchors, aliases, tags, merge keys, several documents, keys that are no plain word) and
    ``too-deep``.
    """

    def __init__(self, message: str, position: Position, hint: str, loc: Loc = (), code: str = "yaml-syntax"):
        super().__init__(message)
        self.message = message
        self.position = position
        self.hint = hint
        self.loc = loc
        self.code = code


def _pos(mark: Any) -> Position:
    return Position(mark.line + 1, mark.column + 1)


def resolve_plain(text: str) -> Any:
    """Resolve an unquoted scalar by our deliberate rules (see module doc)."""
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.fullmatch(text) and len(text.lstrip("+-")) <= MAX_INT_DIGITS:
        value = SourceInt(int(text))
        value.text = text
        return value
    if _FLOAT.fullmatch(text) and any(ch.isdigit() for ch in text):
        number = SourceFloat(float(text))  # float() has no digit limit; too large becomes inf
        number.text = text
        return number
    return text


# --- syntax errors ----------------------------------------------------------
#
# libyaml's messages name the grammar rule that failed; people need to know
# which line to change and how. Each helper below recognises one family of
# messages and looks at the source lines to say what was probably meant.

_TAB_HINT = "YAML allows only spaces for indentation: replace the tab with spaces"
_KEYISH = re.compile(r"(?P<indent> *)(?P<dash>(- +)*)(?P<key>[^\s:#'\"\[\]{},&*!|>%@`-][^:#]*?)\s*:(?:\s|$)")


def _content_lines(lines: list[str], before: int) -> list[tuple[int, str]]:
    """(line number, text) of the non-blank, non-comment lines above line ``before``, nearest first."""
    out = []
    for number in range(min(before, len(lines) + 1) - 1, 0, -1):
        text = lines[number - 1]
        if text.strip() and not text.lstrip().startswith("#"):
            out.append((number, text))
    return out


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _key_column(text: str) -> int:
    """1-based column where the key (or value) of a line starts, after any '- ' markers."""
    column = _indent(text)
    while text[column : column + 1] == "-" and text[column + 1 : column + 2] in (" ", ""):
        column += 1
        while text[column : column + 1] == " ":
            column += 1
    return column + 1


def _first_key(text: str) -> str | None:
    match = _KEYISH.match(text)
    return match.group("key").strip() if match else None


def _nearest(column: int, candidates: list[tuple[int, str]]) -> tuple[int, str] | None:
    """The candidate column closest to ``column``; on a tie the one from the nearer line wins."""
    best: tuple[int, str] | None = None
    for candidate in candidates:  # nearest line first
        if candidate[0] != column and (best is None or abs(candidate[0] - column) < abs(best[0] - column)):
            best = candidate
    return best


def _key_columns(lines: list[str], line: int) -> list[tuple[int, str]]:
    """(column, key) of the keys written above ``line``, nearest line first."""
    out = []
    for _, text in _content_lines(lines, line):
        key = _first_key(text)
        if key is not None:
            out.append((_key_column(text), key))
    return out


def _dash_columns(lines: list[str], line: int) -> list[tuple[int, str]]:
    """(column, '-') of the list items written above ``line``, nearest line first."""
    out = []
    for _, text in _content_lines(lines, line):
        column = _indent(text)
        while text[column : column + 1] == "-" and text[column + 1 : column + 2] in (" ", ""):
            out.append((column + 1, "-"))
            column += 1
            while text[column : column + 1] == " ":
                column += 1
    return out


def _quote(value: str) -> str:
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def _misplaced_line(lines: list[str], position: Position, _: Any) -> LoadError | None:
    """A key or list item that is not lined up with the lines it belongs to."""
    text = line_at(lines, position.line) or ""
    if not text.strip():
        return None
    column = _indent(text) + 1
    start = Position(position.line, column)
    if text.lstrip(" ").startswith("- ") or text.strip() == "-":
        target = _nearest(column, _dash_columns(lines, position.line))
        if target is None:
            return LoadError(
                "a list item '- ' appears where a key was expected",
                start,
                "put the list below its key, indented further: 'key:', then '  - item' on the next lines",
            )
        return LoadError(
            "this list item is not lined up with the items above it",
            start,
            f"start it with '- ' at column {target[0]}, like the other items of its list (spaces only)",
        )
    key = _first_key(text)
    target = _nearest(column, _key_columns(lines, position.line))
    if key is None or target is None:
        return None
    item = next((t for _, t in _content_lines(lines, position.line) if t.lstrip().startswith("-")), "")
    if _indent(item) + 1 == column and _first_key(item) is None:  # beside a list of plain values
        return LoadError(
            f"'{key}' is at the column of the list items above, but is not a list item",
            start,
            f"start it with '- ' if it is another item; if it belongs to the record, "
            f"move it to column {target[0]}, under '{target[1]}'",
        )
    return LoadError(
        f"'{key}' is not lined up with the keys above it",
        start,
        f"move it to column {target[0]}, under '{target[1]}', if it belongs to the same record (spaces only)",
    )


def _mapping_value_error(lines: list[str], position: Position, _: Any) -> LoadError | None:
    """'mapping values are not allowed': a ': ' inside a value, or a key indented too far."""
    text = line_at(lines, position.line) or ""
    before = text[: position.column - 1]
    match = re.fullmatch(r"(?P<lead> *(?:- +)*)(?P<key>[^\s:#'\"][^:]*?):\s+(?P<value>\S.*)", text)
    if match and ": " in before[match.end("key") :] and match.group("value").strip():
        key, value = match.group("key"), match.group("value").rstrip()
        if " #" in value:
            value = value[: value.index(" #")].rstrip()
        return LoadError(
            f"the value of '{key}' contains ': ', which YAML reads as another key",
            position,
            f"put the whole value in quotes: {key}: {_quote(value)}",
        )
    key = _first_key(text)
    above = _content_lines(lines, position.line)
    if (
        key is not None
        and above
        and _indent(text) == _indent(above[0][1])
        and above[0][1].lstrip().startswith("-")
    ):
        target = _nearest(_indent(text) + 1, _key_columns(lines, position.line))
        where = (
            f"move it to column {target[0]}, under '{target[1]}'" if target else "indent it like its record"
        )
        return LoadError(
            f"'{key}' is at the column of the list items above, but is not a list item",
            Position(position.line, _indent(text) + 1),
            f"start it with '- ' if it is another item; if it belongs to the record, {where}",
        )
    if key is not None and above and _indent(text) == _indent(above[0][1]) and ":" not in above[0][1]:
        return _missing_colon(above[0])
    if key is not None and above and _indent(text) > _indent(above[0][1]):
        column = _indent(text) + 1
        target = _nearest(column, _key_columns(lines, position.line))
        where = f"column {target[0]}, under '{target[1]}'" if target else "the column of the keys above"
        return LoadError(
            f"'{key}' is indented further than the keys above it",
            Position(position.line, column),
            f"move it to {where}; a deeper line is read as the continuation of the value above",
        )
    return None


def _missing_colon(line: tuple[int, str]) -> LoadError:
    """A 'key value' line without ':'; YAML reads it as text that continues on the next line."""
    number, text = line
    words = text.strip().removeprefix("- ").split(None, 1)
    example = f": write '{words[0]}: {words[1]}'" if len(words) == 2 else ""
    return LoadError(
        "this line has no ':' after its key",
        Position(number, _key_column(text)),
        f"every line of a record is 'key: value'{example}",
    )


def _no_colon_error(lines: list[str], _: Position, exc: yaml.MarkedYAMLError) -> LoadError | None:
    """'could not find expected ':'': a key without ': ', usually 'key:value'."""
    mark = exc.context_mark
    if mark is None:
        return None
    position = _pos(mark)
    text = line_at(lines, position.line) or ""
    match = re.fullmatch(r" *(?:- +)*(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s].*)", text)
    if match:
        key, value = match.group("key"), match.group("value").rstrip()
        return LoadError(
            f"'{key}:{value}' has no space after the ':'",
            position,
            f"write a space after the colon: '{key}: {value}'",
        )
    return LoadError(
        "this line is neither 'key: value' nor a list item '- …'",
        position,
        "write 'key: value'; a text that continues on the next line must be indented further than its key",
    )


def _unclosed_error(lines: list[str], _: Position, exc: yaml.MarkedYAMLError) -> LoadError | None:
    """End of file inside a quoted text or a [list] / {mapping}: point at where it was opened."""
    mark = exc.context_mark
    if mark is None:
        return None
    position = _pos(mark)
    text = line_at(lines, position.line) or ""
    opener = text[position.column - 1 : position.column] or "?"
    if opener in ("'", '"'):
        return LoadError(
            f"the quote {opener} opened here is never closed",
            position,
            f"add the closing {opener} at the end of the text",
        )
    closer = {"[": "]", "{": "}"}.get(opener)
    if closer:
        return LoadError(
            f"the '{opener}' opened here is never closed",
            position,
            f"add the closing '{closer}'",
        )
    return None


def _token_error(lines: list[str], position: Position, _: Any) -> LoadError:
    """'found character that cannot start any token': '@', '`', '%' at the start of a value."""
    text = line_at(lines, position.line) or ""
    char = text[position.column - 1 : position.column]
    value = text[position.column - 1 :].rstrip()
    if " #" in value:
        value = value[: value.index(" #")].rstrip()
    return LoadError(
        f"a value cannot start with '{char}' unless it is in quotes",
        position,
        f"put it in quotes: {_quote(value)}",
    )


def _indicator_error(lines: list[str], _: Position, exc: yaml.MarkedYAMLError) -> LoadError:
    """A broken anchor/alias/tag: '*', '&' or '!' at the start of a value (often Markdown '*bold*')."""
    mark = exc.context_mark or exc.problem_mark
    position = _pos(mark) if mark is not None else Position(1, 1)
    text = line_at(lines, position.line) or ""
    char = text[position.column - 1 : position.column] or "*"
    value = text[position.column - 1 :].rstrip()
    return LoadError(
        f"a value cannot start with '{char}' unless it is in quotes",
        position,
        f"'{char}' starts an alias, anchor or tag in YAML; put the text in quotes: {_quote(value)}",
    )


# Messages without a smarter helper: (needle in libyaml's problem, message, hint).
_SYNTAX_HINTS: list[tuple[str, str, str]] = [
    (
        "found unknown escape character",
        "a backslash in a double-quoted text starts an unknown escape sequence",
        "use single quotes for text with backslashes, or write each backslash twice ('\\\\')",
    ),
    (
        "did not find expected hexdecimal number",
        "a backslash in a double-quoted text starts an incomplete escape sequence",
        "use single quotes for text with backslashes, or write each backslash twice ('\\\\')",
    ),
    (
        "did not find expected ',' or ']'",
        "a list in [brackets] is not closed properly",
        "separate items with ', ' and end the list with ']'",
    ),
    (
        "did not find expected ',' or '}'",
        "a mapping in {braces} is not closed properly",
        "separate entries with ', ' and end it with '}'",
    ),
    (
        "block sequence entries are not allowed",
        "a list item '- ' appears where a value was expected",
        "start the list on a new line below the key, indented further",
    ),
    (
        "block mapping entries are not allowed",
        "a 'key: value' appears where a value was expected",
        "start it on a new line below the key, indented further",
    ),
    (
        "found unexpected end of stream",
        "the file ends inside an unfinished value",
        "close the quote or bracket that was opened",
    ),
    (
        "mapping values are not allowed",
        "unexpected ':' here",
        "a value that contains ': ' must be put in quotes; otherwise check the indentation",
    ),
    (
        "did not find expected key",
        "this line does not fit the indentation of the lines above",
        "line it up with the keys of the record it belongs to (spaces only)",
    ),
    (
        "did not find expected '-' indicator",
        "this line does not fit the indentation of the list above",
        "list items start with '- ' at the same indentation as the other items",
    ),
    (
        "found undefined tag handle",
        "'!' starts a tag here",
        "put the value in quotes if it should be text",
    ),
]


def _unclosed_flow(lines: list[str], position: Position, exc: yaml.MarkedYAMLError) -> LoadError | None:
    """'did not find expected ',' or ']'' with the place where the [list] or {mapping} was opened."""
    if exc.context_mark is None:
        return None
    opener, closer = ("[", "]") if "']'" in (exc.problem or "") else ("{", "}")
    what, lines_form = ("list", "'- item'") if opener == "[" else ("mapping", "'key: value'")
    return LoadError(
        f"the {what} in {opener}{closer} opened on line {exc.context_mark.line + 1} is not closed",
        position,
        f"separate its entries with ', ' and end it with '{closer}' (or write it as {lines_form} lines)",
    )


def _document_start_error(lines: list[str], position: Position, _: Any) -> LoadError:
    """'expected <document start>': an indented first line, or a line that fits nowhere."""
    content = _content_lines(lines, position.line + 1)
    first = content[-1] if content else None
    if first is not None and _indent(first[1]) and first[0] < position.line:
        return LoadError(
            "the first line of the file is indented, so the lines below it do not fit",
            Position(first[0], _indent(first[1]) + 1),
            f"top-level keys start at column 1: remove the spaces before line {first[0]}",
        )
    return LoadError(
        "this line does not fit the structure above it",
        position,
        "check the indentation (spaces only) of this line and the lines above",
    )


def _block_scalar_error(lines: list[str], position: Position, exc: yaml.MarkedYAMLError) -> LoadError | None:
    """Text on the line of '|' or '>'."""
    if "block scalar" not in (exc.context or ""):
        return None
    return LoadError(
        "after '|' or '>' the text must start on the next line",
        position,
        "move the text to the next line, indented, or remove the '|' / '>'",
    )


_Helper = Callable[[list[str], Position, yaml.MarkedYAMLError], LoadError | None]

_SYNTAX_HELPERS: list[tuple[str, _Helper]] = [
    ("mapping values are not allowed", _mapping_value_error),
    ("did not find expected key", _misplaced_line),
    ("did not find expected '-' indicator", _misplaced_line),
    ("could not find expected ':'", _no_colon_error),
    ("found unexpected end of stream", _unclosed_error),
    ("cannot start any token", _token_error),
    ("did not find expected alphabetic or numeric character", _indicator_error),
    ("did not find expected ','", _unclosed_flow),
    ("expected <document start>", _document_start_error),
    ("did not find expected comment or line break", _block_scalar_error),
]
"""(needle in libyaml's problem, helper that looks at the lines): the first needle found decides;
when its helper finds nothing better (None), the plain hints of ``_SYNTAX_HINTS`` apply."""


def _syntax_error(exc: yaml.MarkedYAMLError, lines: list[str]) -> LoadError:
    mark = exc.problem_mark or exc.context_mark
    position = _pos(mark) if mark is not None else Position(1, 1)
    problem = exc.problem or "invalid YAML"
    line_text = line_at(lines, position.line) or ""
    prefix = line_text[: position.column]
    if "\t" in prefix and not prefix.replace("\t", " ").strip(" -"):
        return LoadError(
            "a tab character is used for indentation",
            Position(position.line, line_text.index("\t") + 1),
            _TAB_HINT,
        )
    if "tab character" in problem and "\t" in line_text:
        return LoadError(
            "a tab character is used where YAML expects spaces",
            Position(position.line, line_text.index("\t") + 1),
            _TAB_HINT,
        )
    helper = next((helper for needle, helper in _SYNTAX_HELPERS if needle in problem), None)
    found = helper(lines, position, exc) if helper is not None else None
    if found is not None:
        return found
    if "escape" in problem or "hexdecimal" in problem:
        backslash = line_text.rfind("\\", 0, position.column)
        position = Position(position.line, backslash + 1) if backslash >= 0 else position
    for needle, message, hint in _SYNTAX_HINTS:
        if needle in problem:
            return LoadError(message, position, hint)
    context = f" ({exc.context})" if exc.context else ""
    return LoadError(
        f"invalid YAML: {problem}{context}",
        position,
        "check indentation (spaces only) and quoting near this position",
    )


# --- events to data ---------------------------------------------------------

_ALIAS_HINT = (
    "anchors and aliases are not allowed in plans: write the value out in full "
    "(if '{char}' is part of a text, put the whole text in quotes)"
)


class _Builder:
    """Turns libyaml events into plain data plus a position map."""

    def __init__(self, doc: Document, events: Any):
        self.doc = doc
        self.events = events

    def next(self) -> Any:
        return next(self.events)

    def build(self) -> Any:
        event = self.next()
        assert isinstance(event, yaml.StreamStartEvent)
        event = self.next()
        if isinstance(event, yaml.StreamEndEvent):
            return None
        data = self._node(self.next(), ())
        self.next()  # DocumentEndEvent
        event = self.next()
        if not isinstance(event, yaml.StreamEndEvent):
            raise LoadError(
                "the file holds more than one YAML document",
                _pos(event.start_mark),
                "remove the '---' line; each plans file holds one document",
                code="yaml-feature",
            )
        return data

    def _check_node(self, event: Any, loc: Loc) -> None:
        if isinstance(event, yaml.AliasEvent):
            raise LoadError(
                f"alias '*{event.anchor}' is not supported",
                _pos(event.start_mark),
                _ALIAS_HINT.format(char="*"),
                loc,
                "yaml-feature",
            )
        if getattr(event, "anchor", None):
            raise LoadError(
                f"anchor '&{event.anchor}' is not supported",
                _pos(event.start_mark),
                _ALIAS_HINT.format(char="&"),
                loc,
                "yaml-feature",
            )
        tag = getattr(event, "tag", None)
        if not tag or tag in (_STR_TAG, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
            return
        if isinstance(event, yaml.ScalarEvent) and event.implicit[0]:
            return
        shown = tag.replace("tag:yaml.org,2002:", "!!")
        raise LoadError(
            f"tag '{shown}' is not allowed",
            _pos(event.start_mark),
            "plans hold plain data only; remove the tag (a text starting with '!' goes in quotes)",
            loc,
            "yaml-feature",
        )

    def _node(self, event: Any, loc: Loc) -> Any:
        self._check_node(event, loc)
        self.doc.values[loc] = _pos(event.start_mark)
        if isinstance(event, yaml.ScalarEvent):
            if event.tag == _STR_TAG or not event.implicit[0] or event.style:
                return event.value
            return resolve_plain(event.value)
        if len(loc) >= MAX_DEPTH:
            named = max((i for i, part in enumerate(loc) if isinstance(part, str)), default=-1)
            raise LoadError(
                f"lists and mappings are nested more than {MAX_DEPTH} levels deep",
                _pos(event.start_mark),
                "plans need only a few levels; check the brackets and the indentation",
                loc[: named + 1],
                "too-deep",
            )
        if isinstance(event, yaml.SequenceStartEvent):
            items: list[Any] = []
            while True:
                child = self.next()
                if isinstance(child, yaml.SequenceEndEvent):
                    return items
                items.append(self._node(child, (*loc, len(items))))
        if isinstance(event, yaml.MappingStartEvent):
            mapping: dict[str, Any] = {}
            while True:
                key_event = self.next()
                if isinstance(key_event, yaml.MappingEndEvent):
                    return mapping
                key = self._key(key_event, loc)
                key_pos = _pos(key_event.start_mark)
                if key in mapping:
                    first = self.doc.keys[(*loc, key)]
                    raise LoadError(
                        f"duplicate key '{key}'",
                        key_pos,
                        f"'{key}' is already set on line {first.line}; remove one of them",
                        (*loc, key),
                        "duplicate-key",
                    )
                self.doc.keys[(*loc, key)] = key_pos
                mapping[key] = self._node(self.next(), (*loc, key))
        raise LoadError("unexpected YAML structure", _pos(event.start_mark), "", loc)

    def _key(self, event: Any, loc: Loc) -> str:
        self._check_node(event, loc)
        if not isinstance(event, yaml.ScalarEvent):
            raise LoadError(
                "a key must be a plain word, not a list or mapping",
                _pos(event.start_mark),
                "write keys as 'name: value'",
                loc,
                "yaml-feature",
            )
        if event.value == "<<" and event.implicit[0]:
            raise LoadError(
                "merge keys ('<<') are not supported",
                _pos(event.start_mark),
                "write the fields out in full",
                loc,
                "yaml-feature",
            )
        return event.value


def _offset_position(text: str, index: int) -> Position:
    """Line and column of the character at ``index``, counted the way YAML counts lines."""
    lines = split_lines(text[:index] + "x")
    return Position(len(lines), len(lines[-1]))


def load_text(text: str, path: Path) -> Document:
    """Load YAML text; raises LoadError with a position on any problem."""
    doc = Document(path=path, data=None, lines=split_lines(text))
    try:
        events = yaml.parse(text, Loader=yaml.CSafeLoader)
        doc.data = _Builder(doc, iter(events)).build()
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, doc.lines) from None
    except yaml.reader.ReaderError as exc:  # control characters the YAML spec forbids
        # exc.position counts bytes, not characters: find the (first) offending character instead.
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        index = text.find(char)
        raise LoadError(
            f"the file contains the control character U+{ord(char):04X}, which YAML does not allow",
            _offset_position(text, index) if index >= 0 else Position(1, 1),
            "delete it (it is invisible in most editors; retype the text around it)",
            code="encoding",
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise LoadError(
            "invalid YAML: " + " ".join(str(exc).split()),
            _pos(mark) if mark else Position(1, 1),
            "check the syntax near this position",
        ) from None
    return doc


def load_file(path: Path) -> Document:
    """Read and load one file, insisting on UTF-8."""
    return load_bytes(path.read_bytes(), path)


def load_bytes(raw: bytes, path: Path) -> Document:
    """Load the bytes of a file read already, insisting on UTF-8."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError(
            "the file is saved as UTF-16, not UTF-8",
            Position(1, 1),
            "save the file again with the encoding 'UTF-8' (in Notepad: 'Save as', Encoding: UTF-8)",
            code="encoding",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        column = len(raw[start : exc.start].decode("utf-8-sig", "replace")) + 1
        raise LoadError(
            f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            Position(line, column),
            "save the file with UTF-8 encoding (umlauts saved as Latin-1/Windows-1252 cause this)",
            code="encoding",
        ) from None
    if "\x00" in text:
        raise LoadError(
            "the file contains a NUL character",
            _offset_position(text, text.index("\x00")),
            "plans files must be plain text; save it again as UTF-8 text",
            code="encoding",
        )
    return load_text(text, path)
