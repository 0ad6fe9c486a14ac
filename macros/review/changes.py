"""When each record and plans file last changed, from git, as one audience may see it.

The site marks pages changed since a reader's last visit with it: a page shows a record (its
generated page), a plans file (a written page's ``plans:``) or every record of a kind (a section's
index page). Only changes the build's audience may see count: a record of a narrower audience that
changed leaves no trace, like on the change history page.
"""

from __future__ import annotations

from pathlib import Path

from ..data.visibility import AUDIENCES, hidden_records, visible_data
from .diff import Snapshot
from .gitdata import GitError, git, repo_root
from .history import _prefetch, _snapshot


def last_changes(plans_dir: Path, audience: str = "internal", limit: int = 50) -> dict[str, int]:
    """``{"record:<kind>:<id>" | "file:<stem>" | "kind:<kind>": commit time (Unix seconds)}`` of
    the newest of the last ``limit`` commits to plans/ that changed it; empty without git history.

    A commit whose parent lies outside a shallow clone counts as changing nothing (it would mark
    every page)."""
    try:
        root = repo_root(plans_dir)
        plans = plans_dir.resolve().relative_to(root).as_posix()
        raw = git(root, "log", "-z", f"-n{limit}", "--format=%H%x00%P%x00%ct", "--", f"{plans}/")
    except (GitError, ValueError):
        return {}
    fields = raw.decode("utf-8", "replace").split("\0")
    commits = []  # (commit, its parent, its time)
    for i in range(0, len(fields) - 2, 3):
        sha, parents, when = (f.strip() for f in fields[i : i + 3])
        parent = parents.split()[0] if parents else None
        if when.isdigit() and parent is not None:  # else the first version: nothing was there to change
            commits.append((sha, parent, int(when)))
    unread = [
        (sha, parent) for sha, parent, _ in commits if (root, plans, parent, sha, audience) not in _keys
    ]
    _prefetch(root, [s for pair in unread for s in pair], plans)
    found: dict[str, int] = {}
    for sha, parent, when in commits:
        memo = (root, plans, parent, sha, audience)
        if memo not in _keys:  # a commit's change stays the same: each rebuild under serve asks again
            _keys[memo] = frozenset(
                changed_keys(_snapshot(root, parent, plans), _snapshot(root, sha, plans), audience)
            )
        for key in _keys[memo]:
            found.setdefault(key, when)  # newest first: the first time seen is the last change
    return found


_keys: dict[tuple, frozenset[str]] = {}


def changed_keys(before: Snapshot, after: Snapshot, audience: str) -> set[str]:
    """What changed from ``before`` to ``after`` that ``audience`` may see (keys as above)."""
    if not before.data:
        return set()  # unreadable parent (outside a shallow clone): no claim
    allowed = AUDIENCES[audience]
    hidden: set[tuple[str, str]] = set()
    for snap in (before, after):
        for stem, data in snap.data.items():
            hidden |= hidden_records(stem, data, allowed)
    old = before.filtered(lambda stem, data: visible_data(stem, data, allowed, hidden))
    new = after.filtered(lambda stem, data: visible_data(stem, data, allowed, hidden))
    keys: set[str] = set()
    for stem in set(old.data) | set(new.data):
        if old.data.get(stem) != new.data.get(stem):
            keys.add(f"file:{stem}")
    for kind in set(old.records) | set(new.records):
        was, now = old.records.get(kind, {}), new.records.get(kind, {})
        for rid in set(was) | set(now):
            a, b = was.get(rid), now.get(rid)
            if (a.data if a else None) != (b.data if b else None):
                keys.add(f"record:{kind}:{rid}")
                keys.add(f"kind:{kind}")
    return keys
