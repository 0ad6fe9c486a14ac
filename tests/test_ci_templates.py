"""The CI templates are valid for their platforms and call only commands that exist."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

import click
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


RUN_SH = "./run.sh"
HANDBOOK = ".venv/bin/handbook"
MKDOCS = ".venv/bin/mkdocs"


def _shell_lines(text: str) -> list[str]:
    """The lines of a shell script, with backslash continuations joined."""
    return text.replace("\\\n", " ").splitlines()


def _commands(script: str) -> list[list[str]]:
    """Every simple command of a script as words (split at ;, |, ||, && and newlines), without
    leading VAR=value assignments and redirections; quotes are kept together as the shell would."""
    out: list[list[str]] = []
    for line in _shell_lines(script):
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        lexer.commenters = "#"
        words: list[str] = []
        redirect = False
        for token in [*lexer, ";"]:
            if token in (">", ">>", "<"):
                redirect = True  # the next word is a file, not a command
            elif token and set(token) <= set(";|&()"):
                while words and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", words[0], re.DOTALL):
                    words.pop(0)
                if words:
                    out.append(words)
                words = []
            elif redirect:
                redirect = False
            else:
                words.append(token)
    return out


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


def _run_sh_arms() -> dict[str, str]:
    """run.sh's commands, each with the shell code of its case arm."""
    text = (ROOT / "run.sh").read_text(encoding="utf-8")
    return dict(re.findall(r"^  ([a-z]+)\)\n(.*?)^    ;;$", text, re.MULTILINE | re.DOTALL))


def _usage_error(run, argv: list[str]) -> str | None:
    """argparse's or click's complaint about ``argv``, or None when the command line is valid."""
    try:
        run(argv)
    except SystemExit as exc:
        return f"exit {exc.code}"
    except click.ClickException as exc:
        return exc.format_message()
    return None


def _parse_handbook(argv: list[str]) -> None:
    """Parse like the ``handbook`` command; every option must be spelled out (no abbreviation)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    sub = next(a for a in parser._actions if a.dest == "command").choices[args.command]
    known = {option for action in sub._actions for option in action.option_strings}
    unknown = [
        word.split("=")[0] for word in argv[1:] if word.startswith("--") and word.split("=")[0] not in known
    ]
    if unknown:
        raise SystemExit(f"unknown option(s) {unknown}")


def _parse_mkdocs(argv: list[str]) -> None:
    """Parse like the ``mkdocs`` command, without running it."""
    from mkdocs.__main__ import cli

    command = cli.commands.get(argv[0]) if argv else None
    if command is None:
        raise SystemExit(f"no mkdocs command {argv[:1]}")
    command.make_context(argv[0], list(argv[1:])).close()


def _problems(words: list[str], arms: dict[str, str]) -> list[str]:
    """Why one command line would fail before doing any work (unknown command or option)."""
    program, args = words[0], words[1:]
    if program == RUN_SH:
        if not args or args[0] not in arms:
            return [f"run.sh has no command {args[:1]}"]
        problems = []
        for inner in _commands(arms[args[0]]):  # what the arm runs, with "$@" = the rest
            expanded = [w for word in inner for w in (args[1:] if word == "$@" else [word])]
            problems += _problems(expanded, {})
        return problems
    if program == HANDBOOK:
        error = _usage_error(_parse_handbook, args)
    elif program == MKDOCS:
        error = _usage_error(_parse_mkdocs, args)
    else:
        return []
    return [f"{shlex.join(words)}: {error}"] if error else []


@pytest.mark.parametrize("path", [*sorted(TEMPLATES), ".pre-commit-config.yaml"])
def test_template_calls_existing_commands(path: str, capsys) -> None:
    arms = _run_sh_arms()
    assert {"build", "check", "test"} <= set(arms)  # the parsing of run.sh found its commands
    commands = [words for script in _template_scripts(path) for words in _commands(script)]
    ours = [words for words in commands if words[0] in (RUN_SH, HANDBOOK, MKDOCS)]
    assert ours, "the template calls none of the project's commands"
    assert [problem for words in ours for problem in _problems(words, arms)] == []


def test_command_lines_are_really_parsed(capsys) -> None:
    """The check above fails for a misspelt command or option, also one hidden behind run.sh."""
    arms = _run_sh_arms()
    assert _problems([HANDBOOK, "codeowners", "--check"], arms) == []
    assert _problems([HANDBOOK, "codeowners", "--chek"], arms)
    assert _problems([HANDBOOK, "codeowners", "--che"], arms)  # argparse would take the abbreviation
    assert _problems([HANDBOOK, "check", "--format", "yaml"], arms)
    assert _problems([HANDBOOK, "publish"], arms)
    assert _problems([MKDOCS, "build", "--strict"], arms) == []
    assert _problems([MKDOCS, "build", "--strikt"], arms)
    assert _problems([MKDOCS, "bild"], arms)
    assert _problems([RUN_SH, "check"], arms) == []
    assert _problems([RUN_SH, "check", "--format", "json"], arms) == []  # passed on to handbook check
    assert _problems([RUN_SH, "check", "--formats", "json"], arms)
    assert _problems([RUN_SH, "build", "--site-dir"], arms)  # passed on to mkdocs build: no value
    assert _problems([RUN_SH, "deploy"], arms)
    assert _commands('A="$(x || y)" ./run.sh check || true') == [[RUN_SH, "check"], ["true"]]
    assert _commands('.venv/bin/handbook diff "origin/${{ x }}" HEAD > out.md; cat out.md') == [
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
