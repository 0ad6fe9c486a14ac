"""The command line: exit codes 0/1/2, text and JSON reports, usage errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from macros.checks.check import check
from macros.cli import main

from .conftest import ROOT, STRATEGY

ROLES = "roles:\n  - id: social-media-manager\n    name: Social-Media-Managerin\n"


# These plans leave most steps of the method out; tests about something else ignore those warnings.
NO_STEPS = ("--ignore", "method-step")


def project(tmp_path: Path, **files: str) -> Path:
    """A project folder with plans/ holding ``files`` (stem -> text)."""
    plans = tmp_path / "plans"
    plans.mkdir(parents=True)
    for stem, text in files.items():
        (plans / f"{stem}.yml").write_text(text, encoding="utf-8")
    return tmp_path


def clean(tmp_path: Path) -> Path:
    return project(tmp_path, roles=ROLES, strategy=STRATEGY)


def with_error(tmp_path: Path) -> Path:
    return project(tmp_path, roles=ROLES.replace("social-media-manager", "Social Media"), strategy=STRATEGY)


def with_warning(tmp_path: Path) -> Path:
    """Valid, but the strategy lacks a USP: one method warning besides the steps not taken."""
    return project(tmp_path, roles=ROLES, strategy=STRATEGY.split("usp:")[0])


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# --- exit codes ---------------------------------------------------------------------------


def test_clean_plan_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = clean(tmp_path)
    assert cli(capsys, "check", "--strict", *NO_STEPS, str(root / "plans")) == (
        0,
        "ok: 2 files, 1 record, no problems\n",
        "",
    )


def test_errors_exit_1_with_and_without_strict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(with_error(tmp_path))
    report = (
        "plans/roles.yml:2:9: roles[0].id: 'Social Media' is not a valid id\n"
        "  2 |   - id: Social Media\n"
        "    |         ^\n"
        "  hint: ids use lowercase letters, digits and hyphens only, e.g. 'social-media'; "
        "update references too\n"
        "plans/strategy.yml:1:8: owner: unknown role 'social-media-manager'\n"
        "  1 | owner: social-media-manager\n"
        "    |        ^\n"
        "  hint: the role ids in plans/roles.yml are: Social Media\n"
        "2 errors, 0 warnings (2 files, 1 record); method checks run once the errors are fixed\n"
    )
    assert cli(capsys, "check", "plans") == (1, report, "")
    assert cli(capsys, "check", "--strict", "plans") == (1, report, "")


def test_warnings_exit_0_without_strict_and_1_with_strict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(with_warning(tmp_path))
    report = (
        "plans/strategy.yml:1:1: (file): warning: "
        "step 5 of 8 (USP, lead idea, strategy and action plan): the strategy has no USP\n"
        "  1 | owner: social-media-manager\n"
        "    | ^\n"
        "  hint: add 'usp:' with the statement that follows from the strengths in analysis.yml\n"
        "0 errors, 1 warning (2 files, 1 record)\n"
    )
    assert cli(capsys, "check", *NO_STEPS, "plans") == (0, report, "")
    assert cli(capsys, "check", "--strict", *NO_STEPS, "plans") == (1, report, "")


def test_default_path_is_plans_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(clean(tmp_path))
    assert cli(capsys, "check", "--strict", *NO_STEPS) == (0, "ok: 2 files, 1 record, no problems\n", "")


def test_project_folder_holding_plans_is_accepted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = clean(tmp_path / "project")
    monkeypatch.chdir(tmp_path)
    assert cli(capsys, "check", "--strict", *NO_STEPS, "project")[:2] == (
        0,
        "ok: 2 files, 1 record, no problems\n",
    )
    assert root.name == "project"


# --- usage errors: exit 2 -----------------------------------------------------------------


def test_missing_path_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere"
    assert cli(capsys, "check", str(missing)) == (2, "", f"handbook: error: {missing}: no such directory\n")


def test_default_plans_missing_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli(capsys, "check") == (2, "", "handbook: error: plans: no such directory\n")


def test_path_is_a_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "roles.yml"
    file.write_text(ROLES, encoding="utf-8")
    assert cli(capsys, "check", str(file)) == (
        2,
        "",
        f"handbook: error: {file}: not a directory (give the plans/ directory or the project)\n",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "--bogus"], "unrecognized arguments: --bogus"),
        (["check", "--format", "xml"], "argument --format: invalid choice: 'xml'"),
        (["check", "a", "b"], "unrecognized arguments: b"),
        (["frobnicate"], "argument COMMAND: invalid choice: 'frobnicate'"),
        ([], "the following arguments are required: COMMAND"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("usage: handbook")
    assert message in err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["check", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "usage: handbook check [-h] [--strict] [--format {text,json,github,gitlab}]\n"
        "                      [--dates {warn,fail}]"
    )
    assert "PATH" in out.split("\n\n")[0]


# --- JSON report ----------------------------------------------------------------------------


def test_json_report_of_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project(tmp_path, roles=ROLES + "    hours_per_week: 10h\n", strategy=STRATEGY))
    code, out, err = cli(capsys, "check", "--format", "json", "plans")
    assert (code, err) == (1, "")
    assert json.loads(out) == {
        "problems": [
            {
                "file": "plans/roles.yml",
                "line": 4,
                "column": 21,
                "path": "roles[0].hours_per_week",
                "message": "expected a number, got text '10h'",
                "hint": "write only the number, without the unit: 'hours_per_week: 10'",
                "severity": "error",
                "code": "expected-number",
            }
        ],
        "errors": 1,
        "warnings": 0,
        "summary": "1 error, 0 warnings (2 files, 1 record); method checks run once the errors are fixed",
    }


def test_json_report_of_warnings_keeps_umlauts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(
        project(tmp_path, roles=ROLES + "    duties:\n      - Beiträge planen\n", strategy=STRATEGY)
    )
    code, out, _ = cli(capsys, "check", "--format", "json", *NO_STEPS, "plans")
    assert code == 0
    doc = json.loads(out)
    assert (doc["errors"], doc["warnings"]) == (0, 1)
    assert doc["problems"] == [
        {
            "file": "plans/roles.yml",
            "line": 2,
            "column": 5,
            "path": "roles[0]",
            "message": "step 1 of 8 (responsibility and time): "
            "role 'social-media-manager' has duties but no weekly time budget",
            "hint": "add 'hours_per_week:'; social media work done 'on the side' does not get done",
            "severity": "warning",
            "code": "role-no-time",
            "step": 1,
        }
    ]
    assert doc["summary"] == "0 errors, 1 warning (2 files, 1 record)"
    assert cli(capsys, "check", "--strict", "--format", "json", *NO_STEPS, "plans")[0] == 1


def test_json_report_of_a_clean_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = clean(tmp_path)
    code, out, _ = cli(capsys, "check", "--strict", "--format", "json", *NO_STEPS, str(root / "plans"))
    assert code == 0
    assert json.loads(out) == {
        "problems": [],
        "errors": 0,
        "warnings": 0,
        "summary": "ok: 2 files, 1 record, no problems",
    }


def test_json_report_of_a_file_that_is_not_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, strategy=STRATEGY)
    (root / "plans" / "roles.yml").write_bytes("roles:\n  - name: Öffentlichkeit\n".encode("latin-1"))
    monkeypatch.chdir(root)
    code, out, _ = cli(capsys, "check", "--format=json", "plans")
    assert code == 1
    problems = json.loads(out)["problems"]
    assert [(p["file"], p["line"], p["column"], p["path"], p["message"]) for p in problems] == [
        ("plans/roles.yml", 2, 11, "(file)", "the file is not valid UTF-8 (byte 0xd6)"),
    ]
    # The owner reference into the unreadable roles.yml is not reported as unknown.
    assert "references into plans/roles.yml are checked once it can be read" in json.loads(out)["summary"]


# --- the real process ------------------------------------------------------------------------


def run_process(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "macros.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def test_process_exit_codes(tmp_path: Path) -> None:
    clean(tmp_path / "clean")
    with_error(tmp_path / "error")
    with_warning(tmp_path / "warning")
    assert run_process("check", "--strict", *NO_STEPS, "clean", cwd=tmp_path).returncode == 0
    assert run_process("check", "--strict", "clean", cwd=tmp_path).returncode == 1  # the steps not taken
    assert run_process("check", "error", cwd=tmp_path).returncode == 1
    assert run_process("check", "warning", cwd=tmp_path).returncode == 0
    assert run_process("check", "--strict", *NO_STEPS, "warning", cwd=tmp_path).returncode == 1
    bogus = run_process("check", "--bogus", "clean", cwd=tmp_path)
    assert (bogus.returncode, bogus.stdout) == (2, "")
    assert "unrecognized arguments: --bogus" in bogus.stderr
    missing = run_process("check", "nowhere", cwd=tmp_path)
    assert (missing.returncode, missing.stdout, missing.stderr) == (
        2,
        "",
        "handbook: error: nowhere: no such directory\n",
    )


def test_process_never_prints_a_traceback_for_broken_files(tmp_path: Path) -> None:
    root = project(tmp_path, roles="roles:\n\t- id: a\n", strategy="owner: [\n")
    (root / "plans" / "goals.yml").write_bytes(b"\x00\xff\xfe")
    result = run_process("check", "plans", cwd=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.endswith(
        "3 errors, 0 warnings (3 files, 0 records); method checks run once the errors are fixed\n"
    )


# --- report helpers ---------------------------------------------------------------------------


def test_visible_keeps_columns() -> None:
    from macros.checks.problems import visible

    assert visible("a\tb\x00c\x0bd\x7fe\x85f\ufeffg ä") == "a→b␀c␋d␡e�f�g ä"
    assert len(visible("\t\x00\x1b")) == 3


def test_short_and_one_line() -> None:
    from macros.data.positions import one_line, short

    assert short("a\r\nb\rc\n") == "a⏎b⏎c"
    assert short("x" * 61) == "x" * 59 + "…"
    assert short("x" * 60) == "x" * 60
    assert one_line("a\nb\r\nc") == "a⏎b⏎c"


def test_text_report_marks_control_characters_under_the_caret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, strategy=STRATEGY)
    (root / "plans" / "roles.yml").write_bytes(b"roles:\n  - id: a\n    name: X\x0bY\n")
    monkeypatch.chdir(root)
    code, out, _ = cli(capsys, "check", "plans")
    assert code == 1
    assert out.splitlines()[:4] == [
        "plans/roles.yml:3:12: (file): "
        "the file contains the control character U+000B, which YAML does not allow",
        "  3 |     name: X␋Y",
        "    |            ^",
        "  hint: delete it (it is invisible in most editors; retype the text around it)",
    ]


def _deny_reading(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Reading a file called ``name`` fails as without permission (tests run as root)."""
    read_bytes = Path.read_bytes

    def deny(self: Path) -> bytes:
        if self.name == name:
            raise PermissionError(13, "Permission denied")
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", deny)


