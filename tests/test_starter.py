"""``handbook init`` makes a handbook repository for any organisation; ``handbook upgrade`` refreshes
only the engine's files. The end-to-end upgrade between two engine versions is in test_upgrade.py."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from macros.checks.check import check
from macros.checks.method import STEPS
from macros.cli import main
from macros.site.starter import MANAGED, MARK, version

from .command_lines import HANDBOOK, RUN_SH, commands, problems
from .site_support import visible_text

SAMPLE_WORDS = ("Fiktiva", "Musterstadt", "Heiztechnik", "Wärmepumpe", "Fachhandwerk")
FLAGS = [
    "--name",
    "Tierheim Lindenau e. V.",
    "--description",
    "Wir vermitteln Hunde, Katzen und Kleintiere in ein neues Zuhause.",
    "--responsibility",
    "person",
    "--repository",
    "https://git.example.org/tierheim/handbuch",
    "--hours",
    "5",
]


def init(tmp_path: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> tuple[int, str, str, Path]:
    target = tmp_path / "handbuch"
    code = main(["init", str(target), *flags])
    out, err = capsys.readouterr()
    return code, out, err, target


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("starter") / "handbuch"
    assert main(["init", str(target), *FLAGS]) == 0
    return target


def test_init_writes_a_whole_repository(repo: Path) -> None:
    files = sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*") if p.is_file())
    assert [f for f in files if not f.startswith("schema/")] == [
        ".github/workflows/handbook-due.yml",
        ".github/workflows/handbook.yml",
        ".gitignore",
        ".gitlab-ci.yml",
        ".pre-commit-config.yaml",
        "CODEOWNERS",
        "README.md",
        "content/.gitkeep",
        "mkdocs.yml",
        "plans/organisation.yml",
        "plans/roles.yml",
        "requirements.txt",
        "run.sh",
        "site_overrides/.gitkeep",
    ]
    assert "schema/organisation.schema.json" in files
    assert os.access(repo / "run.sh", os.X_OK)
    requirements = (repo / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert f"social-media-handbook=={version()}" in requirements
    assert any(line.startswith("mkdocs-material==") for line in requirements)
    for name in MANAGED:
        assert MARK in (repo / name).read_text(encoding="utf-8"), name
    organisation = (repo / "plans/organisation.yml").read_text(encoding="utf-8")
    assert 'name: "Tierheim Lindenau e. V."' in organisation
    assert "kind: person" in organisation
    assert "reviewed: 2026-11-22" in organisation  # today (HANDBOOK_TODAY in the tests)


def test_starter_plans_have_no_errors_and_warnings_walk_through_the_method(repo: Path) -> None:
    result = check(repo / "plans")
    assert result.errors == 0
    steps = [p.step for p in result.problems]
    assert steps == sorted(steps) and set(steps) == set(range(2, len(STEPS) + 1))  # step 1 is done
    assert result.problems[0].message == (
        "step 2 of 8 (listening): nothing has been learned from listening yet"
    )
    assert result.problems[-1].message == (
        "step 8 of 8 (continuous improvement): no regular review of the results is planned yet"
    )


def test_starter_builds_strictly_with_its_own_name_and_no_sample(repo: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr
    site = repo / "site"
    start = (site / "index.html").read_text(encoding="utf-8")
    assert "<title>Social-Media-Handbuch</title>" in start
    assert "Tierheim Lindenau e. V." in visible_text(start)
    assert 'href="https://git.example.org/tierheim/handbuch"' in start
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not [w for w in SAMPLE_WORDS if w in text], page
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [w for w in SAMPLE_WORDS if w in json.dumps(index, ensure_ascii=False)]


def test_init_refuses_a_folder_with_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "handbuch").mkdir()
    (tmp_path / "handbuch" / "notes.txt").write_text("mine", encoding="utf-8")
    code, out, err, target = init(tmp_path, capsys, *FLAGS)
    assert (code, out) == (2, "")
    assert err == f"handbook: error: {target} exists and is not an empty folder; give a new folder\n"
    assert [p.name for p in target.iterdir()] == ["notes.txt"]


def test_init_without_a_terminal_needs_name_and_description(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err, target = init(tmp_path, capsys, "--name", "Verein")
    assert (code, out) == (2, "")
    assert err == "handbook: error: give --name and --description (or run it in a terminal to be asked)\n"
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir()] == []  # no half-made repository left behind


def test_init_keeps_any_name_as_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = 'Café "Zum Anker": #1 {{ x }} \\ ok'
    code, _, _, target = init(tmp_path, capsys, "--name", name, "--description", "Kaffee: ja.")
    assert code == 0
    result = check(target / "plans")
    assert result.errors == 0
    assert result.plan.organisation.company.name == name


def test_upgrade_rewrites_only_managed_files(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    own = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file() and "site" not in p.parts}
    assert main(["upgrade", str(repo)]) == 0
    assert capsys.readouterr().out == f"ok: managed files match engine {version()} (nothing to do)\n"

    run_sh = repo / "run.sh"
    run_sh.write_text(run_sh.read_text(encoding="utf-8").replace("serve)", "serve-old)"), encoding="utf-8")
    ci = repo / ".gitlab-ci.yml"
    kept = "# our own pipeline\n" + ci.read_text(encoding="utf-8").split("\n", 1)[1]
    ci.write_text(kept, encoding="utf-8")
    (repo / "schema" / "goals.schema.json").unlink()
    assert main(["upgrade", str(repo)]) == 0
    assert capsys.readouterr().out == (
        ".gitlab-ci.yml: kept: your own version (no 'Managed by' line)\n"
        "run.sh: updated\n"
        "schema/goals.schema.json: created\n"
        f"ok: managed files match engine {version()}\n"
    )
    assert "serve)" in run_sh.read_text(encoding="utf-8") and os.access(run_sh, os.X_OK)
    assert ci.read_text(encoding="utf-8") == kept
    for path, data in own.items():
        if path not in (run_sh, ci):
            assert path.read_bytes() == data, path


def test_upgrade_outside_a_handbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["upgrade", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"handbook: error: {tmp_path} is not a handbook repository (no mkdocs.yml and plans/); "
        "run it in one\n"
    )


STARTER_CI = {
    ".gitlab-ci.yml": "vendor.gitlab-ci",
    ".github/workflows/handbook.yml": "vendor.github-workflows",
    ".github/workflows/handbook-due.yml": "vendor.github-workflows",
}


@pytest.mark.parametrize("path", sorted(STARTER_CI))
def test_starter_ci_templates_match_their_platform(repo: Path, path: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", STARTER_CI[path], str(repo / path)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _starter_arms(repo: Path) -> dict[str, str]:
    """The starter run.sh's commands, each with the shell code of its case arm."""
    text = (repo / "run.sh").read_text(encoding="utf-8")
    arms = {}
    for match in re.finditer(
        r"^    ([a-z]+)\)(.*?)(?=^    [a-z*]+\)|^  esac)", text, re.MULTILINE | re.DOTALL
    ):
        arms[match.group(1)] = match.group(2).replace(";;", "")
    return arms


