"""Drop-in data cases: tests/cases/{valid,invalid}/<name>/plans/ + expected.txt.

Each case runs ``handbook check --strict --ignore method-step plans`` in the
case folder; the exact output is compared with ``expected.txt``. Invalid cases
must exit 1, valid cases 0. Set UPDATE_SNAPSHOTS=1 to rewrite the expected files.
A case is about its data, so it leaves out the warnings about method steps its
few files have not taken yet (tests/test_method_steps.py pins those).
"""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from macros.cli import main

from .conftest import CASES


def _cases(kind: str) -> list[Path]:
    return sorted(p for p in (CASES / kind).iterdir() if p.is_dir())


def _run(case: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    monkeypatch.chdir(case)
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["check", "--strict", "--ignore", "method-step", *args, "plans"])
    return code, out.getvalue()


def _compare(case: Path, output: str, update: bool, name: str = "expected.txt") -> None:
    expected_file = case / name
    if update:
        expected_file.write_text(output, encoding="utf-8")
    assert expected_file.exists(), f"{expected_file} is missing (run with UPDATE_SNAPSHOTS=1)"
    assert output == expected_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", _cases("invalid"), ids=lambda p: p.name)
def test_invalid_case(case: Path, monkeypatch: pytest.MonkeyPatch, update_snapshots: bool) -> None:
    code, output = _run(case, monkeypatch)
    assert code == 1, output
    assert "Traceback" not in output
    summary = output.splitlines()[-1]
    assert not summary.startswith("0 errors"), "an invalid case must contain an error, not only warnings"
    _compare(case, output, update_snapshots)


@pytest.mark.parametrize("case", _cases("valid"), ids=lambda p: p.name)
def test_valid_case(case: Path, monkeypatch: pytest.MonkeyPatch, update_snapshots: bool) -> None:
    code, output = _run(case, monkeypatch)
    assert code == 0, output
    _compare(case, output, update_snapshots)


def test_enough_invalid_cases() -> None:
    assert len(_cases("invalid")) >= 25
