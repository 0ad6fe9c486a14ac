"""Hostile data stays inert text: every text field of every model, filled with payloads, built.

Two builds of the same plans: one with a payload in every text field (HTML, event handlers,
javascript: links, Markdown links and images to outside hosts, raw HTML blocks, Jinja,
emoji shortcodes, attribute breakouts, backslashes, line breaks, control and bidi
characters …), one with a twin of the same whitespace skeleton made of letters. Parsed with
a real HTML parser, both sites must have the same elements with the same attribute names
on every page: whatever a payload would have introduced shows up as a difference. On top:
no attribute or URL points anywhere the data asked for, no template was evaluated, and a
Chromium crawl of the hostile build sees no dialog and no request to another host.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from macros.checks.check import check

from .conftest import ROOT
from .hostile_support import JINJA, MARK, text_fields, with_custom_vocabularies, write_filled_plans
from .site_support import build, generated_pages, make_project

# Attributes whose value may legitimately differ between the twins: labels for assistive
# technology, ids and fragment links made from headings, the channel address, and a table cell's
# column header (data-label, shown above the value when a table stacks on a phone; headers can be
# data, such as role names), and a ticked task's storage key (data-hb-task: the task's own text,
# read by progress.js as a key only). Not 'title': Material shows every title in the content as an HTML
# tooltip, so no data goes into one (glossary tooltips are abbr titles, escaped for that and tested
# below).
FREE_ATTRIBUTES = {
    "aria-label",
    "id",
    "href",
    "content",
    "data-md-color-scheme",
    "data-label",
    "data-hb-task",
}


URL_ATTRIBUTES = {
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "style",
    "poster",
    "data",
    "cite",
    "background",
}


class _Skeleton(HTMLParser):
    """(tag, sorted attribute names) of every element in document order; attribute values kept apart."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, tuple[str, ...]]] = []
        self.values: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "abbr":  # glossary tooltips: created by the abbr extension from data, as etree text
            assert [name for name, _ in attrs] == ["title"], attrs
            return
        self.elements.append((tag, tuple(sorted(name for name, _ in attrs))))
        self.values.append({name: value or "" for name, value in attrs})

    handle_startendtag = handle_starttag


def _skeleton(path: Path) -> _Skeleton:
    parser = _Skeleton()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("hostile")
    sites = {}
    for name, hostile in (("hostile", True), ("benign", False)):
        project = make_project(root / name, ROOT / "plans")
        plans = with_custom_vocabularies(ROOT / "plans", root / f"{name}-plans")
        filler = write_filled_plans(plans, project / "plans", hostile=hostile)
        assert filler.filled == text_fields(), (
            "text fields without a value in the sample, so the hostile test cannot reach them; "
            f"add them to plans/: {sorted(text_fields() - filler.filled)}"
        )
        result = check(project / "plans")
        assert result.errors == 0, [p.message for p in result.problems if p.severity == "error"]
        done = build(project)
        assert done.returncode == 0, done.stderr[-3000:]
        sites[name] = project / "site"
    return sites


def test_the_payloads_reach_every_text_field() -> None:
    assert len(text_fields()) > 100
    assert ("Channel", "url") in text_fields() and ("Term", "term") in text_fields()


def test_both_sites_have_the_same_pages(twins: dict[str, Path]) -> None:
    pages = {name: sorted(p.relative_to(site) for p in site.rglob("*.html")) for name, site in twins.items()}
    assert pages["hostile"] == pages["benign"]
    generated = generated_pages(twins["hostile"].parent / "plans")
    assert {Path(path) for path in generated} <= set(pages["hostile"])  # a page per record, none lost


def test_no_payload_adds_an_element_or_attribute(twins: dict[str, Path]) -> None:
    differences = []
    for page in sorted(twins["hostile"].rglob("*.html")):
        rel = page.relative_to(twins["hostile"])
        bad, good = _skeleton(page), _skeleton(twins["benign"] / rel)
        if bad.elements != good.elements:
            first = next(
                i for i, (a, b) in enumerate(zip(bad.elements, good.elements, strict=False)) if a != b
            )
            differences.append(f"{rel}: element {first}: {bad.elements[first]} vs {good.elements[first]}")
            continue
        for element, (b, g) in zip(bad.elements, zip(bad.values, good.values, strict=True), strict=True):
            for name in b:
                if b[name] != g[name] and name not in FREE_ATTRIBUTES:
                    differences.append(f"{rel}: <{element[0]} {name}={b[name]!r}> (twin: {g[name]!r})")
    assert differences == []


def _attribute_values(site: Path) -> list[tuple[str, str, str]]:
    out = []
    for page in site.rglob("*.html"):
        parsed = _skeleton(page)
        for (tag, _), values in zip(parsed.elements, parsed.values, strict=True):
            out += [(tag, name, value) for name, value in values.items()]
    return out


def test_no_link_or_resource_the_data_asked_for(twins: dict[str, Path]) -> None:
    offenders = []
    for tag, name, value in _attribute_values(twins["hostile"]):
        lowered = re.sub(r"\s", "", value).lower()
        if name in URL_ATTRIBUTES and (
            "evil.example" in lowered or lowered.startswith(("javascript:", "data:", "vbscript:"))
        ):
            offenders.append((tag, name, value))
        if name == "href" and "social.example" in lowered:
            # the channel address: a link exactly as written, to the host written
            assert lowered.startswith(("https://social.example/hx", "mailto:team@social.example")), value
        if name.startswith("on") or name in ("srcdoc", "formaction", "xlink:href"):
            offenders.append((tag, name, value))
    assert offenders == []
    emoji = [v for t, n, v in _attribute_values(twins["hostile"]) if "twemoji" in v or "emojione" in v]
    assert len(emoji) == len([v for t, n, v in _attribute_values(twins["benign"]) if "twemoji" in v])


