"""The handbook as PDF (macros/site/pdf.py): the whole handbook and each main section, built with
the site by ``mkdocs build``, opened here with pypdf.

Two builds: the company sample (internal audience, in a git repository so that the data version is
a commit, with a written page that shows an image from another host) and the club sample for the
public audience (records hidden from it must be in no PDF)."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import threading
import types
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pypdf
import pytest

from macros.data import labels
from macros.site import pdf
from macros.site.build import load_plan
from macros.site.pages import record_pages
from macros.site.plugin import HandbookPlugin

from .conftest import ROOT
from .site_support import git, make_project, visible_text

INTERNAL = labels.label("visibility", "internal")
CHROME = ["Zum Inhalt", "Zurück zum Seitenanfang", "Seite editieren", "Permanent link", "Datenstand:", "¶"]


class _Recorder(BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Recorder.requests.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def _build(project: Path, **env: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "HANDBOOK_PDF": "1", **env},
        timeout=1200,  # the PDFs take a minute of CPU; more on a busy machine
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, subprocess.CompletedProcess[str]]:
    """The company sample in a git repository, its 'Über' page showing an image from 127.0.0.1."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        project = make_project(tmp_path_factory.mktemp("pdf") / "company", ROOT / "plans")
        about = project / "content" / "ueber.md"
        image = f"http://127.0.0.1:{server.server_address[1]}/logo.png"
        about.write_text(about.read_text(encoding="utf-8") + f"\n![Logo]({image})\n", encoding="utf-8")
        git(project, "init", "-q", "-b", "main")
        git(project, "add", "plans")
        git(project, "commit", "-q", "-m", "plans")
        version = git(project, "log", "-1", "--format=%h %cs", "--", "plans").strip()
        done = _build(project)
    finally:
        server.shutdown()
    return project / "site", version, done


@pytest.fixture(scope="module")
def club(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(
        tmp_path_factory.mktemp("pdf") / "club", ROOT / "samples" / "sportverein" / "plans"
    )
    _build(project, HANDBOOK_AUDIENCE="public")
    return project / "site"


@cache
def _reader(path: Path) -> pypdf.PdfReader:
    return pypdf.PdfReader(path)


def _outline(path: Path) -> list[tuple[str, list[str]]]:
    """Top-level outline entries with the titles of the entries below them."""
    found: list[tuple[str, list[str]]] = []
    for entry in _reader(path).outline:
        if isinstance(entry, list):
            found[-1][1].extend(e.title for e in entry if not isinstance(e, list))
        else:
            found.append((entry.title, []))
    return found


def _text(path: Path, number: int | None = None) -> str:
    pages = _reader(path).pages
    chosen = pages if number is None else [pages[number]]
    return " ".join(" ".join(p.extract_text().split()) for p in chosen)


def _tabs(site: Path) -> list[str]:
    """The titles of the site's top-level navigation (Material's tabs)."""
    start = (site / "index.html").read_text(encoding="utf-8")
    found = re.findall(r'class="md-tabs__link[^"]*">([^<]*)<', start)
    return [html.unescape(" ".join(t.split())) for t in found]


def _h1(site: Path, dest: str) -> str:
    text = (site / dest).read_text(encoding="utf-8")
    found = re.search(r"<h1[^>]*>(.*?)<a class=\"headerlink\"", text, re.S) or re.search(
        r"<h1[^>]*>(.*?)</h1>", text, re.S
    )
    assert found, dest
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).split())


def test_whole_handbook_has_cover_contents_and_every_section(company) -> None:
    site, version, _ = company
    whole = site / "pdf" / "handbuch.pdf"
    assert len(_reader(whole).pages) > 20
    cover = _text(whole, 0)
    assert "Datenstand" in cover and version in cover, cover
    assert f"Ausgabe {INTERNAL}" in cover, cover
    assert cover.startswith("Fiktiva Heiztechnik GmbH"), cover
    assert _reader(whole).metadata.title == _site_name(site)
    outline = _outline(whole)
    assert [title for title, _ in outline] == _tabs(site)
    zielgruppen = dict(outline)["Zielgruppen"]
    pages = sorted(p.relative_to(site).as_posix() for p in (site / "zielgruppen").glob("*/index.html"))
    assert len(zielgruppen) == len(pages) + 1  # the section's index page and one page per group
    assert set(zielgruppen) >= {_h1(site, p) for p in pages}
    contents = _text(whole, 1) + " " + _text(whole, 2)  # two pages of contents
    assert contents.startswith("Inhalt"), contents
    for title in _tabs(site):
        assert re.search(re.escape(title) + r" \.+ \d+", contents), title


