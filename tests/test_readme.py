"""README's commands exist, with the options and choices its synopses show.

Its example output, taken from the sample plans, is checked in tests/sample/test_sample_readme.py.
"""

from __future__ import annotations

import re

import pytest

from macros.cli import build_parser

from .command_lines import HANDBOOK, commands, problems, run_sh_arms
from .conftest import ROOT

README = ROOT / "README.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def blocks(language: str) -> list[str]:
    return [body for lang, body in FENCE.findall(README.read_text(encoding="utf-8")) if lang == language]


def _synopsis_problems(line: str) -> list[str]:
    """A synopsis like 'handbook check [--strict] [--format text|json] [PATH]': its command, options
    and choices exist."""
    words = line.split()
    parser = build_parser()
    commands_ = next(a for a in parser._actions if a.dest == "command").choices
    if words[1] not in commands_:
        return [f"{line}: no command {words[1]}"]
    options = {o: a for a in commands_[words[1]]._actions for o in a.option_strings}
    found = []
    for option, choices in re.findall(r"\[(--[\w-]+)(?: ([\w|]+))?\]", line):
        if option not in options:
            found.append(f"{line}: no option {option}")
        elif choices and options[option].choices is None:  # a value: named as --help names it
            if choices != options[option].metavar:
                found.append(f"{line}: {option} takes {options[option].metavar}, not {choices}")
        elif choices and set(choices.split("|")) != set(options[option].choices or ()):
            found.append(f"{line}: {option} takes {options[option].choices}, not {choices}")
    return found


def test_commands_in_readme_exist(capsys: pytest.CaptureFixture[str]) -> None:
    arms = run_sh_arms()
    text = README.read_text(encoding="utf-8")
    lines = [line for body in blocks("bash") for line in body.replace("\\\n", " ").splitlines()]
    # Inline commands too, e.g. `handbook codeowners --write` or `.venv/bin/handbook schema`.
    lines += [f"{HANDBOOK} {rest}" for rest in re.findall(r"`(?:\.venv/bin/)?handbook ([a-z][^`]*)`", text)]
    lines += re.findall(r"`(\./run\.sh [^`]*)`", text)
    synopses = [line for line in lines if line.startswith(HANDBOOK) and "[" in line]
    called = [words for line in lines if line not in synopses for words in commands(line)]
    ours = [words for words in called if words[0] in ("./run.sh", HANDBOOK)]
    assert len(synopses) >= 2 and len(ours) >= 5, (synopses, ours)
    assert [p for words in ours for p in problems(words, arms)] == []
    assert [p for line in synopses for p in _synopsis_problems(line)] == []


def test_the_synopsis_check_can_fail() -> None:
    assert _synopsis_problems(f"{HANDBOOK} check [--strict] [--format text|json|github|gitlab] [PATH]") == []
    assert _synopsis_problems(f"{HANDBOOK} check [--format text|json]")
    assert _synopsis_problems(f"{HANDBOOK} due [--within DAYS]") == []
    assert _synopsis_problems(f"{HANDBOOK} due [--within N]")
    assert _synopsis_problems(f"{HANDBOOK} check [--strikt]")
    assert _synopsis_problems(f"{HANDBOOK} check [--format text|yaml]")
    assert _synopsis_problems(f"{HANDBOOK} publish [--strict]")
