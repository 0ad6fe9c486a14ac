"""handbook due: what is overdue or due soon, per owner, and the reminder issues it keeps.

Today is 2026-11-22 (conftest); the mini plans' review interval is 365 days.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from macros.checks.check import check
from macros.cli import main
from macros.review import reminders
from macros.review.due import due
from macros.review.reminders import Call, Platform, ReminderError, body, sync, title

from .conftest import ROOT
from .site_support import edit_plans

MINI = ROOT / "tests" / "fixtures" / "mini" / "plans"


@pytest.fixture
def plans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The mini plans with something due: the goal's review overdue, the channel's review and the
    goal's deadline within 30 days, the crisis file (owned by the editors) overdue."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(MINI, tmp_path / "plans")
    plans = Path("plans")
    edit_plans(plans, "goals", "reviewed: 2026-06-01", "reviewed: 2025-09-01")  # due 2026-09-01
    edit_plans(plans, "goals", "deadline: 2027-06-30", "deadline: 2026-12-01")  # 200 of 300
    edit_plans(plans, "channels", "reviewed: 2026-06-01", "reviewed: 2025-12-10")  # due 2026-12-10
    edit_plans(plans, "crisis", "owner: lead\nreviewed: 2026-06-01", "owner: helper\nreviewed: 2025-11-01")
    return plans


TEXT = """\
lead: Social-Media-Leitung (Erika Test) @mini/lead
  plans/goals.yml:3: goal 'reach': review overdue since 2026-09-01
  plans/goals.yml:3: goal 'reach': deadline is 2026-12-01, target not reached
  plans/channels.yml:3: channel 'blog': review due 2026-12-10
helper: Redaktion (no holder named)
  plans/crisis.yml:1: crisis.yml: review overdue since 2026-11-01
