"""The watcher ``mkdocs serve`` gets from macros/site/watch.py: the system's change notification, and
no rebuild for Python's own bytecode writes in a watched folder."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from macros.site.watch import _Watcher


class _Seen(FileSystemEventHandler):
    def __init__(self) -> None:
        self.paths: list[str] = []
        self.events: list[tuple[str, str]] = []  # (file name, event type)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if not event.is_directory:
            self.paths.append(Path(str(event.src_path)).name)
            self.events.append((Path(str(event.src_path)).name, event.event_type))


def _wait_for(seen: _Seen, name: str, event_type: str | None = None, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not any(n == name and event_type in (None, t) for n, t in seen.events):
        assert time.monotonic() < end, f"no event for {name}; seen: {seen.events}"
        time.sleep(0.02)


def test_reads_and_bytecode_writes_are_not_changes_but_edits_are(tmp_path: Path) -> None:
    """MkDocs rebuilds on every event it gets. A build reads the files it watches (inotify reports
    each open and close): the build after an edit started another, a failing one started one every
    second. Python compiles macros/ into __pycache__ on the first run of a fresh checkout: each of
    those writes rebuilt the site. The edits around them are seen."""
    (tmp_path / "macros").mkdir()
    seen = _Seen()
    watcher = _Watcher()
    watcher.start()
    try:
        watcher.schedule(seen, str(tmp_path), recursive=True)
        cache = tmp_path / "macros" / "__pycache__"
        cache.mkdir()
        (cache / "render.cpython-311.pyc.1234").write_bytes(b"\x00" * 16)
        (cache / "render.cpython-311.pyc.1234").rename(cache / "render.cpython-311.pyc")
        (tmp_path / "macros" / "kinds.py").write_text("y = 2\n", encoding="utf-8")
        _wait_for(seen, "kinds.py", "closed")  # a write's last event: created, modified, closed
        seen.paths.clear()
        (tmp_path / "macros" / "kinds.py").read_text(encoding="utf-8")  # a build reads what it watches
        (tmp_path / "macros" / "render.py").write_text("x = 1\n", encoding="utf-8")
        _wait_for(seen, "render.py")
        time.sleep(0.2)  # events arrive in order: a bytecode event would be here by now
    finally:
        watcher.stop()
        watcher.join(5)
    assert set(seen.paths) == {"render.py"}


def test_a_folder_the_system_cannot_watch_is_polled_and_filtered_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OSError(28, "inotify watch limit reached")

    watcher = _Watcher()
    monkeypatch.setattr(Observer, "schedule", refuse)  # the platform's observer, which _Watcher extends
    seen = _Seen()
    watcher.start()
    try:
        watch = watcher.schedule(seen, str(tmp_path), recursive=True)
        assert any(emitter.watch == watch for emitter in watcher.polling.emitters)
        (tmp_path / "__pycache__").mkdir()
        (tmp_path / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\x00")
        time.sleep(1.2)  # the polling observer looks twice a second
        (tmp_path / "plans.yml").write_text("a: 1\n", encoding="utf-8")
        _wait_for(seen, "plans.yml")
    finally:
        watcher.stop()
        watcher.join(5)
    assert set(seen.paths) == {"plans.yml"}
