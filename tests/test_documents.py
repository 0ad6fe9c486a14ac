"""Reading apart from checking: ``check_documents`` works on documents alone, every problem has a
code, and ``handbook diff`` checks revisions in memory."""

from __future__ import annotations

import builtins
import io
import os
import re
import tempfile
from pathlib import Path

import pytest

from macros.checks.check import check, check_documents
from macros.checks.clashes import default_content_dir
from macros.checks.problems import Problem
from macros.checks.shape import translate
from macros.data import models as m
from macros.data.files import read_folder, read_texts
from macros.data.kinds import FILES
from macros.data.loader import LoadError, line_at, load_text
from macros.review.diff import Snapshot

from .conftest import CASES, ROOT, STRATEGY

MINI = ROOT / "tests" / "fixtures" / "mini" / "plans"
ROLES = "roles:\n  - id: social-media-manager\n    name: Social-Media-Managerin\n"


def _rows(problems: list[Problem]) -> list[tuple]:
    return [(p.file, p.line, p.column, p.path, p.message, p.hint, p.severity, p.code) for p in problems]


def _cases() -> list[Path]:
    return sorted(p for kind in ("valid", "invalid") for p in (CASES / kind).iterdir() if p.is_dir())


def _plain_files(plans: Path) -> dict[str, bytes] | None:
    """{name: bytes} of a plans folder that holds only regular files (else None)."""
    entries = sorted(plans.iterdir())
    if not all(p.is_file() and not p.is_symlink() for p in entries):
        return None
    return {p.name: p.read_bytes() for p in entries}


