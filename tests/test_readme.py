"""README's examples are real: its example output is what the tool prints, its commands exist.

An output example is a ```text block that starts with ``$ <command>``. For a ``handbook check``
example, the test copies the sample ``plans/``, makes the typo the example shows (on the line it
names, the id the hint suggests becomes the unknown id), runs the command there and compares
the whole output. ``UPDATE_SNAPSHOTS=1`` writes the real output into README.md (then review
the diff).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from macros.cli import build_parser

from .command_lines import HANDBOOK, commands, problems, run_sh_arms
from .conftest import ROOT, TODAY

README = ROOT / "README.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
UNKNOWN = re.compile(
    r"^(?P<file>plans/[\w.-]+):(?P<line>\d+):\d+: \S+: unknown [\w ]+ '(?P<typo>[^']+)'$", re.MULTILINE
)
SUGGESTED = re.compile(r"^  hint: did you mean '(?P<right>[^']+)'\?", re.MULTILINE)


def blocks(language: str) -> list[str]:
    return [body for lang, body in FENCE.findall(README.read_text(encoding="utf-8")) if lang == language]


def output_examples() -> list[str]:
    return [body for body in blocks("text") if body.startswith("$ ")]


def run_example(example: str, workdir: Path) -> subprocess.CompletedProcess[str]:
    """Make the typo the example shows in a copy of plans/ and run its command there."""
    command, _, shown = example.partition("\n")
    argv = shlex.split(command.removeprefix("$ "))
    assert argv[:2] == [HANDBOOK, "check"], f"no way to reproduce this README example: {command}"
    unknown, suggested = UNKNOWN.search(shown), SUGGESTED.search(shown)
    assert unknown and suggested, f"the example shows no unknown id with a suggestion:\n{shown}"
    shutil.copytree(ROOT / "plans", workdir / "plans")
    path = workdir / unknown["file"]
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = int(unknown["line"])
    assert lines[number - 1].count(suggested["right"]) == 1, (
        f"README's example: line {number} of {unknown['file']} no longer holds "
        f"'{suggested['right']}'; choose another line for the typo"
    )
    lines[number - 1] = lines[number - 1].replace(suggested["right"], unknown["typo"])
    path.write_text("".join(lines), encoding="utf-8")
    env = {**os.environ, "HANDBOOK_TODAY": TODAY, "NO_COLOR": "1"}
    program = str(Path(sys.executable).with_name("handbook"))
    return subprocess.run([program, *argv[1:]], cwd=workdir, env=env, capture_output=True, text=True)


def test_readme_has_an_output_example() -> None:
    examples = output_examples()
    assert [example.partition("\n")[0] for example in examples] == [f"$ {HANDBOOK} check plans"]


@pytest.mark.parametrize("index", range(len(output_examples())))
def test_output_example_is_what_the_tool_prints(index: int, tmp_path: Path, update_snapshots: bool) -> None:
    example = output_examples()[index]
    done = run_example(example, tmp_path)
    command = example.partition("\n")[0]
    real = f"{command}\n{done.stdout}"
    if update_snapshots and real != example:
        text = README.read_text(encoding="utf-8")
        README.write_text(text.replace(f"```text\n{example}```", f"```text\n{real}```", 1), encoding="utf-8")
    assert done.stderr == ""
    assert done.returncode == 1  # errors found (README: exit codes 0 clean, 1 errors, 2 usage)
    assert real == example, "README's example differs from the real output (UPDATE_SNAPSHOTS=1 rewrites it)"


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
        elif choices and set(choices.split("|")) != set(options[option].choices or ()):
            found.append(f"{line}: {option} takes {options[option].choices}, not {choices}")
    return found


def test_commands_in_readme_exist(capsys: pytest.CaptureFixture[str]) -> None:
    arms = run_sh_arms()
    text = README.read_text(encoding="utf-8")
    lines = [line for body in blocks("bash") for line in body.splitlines()]
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
    assert _synopsis_problems(f"{HANDBOOK} check [--strict] [--format text|json] [PATH]") == []
    assert _synopsis_problems(f"{HANDBOOK} check [--strikt]")
    assert _synopsis_problems(f"{HANDBOOK} check [--format text|yaml]")
    assert _synopsis_problems(f"{HANDBOOK} publish [--strict]")
