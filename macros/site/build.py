"""Load and check plans once per build; shared by the MkDocs hook and define_env.

A rebuild (``mkdocs serve``) reloads only when a plans file changed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..checks.check import check
from ..checks.problems import format_text
from ..data import memo
from ..data.plan import AUDIENCES, Plan
from ..review.gitdata import GitError, git


class PlanError(Exception):
    """The plans have errors; the message is the full positioned report (``report`` without the
    first line, which says what was not done)."""

    def __init__(self, message: str, report: str = "") -> None:
        super().__init__(message)
        self.report = report


@dataclass
class _Cache:
    fingerprint: tuple = ()
    plan: Plan | None = None
    loads: int = 0


_cache = _Cache()


def _fingerprint(plans_dir: Path) -> tuple:
    """Name, time and size of every plans file; what cannot be read counts by its error (check reports it)."""
    stamps: list[tuple] = []
    try:
        files = sorted(plans_dir.glob("*.y*ml"))
    except OSError as exc:
        files, stamps = [], [("(folder)", exc.errno)]
    for path in files:
        try:
            info = path.stat()
        except OSError as exc:  # a broken link, a link loop, no permission
            stamps.append((path.name, exc.errno))
        else:
            stamps.append((path.name, info.st_mtime_ns, info.st_size))
    return (os.path.realpath(plans_dir), *stamps)


def preview_setting(value: object) -> bool:
    """``extra.preview`` (HANDBOOK_PREVIEW): whether a build is a preview, which shows drafts."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower() if value is not None else ""
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("", "0", "false", "no", "off"):
        return False
    raise PlanError(
        f"unknown preview setting '{value}' (extra.preview / HANDBOOK_PREVIEW); "
        "use 1 for a preview that shows drafts or 0 for the published handbook"
    )


def load_plan(
    plans_dir: Path, audience: str = "internal", content_dir: Path | None = None, preview: bool = False
) -> Plan:
    """The checked plan as ``audience`` may see it; raises PlanError when there are errors.

    ``content_dir`` is the docs folder whose hand-written pages ids must not clash with
    (default: ``content/`` beside ``plans/``). A ``preview`` shows drafts (records whose
    ``approval.status`` is draft); the published handbook leaves them out.
    """
    if audience not in AUDIENCES:
        raise PlanError(
            f"unknown audience '{audience}' (extra.audience / HANDBOOK_AUDIENCE); "
            f"use one of: {', '.join(AUDIENCES)}"
        )
    fingerprint = (*_fingerprint(plans_dir), audience, preview)
    if _cache.plan is not None and fingerprint == _cache.fingerprint:
        return _cache.plan
    result = check(plans_dir, content_dir)
    _cache.loads += 1
    if result.plan is None:
        errors = [p for p in result.problems if p.severity == "error"]
        report = format_text(errors, result.summary())
        raise PlanError("the plans have errors; the site was not built\n" + report, report)
    _cache.fingerprint = fingerprint
    _cache.plan = result.plan.for_audience(audience, plans_dir, preview)
    memo.forget_unused()  # what older versions of the plans files gave
    return _cache.plan


def current_plan() -> Plan:
    if _cache.plan is None:
        raise RuntimeError("plans are not loaded yet (is the handbook hook in mkdocs.yml?)")
    return _cache.plan


def load_count() -> int:
    """How often plans were loaded in this process (tests assert 'once per build')."""
    return _cache.loads


def data_version(root: Path, serving: bool = False) -> str:
    """The last commit that touched plans/ for the footer, marked when plans/ has local changes.

    Under ``mkdocs serve`` (``serving``) the site is a preview of the working copy, whatever it
    holds: the footer says so instead of asking git, so that the first edit after a commit does
    not change every page (and rebuild all of them).
    """
    try:
        commit = git(root, "log", "-1", "--format=%h %cs", "--", "plans").decode().strip()
        dirty = not serving and git(root, "status", "--porcelain", "--", "plans").decode().strip()
    except GitError:
        return "ohne Git-Historie"
    if not commit:
        return "ohne Git-Historie"
    if serving:
        return f"Vorschau des Arbeitsstands (letzter Commit {commit})"
    return f"{commit} (mit lokalen Änderungen)" if dirty else commit
