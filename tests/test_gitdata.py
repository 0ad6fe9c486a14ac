"""Reading plans/ from many git revisions at once (``read_plans_at``) gives what reading them one
by one (``read_plans``) gives, with two git processes however many revisions are read."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from macros.review import gitdata
from macros.review.gitdata import GitError, plans_history, read_plans, read_plans_at
from macros.review.history import plans_changes

from .site_support import git


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A history through every shape a plans folder takes: none yet, files in it, a subfolder, a
    link, a file that is no YAML, a non-ASCII name, a file changed, one deleted, the folder gone."""
    root = tmp_path_factory.mktemp("gitdata")
    git(root, "init", "-q", "-b", "main")
    (root / "README.md").write_text("Handbuch\n", encoding="utf-8")
    plans = root / "plans"

    def commit(message: str) -> None:
        git(root, "add", "-A")
        git(root, "commit", "-qm", message)

    commit("no plans yet")
    plans.mkdir()
    (plans / "goals.yml").write_text("goals: []\n", encoding="utf-8")
    (plans / "roles.yaml").write_text("roles:\n  - id: lead\n", encoding="utf-8")
    commit("plans")
    (plans / "archiv").mkdir()
    (plans / "archiv" / "alt.yml").write_text("goals: [alt]\n", encoding="utf-8")
    (plans / "notes.txt").write_text("no YAML\n", encoding="utf-8")
    (plans / "Zielgrößen.yml").write_text("ziel: „Reichweite“\n", encoding="utf-8")
    os.symlink("goals.yml", plans / "link.yml")
    commit("subfolder, link, other files")
    (plans / "goals.yml").write_text("goals:\n  - id: reichweite\n", encoding="utf-8")
    (plans / "roles.yaml").unlink()
    commit("changed and deleted")
    git(root, "rm", "-rq", "plans")
    git(root, "commit", "-qm", "plans gone")
    revs = git(root, "rev-list", "HEAD").split()
    return root, revs


def test_many_revisions_read_as_one_by_one(repo: tuple[Path, list[str]]) -> None:
    root, revs = repo
    assert read_plans_at(root, revs) == {rev: read_plans(root, rev) for rev in revs}
    newest_with_plans = read_plans_at(root, [revs[1]])[revs[1]]
    assert newest_with_plans == {
        "goals.yml": "goals:\n  - id: reichweite\n",
        "link.yml": "goals.yml",  # a link is read as git stores it, like read_plans does
        "Zielgrößen.yml": "ziel: „Reichweite“\n",
    }
    assert read_plans_at(root, [revs[0], revs[-1]]) == {revs[0]: {}, revs[-1]: {}}  # no plans/


def test_an_unknown_revision_is_left_to_read_plans(repo: tuple[Path, list[str]]) -> None:
    root, revs = repo
    unknown = "0" * 40
    assert read_plans_at(root, [unknown, revs[2], "no-such-branch", revs[2]]) == {
        revs[2]: read_plans(root, revs[2])
    }
    assert read_plans_at(root, []) == {}


def test_two_git_processes_for_any_number_of_revisions(
    repo: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, revs = repo
    calls: list[tuple[str, ...]] = []
    asked = b""
    real = gitdata.git

    def counted(where: Path, *args: str, input: bytes | None = None) -> bytes:
        nonlocal asked
        calls.append(args)
        asked += input or b""
        return real(where, *args, input=input)

    monkeypatch.setattr(gitdata, "git", counted)
    read_plans_at(root, revs * 3)
    assert calls == [("cat-file", "--batch")] * 2
    other = git(root, "rev-parse", f"{revs[2]}:plans/notes.txt").strip()  # no YAML: never read
    assert other.encode() not in asked


def _history(root: Path, plans: Path, *versions: str, name: str = "goals.yml") -> None:
    """A repository at ``root`` whose plans folder ``plans`` holds the file ``name`` in each of
    ``versions``, one commit each ('one', 'two', …); with no version, the first is staged only."""
    plans.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    (plans / name).write_text("goals: []\n", encoding="utf-8")
    git(root, "add", "-A")
    for message, text in zip(("one", "two", "three"), versions, strict=False):
        (plans / name).write_text(text, encoding="utf-8")
        git(root, "commit", "-qam", message)


def test_a_plans_folder_that_is_the_repository_itself(tmp_path: Path) -> None:
    """plans/ as a repository (or submodule) of its own: git's path of it is '.'."""
    plans = tmp_path / "plans"
    _history(plans, plans, "goals: []\n", "goals:\n  - id: a\n")
    revs = git(plans, "rev-list", "HEAD").split()
    assert read_plans_at(plans, revs, ".") == {rev: read_plans(plans, rev, ".") for rev in revs}
    assert read_plans_at(plans, revs[:1], ".") == {revs[0]: {"goals.yml": "goals:\n  - id: a\n"}}


def test_a_revision_whose_file_git_cannot_give_is_left_out_and_named(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    _history(root, root / "plans", "goals: []\n", "goals: [x]\n")
    new, old = git(root, "rev-list", "HEAD").split()
    blob = git(root, "rev-parse", f"{new}:plans/goals.yml").strip()
    (root / ".git" / "objects" / blob[:2] / blob[2:]).unlink()  # a damaged repository
    assert read_plans_at(root, [new, old]) == {old: {"goals.yml": "goals: []\n"}}
    with pytest.raises(GitError) as info:
        read_plans(root, new)
    assert (
        str(info.value) == f"revision '{new}': git cannot give its plans files (a damaged or partial clone?)"
    )


def test_a_commit_time_git_keeps_but_no_calendar_has_is_no_failure(tmp_path: Path) -> None:
    """git accepts a commit written with any zone (+9999 passes fsck); the feed's time is UTC."""
    root = tmp_path / "repo"
    _history(root, root / "plans")
    tree = git(root, "write-tree").strip()
    who = "Erika Test <erika@example.invalid> 1700000200 +9999"
    commit = f"tree {tree}\nauthor {who}\ncommitter {who}\n\nStrategie angelegt\n"
    sha = subprocess.run(
        ["git", "hash-object", "-t", "commit", "-w", "--stdin", "--literally"],
        cwd=root,
        input=commit,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    git(root, "update-ref", "refs/heads/main", sha)
    (found,) = plans_history(root)
    assert found.time == "2023-11-14T22:16:40Z"
    history = plans_changes(root / "plans")
    assert [e.time for e in history.entries] == ["2023-11-14T22:16:40Z"]


def test_a_newline_in_the_plans_path_reads_each_commit_alone(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    plans = root / "pl\nans"
    _history(root, plans, "goals: []\n", "goals:\n  - id: reichweite\n    title: Reichweite\n")
    history = plans_changes(plans)
    assert [e.subject for e in history.entries] == ["two", "one"]
    assert history.entries[0].summary != history.entries[1].summary


def test_a_file_name_that_is_not_utf8_is_read_by_both(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    name = os.fsdecode(b"ziel\xe4.yml")  # 'zielä.yml' in Latin-1, from an old tool
    _history(root, root / "plans", "goals: []\n", name=name)
    assert (
        read_plans(root, "HEAD") == read_plans_at(root, ["HEAD"])["HEAD"] == {"ziel\ufffd.yml": "goals: []\n"}
    )