def test_unreadable_file_is_a_problem_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = clean(tmp_path)
    _deny_reading(monkeypatch, "roles.yml")
    monkeypatch.chdir(root)
    assert cli(capsys, "check", "plans")[:2] == (
        1,
        "plans/roles.yml:1:1: (file): the file cannot be read: Permission denied\n"
        "  hint: check that the file exists and that you may read it\n"
        "1 error, 0 warnings (2 files, 0 records); references into plans/roles.yml are checked once it "
        "can be read; method checks run once the errors are fixed\n",
    )


# --- the file system: whatever is in the way is a positioned problem, never a traceback -------

BROKEN_SUMMARY = (
    "1 error, 0 warnings (2 files, 0 records); references into plans/roles.yml are checked once it "
)
BROKEN_SUMMARY += "can be read; method checks run once the errors are fixed\n"


def _replace_roles(root: Path, make) -> None:
    roles = root / "plans" / "roles.yml"
    roles.unlink()
    make(roles)


@pytest.mark.parametrize(
    ("make", "message", "hint"),
    [
        (
            lambda p: p.symlink_to("missing.yml"),
            "this is a link to 'missing.yml', which does not exist",
            "restore the file it points to, or replace the link with the file itself",
        ),
        (
            lambda p: p.symlink_to("roles.yml"),
            "this link leads back to itself",
            "replace the link with the file itself",
        ),
        (
            lambda p: p.mkdir(),
            "this is a folder, not a file",
            "a plans file holds YAML text: move the folder out of the plans folder",
        ),
        (
            lambda p: os.mkfifo(p),  # reading it would wait forever
            "this is not a regular file (but a pipe, socket or device)",
            "a plans file holds YAML text: replace it with a text file",
        ),
    ],
    ids=["broken-link", "link-loop", "folder", "fifo"],
)
def test_a_plans_file_that_is_no_file_is_a_problem(
    make, message: str, hint: str, tmp_path: Path, monkeypatch, capsys
) -> None:
    root = clean(tmp_path)
    _replace_roles(root, make)
    monkeypatch.chdir(root)
    assert cli(capsys, "check", "plans") == (
        1,
        f"plans/roles.yml:1:1: (file): {message}\n  hint: {hint}\n{BROKEN_SUMMARY}",
        "",
    )


