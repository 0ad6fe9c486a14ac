"""Results of a check's steps kept on disk between runs, so that a check or build after an edit
redoes only what the edit touched.

Most of what a check costs when it starts is building pydantic's validators (the models are
declared with ``defer_build``: a model is built when it first validates) and parsing the written
pages with Jinja. Each plans file's shape (its model and problems) and the page check's problems
are kept in ``.cache/handbook/stored/<name>.pickle`` beside ``plans/``, behind a digest of all
they depend on: the engine's files, the installed libraries, and the inputs the caller names. A
step whose digest matches is not run again. Each name keeps one entry, the last one written.

Every digest is keyed with a random secret of the user's, kept outside the project
(``~/.cache/social-media-handbook/store-key``), so an entry that came with a repository or from
another machine never matches. Only a regular file is read; the entries are read back by an
unpickler that makes only plain values and the engine's data records (its models, dataclasses and
numbers that remember their text), so a planted file cannot run code; an entry that does not read
back whole, or is not what the step returns, is computed and written anew. A folder that cannot be
written, or that is a link, means the steps simply run. This module imports nothing heavy.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import pickle
import secrets
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from ..data.positions import project_of
from .result_cache import FOLDER, Digest, add_engine, write_entry

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
        if module.startswith("macros.") and "." not in name and module in sys.modules:  # nothing imported
            found = getattr(sys.modules[module], name, None)
            if (
                isinstance(found, type)
                and found.__module__.startswith("macros.")  # not a class the module imported
                and (
                    dataclasses.is_dataclass(found)
                    or issubclass(found, (int, float, str))
                    or _is_model(found)
                )
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


@cache
def _engine() -> bytes | None:
    """The engine's part of every key (once per process): its fingerprint and the user's secret;
    None when either cannot be had."""
    secret = _secret()
    if secret is None:
        return None
    digest = Digest(secret)
    digest.add(FORMAT)
    try:
        add_engine(digest.add)
    except Exception:  # an engine that cannot be fingerprinted keeps nothing
        return None
    return digest.digest.digest()


def _secret() -> bytes | None:
    """A random key of this user's, outside every project: entries are keyed with it, so an entry
    that came with a repository (or from another machine) is never taken for one of ours."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = os.path.join(base, "social-media-handbook", "store-key")
    try:
        with open(path, "rb") as stream:
            found = stream.read(64)
        if len(found) == 32:
            return found
    except OSError:
        pass
    secret = secrets.token_bytes(32)
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path))
        with os.fdopen(handle, "wb") as stream:
            stream.write(secret)
        os.replace(temporary, path)
    except OSError:
        return None
    return secret


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
        again: Callable[[], Iterable[bytes | str | None]] | None = None,
    ) -> T:
        """``compute()``, or what it gave when ``name`` was last stored with the same ``inputs``
        (and engine), provided ``fits`` accepts it. ``again`` gives the inputs anew after
        ``compute()`` read them for itself: when they changed meanwhile, nothing is stored."""
        key = self._key(name, inputs)
        entry = self.folder / f"{name}.pickle"
        found = self._get(entry, key)
        if found is not _MISSING and fits(found):
            return found
        value = compute()
        if again is None or self._key(name, again()) == key:
            self._put(entry, key, value)
        return value

    def _key(self, name: str, inputs: Iterable[bytes | str | None]) -> bytes:
        digest = Digest()
        digest.add(self.engine, name)
        for part in inputs:
            digest.add(part)
        return digest.digest.hexdigest().encode()

    def _get(self, entry: Path, key: bytes) -> Any:
        """What ``entry`` holds under ``key``; _MISSING for anything else. Only a regular file is
        read (a link or a pipe planted there could point at an endless stream)."""
        if self._linked():
            return _MISSING
        try:
            handle = os.open(entry, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            return _MISSING
        try:
            if not stat.S_ISREG(os.fstat(handle).st_mode):
                os.close(handle)
                return _MISSING
            with os.fdopen(handle, "rb") as stream:
                if stream.readline(len(key) + 1) != key + b"\n":
                    return _MISSING
                return _load(stream)
        except Exception:  # unreadable or damaged: computed anew
            return _MISSING

    def _linked(self) -> bool:
        """Whether the store's folder or the one holding it is a link (the store is not used)."""
        return any(
            os.path.islink(folder) for folder in (self.folder, self.folder.parent, self.folder.parent.parent)
        )

    def _put(self, entry: Path, key: bytes, value: object) -> None:
        try:
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # a value that cannot be kept is computed next time too
            return
        if self._linked():
            return
        with suppress(OSError):  # a read-only checkout: computed next time too
            write_entry(entry, key + b"\n" + data, self.folder.parent)


_MISSING = object()
