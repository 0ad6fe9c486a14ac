"""Layer 2: ids and references across files, checked on the raw data."""

from __future__ import annotations

import difflib
import re
from typing import Any

from ..data.fields import ID_PATTERN, number_id
from ..data.kinds import KINDS, MODELS, file_of, label_en
from ..data.loader import Document, SourceFloat, SourceInt
from ..data.memo import ByIdentity
from ..data.positions import format_loc, short
from ..data.walk import Definition, Found, walk
from .problems import Problem


def _label(kinds: tuple[str, ...]) -> str:
    return " or ".join(label_en(k) for k in kinds)


def _a(noun: str) -> str:
    """The noun with its indefinite article: 'a role', 'an expert'."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def _as_written(data: Any) -> Any:
    """Ids and references as the models see them: whole numbers in digits (``id: 2026``,
    ``levels: [1]``, ``id: 7.0`` is '7'), other numbers as written, text without surrounding
    spaces (``id: "homeowners "``)."""
    if isinstance(data, SourceInt | SourceFloat):
        data = number_id(data)
        return data if isinstance(data, str) else data.text
    if isinstance(data, str):
        return data.strip()
    if isinstance(data, dict):
        return {key: _as_written(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_as_written(value) for value in data]
    return data


def check_references(
    docs: dict[str, Document],
    displays: dict[str, str],
    plans_display: str,
    unreadable: frozenset[str] = frozenset(),
    skipped: set[str] | None = None,
) -> tuple[dict[str, dict[str, Definition]], list[Problem]]:
    """Collect ids (reporting duplicates), then check every reference.

    A reference that may point into a file that could not be read (``unreadable``
    stems) is not reported but its file stem is added to ``skipped``: one syntax error
    must not bury itself under follow-on errors.
    """
    problems: list[Problem] = []
    ids: dict[str, dict[str, Definition]] = {kind: {} for kind in KINDS}
    refs: list[tuple[str, Found]] = []
    for stem, doc in docs.items():
        display = displays[stem]
        defined, found_refs = _scanned.get((doc,), (stem, display), _scan, stem, doc, display)
        refs.extend((stem, found) for found in found_refs)
        for d in defined:
            if d.id not in ids[d.kind]:
                ids[d.kind][d.id] = d
                continue
            problems.append(
                Problem(
                    display,
                    d.line,
                    d.column,
                    format_loc(d.loc),
                    f"duplicate {label_en(d.kind)} id '{short(d.id)}'",
                    f"first defined at {ids[d.kind][d.id].where}; "
                    "every id must be unique, rename one of them",
                    code="duplicate-id",
                    source_line=doc.line_text(d.line),
                )
            )
    for stem, found in refs:
        if any(found.value in ids[kind] for kind in found.kinds):
            continue
        blocked = [file_of(kind) for kind in found.kinds if file_of(kind) in unreadable]
        if blocked:
            if skipped is not None:
                skipped.update(blocked)
            continue
        doc = docs[stem]
        position = doc.position(found.loc)
        problems.append(
            Problem(
                displays[stem],
                position.line,
                position.column,
                format_loc(found.loc),
                f"unknown {_label(found.kinds)} '{short(found.value)}'",
                _reference_hint(found, ids, plans_display),
                code="unknown-reference",
                source_line=doc.line_text(position.line),
            )
        )
    return ids, problems


def _scan(stem: str, doc: Document, display: str) -> tuple[list[Definition], list[Found]]:
    """The ids one file defines (in order) and the references it makes."""
    defined: list[Definition] = []
    refs: list[Found] = []
    for what, found in walk(MODELS[stem], _as_written(doc.data)):
        if what == "ref":
            refs.append(found)
            continue
        value = found.value.get("id")
        if isinstance(value, str):
            position = doc.position((*found.loc, "id"))
            loc = (*found.loc, "id")
            defined.append(Definition(found.kinds[0], value, display, position.line, position.column, loc))
    return defined, refs


# Each file's ids and references as long as it is the document loaded last
_scanned: ByIdentity[tuple[list[Definition], list[Found]]] = ByIdentity()


def _reference_hint(found: Found, ids: dict[str, dict[str, Definition]], plans_display: str) -> str:
    candidates = {i: d for kind in found.kinds for i, d in ids[kind].items()}
    valid = [i for i in candidates if re.fullmatch(ID_PATTERN, i)]  # never suggest a broken id
    close = difflib.get_close_matches(found.value, valid, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'? (defined in {candidates[close[0]].where})"
    for kind, known in ids.items():
        if found.value in known:
            return (
                f"'{short(found.value)}' is {_a(label_en(kind))} ({known[found.value].where}), "
                f"but {_a(_label(found.kinds))} is expected here"
            )
    files = sorted({f"{plans_display}/{file_of(k)}.yml" for k in found.kinds})
    if not candidates:
        return f"no {_label(found.kinds)} is defined yet; add it to {' or '.join(files)}"
    names = sorted(candidates)
    shown = ", ".join(short(name, 40) for name in names[:12]) + (", …" if len(names) > 12 else "")
    return f"the {_label(found.kinds)} ids in {' and '.join(files)} are: {shown}"
