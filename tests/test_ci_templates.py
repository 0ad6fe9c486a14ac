"""The CI templates are valid for their platforms and call only commands that exist."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from .command_lines import HANDBOOK, MKDOCS, RUN_SH, commands, problems, run_sh_arms
from .conftest import ROOT

TEMPLATES = {
    ".github/workflows/handbook.yml": "vendor.github-workflows",
    ".gitlab-ci.yml": "vendor.gitlab-ci",
}


@pytest.mark.parametrize("path", sorted(TEMPLATES))
def test_template_matches_platform_schema(path: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", TEMPLATES[path], str(ROOT / path)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _template_scripts(path: str) -> list[str]:
    """The shell scripts a template runs: GitHub 'run:', GitLab 'script:', pre-commit 'entry:'."""
    data = yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))
    if path.startswith(".github/"):
        return [step["run"] for job in data["jobs"].values() for step in job["steps"] if "run" in step]
    if path == ".gitlab-ci.yml":
        return [
            line
            for job in data.values()
            if isinstance(job, dict) and "script" in job
            for line in job["script"]
        ]
    return [hook["entry"] for repo in data["repos"] for hook in repo["hooks"]]


@pytest.mark.parametrize("path", [*sorted(TEMPLATES), ".pre-commit-config.yaml"])
def test_template_calls_existing_commands(path: str, capsys) -> None:
    arms = run_sh_arms()
    assert {"build", "check", "test"} <= set(arms)  # the parsing of run.sh found its commands
    called = [words for script in _template_scripts(path) for words in commands(script)]
    ours = [words for words in called if words[0] in (RUN_SH, HANDBOOK, MKDOCS)]
    assert ours, "the template calls none of the project's commands"
    assert [problem for words in ours for problem in problems(words, arms)] == []


def test_command_lines_are_really_parsed(capsys) -> None:
    """The check above fails for a misspelt command or option, also one hidden behind run.sh."""
    arms = run_sh_arms()
    assert problems([HANDBOOK, "codeowners", "--check"], arms) == []
    assert problems([HANDBOOK, "codeowners", "--chek"], arms)
    assert problems([HANDBOOK, "codeowners", "--che"], arms)  # argparse would take the abbreviation
    assert problems([HANDBOOK, "check", "--format", "yaml"], arms)
    assert problems([HANDBOOK, "publish"], arms)
    assert problems([MKDOCS, "build", "--strict"], arms) == []
    assert problems([MKDOCS, "build", "--strikt"], arms)
    assert problems([MKDOCS, "bild"], arms)
    assert problems([RUN_SH, "check"], arms) == []
    assert problems([RUN_SH, "check", "--format", "json"], arms) == []  # passed on to handbook check
    assert problems([RUN_SH, "check", "--formats", "json"], arms)
    assert problems([RUN_SH, "build", "--site-dir"], arms)  # passed on to mkdocs build: no value
    assert problems([RUN_SH, "deploy"], arms)
    assert commands('A="$(x || y)" ./run.sh check || true') == [[RUN_SH, "check"], ["true"]]
    assert commands('.venv/bin/handbook diff "origin/${{ x }}" HEAD > out.md; cat out.md') == [
        [HANDBOOK, "diff", "origin/${{ x }}", "HEAD"],
        ["cat", "out.md"],
    ]


def test_pre_commit_config_shape() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = config["repos"][0]["hooks"]
    assert config["repos"][0]["repo"] == "local"
    assert [h["id"] for h in hooks] == ["handbook-check", "handbook-codeowners"]
    for hook in hooks:
        assert {"id", "name", "entry", "language", "files"} <= set(hook)
        assert hook["language"] == "system" and hook["pass_filenames"] is False


def test_pre_commit_hooks_offered_to_other_repositories() -> None:
    """.pre-commit-hooks.yaml: hooks other repositories use with `repo:` pointing here; each entry
    is a handbook command line that parses."""
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["handbook-check", "handbook-codeowners"]
    for hook in hooks:
        assert {"id", "name", "entry", "language", "files", "pass_filenames", "description"} == set(hook)
        assert hook["language"] == "python" and hook["pass_filenames"] is False  # installs this package
        words = hook["entry"].split()
        assert words[0] == "handbook"
        assert problems([HANDBOOK, *words[1:]], {}) == []
