"""Fuzzing: whatever the plans hold, no command raises.

Hypothesis mutates the sample plans (plans/*.yml) as bytes, as text and as parsed data: scalars
become huge, negative, infinite, date-like, empty, lists or mappings, hostile strings with control
and bidi characters; keys go missing, list items repeat, ids change, files are cut short or
replaced by random bytes. For every mutation

* ``check()`` returns a Result, and both reporters print it;
* the semantic diff against the unchanged sample renders as Markdown, JSON and summary line;
* a plan without errors builds: every fragment, every record page and every visual renders, and
  CODEOWNERS is generated; no number in it is infinite or NaN.

The seed is fixed (the same examples on every run). HANDBOOK_FUZZ_EXAMPLES sets the examples
per test (default 15, about 20 seconds for the file); HANDBOOK_FUZZ_SEED explores other ones::

    HANDBOOK_FUZZ_EXAMPLES=300 HANDBOOK_FUZZ_SEED=1 .venv/bin/pytest tests/test_fuzz.py -q

A failure prints the draws of the failing example; it is not shrunk, since one example takes up
to a few seconds and shrinking would take minutes (HANDBOOK_FUZZ_SHRINK=1 shrinks anyway).
"""

from __future__ import annotations

import copy
import functools
import json
import math
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import event, example, given
from hypothesis import strategies as st
from pydantic import BaseModel

from macros.checks.check import Result, check
from macros.checks.problems import format_json, format_text
from macros.data.kinds import page_kinds, page_path
from macros.data.loader import SourceFloat, SourceInt, load_text
from macros.data.plan import AUDIENCES, Plan
from macros.review.codeowners import codeowners_text
from macros.review.diff import Snapshot, diff, summary_line, to_json, to_markdown
from macros.site import build
from macros.site.render import TEMPLATES, Renderer
from macros.site.visuals import VISUALS

from .conftest import ROOT
from .fuzz_support import fuzzer

fuzz = fuzzer(15)


SAMPLE: dict[str, bytes] = {p.name: p.read_bytes() for p in sorted((ROOT / "plans").glob("*.yml"))}
NAMES = sorted(SAMPLE)
FRAGMENTS = sorted(p.name for p in TEMPLATES.glob("*.md") if not p.name.startswith(("page_", "visual_")))

# --- what goes in ---------------------------------------------------------------------------

# Written unquoted into the YAML: the loader decides what they are.
RAW_SCALARS = [
    "9" * 4301,
    "-" + "9" * 5000,
    "1" + "0" * 400,
    "9" * 120 + ".5",
    "1e400",
    "-1e400",
    "1e-400",
    "5e-324",
    "1.7976931348623157e308",
    "0",
    "-0",
    "-1",
    "-0.0",
    "0.5",
    "1e15",
    "999999999999999",
    "1e-15",
    "1e-16",
    "2e-300",
    ".inf",
    "-.inf",
    ".nan",
    "0x1F",
    "0o17",
    "1_000",
    "12:30",
    "2026-02-30",
    "9999-12-31",
    "0001-01-01",
    "1899-12-31",
    "1900-01-01",
    "2999-12-31",
    "3000-01-01",
    "2026-13-01",
    "31.12.2026",
    "2026/01/01",
    "~",
    "null",
    "true",
    "no",
    "[]",
    "{}",
    "[a, [b, {c: d}]]",
    "''",
    '""',
    "|",
    "&a x",
    "*a",
    "!!python/object/apply:os.system ['true']",
    "a: b",
    "- x",
    "#",
    "@x",
]
HOSTILE_CHARS = (
    "\x00\x01\x07\x08\t\n\x0b\x0c\r\x1b\x7f\x85\xa0\u200b\u200d\u200e\u200f\u202a\u202b\u202c\u202d"
    "\u202e\u2066\u2067\u2068\u2069\u2028\u2029\ufeff\ufffe\U0001f600äß€{}[]<>&\"'`|*#!%@:-?,~^=$\\/"
)
hostile_text = st.text(
    alphabet=st.one_of(st.sampled_from(HOSTILE_CHARS), st.characters(exclude_categories=("Cs",))),
    max_size=30,
)
raw_scalars = st.one_of(
    st.sampled_from(RAW_SCALARS),
    st.integers(-(10**30), 10**30).map(str),
    st.floats().map(repr),
    st.dates().map(lambda d: d.isoformat()),
)


class Raw(str):
    """A scalar to write into the YAML unquoted, exactly as it is."""


def _sample_ids() -> list[str]:
    found: list[str] = []

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("id"), str):
                found.append(node["id"])
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    for name, raw in SAMPLE.items():
        visit(load_text(raw.decode("utf-8"), Path(name)).data)
    return sorted(set(found))


