"""Layer 2b: ids that clash with the hand-written pages the build puts them next to.

A record of a section kind gets the page ``<folder>/<id>.md`` (``macros.site.pages``); a record
without a page gets the anchor ``<prefix>-<id>`` on the page that shows it
(both declared in ``macros.data.kinds``), a guideline rule ``regel-<id>`` on its topic's page. When that page
or anchor already exists in the hand-written Markdown, the build either stops late or silently
emits two elements with the same HTML id. Reported here, at the id in the YAML, so that
``handbook check`` finds it first. No MkDocs: only the Markdown files are read.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..data.bundle import written_page
from ..data.fields import ID_PATTERN
from ..data.kinds import KINDS, TEMPLATES, anchor_kinds, label_en, page_kinds, page_path
from ..data.loader import Document
from ..data.positions import display_path, format_loc, project_of, short
from ..data.walk import Definition
from .problems import Problem


def default_content_dir(plans_dir: Path, content_dir: Path | None = None) -> Path | None:
    """The given docs folder, else ``content/`` beside ``plans/`` when it exists."""
    if content_dir is not None:
        return content_dir
    beside = project_of(plans_dir) / "content"
    return beside if beside.is_dir() else None


def find_clashes(
    ids: dict[str, dict[str, Definition]],
    docs: dict[str, Document],
    displays: dict[str, str],
    content: Path | None,
) -> list[Problem]:
    """Every generated page path and record anchor that the hand-written pages in ``content``
    already use (with no ``content``, only the reserved id 'index')."""
    if content is not None and not content.is_dir():
        content = None
    stems = {display: stem for stem, display in displays.items()}

    def problem(d: Definition, message: str, hint: str) -> Problem:
        doc = docs.get(stems.get(d.file, ""))
        return Problem(
            d.file,
            d.line,
            d.column,
            format_loc(d.loc),
            message,
            hint + "; update references too",
            code="id-clash",
            source_line=doc.line_text(d.line) if doc else None,
        )

    problems = [problem(d, m, h) for d, m, h in _page_clashes(ids, content)]
    if content is not None:
        problems += [problem(d, m, h) for d, m, h in _anchor_clashes(ids, content)]
    return problems


def _valid(definitions: dict[str, Definition]) -> Iterator[Definition]:
    # A malformed id is already a shape error; its page or anchor is not worth a second report.
    return (d for d in definitions.values() if re.fullmatch(ID_PATTERN, d.id))


def _page_clashes(
    ids: dict[str, dict[str, Definition]], content: Path | None
) -> Iterator[tuple[Definition, str, str]]:
    written = _written_names(content) if content is not None else frozenset()
    for section in page_kinds():
        label = section.label_en
        for d in _valid(ids.get(section.name, {})):
            if d.id == "index":
                overview = content / section.folder / "index.md" if content is not None else None
                shown = (
                    display_path(overview)
                    if overview is not None and overview.is_file()
                    else f"{section.folder}/index.md"
                )
                yield (
                    d,
                    f"{label} id 'index' is reserved for the section overview",
                    f"choose another id; 'index' is the section overview {shown}",
                )
                continue
            if content is None:
                continue
            path = page_path(section.name, d.id)
            # With directory URLs, <id>.md and <id>/index.md are the same address <id>/.
            for candidate in (
                path,
                f"{section.folder}/{d.id}/index.md",
                f"{section.folder}/{d.id}/README.md",
            ):
                file = content / candidate
                if candidate.casefold() in written and file.is_file():  # as the file system sees it
                    shown = display_path(file)
                    same = "" if candidate == path else f" (same address as the generated page {path})"
                    yield (
                        d,
                        f"{label} id '{d.id}' clashes with the hand-written page {shown}",
                        f"choose another id; '{d.id}' is the hand-written page {shown}{same}",
                    )
                    break


def _written_names(content: Path) -> frozenset[str]:
    """The files in ``content``, as paths relative to it, case-folded (one listing instead of a
    look-up per record)."""
    names = []
    for folder, _, files in os.walk(content, followlinks=True):  # as MkDocs reads docs_dir
        relative = Path(folder).relative_to(content).as_posix()
        prefix = "" if relative == "." else f"{relative}/"
        names.extend(f"{prefix}{name}".casefold() for name in files)
    return frozenset(names)


def _anchor_clashes(
    ids: dict[str, dict[str, Definition]], content: Path
) -> Iterator[tuple[Definition, str, str]]:

    pages: dict[str, dict[str, Anchor]] = {}

    def anchors_of(page: str) -> dict[str, Anchor]:
        if page not in pages:
            file = written_page(content, page)  # the handbook's own page, else the engine's
            pages[page] = _page_anchors(file, TEMPLATES) if file is not None else {}
        return pages[page]

    for k in anchor_kinds():
        for d in _valid(ids.get(k.name, {})):
            found = anchors_of(k.page).get(f"{k.anchor}-{d.id}")
            if found is not None:
                yield d, *_anchor_texts(k.label_en, d.id, f"{k.anchor}-{d.id}", found)

    # Records shown on their parent's generated page (a guideline rule on its topic's page): the
    # fixed part of that page is the parent kind's template.
    for k in KINDS.values():
        if not (k.parent and k.anchor):
            continue
        parents = {d.loc[:-1]: d for d in ids.get(k.parent, {}).values()}
        parent_label = label_en(k.parent)
        page = _first(_template_anchors(TEMPLATES, f"page_{k.parent}.md", None))
        for d in _valid(ids.get(k.name, {})):
            found = page.get(f"{k.anchor}-{d.id}")
            if found is not None:
                parent = next((t for loc, t in parents.items() if d.loc[: len(loc)] == loc), None)
                on = f"the page of {parent_label} '{parent.id}'" if parent else f"its {parent_label}'s page"
                yield d, *_anchor_texts(k.label_en, d.id, f"{k.anchor}-{d.id}", found, on)


def _anchor_texts(label: str, rid: str, anchor: str, found: Anchor, on: str = "") -> tuple[str, str]:
    page = on or found.page
    message = f"{label} id '{rid}' gives the anchor '#{anchor}' on {page}, which already has it"
    hint = f"choose another id; '#{anchor}' is {found.what} at {found.file}:{found.line}"
    return message, hint


# --- anchors of a Markdown page -------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    """An HTML id that a page's own Markdown produces."""

    id: str
    file: str  # where it is written (the page, or a template shown on it)
    line: int
    what: str  # 'the heading "…"', "the attribute '{: #… }'", 'the HTML attribute id="…"'
    page: str = ""  # the page it ends up on


