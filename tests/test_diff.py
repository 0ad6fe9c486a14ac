"""Semantic diff and history against a real temporary git repository."""

from __future__ import annotations

import io
import shutil
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from macros.cli import main
from macros.review.history import plans_changes

from .conftest import ROOT
from .site_support import build, edit, git, make_project, page, visible_text

MINI = ROOT / "tests" / "fixtures" / "mini" / "plans"


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
        f"## Änderungen an der Strategie: `{base}` → Arbeitskopie\n"
        "\n"
        "**2 Änderungen** in: Ziele, Zielgruppen.  \n"
        "Zu prüfen von: Social-Media-Leitung (Erika Test).  \n"
        "Freigabe (CODEOWNERS): `@mini/lead`.\n"
        "\n"
        "### Seiten, die sich ändern\n"
        "\n"
        "- `ziele/#ziel-reach`\n"
        "- `zielgruppen/makers/`\n"
        "\n"
        "### Ziele (`goals.yml`)\n"
        "\n"
        "- **Geändert:** Ziel *Mehr Reichweite* (`reach`) — verantwortlich: "
        "Social-Media-Leitung (Erika Test)\n"
        "  - Zielwert: 300 → 500\n"
        "  - Frist: 2027-06-30 → –\n"
        "  - Kanäle: entfernt: Testblog (blog)\n"
        "\n"
        "### Zielgruppen (`target-groups.yml`)\n"
        "\n"
        "- **Geändert:** Zielgruppe *Bastler* (`makers`) — verantwortlich: "
        "Social-Media-Leitung (Erika Test)\n"
        "  - Priorität: hoch → niedrig\n"
        "\n"
        "### Hinweise der Methodenprüfung\n"
        "\n"
        "- neu: goal 'reach' has no deadline (goals.yml)\n"
    )
    code, out = run_diff(repo, monkeypatch, "--lang", "en")
    assert code == 0
    assert out == (
        f"## Strategy changes: `{base}` → working tree\n"
        "\n"
        "**2 changes** in: Goals, Target groups.  \n"
        "Owners to review: Social-Media-Leitung (Erika Test).  \n"
        "Approval (CODEOWNERS): `@mini/lead`.\n"
        "\n"
        "### Pages that change\n"
        "\n"
        "- `ziele/#ziel-reach`\n"
        "- `zielgruppen/makers/`\n"
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
        f"## Änderungen an der Strategie: `{base}` → `{head}`\n"
        "\n"
        "**4 Änderungen** in: Experten, Kanäle, Krisenmanagement, Glossar.  \n"
        "Zu prüfen von: Social-Media-Leitung (Erika Test).  \n"
        "Freigabe (CODEOWNERS): `@mini/lead`.\n"
        "\n"
        "> **2 Fehler** in der neuen Fassung; `handbook check` schlägt fehl:\n"
        ">\n"
        "> - `plans/crisis.yml:17:14: levels[1].notify[0]: unknown role or expert 'legal'`\n"
        "> - `plans/processes.yml:11:21: processes[0].steps[0].consulted[0]: "
        "unknown role or expert 'legal'`\n"
        "\n"
        "### Seiten, die sich ändern\n"
        "\n"
        "- `kanaele/fachblog/`\n"
        "- `kanaele/`\n"
        "- `krisenmanagement/`\n"
        "- `glossar/#begriff-engagement`\n"
        "- `organisation/#experte-legal` (entfällt)\n"
        "- `kanaele/blog/` (entfällt)\n"
        "\n"
        "### Experten (`experts.yml`)\n"
        "\n"
        "- **Entfernt:** Experte *Rechtsberatung* (`legal`)\n"
        "\n"
        "### Kanäle (`channels.yml`)\n"
        "\n"
        "- **Umbenannt:** Kanal *Testblog*: `blog` → `fachblog` — verantwortlich: "
        "Social-Media-Leitung (Erika Test)\n"
        "  - Verweise folgen der neuen Kennung in 7 Einträgen: Maßnahme „Blogserie Messen“, "
        "Listening-Erkenntnis „Leser fragen nach Kalibrierung.“, Format „Artikel“, "
        "Rubrik „Anleitung der Woche“, Ziel „Mehr Reichweite“, Log-Eintrag „Mehr Video“, "
        "Prozess „Veröffentlichen“\n"
        "\n"
        "### Krisenmanagement (`crisis.yml`)\n"
        "\n"
        "- **Geändert:** Angaben der Datei — verantwortlich: "
        "Social-Media-Leitung (Erika Test)\n"
        "  - Checkliste: entfernt: Phase: Vorbereiten; Punkt: Notfallnummern aktuell\n"
        "\n"
        "### Glossar (`glossary.yml`)\n"
        "\n"
        "- **Neu:** Glossarbegriff *Engagement* (`engagement`)\n"
        "\n"
        "Die Hinweise der Methodenprüfung werden verglichen, sobald beide Fassungen `handbook check` "
        "ohne Fehler bestehen.\n"
    )


