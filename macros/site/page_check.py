"""What ``handbook check`` finds in the written pages (``content/``) before a build renders them:
a template tag that does not parse, a call of a name that is no macro (the page's own macros and
variables aside), and a macro called with a fragment, chart, case or form that does not exist.
Each is placed at its page's file, line and column, as the build would stop on it later
(page_macros). Pages are parsed, not rendered: milliseconds, whatever the size of the plans.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import jinja2
from jinja2 import nodes
from jinja2.defaults import DEFAULT_NAMESPACE

from ..checks.problems import Problem
from ..data import labels
from ..data.files import shown
from ..data.positions import display_path
from .macros_api import UNIT_CASES, macros
from .overlay import page_body
from .page_macros import SYNTAX_HINT, argument_column, failure_line, line_text, name_column, tag_column
from .render import fragments
from .settings import adds_macros
from .visuals import VISUALS

# What mkdocs-macros and Jinja let every page call besides the handbook's macros
_BUILT_IN = {"context", "macros_info", "now", "fix_url"} | set(DEFAULT_NAMESPACE)


def choices() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Per macro whose first argument is one of a fixed set: what it names, and the set."""
    return {
        "show": ("fragment", fragments()),
        "visual": ("visual", tuple(sorted(VISUALS))),
        "unit": ("case", UNIT_CASES),
        "people": ("form", labels.PEOPLE_FORMS),
    }


def page_problems(content: Path) -> list[Problem]:
    """The problems of every Markdown page in ``content``, in file order. When the project's
    mkdocs.yml has mkdocs-macros load macros of its own, a call of a name the handbook does not
    define is left to the build: it may be one of them."""
    names: list[str] | None = sorted(macros(lambda: None, lambda: "index.md"))  # type: ignore[arg-type,return-value]
    parser, fixed = jinja2.Environment(), choices()
    if adds_macros(content.parent):
        names = None
    problems: list[Problem] = []
    for path in sorted(content.rglob("*.md")):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeError):
            continue  # MkDocs reports a page it cannot read; the plans check is not about it
        if "{{" in text or "{%" in text:
            problems.extend(_Page(shown(display_path(path)), text).problems(parser, names, fixed))
    return problems


class _Page:
    def __init__(self, display: str, text: str) -> None:
        self.display = display
        self.offset, self.body = page_body(text)
        self.lines = self.body.splitlines()

    def problems(
        self,
        parser: jinja2.Environment,
        names: list[str] | None,
        fixed: dict[str, tuple[str, tuple[str, ...]]],
    ) -> list[Problem]:
        try:
            template = parser.parse(self.body)
        except jinja2.TemplateSyntaxError as exc:
            line = failure_line(exc)
            message = f"the template tag does not parse: {exc.message}"
            return [self._problem(line, tag_column(self._text(line)), "template", message, SYNTAX_HINT)]
        found = []
        walked = list(template.find_all(_WALKED))
        defined = _defined(walked)
        for call in walked:
            if not isinstance(call, nodes.Call) or not isinstance(call.node, nodes.Name):
                continue
            name, line = call.node.name, call.lineno
            text = self._text(line)
            if name in fixed and call.args and isinstance(call.args[0], nodes.Const):
                what, values = fixed[name]
                value = str(call.args[0].value)
                if value not in values:
                    message = f"unknown {what} '{value}'; known: {', '.join(values)}"
                    hint = _did_you_mean(value, values, 0.6) or f"use one of the known {what}s"
                    column = argument_column(text, value) or tag_column(text)
                    found.append(self._problem(line, column, name, message, hint))
            elif names is not None and name not in names and name not in _BUILT_IN and name not in defined:
                message = f"'{name}' is not a macro of the handbook"
                hint = _did_you_mean(name, names, 0.75) or f"pages may call: {', '.join(names)}"
                column = name_column(text, name) or tag_column(text)
                found.append(self._problem(line, column, name, message, hint))
        return found

    def _text(self, line: int) -> str:
        return line_text(self.lines, line)

    def _problem(self, line: int, column: int, where: str, message: str, hint: str) -> Problem:
        source = self.lines[line - 1] if 0 < line <= len(self.lines) else None
        return Problem(
            self.display,
            line + self.offset,
            column,
            where,
            message,
            hint,
            code="page-macro",
            source_line=source,
        )


_WALKED = (nodes.Call, nodes.Name, nodes.Macro, nodes.Import, nodes.FromImport)


def _defined(walked: list[nodes.Node]) -> set[str]:
    """Names the page defines itself: its macros, variables and imports."""
    names: set[str] = set()
    for node in walked:
        if (isinstance(node, nodes.Name) and node.ctx in ("store", "param")) or isinstance(node, nodes.Macro):
            names.add(node.name)
        elif isinstance(node, nodes.Import):
            names.add(node.target)
        elif isinstance(node, nodes.FromImport):
            names |= {name if isinstance(name, str) else name[1] for name in node.names}
    return names


def _did_you_mean(value: str, values: list[str] | tuple[str, ...], cutoff: float) -> str:
    match = difflib.get_close_matches(value, values, 1, cutoff)
    return f"did you mean '{match[0]}'?" if match else ""
