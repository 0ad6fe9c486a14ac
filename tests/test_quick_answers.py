"""'Das Wichtigste für alle' and 'Im Notfall' (issue 11, item 3): the rules for everyone on one page,
one click from the start page, first in search for the questions people ask, printable on one or two A4
pages; an emergency entry on every page that leads to the crisis steps and the crisis folder.
Chromium tests against the sample built and served under a sub-path; the club sample is built too."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from .browser_support import build_site, html_file, page_paths, serve, wait_for_search_ready
from .conftest import ROOT
from .site_support import build, make_project, page, visible_text


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(tmp_path_factory.mktemp("quick") / "site")


@pytest.fixture(scope="module")
def served(site: Path):
    with serve(site) as base:
        yield base


def first_hits(browser, base: str, query: str) -> list[str]:
    """The addresses of the first search results for ``query`` typed into Material's search box."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        tab = context.new_page()
        tab.goto(base)
        tab.click("input.md-search__input")
        wait_for_search_ready(tab)
        tab.locator("input.md-search__input").press_sequentially(query, delay=20)
        tab.wait_for_selector(".md-search-result__item > a", timeout=15_000)
        return tab.eval_on_selector_all(".md-search-result__item > a", "as => as.map(a => a.href)")
    finally:
        context.close()


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("privat posten", "das-wichtigste/"),
        ("LinkedIn Arbeitgeber", "das-wichtigste/"),
        ("Kritik Kommentar", "das-wichtigste/"),
        ("LinkedIn", "das-wichtigste/"),
        ("Krise", "krisenmanagement/"),
        ("Notfall", "krisenmanagement/"),
    ],
)
def test_search_ranks_the_page_about_the_question_first(browser, served: str, query: str, first: str) -> None:
    hits = first_hits(browser, served, query)
    assert hits, query
    assert hits[0].startswith(served + first + "?h="), f"first hit for {query!r}: {hits[:3]}"


def test_the_quick_page_is_one_click_from_the_start_page(site: Path) -> None:
    start = page(site, "")
    assert 'href="das-wichtigste/"' in visible_text_links(start)
    text = visible_text(page(site, "das-wichtigste"))
    assert text.startswith("Das Wichtigste für alle &para; Die Regeln, die für alle Mitarbeitenden gelten")
    # every rule for all employees, phrased as a question, with the contact route from organisation.yml
    assert "Darf ich privat oder auf LinkedIn über meinen Arbeitgeber posten?" in text
    assert "Soll ich privat mitdiskutieren, wenn jemand uns im Netz kritisiert?" in text
    assert "(Kontakt: Teams-Kanal „AG Social Media“ oder social-media@fiktiva-heiztechnik.example)" in text
    assert "Führungskräfte fordern keine Beteiligung ein" not in text  # a rule for leaders only
    assert text.count("Begründung und Beispiele") == 7


def visible_text_links(html: str) -> str:
    return html.split('<article class="md-content__inner md-typeset">', 1)[-1].split("</article>", 1)[0]


def test_every_page_has_the_emergency_entry(site: Path) -> None:
    for path in page_paths(site):
        if path == "404.html":
            continue
        html = html_file(site, path).read_text(encoding="utf-8")
        depth = path.count("/")
        prefix = "../" * depth if depth else "./"
        expected = prefix + "krisenmanagement/#im-notfall"
        assert f'<a class="hb-emergency" href="{expected}">Im Notfall</a>' in html, path


def test_the_emergency_entry_leads_to_the_steps_and_the_crisis_folder(browser, served: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        tab = context.new_page()
        tab.goto(served + "richtlinien/")
        tab.click("a.hb-emergency")
        tab.wait_for_load_state()
        assert tab.url == served + "krisenmanagement/#im-notfall"
        section = tab.locator("#im-notfall ~ *").all_inner_texts()
        text = " ".join(section)
        assert "Im Ernstfall: die ersten Minuten" in text
        assert "Roter Ordner „Krise Social Media“ im Büro der Pressestelle" in text
        assert "Aktuell hält ihn: Pressesprecherin" in text
    finally:
        context.close()


def test_the_quick_page_prints_on_one_or_two_a4_pages(browser, served: str) -> None:
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.goto(served + "das-wichtigste/")
        tab.emulate_media(media="print")
        pdf = tab.pdf(format="A4", print_background=True)
    finally:
        context.close()
    reader = PdfReader(io.BytesIO(pdf))
    assert 1 <= len(reader.pages) <= 2, len(reader.pages)
    assert all(p.extract_text().strip() for p in reader.pages), "an empty page"
    printed = " ".join(p.extract_text() for p in reader.pages)
    assert "Soll ich privat mitdiskutieren" in printed  # the last answer made it onto the paper
    assert "Im Notfall" in printed


def test_the_club_gets_its_own_rules_for_everyone_and_its_crisis_folder(tmp_path: Path) -> None:
    project = make_project(tmp_path / "club", ROOT / "samples" / "sportverein" / "plans")
    result = build(project)
    assert result.returncode == 0, result.stderr
    text = visible_text(page(project / "site", "das-wichtigste"))
    assert "Die Regeln, die für alle Ehrenamtlichen gelten" in text
    assert "Darf ich Fotos von Kindern und Jugendlichen aus dem Training posten?" in text
    assert "Zu Streitfragen spricht der Vorstand" in text
    assert "Parteipolitisch neutral" not in text  # a rule for the board only
    assert "Mitarbeit" not in text
    crisis = visible_text(page(project / "site", "krisenmanagement"))
    assert "Blauer Ordner „Krise“ im Regal der Geschäftsstelle" in crisis
