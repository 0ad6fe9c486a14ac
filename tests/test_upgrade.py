"""The upgrade path, end to end: a handbook repository made by engine version A takes version B
with ``./run.sh upgrade``; the organisation's files stay byte for byte, the managed files and the
engine's pages are B's, and the organisation's own page still wins.

Both versions are wheels built from this tree (B with a changed engine page and a changed managed
file), installed offline into a virtual environment whose other packages come from the test
environment (a .pth line), found by pip through PIP_FIND_LINKS as a company index would serve them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from macros.site.overlay import sections

from .conftest import ROOT

A, B = "1000.0", "1001.0"
NEW_SENTENCE = "Dieser Satz kam mit der Engine-Version 1001.0."
ORGANISATION_FILES = ("mkdocs.yml", "README.md", "CODEOWNERS", "plans", "content", "site_overrides")


def _source(dest: Path, version: str) -> Path:
    """A copy of the engine's source at ``version``."""
    for name in ("macros", "content", "site_overrides"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "README.md", dest / "README.md")
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    current = text.split('version = "', 1)[1].split('"', 1)[0]
    (dest / "pyproject.toml").write_text(text.replace(f'version = "{current}"', f'version = "{version}"', 1))
    return dest


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


def _snapshot(repo: Path) -> dict[str, bytes]:
    out = {}
    for name in ORGANISATION_FILES:
        path = repo / name
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        out |= {p.relative_to(repo).as_posix(): p.read_bytes() for p in files}
    return out


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    tmp = tmp_path_factory.mktemp("upgrade")
    dist = tmp / "dist"
    a = _source(tmp / "a", A)
    b = _source(tmp / "b", B)
    glossary = b / "content" / "glossar.md"
    glossary.write_text(glossary.read_text(encoding="utf-8") + f"\n{NEW_SENTENCE}\n", encoding="utf-8")
    run_sh = b / "macros" / "site" / "starter" / "run.sh"
    run_sh.write_text(
        run_sh.read_text(encoding="utf-8").replace("set -euo pipefail", "set -euo pipefail\n# B")
    )
    for src in (a, b):
        _run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "-q",
                "--no-deps",
                "--no-build-isolation",
                "-w",
                str(dist),
                ".",
            ],
            src,
        )

    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], tmp)
    purelib = _run(
        [str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp
    )
    Path(purelib.stdout.strip(), "test-env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {
        **os.environ,
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(dist),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "NO_MKDOCS_2_WARNING": "1",
    }
    env.pop("PYTHONPATH", None)
    _run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", f"social-media-handbook=={A}"], tmp, env
    )

    repo = tmp / "handbuch"
    about = "Wir unterrichten Kinder und Erwachsene an 20 Instrumenten."
    init = [
        "init",
        str(repo),
        "--name",
        "Musikschule Talheim",
        "--description",
        about,
        "--responsibility",
        "team",
    ]
    _run([str(venv / "bin" / "handbook"), *init], tmp, env)
    (repo / ".venv").symlink_to(venv)
    # The organisation's own work: data, a replaced section of an engine page, a whole own page.
    organisation = repo / "plans" / "organisation.yml"
    organisation.write_text(organisation.read_text(encoding="utf-8") + "  colours:\n    primary: teal\n")
    engine_page = (a / "content" / "strategie.md").read_text(encoding="utf-8").splitlines(keepends=True)
    first = sections(engine_page)[0]
    (repo / "content" / "strategie.md").write_text(
        f"---\noverride: sections\n---\n## Unser Weg {{: #{first.id} }}\n\nUnser eigener Abschnitt.\n",
        encoding="utf-8",
    )
    before_build = _run(["./run.sh", "build"], repo, env)
    glossary_a = (repo / "site" / "glossar" / "index.html").read_text(encoding="utf-8")
    own = _snapshot(repo)
    managed_a = (repo / "requirements.txt").read_text(encoding="utf-8")

    upgrade = _run(["./run.sh", "upgrade", B], repo, env)
    return {
        "repo": repo,
        "own": own,
        "managed_a": managed_a,
        "glossary_a": glossary_a,
        "build_a": before_build,
        "upgrade": upgrade,
    }


def test_version_a_built_without_b(upgraded: dict) -> None:
    assert NEW_SENTENCE not in upgraded["glossary_a"]
    assert f"social-media-handbook=={A}\n" in upgraded["managed_a"]


def test_upgrade_leaves_the_organisation_files_alone(upgraded: dict) -> None:
    assert _snapshot(upgraded["repo"]) == upgraded["own"]


def test_upgrade_refreshes_the_managed_files(upgraded: dict) -> None:
    repo = upgraded["repo"]
    out = upgraded["upgrade"].stdout
    assert "requirements.txt: updated\n" in out and "run.sh: updated\n" in out
    assert f"ok: managed files match engine {B}\n" in out
    assert f"social-media-handbook=={B}\n" in (repo / "requirements.txt").read_text(encoding="utf-8")
    assert "# B\n" in (repo / "run.sh").read_text(encoding="utf-8")


def test_upgraded_site_has_the_new_engine_pages_and_keeps_own_sections(upgraded: dict) -> None:
    site = upgraded["repo"] / "site"
    assert NEW_SENTENCE in (site / "glossar" / "index.html").read_text(encoding="utf-8")
    strategy = (site / "strategie" / "index.html").read_text(encoding="utf-8")
    assert "Unser eigener Abschnitt." in strategy
    assert 'data-md-color-primary="teal"' in strategy
