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
    ".github/workflows/handbook-due.yml": "vendor.github-workflows",
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


def _handbook_calls(path: str) -> list[list[str]]:
    """The handbook command lines a template runs, run.sh's check expanded to what it calls."""
    arms = run_sh_arms()
    found = []
    for words in (w for script in _template_scripts(path) for w in commands(script)):
        if words[0] == HANDBOOK:
            found.append(words[1:])
        elif words[0] == RUN_SH and words[1] == "check":
            found.append(["check", "--strict", *words[2:]])
    assert arms["check"].strip().endswith('.venv/bin/handbook check --strict "$@"')
    return found


def test_scheduled_templates_keep_reminder_issues() -> None:
    """GitHub: a weekly workflow that may write issues; GitLab: a job that runs only in a pipeline
    schedule. Both report the date-driven findings and keep one issue per owner."""
    github = yaml.safe_load((ROOT / ".github/workflows/handbook-due.yml").read_text(encoding="utf-8"))
    triggers = github[True]  # YAML 1.1 reads the key 'on' as true
    assert triggers["schedule"] == [{"cron": "17 6 * * 1"}] and "workflow_dispatch" in triggers
    assert github["permissions"] == {"contents": "read", "issues": "write"}
    steps = github["jobs"]["due"]["steps"]
    assert steps[-1]["env"] == {"GITHUB_TOKEN": "${{ github.token }}"}
    assert _handbook_calls(".github/workflows/handbook-due.yml") == [
        ["check", "--strict", "--format", "github"],
        ["due", "--format", "markdown"],
        ["due", "--issues", "github"],
    ]
    gitlab = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert gitlab["due"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule"'}]
    due_calls = [w[1:] for line in gitlab["due"]["script"] for w in commands(line) if w[0] == HANDBOOK]
    assert due_calls == [["due", "--format", "markdown"], ["due", "--issues", "gitlab"]]


def test_pull_request_templates_annotate_problems() -> None:
    """Problems appear on the changed lines: GitHub workflow commands, GitLab's Code Quality report;
    the strict check still fails on errors (and not on dates)."""
    assert ["check", "--strict", "--format", "github"] in _handbook_calls(".github/workflows/handbook.yml")
    gitlab = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    check = gitlab["check"]
    assert check["script"][0] == "./run.sh check --format gitlab > gl-code-quality-report.json || true"
    assert check["script"][1] == "./run.sh check"  # the one that fails the job, with the text report
    assert check["artifacts"]["reports"] == {"codequality": "gl-code-quality-report.json"}
    assert check["artifacts"]["when"] == "always"
    for path in TEMPLATES:
        assert not [w for w in _handbook_calls(path) if "--ignore" in w or "--dates" in w], path


def test_the_test_command_ignores_no_warning() -> None:
    """Dates do not gate --strict, so ./run.sh test checks the sample without any --ignore."""
    assert ".venv/bin/handbook check --strict plans\n" in run_sh_arms()["test"]
    assert "--ignore" not in run_sh_arms()["test"]


def test_pull_request_previews_show_drafts() -> None:
    """A pull or merge request's preview build shows drafts (approval.status: draft); the build
    from the default branch, which is published, does not."""
    github = yaml.safe_load((ROOT / ".github/workflows/handbook.yml").read_text(encoding="utf-8"))
    build = next(s for s in github["jobs"]["check"]["steps"] if s.get("run") == "./run.sh build")
    assert build["env"] == {"HANDBOOK_PREVIEW": "${{ github.event_name == 'pull_request' && '1' || '0' }}"}
    gitlab = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert gitlab["check"]["rules"] == [
        {"if": '$CI_PIPELINE_SOURCE == "merge_request_event"', "variables": {"HANDBOOK_PREVIEW": "1"}},
        {"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"},
    ]
    assert "HANDBOOK_PREVIEW" not in yaml.safe_dump(github["jobs"]["publish"])  # published: no drafts
