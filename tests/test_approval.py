"""Approval records: status and approvals on the page, drafts only in a preview build, and a
warning when an approved text changed after its approval (from git history)."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from macros.checks.check import check
from macros.cli import main
from macros.review.approval import approval_changes
from macros.site.build import PlanError, load_plan, preview_setting

from .site_support import build, edit, edited_plans, make_project, page

APPROVED = (
    "    reviewed: 2026-06-01\n",
    "    reviewed: 2026-06-01\n    approval:\n      status: approved\n      approvals:\n"
    "        - by: lead\n          on: 2026-03-12\n        - by: legal\n          on: 2026-03-10\n",
)
BODY = ("    name: Rechtsberatung\n", "    name: Rechtsberatung <Recht> & Co\n")

DRAFT_TOPIC = """\
  - id: entwurf-xq9
    title: ENTWURF-MARKE
    summary: Neue Regeln für KI-generierte Bilder, noch nicht abgestimmt.
    owner: lead
    reviewed: 2026-06-01
    approval:
      status: draft
    rules:
      - id: entwurfsregel-xq8
        title: ENTWURFSREGEL-MARKE
        rule: Wir kennzeichnen KI-generierte Bilder.
        rationale: Leserinnen und Leser sollen wissen, was echt ist.
        obligation: must
        audience: all_employees
"""
DRAFT_MARKERS = [
    "ENTWURF-MARKE",
    "entwurf-xq9",
    "ENTWURFSREGEL-MARKE",
    "entwurfsregel-xq8",
    "BETREFF-ENTWURF",
]


def _git(repo: Path, date: str, *args: str) -> str:
    """git in ``repo`` as a fixed author, committing at ``date`` (YYYY-MM-DD, noon UTC)."""
    stamp = f"{date}T12:00:00+00:00"
    env = {
        "GIT_AUTHOR_NAME": "Erika Test",
        "GIT_AUTHOR_EMAIL": "erika@example.invalid",
        "GIT_COMMITTER_NAME": "Erika Test",
        "GIT_COMMITTER_EMAIL": "erika@example.invalid",
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_DATE": stamp,
        "PATH": "/usr/bin:/bin",
    }
    return subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    ).stdout


def _commit(repo: Path, date: str, message: str) -> str:
    _git(repo, date, "add", "plans")
    _git(repo, date, "commit", "-q", "-m", message)
    return _git(repo, date, "rev-parse", "--short", "HEAD").strip()


# -- the page ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The mini plans with an approved topic and a draft topic, in git, built as published and
    as preview."""
    root = tmp_path_factory.mktemp("approval")
    plans = edited_plans(root / "plans-src", {"guidelines": [APPROVED], "experts": [BODY]})
    project = make_project(root / "project", plans)
    _git(project, "2026-09-01", "init", "-q", "-b", "main")
    _commit(project, "2026-09-01", "Erste Fassung")
    (project / "plans" / "guidelines.yml").write_text(
        (project / "plans" / "guidelines.yml").read_text(encoding="utf-8") + DRAFT_TOPIC, encoding="utf-8"
    )
    _commit(project, "2026-09-02", "BETREFF-ENTWURF")
    out = {}
    for name, preview in (("published", "0"), ("preview", "1")):
        env = {"HANDBOOK_PREVIEW": preview, "HANDBOOK_SITE_URL": "https://intranet.example/handbuch/"}
        done = build(project, "-d", str(root / name), env=env)
        assert done.returncode == 0, done.stderr
        out[name] = root / name
    return out


def test_the_review_box_shows_status_and_approvals_escaped(sites: dict[str, Path]) -> None:
    html = page(sites["published"], "richtlinien/basics")
    box = html.split('<aside class="hb-review"', 1)[1].split("</aside>", 1)[0]
    spans = [line.strip() for line in box.splitlines() if line.strip().startswith("<span")]
    assert spans[:3] == [
        '<span class="hb-approval hb-approval--approved">Freigegeben</span>',
        "<span>Freigegeben von Rechtsberatung &lt;Recht&gt; &amp; Co am 10.03.2026</span>",
        "<span>Freigegeben von Social-Media-Leitung am 12.03.2026</span>",
    ]
    assert spans[3] == "<span>Verantwortlich: <strong>Social-Media-Leitung</strong></span>"


def _files(site: Path) -> dict[str, str]:
    out = {}
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".gz"):
            data = path.read_bytes()
            out[str(path.relative_to(site))] = (
                gzip.decompress(data) if path.suffix == ".gz" else data
            ).decode()
    return out


