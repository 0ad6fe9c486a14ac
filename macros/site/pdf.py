"""The handbook as PDF: the whole handbook and each main section, made from the built site.

No MkDocs here: the caller (plugin.py, after the site is written) names the main sections with
their pages in navigation order; this module takes each page's article from the built HTML (no
header, navigation, search, footer, edit button or permalinks), joins them behind a title page and
a table of contents, and lays them out with WeasyPrint. The PDFs are built from the same files the
site serves, so they hold exactly what this build's audience sees.

WeasyPrint fetches nothing but files inside the built site (``site_fetcher``): an image or
stylesheet from anywhere else is left out, without a request.
"""

from __future__ import annotations

import html
import logging
import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

PDF_DIR = "pdf"
WHOLE = "handbuch"

log = logging.getLogger("mkdocs.plugins.handbook.pdf")


@dataclass(frozen=True)
class Page:
    """A page of the built site: its title, its Markdown path and the HTML file it became."""

    title: str
    src: str  # 'zielgruppen/index.md'
    dest: str  # 'zielgruppen/index.html'


@dataclass(frozen=True)
class Section:
    """A main section of the navigation (or a page at its top level) with its pages in order."""

    title: str
    pages: tuple[Page, ...]

    @property
    def slug(self) -> str:
        return slug(self.title)


@dataclass(frozen=True)
class Cover:
    """What the title page says: the handbook, whose it is, the data version and the audience."""

    site_name: str
    organisation: str | None
    data_version: str
    audience_note: str


@dataclass
class Result:
    """The PDFs written (site path -> page count) and the URLs refused to the renderer."""

    pages: dict[str, int] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)


class MissingLibraries(Exception):
    """WeasyPrint cannot load the system libraries it needs; the message says what to install."""


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slug(title: str) -> str:
    """A file name from a section title: 'Über dieses Handbuch' -> 'ueber-dieses-handbuch'."""
    text = title.lower().translate(_UMLAUTS)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "teil"


def pdf_path(section: Section | None = None) -> str:
    """The site path of a section's PDF, or of the whole handbook's (None)."""
    return f"{PDF_DIR}/{section.slug if section else WHOLE}.pdf"


def with_pdf(sections: Sequence[Section]) -> list[Section]:
    """The sections that get a PDF of their own: every main section but the start page."""
    return [s for s in sections if s.pages and not (len(s.pages) == 1 and s.pages[0].dest == "index.html")]


def sections(items: Iterable[Any]) -> list[Section]:
    """The main sections from the top level of a built navigation (MkDocs' ``nav.items``, read
    by duck typing): each top-level section with every page under it, each top-level page alone."""
    found = []
    for item in items:
        pages = tuple(_pages(item))
        if pages:
            found.append(Section(html.unescape(str(item.title)), pages))
    return found


def _pages(item: Any) -> Iterable[Page]:
    file = getattr(item, "file", None)
    if file is not None:
        # the nav titles of generated pages hold entities (the theme prints them unescaped)
        yield Page(html.unescape(str(item.title or "")), file.src_uri, file.dest_uri)
    for child in getattr(item, "children", None) or ():
        yield from _pages(child)


def links(all_sections: Sequence[Section], dest: str) -> str:
    """The PDF links a page shows: the start page links the whole handbook and every section,
    the first page of a section its section's PDF and the whole handbook; other pages none."""

    def a(path: str, text: str) -> str:
        url = posixpath.relpath(path, posixpath.dirname(dest) or ".")
        return f'<a href="{html.escape(url, quote=True)}" type="application/pdf">{html.escape(text)}</a>'

    own = with_pdf(all_sections)
    if dest == "index.html":
        entries = [a(pdf_path(), "Ganzes Handbuch"), *(a(pdf_path(s), s.title) for s in own)]
    else:
        first = [s for s in own if s.pages[0].dest == dest]
        if not first:
            return ""
        entries = [a(pdf_path(first[0]), f"Teil „{first[0].title}“"), a(pdf_path(), "ganzes Handbuch")]
    return (
        '<p class="hb-pdf-links" data-search-exclude>Als PDF zum Drucken und Weitergeben: '
        + " · ".join(entries)
        + "</p>"
    )