@pytest.mark.parametrize("path", [*sorted(STARTER_CI), ".pre-commit-config.yaml"])
def test_starter_templates_call_existing_commands(repo: Path, path: str) -> None:
    arms = _starter_arms(repo)
    assert set(arms) == {"build", "serve", "check", "upgrade"}
    data = yaml.safe_load((repo / path).read_text(encoding="utf-8"))
    if path.startswith(".github/"):
        scripts = [step["run"] for job in data["jobs"].values() for step in job["steps"] if "run" in step]
    elif path == ".gitlab-ci.yml":
        scripts = [line for job in data.values() if isinstance(job, dict) for line in job.get("script", [])]
    else:
        scripts = [hook["entry"] for r in data["repos"] for hook in r["hooks"]]
    called = [words for script in scripts for words in commands(script)]
    ours = [words for words in called if words[0] in (RUN_SH, HANDBOOK)]
    assert ours
    for words in ours:
        if words[0] == RUN_SH:
            assert words[1:2] and words[1] in arms, words
            for inner in commands(arms[words[1]]):
                if inner[0] == HANDBOOK:  # "$@": what follows the run.sh command
                    expanded = [w for word in inner for w in (words[2:] if word == "$@" else [word])]
                    assert problems(expanded, {}) == [], inner
        else:
            assert problems(words, {}) == [], words


