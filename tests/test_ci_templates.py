"""The CI templates are valid for their platforms and call only commands that exist."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from macros.cli import build_parser

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


def _run_sh_commands() -> set[str]:
    text = (ROOT / "run.sh").read_text(encoding="utf-8")
    return set(re.findall(r"^  ([a-z]+)\)$", text, re.MULTILINE))


def _handbook_commands() -> set[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return set(sub.choices)


@pytest.mark.parametrize("path", [*sorted(TEMPLATES), ".pre-commit-config.yaml"])
def test_template_calls_existing_commands(path: str) -> None:
    text = (ROOT / path).read_text(encoding="utf-8")
    run_sh = re.findall(r"\./run\.sh ([a-z]+)", text)
    handbook = re.findall(r"\.venv/bin/handbook ([a-z]+)", text)
    assert run_sh or handbook, "the template calls none of the project's commands"
    assert set(run_sh) <= _run_sh_commands()
    assert set(handbook) <= _handbook_commands()
    for option in re.findall(r"\.venv/bin/handbook [a-z]+ (--[a-z-]+)", text):
        assert option in text and option in ("--check", "--strict", "--format", "--write")


def test_pre_commit_config_shape() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = config["repos"][0]["hooks"]
    assert config["repos"][0]["repo"] == "local"
    assert [h["id"] for h in hooks] == ["handbook-check", "handbook-codeowners"]
    for hook in hooks:
        assert {"id", "name", "entry", "language", "files"} <= set(hook)
        assert hook["language"] == "system" and hook["pass_filenames"] is False