def write_pdfs(site: Path, sections: Sequence[Section], cover: Cover) -> Result:
    """Write the whole handbook and each main section as PDF into ``site``/pdf/.

    The handbook is laid out once (the costly part); a section's PDF is its pages of that layout,
    from the section's title page on, so it keeps the handbook's page numbers."""
    import copy

    try:
        from weasyprint import HTML  # takes a while to import: only when PDFs are made
    except OSError as exc:  # a system library WeasyPrint loads is missing
        raise MissingLibraries(
            f"the PDFs need Pango from the system ({exc}); on Debian: sudo apt-get install "
            "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; "
            "or build without PDFs: HANDBOOK_PDF=0"
        ) from None

    # WeasyPrint warns about each resource the fetcher refuses (logged here once, as info)
    # and each screen-only CSS feature; neither is the reader's concern
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    fetcher = site_fetcher(site)
    result = Result()
    (site / PDF_DIR).mkdir(exist_ok=True)
    articles = {page.dest: _article(site, page) for s in sections for page in s.pages}
    source = document(sections, cover, articles)
    whole = HTML(string=source, base_url=site.as_uri() + "/", url_fetcher=fetcher).render()
    whole.write_pdf(site / pdf_path())
    result.pages[pdf_path()] = len(whole.pages)
    starts: dict[str, int] = {}  # the page an id starts on (a box split over pages is on each)
    for number, page in enumerate(whole.pages):
        for anchor in page.anchors:
            starts.setdefault(anchor, number)
    firsts = sorted(starts[_part_id(s)] for s in sections)
    for section in with_pdf(sections):
        first = starts[_part_id(section)]
        last = next((n for n in firsts if n > first), len(whole.pages))
        part = whole.copy(whole.pages[first:last])
        part.metadata = copy.copy(whole.metadata)
        part.metadata.title = f"{cover.site_name}: {section.title}"
        part.write_pdf(site / pdf_path(section))
        result.pages[pdf_path(section)] = last - first
    result.refused = sorted(set(fetcher.refused))
    return result


def document(sections: Sequence[Section], cover: Cover, articles: dict[str, str]) -> str:
    """The HTML of the whole handbook: title page, table of contents, then each main section,
    behind a title page of its own (data version, audience, its contents) when it gets a PDF."""
    e = html.escape
    meta = f'<meta name="author" content="{e(cover.organisation)}">' if cover.organisation else ""
    lines = [
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">',
        f"<title>{e(cover.site_name)}</title>{meta}<style>{STYLE}</style></head><body>",
        '<section class="cover">',
        *_title_lines(cover, None),
        "</section>",
        '<nav class="toc"><h2 class="toc__title">Inhalt</h2><ol>',
    ]
    for section in sections:
        lines.append(f'<li class="toc__part"><a href="#{_part_id(section)}">{e(section.title)}</a>')
        if not _single(section):
            lines.append(_page_list(section))
        lines.append("</li>")
    lines.append("</ol></nav>")
    inside = {p.dest: p for s in sections for p in s.pages}
    divided = {s.title for s in with_pdf(sections)}
    for section in sections:
        single, divider = _single(section), section.title in divided
        lines.append(f'<section class="part" id="{_part_id(section)}">')
        if divider:
            lines += ['<div class="cover cover--part">', *_title_lines(cover, section.title)]
            if not single:
                lines += [
                    '<nav class="toc toc--part"><h2 class="toc__title">Inhalt</h2>',
                    _page_list(section),
                ]
                lines.append("</nav>")
            lines.append("</div>")
        for page in section.pages:
            named = section.title if single and not divider else None
            body = _rewrite(articles[page.dest], page, inside, named)
            kind = "page" + (" page--lone" if single and divider else "") + (" page--single" if named else "")
            lines.append(f'<article class="{kind}" id="{_page_id(page.dest)}">{body}</article>')
        lines.append("</section>")
    lines.append("</body></html>")
    return "\n".join(line for line in lines if line)