IDS = _sample_ids()
KEYS = sorted(
    {m.group(1) for raw in SAMPLE.values() for m in re.finditer(r"^[ -]*([a-z_]+):", raw.decode(), re.M)}
)
ids = st.one_of(
    st.sampled_from(IDS),
    st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}", fullmatch=True),
    st.sampled_from(["a" * 64, "a" * 65, "a-" * 150 + "a", "index", "Index", "", "-", "a--b"]),
    hostile_text,
)
leaves = st.one_of(
    st.none(),
    st.booleans(),
    hostile_text,
    ids,
    raw_scalars.map(Raw),
)
values = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), hostile_text), children, max_size=3),
    ),
    max_leaves=6,
)

# --- mutating text and bytes ----------------------------------------------------------------

_VALUE_AFTER_KEY = re.compile(rb"^([ -]*[A-Za-z_]+:[ ]+)(\S.*)$", re.M)


def mutate_bytes(data: st.DataObject, raw: bytes) -> bytes:
    op = data.draw(
        st.sampled_from(["value", "value", "insert", "bytes", "truncate", "line", "indent", "garbage"])
    )
    if op == "value":  # the value after 'key: ' on one line, as written by hand
        lines = list(_VALUE_AFTER_KEY.finditer(raw))
        if lines:
            match = data.draw(st.sampled_from(lines))
            new = data.draw(st.one_of(raw_scalars, hostile_text)).encode("utf-8")
            return raw[: match.start(2)] + new + raw[match.end(2) :]
    at = data.draw(st.integers(0, len(raw)))
    if op == "insert":
        return raw[:at] + data.draw(hostile_text).encode("utf-8") + raw[at:]
    if op == "bytes":
        return raw[:at] + data.draw(st.binary(min_size=1, max_size=8)) + raw[at:]
    if op == "truncate":
        return raw[:at]
    if op == "garbage":
        return data.draw(st.binary(max_size=64))
    lines_ = raw.split(b"\n")
    index = data.draw(st.integers(0, len(lines_) - 1))
    if op == "line":  # delete or repeat a line
        if data.draw(st.booleans()):
            del lines_[index]
        else:
            lines_.insert(index, lines_[index])
    else:  # one line indented differently
        lines_[index] = b" " * data.draw(st.integers(0, 9)) + lines_[index].lstrip(b" ")
    return b"\n".join(lines_)


# --- mutating the parsed data ---------------------------------------------------------------