def _site_name(site: Path) -> str:
    start = (site / "index.html").read_text(encoding="utf-8")
    return html.unescape(re.search(r"<title>([^<]*)</title>", start)[1])


def test_pages_are_numbered_and_the_contents_page_numbers_are_right(company) -> None:
    site, _, _ = company
    whole = site / "pdf" / "handbuch.pdf"
    reader = _reader(whole)
    for number in (2, 10, len(reader.pages) - 1):
        assert f"Seite {number + 1}" in _text(whole, number)
    assert "Seite 1" not in _text(whole, 0)  # the title page has no number
    contents = _text(whole, 1) + " " + _text(whole, 2)
    for entry in reader.outline:
        if isinstance(entry, list):
            continue
        listed = re.search(re.escape(entry.title) + r" \.+ (\d+)", contents)
        assert listed, entry.title
        assert int(listed[1]) == reader.get_destination_page_number(entry) + 1, entry.title


def test_no_navigation_chrome_in_the_pdf(company) -> None:
    site, _, _ = company
    text = _text(site / "pdf" / "handbuch.pdf")
    assert [c for c in CHROME if c in text] == []
    assert "Suche" not in _text(site / "pdf" / "handbuch.pdf", 1)  # the search field's placeholder


def test_a_section_pdf_holds_only_its_section(company) -> None:
    site, version, _ = company
    whole = site / "pdf" / "handbuch.pdf"
    outline = _outline(whole)
    starts = [
        _reader(whole).get_destination_page_number(e)
        for e in _reader(whole).outline
        if not isinstance(e, list)
    ]
    starts.append(len(_reader(whole).pages))
    assert outline[0][0] == _tabs(site)[0]  # the start page: no PDF of its own
    assert not (site / "pdf" / f"{pdf.slug(outline[0][0])}.pdf").exists()
    for number, (title, children) in enumerate(outline[1:], start=1):
        path = site / pdf.pdf_path(pdf.Section(title, ()))
        assert _outline(path) == [(title, children)], title
        assert len(_reader(path).pages) == starts[number + 1] - starts[number], title
        assert _reader(path).metadata.title == f"{_site_name(site)}: {title}"
        cover = _text(path, 0)
        assert cover.startswith(
            f"Fiktiva Heiztechnik GmbH {_site_name(site)} {title} Datenstand {version}"
        ), cover
        assert f"Ausgabe {INTERNAL}" in cover, cover
        # its pages keep the handbook's page numbers
        assert f"Seite {starts[number] + 2}" in _text(path, 1), title


