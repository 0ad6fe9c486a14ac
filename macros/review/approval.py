"""Approved texts that changed after their approval, found in the git history of plans/.

A record whose ``approval.status`` is approved was approved as it stood on the day of its latest
approval: its version in the last commit of that day (or before it). When the record differs from
that version now, ``check`` warns (code ``approval-changed``) and names the first commit after the
approval that changed it, or the working tree. What is compared is the record as written, nested
records included, without its bookkeeping (``approval``, ``owner``, ``reviewed``).

Without git (an archive, no repository) or when the record is younger than the history's first
commit on or before its approval day, there is nothing to compare with: no warning.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..checks.problems import Problem
from ..data.kinds import kind as kind_of
from ..data.loader import Document, LoadError, load_file
from ..data.models import Approval
from ..data.plan import Plan
from .diff import Snapshot
from .gitdata import WORKTREE, Commit, GitError, git, read_plans, repo_root

CODE = "approval-changed"
BOOKKEEPING = ("approval", "owner", "reviewed")
"""Fields that change without changing the approved text."""
HISTORY_LIMIT = 100_000


def approval_changes(
    plan: Plan, plans_dir: Path, documents: dict[str, Document] | None = None
) -> list[Problem]:
    """A warning for every approved record whose text changed after its latest approval.

    ``documents`` are the plans files as the check of ``plan`` loaded them (by stem); without
    them the working tree is read again."""
    approved = [
        (kind, record)
        for kind, records in plan.records.items()
        for record in records.values()
        if _approved_on(getattr(record, "approval", None)) is not None
    ]
    if not approved:
        return []
    try:
        root = repo_root(plans_dir)
        plans = plans_dir.resolve().relative_to(root).as_posix()
        if documents:
            now = Snapshot.of_documents(documents, plans)
        else:
            now = Snapshot.load(read_plans(root, WORKTREE, plans), plans, method=False)
    except (GitError, ValueError):
        return []  # no history to compare with
    history: dict[str, list[Commit]] = {}
    snapshots: dict[tuple[str, str], Snapshot] = {}

    def snapshot(sha: str, name: str) -> Snapshot:
        """One file of one commit (only its records are compared)."""
        if (sha, name) not in snapshots:
            try:
                texts = {name: git(root, "show", f"{sha}:{plans}/{name}").decode("utf-8", "replace")}
            except GitError:
                texts = {}
            snapshots[(sha, name)] = Snapshot.load(texts, plans, method=False)
        return snapshots[(sha, name)]

    problems = []
    for kind, record in approved:
        day = _approved_on(record.approval)
        name = Path(plan.ids[kind][record.id].file).name
        if name not in history:
            history[name] = _file_history(root, f"{plans}/{name}")  # newest first
        commits = history[name]
        before = [c for c in commits if c.date <= day]
        if not before:
            continue
        approved_text = _text(snapshot(before[0].sha, name), kind, record.id)
        if approved_text is None or approved_text == _text(now, kind, record.id):
            continue
        after = reversed([c for c in commits if c.date > day])  # oldest first
        changed = next(
            (c for c in after if _text(snapshot(c.sha, name), kind, record.id) != approved_text), None
        )
        problems.append(_problem(plan, plans_dir, kind, record, day, changed))
    return problems


def _file_history(root: Path, path: str) -> list[Commit]:
    """The commits that touched one plans file, newest first (their committer dates)."""
    try:
        raw = git(root, "log", "-z", f"-n{HISTORY_LIMIT}", "--format=%H%x00%cs", "--", path)
    except GitError:
        return []
    fields = raw.decode("utf-8", "replace").strip("\0").split("\0")
    return [Commit(sha, None, date, "", "") for sha, date in zip(fields[::2], fields[1::2], strict=False)]


def _approved_on(approval: Any) -> str | None:
    """The day (YYYY-MM-DD) of an approved record's latest approval; None for any other."""
    if not isinstance(approval, Approval) or approval.status != "approved" or not approval.approvals:
        return None
    return max(entry.on for entry in approval.approvals).isoformat()


def _text(snap: Snapshot, kind: str, rid: str) -> Any:
    """The record as written in one version, without its bookkeeping; None where it is missing."""
    record = snap.records.get(kind, {}).get(rid)
    if record is None or not isinstance(record.data, dict):
        return None
    return {key: value for key, value in record.data.items() if key not in BOOKKEEPING}


def _problem(
    plan: Plan, plans_dir: Path, kind: str, record: Any, day: str, changed: Commit | None
) -> Problem:
    definition = plan.ids[kind][record.id]
    stem = plan.origins[(kind, record.id)].stem
    try:
        doc = load_file(plans_dir / f"{stem}.yml")
    except (OSError, LoadError):
        doc = None
    where = (
        f"in commit {changed.sha[:7]} of {changed.date}"
        if changed is not None
        else "in the working tree (not committed yet)"
    )
    return Problem.at(
        doc,
        definition.file,
        definition.loc[:-1],
        f"{kind_of(kind).label_en} '{record.id}' was approved on {day}, "
        f"but its text changed after that {where}",
        "have the changed text approved again and add that approval with its date under "
        "'approval.approvals' (until then set 'approval.status' to in_review), or undo the change",
        CODE,
        "warning",
    )