def plain(node: Any) -> Any:
    """Loaded data with numbers as the Raw text they were written as."""
    if isinstance(node, SourceInt | SourceFloat):
        return Raw(node.text)
    if isinstance(node, dict):
        return {key: plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [plain(value) for value in node]
    return node


def dump(node: Any) -> bytes:
    """YAML text of ``node``: strings quoted as needed, Raw scalars written as they are."""
    raws: list[str] = []

    def stash(value: Any) -> Any:
        if isinstance(value, Raw):
            raws.append(str(value))
            return f"rawscalar{len(raws) - 1}x"
        if isinstance(value, dict):
            return {key: stash(item) for key, item in value.items()}
        if isinstance(value, list):
            return [stash(item) for item in value]
        return value

    text = yaml.safe_dump(stash(node), allow_unicode=True, sort_keys=False, width=1_000_000)
    text = re.sub(r"rawscalar(\d+)x", lambda m: raws[int(m.group(1))], text)
    return text.encode("utf-8")


def containers(node: Any, path: tuple = ()) -> list[tuple]:
    """Paths of every mapping and list in ``node``."""
    out = []
    if isinstance(node, dict | list):
        out.append(path)
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            out.extend(containers(value, (*path, key)))
    return out


def at(node: Any, path: tuple) -> Any:
    for part in path:
        node = node[part]
    return node


def mutate_data(data: st.DataObject, node: Any) -> Any:
    node = copy.deepcopy(node)
    if not isinstance(node, dict | list):
        return data.draw(values)
    for _ in range(data.draw(st.integers(1, 4))):
        paths = containers(node)
        if not paths:
            break
        parent = at(node, data.draw(st.sampled_from(paths)))
        keys = list(parent) if isinstance(parent, dict) else list(range(len(parent)))
        op = data.draw(st.sampled_from(["replace", "replace", "delete", "repeat", "id", "add"]))
        if op == "id" and isinstance(parent, dict):
            parent["id"] = data.draw(ids)
        elif op == "add" and isinstance(parent, dict):
            parent[data.draw(st.one_of(st.sampled_from(KEYS), hostile_text))] = data.draw(values)
        elif op == "add":
            parent.append(data.draw(values))
        elif keys:
            key = data.draw(st.sampled_from(keys))
            if op == "delete":
                del parent[key]
            elif op == "repeat" and isinstance(parent, list):
                parent.insert(key, copy.deepcopy(parent[key]))
            else:
                parent[key] = data.draw(values)
    return node


# --- what comes out -------------------------------------------------------------------------


@functools.cache
def sample_snapshot() -> Snapshot:
    return Snapshot.load({name: raw.decode("utf-8") for name, raw in SAMPLE.items()})


def numbers(node: Any) -> list[float]:
    """Every number inside a model (for 'nothing infinite or NaN reaches the site')."""
    if isinstance(node, bool):
        return []
    if isinstance(node, int | float):
        return [node]
    if isinstance(node, BaseModel):
        return [n for name in type(node).model_fields for n in numbers(getattr(node, name))]
    if isinstance(node, list):
        return [n for item in node for n in numbers(item)]
    return []


def render_everything(plan: Plan) -> None:
    """What the build renders: every fragment, every record page, every visual, CODEOWNERS."""
    for name in FRAGMENTS:
        Renderer(plan, "index.md").render(name)
    for kind in [k.name for k in page_kinds()]:
        for record in plan.all(kind):
            Renderer(plan, page_path(kind, record.id)).render(f"page_{kind}.md", record=record)
    for visual in VISUALS.values():
        visual(Renderer(plan, "index.md"))
    codeowners_text(plan)


def exercise(files: dict[str, bytes], audience: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        plans = Path(tmp) / "plans"
        plans.mkdir()
        for name, raw in files.items():
            (plans / name).write_bytes(raw)
        result = check(plans)
        assert isinstance(result, Result)
        format_text(result.problems, result.summary())
        json.loads(format_json(result.problems, result.summary()))

        texts = {name: raw.decode("utf-8", "replace") for name, raw in files.items()}
        changes = diff(sample_snapshot(), Snapshot.load(texts), "a", "b")
        to_markdown(changes)
        json.loads(to_json(changes))
        summary_line(changes)

        event("plan with errors" if result.errors else "plan without errors: rendered")
        if result.errors:
            assert result.plan is None
            return
        assert result.plan is not None
        assert all(math.isfinite(n) for model in result.plan.files.values() for n in numbers(model))
        render_everything(build.load_plan(plans, audience))


@fuzz
@given(st.data())
def test_mutated_bytes_and_text_never_raise(data: st.DataObject) -> None:
    files = dict(SAMPLE)
    for name in data.draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=2, unique=True)):
        if data.draw(st.integers(0, 19)) == 0:
            del files[name]
        else:
            for _ in range(data.draw(st.integers(1, 3))):
                files[name] = mutate_bytes(data, files[name])
    exercise(files, data.draw(st.sampled_from(list(AUDIENCES))))


@fuzz
@given(st.data())
def test_mutated_data_never_raises(data: st.DataObject) -> None:
    files = dict(SAMPLE)
    for name in data.draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=2, unique=True)):
        loaded = load_text(SAMPLE[name].decode("utf-8"), Path(name)).data
        files[name] = dump(mutate_data(data, plain(loaded)))
    exercise(files, data.draw(st.sampled_from(list(AUDIENCES))))


def _looks(value: str) -> str:
    """'date', 'number' or 'other': a hostile value mostly replaces a value of its own look."""
    if re.match(r"\d+[-./]\d+[-./]\d+", value):
        return "date"
    return "number" if re.match(r"[-+]?\.?\d", value) else "other"


@fuzz
@given(
    st.sampled_from(NAMES),
    st.sampled_from(RAW_SCALARS),
    st.integers(0, 999),
    st.booleans(),
    st.sampled_from(list(AUDIENCES)),
)
@example("goals.yml", "1e400", 0, True, "internal")  # no infinite number on the site
@example("strategy.yml", "9999-12-31", 0, True, "internal")  # the review due date would overflow
@example("goals.yml", "9" * 4301, 0, True, "public")  # too long for int()
def test_hostile_scalar_in_place_of_a_value_never_raises(
    name: str, raw: str, index: int, alike_only: bool, audience: str
) -> None:
    """One value of one line replaced: most files stay valid YAML, so the models see the value."""
    lines = list(_VALUE_AFTER_KEY.finditer(SAMPLE[name]))
    alike = [m for m in lines if _looks(m.group(2).decode()) == _looks(raw)]
    candidates = alike if alike and alike_only else lines
    match = candidates[index % len(candidates)]
    mutated = SAMPLE[name][: match.start(2)] + raw.encode() + SAMPLE[name][match.end(2) :]
    exercise({**SAMPLE, name: mutated}, audience)
