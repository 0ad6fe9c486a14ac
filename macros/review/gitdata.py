"""Read plans/ from git revisions (no MkDocs, no working-tree changes)."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..checks.problems import Problem
from ..data.files import Unusable, entry_display, list_folder, read_entry

WORKTREE = "WORKTREE"


class GitError(Exception):
    """git is missing, the directory is no repository, or a revision is unknown."""


class UnreadablePlans(GitError):
    """Plans in the working tree that cannot be read; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(f"{p.file}: {p.message}" for p in problems))
        self.problems = problems


def git(root: Path, *args: str, input: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", *args], cwd=root, input=input, capture_output=True, check=False, timeout=60
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise GitError(f"git could not run: {exc}") from None
    if done.returncode != 0:
        raise GitError(done.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed")
    return done.stdout


def repo_root(path: Path) -> Path:
    return Path(git(path, "rev-parse", "--show-toplevel").decode().strip())


def default_base(root: Path) -> str:
    """The merge-base with the main branch (origin/main, main, origin/master, master)."""
    for branch in ("origin/main", "main", "origin/master", "master"):
        try:
            git(root, "rev-parse", "--verify", "--quiet", f"{branch}^{{commit}}")
        except GitError:
            continue
        return git(root, "merge-base", branch, "HEAD").decode().strip()
    raise GitError("no main branch found (tried origin/main, main, origin/master, master); give BASE")


def short(root: Path, rev: str) -> str:
    if rev == WORKTREE:
        return "working tree"
    return git(root, "rev-parse", "--short", rev).decode().strip()


def read_plans(root: Path, rev: str, plans: str = "plans") -> dict[str, str]:
    """{file name: text} of every plans file at ``rev`` (or in the working tree)."""
    if rev == WORKTREE:
        return _read_worktree(root / plans)
    try:
        listing = git(root, "ls-tree", "-z", f"{rev}^{{tree}}", "--", f"{plans}/").decode("utf-8", "replace")
    except GitError as exc:
        raise GitError(f"unknown revision '{rev}': {exc}") from None
    entries = []
    for item in filter(None, listing.split("\0")):
        meta, path = item.split("\t", 1)
        _, kind, sha = meta.split()
        name = path.rsplit("/", 1)[-1]
        if kind == "blob" and name.endswith((".yml", ".yaml")):
            entries.append((name, sha))
    if not entries:
        return {}
    blobs = _batch(git(root, "cat-file", "--batch", input="".join(f"{sha}\n" for _, sha in entries).encode()))
    if any(kind != "blob" for _, kind, _ in blobs):
        raise GitError(f"revision '{rev}': git cannot give its plans files (a damaged or partial clone?)")
    return {
        name: body.decode("utf-8", "replace") for (name, _), (_, _, body) in zip(entries, blobs, strict=True)
    }


def read_plans_at(root: Path, revs: list[str], plans: str = "plans") -> dict[str, dict[str, str]]:
    """``read_plans`` of many revisions with two git processes instead of two per revision, each
    file's text read once however many revisions hold it: ``{rev: {file name: text}}``, ``{}`` for
    a revision without a plans folder. A revision git does not know, or one whose files it cannot
    give, is left out (``read_plans`` says why)."""
    revs = list(dict.fromkeys(revs))
    if not revs:
        return {}
    folder = "" if plans in ("", ".") else plans  # '<rev>:' is the root folder, '<rev>:.' is not
    asked = "".join(f"{rev}^{{commit}}\n{rev}:{folder}\n" for rev in revs)
    found = _batch(git(root, "cat-file", "--batch", input=asked.encode()))
    listings: dict[str, list[tuple[str, str]]] = {}
    for rev, (_, commit, _), (oid, kind, body) in zip(revs, found[::2], found[1::2], strict=True):
        if commit != "commit":
            continue
        entries = _tree_entries(body, len(oid) // 2) if kind == "tree" else []
        listings[rev] = [
            (name, sha)
            for mode, name, sha in entries
            if mode not in _NOT_BLOB and name.endswith((".yml", ".yaml"))
        ]
    wanted = list(dict.fromkeys(sha for entries in listings.values() for _, sha in entries))
    asked = "".join(f"{sha}\n" for sha in wanted)
    blobs = _batch(git(root, "cat-file", "--batch", input=asked.encode())) if wanted else []
    texts = {
        sha: body.decode("utf-8", "replace")
        for sha, (_, kind, body) in zip(wanted, blobs, strict=True)
        if kind == "blob"
    }
    return {
        rev: {name: texts[sha] for name, sha in entries}
        for rev, entries in listings.items()
        if all(sha in texts for _, sha in entries)
    }


_NOT_BLOB = (b"40000", b"160000")  # a folder, a submodule's commit


def _batch(out: bytes) -> list[tuple[str, str, bytes]]:
    """The objects of ``git cat-file --batch`` output, in order: (object id, type, contents); type
    'missing' (and no contents) for a name git does not know."""
    found: list[tuple[str, str, bytes]] = []
    pos = 0
    while pos < len(out):
        end = out.index(b"\n", pos)
        header = out[pos:end].decode("utf-8", "replace").split()
        if len(header) == 3 and header[2].isdigit():
            size = int(header[2])
            found.append((header[0], header[1], out[end + 1 : end + 1 + size]))
            pos = end + 1 + size + 1
        else:  # '<name> missing' or '<name> ambiguous'
            found.append(("", "missing", b""))
            pos = end + 1
    return found


def _tree_entries(body: bytes, oid_size: int) -> list[tuple[bytes, str, str]]:
    """(mode, name, object id) of each entry of a git tree object."""
    entries = []
    pos = 0
    while pos < len(body):
        space = body.index(b" ", pos)
        nul = body.index(b"\0", space)
        mode, name = body[pos:space], body[space + 1 : nul].decode("utf-8", "replace")
        entries.append((mode, name, body[nul + 1 : nul + 1 + oid_size].hex()))
        pos = nul + 1 + oid_size
    return entries


def _read_worktree(folder: Path) -> dict[str, str]:
    """Like a revision, but from the working tree; raises UnreadablePlans for what cannot be read."""
    if not os.path.lexists(folder):
        return {}  # no plans/ (any more): every record is gone, as in a revision without it
    entries, problem = list_folder(folder, entry_display(folder))
    unusable: list[Unusable] = [problem] if problem is not None else []
    texts: dict[str, str] = {}
    for path in entries:
        if not path.name.endswith((".yml", ".yaml")):
            continue
        raw = read_entry(path, entry_display(path))
        if isinstance(raw, Unusable):
            unusable.append(raw)
        else:
            texts[path.name] = raw.decode("utf-8", "replace")
    if unusable:
        raise UnreadablePlans([Problem.in_file(u.file, u.message, u.hint, u.code) for u in unusable])
    return texts


@dataclass(frozen=True)
class Commit:
    sha: str
    parent: str | None
    date: str  # the committer's day, '2026-10-01'
    author: str
    subject: str
    time: str = ""  # the committer's time in UTC, '2026-10-01T12:03:12Z' ('' when it is none)


def plans_history(root: Path, limit: int = 50, plans: str = "plans") -> list[Commit]:
    """Commits that touched plans/, newest first."""
    # NUL separates the fields and (with -z) the commits: the one byte a commit message cannot hold.
    form = "%H%x00%P%x00%cs%x00%ct%x00%an%x00%s"
    raw = git(root, "log", "-z", f"-n{limit}", f"--format={form}", "--", f"{plans}/")
    fields = raw.decode("utf-8", "replace").split("\0")
    commits = []
    for i in range(0, len(fields) - 5, 6):
        sha, parents, day, seconds, author, subject = fields[i : i + 6]
        parent = parents.split()[0] if parents.strip() else None
        if not _SHA.fullmatch(sha) or (parent is not None and not _SHA.fullmatch(parent)):
            raise GitError(f"unexpected output from git log: {sha[:50]!r}")
        commits.append(Commit(sha, parent, day, author, subject, _utc(seconds)))
    return commits


def _utc(seconds: str) -> str:
    """A commit's Unix time as RFC 3339 in UTC ('2026-10-01T08:00:00Z'); '' if it is none (git
    keeps whatever time and zone a commit was written with, valid or not)."""
    try:
        return dt.datetime.fromtimestamp(int(seconds), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (ValueError, OverflowError, OSError):
        return ""


_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


def is_shallow(root: Path) -> bool:
    return git(root, "rev-parse", "--is-shallow-repository").decode().strip() == "true"
