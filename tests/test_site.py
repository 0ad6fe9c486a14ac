"""The built handbook: strict builds, concrete content, generated pages, escaping."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from macros.checks.check import check

from .conftest import ROOT
from .loaded_urls import foreign, scan_site, scan_text
from .site_support import build, make_project, page, repository
from .site_support import visible_text as _text

MINI = ROOT / "tests" / "fixtures" / "mini" / "plans"


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("sample"), ROOT / "plans")
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return project / "site"


@pytest.fixture(scope="module")
def sample_plan():
    result = check(ROOT / "plans")
    assert result.plan is not None
    return result.plan


def test_every_section_has_a_page(sample_site: Path) -> None:
    for path in [
        "",
        "strategie",
        "organisation",
        "ziele",
        "analyse",
        "massnahmen",
        "zielgruppen",
        "kanaele",
        "content-marketing",
        "krisenmanagement",
        "verbesserung",
        "prozesse",
        "richtlinien",
        "schulungen",
        "schulungen/onboarding",
        "glossar",
        "ueber",
    ]:
        assert (sample_site / path / "index.html").is_file(), path


def test_target_group_page_lists_its_goals_channels_and_measures(sample_site: Path, sample_plan) -> None:
    group = next(g for g in sample_plan.target_groups if sample_plan.referrers(g, "channel"))
    text = _text(page(sample_site, f"zielgruppen/{group.id}"))
    assert text.startswith(f"{group.name} ¶") or group.name in text[:200]
    goals = sample_plan.referrers(group, "goal")
    channels = sample_plan.referrers(group, "channel")
    measures = sample_plan.referrers(group, "measure")
    assert goals and channels
    for record in goals:
        assert record.title in text
    for record in channels:
        assert record.name in text
    for record in measures:
        assert record.title in text
    html = page(sample_site, f"zielgruppen/{group.id}")
    for record in channels:
        assert f'href="../../kanaele/{record.id}/"' in html


def test_goal_links_back_to_its_target_groups(sample_site: Path, sample_plan) -> None:
    html = page(sample_site, "ziele")
    for goal in sample_plan.goals:
        assert f'id="ziel-{goal.id}"' in html
        for group_id in goal.target_groups:
            assert f'href="../zielgruppen/{group_id}/"' in html


def test_channel_page_shows_tone_culture_and_owner(sample_site: Path, sample_plan) -> None:
    channel = next(c for c in sample_plan.channels if c.culture)
    text = _text(page(sample_site, f"kanaele/{channel.id}"))
    assert "Tonalität" in text and "Kultur und Etikette" in text
    for item in channel.culture:
        assert item in text
    assert sample_plan.get("role", channel.owner).name in text


def test_generated_page_shows_owner_review_and_edit_link(sample_site: Path, sample_plan) -> None:
    html = page(sample_site, "prozesse/" + sample_plan.processes[0].id)
    assert 'class="hb-review"' in html
    assert "Zuletzt geprüft:" in html
    assert "/edit/main/plans/processes.yml" in html


def test_footer_shows_data_version(sample_site: Path) -> None:
    assert "Datenstand:" in page(sample_site, "")


def test_glossary_terms_become_tooltips(sample_site: Path, sample_plan) -> None:
    term = sample_plan.terms[0]
    found = [
        p
        for p in sample_site.rglob("*.html")
        if f'<abbr title="{" ".join(term.definition.split())}"' in p.read_text(encoding="utf-8")
    ]
    assert found, f"no page marks '{term.term}' as a glossary term"


def test_search_index_is_german_and_has_generated_pages(sample_site: Path, sample_plan) -> None:
    index = json.loads((sample_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["de"]
    locations = {doc["location"] for doc in index["docs"]}
    for group in sample_plan.target_groups:
        assert f"zielgruppen/{group.id}/" in locations


# Absolute URLs in the theme's JavaScript, with what makes it fetch them. Each condition is
# checked against this build below; the browser tests record every request on top.
SCRIPT_URLS = {
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js": "a page with a Mermaid diagram (pre.mermaid)",
    "https://unpkg.com/resize-observer-polyfill": "a browser without ResizeObserver (no current one)",
    "https://api.github.com/users/${e}": "a repo_url on github.com",
    "https://api.github.com/repos/${e}/${t}": "a repo_url on github.com",
    "https://${e}/api/v4/projects/${encodeURIComponent(t)}": "a repo_url on a host named *gitlab*",
}


def test_nothing_loads_from_another_host(sample_site: Path) -> None:
    """Every URL the built files make a browser fetch by itself is relative or data: (no CDN,
    no web font, no tracker); links a person clicks (<a href>) may go anywhere."""
    found = scan_site(sample_site)
    loaded = {(path, url) for path, f in found.items() for url in f.loaded}
    assert [f"{path}: {url}" for path, url in sorted(loaded) if foreign(url)] == []
    # The scan sees what a page loads: the theme's script and style sheets, the icon, CSS url()s.
    start = {url.split("/")[-1].split(".")[0] for url in found["index.html"].loaded}
    assert {"bundle", "main", "palette", "handbook", "favicon"} <= start
    assert any(url.startswith("data:image/svg+xml") for path, url in loaded if path.endswith(".css"))
    # References are seen too (so they are told apart, not overlooked): the repository link.
    assert repository()[0] in found["index.html"].references


def test_scripts_fetch_nothing_from_another_host_in_this_build(sample_site: Path) -> None:
    found = scan_site(sample_site)
    written = {url for f in found.values() for url in f.script_urls if foreign(url)}
    assert written == set(SCRIPT_URLS), "an absolute URL in a script: add it with its condition"
    html = "".join(p.read_text(encoding="utf-8") for p in sample_site.rglob("*.html"))
    assert not re.search(r"<pre[^>]*\bclass=\"[^\"]*\bmermaid\b", html)
    repo_url = repository()[0]
    # The theme's own tests for a repository whose facts it fetches (Material's bundle).
    assert not re.match(r"^.+github\.com/([^/]+)/?([^/]+)?", repo_url, re.IGNORECASE)
    assert not re.match(r"^.+?([^/]*gitlab[^/]+)/(.+?)/?$", repo_url, re.IGNORECASE)


@pytest.mark.parametrize(
    ("suffix", "text", "loaded"),
    [
        (".html", '<script src="https://cdn.example/x.js"></script>', "https://cdn.example/x.js"),
        (".html", '<link rel="stylesheet" href="//fonts.example/css">', "//fonts.example/css"),
        (".html", '<link rel="preconnect" href="https://fonts.example">', "https://fonts.example"),
        (".html", '<link rel="shortcut icon" href="http://x.example/i.ico">', "http://x.example/i.ico"),
        (".html", '<img alt="" srcset="a.png 1x, https://x.example/b.png 2x">', "https://x.example/b.png"),
        (".html", '<iframe src="https://video.example/embed"></iframe>', "https://video.example/embed"),
        (
            ".html",
            '<div style="background: url(https://x.example/bg.png)"></div>',
            "https://x.example/bg.png",
        ),
        (".html", "<style>@import 'https://x.example/a.css';</style>", "https://x.example/a.css"),
        (".svg", '<svg><image href="https://x.example/p.png"/></svg>', "https://x.example/p.png"),
        (".xml", '<?xml-stylesheet href="https://x.example/s.xsl"?><urlset/>', "https://x.example/s.xsl"),
        (".css", "@font-face{src:url('https://fonts.example/f.woff2')}", "https://fonts.example/f.woff2"),
        (".css", '@import url("https://x.example/b.css");', "https://x.example/b.css"),
    ],
)
def test_the_scan_finds_what_a_browser_would_load(suffix: str, text: str, loaded: str) -> None:
    found = scan_text(suffix, text)
    assert loaded in found.loaded
    assert foreign(loaded)


def test_the_scan_tells_links_and_local_urls_apart() -> None:
    found = scan_text(
        ".html", '<a href="https://x.example/">x</a><link rel="canonical" href="https://y.example/">'
    )
    assert found.loaded == []
    assert found.references == ["https://x.example/", "https://y.example/"]
    script = scan_text(".js", 'fetch("https://api.example/v1");let u=`//cdn.example/${x}`;// https://comment')
    assert script.script_urls == ["https://api.example/v1", "//cdn.example/${x}"]
    assert [foreign(u) for u in ["../a.css", "/handbuch/a.css", "data:image/png;base64,AA", "#top"]] == [
        False
    ] * 4
    assert foreign("https://intranet.example/handbuch/a.css", "https://intranet.example/handbuch/") is False
    assert foreign("https://other.example/a.css", "https://intranet.example/handbuch/") is True


def test_adding_a_channel_adds_page_nav_and_search_entry(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", MINI)
    channels = project / "plans" / "channels.yml"
    channels.write_text(
        channels.read_text(encoding="utf-8")
        + """  - id: podcast
    name: Messtechnik-Podcast
    platform: Podcast
    status: planned
    purpose: Gespräche über Prüfgeräte mit dem Zungenbrecher Kalibrierplakette.
    target_groups: [makers]
    tone: {address: du, description: Im Gespräch.}
    frequency: 1 Folge pro Monat
    owner: lead
    reviewed: 2026-06-01
