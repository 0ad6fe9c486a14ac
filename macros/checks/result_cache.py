"""Replay of a finished ``handbook check`` when none of its inputs changed.

A check's output depends on the bytes of the plans and content pages (and ``mkdocs.yml``), the
engine's own files, the installed libraries, the git commit (approved texts), the day (review dates)
and the command line. The command stores each finished check under ``.cache/handbook/`` beside
``plans/``; the next check with the same fingerprint prints the stored output and exit code without
importing the models (pydantic), the YAML parser or Jinja. Whatever cannot be fingerprinted (an
unreadable file, a linked folder, a date setting that is wrong) or a cache that cannot be read or
written means the check simply runs. This module imports nothing heavy.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TextIO

from ..data.positions import find_plans_dir
from ..data.today import SettingError, today

FORMAT = 1
"""Bumped when what is stored changes meaning."""

ENGINE = Path(__file__).resolve().parent.parent
FOLDER = Path(".cache") / "handbook"
IGNORE = "# Written by 'handbook check': its results, replayed while nothing changed.\n*\n"


class _Unusable(Exception):
    """The inputs cannot be fingerprinted; the check runs without the cache."""


def _fail(exc: OSError) -> None:
    raise _Unusable from exc


def _tree(add: Callable[..., None], root: Path, contents: bool) -> None:
    """Every file below ``root`` by relative name: its bytes, or (engine files) size and change time."""
    add("tree", root)
    for folder, dirs, files in os.walk(root, onerror=_fail):
        base = Path(folder)
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in dirs:
            if (base / name).is_symlink():  # os.walk does not enter it: its files are unseen
                raise _Unusable
            add("dir", (base / name).relative_to(root))
        for name in sorted(files):
            path = base / name
            try:
                if contents:
                    add("file", path.relative_to(root), path.read_bytes())
                else:
                    st = path.stat()
                    add("file", path.relative_to(root), st.st_size, st.st_mtime_ns)
            except OSError as exc:
                raise _Unusable from exc


def _history(plans: Path) -> tuple[str, bytes]:
    """The commit the approvals are read from, and the shallow boundary of its history."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD", "--git-path", "shallow"],
            cwd=plans,
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "no git", b""
    lines = done.stdout.decode("utf-8", "surrogateescape").splitlines()
    if done.returncode != 0 or len(lines) != 2:
        return f"git {done.returncode}", done.stdout
    shallow = plans / lines[1]
    try:
        return lines[0], shallow.read_bytes()
    except FileNotFoundError:
        return lines[0], b""
    except OSError as exc:
        raise _Unusable from exc


def fingerprint(argv: list[str], plans: Path) -> str:
    """A digest of everything the check of ``plans`` with command line ``argv`` depends on."""
    digest = hashlib.blake2b(digest_size=24)

    def add(*parts: object) -> None:
        for part in parts:
            data = part if isinstance(part, bytes) else os.fsencode(str(part))
            digest.update(len(data).to_bytes(8, "little"))
            digest.update(data)

    try:
        day = today().isoformat()
    except SettingError as exc:  # the check reports it
        raise _Unusable from exc
    add(FORMAT, sys.version, sys.executable, os.getcwd(), len(argv), *argv, day)
    for entry in sys.path:  # installing or removing a package changes its folder's time
        if os.path.basename(entry) in ("site-packages", "dist-packages"):
            try:
                add("packages", entry, os.stat(entry).st_mtime_ns)
            except OSError:
                add("packages", entry, "missing")
    _tree(add, ENGINE, contents=False)
    _tree(add, plans, contents=True)
    project = plans.parent
    content = project / "content"
    if content.is_dir():
        _tree(add, content, contents=True)
    try:
        add("mkdocs.yml", (project / "mkdocs.yml").read_bytes())
    except FileNotFoundError:
        add("no mkdocs.yml")
    except OSError as exc:
        raise _Unusable from exc
    add(*_history(plans))
    return digest.hexdigest()


class _Tee:
    """A text stream that writes through and keeps a copy."""

    def __init__(self, stream: TextIO):
        self.stream, self.parts = stream, []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)


class CheckCache:
    """The stored result of one command line in one working directory, for one plans folder."""

    def __init__(self, entry: Path, key: str):
        self.entry, self.key = entry, key

    @classmethod
    def open(cls, argv: list[str], path: Path) -> CheckCache | None:
        """The cache of a check of ``path``, or None when its inputs cannot be fingerprinted."""
        plans = find_plans_dir(path)
        if not plans.is_dir() or plans.is_symlink():
            return None
        try:
            key = fingerprint(argv, plans)
        except _Unusable:
            return None
        name = hashlib.blake2b(json.dumps([os.getcwd(), argv]).encode(), digest_size=10).hexdigest()
        return cls(plans.parent / FOLDER / f"check-{name}.json", key)

    def replay(self) -> int | None:
        """Print the stored output and give its exit code, or None when nothing matching is stored."""
        try:
            stored = json.loads(self.entry.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(stored, dict) or stored.get("key") != self.key:
            return None
        out, err, code = stored.get("stdout"), stored.get("stderr"), stored.get("code")
        if not (isinstance(out, str) and isinstance(err, str) and code in (0, 1)):
            return None
        sys.stdout.write(out)
        sys.stderr.write(err)
        return code

    @contextmanager
    def recording(self) -> Iterator[Callable[[int], None]]:
        """Copy what the check prints; the function given stores it with the exit code."""
        out, err = _Tee(sys.stdout), _Tee(sys.stderr)
        sys.stdout, sys.stderr = out, err  # type: ignore[assignment]
        try:
            yield lambda code: self._store(code, "".join(out.parts), "".join(err.parts))
        finally:
            sys.stdout, sys.stderr = out.stream, err.stream

    def _store(self, code: int, out: str, err: str) -> None:
        folder = self.entry.parent
        text = json.dumps({"key": self.key, "code": code, "stdout": out, "stderr": err})
        temporary = folder / f".{self.entry.name}.{os.getpid()}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            ignore = folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text(IGNORE, encoding="utf-8")
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, self.entry)
        except OSError:  # a read-only checkout: the next check runs again
            with suppress(OSError):
                temporary.unlink(missing_ok=True)
