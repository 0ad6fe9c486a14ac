"""Page fixes as a Python-Markdown extension (``markdown_extensions: - macros.site.page_fixes`` in
mkdocs.yml), so that they hold under any renderer that runs Markdown extensions, MkDocs hooks or not:

- a task-list checkbox is named by its task (``aria-label``), so a screen reader says what it ticks;
- glossary tooltips (``<abbr>``) stay out of headings and links: a term there would be underlined
  twice and its tooltip would fight the link;
- an anchor that exists twice on a page stops the build: a link to it would land on the wrong one.
  ``handbook check`` reports the clashes it can foresee (ids against hand-written anchors);
- every data cell of a Markdown table carries its column's header text (``data-label``), so that
  handbook.css can show a table on a narrow screen as one block per row, each value under its
  header, instead of columns cut off at the screen's edge;
- the abbr extension finds glossary terms with one regex per glossary shaped as a trie instead of
  an alternation of every term, which the regex engine tries one by one at every position of every
  text: the cost per page no longer grows with the glossary's size.

It works on a page's finished HTML (a postprocessor, run after raw HTML is put back), so it sees
everything abbr, tasklist, toc, attr_list and raw HTML blocks produced.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Any

from markdown import Extension, Markdown
from markdown.extensions.abbr import AbbrTreeprocessor
from markdown.postprocessors import Postprocessor
from markdown.util import AtomicString

from .escape import html_attr, one_line

try:  # MkDocs (and ProperDocs, which answers for mkdocs.*) print a BuildError's message, no traceback
    from mkdocs.exceptions import PluginError as _BuildError
except ImportError:  # another renderer: any exception stops its build
    _BuildError = RuntimeError  # type: ignore[assignment,misc]


class DuplicateAnchor(_BuildError):
    """An id exists twice on one page."""


_TASK = re.compile(
    r'(<label class="task-list-control">)<input type="checkbox"([^>]*)/>'
    r'(<span class="task-list-indicator"></span></label>)(.*?)(?=</li>|<ul|<ol|<p>|$)',
    re.DOTALL,
)
_TAGS = re.compile(r"<[^>]+>")
_HEADING_OR_LINK = re.compile(r"<(h[1-6]|a)\b[^>]*>.*?</\1>", re.DOTALL)
_ABBR = re.compile(r"<abbr title=\"[^\"]*\">(.*?)</abbr>", re.DOTALL)
_ID = re.compile(r"""<[a-zA-Z][^>]*?\sid=["']([^"']+)["']""")


def fix_page(html_text: str, page: str | None = None) -> str:
    """The fixes on one page's HTML; ``page`` names it in the duplicate-anchor error. Each pass
    runs only where its markup occurs (toc runs this on every heading's text too)."""
    if 'class="task-list-control"' in html_text:
        html_text = _TASK.sub(_label_task, html_text)
    if "<table>" in html_text:
        html_text = _TABLE.sub(_label_cells, html_text)
    if "id=" in html_text:
        _unique_ids(html_text, page)
    if "<abbr " not in html_text:
        return html_text
    return _HEADING_OR_LINK.sub(_without_abbr, html_text)


def _without_abbr(match: re.Match) -> str:
    text = match.group(0)
    return _ABBR.sub(r"\1", text) if "<abbr " in text else text


def _label_task(match: re.Match) -> str:
    text = " ".join(html.unescape(_TAGS.sub("", match.group(4))).split())
    label = html.escape(text or "Aufgabe", quote=True)
    return (
        f'{match.group(1)}<input type="checkbox"{match.group(2)} aria-label="{label}"/>'
        f"{match.group(3)}{match.group(4)}"
    )


# Tables as the tables extension writes them: no attributes on <table>, one header row, no nesting.
_TABLE = re.compile(r"<table>(.*?)</table>", re.DOTALL)
_HEADER_CELL = re.compile(r"<th\b[^>]*>(.*?)</th>", re.DOTALL)
_ROW = re.compile(r"<tr>(.*?)</tr>", re.DOTALL)
_DATA_CELL = re.compile(r"<td\b")


def _label_cells(match: re.Match) -> str:
    head, end, body = match.group(1).partition("</thead>")
    if not end:
        return match.group(0)
    names = [one_line(html.unescape(_TAGS.sub("", cell))) for cell in _HEADER_CELL.findall(head)]
    cells = [f'<td data-label="{html_attr(name)}"' if name else "<td" for name in names]

    def row(found: re.Match) -> str:
        parts = _DATA_CELL.split(found.group(0))  # the text before each cell's '<td'
        labelled = [parts[0]]
        for index, rest in enumerate(parts[1:]):
            labelled += (cells[index] if index < len(cells) else "<td", rest)
        return "".join(labelled)

    return f"<table>{head}{end}{_ROW.sub(row, body)}</table>"


def _unique_ids(html_text: str, page: str | None) -> None:
    seen: set[str] = set()
    for anchor in _ID.findall(html_text):
        if anchor in seen:
            where = f"{page}: " if page else ""
            raise DuplicateAnchor(
                f"{where}the anchor '#{anchor}' exists twice on this page; "
                "rename the heading or the record id that produces it"
            )
        seen.add(anchor)


def _page_of(md: Markdown) -> str | None:
    """The page being converted, where the renderer tells: MkDocs and ProperDocs register
    treeprocessors that carry the page's file."""
    for name in ("relpath", "mkdocs_extract_anchors"):
        if name in md.treeprocessors:
            src_uri = getattr(getattr(md.treeprocessors[name], "file", None), "src_uri", None)
            if isinstance(src_uri, str):
                return src_uri
    return None


class _PageFixes(Postprocessor):
    def run(self, text: str) -> str:
        return fix_page(text, _page_of(self.md))


def trie_pattern(words: frozenset[str]) -> str:
    """One regex matching exactly the given words, longest first, as a trie: at each character
    the engine follows one branch instead of trying every word."""
    root: dict = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)


