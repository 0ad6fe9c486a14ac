"""Results derived from objects that never change once made (loaded documents, frozen models),
kept while those very objects are in use: a rebuild under ``mkdocs serve`` after an edit derives
again only what comes from the changed file.

A build calls :func:`forget_unused` once it has its plan: what it did not use (the results for the
versions of a file before an edit) is dropped, so a long serve session keeps one version.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_caches: list[ByIdentity[Any]] = []


class ByIdentity(Generic[T]):
    """``compute(*args)`` for a tuple of objects (compared by identity) and a hashable ``extra``; the
    objects are kept with the result, so an address is never reused while it is a key.

    ``keep`` bounds the entries of a process that never calls :func:`forget_unused` (a test run):
    when full, the cache starts over.
    """

    def __init__(self, keep: int = 512) -> None:
        self._keep = keep
        self._results: dict[tuple, tuple[tuple, T]] = {}
        self._used: set[tuple] = set()
        _caches.append(self)

    def get(self, objects: tuple[Any, ...], extra: Hashable, compute: Callable[..., T], *args: Any) -> T:
        key = (tuple(map(id, objects)), extra)
        self._used.add(key)
        found = self._results.get(key)
        if found is not None and all(a is b for a, b in zip(found[0], objects, strict=True)):
            return found[1]
        value = compute(*args)
        if len(self._results) >= self._keep:
            self._results.clear()
        self._results[key] = (objects, value)
        return value

    def forget_unused(self) -> None:
        self._results = {key: self._results[key] for key in self._used if key in self._results}
        self._used = set()


def forget_unused() -> None:
    """Drop every result not asked for since the last call."""
    for cache in _caches:
        cache.forget_unused()
