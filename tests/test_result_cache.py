"""The command replays a finished check while none of its inputs changed (macros.checks.result_cache):
the same output and exit code, nothing checked again, and any change of an input checks afresh."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import macros.checks.check
from macros.checks import result_cache
from macros.cli import main

from .conftest import ROOT
from .site_support import git
from .test_cli import NO_STEPS, cli, with_warning


def command(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str):
    """Run ``handbook ARGS`` as the command itself runs (arguments from sys.argv)."""
    monkeypatch.setattr(sys, "argv", ["handbook", *args])
    code = main()
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The folders really checked (a replayed check adds none)."""
    done: list[Path] = []
    real = macros.checks.check.check

    def counted(path: Path, *rest: object, **options: object) -> object:
        done.append(path)
        return real(path, *rest, **options)

    monkeypatch.setattr(macros.checks.check, "check", counted)
    return done


@pytest.mark.parametrize("report", ["text", "gitlab"])
def test_a_second_check_replays_the_first(
    report: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    checks: list[Path],
) -> None:
    monkeypatch.chdir(with_warning(tmp_path))
    args = ("check", "--strict", "--format", report, *NO_STEPS, "plans")
    first = command(monkeypatch, capsys, *args)
    assert len(checks) == 1
    assert first[0] == 1 and first[1 if report == "text" else 2].endswith(
        "0 errors, 1 warning (2 files, 1 record)\n"
    )
    assert command(monkeypatch, capsys, *args) == first
    assert len(checks) == 1  # replayed
    assert cli(capsys, *args) == first  # a caller passing arguments always checks afresh
    assert command(monkeypatch, capsys, *args, "--no-cache") == first
    assert len(checks) == 3
    folder = tmp_path / ".cache" / "handbook"
    assert (folder / ".gitignore").is_file() and len(list(folder.glob("check-*.json"))) == 1


def _edit_same_size(root: Path) -> None:
    """A plans file changed in one letter, its size and time kept."""
    path = root / "plans" / "roles.yml"
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("Managerin", "Managerix"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


CHANGES: dict[str, Callable[[Path, pytest.MonkeyPatch], None]] = {
    "plans file, same size and time": lambda root, _: _edit_same_size(root),
    "new plans file": lambda root, _: (root / "plans" / "notes.txt").write_text("x\n"),
    "content page": lambda root, _: (root / "content" / "a.md").write_text("A"),
    "mkdocs.yml": lambda root, _: (root / "mkdocs.yml").write_text("site_name: A\n"),
    "the project's macros (main.py)": lambda root, _: (root / "main.py").write_text(
        "def define_env(env): ...\n"
    ),
    "the project's macros (main/)": lambda root, _: (root / "main").mkdir(),
    "the day": lambda _, mp: mp.setenv("HANDBOOK_TODAY", "2030-01-01"),
    "the working directory": lambda root, mp: mp.chdir(root / "plans"),
    "a commit": lambda root, _: git(root, "commit", "--allow-empty", "-qm", "Three"),
    "an engine file": lambda root, _: os.utime(
        result_cache.ENGINE / "stand-in.py", ns=(1, 2_000_000_000_000_000_000)
    ),
    "an engine page": lambda root, _: (root.parent / "engine-pages" / "ueber.md").write_text("B\n"),
    "a replaced commit": lambda root, _: git(root, "replace", "--graft", "HEAD"),
    "a page in __pycache__": lambda root, _: (root / "content" / "__pycache__" / "a.md").write_text("{{ x("),
    "a link's target": lambda root, _: (
        (root / "plans" / "glossary.yml").unlink()
        or (root / "plans" / "glossary.yml").symlink_to(root.parent / "outside" / "glossary.yml")
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_any_change_of_an_input_checks_afresh(
    change: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    checks: list[Path],
) -> None:
    root = with_warning(tmp_path / "project")
    engine = tmp_path / "engine"  # stands in for macros/, whose files' sizes and times count
    engine.mkdir()
    (engine / "stand-in.py").write_text("x = 1\n")
    monkeypatch.setattr(result_cache, "ENGINE", engine)
    (tmp_path / "engine-pages").mkdir()  # and for the engine's written pages of a source checkout
    (tmp_path / "engine-pages" / "ueber.md").write_text("A\n")
    monkeypatch.setattr(result_cache, "engine_pages", lambda: tmp_path / "engine-pages")
    (root / "content" / "__pycache__").mkdir(parents=True)
    (root / "content" / "__pycache__" / "a.md").write_text("A\n")
    (tmp_path / "outside").mkdir()  # the same bytes, once inside plans/ and once outside
    (tmp_path / "outside" / "glossary.yml").write_text("terms: []\n")
    (root / "plans" / "glossary.yml").symlink_to("inside.yml")
    (root / "plans" / "inside.yml").write_text("terms: []\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "One")
    git(root, "commit", "--allow-empty", "-qm", "Two")
    monkeypatch.chdir(root)
    path = str(root / "plans")
    before = command(monkeypatch, capsys, "check", *NO_STEPS, path)
    assert command(monkeypatch, capsys, "check", *NO_STEPS, path) == before
    assert len(checks) == 1
    CHANGES[change](root, monkeypatch)
    after = command(monkeypatch, capsys, "check", *NO_STEPS, path)
    assert len(checks) == 2
    assert after == cli(capsys, "check", *NO_STEPS, path)  # what a fresh check says
    assert command(monkeypatch, capsys, "check", *NO_STEPS, path) == after
    assert len(checks) == 3  # the fresh one above; the last was replayed


def test_a_check_during_which_a_file_changed_is_not_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], checks: list[Path]
) -> None:
    """An edit undone while the check ran (an editor's undo, git stash): the report is of other bytes."""
    root = with_warning(tmp_path)
    monkeypatch.chdir(root)
    roles = root / "plans" / "roles.yml"
    text = roles.read_text(encoding="utf-8")
    real = macros.checks.check.check

    def edited_meanwhile(path: Path, *rest: object, **options: object) -> object:
        roles.write_text("roles: [\n", encoding="utf-8")
        try:
            return real(path, *rest, **options)
        finally:
            roles.write_text(text + "# edited\n", encoding="utf-8")

    monkeypatch.setattr(macros.checks.check, "check", edited_meanwhile)
    broken = command(monkeypatch, capsys, "check", *NO_STEPS)
    assert broken[0] == 1 and "roles.yml" in broken[1]
    monkeypatch.setattr(macros.checks.check, "check", real)
    assert not list((root / ".cache" / "handbook").glob("check-*.json"))
    assert command(monkeypatch, capsys, "check", *NO_STEPS)[0] == 0


def test_a_pipe_in_plans_or_content_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], checks: list[Path]
) -> None:
    root = with_warning(tmp_path)
    (root / "content").mkdir()
    os.mkfifo(root / "content" / "pipe")
    monkeypatch.chdir(root)
    first = command(monkeypatch, capsys, "check", *NO_STEPS)  # reading the pipe would never end
    assert first[0] == 0 and command(monkeypatch, capsys, "check", *NO_STEPS) == first
    assert len(checks) == 2 and not list((root / ".cache" / "handbook").glob("check-*"))