def _title_lines(cover: Cover, part: str | None) -> list[str]:
    """A title page: the organisation, the handbook, the part, the data version and audience."""
    e = html.escape
    audience = cover.audience_note.removeprefix("Ausgabe: ")
    return [
        f'<p class="cover__org">{e(cover.organisation)}</p>' if cover.organisation else "",
        f'<p class="cover__title">{e(cover.site_name)}</p>',
        f'<h1 class="part__title">{e(part)}</h1>' if part else "",
        '<dl class="cover__facts">',
        f"<dt>Datenstand</dt><dd>{e(cover.data_version)}</dd>",
        f"<dt>Ausgabe</dt><dd>{e(audience)}</dd>",
        "</dl>",
    ]


def _page_list(section: Section) -> str:
    e = html.escape
    items = "".join(f'<li><a href="#{_page_id(p.dest)}">{e(p.title)}</a></li>' for p in section.pages)
    return f"<ol>{items}</ol>"


def _single(section: Section) -> bool:
    """A top-level page (no section around it): its own heading is the part's."""
    return len(section.pages) == 1 and section.pages[0].title == section.title


def _part_id(section: Section) -> str:
    return f"teil-{section.slug}"


def _page_id(dest: str) -> str:
    name = dest.removesuffix("index.html").strip("/") or "start"
    return "seite-" + re.sub(r"[^A-Za-z0-9_-]+", "-", name)


_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)


def _article(site: Path, page: Page) -> str:
    text = (site / page.dest).read_text(encoding="utf-8")
    found = _ARTICLE.search(text)
    if found is None:
        raise ValueError(f"{page.dest}: no article in the built page")
    return found.group(1)


# Elements left out of the PDF with everything inside them: the edit button, permalinks,
# the text a narrow screen shows instead of a chart, and the site's own PDF links.
_DROP = re.compile(r"\b(md-content__button|headerlink|hb-visual__fallback|hb-pdf-links)\b")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def _rewrite(article: str, page: Page, inside: dict[str, Page], part: str | None) -> str:
    rewriter = _Rewriter(page, inside, part)
    rewriter.feed(article)
    rewriter.close()
    return "".join(rewriter.out)