def test_a_plans_file_that_cannot_be_opened_is_a_problem(tmp_path: Path, monkeypatch, capsys) -> None:
    """No permission to look at the file at all (root ignores chmod, so stat is made to fail)."""
    root = clean(tmp_path)
    real_stat = Path.stat

    def deny(self: Path, **kwargs):
        if self.name == "roles.yml":
            raise PermissionError(13, "Permission denied")
        return real_stat(self, **kwargs)

    monkeypatch.setattr(Path, "stat", deny)
    monkeypatch.chdir(root)
    assert cli(capsys, "check", "plans") == (
        1,
        "plans/roles.yml:1:1: (file): the file cannot be read: Permission denied\n"
        f"  hint: check that the file exists and that you may read it\n{BROKEN_SUMMARY}",
        "",
    )


def test_an_unreadable_plans_folder_is_a_problem(tmp_path: Path, monkeypatch, capsys) -> None:
    root = clean(tmp_path)
    real_iterdir = Path.iterdir

    def deny(self: Path):
        if self.name == "plans":
            raise PermissionError(13, "Permission denied")
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", deny)
    monkeypatch.chdir(root)
    expected = (
        "plans:1:1: (file): the folder cannot be read: Permission denied\n"
        "  hint: check that you may read the folder and open the files in it\n"
        "1 error, 0 warnings (0 files, 0 records); method checks run once the errors are fixed\n"
    )
    assert cli(capsys, "check", "plans") == (1, expected, "")
    assert cli(capsys, "check") == (1, expected, "")


