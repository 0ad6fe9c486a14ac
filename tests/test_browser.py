"""End-to-end tests in a real browser (Debian's Chromium driven by Playwright).

The site is built once, strictly, into a temporary directory and served from 127.0.0.1 under the
sub-path /handbuch/, as on an intranet server that hosts several sites: every link, asset, search
index and worker must resolve relative to that sub-path.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from playwright.sync_api import Browser, BrowserContext, Page

from .browser_support import (
    AXE_JS,
    PREFIX,
    ROOT,
    Recorder,
    abbreviations,
    build_site,
    html_file,
    page_paths,
    pdf_text,
    serve,
    site_words,
    url_path,
    wait_for_search_ready,
    words,
)
from .site_support import generated_pages

PLANS = ROOT / "plans"
VIEWPORT = {"width": 1280, "height": 900}
WAIT = 30_000  # ms: the longest any single wait for an element or condition may take (CI is shared)


def plans(stem: str) -> dict:
    return yaml.safe_load((PLANS / f"{stem}.yml").read_text(encoding="utf-8"))


def records(stem: str, key: str) -> list[dict]:
    """The records the intranet build shows: confidential ones are left out of it."""
    return [r for r in plans(stem)[key] if r.get("visibility", "internal") != "confidential"]


# Generated page kinds: (URL folder, plans file, list key, field shown as H1).
KINDS = {
    "target_group": ("zielgruppen", "target-groups", "target_groups", "name"),
    "channel": ("kanaele", "channels", "channels", "name"),
    "process": ("prozesse", "processes", "processes", "name"),
    "module": ("schulungen", "training", "modules", "title"),
    "guideline": ("richtlinien", "guidelines", "guidelines", "title"),
}


def first_record(site: Path, kind: str) -> tuple[str, str]:
    """(URL path, expected H1) of the first record of a kind, in plans order, that has a built page."""
    folder, stem, key, title = KINDS[kind]
    for record in records(stem, key):
        path = f"{folder}/{record['id']}/"
        if (site / path / "index.html").is_file():
            return path, " ".join(record[title].split())
    raise AssertionError(f"no page was built for any {kind} in plans/{stem}.yml")


# --- fixtures ----------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(tmp_path_factory.mktemp("browser") / "site")


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


@pytest.fixture
def recorder(base_url: str) -> Recorder:
    return Recorder(base_url)


@pytest.fixture
def context(browser: Browser, recorder: Recorder) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=VIEWPORT, locale="de-DE", timezone_id="Europe/Berlin")
    context.set_default_timeout(WAIT)
    recorder.attach(context)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def assert_clean(recorder: Recorder) -> None:
    if recorder.problems:
        pytest.fail("the browser reported problems:\n" + "\n".join(recorder.problems))


def axe_version(result: dict) -> str:
    return result.get("testEngine", {}).get("version", "?")


def visit(page: Page, url: str) -> None:
    """Open url and wait until the page is quiet: loaded, and the search worker ready (leaving
    earlier would cancel its requests)."""
    page.goto(url)
    wait_for_search_ready(page)


def h1(page: Page) -> str:
    return " ".join(page.locator("article h1").first.inner_text().replace("¶", "").split())


@pytest.fixture(scope="session")
def crawl(browser: Browser, site: Path, base_url: str) -> tuple[Recorder, list[str]]:
    """Visit every built page once; record errors, failed requests and every request URL."""
    context = browser.new_context(viewport=VIEWPORT, locale="de-DE")
    context.set_default_timeout(WAIT)
    recorder = Recorder(base_url)
    recorder.attach(context)
    page = context.new_page()
    visited = []
    try:
        for path in page_paths(site):
            url = base_url + path
            response = page.goto(url, wait_until="load")
            if response is None or response.status != 200:
                recorder.problems.append(f"{url}: HTTP {response.status if response else 'no response'}")
                continue
            # The search worker loads the index and the German language scripts after "load":
            # waiting for it to be ready catches errors there too.
            wait_for_search_ready(page)
            if page.locator("article h1").count() != 1:
                recorder.problems.append(f"{url}: expected exactly one H1 in the article")
            # Links to this server must stay below the sub-path (a root-absolute link would not).
            escaping = page.evaluate(
                """(base) => [...document.querySelectorAll('a[href], link[href], script[src], img[src]')]
                    .map(e => new URL(e.getAttribute('href') ?? e.getAttribute('src'), document.baseURI).href)
                    .filter(u => u.startsWith(location.origin) && !u.startsWith(base))""",
                base_url,
            )
            recorder.problems += [f"{url}: link outside {PREFIX}: {link}" for link in escaping]
            visited.append(path)
    finally:
        context.close()
    return recorder, visited


# --- every page -------------------------------------------------------------------------------------


def test_every_page_loads_without_errors(crawl: tuple[Recorder, list[str]], site: Path) -> None:
    recorder, visited = crawl
    # Every built page answered: the written ones, one per record and the error page.
    assert visited == page_paths(site), f"only {len(visited)} pages answered: {visited}"
    generated = [path.removesuffix("index.html") for path in generated_pages(PLANS)]
    written = list((ROOT / "content").rglob("*.md"))
    assert set(generated) <= set(visited) and len(visited) == len(written) + len(generated) + 1
    for kind in KINDS:
        folder = KINDS[kind][0]
        assert any(p.startswith(folder + "/") and p != folder + "/" for p in visited), f"no {kind} page"
    if recorder.problems:
        pytest.fail(
            f"{len(recorder.problems)} problem(s) on {len(visited)} pages:\n" + "\n".join(recorder.problems)
        )


def test_no_request_leaves_the_server(crawl: tuple[Recorder, list[str]], base_url: str) -> None:
    recorder, _ = crawl
    # Every request is recorded, the search worker's too (index and language scripts): a CDN,
    # web font or tracker asked for by a page, a style sheet or the worker would show here.
    paths = {url_path(url) for url in recorder.urls}
    assert {
        PREFIX + "search/search_index.json",
        PREFIX + "assets/javascripts/lunr/min/lunr.de.min.js",
    } <= paths
    assert recorder.foreign_hosts() == set()
    # Under a sub-path, a root-absolute link would escape it (and 404): everything stays below it.
    outside = sorted({u for u in recorder.urls if u.startswith("http") and not u.startswith(base_url)})
    assert outside == []


# --- search -----------------------------------------------------------------------------------------


def _word_unique_to_one_target_group(site: Path) -> tuple[str, str, str]:
    """(group id, word, shorter inflected form): the word is written only in that group's record of
    plans/target-groups.yml and, checked in the built HTML, no other page has a word starting with the
    inflected form -- so Material's prefix search can only find that group's page."""
    groups = records("target-groups", "target_groups")

    def texts(value: object) -> Iterator[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from texts(item)
        elif isinstance(value, list):
            for item in value:
                yield from texts(item)

    pages = site_words(site)
    for group in groups:
        target = f"zielgruppen/{group['id']}/"
        others = set().union(*(words(" ".join(texts(g))) for g in groups if g is not group))
        own = {w for text in texts(group) for w in re.findall(r"[^\W\d_]+", text)}
        # Long nouns with an inflectional ending; the shorter form is also German (…gesprächen -> …gespräche).
        for word in sorted(own, key=lambda w: (-len(w), w)):
            stem = word[:-1]
            if not (word[0].isupper() and len(word) >= 10 and word.endswith(("en", "e", "s"))):
                continue
            if word.lower() in others or word.lower() not in pages[target]:
                continue
            elsewhere = [
                p for p, ws in pages.items() if p != target and any(w.startswith(stem.lower()) for w in ws)
            ]
            if not elsewhere:
                return group["id"], word, stem
    raise AssertionError("no word in plans/target-groups.yml is unique to one target group's page")


def _search(page: Page, query: str) -> list[str]:
    """Type query into the search box like a person (replacing what is there); the result links."""
    box = page.get_by_placeholder("Suche")
    box.click()
    box.press("Control+A")
    box.press("Backspace")
    box.press_sequentially(query)
    # Results follow each keystroke; a result link's highlight parameter (h=) names the query it
    # answers, so this waits for the answer to the whole query, not to a prefix typed on the way.
    # "Keine Suchergebnisse" names no query: it may belong to a prefix on a loaded machine, so the
    # answer must also have stayed the same for half a second.
    page.wait_for_function(
        """(query) => {
            const links = [...document.querySelectorAll('.md-search-result__item a')].map(a => a.href);
            const meta = document.querySelector('.md-search-result__meta').textContent;
            const key = JSON.stringify([links, meta]);
            if (window.__hbAnswer !== key) {
                window.__hbAnswer = key;
                window.__hbSince = Date.now();
                return false;
            }
            const answered = links.some(h => new URL(h).searchParams.get('h') === query.toLowerCase())
                || /keine/i.test(meta);
            return answered && Date.now() - window.__hbSince >= 500;
        }""",
        arg=query,
        polling=100,
    )
    return [a.get_attribute("href") or "" for a in page.locator(".md-search-result__item > a").all()]


def test_german_search_finds_the_only_page_with_a_word(
    page: Page, recorder: Recorder, site: Path, base_url: str
) -> None:
    config = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]
    assert config["lang"] == ["de"], f"search is not configured for German: {config}"
    group, word, inflected = _word_unique_to_one_target_group(site)
    expected = PREFIX + f"zielgruppen/{group}/"
    visit(page, base_url)
    links = _search(page, word)
    assert links, f"searching {word!r} found nothing"
    assert url_path(links[0]) == expected, f"searching {word!r}: first result {links[0]}, not {expected}"
    assert {url_path(link) for link in links} == {expected}

    # An inflected form (here the shorter one, e.g. plural for dative plural) finds the page too.
    # Material appends a wildcard to every query term and lunr leaves wildcard terms unstemmed, so
    # German search works on prefixes: a longer form than the indexed word is not found.
    links = _search(page, inflected)
    assert links, f"searching the inflected form {inflected!r} (of {word!r}) found nothing"
    assert url_path(links[0]) == expected
    assert_clean(recorder)


# --- navigation -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("tab", "kind"), [("Kanäle", "channel"), ("Schulungen", "module")])
def test_navigate_by_clicks_from_the_start_page(
    page: Page, recorder: Recorder, site: Path, base_url: str, tab: str, kind: str
) -> None:
    path, title = first_record(site, kind)
    folder = KINDS[kind][0]
    visit(page, base_url)
    page.locator(".md-tabs").get_by_role("link", name=tab, exact=True).click()
    page.wait_for_url(base_url + folder + "/")
    wait_for_search_ready(page)
    assert page.locator("article h1").count() == 1

    page.locator("article").get_by_role("link", name=title, exact=True).first.click()
    page.wait_for_url(base_url + path)
    wait_for_search_ready(page)
    assert url_path(page.url) == PREFIX + path
    assert h1(page) == title
    assert page.title().startswith(title)
    assert_clean(recorder)


# --- visuals ----------------------------------------------------------------------------------------

# page -> (class of the SVG figure, or None for a table-only visual; first header cell of the text
# equivalent; the plans whose records are its rows: file and list key)
VISUALS = {
    "zielgruppen/": ("hb-matrix", "Zielgruppe", ("target-groups", "target_groups")),
    "massnahmen/": ("hb-timeline", "Maßnahme", ("actions", "measures")),
    "krisenmanagement/": ("hb-ladder", "Stufe", ("crisis", "levels")),
    "ziele/": (None, "Ziel", ("goals", "goals")),
    "prozesse/": (None, "Schritt", ("processes", "processes")),  # one RACI table per process
}

TABLES_JS = """() => [...document.querySelectorAll('article table')].map(table => {
    const wrap = table.closest('.md-typeset__scrollwrap') || table;
    const before = wrap.previousElementSibling;
    return {
        header: table.tHead ? table.tHead.rows[0].cells[0].textContent.trim() : '',
        rows: table.tBodies.length ? table.tBodies[0].rows.length : 0,
        after: before && before.matches('figure.hb-visual') ? before.className : '',
    };
})"""


@pytest.mark.parametrize("path", list(VISUALS))
def test_visual_renders_with_its_text_equivalent(
    page: Page, recorder: Recorder, base_url: str, path: str
) -> None:
    figure_class, header, (stem, key) = VISUALS[path]
    data = records(stem, key)
    visit(page, base_url + path)
    tables = [t for t in page.evaluate(TABLES_JS) if t["header"] == header]
    if figure_class:
        figure = page.locator(f"article figure.hb-visual.{figure_class}")
        assert figure.count() == 1, f"no figure.{figure_class} on {path}"
        svg = figure.locator("svg")
        shapes = svg.locator("rect, circle, ellipse, line, polyline, polygon, path")
        assert shapes.count() > 0, f"the SVG on {path} draws nothing"
        assert svg.locator("text").count() > 0, f"the SVG on {path} has no labels"
        box = svg.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0, f"the SVG on {path} has no size: {box}"
        assert figure.locator("figcaption").inner_text().strip()
        # The text equivalent is the table right after the figure, one row per record.
        following = [t for t in tables if figure_class in t["after"].split()]
        assert following, f"no table headed {header!r} follows the figure on {path}"
        assert following[0]["rows"] == len(data), f"{path}: {following[0]['rows']} rows for {len(data)} {key}"
    elif key == "processes":
        assert [t["rows"] for t in tables] == [len(p["steps"]) for p in data], f"{path}: {tables}"
    else:
        assert len(tables) == 1, f"{path}: expected one table headed {header!r}: {tables}"
        assert tables[0]["rows"] == len(data), f"{path}: {tables[0]['rows']} rows for {len(data)} {key}"
    assert_clean(recorder)


# --- glossary tooltip -------------------------------------------------------------------------------


def test_glossary_tooltip_shows_the_definition(
    page: Page, recorder: Recorder, site: Path, base_url: str
) -> None:
    glossary = {}
    for term in records("glossary", "terms"):
        definition = " ".join(term["definition"].split())
        for word in [term["term"], *term.get("aliases", [])]:
            glossary[word] = definition
    found = abbreviations(site)
    assert found, "no <abbr> in the built site: glossary terms are not marked"
    for word, title in found.items():
        assert glossary.get(word) == title, f"<abbr> {word!r} does not carry its glossary definition"
    # A content page (not the glossary itself) where a glossary term is marked.
    path, word = next(
        (p, w)
        for p in page_paths(site)
        if p != "glossar/"
        for w in glossary
        if f">{w}</abbr>" in html_file(site, p).read_text(encoding="utf-8")
    )
    visit(page, base_url + path)
    abbr = page.locator("article abbr").filter(has_text=re.compile(f"^{re.escape(word)}$")).first
    abbr.scroll_into_view_if_needed()
    abbr.hover()
    tooltip_id = abbr.get_attribute("aria-describedby")
    assert tooltip_id, "Material did not attach a tooltip to the <abbr>"
    tooltip = page.locator(f"#{tooltip_id}")
    tooltip.wait_for(state="visible")
    assert tooltip.get_attribute("role") == "tooltip"
    assert " ".join(tooltip.inner_text().split()) == glossary[word]
    assert_clean(recorder)


# --- print ------------------------------------------------------------------------------------------


def test_print_has_the_content_and_no_navigation(
    page: Page, recorder: Recorder, site: Path, base_url: str
) -> None:
    path, title = first_record(site, "target_group")
    visit(page, base_url + path)
    tabs = [t.strip() for t in page.locator(".md-tabs__link").all_inner_texts()]
    article = " ".join(page.locator("article").inner_text().split())
    pdf = page.pdf(format="A4", print_background=True)
    text = " ".join(pdf_text(pdf).split())
    assert title in text
    assert "Was sie brauchen" in text
    # Navigation chrome: tab labels and the search box -- unless the article itself says them.
    chrome = [t for t in tabs if t and not re.search(rf"\b{re.escape(t)}\b", article)]
    assert len(chrome) >= 3, f"too few tab labels to check: {tabs}"
    chrome += ["Suche", "Inhaltsverzeichnis"]  # search placeholder, table of contents title
    printed = [c for c in chrome if re.search(rf"\b{re.escape(c)}\b", text)]
    assert printed == [], f"navigation chrome in the printout: {printed}"
    assert_clean(recorder)


# --- accessibility ----------------------------------------------------------------------------------

AXE_PAGES = ["start", *KINDS, "crisis"]


@pytest.mark.parametrize("which", AXE_PAGES)
def test_no_serious_accessibility_violations(
    page: Page, recorder: Recorder, site: Path, base_url: str, which: str
) -> None:
    if which == "start":
        path = ""
    elif which == "crisis":
        path = "krisenmanagement/"
    else:
        path, _ = first_record(site, which)
    visit(page, base_url + path)
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']} ({v['impact']}) on {PREFIX}{path}: {', '.join(map(str, node['target']))}"
        f" -- {' '.join(node['failureSummary'].split())}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
        for node in v["nodes"]
    ]
    if serious:
        pytest.fail(
            f"axe-core {axe_version(result)} found {len(serious)} serious violation(s):\n"
            + "\n".join(serious)
        )
    assert_clean(recorder)


# --- screenshots for the README -----------------------------------------------------------------------


def test_screenshots_for_the_readme(
    page: Page, recorder: Recorder, site: Path, base_url: str, tmp_path: Path
) -> None:
    # The README's screenshots are tracked: they are rewritten only when asked for
    # (HANDBOOK_SCREENSHOTS=1 ./run.sh test); otherwise they are taken into a temporary folder.
    out = ROOT / "screenshots" if os.environ.get("HANDBOOK_SCREENSHOTS") == "1" else tmp_path
    out.mkdir(exist_ok=True)
    group, _ = first_record(site, "target_group")
    for name, path in [("start", ""), ("zielgruppe", group), ("krise", "krisenmanagement/")]:
        visit(page, base_url + path)
        page.locator("article h1").wait_for()
        target = out / f"{name}.png"
        page.screenshot(path=target, animations="disabled", caret="hide")
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert target.stat().st_size > 10_000
    assert_clean(recorder)


def test_base_url_is_a_sub_path(base_url: str) -> None:
    # Guard: the suite proves sub-path deployment only while the server really uses one.
    assert urljoin(base_url, "/") != base_url
    assert base_url.endswith(PREFIX)
