"""Semantic diff and history against a real temporary git repository."""

from __future__ import annotations

import io
import shutil
import subprocess
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from macros.cli import main
from macros.history import plans_changes

from .conftest import ROOT
from .site_support import build, make_project, page, visible_text

MINI = ROOT / "tests" / "fixtures" / "mini" / "plans"


def git(repo: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "Erika Test",
        "GIT_AUTHOR_EMAIL": "erika@example.invalid",
        "GIT_COMMITTER_NAME": "Erika Test",
        "GIT_COMMITTER_EMAIL": "erika@example.invalid",
        "GIT_AUTHOR_DATE": "2026-10-01T10:00:00+02:00",
        "GIT_COMMITTER_DATE": "2026-10-01T10:00:00+02:00",
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    shutil.copytree(MINI, repo / "plans")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "Erste Fassung der Strategie")
    return repo


def run_diff(repo: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    monkeypatch.chdir(repo)
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["diff", *args])
    return code, out.getvalue()


def test_changed_field_names_owner_and_references(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(repo, "checkout", "-qb", "feature")
    edit(repo / "plans/goals.yml", "target: 300", "target: 500")
    edit(repo / "plans/goals.yml", "channels: [blog]", "channels: []")
    edit(repo / "plans/goals.yml", "    deadline: 2027-06-30\n", "")
    edit(repo / "plans/target-groups.yml", "priority: high", "priority: low")
    code, out = run_diff(repo, monkeypatch)
    base = git(repo, "rev-parse", "--short", "main").strip()
    assert code == 0
    assert out == (
        f"## Strategy changes: `{base}` → working tree\n"
        "\n"
        "**2 changes** in: Goals, Target groups.  \n"
        "Owners to review: Social-Media-Leitung (Erika Test).\n"
        "\n"
        "### Goals (`goals.yml`)\n"
        "\n"
        "- **Changed** goal *Mehr Reichweite* (`reach`) — owner: Social-Media-Leitung (Erika Test)\n"
        "  - `target`: 300 → 500\n"
        "  - `deadline`: 2027-06-30 → –\n"
        "  - `channels`: removed: Testblog (blog)\n"
        "\n"
        "### Target groups (`target-groups.yml`)\n"
        "\n"
        "- **Changed** target group *Bastler* (`makers`) — owner: Social-Media-Leitung (Erika Test)\n"
        "  - `priority`: high → low\n"
        "\n"
        "### Method warnings\n"
        "\n"
        "- new: goal 'reach' has no deadline (goals.yml)\n"
    )


def test_add_remove_rename_between_commits(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(repo / "plans/channels.yml", "id: blog", "id: fachblog")
    for name in (
        "goals.yml",
        "processes.yml",
        "actions.yml",
        "analysis.yml",
        "content.yml",
        "improvement.yml",
    ):
        path = repo / "plans" / name
        path.write_text(
            path.read_text(encoding="utf-8")
            .replace("[blog]", "[fachblog]")
            .replace("channel: blog", "channel: fachblog"),
            encoding="utf-8",
        )
    glossary = repo / "plans/glossary.yml"
    glossary.write_text(
        glossary.read_text(encoding="utf-8")
        + "  - id: engagement\n    term: Engagement\n    definition: Reaktionen auf Beiträge.\n",
        encoding="utf-8",
    )
    edit(repo / "plans/crisis.yml", "  - phase: prepare\n    item: Notfallnummern aktuell\n", "")
    (repo / "plans/experts.yml").write_text(
        "# yaml-language-server: $schema=../../../../schema/experts.schema.json\nexperts: []\n",
        encoding="utf-8",
    )
    git(repo, "commit", "-qam", "Blog umbenannt, Glossar ergänzt")
    code, out = run_diff(repo, monkeypatch, "HEAD~1", "HEAD")
    base = git(repo, "rev-parse", "--short", "HEAD~1").strip()
    head = git(repo, "rev-parse", "--short", "HEAD").strip()
    assert code == 0
    assert out == (
        f"## Strategy changes: `{base}` → `{head}`\n"
        "\n"
        "**4 changes** in: Experts, Channels, Crisis management, Glossary.  \n"
        "Owners to review: Social-Media-Leitung (Erika Test).\n"
        "\n"
        "> **2 error(s)** in the new version; `handbook check` fails:\n"
        ">\n"
        "> - `plans/crisis.yml:17:14: levels[1].notify[0]: unknown role or expert 'legal'`\n"
        "> - `plans/processes.yml:11:21: processes[0].steps[0].consulted[0]: "
        "unknown role or expert 'legal'`\n"
        "\n"
        "### Experts (`experts.yml`)\n"
        "\n"
        "- **Removed** expert *Rechtsberatung* (`legal`)\n"
        "\n"
        "### Channels (`channels.yml`)\n"
        "\n"
        "- **Renamed** channel *Testblog*: `blog` → `fachblog` — owner: Social-Media-Leitung (Erika Test)\n"
        "  - references follow the new id in 7 record(s): measure “Blogserie Messen”, "
        "listening insight “Leser fragen nach Kalibrierung.”, content format “Artikel”, "
        "editorial slot “Anleitung der Woche”, goal “Mehr Reichweite”, log entry “Mehr Video”, "
        "process “Veröffentlichen”\n"
        "\n"
        "### Crisis management (`crisis.yml`)\n"
        "\n"
        "- **Changed** file-level fields — owner: Social-Media-Leitung (Erika Test)\n"
        "  - `checklist`: removed: phase: prepare; item: Notfallnummern aktuell\n"
        "\n"
        "### Glossary (`glossary.yml`)\n"
        "\n"
        "- **Added** glossary term *Engagement* (`engagement`)\n"
        "\n"
        "Method warnings are compared once both versions pass `handbook check` without errors.\n"
    )


def test_unreadable_file_is_not_reported_as_removed(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(repo / "plans/goals.yml", "    target: 300", "\ttarget: 300")
    edit(repo / "plans/target-groups.yml", "priority: high", "priority: medium")
    code, out = run_diff(repo, monkeypatch, "HEAD")
    base = git(repo, "rev-parse", "--short", "HEAD").strip()
    assert code == 0
    assert out == (
        f"## Strategy changes: `{base}` → working tree\n"
        "\n"
        "**1 change** in: Target groups.  \n"
        "Owners to review: Social-Media-Leitung (Erika Test).\n"
        "\n"
        "> **1 error(s)** in the new version; `handbook check` fails:\n"
        ">\n"
        "> - `plans/goals.yml:8:1: (file): a tab character is used for indentation`\n"
        "\n"
        "> **Not compared** (the file cannot be read):\n"
        ">\n"
        "> - `new version: plans/goals.yml:8:1: a tab character is used for indentation`\n"
        "\n"
        "### Target groups (`target-groups.yml`)\n"
        "\n"
        "- **Changed** target group *Bastler* (`makers`) — owner: Social-Media-Leitung (Erika Test)\n"
        "  - `priority`: high → medium\n"
        "\n"
        "Method warnings are compared once both versions pass `handbook check` without errors.\n"
    )


def test_data_cannot_inject_markup_into_the_comment(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(
        repo / "plans/goals.yml",
        "title: Mehr Reichweite",
        'title: "Mehr ![x](https://evil.example/p.png) @octocat <details> `code` *fett*"',
    )
    code, out = run_diff(repo, monkeypatch, "HEAD")
    assert code == 0
    assert (
        "  - `title`: Mehr Reichweite → Mehr &#33;&#91;x&#93;(https://evil.example/p.png) "
        "&#64;octocat &#60;details&#62; &#96;code&#96; &#42;fett&#42;\n" in out
    )


def test_json_output(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    edit(repo / "plans/goals.yml", "target: 300", "target: 400")
    code, out = run_diff(repo, monkeypatch, "HEAD", "--format", "json")
    doc = json.loads(out)
    assert code == 0
    assert doc["count"] == 1
    assert doc["owners"] == ["Social-Media-Leitung (Erika Test)"]
    change = doc["sections"][0]["changes"][0]
    assert change["change"] == "changed" and change["id"] == "reach"
    assert change["fields"] == [{"field": "target", "old": "300", "new": "400"}]


def test_no_change(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out = run_diff(repo, monkeypatch, "HEAD", "HEAD")
    assert code == 0
    assert out.endswith("No change to the strategy data.\n")


def test_unknown_revision_is_a_usage_error(repo: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    code, _ = run_diff(repo, monkeypatch, "no-such-branch")
    assert code == 2
    assert "unknown revision 'no-such-branch'" in capsys.readouterr().err


def test_history_lists_commits_newest_first(repo: Path) -> None:
    edit(repo / "plans/goals.yml", "target: 300", "target: 450")
    git(repo, "commit", "-qam", "Ziel angehoben")
    history = plans_changes(repo / "plans")
    assert history.note == ""
    assert [(e.subject, e.summary) for e in history.entries] == [
        ("Ziel angehoben", "Ziel „Mehr Reichweite“ geändert (target)"),
        ("Erste Fassung der Strategie", "erste Fassung der Strategie (24 Einträge)"),
    ]
    assert history.entries[0].date == "2026-10-01"
    assert history.entries[0].author == "Erika Test"


def test_history_page_builds_with_and_without_git(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", MINI)
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert "keine Git-Historie verfügbar" in page(project / "site", "aenderungen")

    git(project, "init", "-q", "-b", "main")
    git(project, "add", "plans")
    git(project, "commit", "-qm", "Strategie angelegt")
    result = build(project)
    assert result.returncode == 0, result.stderr
    text = visible_text(page(project / "site", "aenderungen"))
    assert "Strategie angelegt" in text
    assert "erste Fassung der Strategie (24 Einträge)" in text
    assert "keine Git-Historie" not in text


def test_codeowners_in_sync(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(MINI, tmp_path / "plans")
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["codeowners", "--check"]) == 1
        assert main(["codeowners", "--write"]) == 0
        assert main(["codeowners", "--check"]) == 0
    text = (tmp_path / "CODEOWNERS").read_text(encoding="utf-8")
    assert "/plans/ @mini/lead\n" in text
    assert "/plans/goals.yml @mini/lead\n" in text
    assert "CODEOWNERS: out of date" in out.getvalue()


def test_repository_codeowners_matches_plans(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    with redirect_stdout(io.StringIO()):
        assert main(["codeowners", "--check"]) == 0


def test_long_text_change_shows_the_part_that_differs() -> None:
    from macros.diff import _excerpts

    text = (
        "Das Fachpartner-Programm bindet Betriebe langfristig an Fiktiva und ist damit der wichtigste "
        "Hebel für den Absatz im Bestand. Es läuft seit 2019 und hat heute viele Mitglieder."
    )
    assert _excerpts(text, text.replace("wichtigste", "zweitwichtigste")) == (
        "… an Fiktiva und ist damit der wichtigste Hebel für den Absatz …",
        "… an Fiktiva und ist damit der zweitwichtigste Hebel für den Absatz …",
    )
    assert _excerpts(text, text + " Neu: auch Österreich.") == (
        "… und hat heute viele Mitglieder.",
        "… und hat heute viele Mitglieder. Neu: auch Österreich.",
    )
    assert _excerpts("kurz", "auch kurz") == ("kurz", "auch kurz")
