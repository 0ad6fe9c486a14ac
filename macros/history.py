"""The history of plans/ from git, each commit with its semantic summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .diff import Snapshot, diff, summary_line
from .gitdata import GitError, is_shallow, plans_history, read_plans, repo_root


@dataclass(frozen=True)
class Entry:
    sha: str
    date: str
    author: str
    subject: str
    summary: str


@dataclass
class History:
    entries: list[Entry] = field(default_factory=list)
    note: str = ""  # shown instead of, or above, the entries


_snapshots: dict[str, Snapshot] = {}


def _snapshot(root: Path, sha: str | None, plans: str) -> Snapshot:
    if sha is None:
        return Snapshot({})
    if sha not in _snapshots:
        try:
            texts = read_plans(root, sha, plans)
        except GitError:
            texts = {}  # parent outside a shallow clone
        _snapshots[sha] = Snapshot.load(texts, plans, method=False)
    return _snapshots[sha]


def plans_changes(plans_dir: Path, limit: int = 50) -> History:
    """Newest first; a note instead of an error when there is no usable git history."""
    try:
        root = repo_root(plans_dir)
        plans = plans_dir.resolve().relative_to(root).as_posix()
        commits = plans_history(root, limit, plans)
        shallow = is_shallow(root)
    except (GitError, ValueError):
        return History(
            note="Für diese Ausgabe ist keine Git-Historie verfügbar (z. B. ein Archiv ohne .git)."
        )
    if not commits:
        return History(note="Die Git-Historie enthält noch keine Änderung an plans/.")
    history = History()
    if shallow:
        history.note = (
            "Die Historie ist unvollständig: das Repository ist ein flacher Klon (shallow clone). "
            "Mit `git fetch --unshallow` wird sie vollständig."
        )
    for commit in commits:
        before = _snapshot(root, commit.parent, plans)
        after = _snapshot(root, commit.sha, plans)
        if before.data:
            summary = summary_line(diff(before, after, "", ""))
        else:
            records = sum(len(v) for v in after.records.values())
            summary = f"erste Fassung der Strategie ({records} Einträge)"
        history.entries.append(
            Entry(
                commit.sha[:7],
                commit.date,
                commit.author,
                commit.subject,
                summary or "keine inhaltliche Änderung",
            )
        )
    return history