@pytest.mark.parametrize(
    ("make", "message", "hint"),
    [
        (
            lambda p: p.write_text("roles: []\n", encoding="utf-8"),
            "this is a file, not a folder",
            "the plans files belong in a folder of this name: move the file away and create the folder",
        ),
        (
            lambda p: p.symlink_to("elsewhere"),
            "this is a link to 'elsewhere', which does not exist",
            "restore the folder it points to, or replace the link with the folder itself",
        ),
        (
            lambda p: p.symlink_to("plans"),
            "this link leads back to itself",
            "replace the link with the folder itself",
        ),
    ],
    ids=["file", "broken-link", "link-loop"],
)
def test_a_plans_folder_that_is_no_folder_is_a_problem(
    make, message: str, hint: str, tmp_path: Path, monkeypatch, capsys
) -> None:
    make(tmp_path / "plans")
    monkeypatch.chdir(tmp_path)
    expected = (
        f"plans:1:1: (file): {message}\n  hint: {hint}\n"
        "1 error, 0 warnings (0 files, 0 records); method checks run once the errors are fixed\n"
    )
    for args in (["plans"], [], ["."], [str(tmp_path)]):
        assert cli(capsys, "check", *args) == (1, expected, ""), args
    # Given by name, any other file is still a usage error (see test_path_is_a_file_exits_2).


def test_a_file_name_that_is_not_utf8_is_shown_not_crashed_on(tmp_path: Path, monkeypatch, capsys) -> None:
    root = clean(tmp_path)
    (root / "plans" / os.fsdecode(b"r\xf6les.yml")).write_text(ROLES, encoding="utf-8")
    monkeypatch.chdir(root)
    code, out, _ = cli(capsys, "check", "--format", "json", "plans")
    assert code == 1
    assert json.loads(out)["problems"][0]["message"] == "unknown plans file 'r\ufffdles.yml'"


def test_the_build_reports_a_broken_plans_file_instead_of_failing(tmp_path: Path, monkeypatch) -> None:
    from macros.site.build import PlanError, _fingerprint, load_plan

    root = clean(tmp_path)
    _replace_roles(root, lambda p: p.symlink_to("missing.yml"))
    monkeypatch.chdir(root)
    assert ("roles.yml", 2) in _fingerprint(root / "plans")  # errno 2: no such file
    with pytest.raises(PlanError) as info:
        load_plan(root / "plans")
    assert "plans/roles.yml:1:1: (file): this is a link to 'missing.yml', which does not exist" in str(
        info.value
    )


def test_the_build_reports_an_unreadable_plans_folder(tmp_path: Path, monkeypatch) -> None:
    from macros.site.build import PlanError, _fingerprint, load_plan

    root = clean(tmp_path)

    def deny(self: Path, pattern: str):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "glob", deny)
    monkeypatch.setattr(Path, "iterdir", lambda self: deny(self, "*"))
    monkeypatch.chdir(root)
    assert _fingerprint(root / "plans")[1:] == (("(folder)", 13),)
    with pytest.raises(PlanError) as info:
        load_plan(root / "plans")
    assert "plans:1:1: (file): the folder cannot be read: Permission denied" in str(info.value)