def test_a_draft_is_absent_from_the_published_build(sites: dict[str, Path]) -> None:
    files = _files(sites["published"])
    assert "search/search_index.json" in files and "sitemap.xml" in files and "sitemap.xml.gz" in files
    found = [(name, marker) for name, text in files.items() for marker in DRAFT_MARKERS if marker in text]
    assert found == []
    assert not (sites["published"] / "richtlinien" / "entwurf-xq9").exists()
    history = page(sites["published"], "aenderungen")
    # the commit that added the draft: counted (topic and rule), its message withheld
    assert ">2 Einträge mit engerem Leserkreis geändert</td>" in history
    assert "Commit-Nachricht ausgeblendet" in history
    assert "Ausgabe: intern, 1 Eintrag mit engerem Leserkreis ausgeblendet" in history


def test_a_draft_is_shown_in_the_preview(sites: dict[str, Path]) -> None:
    files = _files(sites["preview"])
    for marker in DRAFT_MARKERS:
        assert marker in files["search/search_index.json"] or marker in files["aenderungen/index.html"], (
            marker
        )
    assert "richtlinien/entwurf-xq9/" in files["sitemap.xml"]
    html = page(sites["preview"], "richtlinien/entwurf-xq9")
    assert '<span class="hb-approval hb-approval--draft">Entwurf</span>' in html
    assert "Freigegeben von" not in html  # no approval yet
    assert "Ausgabe: intern, Vorschau mit Entwürfen" in html


def test_the_preview_setting_is_checked() -> None:
    assert [preview_setting(v) for v in (None, False, "", "0", "false", "1", "true", True)] == [
        False, False, False, False, False, True, True, True
    ]  # fmt: skip
    with pytest.raises(PlanError) as caught:
        preview_setting("vielleicht")
    assert str(caught.value) == (
        "unknown preview setting 'vielleicht' (extra.preview / HANDBOOK_PREVIEW); "
        "use 1 for a preview that shows drafts or 0 for the published handbook"
    )


def test_the_plan_leaves_drafts_out_unless_preview(tmp_path: Path) -> None:
    plans = edited_plans(tmp_path / "plans", {})
    edit(plans / "guidelines.yml", "guidelines:\n", "guidelines:\n" + DRAFT_TOPIC)
    assert [g.id for g in load_plan(plans, "confidential").guidelines] == ["basics"]
    assert [g.id for g in load_plan(plans, "confidential", preview=True).guidelines] == [
        "entwurf-xq9",
        "basics",
    ]
    assert load_plan(plans, "public", preview=True).guidelines == []  # still internal records


# -- the check ----------------------------------------------------------------------------------