""",
        encoding="utf-8",
    )
    result = build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    html = page(site, "kanaele/podcast")
    assert "Messtechnik-Podcast" in html
    nav_link = re.search(r'<a href="podcast/" class="md-nav__link', page(site, "kanaele"))
    assert nav_link, "the new channel is missing from the navigation"
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    entries = [d for d in index["docs"] if d["location"].startswith("kanaele/podcast/")]
    assert any("Kalibrierplakette" in d["text"] for d in entries)


HOSTILE = {
    "Leute, die selbst messen.": "<script>alert('xss')</script> {{ 7*7 }} {% if true %}JINJA{% endif %}",
    "Anleitungen veröffentlichen.": "[klick](javascript:alert(1)) **fett** <img src=x onerror=alert(1)>",
    "Bastler": "Bastler & <b>Tüftler</b> {# Kommentar #}",
    "Testblog": (
        "Blog SUM{{ 7*7 }} RCE{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }} {% raw %}"
    ),
}


def test_hostile_strings_are_rendered_literally(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", MINI)
    for name in ("target-groups.yml", "channels.yml"):
        path = project / "plans" / name
        text = path.read_text(encoding="utf-8")
        for old, new in HOSTILE.items():
            text = text.replace(f" {old}\n", f" {json.dumps(new, ensure_ascii=False)}\n")
        path.write_text(text, encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    group = page(site, "zielgruppen/makers")
    channel = page(site, "kanaele/blog")
    assert "<script>alert" not in group and "<b>Tüftler</b>" not in group
    assert "Bastler &amp; &lt;b&gt;Tüftler&lt;/b&gt;" in group  # the nav entry, escaped
    assert (
        "<title>Bastler &amp; &lt;b&gt;Tüftler&lt;/b&gt; {# Kommentar #} - Social-Media-Handbuch</title>"
        in group
    )
    assert "<img src=x" not in channel and 'href="javascript:' not in channel
    text = _text(group)
    assert "<script>alert('xss')</script> {{ 7*7 }} {% if true %}JINJA{% endif %}" in text
    assert "Bastler & <b>Tüftler</b> {# Kommentar #}" in text
    assert "[klick](javascript:alert(1)) **fett** <img src=x onerror=alert(1)>" in _text(channel)
    # A title with template syntax is neither executed nor rendered (nav, title, prev/next, H1).
    assert not (project / "PWNED").exists()
    assert "SUM49" not in channel and "SUM49" not in page(site, "")
    assert "Blog SUM{{ 7*7 }}" in _text(channel)
    assert (
        "<title>Blog SUM{{ 7*7 }} RCE{{ cycler.__init__.__globals__.os.popen(&#39;touch PWNED&#39;)"
        in channel
    )


def test_data_error_stops_build_and_keeps_previous_site(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", MINI)
    assert build(project).returncode == 0
    marker = project / "site" / "index.html"
    before = marker.read_text(encoding="utf-8")
    goals = project / "plans" / "goals.yml"
    goals.write_text(goals.read_text(encoding="utf-8").replace("[makers]", "[makres]"), encoding="utf-8")
    result = build(project)
    assert result.returncode == 1
    assert "plans/goals.yml:11:21: goals[0].target_groups[0]: unknown target group 'makres'" in result.stderr
    assert "hint: did you mean 'makers'?" in result.stderr
    assert "Traceback" not in result.stderr
    assert marker.read_text(encoding="utf-8") == before


def test_different_plans_build_without_code_changes(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", MINI)
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert "Testfirma Mini GmbH" in page(project / "site", "")
    groups = sorted(p.name for p in (project / "site" / "zielgruppen").iterdir() if p.is_dir())
    assert groups == ["makers"]  # the mini plans' only target group, none from plans/


def test_plans_are_loaded_once_per_build(tmp_path: Path) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    import macros.site.build

    project = make_project(tmp_path / "p", MINI)
    before = macros.site.build.load_count()
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    mkdocs_build(config)
    assert macros.site.build.load_count() - before == 1
    shutil.rmtree(project / "site")


def test_builds_are_reproducible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    project = make_project(tmp_path / "p", MINI)
    digests = []
    for name in ("a", "b"):
        result = build(project, "-d", str(tmp_path / name))
        assert result.returncode == 0, result.stderr
        root = tmp_path / name
        digests.append(
            {
                p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*"))
                if p.is_file()
            }
        )
    assert digests[0] == digests[1]
    assert "search/search_index.json" in digests[0]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ("{{ undefined_variable }}", "4: 'undefined_variable' is not a macro or variable of the handbook"),
        ("{{ shwo('goals') }}", "4: 'shwo' is not a macro or variable of the handbook"),
        ("{{ show('gaols') }}", "9: unknown fragment 'gaols'; known: channels, "),
        ("{{ visual('gantt') }}", "11: visual: unknown visual 'gantt'; known: coverage, "),
    ],
)
def test_typo_in_a_macro_call_fails_the_build(tmp_path: Path, call: str, message: str) -> None:
    project = make_project(tmp_path / "p", MINI)
    page_file = project / "content" / "ziele.md"
    text = page_file.read_text(encoding="utf-8")
    page_file.write_text(text + f"\n{call}\n", encoding="utf-8")
    result = build(project)
    assert result.returncode != 0
    line = len((text + "\n").splitlines()) + 1
    assert f"content/ziele.md:{line}:{message}" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_a_minimal_plan_builds_with_empty_states(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", ROOT / "tests" / "cases" / "valid" / "minimal-strict" / "plans")
    result = build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    assert "Noch keine Ziele erfasst (plans/goals.yml)." in _text(page(site, "ziele"))
    assert "Die Matrix erscheint, sobald Zielgruppen erfasst sind" in _text(page(site, "zielgruppen"))
    assert "Noch kein Krisenplan erfasst (plans/crisis.yml)." in _text(page(site, "krisenmanagement"))
    assert not list((site / "kanaele").glob("*/index.html"))


def test_confidential_records_stay_out_of_the_intranet_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path / "p", MINI)
    groups = project / "plans" / "target-groups.yml"
    groups.write_text(
        groups.read_text(encoding="utf-8")
        + """  - id: investors
    name: Geheime Investorenrunde
    type: stakeholders
    priority: low
    description: Nur für die Geschäftsführung.
    visibility: confidential
    owner: lead
    reviewed: 2026-06-01
