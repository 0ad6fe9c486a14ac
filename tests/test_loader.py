"""The loader: our scalar rules, positions, and every way a file is refused."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
import yaml

from macros.data.loader import (
    MAX_DEPTH,
    MAX_INT_DIGITS,
    LoadError,
    SourceFloat,
    SourceInt,
    load_bytes,
    load_file,
    load_text,
    resolve_plain,
    source_lines,
    split_lines,
)
from macros.data.positions import Position


def load(text: str):
    return load_text(text, Path("plans/x.yml"))


def error(text: str) -> LoadError:
    with pytest.raises(LoadError) as info:
        load(text)
    return info.value


def describe(exc: LoadError) -> tuple[int, int, tuple, str, str]:
    return (exc.position.line, exc.position.column, exc.loc, exc.message, exc.hint)


# --- scalar resolution ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", None),
        ("~", None),
        ("null", None),
        ("NULL", None),
        ("true", True),
        ("False", False),
        # YAML 1.1 booleans stay text
        ("yes", "yes"),
        ("no", "no"),
        ("No", "No"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("n", "n"),
        # YAML 1.1 octal, sexagesimal, hex, underscores, dates and specials stay text
        ("0711", "0711"),
        ("0o17", "0o17"),
        ("12:30", "12:30"),
        ("0x1F", "0x1F"),
        ("1_000", "1_000"),
        ("2026-06-01", "2026-06-01"),
        (".inf", ".inf"),
        (".nan", ".nan"),
        ("-", "-"),
        (".", "."),
    ],
)
def test_resolve_plain_keeps_text_and_nulls(text: str, expected: object) -> None:
    value = resolve_plain(text)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("text", "kind", "number"),
    [
        ("0", SourceInt, 0),
        ("42", SourceInt, 42),
        ("-3", SourceInt, -3),
        ("+1", SourceInt, 1),
        ("1.10", SourceFloat, 1.1),
        ("2.5", SourceFloat, 2.5),
        (".5", SourceFloat, 0.5),
        ("1e3", SourceFloat, 1000.0),
        ("2.", SourceFloat, 2.0),
    ],
)
def test_resolve_plain_numbers_remember_their_text(text: str, kind: type, number: float) -> None:
    value = resolve_plain(text)
    assert type(value) is kind
    assert value == number
    assert value.text == text


@pytest.mark.parametrize("digits", [MAX_INT_DIGITS + 1, 4301, 100_000])
def test_whole_numbers_too_long_for_an_int_keep_their_text(digits: int) -> None:
    # Python refuses int() of more than 4300 digits; the loader never asks it to.
    text = "9" * digits
    value = resolve_plain(text)
    assert type(value) is SourceFloat
    assert value == float(text)  # inf from 309 digits on: a number field refuses it, a text field keeps it
    assert value.text == text
    assert type(resolve_plain("-" + "9" * MAX_INT_DIGITS)) is SourceInt


@pytest.mark.parametrize(("text", "number"), [("1e400", math.inf), ("-1e400", -math.inf), ("1e-400", 0.0)])
def test_numbers_beyond_float_keep_their_text(text: str, number: float) -> None:
    value = resolve_plain(text)
    assert (type(value), value, value.text) == (SourceFloat, number, text)


def test_a_huge_number_in_a_text_field_is_the_text_as_written() -> None:
    from pydantic import TypeAdapter

    from macros.data.fields import Text

    text = "1" * 5000
    assert TypeAdapter(Text).validate_python(load(f"title: {text}\n").data["title"]) == text
    assert TypeAdapter(Text).validate_python(resolve_plain("1e400")) == "1e400"


def test_quoted_and_str_tagged_scalars_are_text() -> None:
    doc = load("a: '42'\nb: \"true\"\nc: !!str 3\nd: 'null'\ne: ''\n")
    assert doc.data == {"a": "42", "b": "true", "c": "3", "d": "null", "e": ""}
    assert all(type(v) is str for v in doc.data.values())


def test_block_scalars_are_text() -> None:
    doc = load("a: |\n  Zeile 1\n  Zeile 2\nb: >\n  gefaltet\n  weiter\n")
    assert doc.data == {"a": "Zeile 1\nZeile 2\n", "b": "gefaltet weiter\n"}


# --- positions ----------------------------------------------------------------------

NESTED = """\
roles:
  - id: a
    duties:
      - x
      -   y
    nested:
      - - deep
    tags: [one, two]
    map: {k: v}
