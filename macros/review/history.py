"""The history of plans/ from git, each commit with its semantic summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..data.visibility import AUDIENCES, allowed_for, hidden_records, visible_data
from .diff import Snapshot, diff, summary_line
from .gitdata import GitError, is_shallow, plans_history, read_plans, read_plans_at, repo_root


@dataclass(frozen=True)
class Entry:
    sha: str
    date: str  # '2026-10-01'
    author: str
    subject: str
    summary: str
    time: str = ""  # '2026-10-01T12:03:12Z' (the feed's; the page shows the day)


@dataclass
class History:
    entries: list[Entry] = field(default_factory=list)
    note: str = ""  # shown instead of, or above, the entries


_snapshots: dict[str, Snapshot] = {}
_changes: dict[tuple[str, str, str, bool], Change] = {}  # (commit, plans, audience, preview) -> change


def _prefetch(root: Path, shas: list[str], plans: str) -> None:
    """Read the plans of every commit not read yet at once (``_snapshot`` reads any left out)."""
    missing = [sha for sha in shas if sha not in _snapshots]
    if not missing:
        return
    try:
        read = read_plans_at(root, missing, plans)
    except (GitError, ValueError):  # git's answers do not line up (a newline in the path)
        return
    for sha, texts in read.items():
        _snapshots[sha] = Snapshot.load(texts, plans, method=False)


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


@dataclass(frozen=True)
class Change:
    """One commit's change as the build's audience may see it."""

    summary: str  # names only records visible in every version compared
    hidden: int  # records of a narrower audience that changed: counted, never named

    @property
    def text(self) -> str:
        parts = [self.summary] if self.summary else []
        if self.hidden:
            what = "1 Eintrag" if self.hidden == 1 else f"{self.hidden} Einträge"
            parts.append(f"{what} mit engerem Leserkreis geändert")
        return "; ".join(parts) or "keine inhaltliche Änderung"


def describe(before: Snapshot, after: Snapshot, audience: str, preview: bool = False) -> Change:
    """The change from ``before`` to ``after`` for one audience (see ``visibility``); drafts
    count as hidden unless ``preview``."""
    allowed = allowed_for(audience, preview)
    hidden: set[tuple[str, str]] = set()
    for snap in (before, after):
        for stem, data in snap.data.items():
            hidden |= hidden_records(stem, data, allowed)
    changed = {(kind, rid) for kind, rid in hidden if _data(before, kind, rid) != _data(after, kind, rid)}
    if hidden or allowed != AUDIENCES["confidential"]:
        shown_before = before.filtered(lambda stem, data: visible_data(stem, data, allowed, hidden))
        shown_after = after.filtered(lambda stem, data: visible_data(stem, data, allowed, hidden))
    else:  # the confidential audience sees everything: no copy to make
        shown_before, shown_after = before, after
    count = len(changed)
    for stem in set(before.data) | set(after.data):
        # Only hidden entries or guarded fields of a file changed (no hidden record counted it).
        raw_differs = before.data.get(stem) != after.data.get(stem)
        if raw_differs and shown_before.data.get(stem) == shown_after.data.get(stem):
            count += not any(_stem(before, after, kind, rid) == stem for kind, rid in changed)
    if not before.data:
        records = sum(len(v) for v in shown_after.records.values())
        return Change(f"erste Fassung der Strategie ({records} Einträge)", 0)
    return Change(summary_line(diff(shown_before, shown_after, "", "")), count)


def _data(snap: Snapshot, kind: str, rid: str) -> object:
    record = snap.records.get(kind, {}).get(rid)
    return None if record is None else record.data


def _stem(before: Snapshot, after: Snapshot, kind: str, rid: str) -> str | None:
    for snap in (after, before):
        record = snap.records.get(kind, {}).get(rid)
        if record is not None:
            return record.stem
    return None


def plans_changes(
    plans_dir: Path, audience: str = "internal", limit: int = 50, preview: bool = False
) -> History:
    """Newest first; a note instead of an error when there is no usable git history.

    Each commit is summarised for ``audience``: records it may not see (in either version)
    are counted, not named, and the commit message of such a commit is not shown, since
    free text can name them."""
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
    _prefetch(root, [s for c in commits for s in (c.parent, c.sha) if s is not None], plans)
    for commit in commits:
        key = (commit.sha, plans, audience, preview)
        if key not in _changes:  # a commit never changes: described once per process
            before, after = _snapshot(root, commit.parent, plans), _snapshot(root, commit.sha, plans)
            _changes[key] = describe(before, after, audience, preview)
        change = _changes[key]
        subject = commit.subject if not change.hidden else WITHHELD
        history.entries.append(
            Entry(commit.sha[:7], commit.date, commit.author, subject, change.text, commit.time)
        )
    return history


WITHHELD = "(Commit-Nachricht ausgeblendet: die Änderung betrifft Einträge mit engerem Leserkreis)"
