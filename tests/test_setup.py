"""Set-up you can trust: run.sh's checks and stamps, and the hashed locks in requirements/."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .conftest import ROOT

LOCKS = ROOT / "requirements"

NO_PYTHON = (
    "error: Python 3.11 or newer is needed to set up .venv (found: {found}); install it with "
    "'sudo apt-get install python3' (Debian 12, Ubuntu 24.04 or newer) or from "
    "https://www.python.org/downloads/\n"
)


def _script(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(0o755)


def _run(project: Path, *args: str, path: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["/bin/bash", str(project / "run.sh"), *args],
        cwd=project,
        env={"PATH": path, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("fakes", "found"),
    [
        ({"python3": "Python 3.9.18"}, "python3 is Python 3.9.18"),
        (
            {"python3": "Python 3.10.12", "python": "Python 2.7.18"},
            "python3 is Python 3.10.12, python is Python 2.7.18",
        ),
        ({}, "no python3 on PATH"),
    ],
)
def test_run_sh_without_python_311_stops_with_a_clear_message(
    tmp_path: Path, fakes: dict[str, str], found: str
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "run.sh", project / "run.sh")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, version in fakes.items():
        # Answers like an old Python: the version probe fails, --version names it.
        _script(bin_dir / name, f'[ "$1" = --version ] && echo "{version}"\nexit 1\n')
    done = _run(project, "build", path=str(bin_dir))
    assert (done.returncode, done.stdout, done.stderr) == (1, "", NO_PYTHON.format(found=found))
    assert not (project / ".venv").exists()


@pytest.fixture
def fake_project(tmp_path: Path) -> Path:
    """run.sh, the locks and pyproject.toml next to a .venv whose programs only log their calls."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("run.sh", "pyproject.toml"):
        shutil.copy(ROOT / name, project / name)
    shutil.copytree(LOCKS, project / "requirements")
    log = project / "calls.log"
    for name in ("python", "mkdocs", "handbook", "ruff", "chromium"):
        _script(project / ".venv" / "bin" / name, f'echo "{name} $*" >> "{log}"\n')
    return project


def _pip_calls(project: Path) -> list[str]:
    log = project / "calls.log"
    calls = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    log.unlink(missing_ok=True)
    return [c for c in calls if " -m pip " in c]


PIP = "python -m pip install --quiet --disable-pip-version-check"
EDITABLE = f"{PIP} --no-deps --no-build-isolation -e ."
RUNTIME = [f"{PIP} --require-hashes -r requirements/runtime.txt", EDITABLE]
DEV = [f"{PIP} --require-hashes -r requirements/dev.txt", EDITABLE]


def test_run_sh_installs_the_runtime_lock_for_a_build_and_the_dev_lock_for_tests(fake_project: Path) -> None:
    chromium = {"HANDBOOK_CHROMIUM": str(fake_project / ".venv" / "bin" / "chromium")}

    def run(command: str) -> list[str]:
        done = _run(fake_project, command, path="/usr/bin:/bin", **chromium)
        assert done.returncode == 0, done.stderr
        return _pip_calls(fake_project)

    assert run("build") == RUNTIME
    assert run("check") == []  # nothing changed
    assert run("test") == DEV  # the test tools are not in the runtime lock
    assert run("build") == []  # the dev lock holds the runtime pins
    assert run("test") == []
    with (fake_project / "requirements" / "dev.txt").open("a", encoding="utf-8") as lock:
        lock.write("# regenerated\n")
    assert run("test") == DEV
    with (fake_project / "pyproject.toml").open("a", encoding="utf-8") as pyproject:
        pyproject.write("# changed\n")
    assert run("build") == RUNTIME
    assert run("serve") == []


def test_a_failed_install_is_tried_again(fake_project: Path) -> None:
    python = fake_project / ".venv" / "bin" / "python"
    _script(python, f'echo "python $*" >> "{fake_project / "calls.log"}"\nexit 1\n')
    assert _run(fake_project, "build", path="/usr/bin:/bin").returncode == 1
    assert _pip_calls(fake_project) == RUNTIME[:1]
    _script(python, f'echo "python $*" >> "{fake_project / "calls.log"}"\n')
    assert _run(fake_project, "build", path="/usr/bin:/bin").returncode == 0
    assert _pip_calls(fake_project) == RUNTIME


def _lock(name: str) -> dict[str, tuple[str, frozenset[str]]]:
    """Package -> (version, hashes) of requirements/<name>.txt."""
    text = (LOCKS / f"{name}.txt").read_text(encoding="utf-8")
    entries = {}
    for block in re.split(r"\n(?=\S)", re.sub(r"(?m)^\s*#.*\n?", "", text)):
        if not block.strip():
            continue
        match = re.match(r"([A-Za-z0-9._-]+)==(\S+)", block)
        assert match, f"requirements/{name}.txt: not an exact pin: {block.splitlines()[0]}"
        hashes = frozenset(re.findall(r"--hash=sha256:([0-9a-f]{64})", block))
        entries[canonicalize_name(match.group(1))] = (match.group(2), hashes)
    return entries


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _declared(requirements: list[str]) -> dict[str, Requirement]:
    return {canonicalize_name(r.name): r for r in map(Requirement, requirements)}


@pytest.mark.parametrize("name", ["runtime", "dev"])
def test_every_locked_package_has_hashes(name: str) -> None:
    lock = _lock(name)
    assert lock
    assert [p for p, (_, hashes) in lock.items() if not hashes] == []


def test_pins_are_stated_once_in_the_locks_and_satisfy_pyproject() -> None:
    project = _pyproject()
    runtime_deps = _declared(project["project"]["dependencies"])
    test_deps = _declared(project["project"]["optional-dependencies"]["test"])
    build_deps = _declared(project["build-system"]["requires"])
    runtime, dev = _lock("runtime"), _lock("dev")
    expected = ((runtime_deps, (runtime, dev)), (test_deps, (dev,)), (build_deps, (runtime, dev)))
    for declared, locks in expected:
        for package, requirement in declared.items():
            assert not any(s.operator in ("==", "===") for s in requirement.specifier), requirement
            for lock in locks:
                assert package in lock, f"{package} is declared in pyproject.toml but not locked"
                assert lock[package][0] in requirement.specifier, (package, lock[package][0])
    # A build installs no test tools, and both locks agree on every shared package.
    assert set(test_deps) & set(runtime) == set()
    assert {p: dev.get(p) for p in runtime} == runtime


def test_this_environment_is_the_dev_lock() -> None:
    """The tests run on exactly the locked versions (./run.sh test reinstalls when a lock changes)."""
    wrong = {
        package: (version, _installed(package))
        for package, (version, _) in _lock("dev").items()
        if _installed(package) != version
    }
    assert wrong == {}


def _installed(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None