4 items due for 2 owners (2 overdue) on 2026-11-22, looking 30 days ahead
"""


def test_due_text_per_owner(plans: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["due"]) == 0
    assert capsys.readouterr().out == TEXT


def test_due_window_and_nothing_due(plans: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["due", "--within", "0"]) == 0
    assert capsys.readouterr().out == (
        "lead: Social-Media-Leitung (Erika Test) @mini/lead\n"
        "  plans/goals.yml:3: goal 'reach': review overdue since 2026-09-01\n"
        "helper: Redaktion (no holder named)\n"
        "  plans/crisis.yml:1: crisis.yml: review overdue since 2026-11-01\n"
        "2 items due for 2 owners (2 overdue) on 2026-11-22, looking 0 days ahead\n"
    )
    assert main(["due", str(MINI)]) == 0
    assert capsys.readouterr().out == (
        "nothing due: no review or goal deadline before 2026-11-22 plus 30 days\n"
    )
    assert main(["due", "--format", "markdown", str(MINI)]) == 0
    assert capsys.readouterr().out == (
        "## Fällige Überprüfungen am 22.11.2026\n\n"
        "Nichts ist überfällig oder in den nächsten 30 Tagen fällig.\n"
    )


def test_due_json_names_each_owners_records(plans: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["due", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["today"] == "2026-11-22" and doc["within_days"] == 30
    assert [(o["role"], o["name"], o["holders"], o["handles"]) for o in doc["owners"]] == [
        ("lead", "Social-Media-Leitung", ["Erika Test"], ["@mini/lead"]),
        ("helper", "Redaktion", [], []),
    ]
    assert doc["owners"][0]["items"] == [
        {
            "what": "review",
            "status": "overdue",
            "date": "2026-09-01",
            "kind": "goal",
            "id": "reach",
            "title": "Mehr Reichweite",
            "file": "plans/goals.yml",
            "line": 3,
        },
        {
            "what": "deadline",
            "status": "due-soon",
            "date": "2026-12-01",
            "kind": "goal",
            "id": "reach",
            "title": "Mehr Reichweite",
            "file": "plans/goals.yml",
            "line": 3,
        },
        {
            "what": "review",
            "status": "due-soon",
            "date": "2026-12-10",
            "kind": "channel",
            "id": "blog",
            "title": "Testblog",
            "file": "plans/channels.yml",
            "line": 3,
        },
    ]
    assert [(i["kind"], i["id"], i["status"]) for i in doc["owners"][1]["items"]] == [
        ("file", "crisis", "overdue")
    ]


def test_due_markdown_is_german_and_inert(plans: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit_plans(plans, "roles", "holders: [Erika Test]", 'holders: ["Erika <b>Test</b> | @everyone"]')
    assert main(["due", "--format", "markdown", "--within", "0"]) == 0
    assert capsys.readouterr().out == (
        "## Fällige Überprüfungen am 22.11.2026\n\n"
        "### Social-Media-Leitung\n\n"
        "Inhaber: Erika &#60;b&#62;Test&#60;/b&#62; &#124; &#64;&#8203;everyone · @mini/lead\n\n"
        "| Eintrag | Aufgabe | Fällig am | Stand | Quelle |\n"
        "|---|---|---|---|---|\n"
        "| Ziel „Mehr Reichweite“ | Überprüfung | 01.09.2026 | überfällig | plans/goals.yml:3 |\n\n"
        "Nach der Überprüfung „reviewed:“ auf das Datum der Überprüfung setzen; ein Ziel mit "
        "verpasster Frist bekommt seinen Stand in „current:“ und eine neue Frist oder wird beendet.\n\n"
        "### Redaktion\n\n"
        "Inhaber: niemand eingetragen\n\n"
        "| Eintrag | Aufgabe | Fällig am | Stand | Quelle |\n"
        "|---|---|---|---|---|\n"
        "| Krisenmanagement (crisis.yml) | Überprüfung | 01.11.2026 | überfällig | plans/crisis.yml:1 |\n\n"
        "Nach der Überprüfung „reviewed:“ auf das Datum der Überprüfung setzen; ein Ziel mit "
        "verpasster Frist bekommt seinen Stand in „current:“ und eine neue Frist oder wird beendet.\n"
    )


def test_a_reached_goal_has_no_deadline_to_remind(plans: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit_plans(plans, "goals", "current: 200", "current: 300")
    assert main(["due"]) == 0
    assert "deadline" not in capsys.readouterr().out


def test_due_with_errors_reports_them(plans: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit_plans(plans, "goals", "channels: [blog]", "channels: [blogg]")
    assert main(["due"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("plans/goals.yml:12:16: goals[0].channels[0]: unknown channel 'blogg'\n")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["due", "--dry-run"], "handbook: error: --dry-run goes with --issues github|gitlab\n"),
        (["due", "--within", "-1"], "handbook: error: --within must be 0 or more days, not -1\n"),
        (
            ["due", "--issues", "github"],
            "handbook: error: GITHUB_REPOSITORY is not set (owner/name; GitHub Actions sets it)\n",
        ),
        (
            ["due", "--issues", "gitlab", "--dry-run"],
            "handbook: error: CI_API_V4_URL and CI_PROJECT_ID are not set (GitLab CI sets them)\n",
        ),
    ],
)
def test_due_usage_errors(
    plans: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv, message
) -> None:
    for name in ("GITHUB_REPOSITORY", "CI_API_V4_URL", "CI_PROJECT_ID", "GITHUB_TOKEN", "HANDBOOK_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    assert main(argv) == 2
    assert capsys.readouterr() == ("", message)


def test_a_usage_error_comes_before_the_check(plans: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit_plans(plans, "goals", "channels: [blog]", "channels: [blogg]")
    assert main(["due", "--within", "-1"]) == 2
    assert capsys.readouterr() == ("", "handbook: error: --within must be 0 or more days, not -1\n")


def test_a_real_run_needs_the_token_before_any_request(
    plans: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/handbuch")
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    assert main(["due", "--issues", "github"]) == 2
    assert capsys.readouterr() == (
        "",
        "handbook: error: GITHUB_TOKEN is not set: reminder issues need a token that may write issues\n",
    )


# --- reminder issues --------------------------------------------------------------------------


def test_github_dry_run_prints_the_requests(
    plans: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/handbuch")
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("GITHUB_API_URL", raising=False)
    assert main(["due", "--issues", "github", "--dry-run"]) == 0
    lines = capsys.readouterr().out.splitlines()
    api = "https://api.github.com/repos/acme/handbuch"
    assert lines[0] == (
        f"GET {api}/issues?labels=handbook-due&state=open&per_page=100"
        "  # dry run without a token: assuming no open reminder issues"
    )
    found = due(check(plans).plan)
    lead, helper = found.owners
    assert lines[1:] == [
        f"POST {api}/issues "
        + json.dumps(
            {"body": body(found, lead), "labels": ["handbook-due"], "title": title(lead.name)},
            ensure_ascii=False,
            sort_keys=True,
        ),
        f"POST {api}/issues "
        + json.dumps(
            {"body": body(found, helper), "labels": ["handbook-due"], "title": title(helper.name)},
            ensure_ascii=False,
            sort_keys=True,
        ),
        "dry run, nothing changed: 2 changes to the reminder issues (2 owners with something due)",
    ]
    assert title(lead.name) == "Handbuch: fällige Überprüfungen für Social-Media-Leitung"
    assert body(found, helper) == (
        "<!-- handbook-due: helper -->\n"
        "### Redaktion\n\n"
        "Inhaber: niemand eingetragen\n\n"
        "| Eintrag | Aufgabe | Fällig am | Stand | Quelle |\n"
        "|---|---|---|---|---|\n"
        "| Krisenmanagement (crisis.yml) | Überprüfung | 01.11.2026 | überfällig | plans/crisis.yml:1 |\n\n"
        "Nach der Überprüfung „reviewed:“ auf das Datum der Überprüfung setzen; ein Ziel mit "
        "verpasster Frist bekommt seinen Stand in „current:“ und eine neue Frist oder wird beendet.\n\n"
        "Dieses Issue schreibt der geplante Lauf von `handbook due` neu und schließt es, "
        "sobald nichts mehr fällig ist.\n"
    )


class FakeApi:
    """Answers the listing with ``issues`` and records every request."""

    def __init__(self, issues: list[dict[str, Any]]) -> None:
        self.issues = issues
        self.calls: list[Call] = []

    def __call__(self, call: Call) -> Any:
        self.calls.append(call)
        return self.issues if call.method == "GET" else {}


def _github_issues(found) -> list[dict[str, Any]]:
    lead = found.owners[0]
    return [
        # the lead's issue, up to date: left alone
        {"number": 11, "title": title(lead.name), "body": body(found, lead).replace("\n", "\r\n")},
        # an owner with nothing due any more: closed
        {"number": 12, "title": "alt", "body": "<!-- handbook-due: former -->\nalt"},
        # a pull request carrying the label, and an issue without the marker: not ours
        {"number": 13, "title": "PR", "body": "<!-- handbook-due: helper -->", "pull_request": {}},
        {"number": 14, "title": "Frage", "body": "Wann wird geprüft?"},
    ]


def test_github_sync_updates_creates_and_closes(plans: Path) -> None:
    found = due(check(plans).plan)
    platform = Platform.from_env("github", {"GITHUB_REPOSITORY": "acme/handbuch", "GITHUB_TOKEN": "t"})
    api = FakeApi(_github_issues(found))
    printed: list[str] = []
    assert sync(found, platform, False, printed.append, api) == 2
    base = "https://api.github.com/repos/acme/handbuch/issues"
    helper = found.owners[1]
    assert api.calls == [
        Call("GET", f"{base}?labels=handbook-due&state=open&per_page=100"),
        Call(
            "POST",
            base,
            {"title": title(helper.name), "body": body(found, helper), "labels": ["handbook-due"]},
        ),
        Call("PATCH", f"{base}/12", {"state": "closed", "state_reason": "completed"}),
    ]
    assert printed == [str(call) for call in api.calls]

    # A changed record changes the lead's issue; a dry run with a listing makes no change.
    changed = due(check(plans).plan, within=0)
    dry = FakeApi(_github_issues(found))
    printed.clear()
    assert sync(changed, platform, True, printed.append, dry) == 3
    assert [c.method for c in dry.calls] == ["GET"]
    assert printed[1:] == [
        str(
            Call(
                "PATCH",
                f"{base}/11",
                {"title": title("Social-Media-Leitung"), "body": body(changed, changed.owners[0])},
            )
        ),
        str(
            Call(
                "POST",
                base,
                {
                    "title": title("Redaktion"),
                    "body": body(changed, changed.owners[1]),
                    "labels": ["handbook-due"],
                },
            )
        ),
        str(Call("PATCH", f"{base}/12", {"state": "closed", "state_reason": "completed"})),
    ]


class PagedApi(FakeApi):
    """Answers the listing page by page, 100 issues per full page."""

    def __call__(self, call: Call) -> Any:
        self.calls.append(call)
        if call.method != "GET":
            return {}
        page = int(call.url.partition("&page=")[2] or 1)
        return self.issues[(page - 1) * 100 : page * 100]


def test_every_page_of_open_issues_is_read_and_a_second_issue_of_an_owner_closed(plans: Path) -> None:
    found = due(check(plans).plan)
    lead, helper = found.owners
    platform = Platform.from_env("github", {"GITHUB_REPOSITORY": "acme/handbuch", "GITHUB_TOKEN": "t"})
    others = [{"number": n, "title": "Frage", "body": "ohne Marke"} for n in range(1, 150)]
    ours = [
        {"number": 150, "title": title(lead.name), "body": body(found, lead)},
        {"number": 151, "title": title(helper.name), "body": body(found, helper)},
        {"number": 152, "title": "doppelt", "body": "<!-- handbook-due: lead -->\nalt"},
    ]
    api = PagedApi(others + ours)
    assert sync(found, platform, False, lambda _: None, api) == 1
    base = "https://api.github.com/repos/acme/handbuch/issues"
    assert api.calls == [
        Call("GET", f"{base}?labels=handbook-due&state=open&per_page=100"),
        Call("GET", f"{base}?labels=handbook-due&state=open&per_page=100&page=2"),
        Call("PATCH", f"{base}/152", {"state": "closed", "state_reason": "completed"}),
    ]  # both owners' issues are found on page 2: none is created twice
    api = PagedApi([{"number": n, "title": "x", "body": "ohne Marke"} for n in range(1, 201)])
    sync(found, platform, True, lambda _: None, api)
    assert [c.url.rpartition("&")[2] for c in api.calls] == ["per_page=100", "page=2", "page=3"]


def test_more_open_issues_than_are_read_is_an_error_not_a_duplicate(
    plans: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reminders, "MAX_PAGES", 2)
    platform = Platform.from_env("github", {"GITHUB_REPOSITORY": "acme/handbuch", "GITHUB_TOKEN": "t"})
    api = PagedApi([{"number": n, "title": "x", "body": "ohne Marke"} for n in range(1, 201)])
    with pytest.raises(ReminderError) as caught:
        sync(due(check(plans).plan), platform, False, lambda _: None, api)
    assert str(caught.value) == (
        "more than 200 open issues carry the label 'handbook-due'; close those that "
        "'handbook due' did not open, then run it again"
    )
    assert [c.method for c in api.calls] == ["GET", "GET"]  # nothing created


def test_gitlab_sync_and_nothing_due_closes_everything(plans: Path, capsys) -> None:
    env = {"CI_API_V4_URL": "https://git.example/api/v4", "CI_PROJECT_ID": "7", "HANDBOOK_BOT_TOKEN": "t"}
    platform = Platform.from_env("gitlab", env)
    found = due(check(plans).plan)
    issues = [
        {"iid": 3, "title": "x", "description": "<!-- handbook-due: lead -->\nalt"},
        {"iid": 4, "title": "y", "description": "<!-- handbook-due: helper -->\nalt"},
    ]
    api = FakeApi(issues)
    assert sync(found, platform, False, lambda _: None, api) == 2
    base = "https://git.example/api/v4/projects/7/issues"
    lead, helper = found.owners
    assert api.calls == [
        Call("GET", f"{base}?labels=handbook-due&state=opened&per_page=100"),
        Call("PUT", f"{base}/3", {"title": title(lead.name), "description": body(found, lead)}),
        Call("PUT", f"{base}/4", {"title": title(helper.name), "description": body(found, helper)}),
    ]
    nothing = due(check(MINI).plan)
    api = FakeApi(issues)
    assert sync(nothing, platform, False, lambda _: None, api) == 2
    assert api.calls[1:] == [  # by role: helper, lead
        Call("PUT", f"{base}/4", {"state_event": "close"}),
        Call("PUT", f"{base}/3", {"state_event": "close"}),
    ]
    gitlab_create = Platform.from_env("gitlab", env).create("T", "B")
    assert gitlab_create == Call("POST", base, {"title": "T", "description": "B", "labels": "handbook-due"})


def test_readme_dry_run_example(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """README's example is what the command prints (the issue body shortened with '…')."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "$ GITHUB_REPOSITORY=acme/handbuch .venv/bin/handbook due --issues github --dry-run\n"
    example = readme.split(command, 1)[1].split("```", 1)[0].splitlines()
    monkeypatch.chdir(tmp_path)
    shutil.copytree(MINI, tmp_path / "plans")
    edit_plans(Path("plans"), "goals", "reviewed: 2026-06-01", "reviewed: 2025-09-01")
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/handbuch")
    for name in ("GITHUB_TOKEN", "GITHUB_API_URL"):
        monkeypatch.delenv(name, raising=False)
    assert main(["due", "--issues", "github", "--dry-run"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == len(example) == 3
    for shown, real in zip(example, printed, strict=True):
        if "…" in shown:
            head, tail = shown.split("…")
            assert real.startswith(head) and real.endswith(tail), (shown, real)
        else:
            assert real == shown


@pytest.mark.parametrize("plans_dir", ["plans", "samples/sportverein/plans"])
def test_every_finding_the_calendar_brings_is_date_driven(
    plans_dir: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Both samples, years later: what check finds in addition comes from dates alone (so it does not
    fail --strict), and handbook due names every owned record, each under its owner."""
    from macros.checks.problems import DATE_CODES
    from macros.data.plan import owned_records

    now = check(ROOT / plans_dir)
    monkeypatch.setenv("HANDBOOK_TODAY", "2040-01-01")
    later = check(ROOT / plans_dir)
    added = {p.code for p in later.problems} - {p.code for p in now.problems}
    assert added == DATE_CODES
    assert main(["check", "--strict", str(ROOT / plans_dir)]) == 0
    capsys.readouterr()
    assert later.plan is not None
    found = due(later.plan)
    reviews = [(o.role, i.id) for o in found.owners for i in o.items if i.what == "review"]
    expected = [(record.owner, getattr(record, "id", stem)) for stem, record in owned_records(later.plan)]
    assert sorted(reviews) == sorted(expected)
    assert all(i.status == "overdue" for o in found.owners for i in o.items)


def test_real_requests_carry_the_token(plans: Path) -> None:
    """Platform.send speaks HTTP with urllib: method, JSON body and the platform's token header,
    against a local server; a refused request is a ReminderError naming it."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from macros.review.reminders import ReminderError

    seen: list[tuple[str, str, str, str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            data = json.loads(self.rfile.read(length)) if length else None
            token = self.headers.get("Authorization") or self.headers.get("PRIVATE-TOKEN") or ""
            seen.append((self.command, self.path, token, self.headers.get("Content-Type"), data))
            status = 403 if "forbidden" in self.path else 200
            payload = b"[]" if self.command == "GET" else b"{}"
            self.send_response(status)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PATCH = do_PUT = _answer

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        found = due(check(plans).plan)
        github = Platform("github", f"{base}/repos/acme/h", "geheim")
        assert sync(found, github, False, lambda _: None) == 2
        gitlab = Platform("gitlab", f"{base}/projects/7", "token7")
        assert sync(found, gitlab, False, lambda _: None) == 2
        with pytest.raises(ReminderError) as refused:
            Platform("github", f"{base}/forbidden", "x").send(Call("GET", f"{base}/forbidden/issues"))
    finally:
        server.shutdown()
        server.server_close()
    lead = found.owners[0]
    assert [(m, p, t) for m, p, t, _, _ in seen] == [
        ("GET", "/repos/acme/h/issues?labels=handbook-due&state=open&per_page=100", "Bearer geheim"),
        ("POST", "/repos/acme/h/issues", "Bearer geheim"),
        ("POST", "/repos/acme/h/issues", "Bearer geheim"),
        ("GET", "/projects/7/issues?labels=handbook-due&state=opened&per_page=100", "token7"),
        ("POST", "/projects/7/issues", "token7"),
        ("POST", "/projects/7/issues", "token7"),
        ("GET", "/forbidden/issues", "Bearer x"),
    ]
    assert seen[1][3] == "application/json"
    assert seen[1][4] == {"title": title(lead.name), "body": body(found, lead), "labels": ["handbook-due"]}
    assert str(refused.value) == f"GET {base}/forbidden/issues failed: HTTP Error 403: Forbidden"
