"""Old commits may hold any broken data: the diff and the per-audience history never crash on it.

Every field path of the sample (one per distinct path, list indexes folded) is replaced by a
list, a mapping and a number; the diff between the sample and that version, both ways,
and the history summary for the public audience (which filters most) must come back as
text. A crash here would stop every build while the commit is among the last ones that
touched plans/.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from macros.data.kinds import MODELS
from macros.data.loader import load_file
from macros.review.diff import Snapshot, diff, summary_line, to_json, to_markdown
from macros.review.history import describe

from .conftest import ROOT
from .hostile_support import plain

REPLACEMENTS = [["x", 1], {"a": [1]}, 7]


def _paths(value: Any, path: tuple = ()) -> Iterator[tuple]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key)
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*path, index)
            yield from _paths(item, (*path, index))


def _set(data: Any, path: tuple, value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _source(stem: str) -> Path:
    """The sample's plans file, or the mini plans' one where the sample has none (all are optional)."""
    path = ROOT / "plans" / f"{stem}.yml"
    return path if path.exists() else ROOT / "tests" / "fixtures" / "mini" / "plans" / f"{stem}.yml"


def _cases() -> Iterator[tuple[str, tuple]]:
    for stem in MODELS:
        data = plain(load_file(_source(stem)).data)
        seen = set()
        for path in _paths(data):
            folded = tuple("[]" if isinstance(p, int) else p for p in path)
            if folded not in seen:
                seen.add(folded)
                yield stem, path


CASES = list(_cases())


def test_every_field_is_reached() -> None:
    assert len(CASES) > 300


@pytest.mark.parametrize("stem", list(MODELS))
def test_diff_and_history_survive_any_value(stem: str) -> None:
    original = _source(stem).read_text(encoding="utf-8")
    data = plain(load_file(_source(stem)).data)
    good = Snapshot.load({f"{stem}.yml": original}, method=False)
    for path in (p for s, p in CASES if s == stem):
        for replacement in REPLACEMENTS:
            broken = copy.deepcopy(data)
            _set(broken, path, replacement)
            text = yaml.safe_dump(broken, allow_unicode=True, sort_keys=False)
            bad = Snapshot.load({f"{stem}.yml": text}, method=False)
            for before, after in ((good, bad), (bad, good)):
                result = diff(before, after, "a", "b")
                assert isinstance(to_markdown(result), str) and isinstance(to_json(result), str)
                assert isinstance(summary_line(result), str)
                text_shown = describe(before, after, "public").text  # the most filtering audience
                assert text_shown and not re.search(r"[\x00-\x08\x0b-\x1f]", text_shown)
