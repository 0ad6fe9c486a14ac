"""How mkdocs-macros compiles a page's Markdown as a template, and what a failing macro reports.

Each distinct page text is compiled once per build (every generated page has the same text). A
macro call that fails, or a template that does not parse, stops the build (the plugin raises it
once the page is rendered) with the written page's path, line and column, what is wrong and how to
fix it, instead of mkdocs-macros' Python traceback and exit; ``mkdocs serve`` keeps serving.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from jinja2 import BytecodeCache, Environment, Template, TemplateSyntaxError, UndefinedError

from .escape import one_line


@dataclass(frozen=True)
class MacroError:
    """A macro call or template tag on a written page that fails: where, what, how to fix it."""

    where: str  # 'content/index.md:12:5'
    message: str
    hint: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}\n  hint: {self.hint}"


_UNDEFINED = re.compile(r"^'([^']+)' is undefined$")
_TAG = re.compile(r"\{\{|\{%")
SYNTAX_HINT = "close each '{{' with '}}' and '{%' with '%}'; put literal braces in {% raw %}…{% endraw %}"
_QUALIFIED = re.compile(r"^(?:[\w]+\.<locals>\.)+")
_QUOTED = re.compile(r"'([^']+)'")


def macro_error(
    error: Exception, markdown: str, display: str, line: int, offset: int, known: Iterable[str]
) -> MacroError:
    """The report for ``error``, raised at ``line`` of the page text ``markdown`` (``offset`` lines
    of front matter come before it in the file ``display``); ``known``: the names pages may use."""
    text = line_text(markdown.splitlines(), line)
    column = tag_column(text)
    names = ", ".join(sorted(known))
    undefined = _UNDEFINED.match(str(error)) if isinstance(error, UndefinedError) else None
    found = undefined and name_column(text, undefined.group(1))  # else a fragment's
    if isinstance(error, TemplateSyntaxError):
        message = f"the template tag does not parse: {error.message}"
        hint = SYNTAX_HINT
    elif undefined and found:
        column = found
        message = f"'{undefined.group(1)}' is not a macro or variable of the handbook"
        hint = f"check the spelling; pages may use: {names}"
    elif isinstance(error, LookupError | TypeError | ValueError):
        message = str(error.args[0]) if isinstance(error, KeyError) and error.args else str(error)
        message = _QUALIFIED.sub("", message)  # "macros.<locals>.show() missing …" -> "show() missing …"
        quoted = _QUOTED.search(message)  # the argument a macro refused, where the line has it
        column = (quoted and argument_column(text, quoted.group(1))) or column
        hint = "correct the call on this line (README, 'Writing pages', lists the macros and their arguments)"
    else:
        message = f"{type(error).__name__}: {error}"
        hint = "correct the macro call on this line"
    return MacroError(f"{display}:{line + offset}:{column}", one_line(message), hint)


def line_text(lines: list[str], line: int) -> str:
    return lines[line - 1] if 0 < line <= len(lines) else ""


def tag_column(text: str) -> int:
    """Where the first template tag stands on a line (counted from 1); 1 when there is none."""
    tag = _TAG.search(text)
    return tag.start() + 1 if tag else 1


def name_column(text: str, name: str) -> int:
    """Where the word ``name`` stands on a line; 0 when it does not."""
    found = re.search(rf"\b{re.escape(name)}\b", text)
    return found.start() + 1 if found else 0


def argument_column(text: str, value: str) -> int:
    """Where ``value`` stands quoted (a macro's argument) on a line; 0 when it does not."""
    return max(text.find(f"'{value}'"), text.find(f'"{value}"')) + 1


def failure_line(error: Exception) -> int:
    """The line of the page text where compiling or rendering it failed."""
    if isinstance(error, TemplateSyntaxError) and error.lineno:
        return error.lineno
    return template_line(error.__traceback__)


def template_line(tb: TracebackType | None) -> int:
    """The line of the page text where rendering failed (Jinja names a page's frames '<template>')."""
    line = 1
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def page_location(page: Any, markdown: str, root: Path) -> tuple[str, int]:
    """The page's file as reports show it (relative to the project) and how many lines (front
    matter) come before ``markdown`` in it; the docs path and 0 where the text is not the file's."""
    source = getattr(getattr(page, "file", None), "abs_src_path", None)
    display = str(getattr(getattr(page, "file", None), "src_uri", "page"))
    if not source:
        return display, 0
    path = Path(source)
    display = shown_path(path, root)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeError):
        return display, 0
    if markdown and text.endswith(markdown):
        return display, text[: len(text) - len(markdown)].count("\n")
    return display, 0


def shown_path(path: Path, root: Path) -> str:
    """A page's file as reports show it: relative to the project where it lies inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (OSError, ValueError):
        return str(path)


class _Page:
    """A page text, compiled or failed to compile, whose rendering never raises: a failure goes to
    ``failures`` (for the plugin to stop the build with) and the page renders empty."""

    def __init__(
        self, template: Template | TemplateSyntaxError, report: Callable[[Exception, int], None]
    ) -> None:
        self.template = template
        self.report = report

    def render(self, *args: Any, **kwargs: Any) -> str:
        if isinstance(self.template, TemplateSyntaxError):
            self.report(self.template, failure_line(self.template))
            return ""
        try:
            return self.template.render(*args, **kwargs)
        except Exception as exc:
            self.report(exc, failure_line(exc))
            return ""


def compile_once(
    jinja: Environment,
    page: Callable[[], Any],
    root: Path,
    known: Callable[[], Iterable[str]],
    failures: list[MacroError],
    bytecode: BytecodeCache | None = None,
) -> None:
    """mkdocs-macros compiles each page's Markdown with ``jinja.from_string``: the same text is
    compiled once per build, and with ``bytecode`` (Jinja compares the source) once until it changes.
    What fails is added to ``failures``, naming the page ``page()`` (the one being rendered):
    mkdocs-macros would print a traceback and exit, also under serve."""
    own_from_string = jinja.from_string
    compiled: dict[str, Template | TemplateSyntaxError] = {}

    def compile_text(source: str) -> Template:
        if bytecode is None:
            return own_from_string(source)
        current = getattr(getattr(page(), "file", None), "src_uri", None)  # one entry per page
        name = f"page:{current}" if current else f"text:{hashlib.sha1(source.encode()).hexdigest()}"
        bucket = bytecode.get_bucket(jinja, name, None, source)
        if bucket.code is None:
            bucket.code = jinja.compile(source)
            bytecode.set_bucket(bucket)
        return jinja.template_class.from_code(jinja, bucket.code, jinja.make_globals(None), None)

    def from_string(source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return own_from_string(source, globals, template_class)

        def report(exc: Exception, line: int) -> None:
            display, offset = page_location(page(), source, root)
            failures.append(macro_error(exc, source, display, line, offset, known()))

        if source not in compiled:
            try:
                compiled[source] = compile_text(source)
            except TemplateSyntaxError as exc:
                compiled[source] = exc
        return _Page(compiled[source], report)

    jinja.from_string = from_string  # type: ignore[method-assign]