def test_a_check_of_dot_inside_plans_keeps_its_cache_beside_plans(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], checks: list[Path]
) -> None:
    root = with_warning(tmp_path)
    (root / "content").mkdir()
    (root / "content" / "index.md").write_text("{{ shwo() }}\n")
    monkeypatch.chdir(root / "plans")
    first = command(monkeypatch, capsys, "check", *NO_STEPS, ".")
    assert "index.md:1:4: shwo:" in first[1]  # content/ beside plans/ is checked from inside too
    assert command(monkeypatch, capsys, "check", *NO_STEPS, ".") == first
    assert len(checks) == 1
    assert sorted(p.name for p in root.iterdir()) == [".cache", "content", "plans"]
    assert sorted(p.name for p in (root / "plans").iterdir()) == ["roles.yml", "strategy.yml"]


def test_arguments_are_part_of_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], checks: list[Path]
) -> None:
    monkeypatch.chdir(with_warning(tmp_path))
    lenient = command(monkeypatch, capsys, "check", *NO_STEPS)
    strict = command(monkeypatch, capsys, "check", "--strict", *NO_STEPS)
    assert (lenient[0], strict[0]) == (0, 1)
    assert command(monkeypatch, capsys, "check", *NO_STEPS) == lenient
    assert command(monkeypatch, capsys, "check", "--strict", *NO_STEPS) == strict
    assert len(checks) == 2


def test_a_damaged_or_unwritable_cache_only_means_checking_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], checks: list[Path]
) -> None:
    monkeypatch.chdir(with_warning(tmp_path))
    first = command(monkeypatch, capsys, "check", *NO_STEPS)
    (entry,) = (tmp_path / ".cache" / "handbook").glob("check-*.json")
    for damage in ['{"key": ', '{"key": "x", "code": 0, "stdout": "ok\\n", "stderr": ""}', "[]"]:
        entry.write_text(damage)
        assert command(monkeypatch, capsys, "check", *NO_STEPS) == first
    assert len(checks) == 4
    shutil.rmtree(tmp_path / ".cache")
    (tmp_path / ".cache").write_text("not a folder\n")
    assert command(monkeypatch, capsys, "check", *NO_STEPS) == first
    assert command(monkeypatch, capsys, "check", *NO_STEPS) == first
    assert len(checks) == 6
    assert (tmp_path / ".cache").read_text() == "not a folder\n"


def test_a_linked_folder_in_plans_is_never_replayed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], checks: list[Path]
) -> None:
    root = with_warning(tmp_path / "project")
    (tmp_path / "elsewhere").mkdir()
    (root / "plans" / "more").symlink_to(tmp_path / "elsewhere")
    monkeypatch.chdir(root)
    first = command(monkeypatch, capsys, "check", *NO_STEPS)
    assert command(monkeypatch, capsys, "check", *NO_STEPS) == first
    assert len(checks) == 2
    assert not (root / ".cache").exists()


def test_the_cache_stays_out_of_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = with_warning(tmp_path)
    git(root, "init", "-q")
    monkeypatch.chdir(root)
    command(monkeypatch, capsys, "check", *NO_STEPS)
    assert (root / ".cache" / "handbook" / ".gitignore").is_file()
    assert git(root, "status", "--porcelain") == "?? plans/\n"


def test_a_replayed_check_loads_neither_models_nor_parser_nor_jinja(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "plans", project / "plans")
    shutil.copytree(ROOT / "content", project / "content")
    program = (
        "import sys\nfrom macros.cli import main\ncode = main()\n"
        "print(sorted(m for m in ('pydantic', 'yaml', 'jinja2') if m in sys.modules), file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", program, "check", "--strict", "plans"],
            cwd=project,
            capture_output=True,
            text=True,
        )
        for _ in range(2)
    ]
    assert [r.returncode for r in runs] == [0, 0]
    assert runs[0].stdout == runs[1].stdout == "ok: 17 files, 175 records, no problems\n"
    assert (runs[0].stderr, runs[1].stderr) == ("['jinja2', 'pydantic', 'yaml']\n", "[]\n")
