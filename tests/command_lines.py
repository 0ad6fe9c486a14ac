"""Command lines as the shell would split them, checked by the real parsers (argparse, click).

Used for the CI templates and the README: a misspelt ``handbook``/``mkdocs`` command or option, or
a ``./run.sh`` command that does not exist (or passes on an option its program lacks), is reported.
"""

from __future__ import annotations

import re
import shlex

import click

from macros.cli import build_parser

from .conftest import ROOT

RUN_SH = "./run.sh"
HANDBOOK = ".venv/bin/handbook"
MKDOCS = ".venv/bin/mkdocs"


def shell_lines(text: str) -> list[str]:
    """The lines of a shell script, with backslash continuations joined."""
    return text.replace("\\\n", " ").splitlines()


def commands(script: str) -> list[list[str]]:
    """Every simple command of a script as words (split at ;, |, ||, && and newlines), without
    leading VAR=value assignments and redirections; quotes are kept together as the shell would."""
    out: list[list[str]] = []
    for line in shell_lines(script):
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        lexer.commenters = "#"
        words: list[str] = []
        redirect = False
        for token in [*lexer, ";"]:
            if token in (">", ">>", "<"):
                redirect = True  # the next word is a file, not a command
            elif token and set(token) <= set(";|&()"):
                while words and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", words[0], re.DOTALL):
                    words.pop(0)
                if words:
                    out.append(words)
                words = []
            elif redirect:
                redirect = False
            else:
                words.append(token)
    return out


def run_sh_arms() -> dict[str, str]:
    """run.sh's commands, each with the shell code of its case arm."""
    text = (ROOT / "run.sh").read_text(encoding="utf-8")
    return dict(re.findall(r"^  ([a-z]+)\)\n(.*?)^    ;;$", text, re.MULTILINE | re.DOTALL))


def _usage_error(run, argv: list[str]) -> str | None:
    """argparse's or click's complaint about ``argv``, or None when the command line is valid."""
    try:
        run(argv)
    except SystemExit as exc:
        return f"exit {exc.code}"
    except click.ClickException as exc:
        return exc.format_message()
    return None


def _parse_handbook(argv: list[str]) -> None:
    """Parse like the ``handbook`` command; every option must be spelled out (no abbreviation)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    sub = next(a for a in parser._actions if a.dest == "command").choices[args.command]
    known = {option for action in sub._actions for option in action.option_strings}
    unknown = [
        word.split("=")[0] for word in argv[1:] if word.startswith("--") and word.split("=")[0] not in known
    ]
    if unknown:
        raise SystemExit(f"unknown option(s) {unknown}")


def _parse_mkdocs(argv: list[str]) -> None:
    """Parse like the ``mkdocs`` command, without running it."""
    from mkdocs.__main__ import cli

    command = cli.commands.get(argv[0]) if argv else None
    if command is None:
        raise SystemExit(f"no mkdocs command {argv[:1]}")
    command.make_context(argv[0], list(argv[1:])).close()


def problems(words: list[str], arms: dict[str, str]) -> list[str]:
    """Why one command line would fail before doing any work (unknown command or option)."""
    program, args = words[0], words[1:]
    if program == RUN_SH:
        if not args or args[0] not in arms:
            return [f"run.sh has no command {args[:1]}"]
        found = []
        for inner in commands(arms[args[0]]):  # what the arm runs, with "$@" = the rest
            expanded = [w for word in inner for w in (args[1:] if word == "$@" else [word])]
            found += problems(expanded, {})
        return found
    if program == HANDBOOK:
        error = _usage_error(_parse_handbook, args)
    elif program == MKDOCS:
        error = _usage_error(_parse_mkdocs, args)
    else:
        return []
    return [f"{shlex.join(words)}: {error}"] if error else []