@pytest.mark.parametrize("case", _cases(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_documents_in_memory_are_checked_like_the_folder(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every data case: the files read from the folder and the same bytes given in memory (as
    ``handbook diff`` gives a revision) get the same problems, codes and summary."""
    monkeypatch.chdir(case)
    files = _plain_files(Path("plans"))
    assert files is not None, "data cases hold plain files"
    content = default_content_dir(Path("plans"))
    from_folder = check(Path("plans"))
    in_memory = check_documents(read_texts(files, "plans"), content)
    assert _rows(in_memory.problems) == _rows(from_folder.problems)
    assert in_memory.summary() == from_folder.summary()
    assert (in_memory.plan is None) == (from_folder.plan is None)


def test_check_documents_reads_no_file(monkeypatch: pytest.MonkeyPatch) -> None:
    reading = read_folder(MINI)
    assert len(reading.sources) == 18 and not reading.problems  # every plans file, vocabularies.yml too

    def refuse(*args, **kwargs):
        raise AssertionError(f"check_documents opened or listed a file: {args}")

    for module, name in ((builtins, "open"), (io, "open"), (os, "stat"), (os, "scandir"), (os, "listdir")):
        monkeypatch.setattr(module, name, refuse)
    result = check_documents(reading)
    monkeypatch.undo()
    assert result.plan is not None and result.summary() == check(MINI).summary()


def test_reading_keeps_what_was_in_the_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "roles.yml").write_text(ROLES, encoding="utf-8")
    (plans / "strategy.yaml").write_text(STRATEGY, encoding="utf-8")
    (plans / "goals.yml").mkdir()
    (plans / "notes.txt").write_text("not a plans file", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    reading = read_folder(Path("plans"))
    assert reading.folder == "plans"
    assert {stem: s.raw is not None for stem, s in reading.sources.items()} == {"goals": False, "roles": True}
    assert [(u.file, u.code) for u in reading.problems] == [
        ("plans/goals.yml", "not-a-file"),
        ("plans/strategy.yaml", "wrong-suffix"),
    ]
    assert read_texts({}).problems[0].code == "no-plans-files"


def test_every_problem_has_a_code_and_the_readme_lists_it(monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z0-9]+(?:-[a-z0-9]+)*)`", readme))
    seen: set[str] = set()
    for case in _cases():
        monkeypatch.chdir(case)
        for problem in check(Path("plans")).problems:
            assert problem.code, (case.name, problem)
            seen.add(problem.code)
    # The method's codes, as written in method.py (the data cases pass its warnings); a plans
    # file's name on a line of its own (the file a finding is about, e.g. "target-groups") is none.
    source = "".join(
        (ROOT / "macros" / "checks" / name).read_text(encoding="utf-8")
        for name in ("method.py", "consistency.py")
    )
    method = set(re.findall(r'^\s+"([a-z]+(?:-[a-z]+)+)",$', source, re.MULTILINE)) - set(FILES)
    method.add("method-step")  # given in one place, _step(), not as a literal on its own line
    assert len(method) >= 30 and {"review-overdue", "onboarding-prerequisite-later"} <= method
    seen |= method
    assert not seen - documented, f"codes missing in README.md: {sorted(seen - documented)}"
    assert {"unknown-reference", "duplicate-id", "missing-field", "yaml-syntax", "id-clash"} <= seen


def test_ignore_leaves_out_warnings_not_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from macros.cli import main

    plans = tmp_path / "plans"
    plans.mkdir()
    roles = ROLES + "    reports_to: chef\n    duties:\n      - planen\n"
    (plans / "roles.yml").write_text(roles, encoding="utf-8")
    (plans / "strategy.yml").write_text(STRATEGY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--ignore", "unknown-reference", "plans"]) == 1
    (plans / "roles.yml").write_text(roles.replace("    reports_to: chef\n", ""), encoding="utf-8")
    assert main(["check", "--strict", "plans"]) == 1
    assert main(["check", "--strict", "--ignore", "role-no-time", "plans"]) == 1  # the steps not taken
    assert main(["check", "--strict", "--ignore", "role-no-time", "--ignore", "method-step", "plans"]) == 0


def test_load_errors_carry_a_code() -> None:
    def code(text: str) -> str:
        with pytest.raises(LoadError) as info:
            load_text(text, Path("plans/x.yml"))
        return info.value.code

    assert code("a: 1\na: 2\n") == "duplicate-key"
    assert code("a: &x 1\nb: *x\n") == "yaml-feature"
    assert code("a: !!python/object:os.system 1\n") == "yaml-feature"
    assert code("a: 1\n---\nb: 2\n") == "yaml-feature"
    assert code("a: 'open\n") == "yaml-syntax"
    assert code("a: " + "[" * 70 + "]" * 70 + "\n") == "too-deep"


def test_a_pydantic_error_without_a_rule_is_an_invalid_value() -> None:
    error = {"type": "uuid_type", "loc": ("roles", 0, "name"), "msg": "Input should be a valid UUID"}
    t = translate(error, m.RolesFile)
    assert (t.code, t.message, t.at_key) == ("invalid-value", "Input should be a valid UUID", False)
    missing = translate({"type": "missing", "loc": ("roles",), "msg": "Field required"}, m.RolesFile)
    assert (missing.code, missing.message) == ("missing-field", "required field 'roles' is missing")


def test_line_at() -> None:
    lines = ["a: 1", "b: 2"]
    assert [line_at(lines, n) for n in (0, 1, 2, 3)] == [None, "a: 1", "b: 2", None]


def test_diff_checks_revisions_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    """No temporary folder: the method warnings and errors of a revision come from its texts."""

    def refuse(*args, **kwargs):
        raise AssertionError("handbook diff wrote a revision to a temporary folder")

    monkeypatch.setattr(tempfile, "TemporaryDirectory", refuse)
    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    texts = {"roles.yml": ROLES + "    duties:\n      - planen\n", "strategy.yml": STRATEGY}
    snap = Snapshot.load(texts)
    role = "role 'social-media-manager' has duties but no weekly time budget (roles.yml)"
    assert f"step 1 of 8 (responsibility and time): {role}" in snap.warnings
    assert "step 3 of 8 (goals and target groups): there are no goals yet (goals.yml)" in snap.warnings
    broken = Snapshot.load({**texts, "roles.yml": ROLES + "    hours_per_week: 10h\n"}, "docs/plans")
    assert broken.errors == [
        "docs/plans/roles.yml:4:21: roles[0].hours_per_week: expected a number, got text '10h'"
    ]
    assert Snapshot.load({}).errors == ["plans:1:1: (file): no plans files found"]