@lru_cache(maxsize=8)
def _abbr_regex(words: frozenset[str]) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{trie_pattern(words)})\b")


_NO_ABBR = frozenset(("h1", "h2", "h3", "h4", "h5", "h6", "a"))


class _TrieAbbr(AbbrTreeprocessor):
    """abbr's treeprocessor with the trie regex (same matches: the longest term at a word
    boundary), without a search of the parent's children for every child (quadratic in a long
    page), and without entering headings and links, where no tooltip may go (see above)."""

    def run(self, root: Any) -> None:
        if not self.abbrs:
            return
        self.RE = _abbr_regex(frozenset(self.abbrs))
        self._element(root)

    def _element(self, el: Any) -> None:
        children = list(el)
        for index in range(len(children) - 1, -1, -1):  # backwards: insertions keep earlier indexes
            child = children[index]
            if child.tag not in _NO_ABBR:
                self._element(child)
            if child.tail and not isinstance(child.tail, AtomicString):
                child.tail = self._wrap(child.tail, el, index + 1)
        if el.text and not isinstance(el.text, AtomicString):
            el.text = self._wrap(el.text, el, 0)

    def _wrap(self, text: str, parent: Any, index: int) -> str:
        """Put an <abbr> for each term in ``text`` into ``parent`` at ``index``; the text before."""
        for m in reversed(list(self.RE.finditer(text))):
            if self.abbrs[m.group(0)]:
                parent.insert(index, self.create_element(self.abbrs[m.group(0)], m.group(0), text[m.end() :]))
                text = text[: m.start()]
        return text


class PageFixesExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        if "abbr" in md.treeprocessors:  # registered by abbr, listed before this extension
            abbr = md.treeprocessors["abbr"]
            md.treeprocessors.register(_TrieAbbr(md, abbr.abbrs), "abbr", 7)
        # Postprocessors run after every treeprocessor (abbr, tasklist, toc); priority 5 puts this
        # one after raw HTML (30) and '&' (20) are restored, on the HTML the page will show.
        md.postprocessors.register(_PageFixes(md), "handbook_page_fixes", 5)


def makeExtension(**kwargs: Any) -> PageFixesExtension:
    return PageFixesExtension(**kwargs)
