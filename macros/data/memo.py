"""Results derived from objects that never change once made (loaded documents, frozen models),
kept while those very objects are in use: a rebuild under ``mkdocs serve`` after an edit derives
again only what comes from the changed file."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class ByIdentity(Generic[T]):
    """``compute(*args)`` for a tuple of objects (compared by identity) and a hashable ``extra``; the
    objects are kept with the result, so an address is never reused while it is a key.

    ``keep`` bounds the entries: when full, the cache starts over (an edit adds a few).
    """

    def __init__(self, keep: int = 512) -> None:
        self._keep = keep
        self._results: dict[tuple, tuple[tuple, T]] = {}

    def get(self, objects: tuple[Any, ...], extra: Hashable, compute: Callable[..., T], *args: Any) -> T:
        key = (tuple(map(id, objects)), extra)
        found = self._results.get(key)
        if found is not None and all(a is b for a, b in zip(found[0], objects, strict=True)):
            return found[1]
        value = compute(*args)
        if len(self._results) >= self._keep:
            self._results.clear()
        self._results[key] = (objects, value)
        return value

    def clear(self) -> None:
        self._results.clear()