"""


def test_positions_of_values_including_nested_lists() -> None:
    doc = load(NESTED)
    assert doc.data == {
        "roles": [
            {"id": "a", "duties": ["x", "y"], "nested": [["deep"]], "tags": ["one", "two"], "map": {"k": "v"}}
        ]
    }
    expected = {
        (): (1, 1),
        ("roles",): (2, 3),
        ("roles", 0): (2, 5),
        ("roles", 0, "id"): (2, 9),
        ("roles", 0, "duties"): (4, 7),
        ("roles", 0, "duties", 0): (4, 9),
        ("roles", 0, "duties", 1): (5, 11),
        ("roles", 0, "nested"): (7, 7),
        ("roles", 0, "nested", 0): (7, 9),
        ("roles", 0, "nested", 0, 0): (7, 11),
        ("roles", 0, "tags"): (8, 11),
        ("roles", 0, "tags", 0): (8, 12),
        ("roles", 0, "tags", 1): (8, 17),
        ("roles", 0, "map"): (9, 10),
        ("roles", 0, "map", "k"): (9, 14),
    }
    assert {loc: (p.line, p.column) for loc, p in doc.values.items()} == expected


def test_positions_of_keys() -> None:
    doc = load(NESTED)
    assert {loc: (p.line, p.column) for loc, p in doc.keys.items()} == {
        ("roles",): (1, 1),
        ("roles", 0, "id"): (2, 5),
        ("roles", 0, "duties"): (3, 5),
        ("roles", 0, "nested"): (6, 5),
        ("roles", 0, "tags"): (8, 5),
        ("roles", 0, "map"): (9, 5),
        ("roles", 0, "map", "k"): (9, 11),
    }


def test_position_prefers_value_then_key_then_nearest_parent() -> None:
    doc = load(NESTED)
    assert doc.position(("roles", 0, "duties")) == Position(4, 7)
    assert doc.position(("roles", 0, "duties"), prefer_key=True) == Position(3, 5)
    # a field that is not written falls back to its record
    assert doc.position(("roles", 0, "name")) == Position(2, 5)
    assert doc.position(("roles", 5, "name")) == Position(2, 3)
    assert doc.position(("nothing", "here")) == Position(1, 1)


def test_positions_with_crlf_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "roles.yml"
    path.write_bytes(b"\xef\xbb\xbfroles:\r\n  - id: a\r\n    name: B\r\n")
    doc = load_file(path)
    assert doc.data == {"roles": [{"id": "a", "name": "B"}]}
    assert doc.keys[("roles",)] == Position(1, 1)
    assert doc.values[("roles", 0, "name")] == Position(3, 11)
    assert doc.lines == ["roles:", "  - id: a", "    name: B"]


def test_line_text() -> None:
    doc = load("a: 1\nb: 2\n")
    assert doc.line_text(2) == "b: 2"
    assert doc.line_text(0) is None
    assert doc.line_text(3) is None


def test_split_lines_counts_like_yaml() -> None:
    assert split_lines("a\r\nb\rc\nd\n") == ["a", "b", "c", "d"]
    # form feed and vertical tab are no line breaks in YAML (str.splitlines() would split there)
    assert split_lines("a\x0cb\x0bc\n") == ["a\x0cb\x0bc"]
    assert split_lines("") == []
    assert split_lines("a\n\n") == ["a", ""]


def test_source_lines_decode_what_they_can() -> None:
    assert source_lines(b"\xef\xbb\xbfa: 1\nb: \xe4\n") == ["a: 1", "b: \ufffd"]
    assert source_lines("a: ä\n".encode("utf-16")) == ["a: ä"]


# --- duplicate keys, aliases, tags, merge keys -----------------------------------------


def test_duplicate_key() -> None:
    exc = error("roles:\n  - id: a\n    name: B\n    name: C\n")
    assert describe(exc) == (
        4,
        5,
        ("roles", 0, "name"),
        "duplicate key 'name'",
        "'name' is already set on line 3; remove one of them",
    )


def test_duplicate_top_level_key() -> None:
    exc = error("roles: []\nroles: []\n")
    assert describe(exc)[:4] == (2, 1, ("roles",), "duplicate key 'roles'")


ALIAS_HINT = (
    "anchors and aliases are not allowed in plans: write the value out in full "
    "(if '{}' is part of a text, put the whole text in quotes)"
)


def test_anchor_is_refused_where_it_is_defined() -> None:
    exc = error("a:\n  reviewed: &d 2026-01-01\nb:\n  reviewed: *d\n")
    assert describe(exc) == (2, 13, ("a", "reviewed"), "anchor '&d' is not supported", ALIAS_HINT.format("&"))


def test_alias_is_refused() -> None:
    exc = error("a: *d\n")
    assert describe(exc) == (1, 4, ("a",), "alias '*d' is not supported", ALIAS_HINT.format("*"))


def test_alias_bomb_is_refused_without_expanding(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    text = "\n".join(lines) + "\n"
    # The loader reads parser events one by one and stops at the first anchor: it never builds
    # a node graph (yaml.compose) or constructs objects (yaml.load), so nothing is expanded.
    parse = yaml.parse
    consumed: list[object] = []

    def counted(*args: object, **kwargs: object) -> Iterator[object]:
        for event in parse(*args, **kwargs):
            consumed.append(event)
            yield event

    def expanding(*args: object, **kwargs: object) -> NoReturn:
        raise AssertionError("the loader must not compose or construct YAML")

    monkeypatch.setattr(yaml, "parse", counted)
    for name in ("compose", "compose_all", "load", "load_all", "safe_load", "safe_load_all"):
        monkeypatch.setattr(yaml, name, expanding)
    exc = error(text)
    assert describe(exc)[:4] == (1, 4, ("a",), "anchor '&a' is not supported")
    # stream, document, mapping, key 'a', then the anchored sequence: refused there
    assert [type(event).__name__ for event in consumed] == [
        "StreamStartEvent",
        "DocumentStartEvent",
        "MappingStartEvent",
        "ScalarEvent",
        "SequenceStartEvent",
    ]


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("a: !!python/object/apply:os.system ['echo pwned']\n", "!!python/object/apply:os.system"),
        ("a: !!python/name:os.system\n", "!!python/name:os.system"),
        ("a: !!binary aGk=\n", "!!binary"),
        ("a: !!int 3\n", "!!int"),
        ("a: !!set {x}\n", "!!set"),
        ("a: !wichtig Text\n", "!wichtig"),
    ],
)
def test_tags_are_refused(text: str, tag: str) -> None:
    exc = error(text)
    assert describe(exc) == (
        1,
        4,
        ("a",),
        f"tag '{tag}' is not allowed",
        "plans hold plain data only; remove the tag (a text starting with '!' goes in quotes)",
    )


def test_merge_key_is_refused() -> None:
    exc = error("base: x\nitem:\n  <<: {owner: a}\n  name: b\n")
    assert describe(exc) == (
        3,
        3,
        ("item",),
        "merge keys ('<<') are not supported",
        "write the fields out in full",
    )


def test_quoted_merge_key_is_an_ordinary_key() -> None:
    assert load("'<<': x\n").data == {"<<": "x"}


def test_complex_key_is_refused() -> None:
    exc = error("? [a, b]\n: c\n")
    assert describe(exc)[:4] == (1, 3, (), "a key must be a plain word, not a list or mapping")


def test_nesting_depth_is_limited() -> None:
    exc = error("terms: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n")
    assert describe(exc) == (
        1,
        7 + MAX_DEPTH,
        ("terms",),
        f"lists and mappings are nested more than {MAX_DEPTH} levels deep",
        "plans need only a few levels; check the brackets and the indentation",
    )
    # just below the limit is fine: the mapping and MAX_DEPTH - 1 lists, all of them loaded
    deepest: list = []
    for _ in range(MAX_DEPTH - 2):
        deepest = [deepest]
    assert load("a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n").data == {"a": deepest}


# --- documents and empty files --------------------------------------------------------


def test_two_documents() -> None:
    exc = error("roles: []\n---\nroles: []\n")
    assert describe(exc) == (
        2,
        1,
        (),
        "the file holds more than one YAML document",
        "remove the '---' line; each plans file holds one document",
    )


def test_one_document_with_markers_is_fine() -> None:
    assert load("---\nroles: []\n...\n").data == {"roles": []}


@pytest.mark.parametrize("text", ["", "\n\n", "# nur ein Kommentar\n", "---\n", "  \n# a\n  # b\n"])
def test_empty_files_load_as_none(text: str) -> None:
    assert load(text).data is None


# --- encodings and bytes ---------------------------------------------------------------


def test_bom_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "x.yml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\n")
    doc = load_file(path)
    assert doc.data == {"a": 1}
    assert doc.keys[("a",)] == Position(1, 1)


def test_latin1_file_points_at_the_first_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "x.yml"
    path.write_bytes("a: 1\nb: Größe\n".encode("latin-1"))
    with pytest.raises(LoadError) as info:
        load_file(path)
    assert describe(info.value) == (
        2,
        6,
        (),
        "the file is not valid UTF-8 (byte 0xf6)",
        "save the file with UTF-8 encoding (umlauts saved as Latin-1/Windows-1252 cause this)",
    )


def test_non_utf8_column_counts_characters_not_bytes(tmp_path: Path) -> None:
    path = tmp_path / "x.yml"
    # valid UTF-8 umlauts before a Latin-1 byte: the column counts the characters
    path.write_bytes("a: äöü ".encode() + b"\xe4\n")
    with pytest.raises(LoadError) as info:
        load_file(path)
    assert (info.value.position, info.value.message) == (
        Position(1, 8),
        "the file is not valid UTF-8 (byte 0xe4)",
    )


def test_utf16_file(tmp_path: Path) -> None:
    path = tmp_path / "x.yml"
    path.write_bytes("a: 1\n".encode("utf-16"))
    with pytest.raises(LoadError) as info:
        load_file(path)
    assert describe(info.value) == (
        1,
        1,
        (),
        "the file is saved as UTF-16, not UTF-8",
        "save the file again with the encoding 'UTF-8' (in Notepad: 'Save as', Encoding: UTF-8)",
    )


def test_load_bytes_is_load_file_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "x.yml"
    path.write_bytes(b"a: 1\n")
    assert load_bytes(b"a: 1\n", path).data == load_file(path).data == {"a": 1}
    with pytest.raises(LoadError, match="UTF-16"):
        load_bytes("a: 1\n".encode("utf-16"), path)


def test_nul_byte(tmp_path: Path) -> None:
    path = tmp_path / "x.yml"
    path.write_bytes(b"a: 1\nb: x\x00y\n")
    with pytest.raises(LoadError) as info:
        load_file(path)
    assert describe(info.value) == (
        2,
        5,
        (),
        "the file contains a NUL character",
        "plans files must be plain text; save it again as UTF-8 text",
    )


def test_control_character_position_counts_characters() -> None:
    exc = error("a: äöü\nb: xy\x0bz\n")
    assert describe(exc) == (
        2,
        6,
        (),
        "the file contains the control character U+000B, which YAML does not allow",
        "delete it (it is invisible in most editors; retype the text around it)",
    )


# --- syntax errors: position, plain message, concrete hint -----------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "roles:\n  - id: a\n\tname: b\n",
            (3, 1, "a tab character is used for indentation", "replace the tab with spaces"),
            id="tab",
        ),
        pytest.param(
            "a:\n  - b\n  \t- c\n",
            (3, 3, "a tab character is used for indentation", "replace the tab with spaces"),
            id="tab-after-spaces",
        ),
        pytest.param(
            "a:\n  -\tb\n",
            (2, 4, "a tab character is used for indentation", "replace the tab with spaces"),
            id="tab-after-dash",
        ),
        pytest.param(
            "roles:\n  - id: a\n    summary: Wichtig: alles\n",
            (
                3,
                21,
                "the value of 'summary' contains ': ', which YAML reads as another key",
                'put the whole value in quotes: summary: "Wichtig: alles"',
            ),
            id="colon-in-value",
        ),
        pytest.param(
            'a: Zitat: "x" # Kommentar\n',
            (
                1,
                9,
                "the value of 'a' contains ': ', which YAML reads as another key",
                "put the whole value in quotes: a: 'Zitat: \"x\"'",
            ),
            id="colon-in-value-with-quotes",
        ),
        pytest.param(
            "roles:\n  - id: a\n    name: b\n      department: c\n",
            (
                4,
                7,
                "'department' is indented further than the keys above it",
                "move it to column 5, under 'name'; "
                "a deeper line is read as the continuation of the value above",
            ),
            id="key-too-deep",
        ),
        pytest.param(
            "roles:\n  - id: a\n    name: b\n   department: c\n",
            (
                4,
                4,
                "'department' is not lined up with the keys above it",
                "move it to column 5, under 'name', if it belongs to the same record (spaces only)",
            ),
            id="key-too-shallow",
        ),
        pytest.param(
            "company:\n  name: A\n description: B\n",
            (
                3,
                2,
                "'description' is not lined up with the keys above it",
                "move it to column 3, under 'name', if it belongs to the same record (spaces only)",
            ),
            id="nested-key-dedented",
        ),
        pytest.param(
            "a:\n  - x\n  - y\n - z\n",
            (
                4,
                2,
                "this list item is not lined up with the items above it",
                "start it with '- ' at column 3, like the other items of its list (spaces only)",
            ),
            id="list-item-dedented",
        ),
        pytest.param(
            "roles:\n  - id: a\n    duties:\n      - x\n     - y\n",
            (
                5,
                6,
                "this list item is not lined up with the items above it",
                "start it with '- ' at column 7, like the other items of its list (spaces only)",
            ),
            id="nested-list-item-misaligned",
        ),
        pytest.param(
            "a: b\n- c\n",
            (
                2,
                1,
                "a list item '- ' appears where a key was expected",
                "put the list below its key, indented further: 'key:', then '  - item' on the next lines",
            ),
            id="list-item-instead-of-key",
        ),
        pytest.param(
            "a: - b\n",
            (
                1,
                4,
                "a list item '- ' appears where a value was expected",
                "start the list on a new line below the key, indented further",
            ),
            id="list-item-after-key",
        ),
        pytest.param(
            "roles:\n  - id: a\n    hours_per_week:30\n",
            (
                3,
                5,
                "'hours_per_week:30' has no space after the ':'",
                "write a space after the colon: 'hours_per_week: 30'",
            ),
            id="no-space-after-colon",
        ),
        pytest.param(
            "roles:\n  - id: a\n    Ein Satz ohne Schlüssel\n",
            (
                3,
                5,
                "this line is neither 'key: value' nor a list item '- …'",
                "write 'key: value'; "
                "a text that continues on the next line must be indented further than its key",
            ),
            id="line-without-colon",
        ),
        pytest.param(
            'a: "offen\nb: 1\n',
            (1, 4, 'the quote " opened here is never closed', 'add the closing " at the end of the text'),
            id="unclosed-double-quote",
        ),
        pytest.param(
            "a: 'offen\n",
            (1, 4, "the quote ' opened here is never closed", "add the closing ' at the end of the text"),
            id="unclosed-single-quote",
        ),
        pytest.param(
            "a: [x, y\nb: 1\n",
            (
                2,
                2,
                "the list in [] opened on line 1 is not closed",
                "separate its entries with ', ' and end it with ']' (or write it as '- item' lines)",
            ),
            id="unclosed-bracket",
        ),
        pytest.param(
            "a: {x: 1\n",
            (
                2,
                1,
                "the mapping in {} opened on line 1 is not closed",
                "separate its entries with ', ' and end it with '}' (or write it as 'key: value' lines)",
            ),
            id="unclosed-brace",
        ),
        pytest.param(
            "codeowners:\n  - @acme/social # Team\n",
            (
                2,
                5,
                "a value cannot start with '@' unless it is in quotes",
                'put it in quotes: "@acme/social"',
            ),
            id="at-sign",
        ),
        pytest.param(
            "a: `code`\n",
            (1, 4, "a value cannot start with '`' unless it is in quotes", 'put it in quotes: "`code`"'),
            id="backtick",
        ),
        pytest.param(
            "summary: *Neu* seit heute\n",
            (
                1,
                10,
                "a value cannot start with '*' unless it is in quotes",
                "'*' starts an alias, anchor or tag in YAML; put the text in quotes: \"*Neu* seit heute\"",
            ),
            id="markdown-emphasis",
        ),
        pytest.param(
            'path: "C:\\Users\\x"\n',
            (
                1,
                10,
                "a backslash in a double-quoted text starts an incomplete escape sequence",
                "use single quotes for text with backslashes, or write each backslash twice ('\\\\')",
            ),
            id="backslash-u",
        ),
        pytest.param(
            'path: "C:\\q"\n',
            (
                1,
                10,
                "a backslash in a double-quoted text starts an unknown escape sequence",
                "use single quotes for text with backslashes, or write each backslash twice ('\\\\')",
            ),
            id="backslash-unknown",
        ),
        pytest.param(
            "tone:\n  address du\n  description: Freundlich\n",
            (
                2,
                3,
                "this line has no ':' after its key",
                "every line of a record is 'key: value': write 'address: du'",
            ),
            id="missing-colon",
        ),
        pytest.param(
            "levels:\n  - x\n  - y\n  value: 1\n",
            (
                4,
                3,
                "'value' is at the column of the list items above, but is not a list item",
                "start it with '- ' if it is another item; if it belongs to the record, "
                "move it to column 1, under 'levels'",
            ),
            id="key-after-list",
        ),
        pytest.param(
            "a:\n  b:\n    - x\n    c: 1\n",
            (
                4,
                5,
                "'c' is at the column of the list items above, but is not a list item",
                "start it with '- ' if it is another item; if it belongs to the record, "
                "move it to column 3, under 'b'",
            ),
            id="key-at-list-item-column",
        ),
        pytest.param(
            "    roles:\n  - id: a\n",
            (
                1,
                5,
                "the first line of the file is indented, so the lines below it do not fit",
                "top-level keys start at column 1: remove the spaces before line 1",
            ),
            id="first-line-indented",
        ),
        pytest.param(
            "x: 1\n...\n y\n",
            (
                3,
                2,
                "this line does not fit the structure above it",
                "check the indentation (spaces only) of this line and the lines above",
            ),
            id="content-after-document-end",
        ),
        pytest.param(
            "a: | Text\n  mehr\n",
            (
                1,
                6,
                "after '|' or '>' the text must start on the next line",
                "move the text to the next line, indented, or remove the '|' / '>'",
            ),
            id="block-scalar-on-same-line",
        ),
    ],
)
def test_syntax_errors(text: str, expected: tuple[int, int, str, str]) -> None:
    exc = error(text)
    line, column, message, hint = expected
    assert (exc.position.line, exc.position.column, exc.message) == (line, column, message)
    assert hint in exc.hint
    assert exc.loc == ()


def test_unknown_syntax_error_falls_back_to_libyaml_text_on_one_line() -> None:
    exc = error("%YAML 2.0\n---\na: 1\n")
    assert "\n" not in exc.message
    assert exc.message.startswith("invalid YAML: ")
    assert exc.hint == "check indentation (spaces only) and quoting near this position"