def _git_project(tmp_path: Path) -> Path:
    root = clean(tmp_path)
    for args in (["init", "-q", "-b", "main"], ["add", "plans"], ["commit", "-q", "-m", "plans"]):
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
            cwd=root,
            check=True,
            capture_output=True,
        )
    return root


def test_diff_of_a_working_tree_with_a_broken_plans_file_is_a_problem(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    root = _git_project(tmp_path)
    _replace_roles(root, lambda p: p.mkdir())
    monkeypatch.chdir(root)
    assert cli(capsys, "diff") == (
        1,
        "plans/roles.yml:1:1: (file): this is a folder, not a file\n"
        "  hint: a plans file holds YAML text: move the folder out of the plans folder\n"
        "1 error: the diff needs every plans file in the working tree readable "
        "(or give a revision as HEAD)\n",
        "",
    )
    code, out, _ = cli(capsys, "diff", "--format", "json")
    assert code == 1
    assert json.loads(out)["problems"][0]["message"] == "this is a folder, not a file"
    assert cli(capsys, "diff", "HEAD", "HEAD")[0] == 0  # revisions come from git, not the working tree


def test_diff_reads_an_unreadable_working_tree_file_as_a_problem(tmp_path: Path, monkeypatch) -> None:
    from macros.review.gitdata import WORKTREE, UnreadablePlans, read_plans

    root = clean(tmp_path)
    _deny_reading(monkeypatch, "roles.yml")
    monkeypatch.chdir(root)
    with pytest.raises(UnreadablePlans) as info:
        read_plans(root, WORKTREE)
    assert [(p.file, p.message) for p in info.value.problems] == [
        ("plans/roles.yml", "the file cannot be read: Permission denied")
    ]
    (root / "plans" / "roles.yml").unlink()
    (root / "plans" / "strategy.yml").unlink()
    assert read_plans(root, WORKTREE) == {}
    (root / "plans").rmdir()
    assert read_plans(root, WORKTREE) == {}  # plans/ deleted: every record is gone, not an error


def test_codeowners_and_schema_targets_that_cannot_be_used_are_usage_errors(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    root = clean(tmp_path)
    monkeypatch.chdir(root)
    (root / "CODEOWNERS").mkdir()
    code, out, err = cli(capsys, "codeowners", "--check")
    assert (code, out) == (2, "")
    assert err.startswith("handbook: error: CODEOWNERS: cannot be read: ")
    (root / "schema").write_text("not a folder", encoding="utf-8")
    code, out, err = cli(capsys, "schema")
    assert (code, out) == (2, "")
    assert err.startswith("handbook: error: schema: cannot write the schemas: ")


# --- no escape sequence from the data reaches the terminal ------------------------------------------


def test_text_report_prints_every_field_through_visible() -> None:
    from macros.checks.problems import Problem, format_text

    problem = Problem(
        "plans/r\x1b[5moles.yml",
        2,
        3,
        "roles[0].k\x1b]0;t\x07",
        "unknown field 'k\x1b]0;t\x07\x9b\x7f'",
        "did you mean '\x1b[2J\x00'?\nnext line",
        source_line='  "k\\e]0;t\\a": 1 \x1b',
    )
    assert format_text([problem], "1 error in plans/\x1b[31mx\u0085") == (
        "plans/r␛[5moles.yml:2:3: roles[0].k␛]0;t␇: unknown field 'k␛]0;t␇�␡'\n"
        '  2 |   "k\\e]0;t\\a": 1 ␛\n'
        "    |   ^\n"
        "  hint: did you mean '␛[2J␀'?⏎next line\n"
        "1 error in plans/␛[31mx�\n"
    )


def test_check_never_prints_control_characters_from_the_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(
        tmp_path,
        roles='roles:\n  - id: "a\\e[31m"\n    name: X\n',
        strategy=STRATEGY.replace("owner: social-media-manager", 'owner: "\\e[2Jx\\x9b"'),
    )
    (root / "plans" / "r\x1b[5moles.yml").write_text("", encoding="utf-8")
    monkeypatch.chdir(root)
    code, out, _ = cli(capsys, "check", "plans")
    assert code == 1
    assert out.startswith(
        "plans/r␛[5moles.yml:1:1: (file): unknown plans file 'r␛[5moles.yml'\n"
        "  hint: did you mean 'roles.yml'? plans files are: "
    )
    assert out.split("\n", 2)[2] == (
        "plans/roles.yml:2:9: roles[0].id: 'a␛[31m' is not a valid id\n"
        '  2 |   - id: "a\\e[31m"\n'
        "    |         ^\n"
        "  hint: ids use lowercase letters, digits and hyphens only, e.g. 'a-31m'; update references too\n"
        "plans/strategy.yml:1:8: owner: unknown role '␛[2Jx�'\n"
        '  1 | owner: "\\e[2Jx\\x9b"\n'
        "    |        ^\n"
        "  hint: the role ids in plans/roles.yml are: a␛[31m\n"
        "3 errors, 0 warnings (2 files, 1 record); method checks run once the errors are fixed\n"
    )


def test_json_report_keeps_exact_values_without_raw_control_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(
        tmp_path,
        roles=ROLES,
        strategy=STRATEGY.replace("owner: social-media-manager", 'owner: "\\e[2J\\x9b\\x7fü"'),
    )
    monkeypatch.chdir(root)
    code, out, _ = cli(capsys, "check", "--format", "json", "plans")
    assert code == 1
    assert [p["message"] for p in json.loads(out)["problems"]] == ["unknown role '\x1b[2J\x9b\x7fü'"]
    assert "unknown role '\\u001b[2J\\u009b\\u007fü'" in out
    assert not [c for c in out if c != "\n" and (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F)]


def test_codeowners_handles_are_single_tokens(tmp_path: Path) -> None:
    from macros.review.codeowners import codeowners_text

    roles = ROLES + (
        "    codeowners:\n"
        "      - '@acme/social-media'\n"
        '      - "@evil\\n/plans/ @attacker"\n'
        "      - Miriam Albers\n"
        '      - "@bidi\\u202e"\n'
        "      - miriam@example.org\n"
    )
    result = check(project(tmp_path, roles=roles, strategy=STRATEGY) / "plans")
    assert result.plan is None
    assert [(p.path, p.message) for p in result.problems if p.severity == "error"] == [
        ("roles[0].codeowners[1]", "'@evil⏎/plans/ @attacker' is not a git hosting handle"),
        ("roles[0].codeowners[2]", "'Miriam Albers' is not a git hosting handle"),
        ("roles[0].codeowners[3]", "'@bidi\u202e' is not a git hosting handle"),
    ]
    # Defence in depth: a plan that holds such a handle anyway never writes it into CODEOWNERS.
    valid = check(
        project(tmp_path / "ok", roles=ROLES + "    codeowners:\n      - '@acme/sm'\n", strategy=STRATEGY)
        / "plans"
    ).plan
    assert valid is not None
    role = valid.roles[0]
    valid.records["role"][role.id] = role.model_copy(update={"codeowners": ["@acme/sm", "@x\n* @evil"]})
    lines = codeowners_text(valid).splitlines()
    assert [line for line in lines if not line.startswith("#")] == [
        "/plans/ @acme/sm",
        "/plans/strategy.yml @acme/sm",
    ]


def test_a_link_out_of_the_plans_folder_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A plans file that links elsewhere (a secret, /proc/self/environ) is refused, not shown (review)."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOKEN=geheim\n", encoding="utf-8")
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "glossary.yml").symlink_to(secret)
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli(capsys, "check", "plans")
    assert code == 1
    assert "geheim" not in out
    assert out.startswith(
        f"plans/glossary.yml:1:1: (file): this is a link to '{secret}', outside the plans folder\n"
    )


def test_a_deleted_working_directory_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = clean(tmp_path / "project")
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    assert cli(capsys, "check", str(root / "plans")) == (
        2,
        "",
        "handbook: error: the working directory no longer exists (deleted or moved); "
        "change into the project again\n",
    )


def test_version_and_help_name_examples_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"handbook (social-media-handbook) {version('social-media-handbook')}\n"
    with pytest.raises(SystemExit):
        main(["--help"])
    help_text = capsys.readouterr().out
    assert "exit codes:\n  0  done;" in help_text
    # Every example in the help is a command line that parses.
    from .command_lines import HANDBOOK, problems

    examples = [
        line.split("  ")[1].split() for line in help_text.splitlines() if line.startswith("  handbook ")
    ]
    assert len(examples) == 5
    assert [p for words in examples for p in problems([HANDBOOK, *words[1:]], {})] == []