_JINJA = ("{{", "{%", "{#")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_ATX = re.compile(r"^[ \t]*(#{1,6})(?!#)(.*)$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_HEADER_ATTR = re.compile(r"[ ]+\{:?[ ]*([^}\n ][^\n]*?)[ ]*\}[ ]*$")
_ATTR = re.compile(r"\{:?[ ]*([^{}\n]*?)[ ]*\}")
_ATTR_TOKEN = re.compile(r"""[^ =}]+="[^"]*"|[^ =}]+='[^']*'|[^ =}]+=[^ =}]+|[^ =}]+""")
_HTML_ID = re.compile(r"""<[A-Za-z][^<>]*?(?<![\w-])id[ \t]*=[ \t]*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_SHOW = re.compile(r"""\bshow\(\s*["']([A-Za-z0-9_]+)["']""")
_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n.*?\n(?:\.{3}|-{3})[ \t]*(?:\n|\Z)", re.DOTALL)


def _page_anchors(file: Path, templates: Path) -> dict[str, Anchor]:
    """The ids a hand-written page has: its own lines, then the fixed lines of the fragments
    it shows (``show("NAME")``). Lines with Jinja in them are left out: they render data."""
    try:
        text = file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    shown = display_path(file)
    anchors = list(_anchors(text, shown, shown))
    for name in dict.fromkeys(_SHOW.findall(text)):
        anchors += _template_anchors(templates, f"{name}.md", shown)
    return _first(anchors)


def _template_anchors(templates: Path, name: str, page: str | None) -> list[Anchor]:
    try:
        text = (templates / name).read_text(encoding="utf-8")
    except OSError:
        return []
    where = f"macros/site/templates/{name}"
    return list(_anchors(text, where, page or where))


def _anchors(text: str, file: str, page: str) -> Iterator[Anchor]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first = 1
    front = _FRONT_MATTER.match(text)
    if front:
        first += front.group(0).count("\n")
        text = text[front.end() :]
    fence = ""
    comment = False
    previous = ""  # the line before when it starts a block: the text of a setext heading
    starts = True  # whether the next line starts a block (Python-Markdown's setext rule)
    for number, line in enumerate(text.split("\n"), start=first):
        if fence:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence, starts = "", True
            continue
        opened = _FENCE.match(line)
        if opened:
            fence, previous = opened.group(1), ""
            continue
        line, comment = _outside_comments(line, comment)
        if any(mark in line for mark in _JINJA):
            previous, starts = "", False
            continue
        atx = _ATX.match(line)
        setext = _SETEXT.match(line) if previous and not atx else None
        if atx or setext:
            raw = re.sub(r"#*$", "", atx.group(2).rstrip()).strip() if atx else previous.strip()
            anchor = _heading_anchor(raw)
            if anchor:
                title = short(_HEADER_ATTR.sub("", " " + raw).strip())
                yield Anchor(anchor, file, number if atx else number - 1, f'the heading "{title}"', page)
            previous, starts = "", True
            if setext:
                continue
        plain = _CODE_SPAN.sub("\x00", line)  # a code span: no markup inside, an element before
        for match in _ATTR.finditer(plain):
            if not _attr_applies(plain, match):
                continue
            for value in _attr_ids(match.group(1)):
                yield Anchor(value, file, number, f"the attribute '{short(match.group(0))}'", page)
        for match in _HTML_ID.finditer(plain):
            value = html.unescape(next(g for g in match.groups() if g is not None))
            yield Anchor(value, file, number, f'the HTML attribute id="{short(value)}"', page)
        if not atx:
            previous = line if line.strip() and starts else ""
            starts = not line.strip()


def _outside_comments(line: str, inside: bool) -> tuple[str, bool]:
    """The part of a line outside HTML comments, and whether a comment is still open after it."""
    out = ""
    while line:
        if inside:
            end = line.find("-->")
            if end == -1:
                return out, True
            line, inside = line[end + 3 :], False
        else:
            start = line.find("<!--")
            if start == -1:
                return out + line, False
            out, line, inside = out + line[:start], line[start + 4 :], True
    return out, inside


def _first(anchors: Iterator[Anchor] | list[Anchor]) -> dict[str, Anchor]:
    """By id, the first place that sets it (a heading before its own attribute list)."""
    found: dict[str, Anchor] = {}
    for anchor in anchors:
        found.setdefault(anchor.id, anchor)
    return found


def _attr_applies(line: str, match: re.Match[str]) -> bool:
    """Whether attr_list would use this list: alone on its line (the block before it), at the end
    of a table cell, or right after an inline element (link, emphasis, code span …)."""
    before, after = line[: match.start()], line[match.end() :]
    return (
        not before.strip()
        or ("|" in line and (not after.strip() or after.lstrip().startswith("|")))
        or before[-1:] in (")", "]", "*", "_", "~", ">", "\x00")
    )


def _attr_ids(inner: str) -> list[str]:
    """The id an attribute list ``{: #a .b key=c }`` sets: the last of '#id' and 'id=' wins."""
    out = []
    for token in _ATTR_TOKEN.findall(inner):
        if token.startswith("#") and len(token) > 1:
            out = [token[1:]]
        elif token.startswith("id="):
            out = [token[3:].strip("\"'")]
    return out


def _heading_anchor(raw: str) -> str:
    """The id the toc extension gives a heading: its attribute id, else the slug of its text."""
    attr = _HEADER_ATTR.search(raw)
    if attr:
        ids = _attr_ids(attr.group(1))
        if ids:
            return ids[0]
        raw = raw[: attr.start()]
    return _slugify()(_heading_text(raw), "-")


def _heading_text(raw: str) -> str:
    """Roughly the text the toc extension slugifies: markup gone, entities decoded."""
    text = _CODE_SPAN.sub(lambda m: m.group(0).strip("`").strip(), raw)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)  # an image leaves no text
    text = re.sub(
        r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\[[^\]]*\]", lambda m: m.group(1) or m.group(2) or "", text
    )
    text = re.sub(r"(?<!\w)(__|_)(?!_)(.+?)(?<!_)\1(?!\w)", r"\2", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!])", r"\1", text)
    return html.unescape(text)


_slug: Callable[[str, str], str] | None = None


def _slugify() -> Callable[[str, str], str]:
    """The slugify of mkdocs.yml (``pymdownx.slugs.slugify(case="lower")``), imported on first use."""
    global _slug
    if _slug is None:
        from pymdownx.slugs import slugify

        _slug = slugify(case="lower")
    return _slug