""",
        encoding="utf-8",
    )
    result = build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    assert not (site / "zielgruppen" / "investors").exists()
    everything = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    everything += (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Geheime Investorenrunde" not in everything
    assert "Ausgabe: intern, 1 Eintrag mit engerem Leserkreis ausgeblendet" in page(site, "")

    monkeypatch.setenv("HANDBOOK_AUDIENCE", "confidential")
    result = build(project, "-d", str(tmp_path / "all"))
    assert result.returncode == 0, result.stderr
    assert "Geheime Investorenrunde" in page(tmp_path / "all", "zielgruppen/investors")
    assert "Ausgabe: vertraulich" in page(tmp_path / "all", "")


def test_unknown_audience_stops_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path / "p", MINI)
    monkeypatch.setenv("HANDBOOK_AUDIENCE", "intern")
    result = build(project)
    assert result.returncode == 1
    assert (
        "unknown audience 'intern' (extra.audience / HANDBOOK_AUDIENCE); "
        "use one of: public, internal, confidential" in result.stderr
    )


def test_glossary_tooltips_stay_out_of_headings_and_links(sample_site: Path) -> None:
    heading_or_link = re.compile(r"<(h[1-6]|a)\b[^>]*>(.*?)</\1>", re.DOTALL)
    offenders = [
        f"{p.relative_to(sample_site)}: {m.group(0)[:80]}"
        for p in sample_site.rglob("*.html")
        for m in heading_or_link.finditer(p.read_text(encoding="utf-8"))
        if "<abbr" in m.group(2)
    ]
    assert offenders == []
    # ... and they are there, in the text (so the check above is not empty).
    assert any("<abbr" in p.read_text(encoding="utf-8") for p in sample_site.rglob("*.html"))


def test_data_pages_link_to_their_yaml(sample_site: Path, sample_plan) -> None:
    repo_url, edit_uri = repository()
    edit = f"{repo_url.rstrip('/')}/{edit_uri.strip('/').removesuffix('content')}plans/"
    assert f'Daten: <a href="{edit}strategy.yml">plans/strategy.yml</a>' in page(sample_site, "strategie")
    html = page(sample_site, f"zielgruppen/{sample_plan.target_groups[0].id}")
    assert f'Daten: <a href="{edit}target-groups.yml">plans/target-groups.yml</a>' in html


def test_every_link_within_the_site_leads_to_a_page(sample_site: Path) -> None:
    """Links in pages, charts included (raw HTML, which MkDocs does not rewrite from .md paths),
    lead to a file of the built site."""
    broken = []
    for built in sorted(sample_site.rglob("*.html")):
        for href in re.findall(r'<a\s[^>]*?href="([^"]*)"', built.read_text(encoding="utf-8")):
            target = html.unescape(href).split("#", 1)[0].split("?", 1)[0]
            if not target or re.match(r"[a-z][a-z0-9+.-]*:|//", target):
                continue  # this page, or another site
            base = sample_site if target.startswith("/") else built.parent  # 404.html: from the root
            resolved = (base / target.lstrip("/")).resolve()
            if not (resolved.is_file() or (resolved / "index.html").is_file()):
                broken.append(f"{built.relative_to(sample_site)}: {href}")
    assert not broken, "\n".join(broken)