def test_no_template_was_evaluated(twins: dict[str, Path]) -> None:
    for path in twins["hostile"].rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml"):
            text = path.read_text(encoding="utf-8")
            assert "hx-jinja-49" not in text and ">hx-jinja-tag" not in text, path
    from .browser_support import html_text

    shown = " ".join(html_text(p.read_text(encoding="utf-8")) for p in twins["hostile"].rglob("*.html"))
    assert " ".join(JINJA.split()) in shown  # printed literally, as written


def test_payload_text_is_shown_as_written(twins: dict[str, Path]) -> None:
    from .browser_support import html_text

    text = html_text((twins["hostile"] / "kanaele" / "index.html").read_text(encoding="utf-8"))
    assert f"{MARK}" in text
    assert "<img src=x onerror=alert(1)>" in " ".join(
        html_text(p.read_text(encoding="utf-8")) for p in twins["hostile"].rglob("*.html")
    )


def test_search_index_holds_no_markup_from_data(twins: dict[str, Path]) -> None:
    import json

    index = json.loads((twins["hostile"] / "search" / "search_index.json").read_text(encoding="utf-8"))
    benign = json.loads((twins["benign"] / "search" / "search_index.json").read_text(encoding="utf-8"))
    tags = re.compile(r"<(/?[a-zA-Z][\w-]*)")
    for doc, twin in zip(index["docs"], benign["docs"], strict=True):
        assert sorted(tags.findall(doc["text"])) == sorted(tags.findall(twin["text"])), doc["location"]
        assert sorted(tags.findall(doc["title"])) == sorted(tags.findall(twin["title"])), doc["location"]


def test_a_browser_crawl_of_the_hostile_site_runs_nothing(twins: dict[str, Path], browser) -> None:
    from .browser_support import Recorder, page_paths, serve, wait_for_search_ready

    site = twins["hostile"]
    dialogs: list[str] = []
    with serve(site) as base_url:
        context = browser.new_context(locale="de-DE")
        context.set_default_timeout(30_000)
        recorder = Recorder(base_url)
        recorder.attach(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
        paths = [p for p in page_paths(site) if p != "404.html"]
        for path in paths:
            page.goto(base_url + path, wait_until="load")
            # Move over and focus everything once: an injected handler would fire now.
            page.evaluate(
                """() => document.querySelectorAll('article *').forEach(e => {
                    e.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
                    e.dispatchEvent(new FocusEvent('focus'));
                })"""
            )
        # Search results are rendered from the index by script: search for the payloads.
        page.goto(base_url, wait_until="load")
        wait_for_search_ready(page)
        box = page.get_by_placeholder("Suche")
        results = 0
        for query in ("img", "onerror", "script", "javascript"):
            box.click()
            box.press("Control+A")
            box.press("Backspace")
            box.press_sequentially(query)
            page.wait_for_function(
                """() => document.querySelectorAll('.md-search-result__item').length > 0
                    || /keine/i.test(document.querySelector('.md-search-result__meta').textContent)"""
            )
            page.wait_for_timeout(300)  # let every result render
            results += page.locator(".md-search-result__item").count()
        context.close()
    generated = generated_pages(site.parent / "plans")
    assert {path.removesuffix("index.html") for path in generated} <= set(paths)  # every record's page
    assert dialogs == []
    assert recorder.foreign_hosts() == set()
    assert results > 0  # the search did show payload text (as text)


def test_a_glossary_tooltip_shows_markup_as_text(tmp_path: Path, browser) -> None:
    """Material renders tooltip titles as HTML: a definition must still show as written."""
    from .browser_support import Recorder, serve

    definition = "<img src=x onerror=alert(1)> &lt;b&gt;fett&lt;/b&gt; Werte < 5 & \x02wzxhzdk:0\x03 mehr"
    project = make_project(tmp_path / "p", ROOT / "tests" / "fixtures" / "mini" / "plans")
    glossary = project / "plans" / "glossary.yml"
    text = glossary.read_text(encoding="utf-8")
    quoted = (
        definition.replace("\\", "\\\\").replace('"', '\\"').replace("\x02", "\\x02").replace("\x03", "\\x03")
    )
    glossary.write_text(
        text.replace("definition: Anzahl der erreichten Personen.", f'definition: "{quoted}"'),
        encoding="utf-8",
    )
    result = build(project)
    assert result.returncode == 0, result.stderr[-2000:]
    html = (project / "site" / "strategie" / "index.html").read_text(encoding="utf-8")
    assert '<abbr title="&amp;lt;img src=x onerror=alert(1)&amp;gt;' in html
    dialogs: list[str] = []
    with serve(project / "site") as base_url:
        context = browser.new_context(locale="de-DE")
        context.set_default_timeout(30_000)
        recorder = Recorder(base_url)
        recorder.attach(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(base_url + "strategie/", wait_until="load")
        abbr = page.locator("article abbr").first
        abbr.scroll_into_view_if_needed()
        abbr.hover()
        tooltip = page.locator(f"#{abbr.get_attribute('aria-describedby')}")
        tooltip.wait_for(state="visible")
        shown = " ".join(tooltip.inner_text().split())
        children = tooltip.locator(".md-tooltip2__inner *").count()
        page.wait_for_timeout(300)
        context.close()
    assert dialogs == []
    assert children == 0
    assert shown == "<img src=x onerror=alert(1)> &lt;b&gt;fett&lt;/b&gt; Werte < 5 & wzxhzdk:0 mehr"
    assert recorder.foreign_hosts() == set()