def test_init_asks_in_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter(["Jugendfeuerwehr Weiler", "Wir üben jeden Freitag.", "working_group", ""])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    code, out, _, target = init(tmp_path, capsys)
    assert code == 0, out
    organisation = (target / "plans" / "organisation.yml").read_text(encoding="utf-8")
    assert 'name: "Jugendfeuerwehr Weiler"' in organisation
    assert "kind: working_group" in organisation and 'name: "Arbeitsgruppe Social Media"' in organisation
    assert "repository" not in organisation.split("site:", 1)[1]


def test_init_refuses_answers_the_plans_cannot_hold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err, _ = init(tmp_path, capsys, *FLAGS, "--site-name", "Handbuch <b>")
    assert (code, out) == (2, "")
    assert err == (
        "handbook: error: site.name: the site name cannot contain '<' '>': it is one line of plain text; "
        'write the name as plain text on one line, without < > " ` { } or \\\n'
    )
    assert [p.name for p in tmp_path.iterdir()] == []  # nothing half-made left behind


def test_init_keeps_line_breaks_in_answers_as_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _, target = init(tmp_path, capsys, "--name", "Verein\nZeile 2", "--description", 'A "B"\tC')
    assert code == 0
    company = check(target / "plans").plan.organisation.company
    assert (company.name, company.description) == ("Verein\nZeile 2", 'A "B"\tC')


def test_starter_run_sh_passes_check_options_on(repo: Path, tmp_path: Path) -> None:
    """'./run.sh check --format github' (the starter's CI) reaches handbook check with its options;
    a stand-in .venv records the command line."""
    work = tmp_path / "repo"
    shutil.copytree(repo, work)
    bin_dir = work / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name, body in (("python", "exit 0"), ("handbook", 'echo "handbook $*"')):
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
        (bin_dir / name).chmod(0o755)
    stamp = subprocess.run(
        ["cksum"], stdin=(work / "requirements.txt").open("rb"), capture_output=True, text=True
    )
    (work / ".venv" / ".installed").write_text(stamp.stdout, encoding="utf-8")
    done = subprocess.run(
        ["./run.sh", "check", "--format", "github"], cwd=work, capture_output=True, text=True
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "handbook check plans --format github\n", "")
    done = subprocess.run(["./run.sh", "check"], cwd=work, capture_output=True, text=True)
    assert done.stdout == "handbook check plans\n"


def test_starter_keeps_reminder_issues_on_a_schedule(repo: Path) -> None:
    github = yaml.safe_load((repo / ".github/workflows/handbook-due.yml").read_text(encoding="utf-8"))
    assert github[True]["schedule"] == [{"cron": "17 6 * * 1"}]  # YAML 1.1 reads 'on' as true
    assert github["permissions"] == {"contents": "read", "issues": "write"}
    runs = [step["run"] for step in github["jobs"]["due"]["steps"] if "run" in step]
    assert runs[-1] == ".venv/bin/handbook due --issues github"
    assert github["jobs"]["due"]["steps"][-1]["env"] == {"GITHUB_TOKEN": "${{ github.token }}"}
    gitlab = yaml.safe_load((repo / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert gitlab["due"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule"'}]
    assert "\n  .venv/bin/handbook due --issues gitlab\n" in gitlab["due"]["script"][2]
    assert gitlab["check"]["artifacts"]["reports"] == {"codequality": "gl-code-quality-report.json"}
    workflow = yaml.safe_load((repo / ".github/workflows/handbook.yml").read_text(encoding="utf-8"))
    assert {"run": "./run.sh check --format github"} in workflow["jobs"]["check"]["steps"]
