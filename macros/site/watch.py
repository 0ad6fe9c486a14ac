"""Edits noticed at once under ``mkdocs serve``: the operating system's change notification
(inotify, FSEvents, ReadDirectoryChangesW) instead of MkDocs' polling, which looks at every
watched file twice a second and so adds a quarter of a second to every reload on average.

MkDocs polls because change notification does not reach it on some mounts (non-native Docker
volumes, network shares: mkdocs/mkdocs#2477). A folder the system refuses to watch (inotify's
watch limit, some network file systems) is polled as before; where changes arrive without the
system noticing them, ``HANDBOOK_WATCH=poll`` keeps MkDocs' polling for everything.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirModifiedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

log = logging.getLogger("mkdocs.plugins.handbook")

POLL = "HANDBOOK_WATCH"


# What changes a file or folder. Reading one is no change: inotify reports every open and close,
# MkDocs rebuilds on any event it gets, and a build reads the watched files, so the build after
# each edit started another one (and a build that failed, reading them too, started one a second).
CHANGES = [
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileClosedEvent,  # closed after writing
    DirCreatedEvent,
    DirDeletedEvent,
    DirModifiedEvent,
    DirMovedEvent,
]


class _Watcher(Observer):  # type: ignore[misc,valid-type]  # the platform's observer class
    """The platform's observer, with a polling one for the folders it cannot watch."""

    def __init__(self) -> None:
        super().__init__()
        self.polling = PollingObserver(timeout=0.5)

    def start(self) -> None:
        if not self.is_alive():  # started early: MkDocs starts its observer again when it serves
            super().start()
            self.polling.start()

    def schedule(self, event_handler: Any, path: str, recursive: bool = False, **kwargs: Any) -> Any:
        event_handler = _SkipBytecode(event_handler)
        kwargs.setdefault("event_filter", CHANGES)
        try:
            return super().schedule(event_handler, path, recursive=recursive, **kwargs)
        except OSError as exc:
            log.warning(f"handbook: '{path}' is polled for changes ({exc.strerror or exc})")
            return self.polling.schedule(event_handler, path, recursive=recursive)

    def unschedule(self, watch: Any) -> None:
        if any(emitter.watch == watch for emitter in self.polling.emitters):
            self.polling.unschedule(watch)
        else:
            super().unschedule(watch)

    def stop(self) -> None:
        self.polling.stop()
        super().stop()

    def join(self, timeout: float | None = None) -> None:
        self.polling.join(timeout)
        super().join(timeout)


class _SkipBytecode(FileSystemEventHandler):  # type: ignore[misc]
    """Passes on every event but Python's own bytecode writes (``__pycache__``): the engine's first
    run in a fresh checkout compiles macros/, which is watched, and each write rebuilt the site."""

    def __init__(self, handler: Any) -> None:
        self.handler = handler

    def dispatch(self, event: FileSystemEvent) -> None:
        paths = [os.fsdecode(event.src_path), os.fsdecode(getattr(event, "dest_path", "") or "")]
        if all(_bytecode(path) for path in paths if path):
            return
        self.handler.dispatch(event)


def _bytecode(path: str) -> bool:
    return "__pycache__" in path.replace("\\", "/").split("/")


def notify_changes(server: Any) -> None:
    """Give MkDocs' live-reload ``server`` (before it serves) the system's change notification,
    keeping the folders it watches so far; ``HANDBOOK_WATCH=poll`` leaves it polling."""
    if os.environ.get(POLL, "").strip().lower() == "poll":
        return
    watcher = _Watcher()
    try:
        watcher.start()  # now, so that a folder it cannot watch shows at schedule()
    except OSError as exc:
        log.warning(f"handbook: changes are polled ({exc.strerror or exc})")
        return
    watched = dict(server._watched_paths)  # path -> how often watch() was called for it
    server.observer = watcher
    server._watched_paths.clear()
    server._watch_refs.clear()
    for path, count in watched.items():
        server.watch(path)
        server._watched_paths[path] = count
