"""``handbook init`` and ``handbook upgrade``: a handbook repository of its own for an organisation.

The repository holds what belongs to the organisation (plans/, content/, site_overrides/,
mkdocs.yml, CODEOWNERS, README.md) and pins the engine, which brings the written pages, theme,
checks and templates. Files the engine keeps up to date carry a "Managed by 'handbook upgrade'"
line (run.sh, requirements.txt, CI templates, pre-commit configuration) or are generated
(schema/); ``upgrade`` rewrites only those and never touches the organisation's files.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from string import Template

from ..data.kinds import MODELS
from ..data.plan import today
from ..data.schema import plans_vocabularies, schema_text

STARTER = Path(__file__).with_name("starter")
DISTRIBUTION = "social-media-handbook"
MARK = "Managed by 'handbook upgrade'"
# Managed file -> its template (no dot names: package data leaves hidden files out).
MANAGED = {
    "run.sh": "run.sh",
    ".gitlab-ci.yml": "gitlab-ci.yml",
    ".github/workflows/handbook.yml": "github-workflow.yml",
    ".github/workflows/handbook-due.yml": "github-due.yml",
    ".pre-commit-config.yaml": "pre-commit-config.yaml",
}
OWN = ("mkdocs.yml", "README.md", "plans/organisation.yml", "plans/roles.yml")
KINDS = {
    "person": "Social-Media-Verantwortung",
    "team": "Social-Media-Team",
    "working_group": "Arbeitsgruppe Social Media",
}


class StarterError(Exception):
    """The repository cannot be created or upgraded (the message says why and what to do)."""


@dataclass(frozen=True)
class Answers:
    organisation: str
    description: str
    kind: str = "team"
    unit: str = ""  # the responsible unit's name; default by kind
    site_name: str = "Social-Media-Handbuch"
    repository: str = ""
    lead_name: str = "Social-Media-Leitung"
    hours: int = 8


def version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "0+unknown"


def _yaml_text(value: str) -> str:
    """A one-line YAML scalar: a JSON string (valid YAML), so any text, line breaks included, stays text."""
    return json.dumps(value, ensure_ascii=False)


def _fill(name: str, values: dict[str, str]) -> str:
    return Template((STARTER / name).read_text(encoding="utf-8")).substitute(values)


def _requirements() -> str:
    """The engine pinned, and every package it runs on at the version installed now."""
    lines = [
        f"# {MARK} (engine {version()}): replaced on upgrade. Delete this line to keep your own version.",
        "# The handbook engine and the exact versions of what it runs on.",
        f"{DISTRIBUTION}=={version()}",
    ]
    seen: set[str] = set()
    todo = [DISTRIBUTION]
    pins: dict[str, str] = {}
    while todo:
        name = todo.pop()
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        for requirement in dist.requires or []:
            if "extra ==" in requirement:
                continue
            dep = re.split(r"[\s;<>=!~\[(]", requirement, maxsplit=1)[0]
            key = re.sub(r"[-_.]+", "-", dep).lower()
            if key in seen:
                continue
            seen.add(key)
            try:
                pins[key] = metadata.version(dep)
            except metadata.PackageNotFoundError:
                continue
            todo.append(dep)
    lines += [f"{name}=={pins[name]}" for name in sorted(pins)]
    return "\n".join(lines) + "\n"


def managed_files(root: Path) -> dict[str, str]:
    """The engine's files of a handbook repository, as this engine version writes them."""
    files = {name: _fill(template, {"version": version()}) for name, template in MANAGED.items()}
    files["requirements.txt"] = _requirements()
    custom = plans_vocabularies(root / "plans")
    files |= {f"schema/{stem}.schema.json": schema_text(stem, custom) for stem in MODELS}
    return files


def init(dest: Path, answers: Answers) -> list[str]:
    """Create the repository in ``dest`` (new or empty); the files written, sorted."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise StarterError(f"{dest} exists and is not an empty folder; give a new folder")
    if answers.kind not in KINDS:
        raise StarterError(f"responsibility '{answers.kind}' is not one of: {', '.join(KINDS)}")
    values = {
        "organisation": _yaml_text(answers.organisation),
        "description": _yaml_text(answers.description),
        "kind": answers.kind,
        "unit": _yaml_text(answers.unit or KINDS[answers.kind]),
        "site_name": _yaml_text(answers.site_name),
        "repository": f"  repository: {_yaml_text(answers.repository)}" if answers.repository else "",
        "lead_name": _yaml_text(answers.lead_name),
        "hours": str(answers.hours),
        "today": today().isoformat(),
        "version": version(),
        "organisation_plain": " ".join(answers.organisation.split()),
    }
    # Written next to its place and renamed at the end: never a half-made repository.
    work = dest.parent / f".{dest.name}.init-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    try:
        plain = {**values, "organisation": answers.organisation, "site_name": answers.site_name}
        for name in OWN:  # README.md is Markdown, the rest YAML
            _write(work / name, _fill(name, plain if name == "README.md" else values))
        _write(work / ".gitignore", (STARTER / "gitignore").read_text(encoding="utf-8"))
        for folder in ("content", "site_overrides"):
            _write(work / folder / ".gitkeep", "")
        for name, text in managed_files(work).items():
            _write(work / name, text)
        (work / "run.sh").chmod(0o755)
        _write(work / "CODEOWNERS", _codeowners(work / "plans"))
        if dest.exists():
            dest.rmdir()
        work.rename(dest)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file())


def upgrade(root: Path) -> list[tuple[str, str]]:
    """Refresh the managed files of the repository in ``root``: (file, what happened), sorted."""
    if not (root / "mkdocs.yml").is_file() or not (root / "plans").is_dir():
        raise StarterError(f"{root} is not a handbook repository (no mkdocs.yml and plans/); run it in one")
    done = []
    for name, text in sorted(managed_files(root).items()):
        path = root / name
        old = path.read_text(encoding="utf-8") if path.is_file() else None
        if old == text:
            continue
        if old is not None and not name.startswith("schema/") and MARK not in old:
            done.append((name, "kept: your own version (no 'Managed by' line)"))
            continue
        _write(path, text)
        if name == "run.sh":
            path.chmod(0o755)
        done.append((name, "created" if old is None else "updated"))
    return done


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _codeowners(plans: Path) -> str:
    from ..checks.check import check
    from ..review.codeowners import codeowners_text

    result = check(plans, stored=False)  # the new repository starts without .cache/
    if result.plan is None:  # an answer the plans cannot hold, e.g. markup in the site name
        first = next(p for p in result.problems if p.severity == "error")
        raise StarterError(f"{first.path}: {first.message}; {first.hint}")
    return codeowners_text(result.plan)
