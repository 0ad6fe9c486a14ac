"""A handbook's own page replacing sections of the engine's written page of the same path.

A page in the handbook's ``content/`` replaces the engine's page as a whole. With
``override: sections`` in its front matter it replaces only the sections it has: each of its
headings names, by its id (``## Title {: #id }``, or the id the heading text gives), the section
of the engine's page it takes the place of, down to the next heading of the same or a higher level.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from pymdownx.slugs import slugify

# A page's front matter as MkDocs reads it (the page text starts after it); group 1: the YAML
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*\n", re.DOTALL)
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_ID = re.compile(r"[ \t]*\{:?[ \t]*[^}]*?#([\w-]+)[^}]*\}[ \t]*$")
_slug = slugify(case="lower")
MODES = ("page", "sections")


class OverlayError(Exception):
    """The handbook's page cannot be merged; ``line`` is 1-based in its file."""

    def __init__(self, line: int, message: str, hint: str) -> None:
        super().__init__(f"{message}; {hint}")
        self.line = line
        self.path = ""  # docs-relative, set by written_pages


@dataclass(frozen=True)
class Section:
    level: int
    id: str
    title: str
    start: int  # index of the heading line
    end: int  # index after the section's last line


def mode(text: str) -> str:
    """'sections' when the page's front matter says ``override: sections``, else 'page'."""
    match = FRONT_MATTER.match(text)
    if not match:
        return "page"
    try:
        meta = yaml.safe_load(match.group(1) or "") or {}
    except yaml.YAMLError:
        return "page"  # MkDocs reports broken front matter itself
    value = meta.get("override", "page") if isinstance(meta, dict) else "page"
    if value not in MODES:
        raise OverlayError(
            override_line(text),
            f"override: '{value}' is not a way to override a page",
            "write 'override: sections' to replace sections by their id, or leave it out to replace the page",
        )
    return value


def override_line(text: str) -> int:
    """The line of the ``override:`` key in the page's front matter (1 when there is none)."""
    match = FRONT_MATTER.match(text)
    head = text[: match.end()] if match else ""
    found = re.search(r"^override[ \t]*:", head, re.MULTILINE)
    return head[: found.start()].count("\n") + 1 if found else 1


def sections(lines: list[str]) -> list[Section]:
    """The headings (level 2 and lower) of a Markdown page outside code fences, with their extent."""
    found: list[tuple[int, str, str, int]] = []
    fence = ""
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if m:
            marker = m.group(1)
            if not fence:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = ""
            continue
        if fence:
            continue
        h = _HEADING.match(line)
        if h and len(h.group(1)) >= 2:
            text = h.group(2)
            explicit = _ID.search(text)
            title = text[: explicit.start()] if explicit else text
            found.append((len(h.group(1)), explicit.group(1) if explicit else _slug(title, "-"), title, i))
    out = []
    for n, (level, sid, title, start) in enumerate(found):
        end = next((s for lv, _, _, s in found[n + 1 :] if lv <= level), len(lines))
        out.append(Section(level, sid, title.strip(), start, end))
    return out


def page_body(text: str) -> tuple[int, str]:
    """A page's text after its front matter, and how many lines the front matter takes."""
    match = FRONT_MATTER.match(text)
    return (text[: match.end()].count("\n"), text[match.end() :]) if match else (0, text)


def merge(engine: str, own: str) -> str:
    """The engine's page with each section the handbook's page has replaced by the handbook's."""
    offset, body = page_body(own)
    own_lines = body.splitlines(keepends=True)
    own_sections = sections(own_lines)
    first = own_sections[0].start if own_sections else len(own_lines)
    stray = next((i for i, line in enumerate(own_lines[:first]) if line.strip()), None)
    if stray is not None:
        raise OverlayError(
            offset + stray + 1,
            "text outside a section: with 'override: sections' the page holds only sections",
            "start it with a heading whose id names the engine section it replaces (## Title {: #id })",
        )
    if not own_sections:
        raise OverlayError(
            override_line(own),
            "no section: with 'override: sections' the page holds the sections it replaces",
            "add a heading whose id names the engine section it replaces (## Title {: #id })",
        )
    top = min(s.level for s in own_sections)
    replacements: dict[str, tuple[Section, list[str]]] = {}
    for s in own_sections:
        if s.level == top or not any(o.start < s.start < o.end for o in own_sections if o.level < s.level):
            if s.id in replacements:
                raise OverlayError(
                    offset + s.start + 1,
                    f"section '{s.id}' is replaced twice on this page",
                    f"keep one of the two (the other is at line {offset + replacements[s.id][0].start + 1})",
                )
            replacements[s.id] = (s, own_lines[s.start : s.end])
    engine_lines = engine.splitlines(keepends=True)
    by_id = {s.id: s for s in sections(engine_lines)}
    for sid, (s, _) in replacements.items():
        if sid not in by_id:
            close = difflib.get_close_matches(sid, list(by_id), n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise OverlayError(
                offset + s.start + 1,
                f"the engine's page has no section '{sid}' to replace",
                f"{hint}sections there: {', '.join(by_id) or 'none'}",
            )
    out: list[str] = []
    i = 0
    targets = [(by_id[sid], lines) for sid, (_, lines) in replacements.items()]
    targets.sort(key=lambda t: t[0].start)
    outer = None
    for target, lines in targets:
        if outer is not None and target.start < outer.end:
            own_heading = replacements[target.id][0]
            raise OverlayError(
                offset + own_heading.start + 1,
                f"section '{target.id}' is part of section '{outer.id}', which this page replaces too",
                f"write it inside the section '{outer.id}' (as a lower heading), or replace only one of them",
            )
        outer = target
        out += engine_lines[i : target.start]
        out.append("".join(lines).rstrip("\n") + "\n")
        if target.end < len(engine_lines):
            out.append("\n")  # one blank line before the engine's next heading
        i = target.end
    out += engine_lines[i:]
    return "".join(out)


def written_pages(docs: Path, engine: Path) -> Iterator[tuple[str, Path, str | None]]:
    """Every written file of a handbook: (docs-relative path, its file, merged Markdown or None).

    The handbook's own files come first; then each engine file it does not have. An own page with
    ``override: sections`` comes with the engine's page merged into it (OverlayError if it cannot).
    """
    own = {p.relative_to(docs).as_posix(): p for p in sorted(docs.rglob("*")) if p.is_file()}
    same = docs.resolve() == engine.resolve()
    for rel, path in own.items():
        merged = None
        if not same and rel.endswith(".md"):
            text = path.read_text(encoding="utf-8-sig")
            try:
                if mode(text) == "sections":
                    merged = merge(_engine_page(engine, rel, text), text)
            except OverlayError as exc:
                exc.path = rel
                raise
        yield rel, path, merged
    if same:
        return
    for path in sorted(engine.rglob("*")):
        rel = path.relative_to(engine).as_posix()
        if path.is_file() and rel not in own and not any(part.startswith(".") for part in rel.split("/")):
            yield rel, path, None


def _engine_page(engine: Path, rel: str, own: str) -> str:
    """The text of the engine's page that ``rel`` replaces sections of (OverlayError if none)."""
    if (engine / rel).is_file():
        return (engine / rel).read_text(encoding="utf-8")
    pages = [p.relative_to(engine).as_posix() for p in sorted(engine.rglob("*.md"))]
    close = difflib.get_close_matches(rel, pages, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    raise OverlayError(
        override_line(own),
        f"'override: sections', but the engine has no page '{rel}' whose sections this page could replace",
        f"{hint}name the file like the engine's page, or leave out 'override' for a page of your own",
    )