def _check(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    """``handbook check PATH``: its exit code and the approval findings as 'file:line:col: path:
    message' and their hints (from the check the command runs, independent of the report format)."""
    code = main(["check", str(path)])
    out = capsys.readouterr().out
    result = check(path)
    assert result.plan is not None
    found = approval_changes(result.plan, path)
    assert all(p.message in out and p.severity == "warning" and p.code == "approval-changed" for p in found)
    lines = []
    for p in found:
        lines += [f"{p.file}:{p.line}:{p.column}: {p.path}: {p.message}", f"  hint: {p.hint}"]
    return code, lines


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose topic 'basics' was approved on 2026-03-12: written on 03-01, edited on
    the day of the approval (which the approval covers), its approval recorded on 03-13."""
    plans = edited_plans(tmp_path / "repo" / "plans", {})
    repo = tmp_path / "repo"
    monkeypatch.chdir(repo)
    _git(repo, "2026-03-01", "init", "-q", "-b", "main")
    _commit(repo, "2026-03-01", "Grundsätze")
    edit(plans / "guidelines.yml", "Wir sagen, wer wir sind.", "Wir sagen immer, wer wir sind.")
    _commit(repo, "2026-03-12", "Grundsätze nach Abstimmung")
    edit(plans / "guidelines.yml", *APPROVED)
    _commit(repo, "2026-03-13", "Freigabe eingetragen")
    return repo


def test_no_warning_while_the_approved_text_is_unchanged(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(repo / "plans" / "guidelines.yml", "reviewed: 2026-06-01", "reviewed: 2026-09-01")  # bookkeeping
    _commit(repo, "2026-09-01", "Geprüft")
    # Another topic before it (its lines move) and a change in another file: not its text.
    edit(repo / "plans" / "guidelines.yml", "guidelines:\n", "guidelines:\n" + DRAFT_TOPIC)
    edit(repo / "plans" / "goals.yml", "title: Mehr Reichweite", "title: Viel mehr Reichweite")
    _commit(repo, "2026-09-02", "Neues Thema, Ziel umbenannt")
    assert _check(Path("plans"), capsys) == (0, [])


def test_a_changed_approved_text_is_a_warning_with_its_position(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(
        repo / "plans" / "guidelines.yml",
        "Vertrauen entsteht durch Offenheit.",
        "Vertrauen braucht Offenheit.",
    )
    sha = _commit(repo, "2026-04-01", "Begründung gekürzt")
    edit(repo / "plans" / "guidelines.yml", "UWG § 5a", "UWG § 5a Abs. 4")
    _commit(repo, "2026-05-01", "Rechtsgrundlage genauer")
    code, lines = _check(Path("plans"), capsys)
    assert code == 0  # a warning; --strict fails on it
    assert lines == [
        f"plans/guidelines.yml:3:5: guidelines[0]: guideline topic 'basics' was approved on 2026-03-12, "
        f"but its text changed after that in commit {sha} of 2026-04-01",
        "  hint: have the changed text approved again and add that approval with its date under "
        "'approval.approvals' (until then set 'approval.status' to in_review), or undo the change",
    ]
    assert main(["check", "--strict", "plans"]) == 1
    capsys.readouterr()
    # Approved again: the new approval covers the text as it stands.
    edit(repo / "plans" / "guidelines.yml", "          on: 2026-03-12\n", "          on: 2026-05-02\n")
    _commit(repo, "2026-05-02", "Erneut freigegeben")
    assert _check(Path("plans"), capsys) == (0, [])


def test_an_uncommitted_change_and_a_changed_rule_are_found(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(repo / "plans" / "guidelines.yml", "title: Ehrlich bleiben", "title: Immer ehrlich bleiben")
    _, lines = _check(Path("plans"), capsys)
    assert lines[0].endswith(
        "guideline topic 'basics' was approved on 2026-03-12, but its text changed after that "
        "in the working tree (not committed yet)"
    )


def test_without_git_or_history_before_the_approval_there_is_no_warning(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(repo / "plans" / "guidelines.yml", "Wir sagen immer", "Wir sagen stets")
    assert len(_check(Path("plans"), capsys)[1]) == 2
    archive = tmp_path / "archive"
    shutil.copytree(repo / "plans", archive / "plans")  # a copy without .git
    os.chdir(archive)
    assert _check(Path("plans"), capsys) == (0, [])
    # An approval older than the history: nothing to compare with.
    edit(repo / "plans" / "guidelines.yml", "          on: 2026-03-12\n", "          on: 2026-02-01\n")
    edit(repo / "plans" / "guidelines.yml", "          on: 2026-03-10\n", "          on: 2026-02-01\n")
    os.chdir(repo)
    assert _check(Path("plans"), capsys) == (0, [])


def test_only_approved_records_are_compared(repo: Path) -> None:
    edit(repo / "plans" / "guidelines.yml", "status: approved", "status: in_review")
    edit(repo / "plans" / "guidelines.yml", "Wir sagen immer", "Wir sagen stets")
    result = check(repo / "plans")
    assert result.plan is not None
    assert approval_changes(result.plan, repo / "plans") == []


def test_a_wrong_approval_is_an_error_with_position_and_hint(tmp_path: Path) -> None:
    plans = edited_plans(
        tmp_path / "plans",
        {
            "guidelines": [
                (
                    "    reviewed: 2026-06-01\n",
                    "    reviewed: 2026-06-01\n    approval:\n      status: Freigegeben\n      approvals:\n"
                    "        - by: legl\n          on: 2026-13-01\n",
                )
            ]
        },
    )
    found = [(p.line, p.column, p.path, p.message, p.hint, p.code) for p in check(plans).problems]
    assert found == [
        (
            9,
            15,
            "guidelines[0].approval.status",
            "'Freigegeben' is not a valid status",
            "did you mean 'approved'? use one of: draft, in_review, approved, superseded",
            "invalid-choice",
        ),
        (
            11,
            15,
            "guidelines[0].approval.approvals[0].by",
            "unknown role or expert 'legl'",
            f"did you mean 'legal'? (defined in {plans}/experts.yml:3:9)",
            "unknown-reference",
        ),
        (
            12,
            15,
            "guidelines[0].approval.approvals[0].on",
            "'2026-13-01' is not a real calendar date",
            "the month comes second: did you mean 2026-01-13? (YYYY-MM-DD)",
            "invalid-date",
        ),
    ]


def test_the_warning_code_is_documented() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert "`approval-changed`" in readme
