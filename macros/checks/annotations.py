"""Problems as annotations on the changed lines of a pull or merge request.

``format_github``: GitHub Actions workflow commands (``::error file=…,line=…,col=…,title=…::…``);
``format_gitlab``: a GitLab Code Quality report (JSON) for ``artifacts:reports:codequality``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from .problems import Problem, json_text, visible


def _escape_data(text: str) -> str:
    """A workflow command's message, escaped as the Actions runner unescapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """A workflow command's property value (file, title): ':' and ',' end it unless escaped."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _message(p: Problem) -> str:
    text = f"{p.path}: {p.message}"
    if p.hint:
        text += f"\nhint: {p.hint}"
    if p.related is not None:
        text += f"\nsee also: {p.related.where()}: {p.related.path}"
    return text


def format_github(problems: Sequence[Problem], summary: str) -> str:
    """One workflow command per problem (errors as ``::error``, warnings as ``::warning``, date
    findings as ``::notice``), then the summary as a plain log line."""
    lines = []
    for p in problems:
        command = "error" if p.severity == "error" else "notice" if p.dated else "warning"
        properties = ",".join(
            f"{key}={_escape_property(value)}"
            for key, value in (
                ("file", p.file),
                ("line", str(p.line)),
                ("col", str(p.column)),
                ("title", f"handbook check: {p.code}"),
            )
        )
        # Escaping first leaves no line break; visible() then shows any other control character.
        lines.append(visible(f"::{command} {properties}::{_escape_data(_message(p))}"))
    lines.append(visible(summary.replace("\n", " ")))
    return "\n".join(lines) + "\n"


SEVERITY = {"error": "major", "warning": "minor"}


def format_gitlab(problems: Sequence[Problem]) -> str:
    """The Code Quality report: one issue per problem, each with a fingerprint that stays the same
    while the problem does (it leaves out the line, so an edit above does not make it new)."""
    issues = []
    seen: dict[str, int] = {}
    for p in problems:
        key = "\0".join((p.code, p.file, p.path, p.message))
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:  # the same finding twice in a file: still two issues
            key += f"\0{seen[key]}"
        issues.append(
            {
                "description": _message(p)
                .replace("\nhint: ", "; hint: ")
                .replace("\nsee also: ", "; see also: "),
                "check_name": p.code,
                "fingerprint": hashlib.md5(key.encode("utf-8"), usedforsecurity=False).hexdigest(),
                "severity": "info" if p.dated else SEVERITY[p.severity],
                "location": {
                    "path": p.file,
                    "positions": {"begin": {"line": p.line, "column": p.column}},
                },
            }
        )
    return json_text(issues)
