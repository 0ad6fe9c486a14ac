"""Where something is in a plans file, and how to name it in a one-line message; where the plans
folder of a path is."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

Loc = tuple[str | int, ...]
"""A data path inside one file: keys and list indexes, e.g. ``("goals", 2, "target_groups", 0)``."""


@dataclass(frozen=True)
class Position:
    """A 1-based line and column inside a file."""

    line: int
    column: int


def short(value: object, limit: int = 60) -> str:
    """A value as it may appear inside a one-line message: line breaks shown as '⏎', long text cut."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").rstrip("\n").replace("\n", "⏎")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def one_line(text: str) -> str:
    """Messages and hints are single lines; the text report depends on it."""
    return text.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎")


def format_loc(loc: Loc) -> str:
    """Render a data path the way people read it: ``goals[2].target_groups[0]``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(file)"


def display_path(path: Path) -> str:
    """A path relative to the working directory when possible, with forward slashes."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def find_plans_dir(path: Path) -> Path:
    """PATH may be the plans directory or a project holding ``plans/``.

    A ``plans`` inside PATH counts even when it is no folder: check reports why it cannot be used.
    """
    if os.path.isdir(path) and os.path.lexists(path / "plans"):
        return path / "plans"
    return path


def project_of(plans_dir: Path) -> Path:
    """The folder holding the plans folder, where ``content/`` sits beside it (also for '.')."""
    if plans_dir.name in ("", ".."):
        return Path(os.path.abspath(plans_dir)).parent
    return plans_dir.parent
