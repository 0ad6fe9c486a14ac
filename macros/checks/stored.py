"""Results of a check's steps kept on disk between runs, so that a check or build after an edit
redoes only what the edit touched.

Most of what a check costs when it starts is building pydantic's validators (the models are
declared with ``defer_build``: a model is built when it first validates) and parsing the written
pages with Jinja. Each plans file's shape (its model and problems) and the page check's problems
are kept in ``.cache/handbook/stored/<name>.pickle`` beside ``plans/``, behind a digest of all
they depend on: the engine's files, the installed libraries, and the inputs the caller names. A
step whose digest matches is not run again. Each name keeps one entry, the last one written.

The entries are read back by an unpickler that makes only the engine's own classes, dates, paths
and plain values, so a planted file cannot run code; an entry that does not read back whole, or
is not what the step returns, is computed and written anew. A folder that cannot be written
means the steps simply run. This module imports nothing heavy.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
import pickle
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from ..data.positions import project_of
from .result_cache import FOLDER, IGNORE, add_engine

T = TypeVar("T")

FORMAT = 1
"""Bumped when what is stored changes meaning."""

# What an entry may make besides the engine's classes: everything a model or a problem holds
_PLAIN = {
    ("builtins", "set"),
    ("builtins", "frozenset"),
    ("builtins", "object"),
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("pathlib", "PosixPath"),
    ("pathlib", "WindowsPath"),
    ("copyreg", "_reconstructor"),
}


class _Unpickler(pickle.Unpickler):
    """Makes plain values and the engine's records of data only (its models, its dataclasses, its
    numbers that remember their text): no function, no class that does anything when made."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _PLAIN:
            return super().find_class(module, name)
        if module.startswith("macros.") and "." not in name:
            found = super().find_class(module, name)
            if isinstance(found, type) and (
                dataclasses.is_dataclass(found) or issubclass(found, (int, float, str)) or _is_model(found)
            ):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not kept in a stored result")


def _is_model(cls: type) -> bool:
    pydantic = sys.modules.get("pydantic")  # loaded with the models a stored result holds
    return pydantic is not None and issubclass(cls, pydantic.BaseModel)


def _load(stream: BinaryIO) -> Any:
    """Unpickle with the cycle collector paused: every object made is kept, and at ten times the
    sample, collections set off by the allocations made reading back slower than validating."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _Unpickler(stream).load()
    finally:
        if collecting:
            gc.enable()


class _Digest:
    def __init__(self) -> None:
        self.digest = hashlib.blake2b(digest_size=24)

    def add(self, *parts: object) -> None:
        for part in parts:
            if part is None:
                self.digest.update(b"\0")
                continue
            data = part if isinstance(part, bytes) else os.fsencode(str(part))
            self.digest.update(b"=" + len(data).to_bytes(8, "little"))
            self.digest.update(data)


@cache
def _engine() -> bytes | None:
    """The engine's part of every key (once per process), None when it cannot be fingerprinted."""
    digest = _Digest()
    digest.add(FORMAT)
    try:
        add_engine(digest.add)
    except Exception:  # an engine that cannot be fingerprinted keeps nothing
        return None
    return digest.digest.digest()


class Store:
    """The stored step results of one project."""

    def __init__(self, folder: Path, engine: bytes):
        self.folder, self.engine = folder, engine

    @classmethod
    def beside(cls, plans_dir: Path) -> Store | None:
        """The store of the project that holds ``plans_dir``; None when the engine cannot be
        fingerprinted."""
        engine = _engine()
        if engine is None:
            return None
        return cls(project_of(plans_dir) / FOLDER / "stored", engine)

    def reuse(
        self,
        name: str,
        inputs: Iterable[bytes | str | None],
        compute: Callable[[], T],
        fits: Callable[[Any], bool],
    ) -> T:
        """``compute()``, or what it gave when ``name`` was last stored with the same ``inputs``
        (and engine), provided ``fits`` accepts it."""
        digest = _Digest()
        digest.add(self.engine, name)
        for part in inputs:
            digest.add(part)
        key = digest.digest.hexdigest().encode()
        entry = self.folder / f"{name}.pickle"
        try:
            with open(entry, "rb") as stream:
                if stream.readline() == key + b"\n":
                    found = _load(stream)
                    if fits(found):
                        return found
        except Exception:  # missing, unreadable or damaged: computed anew
            pass
        value = compute()
        self._put(entry, key, value)
        return value

    def _put(self, entry: Path, key: bytes, value: object) -> None:
        try:
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # a value that cannot be kept is computed next time too
            return
        temporary = entry.with_name(f".{entry.name}.{os.getpid()}")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            ignore = self.folder.parent / ".gitignore"
            if not ignore.exists():
                ignore.write_text(IGNORE, encoding="utf-8")
            with open(temporary, "wb") as stream:
                stream.write(key + b"\n")
                stream.write(data)
            os.replace(temporary, entry)
        except OSError:  # a read-only checkout: computed next time too
            with suppress(OSError):
                temporary.unlink(missing_ok=True)


def page_check_inputs(content: Path) -> Iterator[bytes | str | None]:
    """What the page check of ``content`` depends on besides the engine: the working directory
    (the paths it shows), the project's ``mkdocs.yml`` and own macros, and every page by name and
    bytes (None: not readable)."""
    project = content.parent
    yield os.getcwd()
    yield str(content.resolve())
    yield _read(project / "mkdocs.yml")
    yield str(((project / "main.py").is_file(), (project / "main").is_dir()))
    for path in sorted(content.rglob("*.md")):
        yield str(path.relative_to(content))
        yield _read(path)


def _read(path: Path) -> bytes | None:
    """The bytes of a file; None for anything else (reading a pipe may never end) or when unreadable."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None
        return path.read_bytes()
    except OSError:
        return None
