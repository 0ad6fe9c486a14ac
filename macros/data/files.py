"""Finding and reading the plans files: the one place where plans are read from the file system.

Reading a plans folder (``read_folder``) or the texts of a git revision (``read_texts``) gives a
:class:`Reading`: the bytes of every plans file, how to show its path, and what was in the way.
Checking (``macros.checks.check.check_documents``) works on a Reading alone.

Whatever is in the way of a plans file or folder (a broken link, a folder instead of a file, no
permission, a file name that is no plans file) is an :class:`Unusable` at line 1 of it, never a
traceback and never silently skipped. Shared by ``check``, the build and ``handbook diff``.
"""

from __future__ import annotations

import difflib
import errno
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .kinds import MODELS
from .positions import display_path
from .positions import find_plans_dir as find_plans_dir  # re-exported: check and the build start here


@dataclass(frozen=True)
class Unusable:
    """Why a plans file or folder cannot be used; reported at line 1 of it.

    Codes: ``unreadable`` (missing, no permission, a broken or looping link), ``not-a-file``,
    ``not-a-folder``, ``link-outside``, ``unknown-file``, ``wrong-suffix``, ``no-plans-files``.
    """

    file: str
    message: str
    hint: str
    code: str


@dataclass(frozen=True)
class Source:
    """One plans file as read. ``raw`` is None when it could not be read (an Unusable says why)."""

    stem: str
    display: str  # the path as reports show it
    path: Path
    raw: bytes | None


@dataclass
class Reading:
    """What reading a plans folder (or one revision of it) found."""

    folder: str  # the plans folder as reports show it
    sources: dict[str, Source] = field(default_factory=dict)  # by stem, in the order of the names
    problems: list[Unusable] = field(default_factory=list)
    plans_dir: Path | None = None  # the folder read, or None when the texts came from elsewhere (git)

    @property
    def displays(self) -> dict[str, str]:
        """Stem -> shown path of every plans file, readable or not."""
        return {stem: source.display for stem, source in self.sources.items()}


