"""Reading progress kept in the browser (assets/progress.js), in Chromium.

Two handbooks are served from one origin under two sub-paths, as on an intranet server hosting
several sites: the company sample (a copy with its own git history, so that "changed since your
last visit" has something to show) and the club sample. Ticks on the onboarding plan and on a
module's self-check survive a reload, the progress per week reads exactly, one site's ticks never
appear on the other, the page works from disk (file://) and without JavaScript reads as a plain
list, and pages whose data changed after the stored last visit are marked.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import Browser, BrowserContext, Page

from macros.review.changes import changed_keys
from macros.review.diff import Snapshot
from macros.site.progress import changes_script, page_keys, page_times, plans_of

from .browser_support import AXE_JS, Recorder
from .site_support import build, make_project

ROOT = Path(__file__).resolve().parent.parent
SITES = {"/handbuch/": "company", "/zweites/": "company", "/verein/": "club"}
FIRST = "2026-10-01T10:00:00+02:00"
SECOND = "2026-10-15T10:00:00+02:00"
VISITED = "2026-10-08T09:00:00+02:00"  # the reader's last visit: between the two commits
WAIT = 30_000


def _git(repo: Path, date: str, *args: str) -> None:
    env = {
        "GIT_AUTHOR_NAME": "Erika Test",
        "GIT_AUTHOR_EMAIL": "erika@example.invalid",
        "GIT_COMMITTER_NAME": "Erika Test",
        "GIT_COMMITTER_EMAIL": "erika@example.invalid",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "GIT_CONFIG_GLOBAL": "/dev/null",
    }
    subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)


def _build(project: Path, site_url: str = "") -> Path:
    done = build(project, "--clean", env={"HANDBOOK_TODAY": "2026-11-22", "HANDBOOK_SITE_URL": site_url})
    assert done.returncode == 0, done.stderr[-4000:]
    return project / "site"


def _plans(project: Path, stem: str) -> dict:
    return yaml.safe_load((project / "plans" / f"{stem}.yml").read_text(encoding="utf-8"))


def _shown(items: list[dict]) -> list[dict]:
    """What the intranet build shows (confidential entries are left out)."""
    return [i for i in items if i.get("visibility", "internal") != "confidential"]


def _first_channel(project: Path) -> str:
    return _shown(_plans(project, "channels")["channels"])[0]["id"]


def _touch_channel(project: Path, channel: str) -> None:
    """A new review date for ``channel`` (a change its page shows in its review box)."""
    path = project / "plans" / "channels.yml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"- id: {channel}\n")
    at = text.index("reviewed: ", start) + len("reviewed: ")
    end = text.index("\n", at)
    path.write_text(text[:at] + "2026-10-15" + text[end:], encoding="utf-8")


class _Sites(http.server.SimpleHTTPRequestHandler):
    """Each site at its own sub-path of one origin; everything else is 404."""

    roots: ClassVar[dict[str, Path]] = {}

    def translate_path(self, path: str) -> str:
        url = urlsplit(path).path
        for prefix, root in self.roots.items():
            if url.startswith(prefix):
                return str(root / url[len(prefix) :])
        return "/nonexistent"

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def _serve(roots: dict[str, Path]) -> Iterator[str]:
    handler = functools.partial(type("Handler", (_Sites,), {"roots": roots}))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("progress")
    company = make_project(tmp / "company", ROOT / "plans")
    _git(company, FIRST, "init", "-q", "-b", "main")
    _git(company, FIRST, "add", "plans")
    _git(company, FIRST, "commit", "-q", "-m", "Plans")
    _build(company)
    club = make_project(tmp / "club", ROOT / "samples" / "sportverein" / "plans")
    _build(club)
    return {"company": company, "club": club}


@pytest.fixture(scope="module")
def origin(projects: dict[str, Path]) -> Iterator[str]:
    with _serve({prefix: projects[name] / "site" for prefix, name in SITES.items()}) as url:
        yield url


@pytest.fixture
def context(browser: Browser, origin: str) -> Iterator[BrowserContext]:
    context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin")
    context.set_default_timeout(WAIT)
    recorder = Recorder(origin + "/")
    recorder.attach(context)
    yield context
    foreign = recorder.foreign_hosts()
    # leaving a page before the search worker loaded its language aborts that request: not a fault
    problems = [p for p in recorder.problems if "net::ERR_ABORTED" not in p]
    context.close()
    assert not foreign, f"requests outside the site: {sorted(foreign)}"
    assert not problems, "\n".join(problems)


def _week_lists(page: Page):
    return page.locator(".hb-checklist")


def _progress(page: Page, index: int) -> str:
    return page.locator(".hb-checklist__progress").nth(index).inner_text().strip()


def _tick(page: Page, week: int, task: int) -> None:
    """A mouse click on the box the reader sees (Material draws it over the real checkbox)."""
    _click(page, page.locator(".hb-checklist").nth(week).locator("input[type=checkbox]").nth(task))


def _click(page: Page, box) -> None:
    box.scroll_into_view_if_needed()
    where = box.bounding_box()
    assert where is not None
    page.mouse.click(where["x"] + where["width"] / 2, where["y"] + where["height"] / 2)


def _weeks(project: Path) -> list[int]:
    weeks = sorted(_plans(project, "onboarding")["weeks"], key=lambda w: w["week"])
    return [len(_shown(w["tasks"])) for w in weeks]


# --- ticks -------------------------------------------------------------------------------------------


def test_ticks_survive_a_reload_with_exact_progress_per_week(
    context: BrowserContext, origin: str, projects: dict[str, Path]
) -> None:
    counts = _weeks(projects["company"])
    assert counts[0] >= 3, counts
    page = context.new_page()
    page.goto(origin + "/handbuch/schulungen/onboarding/")
    assert _week_lists(page).count() == len(counts)
    for i, n in enumerate(counts):
        assert _week_lists(page).nth(i).locator("input[type=checkbox]").count() == n
        assert _progress(page, i) == f"0 von {n} erledigt"
    _tick(page, 0, 0)
    _tick(page, 0, 2)
    _tick(page, 1, 0)
    assert _progress(page, 0) == f"2 von {counts[0]} erledigt"
    assert _progress(page, 1) == f"1 von {counts[1]} erledigt"
    page.reload()
    boxes = _week_lists(page).nth(0).locator("input[type=checkbox]")
    assert [boxes.nth(i).is_checked() for i in range(3)] == [True, False, True]
    assert _progress(page, 0) == f"2 von {counts[0]} erledigt"
    assert _progress(page, 1) == f"1 von {counts[1]} erledigt"
    # unticking is kept too
    _tick(page, 0, 0)
    page.reload()
    assert _progress(page, 0) == f"1 von {counts[0]} erledigt"
    # an accessible name, a real checkbox reachable by keyboard, a live status
    first = boxes.nth(0)
    week = min(_plans(projects["company"], "onboarding")["weeks"], key=lambda w: w["week"])
    task = " ".join(_shown(week["tasks"])[0]["task"].split())
    assert first.get_attribute("aria-label").startswith(task + " · Begleitung: ")
    first.focus()
    page.keyboard.press("Space")
    assert first.is_checked()
    assert page.locator(".hb-checklist__progress").nth(0).get_attribute("role") == "status"
    # nothing but the browser's own storage holds them, under this site's path
    keys = page.evaluate("Object.keys(localStorage)")
    assert "/handbuch/.handbook.ticks" in keys, keys


def test_a_second_site_on_the_same_host_does_not_share_ticks(
    context: BrowserContext, origin: str, projects
) -> None:
    counts = _weeks(projects["company"])
    page = context.new_page()
    page.goto(origin + "/handbuch/schulungen/onboarding/")
    _tick(page, 0, 1)
    assert _progress(page, 0) == f"1 von {counts[0]} erledigt"
    # the same handbook (the same tasks, the same keys) under another sub-path starts empty
    page.goto(origin + "/zweites/schulungen/onboarding/")
    assert _progress(page, 0) == f"0 von {counts[0]} erledigt"
    assert not _week_lists(page).nth(0).locator("input[type=checkbox]").nth(1).is_checked()
    club = _weeks(projects["club"])
    page.goto(origin + "/verein/schulungen/onboarding/")
    assert [_progress(page, i) for i in range(len(club))] == [f"0 von {n} erledigt" for n in club]
    _tick(page, 0, 0)
    page.goto(origin + "/handbuch/schulungen/onboarding/")
    assert _progress(page, 0) == f"1 von {counts[0]} erledigt"
    page.goto(origin + "/verein/schulungen/onboarding/")
    assert _progress(page, 0) == f"1 von {club[0]} erledigt"


@pytest.mark.parametrize("name", ["company", "club"])
def test_self_checks_of_a_module_are_ticked_and_kept(context: BrowserContext, origin, projects, name) -> None:
    modules = [m for m in _shown(_plans(projects[name], "training")["modules"]) if m.get("self_check")]
    module = modules[0]
    prefix = next(p for p, n in SITES.items() if n == name)
    page = context.new_page()
    page.goto(f"{origin}{prefix}schulungen/{module['id']}/")
    n = len(module["self_check"])
    status = page.locator(".hb-checklist__progress")
    assert status.inner_text().strip() == f"0 von {n} Fragen sicher beantwortet"
    page.locator("details.question summary").first.click()
    _click(page, page.get_by_label("Frage 1 sicher beantwortet"))
    assert status.inner_text().strip() == f"1 von {n} Fragen sicher beantwortet"
    page.reload()
    assert status.inner_text().strip() == f"1 von {n} Fragen sicher beantwortet"
    assert page.get_by_label("Frage 1 sicher beantwortet").is_checked()


def test_from_disk_ticks_are_kept(browser: Browser, projects: dict[str, Path]) -> None:
    context = browser.new_context(locale="de-DE")
    try:
        page = context.new_page()
        url = (projects["club"] / "site" / "schulungen" / "onboarding" / "index.html").as_uri()
        page.goto(url)
        n = _weeks(projects["club"])[0]
        _tick(page, 0, 0)
        page.reload()
        assert _progress(page, 0) == f"1 von {n} erledigt"
    finally:
        context.close()


def test_without_javascript_a_plain_list(browser: Browser, origin: str, projects: dict[str, Path]) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(origin + "/handbuch/schulungen/onboarding/")
        counts = _weeks(projects["company"])
        assert page.locator(".hb-checklist li").count() == sum(counts)
        assert page.locator(".hb-checklist__progress").first.is_hidden()
        assert page.locator(".hb-checklist input[type=checkbox]").first.is_disabled()
    finally:
        context.close()


# --- changed since the last visit ---------------------------------------------------------------------


def _epoch(moment: str) -> int:
    return int(datetime.fromisoformat(moment).timestamp())


def test_pages_changed_since_the_last_visit_are_marked(
    browser: Browser, context: BrowserContext, origin: str, projects: dict[str, Path]
) -> None:
    company = projects["company"]
    channel = _first_channel(company)
    url = f"{origin}/handbuch/kanaele/{channel}/"
    page = context.new_page()
    page.goto(url)
    assert page.locator(".hb-changed-note, .hb-changed-badge").count() == 0  # first visit
    assert page.evaluate("JSON.parse(localStorage.getItem('/handbuch/.handbook.lastVisit'))") > 0
    # the reader was here on 8 October; on 15 October the channel's data changed and was published
    page.evaluate(f"localStorage.setItem('/handbuch/.handbook.lastVisit', '{_epoch(VISITED)}')")
    _touch_channel(company, channel)
    _git(company, SECOND, "commit", "-q", "-am", "New review date")
    _build(company)
    changes = (company / "site" / "assets" / "changes.js").read_text(encoding="utf-8")
    assert f'"kanaele/{channel}/": {_epoch(SECOND)}' in changes
    assert f'"kanaele/": {_epoch(SECOND)}' in changes

    later = context.new_page()  # a new visit (a new browser session)
    later.goto(url)
    note = later.locator("article .hb-changed-note")
    assert note.inner_text() == "Seit dem letzten Besuch geändert (am 15.10.2026)."
    tab = later.locator(".md-tabs__link .hb-changed-badge, .md-nav__link .hb-changed-badge")
    assert tab.count() >= 1 and tab.first.inner_text() == "geändert"
    marked = later.locator("a:has(.hb-changed-badge)")
    hrefs = {
        later.evaluate("a => new URL(a.href).pathname", marked.nth(i).element_handle())
        for i in range(marked.count())
    }
    assert hrefs <= {"/handbuch/kanaele/", f"/handbuch/kanaele/{channel}/"}, hrefs
    assert "/handbuch/kanaele/" in hrefs
    later.add_script_tag(path=str(AXE_JS))  # legible also in Material's dimmed tabs
    found = later.evaluate("axe.run(document, {runOnly: ['color-contrast'], resultTypes: ['violations']})")
    assert [n["html"] for v in found["violations"] for n in v["nodes"] if "hb-changed" in n["html"]] == []
    # within the same visit the marks stay; a page whose data did not change has no note
    later.goto(origin + "/handbuch/ziele/")
    assert later.locator("article .hb-changed-note").count() == 0
    assert later.locator(".md-tabs__link:has(.hb-changed-badge)").count() == 1
    # the next visit compares with this one: nothing is new any more
    again = context.new_page()
    again.goto(url)
    assert again.locator(".hb-changed-note, .hb-changed-badge").count() == 0

    fresh = browser.new_context(locale="de-DE")  # someone who never came: nothing is marked
    try:
        first = fresh.new_page()
        first.goto(url)
        assert first.locator(".hb-changed-note, .hb-changed-badge").count() == 0
    finally:
        fresh.close()


# --- build side ---------------------------------------------------------------------------------------


def test_page_keys_and_times() -> None:
    assert plans_of("---\nplans: crisis\n---\n# X\n") == ["crisis"]
    assert plans_of("---\nplans: [a, b]\n---\n") == ["a", "b"]
    assert plans_of("# no front matter\n") == []
    assert page_keys("kanaele/youtube.md", None) == ["record:channel:youtube"]
    assert page_keys("kanaele/index.md", None) == ["kind:channel"]
    assert page_keys("krisenmanagement.md", "---\nplans: crisis\n---\n") == ["file:crisis"]
    assert page_keys("glossar.md", "# Glossar\n") == []
    times = page_times(
        [("kanaele/youtube.md", "kanaele/youtube/", None), ("glossar.md", "glossar/", "")],
        {"record:channel:youtube": 5, "kind:channel": 7},
    )
    assert times == {"kanaele/youtube/": 5}
    assert changes_script({"a</script>/": 1}) == (
        'window.handbookChanges = {"pages": {"a\\u003c/script\\u003e/": 1}};\n'
    )


CHANNELS = """channels:
  - id: open
    name: Offen
    platform: LinkedIn
    purpose: Zweck
  - id: secret
    visibility: confidential
    name: Geheim
    platform: LinkedIn
    purpose: Zweck