def test_unreadable_file_is_not_reported_as_removed(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(repo / "plans/goals.yml", "    target: 300", "\ttarget: 300")
    edit(repo / "plans/target-groups.yml", "priority: high", "priority: medium")
    code, out = run_diff(repo, monkeypatch, "HEAD")
    base = git(repo, "rev-parse", "--short", "HEAD").strip()
    assert code == 0
    assert out == (
        f"## Änderungen an der Strategie: `{base}` → Arbeitskopie\n"
        "\n"
        "**1 Änderung** in: Zielgruppen.  \n"
        "Zu prüfen von: Social-Media-Leitung (Erika Test).  \n"
        "Freigabe (CODEOWNERS): `@mini/lead`.\n"
        "\n"
        "> **1 Fehler** in der neuen Fassung; `handbook check` schlägt fehl:\n"
        ">\n"
        "> - `plans/goals.yml:8:1: (file): a tab character is used for indentation`\n"
        "\n"
        "> **Nicht verglichen** (die Datei ist nicht lesbar):\n"
        ">\n"
        "> - `new version: plans/goals.yml:8:1: a tab character is used for indentation`\n"
        "\n"
        "### Seiten, die sich ändern\n"
        "\n"
        "- `zielgruppen/makers/`\n"
        "\n"
        "### Zielgruppen (`target-groups.yml`)\n"
        "\n"
        "- **Geändert:** Zielgruppe *Bastler* (`makers`) — verantwortlich: "
        "Social-Media-Leitung (Erika Test)\n"
        "  - Priorität: hoch → mittel\n"
        "\n"
        "Die Hinweise der Methodenprüfung werden verglichen, sobald beide Fassungen `handbook check` "
        "ohne Fehler bestehen.\n"
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
        "  - Titel: Mehr Reichweite → Mehr &#33;&#91;x&#93;(https&#58;&#8203;//evil.example/p.png) "
        "&#64;&#8203;octocat &#60;details&#62; &#96;code&#96; &#42;fett&#42;\n" in out
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
    assert change["fields"] == [{"field": "target", "label": "Zielwert", "old": "300", "new": "400"}]
    assert change["pages"] == ["ziele/#ziel-reach"] and doc["pages"] == ["ziele/#ziel-reach"]
    assert doc["approvers"] == ["@mini/lead"] and doc["approvers_known"] is True


def test_no_change(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out = run_diff(repo, monkeypatch, "HEAD", "HEAD")
    assert code == 0
    assert out.endswith("Keine Änderung an den Strategiedaten.\n")
    code, out = run_diff(repo, monkeypatch, "HEAD", "HEAD", "--lang", "en")
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
        ("Ziel angehoben", "Ziel „Mehr Reichweite“ geändert: Zielwert"),
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


def test_long_text_change_shows_the_part_that_differs() -> None:
    from macros.review.diff import _excerpts

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


# --- hostile values stay inert text in the comment and on the terminal ------------------------


@pytest.mark.parametrize(
    ("value", "markdown"),
    [
        ("Leitung\n---\nTeam", "Leitung --- Team"),  # no horizontal rule, no setext heading
        ("a\n\n```\nb", "a &#96;&#96;&#96; b"),  # no code block
        ("a\n- item\n1. item", "a - item 1. item"),  # no list: nothing starts a line
        ("a\n# heading", "a &#35; heading"),
        ("@team and @octo-org/owners", "&#64;&#8203;team and &#64;&#8203;octo-org/owners"),
        (
            '#12, !34, ~bug, ~"x y", %v1, $5, &6',
            "&#35;&#8203;12, &#33;&#8203;34, &#126;&#8203;bug, "
            '&#126;&#8203;"x y", %&#8203;v1, &#36;&#8203;5, &#38;&#8203;6',
        ),
        ("**bold** _it_ ~~del~~", "&#42;&#42;bold&#42;&#42; &#95;it&#95; &#126;&#126;&#8203;del&#126;&#126;"),
        ("https://evil.example/x", "https&#58;&#8203;//evil.example/x"),
        ("see www.evil.example or WWW.EVIL.EXAMPLE", "see www&#46;evil.example or WWW&#46;EVIL.EXAMPLE"),
        ("<img src=x onerror=alert(1)>", "&#60;img src=x onerror=alert(1)&#62;"),
        ("<https://evil.example>", "&#60;https&#58;&#8203;//evil.example&#62;"),
        ("![x](y) [l](z)", "&#33;&#91;x&#93;(y) &#91;l&#93;(z)"),
        ("a | b", "a &#124; b"),
        ("$x^2$ \\ :tada: 10:30", "&#36;&#8203;x^2&#36; &#92; &#58;&#8203;tada: 10:30"),
        ("&lt;b&gt;", "&#38;&#8203;lt;b&#38;&#8203;gt;"),
        ("a\u2028b\u2029c\x85d\x0be\x1cf\u00a0g", "a b c d e f g"),  # every line break is a space
        ("\x1b[31mred\x1b]0;title\x07 \x9b31m \x7f\x00", "␛&#91;31mred␛&#93;0;title␇ �31m ␡␀"),
    ],
)
def test_every_value_is_inert_markdown(value: str, markdown: str) -> None:
    from macros.review.diff import _t

    assert _t(value) == markdown


@pytest.mark.parametrize(
    ("value", "markdown"),
    [
        ("reach", "`reach`"),
        ("steps[0].consulted", "`steps[0].consulted`"),
        ("a\n---", "a ---"),  # not a safe id: inert text, never a code span
        ("x` **y**", "x&#96; &#42;&#42;y&#42;&#42;"),
        ("@team", "&#64;&#8203;team"),
    ],
)
def test_ids_and_paths_are_code_spans_only_when_safe(value: str, markdown: str) -> None:
    from macros.review.diff import _code

    assert _code(value) == markdown


def test_hostile_names_keys_and_ids_stay_text(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Role name (shown as owner everywhere), title, an unknown key and an id, all hostile."""
    edit(repo / "plans/roles.yml", "name: Social-Media-Leitung", 'name: "Leitung\\n---\\n- item @team"')
    edit(
        repo / "plans/goals.yml",
        "title: Mehr Reichweite",
        'title: "```\\n# heading **bold** https://evil.example www.evil.example <img src=x> | '
        '\\u001b[31mrot\\u001b]0;t\\u0007\\u009b"',
    )
    edit(repo / "plans/goals.yml", "    kpi: Follower\n", '    kpi: Follower\n    "key\\n\\n# x <b>": 1\n')
    glossary = repo / "plans/glossary.yml"
    glossary.write_text(
        glossary.read_text(encoding="utf-8")
        + '  - id: "neu\\u2028- item"\n    term: "@team\\u2029www.evil.example"\n    definition: d\n',
        encoding="utf-8",
    )
    code, out = run_diff(repo, monkeypatch, "HEAD")
    base = git(repo, "rev-parse", "--short", "HEAD").strip()
    owner = "Leitung --- - item &#64;&#8203;team"
    title = (
        "&#96;&#96;&#96; &#35; heading &#42;&#42;bold&#42;&#42; https&#58;&#8203;//evil.example "
        "www&#46;evil.example &#60;img src=x&#62; &#124; ␛&#91;31mrot␛&#93;0;t␇�"
    )
    assert code == 0
    assert out == (
        f"## Änderungen an der Strategie: `{base}` → Arbeitskopie\n"
        "\n"
        "**3 Änderungen** in: Rollen, Ziele, Glossar.  \n"
        f"Zu prüfen von: {owner} (Erika Test).  \n"
        "Freigabe (CODEOWNERS): `@mini/lead`.\n"
        "\n"
        "> **2 Fehler** in der neuen Fassung; `handbook check` schlägt fehl:\n"
        ">\n"
        "> - `plans/glossary.yml:6:9: terms[1].id: 'neu - item' is not a valid id`\n"
        "> - `plans/goals.yml:6:5: goals[0].key # x <b>: unknown field 'key⏎⏎# x <b>'`\n"
        "\n"
        "### Seiten, die sich ändern\n"
        "\n"
        "- `organisation/#rolle-lead`\n"
        "- `ziele/#ziel-reach`\n"
        "\n"
        "### Rollen (`roles.yml`)\n"
        "\n"
        f"- **Geändert:** Rolle *{owner}* (`lead`) — verantwortlich: {owner} (Erika Test)\n"
        f"  - Name: Social-Media-Leitung → {owner}\n"
        "\n"
        "### Ziele (`goals.yml`)\n"
        "\n"
        f"- **Geändert:** Ziel *{title}* (`reach`) — verantwortlich: {owner} (Erika Test)\n"
        f"  - Titel: Mehr Reichweite → {title}\n"
        "  - key &#35; x &#60;b&#62;: – → 1\n"
        "\n"
        "### Glossar (`glossary.yml`)\n"
        "\n"
        "- **Neu:** Glossarbegriff *&#64;&#8203;team www&#46;evil.example* (neu - item)\n"
        "\n"
        "Die Hinweise der Methodenprüfung werden verglichen, sobald beide Fassungen `handbook check` "
        "ohne Fehler bestehen.\n"
    )


def test_diff_output_has_no_control_characters(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Markdown and JSON alike: nothing a terminal would act on, JSON values exact."""
    import json
    import re

    hostile = "a\x1b[2Jb\x1b]8;;https://evil.example\x07c\x9b1md\x7fe\x00f\u2028g"
    edit(repo / "plans/goals.yml", "title: Mehr Reichweite", f"title: {json.dumps(hostile)}")
    control = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
    for args in (("HEAD",), ("HEAD", "--format", "json")):
        code, out = run_diff(repo, monkeypatch, *args)
        assert code == 0
        assert not control.findall(out), args
    change = json.loads(out)["sections"][0]["changes"][0]
    assert change["title"] == "a\x1b[2Jb\x1b]8;;https://evil.example\x07c\x9b1md\x7fe\x00f g"


def test_history_takes_commit_messages_as_text(repo: Path) -> None:
    """Separator characters in a commit message cannot forge history rows (found in review)."""
    edit(repo / "plans/goals.yml", "target: 300", "target: 450")
    git(repo, "commit", "-qam", "harmless\x1e0123456\x1f\x1f2020-01-01\x1fEvil Forger\x1fForged msg")
    history = plans_changes(repo / "plans")
    assert [(e.author, e.subject) for e in history.entries] == [
        ("Erika Test", "harmless\x1e0123456\x1f\x1f2020-01-01\x1fEvil Forger\x1fForged msg"),
        ("Erika Test", "Erste Fassung der Strategie"),
    ]
    assert all(len(e.sha) == 7 and e.sha.isalnum() for e in history.entries)


def test_list_changes_are_kept_as_items_not_as_text() -> None:
    """A value that reads like a list change ('removed: …', 'reordered') stays a value change."""
    import json

    from macros.review.diff import Snapshot, diff, to_json, to_markdown

    base = {"roles.yml": "roles:\n  - id: lead\n    name: 'removed: alt'\n    duties: [a, b]\n"}
    head = {"roles.yml": "roles:\n  - id: lead\n    name: reordered\n    duties: [b, c]\n"}
    result = diff(Snapshot.load(base, method=False), Snapshot.load(head, method=False), "a", "b")
    (change,) = result.sections[0].changes
    assert [(f.field, f.old, f.new, f.removed, f.added) for f in change.fields] == [
        ("name", "removed: alt", "reordered", [], []),
        ("duties", "", "", ["a"], ["c"]),
    ]
    assert "  - `name`: removed: alt → reordered\n  - `duties`: removed: a; added: c\n" in to_markdown(
        result, "en"
    )
    assert "  - Name: removed: alt → reordered\n  - Aufgaben: entfernt: a; neu: c\n" in to_markdown(result)
    assert json.loads(to_json(result))["sections"][0]["changes"][0]["fields"] == [
        {"field": "name", "label": "Name", "old": "removed: alt", "new": "reordered"},
        {"field": "duties", "label": "Aufgaben", "old": "removed: a", "new": "added: c"},
    ]


# --- the pages the diff lists are the pages that change ---------------------------------------


def _article(html: str) -> str:
    """A page's content (the article), without navigation, header and footer (the data version)."""
    start = html.find("<article")
    return html[start : html.find("</article>", start)] if start != -1 else ""


def _shows(site: Path, target: str) -> bool:
    """Whether the built site has this path (and anchor): 'ziele/#ziel-reach'."""
    path, _, anchor = target.partition("#")
    file = site / path / "index.html"
    if not file.is_file():
        return False
    return not anchor or f'id="{anchor}"' in file.read_text(encoding="utf-8")


def test_pages_listed_are_the_pages_that_change_in_two_real_builds(tmp_path: Path) -> None:
    """Build the mini plans before and after an edit: every page the diff lists exists after it
    and its content changed; every page or anchor it lists as gone existed before and is gone."""
    from macros.review.diff import Snapshot, diff

    project = make_project(tmp_path / "p", MINI)
    result = build(project)
    assert result.returncode == 0, result.stderr
    before = tmp_path / "before"
    shutil.copytree(project / "site", before)
    base_texts = {p.name: p.read_text(encoding="utf-8") for p in (project / "plans").glob("*.yml")}

    plans = project / "plans"
    edit(plans / "target-groups.yml", "priority: high", "priority: low")  # a record page
    edit(plans / "goals.yml", "target: 300", "target: 500")  # an anchor on a written page
    edit(plans / "channels.yml", "name: Testblog", "name: Fachblog der Werkstatt")  # title: overview too
    edit(plans / "guidelines.yml", "durch Offenheit.", "durch Offenheit und Verlässlichkeit.")  # a rule
    edit(plans / "crisis.yml", "  - phase: prepare\n    item: Notfallnummern aktuell\n", "")  # file level
    glossary = plans / "glossary.yml"
    glossary.write_text(
        glossary.read_text(encoding="utf-8")
        + "  - id: engagement\n    term: Engagement\n    definition: Reaktionen auf Beiträge.\n",
        encoding="utf-8",
    )
    result = build(project)
    assert result.returncode == 0, result.stderr
    after = project / "site"
    head_texts = {p.name: p.read_text(encoding="utf-8") for p in plans.glob("*.yml")}

    d = diff(Snapshot.load(base_texts), Snapshot.load(head_texts), "a", "b")
    assert d.pages() == [
        "ziele/#ziel-reach",
        "zielgruppen/makers/",
        "kanaele/blog/",
        "kanaele/",
        "richtlinien/basics/#regel-be-honest",
        "krisenmanagement/",
        "glossar/#begriff-engagement",
    ]
    assert d.gone() == []
    for target in d.pages():
        assert _shows(after, target), target
        path = target.partition("#")[0]
        old = before / path / "index.html"
        new = (after / path / "index.html").read_text(encoding="utf-8")
        assert not old.is_file() or _article(old.read_text(encoding="utf-8")) != _article(new), target

    # Removed again: the anchor the diff names as gone was in the last build and is not in the next.
    glossary.write_text(base_texts["glossary.yml"], encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.stderr
    removed = diff(
        Snapshot.load(head_texts),
        Snapshot.load({**head_texts, "glossary.yml": base_texts["glossary.yml"]}),
        "a",
        "b",
    )
    assert (removed.pages(), removed.gone()) == ([], ["glossar/#begriff-engagement"])
    assert _shows(after, "glossar/") and not _shows(after, "glossar/#begriff-engagement")
