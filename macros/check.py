"""Load and check a plans directory: every problem of every layer, collected."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import BaseModel

from .clashes import find_clashes
from .loader import Document, LoadError, load_file, source_lines
from .method import method_findings
from .models import FILES
from .plan import Plan
from .problems import Problem, count, display_path, format_loc, one_line, plural
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
    """PATH may be the plans directory or a project holding ``plans/``."""
    if not path.exists():
        raise UsageError(f"{path}: no such directory")
    if not path.is_dir():
        raise UsageError(f"{path}: not a directory (give the plans/ directory or the project)")
    if (path / "plans").is_dir():
        return path / "plans"
    return path


def check(path: Path, content_dir: Path | None = None) -> Result:
    plans_dir = find_plans_dir(path)
    result = Result(plans_dir)
    plans_display = display_path(plans_dir)
    docs: dict[str, Document] = {}
    displays: dict[str, str] = {}
    problems = result.problems
    for file in sorted(plans_dir.iterdir()):
        if not file.is_file() or file.name.startswith("."):
            continue
        display = display_path(file)
        stem, suffix = file.stem, file.suffix
        if suffix.lower() not in (".yml", ".yaml"):
            continue
        if stem not in FILES:
            close = difflib.get_close_matches(stem, list(FILES), n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}.yml'? " if close else ""
            problems.append(
                Problem(
                    display,
                    1,
                    1,
                    "(file)",
                    f"unknown plans file '{file.name}'",
                    f"{hint}plans files are: {', '.join(s + '.yml' for s in FILES)}",
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
        try:
            docs[stem] = load_file(file)
        except OSError as exc:
            problems.append(
                Problem(
                    display,
                    1,
                    1,
                    "(file)",
                    f"the file cannot be read: {exc.strerror or exc}",
                    "check that the file exists and that you may read it",
                )
            )
        except LoadError as exc:
            lines = source_lines(file.read_bytes())
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
        model, shape_problems = check_shape(doc, FILES[stem], displays[stem])
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
