"""Replay of a finished ``handbook check`` when none of its inputs changed.

A check's report depends on the bytes of the plans and content pages (and ``mkdocs.yml``, and
whether a ``main.py`` of the project's own macros is there), where links in them point, the engine's
own files and written pages, the installed libraries, the git history of the approvals (commit,
shallow boundary, grafts, replaced commits), the day (review dates), the working directory and the
command line. The command stores each finished check under ``.cache/handbook/`` beside ``plans/``;
the next check with the same fingerprint prints the stored report and exit code without importing
the models (pydantic), the YAML parser or Jinja. Whatever cannot be fingerprinted (an unreadable
file, a linked folder, a pipe, a date setting that is wrong) or a cache that cannot be read or
written means the check simply runs, and a check during which an input changed is not stored. This
module imports nothing heavy.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TextIO

from ..data.bundle import engine_pages
from ..data.positions import find_plans_dir, project_of
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
    """Every entry below ``root`` by relative name: a file's bytes (the engine's files: size and
    change time) and where each link points. A linked folder (not entered by the walk) or anything
    but a file (a pipe, a device: reading it may never end) cannot be fingerprinted."""
    add("tree", root, os.path.realpath(root))
    for folder, dirs, files in os.walk(root, onerror=_fail):
        base = Path(folder)
        dirs[:] = sorted(d for d in dirs if contents or d != "__pycache__")
        for name in dirs:
            if (base / name).is_symlink():
                raise _Unusable
            add("dir", (base / name).relative_to(root))
        for name in sorted(files):
            path = base / name
            try:
                st = path.stat()
                if not stat.S_ISREG(st.st_mode):
                    raise _Unusable
                if path.is_symlink():  # the check tells links that leave plans/ apart
                    add("link", os.readlink(path), os.path.realpath(path))
                if contents:
                    add("file", path.relative_to(root), path.read_bytes())
                else:
                    add("file", path.relative_to(root), st.st_size, st.st_mtime_ns)
            except OSError as exc:
                raise _Unusable from exc


def _git(plans: Path, *args: str) -> tuple[int, bytes]:
    try:
        done = subprocess.run(["git", *args], cwd=plans, capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return -1, b"no git"
    return done.returncode, done.stdout


def _history(plans: Path) -> list[object]:
    """What the history of approvals read from git depends on: the commit, the shallow boundary,
    grafts and replaced commits."""
    code, out = _git(plans, "rev-parse", "HEAD", "--git-path", "shallow", "--git-path", "info/grafts")
    lines = out.decode("utf-8", "surrogateescape").splitlines()
    if code != 0 or len(lines) != 3:
        return [code, out]
    found: list[object] = [lines[0]]
    for name in lines[1:]:
        try:
            found.append((plans / name).read_bytes())
        except FileNotFoundError:
            found.append(b"")
        except OSError as exc:
            raise _Unusable from exc
    found.extend(_git(plans, "for-each-ref", "--format=%(objectname) %(refname)", "refs/replace/"))
    return found


def add_engine(add: Callable[..., None]) -> None:
    """Feed what the engine's results depend on besides their input to ``add``: the interpreter,
    the installed libraries and the engine's own files."""
    add(sys.version, sys.executable)
    for entry in sys.path:  # installing or removing a package changes its folder's time
        if os.path.basename(entry) in ("site-packages", "dist-packages"):
            try:
                add("packages", entry, os.stat(entry).st_mtime_ns)
            except OSError:
                add("packages", entry, "missing")
    _tree(add, ENGINE, contents=False)


class Digest:
    """A digest of parts, each with its length (None apart), so no two lists of parts collide;
    ``key`` keys it (BLAKE2's keyed mode)."""

    def __init__(self, key: bytes = b"") -> None:
        self.digest = hashlib.blake2b(digest_size=24, key=key)

    def add(self, *parts: object) -> None:
        for part in parts:
            if part is None:
                self.digest.update(b"\0")
                continue
            data = part if isinstance(part, bytes) else os.fsencode(str(part))
            self.digest.update(b"=" + len(data).to_bytes(8, "little"))
            self.digest.update(data)


def write_entry(entry: Path, data: bytes, cache: Path) -> None:
    """Write ``entry`` whole or not at all: a new temporary file of its own (a link planted under a
    predictable name is never written through), then renamed. ``cache`` is the folder that gets the
    ``.gitignore``. Raises OSError (a read-only checkout)."""
    entry.parent.mkdir(parents=True, exist_ok=True)
    ignore = cache / ".gitignore"
    if not ignore.exists():
        ignore.write_text(IGNORE, encoding="utf-8")
    handle, temporary = tempfile.mkstemp(dir=entry.parent, prefix=f".{entry.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, entry)
    except OSError:
        with suppress(OSError):
            os.unlink(temporary)
        raise


def fingerprint(argv: list[str], plans: Path) -> str:
    """A digest of everything the check of ``plans`` with command line ``argv`` depends on."""
    digest = Digest()
    add = digest.add
    try:
        day = today().isoformat()
    except SettingError as exc:  # the check reports it
        raise _Unusable from exc
    add(FORMAT, os.getcwd(), len(argv), *argv, day)
    add_engine(add)
    pages = engine_pages()  # the engine's written pages, which the clash check falls back on
    if pages.is_dir() and not pages.resolve().is_relative_to(ENGINE):  # a source checkout
        _tree(add, pages, contents=True)
    _tree(add, plans, contents=True)
    project = project_of(plans)
    content = project / "content"
    if content.is_dir():
        _tree(add, content, contents=True)
    # mkdocs-macros' default local module: whether the pages may call macros of the project's own
    add("main", os.path.isfile(project / "main.py"), os.path.isdir(project / "main"))
    try:
        add("mkdocs.yml", (project / "mkdocs.yml").read_bytes())
    except FileNotFoundError:
        add("no mkdocs.yml")
    except OSError as exc:
        raise _Unusable from exc
    add(*_history(plans))
    return digest.digest.hexdigest()


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

    def __init__(self, entry: Path, key: str, argv: list[str], plans: Path):
        self.entry, self.key, self.argv, self.plans = entry, key, argv, plans

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
        return cls(project_of(plans) / FOLDER / f"check-{name}.json", key, argv, plans)

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
        try:  # a file edited (or the day over) while the check ran: the report is not of these inputs
            if fingerprint(self.argv, self.plans) != self.key:
                return
        except _Unusable:
            return
        text = json.dumps({"key": self.key, "code": code, "stdout": out, "stderr": err})
        with suppress(OSError):  # a read-only checkout: the next check runs again
            write_entry(self.entry, text.encode("utf-8"), self.entry.parent)
