"""Problems found in plans (one type for every layer), and the two reporters (text, JSON)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Literal

from ..data.loader import Document
from ..data.positions import Loc, Position, format_loc, one_line

Severity = Literal["error", "warning"]

# Findings that a date alone brings about: the calendar moves, the plans did not change. They are
# shown like other warnings, reported by 'handbook due', and never fail 'check --strict' on their
# own (a pull request must not turn red overnight); 'check --dates fail' makes them fail.
DATE_CODES = frozenset({"review-overdue", "goal-deadline-passed"})


@dataclass(frozen=True)
class Related:
    """The other side of a finding: the place in the plans it contradicts."""

    file: str
    line: int
    column: int
    path: str

    def where(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """One finding: where it is, what is wrong, and how to fix it."""

    file: str
    line: int
    column: int
    path: str
    message: str
    hint: str = ""
    severity: Severity = "error"
    code: str = ""
    source_line: str | None = field(default=None, compare=False)
    step: int = field(default=0, compare=False)  # method step (checks.method.STEPS); 0: none
    related: Related | None = None  # a second place the finding is about ("see also")

    @classmethod
    def at(
        cls,
        doc: Document | None,
        display: str,
        loc: Loc,
        message: str,
        hint: str,
        code: str,
        severity: Severity = "error",
        prefer_key: bool = False,
    ) -> Problem:
        """A finding about the value (or, with ``prefer_key``, the key) at ``loc`` of ``doc``,
        with its source line; at line 1 when there is no document."""
        position = doc.position(loc, prefer_key) if doc is not None else Position(1, 1)
        return cls(
            display,
            position.line,
            position.column,
            format_loc(loc),
            message,
            hint,
            severity,
            code,
            source_line=doc.line_text(position.line) if doc is not None else None,
        )

    @classmethod
    def in_file(cls, display: str, message: str, hint: str, code: str) -> Problem:
        """A finding about a whole file (or folder), reported at its line 1."""
        return cls(display, 1, 1, "(file)", message, hint, code=code)

    @property
    def dated(self) -> bool:
        """Whether a date alone brings this finding about (``DATE_CODES``)."""
        return self.code in DATE_CODES

    def sort_key(self) -> tuple:
        # Findings of a method step come first, in the method's order (a new handbook's to-do list).
        return (self.step or 99, self.file, self.line, self.column, self.severity != "error", self.message)


def visible(line: str) -> str:
    """Text safe to print on a terminal: a tab shows as '→', other control characters as their
    symbol (␀, ␋, ␛ …), DEL as '␡', C1 controls and the BOM as '�'. No escape sequence survives.

    Every character stays one character wide, so the caret below a source line still lines up.
    Every field of the text report goes through here.
    """
    out = []
    for char in line:
        code = ord(char)
        if char == "\t":
            out.append("→")
        elif code < 0x20:
            out.append(chr(0x2400 + code))
        elif code == 0x7F:
            out.append("␡")
        elif 0x80 <= code < 0xA0 or char == "\ufeff":
            out.append("�")
        else:
            out.append(char)
    return "".join(out)


def format_text(problems: Sequence[Problem], summary: str) -> str:
    """The human report: one block per problem, then the summary line.

    Data reaches every part of it (file names, paths, messages, hints, source lines), so every
    field is printed through ``visible``: no control character reaches the terminal.
    """
    blocks = []
    for p in problems:
        label = ("warning (date): " if p.dated else "warning: ") if p.severity == "warning" else ""
        head = f"{p.file}:{p.line}:{p.column}: {p.path}: {label}{p.message}"
        lines = [visible(one_line(head))]
        if p.source_line is not None:
            number = str(p.line)
            lines.append(f"  {number} | {visible(p.source_line)}")
            lines.append(f"  {' ' * len(number)} | {' ' * (p.column - 1)}^")
        if p.hint:
            lines.append(f"  hint: {visible(one_line(p.hint))}")
        if p.related is not None:
            lines.append(f"  see also: {visible(one_line(f'{p.related.where()}: {p.related.path}'))}")
        blocks.append("\n".join(lines))
    blocks.append(visible(one_line(summary)))
    return "\n".join(blocks) + "\n"


# Characters JSON may carry raw but a terminal would act on: DEL, C1 controls (U+009B is CSI),
# and the Unicode line separators. Written as \uXXXX escapes, they decode to the same values.
_JSON_RAW = re.compile("[\x7f-\x9f\u2028\u2029]")


def json_text(doc: object) -> str:
    """JSON for stdout: exact values, readable umlauts, no raw control character."""
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) + "\n"


def format_json(problems: Sequence[Problem], summary: str) -> str:
    """The machine report, for CI and editors."""
    items = []
    for p in problems:
        item = asdict(p)
        item.pop("source_line")
        if not item["step"]:
            item.pop("step")
        if item["related"] is None:
            item.pop("related")
        if p.dated:
            item["category"] = "date"
        items.append(item)
    errors = sum(p.severity == "error" for p in problems)
    doc = {
        "problems": items,
        "errors": errors,
        "warnings": len(problems) - errors,
        "summary": summary,
    }
    return json_text(doc)


def count(problems: Iterable[Problem]) -> tuple[int, int]:
    errors = warnings = 0
    for p in problems:
        if p.severity == "error":
            errors += 1
        else:
            warnings += 1
    return errors, warnings


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
