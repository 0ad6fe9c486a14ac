"""Load and check a plans directory: every problem of every layer, collected."""

from __future__ import annotations

import difflib
import errno
import os
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import BaseModel

from ..data.loader import Document, LoadError, load_bytes, source_lines
from ..data.kinds import MODELS
from ..data.plan import Plan
from ..data.positions import display_path, format_loc, one_line
from .clashes import find_clashes
from .method import method_findings
from .problems import Problem, count, plural
from .references import check_references
from .shape import check_shape


class UsageError(Exception):
    """The command was called wrongly (exit code 2)."""


@dataclass
class Result:
    plans_dir: Path
    problems: list[Problem] = field(default_factory=list)
    plan: Plan | None = None
    files: int = 0
    records: int = 0
    method_checked: bool = False
    unchecked: list[str] = field(default_factory=list)  # files whose ids are unknown

    @property
    def errors(self) -> int:
        return count(self.problems)[0]

    @property
    def warnings(self) -> int:
        return count(self.problems)[1]

    def summary(self) -> str:
        errors, warnings = count(self.problems)
        where = f"{plural(self.files, 'file')}, {plural(self.records, 'record')}"
        if not errors and not warnings:
            return f"ok: {where}, no problems"
        text = f"{plural(errors, 'error')}, {plural(warnings, 'warning')} ({where})"
        if self.unchecked:
            it = "it" if len(self.unchecked) == 1 else "they"
            text += f"; references into {', '.join(self.unchecked)} are checked once {it} can be read"
        if errors and not self.method_checked:
            text += "; method checks run once the errors are fixed"
        return text


def find_plans_dir(path: Path) -> Path:
    """PATH may be the plans directory or a project holding ``plans/``.

    A ``plans`` inside PATH counts even when it is no folder: check reports why it cannot be used.
    """
    if os.path.isdir(path) and os.path.lexists(path / "plans"):
        return path / "plans"
    return path


# --- finding and reading the files -------------------------------------------------------------
#
# Shared with the build (macros.site.build) and 'handbook diff' (macros.review.gitdata): whatever is in the
# way of a plans file or folder (a broken link, a folder instead of a file, no permission) is a
# problem at line 1 of it, never a traceback and never silently skipped.