def test_the_site_links_its_pdfs(company) -> None:
    site, _, _ = company
    start = (site / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="(pdf/[^"]+\.pdf)"', start)
    assert links[0] == "pdf/handbuch.pdf"
    assert sorted(links) == sorted(p.relative_to(site).as_posix() for p in (site / "pdf").glob("*.pdf"))
    zielgruppen = (site / "zielgruppen" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../pdf/zielgruppen.pdf" type="application/pdf">Teil „Zielgruppen“</a>' in zielgruppen
    assert "Als PDF" in visible_text(zielgruppen)
    assert "pdf/" not in (site / "zielgruppen" / "hausbesitzer" / "index.html").read_text(encoding="utf-8")


def test_no_request_leaves_the_site(company) -> None:
    site, _, done = company
    assert _Recorder.requests == []
    assert "PDF: left out http://127.0.0.1:" in done.stderr
    assert re.search(r"<img[^>]+http://127\.0\.0\.1", (site / "ueber" / "index.html").read_text("utf-8"))


def test_public_build_of_another_organisation_holds_what_its_site_holds(club) -> None:
    site = club
    whole = site / "pdf" / "handbuch.pdf"
    cover = _text(whole, 0)
    assert f"Ausgabe {labels.label('visibility', 'public')}" in cover, cover
    assert [t for t, _ in _outline(whole)] == _tabs(site)
    plans = ROOT / "samples" / "sportverein" / "plans"
    shown = {p.path for p in record_pages(load_plan(plans, "public"))}
    hidden = [
        html.unescape(p.title) for p in record_pages(load_plan(plans, "confidential")) if p.path not in shown
    ]
    site_text = " ".join(visible_text(p.read_text(encoding="utf-8")) for p in site.rglob("*.html"))
    distinct = [t for t in hidden if t not in site_text]
    assert distinct, "the club sample hides no record from the public build"
    text = " ".join(_text(p) for p in sorted((site / "pdf").glob("*.pdf")))
    assert [t for t in distinct if t in text] == []
    assert [c for c in CHROME if c in text] == []


def test_pdfs_are_made_by_mkdocs_build_only() -> None:
    plugin = HandbookPlugin()
    plugin.on_startup(command="serve", dirty=True)
    assert plugin._pdf is False
    os.environ["HANDBOOK_PDF"], before = "1", os.environ.get("HANDBOOK_PDF")
    try:
        plugin.on_startup(command="build", dirty=False)
        assert plugin._pdf is True
    finally:
        os.environ["HANDBOOK_PDF"] = before or "0"


PAGE = pdf.Page("Ziele", "ziele.md", "ziele/index.html")
OTHER = pdf.Page("Kanäle", "kanaele/index.md", "kanaele/index.html")


def _rewrite(article: str) -> str:
    return pdf._rewrite(article, PAGE, {PAGE.dest: PAGE, OTHER.dest: OTHER}, None)


def test_rewrite_prefixes_ids_and_keeps_links_inside_the_document() -> None:
    article = (
        '<h2 id="a">A<a class="headerlink" href="#a" title="Permanent link">&para;</a></h2>'
        '<p><a href="#a">hier</a>, <a href="../kanaele/#b">Kanäle</a>, <a href="../glossar/">Glossar</a>, '
        '<a href="https://example.org/">extern</a> &amp; <code>id="x"</code></p>'
    )
    assert _rewrite(article) == (
        '<h2 id="seite-ziele--a">A</h2>'
        '<p><a href="#seite-ziele--a">hier</a>, <a href="#seite-kanaele--b">Kanäle</a>, <a>Glossar</a>, '
        '<a href="https://example.org/">extern</a> &amp; <code>id="x"</code></p>'
    )


def test_rewrite_opens_details_names_tabs_and_drops_screen_only_parts() -> None:
    article = (
        '<a href="https://git.example/edit" title="Seite editieren" class="md-content__button md-icon">'
        '<svg viewBox="0 0 24 24"><path d="M1 1"/></svg></a>'
        '<details class="info"><summary>Mehr</summary><p>x</p></details>'
        '<div class="tabbed-set tabbed-alternate" data-tabs="1:2">'
        '<input checked="checked" id="__tabbed_1_1" name="__tabbed_1" type="radio" />'
        '<input id="__tabbed_1_2" name="__tabbed_1" type="radio" />'
        '<div class="tabbed-labels"><label for="__tabbed_1_1">Alle &amp; mehr</label>'
        '<label for="__tabbed_1_2">Führung</label></div>'
        '<div class="tabbed-content"><div class="tabbed-block"><p>eins</p></div>'
        '<div class="tabbed-block"><p>zwei</p></div></div></div>'
        '<p class="hb-visual__fallback">Zu schmal</p><img src="../assets/logo.png" alt="">'
    )
    assert _rewrite(article) == (
        '<details class="info" open><summary>Mehr</summary><p>x</p></details>'
        '<div class="tabbed-set tabbed-alternate" data-tabs="1:2">'
        '<div class="tabbed-content"><div class="tabbed-block"><p class="tabbed-title">Alle &amp; mehr</p>'
        '<p>eins</p></div><div class="tabbed-block"><p class="tabbed-title">Führung</p><p>zwei</p></div>'
        '</div></div><img src="assets/logo.png" alt="">'
    )


def test_the_fetcher_reads_only_files_of_the_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "assets" / "a.png").write_bytes(b"png")
    (tmp_path / "secret.txt").write_text("secret")
    fetcher = pdf.site_fetcher(site)
    assert fetcher((site / "assets" / "a.png").as_uri()).read() == b"png"
    for url in (
        "http://127.0.0.1:9/x.png",
        (tmp_path / "secret.txt").as_uri(),
        f"{site.as_uri()}/../secret.txt",
    ):
        with pytest.raises(ValueError, match="not a file of the built site"):
            fetcher(url)
    assert len(fetcher.refused) == 3


def test_missing_libraries_say_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    broken = types.ModuleType("weasyprint")

    def missing(name: str) -> object:
        raise OSError("cannot load library 'libpango-1.0-0'")

    broken.__getattr__ = missing  # type: ignore[method-assign]
    monkeypatch.setitem(sys.modules, "weasyprint", broken)
    with pytest.raises(pdf.MissingLibraries) as raised:
        pdf.write_pdfs(tmp_path, [], pdf.Cover("Handbuch", None, "abc", "Ausgabe: intern"))
    assert str(raised.value) == (
        "the PDFs need Pango from the system (cannot load library 'libpango-1.0-0'); on Debian: "
        "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; "
        "or build without PDFs: HANDBOOK_PDF=0"
    )