class _Rewriter(HTMLParser):
    """Copies an article's HTML, giving every id the page's prefix (ids repeat across pages),
    turning links into the same document into internal links, links to pages outside it into
    plain text, resolving images against the site root, opening ``<details>`` and leaving out
    the elements ``_DROP`` names."""

    def __init__(self, page: Page, inside: dict[str, Page], part: str | None) -> None:
        super().__init__(convert_charrefs=False)
        self.page, self.inside = page, inside
        self.part = part  # a top-level page: its first heading names the part (outline, running head)
        self.prefix = _page_id(page.dest)
        self.out: list[str] = []
        self.open: list[tuple[str, bool]] = []  # open elements: tag, whether it is a tabbed set
        self.skip: list[str] = []  # the open elements of a dropped subtree
        self.tabs: list[list[str]] = []  # per open tabbed set: the labels of its blocks still to come
        self.label: list[str] | None = None  # the text of the tab label being read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        void = closed or tag in _VOID
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if self.skip:
            if tag == "label" and self.skip == ["div"] and self.tabs:  # in a set's tabbed-labels
                self.label = []
            if not void:
                self.skip.append(tag)
            return
        tab_input = tag == "input" and (values.get("name") or "").startswith("__tabbed_")
        if _DROP.search(" ".join(classes)) or "tabbed-labels" in classes or tab_input:
            if not void:
                self.skip.append(tag)
            return
        kept: list[tuple[str, str | None]] = []
        for name, value in attrs:
            if name == "id" and value is not None:
                value = f"{self.prefix}--{value}"
            elif name in ("href", "xlink:href") and value is not None:
                value = self._link(value)
                if value is None:
                    continue
            elif name == "src" and value is not None:
                value = self._resource(value)
            kept.append((name, value))
        if tag == "h1" and self.part is not None:
            kept.append(("data-part", self.part))
            self.part = None
        if tag == "details" and not any(name == "open" for name, _ in kept):
            kept.append(("open", None))
        attributes = "".join(
            f" {name}" if value is None else f' {name}="{html.escape(value, quote=True)}"'
            for name, value in kept
        )
        self.out.append(f"<{tag}{attributes}{' /' if closed else ''}>")
        if void:
            return
        self.open.append((tag, "tabbed-set" in classes))
        if "tabbed-set" in classes:
            self.tabs.append([])
        if "tabbed-block" in classes and self.tabs and self.tabs[-1]:
            self.out.append(f'<p class="tabbed-title">{self.tabs[-1].pop(0)}</p>')

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if self.skip[-1] == tag:
                self.skip.pop()
            if tag == "label" and self.label is not None:
                self.tabs[-1].append("".join(self.label))
                self.label = None
            return
        if tag in _VOID:
            return
        while self.open:  # close what the tag closes (HTML may leave end tags out)
            opened, tabbed = self.open.pop()
            if tabbed:
                self.tabs.pop()
            if opened == tag:
                break
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self._text(data)

    def handle_entityref(self, name: str) -> None:
        self._text(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._text(f"&#{name};")

    def _text(self, text: str) -> None:
        if self.label is not None:
            self.label.append(text)
        elif not self.skip:
            self.out.append(text)

    def handle_comment(self, data: str) -> None:
        pass

    def _link(self, href: str) -> str | None:
        """An internal link within the PDF, an external one as it is, None for other pages."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            return href
        fragment = unquote(parts.fragment)
        if not parts.path:
            return f"#{self.prefix}--{fragment}" if fragment else f"#{self.prefix}"
        target = _site_path(self.page, unquote(parts.path))
        if target not in self.inside:
            return None
        prefix = _page_id(target)
        return f"#{prefix}--{fragment}" if fragment else f"#{prefix}"

    def _resource(self, src: str) -> str:
        parts = urlsplit(src)
        if parts.scheme or parts.netloc:
            return src  # the fetcher refuses it
        return posixpath.normpath(posixpath.join(posixpath.dirname(self.page.dest), unquote(parts.path)))


def _site_path(page: Page, path: str) -> str:
    """The built file a relative link of ``page`` points at ('../ziele/' -> 'ziele/index.html');
    a link to a Markdown file (left so inside raw HTML) counts from the page's Markdown path."""
    if path.endswith(".md"):
        stem = posixpath.normpath(posixpath.join(posixpath.dirname(page.src), path)).removesuffix(".md")
        if stem == "index" or stem.endswith("/index"):
            return stem + ".html"
        return stem + "/index.html"
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page.dest), path))
    if joined == ".":
        return "index.html"
    return joined + "/index.html" if path.endswith("/") else joined