def shown(text: str) -> str:
    """A file name fit for printing: bytes that are not UTF-8 (kept as surrogates) become '�'."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def entry_display(path: Path) -> str:
    """How to show a path that may be a broken or looping link: its folder as usual, its own name as is."""
    if path.name in ("", ".", ".."):
        return shown(display_path(path))
    folder = display_path(path.parent)
    return shown(path.name if folder == "." else f"{folder}/{path.name}")


def _problem(display: str, message: str, hint: str) -> Problem:
    return Problem(display, 1, 1, "(file)", message, hint)


def entry_problem(path: Path, display: str, folder: bool = False) -> Problem | None:
    """Why ``path`` cannot be used as a plans file (or, with ``folder``, as the plans folder)."""
    noun = "folder" if folder else "file"
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if os.path.islink(path) and isinstance(exc, FileNotFoundError):
            try:
                target = shown(os.readlink(path))
            except OSError:
                target = "?"
            return _problem(
                display,
                f"this is a link to '{target}', which does not exist",
                f"restore the {noun} it points to, or replace the link with the {noun} itself",
            )
        if exc.errno == errno.ELOOP:
            return _problem(
                display, "this link leads back to itself", f"replace the link with the {noun} itself"
            )
        if folder and isinstance(exc, FileNotFoundError):
            return _problem(
                display,
                "the plans folder does not exist",
                "create it and put the plans files in it (strategy.yml, goals.yml, …)",
            )
        return _problem(
            display,
            f"the {noun} cannot be read: {exc.strerror or exc}",
            f"check that the {noun} exists and that you may read it",
        )
    if folder and not stat.S_ISDIR(mode):
        return _problem(
            display,
            "this is a file, not a folder",
            "the plans files belong in a folder of this name: move the file away and create the folder",
        )
    if not folder and stat.S_ISDIR(mode):
        return _problem(
            display,
            "this is a folder, not a file",
            "a plans file holds YAML text: move the folder out of the plans folder",
        )
    if not folder and os.path.islink(path) and not _inside(path, path.parent):
        return _problem(
            display,
            f"this is a link to '{shown(os.readlink(path))}', outside the plans folder",
            "copy the file into the plans folder: a link may only point to a file inside it "
            "(the check shows the lines of what it reads)",
        )
    if not folder and not stat.S_ISREG(mode):
        return _problem(
            display,
            "this is not a regular file (but a pipe, socket or device)",
            "a plans file holds YAML text: replace it with a text file",
        )
    return None


def _inside(path: Path, folder: Path) -> bool:
    """Whether ``path``, links followed, ends up inside ``folder``."""
    target, root = os.path.realpath(path), os.path.realpath(folder)
    return os.path.commonpath([target, root]) == root


def list_folder(plans_dir: Path, display: str) -> tuple[list[Path], Problem | None]:
    """The entries of the plans folder, sorted by name, or the problem why it cannot be listed."""
    problem = entry_problem(plans_dir, display, folder=True)
    if problem is not None:
        return [], problem
    try:
        return sorted(plans_dir.iterdir()), None
    except OSError as exc:
        return [], _problem(
            display,
            f"the folder cannot be read: {exc.strerror or exc}",
            "check that you may read the folder and open the files in it",
        )


def read_entry(path: Path, display: str) -> bytes | Problem:
    """The bytes of one plans file, or the problem why it cannot be read."""
    problem = entry_problem(path, display)
    if problem is not None:
        return problem
    try:
        return path.read_bytes()
    except OSError as exc:
        return _problem(
            display,
            f"the file cannot be read: {exc.strerror or exc}",
            "check that the file exists and that you may read it",
        )


def is_plans_name(name: str) -> bool:
    """Whether a folder entry is meant as a plans file (a visible .yml or .yaml file)."""
    return not name.startswith(".") and Path(name).suffix.lower() in (".yml", ".yaml")


def check(path: Path, content_dir: Path | None = None) -> Result:
    plans_dir = find_plans_dir(path)
    result = Result(plans_dir)
    docs: dict[str, Document] = {}
    displays: dict[str, str] = {}
    problems = result.problems
    plans_display = entry_display(plans_dir)
    entries, problem = list_folder(plans_dir, plans_display)
    if problem is not None:
        problems.append(problem)
        return result
    plans_display = shown(display_path(plans_dir))
    for file in entries:
        if not is_plans_name(file.name):
            continue
        unusable = entry_problem(file, entry_display(file))
        display = unusable.file if unusable else shown(display_path(file))
        stem, suffix = file.stem, file.suffix
        if stem not in MODELS:
            close = difflib.get_close_matches(stem, list(MODELS), n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}.yml'? " if close else ""
            problems.append(
                Problem(
                    display,
                    1,
                    1,
                    "(file)",
                    f"unknown plans file '{shown(file.name)}'",
                    f"{hint}plans files are: {', '.join(s + '.yml' for s in MODELS)}",
                )
            )
            continue
        if suffix != ".yml":
            problems.append(
                Problem(
                    display,
                    1,
                    1,
                    "(file)",
                    f"plans files end in '.yml', not '{suffix}'",
                    f"rename it to {stem}.yml",
                )
            )
            continue
        result.files += 1
        displays[stem] = display
        raw = read_entry(file, display)
        if isinstance(raw, Problem):
            problems.append(raw)
            continue
        try:
            docs[stem] = load_bytes(raw, file)
        except LoadError as exc:
            lines = source_lines(raw)
            source = lines[exc.position.line - 1] if exc.position.line <= len(lines) else None
            problems.append(
                Problem(
                    display,
                    exc.position.line,
                    exc.position.column,
                    format_loc(exc.loc),
                    exc.message,
                    exc.hint,
                    source_line=source,
                )
            )
    if not displays and not problems:
        problems.append(
            Problem(
                plans_display,
                1,
                1,
                "(file)",
                "no plans files found",
                f"add YAML files such as strategy.yml and goals.yml to {plans_display}",
            )
        )

    models: dict[str, BaseModel] = {}
    for stem, doc in docs.items():
        model, shape_problems = check_shape(doc, MODELS[stem], displays[stem])
        problems.extend(shape_problems)
        if model is not None:
            models[stem] = model

    valid_docs = {s: d for s, d in docs.items() if isinstance(d.data, dict)}
    unreadable = frozenset(displays) - frozenset(valid_docs)
    skipped: set[str] = set()
    ids, ref_problems = check_references(valid_docs, displays, plans_display, unreadable, skipped)
    result.unchecked = sorted(displays[s] for s in skipped)
    problems.extend(ref_problems)
    problems.extend(find_clashes(ids, docs, displays, plans_dir, content_dir))  # pages and anchors
    result.records = sum(len(v) for v in ids.values())

    if not result.errors and len(models) == len(docs):
        plan = Plan.build(models, ids)

        def locate(record):
            d = ids[record.kind][record.id]
            return plan.origins[(record.kind, record.id)].stem, d.loc[:-1]

        for stem, loc, message, hint, code, severity in method_findings(plan, locate):
            doc = docs.get(stem)
            display = displays.get(stem, f"{plans_display}/{stem}.yml")
            position = doc.position(loc) if doc else None
            line, column = (position.line, position.column) if position else (1, 1)
            problems.append(
                Problem(
                    display,
                    line,
                    column,
                    format_loc(loc),
                    message,
                    hint,
                    severity,  # type: ignore[arg-type]
                    code,
                    source_line=doc.line_text(line) if doc else None,
                )
            )
        result.method_checked = True
        if not any(p.severity == "error" for p in problems):
            result.plan = plan
    problems[:] = [replace(p, message=one_line(p.message), hint=one_line(p.hint)) for p in problems]
    problems.sort(key=Problem.sort_key)
    return result
