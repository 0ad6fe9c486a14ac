"""Reading plans/ from many git revisions at once (``read_plans_at``) gives what reading them one
by one (``read_plans``) gives, with two git processes however many revisions are read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from macros.review import gitdata
from macros.review.gitdata import read_plans, read_plans_at

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
    real = gitdata.git

    def counted(where: Path, *args: str, input: bytes | None = None) -> bytes:
        calls.append(args)
        return real(where, *args, input=input)

    monkeypatch.setattr(gitdata, "git", counted)
    read_plans_at(root, revs * 3)
    assert calls == [("cat-file", "--batch")] * 2