"""


def test_a_change_the_audience_may_not_see_leaves_no_trace() -> None:
    before = Snapshot.load({"channels.yml": CHANNELS}, method=False)
    after = Snapshot.load({"channels.yml": CHANNELS.replace("Geheim", "Streng geheim")}, method=False)
    assert changed_keys(before, after, "internal") == set()
    assert changed_keys(before, after, "confidential") == {
        "file:channels",
        "record:channel:secret",
        "kind:channel",
    }
    opened = Snapshot.load({"channels.yml": CHANNELS.replace("Offen", "Offen, neu")}, method=False)
    assert changed_keys(before, opened, "internal") == {
        "file:channels",
        "record:channel:open",
        "kind:channel",
    }


def test_with_instant_navigation(browser: Browser, tmp_path: Path) -> None:
    """Material's instant loading replaces the page without loading scripts again: the checklists
    of a page reached that way work too."""
    project = make_project(tmp_path / "instant", ROOT / "samples" / "sportverein" / "plans")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    features = "  features:\n    - navigation.instant\n    - navigation.tabs\n    - navigation.sections\n"
    config.write_text(
        text.replace("  name: material\n", "  name: material\n" + features, 1), encoding="utf-8"
    )
    n = _weeks(project)[0]
    context = browser.new_context(locale="de-DE")
    context.set_default_timeout(WAIT)
    try:
        with _serve({"/verein/": project / "site"}) as origin:
            _build(project, origin + "/verein/")  # instant loading follows the sitemap: its exact address
            page = context.new_page()
            page.goto(origin + "/verein/schulungen/")
            page.evaluate("window.hbLoadedOnce = true")  # gone if the next page is a full load
            page.locator('.md-sidebar--primary a[href$="schulungen/onboarding/"]:visible').first.click()
            page.wait_for_url("**/schulungen/onboarding/")
            page.locator(".hb-checklist__progress").first.wait_for()
            assert page.evaluate("window.hbLoadedOnce === true"), "instant navigation did not happen"
            assert _progress(page, 0) == f"0 von {n} erledigt"
            _tick(page, 0, 0)
            assert _progress(page, 0) == f"1 von {n} erledigt"
            page.reload()
            assert _progress(page, 0) == f"1 von {n} erledigt"
    finally:
        context.close()
