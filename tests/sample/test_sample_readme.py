"""README's example output is what the tool prints for the sample plans.

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

from ..command_lines import HANDBOOK
from ..conftest import ROOT, TODAY
from ..test_readme import README, blocks

UNKNOWN = re.compile(
    r"^(?P<file>plans/[\w.-]+):(?P<line>\d+):\d+: \S+: unknown [\w ]+ '(?P<typo>[^']+)'$", re.MULTILINE
)
SUGGESTED = re.compile(r"^  hint: did you mean '(?P<right>[^']+)'\?", re.MULTILINE)


def output_examples() -> list[str]:
    """The ``handbook check`` examples (other commands' examples are pinned by their own tests)."""
    return [body for body in blocks("text") if body.startswith(f"$ {HANDBOOK} check")]


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