def site_fetcher(site: Path) -> Any:
    """A WeasyPrint URL fetcher that reads files inside ``site`` and refuses every other URL
    (remote, ``file:`` outside the site, ``data:`` is allowed as it needs no request)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    root = site.resolve()

    class _SiteFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols=("file", "data"))
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Iterable | None = None):  # type: ignore[override]
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file" and not parts.netloc:
                path = Path(unquote(parts.path)).resolve()
                if path.is_relative_to(root) and path.is_file():
                    return URLFetcherResponse(url, path.read_bytes(), _type(path))
            self.refused.append(url)
            # info, not a warning: the page itself is what a strict build judges
            log.info(f"PDF: left out {url}: only files of the built site go into the PDF")
            raise ValueError(f"not a file of the built site: {url}")

    return _SiteFetcher()


def _type(path: Path) -> dict[str, str]:
    types = {
        ".svg": "image/svg+xml",
        ".png": "image/png",
        ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg",
        ".gif": "image/gif",
        ".webp": "image/webp",
        ".css": "text/css",
    }
    return {"Content-Type": types.get(path.suffix.lower(), "application/octet-stream")}


STYLE = """
@page {
  size: A4; margin: 22mm 18mm 20mm 18mm;
  @top-left { content: string(part); font-size: 8pt; color: #555; }
  @bottom-right { content: "Seite " counter(page); font-size: 8pt; color: #555; }
}
@page :first { @top-left { content: none; } @bottom-right { content: none; } }
html { font-family: "Liberation Sans", "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.4;
  color: #1b1f24; }
h1, h2, h3, h4, h5, h6 { bookmark-level: none; break-after: avoid; line-height: 1.2; }
.cover { break-after: page; padding-top: 50mm; }
.cover--part { padding-top: 30mm; }
.cover__org { font-size: 13pt; margin: 0 0 3mm; }
.cover__title { font-size: 24pt; font-weight: bold; margin: 0 0 8mm; }
.cover--part .cover__title { font-size: 14pt; margin-bottom: 4mm; }
.part__title { string-set: part content(); bookmark-level: 1; font-size: 22pt; margin: 0 0 10mm; }
.cover__facts { font-size: 11pt; margin-bottom: 12mm; }
.cover__facts dt { font-weight: bold; margin-top: 3mm; }
.cover__facts dd { margin: 0; }
.toc { break-after: page; }
.cover--part .toc { break-after: auto; }
.toc__title { font-size: 15pt; }
.toc ol { list-style: none; padding-left: 0; }
.toc ol ol { padding-left: 6mm; margin-bottom: 2mm; }
.toc__part > a { font-weight: bold; }
.toc li { margin: 1mm 0; }
.toc a { color: inherit; text-decoration: none; }
.toc a::after { content: leader(".") " " target-counter(attr(href), page); }
.part { break-before: page; }
.page { break-before: page; }
.part > .page:first-child { break-before: auto; }
.page h1 { bookmark-level: 2; font-size: 17pt; }
.page--lone h1 { bookmark-level: none; }
.page--single h1[data-part] { string-set: part attr(data-part); bookmark-level: 1;
  bookmark-label: attr(data-part); font-size: 20pt; }
.page h2 { bookmark-level: 3; font-size: 13pt; margin-top: 6mm; }
.page h3 { font-size: 11pt; }
a { color: #0b57a3; text-decoration: none; }
table { border-collapse: collapse; width: 100%; margin: 3mm 0; font-size: 8.5pt; }
th, td { border: 0.5pt solid #b8c0c8; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
thead th { background: #eef1f4; }
tr, img, svg, figure { break-inside: avoid; }
pre, code { font-family: "Liberation Mono", "DejaVu Sans Mono", monospace; font-size: 8.5pt; }
pre { white-space: pre-wrap; background: #f4f6f8; padding: 2mm; }
img, svg.hb-svg { max-width: 100%; height: auto; }
.md-icon svg, .twemoji svg, .twemoji img { width: 1.1em; height: 1.1em; vertical-align: -0.15em; }
figure { margin: 3mm 0; }
figcaption { font-size: 8.5pt; color: #555; }
.admonition, details { border-left: 1mm solid #0b57a3; background: #f4f7fb; padding: 1mm 3mm;
  margin: 3mm 0; break-inside: avoid-page; }
.admonition-title, summary { font-weight: bold; margin: 1mm 0; display: block; }
details > summary::marker { content: none; }
.tabbed-set > input, .tabbed-labels > label > input { display: none; }
.tabbed-labels { display: none; }
.tabbed-block { margin: 2mm 0; }
.task-list-item { list-style: none; }
.task-list-control input { display: none; }
.task-list-indicator::before { content: "☐ "; }
.task-list-control input[checked] + .task-list-indicator::before { content: "☑ "; }
.hb-review { display: block; font-size: 8pt; color: #444; border: 0.5pt solid #b8c0c8; padding: 1mm 2mm;
  margin: 0 0 3mm; }
.hb-review span { margin-right: 3mm; }
abbr { text-decoration: none; }
.hb-legend { list-style: none; padding: 0; font-size: 8.5pt; }
.hb-legend li { display: inline-block; margin-right: 4mm; }
.hb-legend__swatch { display: inline-block; width: 3mm; height: 3mm; margin-right: 1mm;
  background: var(--hb-swatch); }
"""
