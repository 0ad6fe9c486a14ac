"""Helpers for build tests: a throwaway copy of the project with other plans."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from .conftest import ROOT


def make_project(dest: Path, plans: Path) -> Path:
    """Copy mkdocs.yml, content/, site_overrides/ and ``plans`` into ``dest``; link macros/."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "content", dest / "content")
    shutil.copytree(ROOT / "site_overrides", dest / "site_overrides")
    shutil.copytree(plans, dest / "plans")
    (dest / "macros").symlink_to(ROOT / "macros")
    return dest


def build(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` of ``project`` in a fresh process (``env`` adds variables)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def visible_text(html: str) -> str:
    """Visible text of a page body, roughly: tags dropped, entities of interest decoded."""
    body = html.split('<article class="md-content__inner md-typeset">', 1)[-1].split("</article>", 1)[0]
    text = re.sub(r"<[^>]+>", " ", body)
    for entity, char in (("&amp;", "&"), ("&quot;", '"'), ("&#39;", "'"), ("&lt;", "<"), ("&gt;", ">")):
        text = text.replace(entity, char)
    text = re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), text)
    return " ".join(text.split())


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` as a fixed author at a fixed date; its output."""
    env = {
        "GIT_AUTHOR_NAME": "Erika Test",
        "GIT_AUTHOR_EMAIL": "erika@example.invalid",
        "GIT_COMMITTER_NAME": "Erika Test",
        "GIT_COMMITTER_EMAIL": "erika@example.invalid",
        "GIT_AUTHOR_DATE": "2026-10-01T10:00:00+02:00",
        "GIT_COMMITTER_DATE": "2026-10-01T10:00:00+02:00",
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a file (which must hold it) with ``new``."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_plans(plans: Path, stem: str, old: str, new: str) -> None:
    """Replace ``old``, which must stand exactly once in ``plans/<stem>.yml``, with ``new``."""
    path = plans / f"{stem}.yml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (stem, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def generated_pages(plans: Path) -> list[str]:
    """Site paths ('<folder>/<id>/index.html') of the pages generated for the records of ``plans``
    as the default (internal) build shows them."""
    from macros.site.build import load_plan
    from macros.site.pages import record_pages

    return [p.path.removesuffix(".md") + "/index.html" for p in record_pages(load_plan(plans))]


def repository() -> tuple[str, str]:
    """``repo_url`` and ``edit_uri`` as the handbook plugin sets them from plans/organisation.yml."""
    from macros.site.build import load_plan

    organisation = load_plan(ROOT / "plans").organisation
    site = organisation.site if organisation else None
    assert site and site.repository, "plans/organisation.yml names no site.repository"
    return site.repository, site.edit_path.rstrip("/") + "/content/"


Edits = dict[str, list[tuple[str, str]]]
"""Plans file stem -> (text, replacement) pairs; each text must occur exactly once."""


def edited_plans(
    dest: Path, edits: Edits, source: Path = ROOT / "tests" / "fixtures" / "mini" / "plans"
) -> Path:
    """A copy of ``source`` (the mini plans) in ``dest`` with ``edits`` applied."""
    shutil.copytree(source, dest)
    for stem, replacements in edits.items():
        path = dest / f"{stem}.yml"
        text = path.read_text(encoding="utf-8")
        for old, new in replacements:
            assert text.count(old) == 1, (stem, old)
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    return dest


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    """The page at ``url`` as text; None while the server does not answer it."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None