def shown(text: str) -> str:
    """A file name fit for printing: bytes that are not UTF-8 (kept as surrogates) become '�'."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def entry_display(path: Path) -> str:
    """How to show a path that may be a broken or looping link: its folder as usual, its own name as is."""
    if path.name in ("", ".", ".."):
        return shown(display_path(path))
    folder = display_path(path.parent)
    return shown(path.name if folder == "." else f"{folder}/{path.name}")


def entry_problem(path: Path, display: str, folder: bool = False) -> Unusable | None:
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
            return Unusable(
                display,
                f"this is a link to '{target}', which does not exist",
                f"restore the {noun} it points to, or replace the link with the {noun} itself",
                "unreadable",
            )
        if exc.errno == errno.ELOOP:
            return Unusable(
                display,
                "this link leads back to itself",
                f"replace the link with the {noun} itself",
                "unreadable",
            )
        if folder and isinstance(exc, FileNotFoundError):
            return Unusable(
                display,
                "the plans folder does not exist",
                "create it and put the plans files in it (strategy.yml, goals.yml, …)",
                "unreadable",
            )
        return Unusable(
            display,
            f"the {noun} cannot be read: {exc.strerror or exc}",
            f"check that the {noun} exists and that you may read it",
            "unreadable",
        )
    if folder and not stat.S_ISDIR(mode):
        return Unusable(
            display,
            "this is a file, not a folder",
            "the plans files belong in a folder of this name: move the file away and create the folder",
            "not-a-folder",
        )
    if not folder and stat.S_ISDIR(mode):
        return Unusable(
            display,
            "this is a folder, not a file",
            "a plans file holds YAML text: move the folder out of the plans folder",
            "not-a-file",
        )
    if not folder and os.path.islink(path) and not _inside(path, path.parent):
        return Unusable(
            display,
            f"this is a link to '{shown(os.readlink(path))}', outside the plans folder",
            "copy the file into the plans folder: a link may only point to a file inside it "
            "(the check shows the lines of what it reads)",
            "link-outside",
        )
    if not folder and not stat.S_ISREG(mode):
        return Unusable(
            display,
            "this is not a regular file (but a pipe, socket or device)",
            "a plans file holds YAML text: replace it with a text file",
            "not-a-file",
        )
    return None


def _inside(path: Path, folder: Path) -> bool:
    """Whether ``path``, links followed, ends up inside ``folder``."""
    target, root = os.path.realpath(path), os.path.realpath(folder)
    return os.path.commonpath([target, root]) == root


def list_folder(plans_dir: Path, display: str) -> tuple[list[Path], Unusable | None]:
    """The entries of the plans folder, sorted by name, or the problem why it cannot be listed."""
    problem = entry_problem(plans_dir, display, folder=True)
    if problem is not None:
        return [], problem
    try:
        return sorted(plans_dir.iterdir()), None
    except OSError as exc:
        return [], Unusable(
            display,
            f"the folder cannot be read: {exc.strerror or exc}",
            "check that you may read the folder and open the files in it",
            "unreadable",
        )


def read_entry(path: Path, display: str) -> bytes | Unusable:
    """The bytes of one plans file, or the problem why it cannot be read."""
    problem = entry_problem(path, display)
    if problem is not None:
        return problem
    try:
        return path.read_bytes()
    except OSError as exc:
        return Unusable(
            display,
            f"the file cannot be read: {exc.strerror or exc}",
            "check that the file exists and that you may read it",
            "unreadable",
        )


def is_plans_name(name: str) -> bool:
    """Whether a folder entry is meant as a plans file (a visible .yml or .yaml file)."""
    return not name.startswith(".") and Path(name).suffix.lower() in (".yml", ".yaml")


def name_problem(name: str, display: str) -> Unusable | None:
    """Why a plans file name (one that ``is_plans_name``) names no plans file: unknown stem, or '.yaml'."""
    stem, suffix = Path(name).stem, Path(name).suffix
    if stem not in MODELS:
        close = difflib.get_close_matches(stem, list(MODELS), n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}.yml'? " if close else ""
        return Unusable(
            display,
            f"unknown plans file '{shown(name)}'",
            f"{hint}plans files are: {', '.join(s + '.yml' for s in MODELS)}",
            "unknown-file",
        )
    if suffix != ".yml":
        return Unusable(
            display, f"plans files end in '.yml', not '{suffix}'", f"rename it to {stem}.yml", "wrong-suffix"
        )
    return None


def _no_files(reading: Reading) -> None:
    if not reading.sources and not reading.problems:
        reading.problems.append(
            Unusable(
                reading.folder,
                "no plans files found",
                f"add YAML files such as strategy.yml and goals.yml to {reading.folder}",
                "no-plans-files",
            )
        )


def read_folder(plans_dir: Path) -> Reading:
    """Read every plans file in ``plans_dir``; what cannot be used is a problem in the Reading."""
    entries, problem = list_folder(plans_dir, entry_display(plans_dir))
    if problem is not None:
        return Reading(entry_display(plans_dir), problems=[problem], plans_dir=plans_dir)
    reading = Reading(shown(display_path(plans_dir)), plans_dir=plans_dir)
    for path in entries:
        if not is_plans_name(path.name):
            continue
        unusable = entry_problem(path, entry_display(path))
        display = unusable.file if unusable else shown(display_path(path))
        named = name_problem(path.name, display)
        if named is not None:
            reading.problems.append(named)
            continue
        raw = unusable if unusable is not None else read_entry(path, display)
        if isinstance(raw, Unusable):
            reading.problems.append(raw)
            raw = None
        reading.sources[path.stem] = Source(path.stem, display, path, raw)
    _no_files(reading)
    return reading


def read_texts(texts: Mapping[str, str | bytes], folder: str = "plans") -> Reading:
    """A Reading of plans files given as {file name: text or bytes}, e.g. from a git revision."""
    reading = Reading(folder)
    for name in sorted(texts):
        if not is_plans_name(name):
            continue
        display = f"{folder}/{name}"
        named = name_problem(name, display)
        if named is not None:
            reading.problems.append(named)
            continue
        text = texts[name]
        raw = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
        stem = Path(name).stem
        reading.sources[stem] = Source(stem, display, Path(display), raw)
    _no_files(reading)
    return reading
