"""The theme's Jinja environment without repeated work: MkDocs makes a new one for every build and
Material's search plugin three more, and each lists every file of every theme folder (Material's
more than 14,000, mostly icons) and compiles the templates it uses again. Under ``mkdocs serve``
that was a third of a rebuild after a one-line edit.

``fast_theme(config)`` makes ``config.theme.get_env()`` return environments that share compiled
templates (Jinja's bytecode cache, which compares the template's source, so an edited template is
compiled again) and list the files of installed theme folders (outside the project) once per
process. Folders of the project (``custom_dir``, the engine's overrides in a checkout) are listed
on every build, as before.
"""

from __future__ import annotations

import contextlib
import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


CACHE = "HANDBOOK_TEMPLATE_CACHE"
"""Where compiled templates are kept between builds: a folder (a CI cache), or ``off``; by default
Jinja's folder for the user in the system's temporary folder."""


class CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept for the process and, between builds, in a cache folder (``directory``,
    else ``HANDBOOK_TEMPLATE_CACHE``, else Jinja's). Jinja compares each with its source; the key
    also names the environment's syntax and extensions, so an edited template, another Jinja or
    another set-up compiles anew. Without a usable cache folder, only the process keeps them.
    """

    def __init__(self, directory: str | None = None) -> None:
        directory = directory or os.environ.get(CACHE, "").strip() or None
        try:
            if directory == "off":
                raise RuntimeError("no cache folder")
            if directory is not None:
                os.makedirs(directory, exist_ok=True)
            super().__init__(directory)
        except (OSError, RuntimeError):  # no usable folder: keep them in memory only
            self.directory = ""
        self.code: dict[str, bytes] = {}

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: Any, source: str) -> Any:
        return super().get_bucket(environment, f"{name}\0{_setup(environment)}", filename, source)

    def load_bytecode(self, bucket: Any) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])
        elif self.directory:
            with contextlib.suppress(OSError):  # an unreadable cache: compiled anew
                super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Any) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()
        if self.directory:
            with contextlib.suppress(OSError):  # a full or read-only disk: compiled again next time
                super().dump_bytecode(bucket)


_SYNTAX = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
    "is_async",
)


def _setup(env: jinja2.Environment) -> str:
    """What of an environment shapes the code Jinja compiles a template to."""
    named = [getattr(env, "autoescape", None), getattr(env, "finalize", None)]
    return repr(
        (
            [getattr(env, name, None) for name in _SYNTAX],
            sorted(env.extensions),
            [getattr(v, "__qualname__", v) if callable(v) else v for v in named],
        )
    )


compiled = CompiledTemplates()


class _ThemeLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that lists installed folders once. Names with a part that starts with a
    dot (Material's ``.icons``) are not listed: MkDocs' theme file filter drops them anyway, and
    templates are still found by name."""

    def __init__(self, searchpath: list[str], project: Path) -> None:
        super().__init__(searchpath)
        self.project = project

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for folder in self.searchpath:
            if Path(folder).resolve().is_relative_to(self.project):
                found.update(_listing(folder))
            else:
                found.update(_installed_listing(folder))
        return sorted(found)


def _listing(folder: str) -> list[str]:
    names = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        relative = os.path.relpath(dirpath, folder).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        names.extend(prefix + f for f in filenames if not f.startswith("."))
    return names


@cache
def _installed_listing(folder: str) -> list[str]:
    return _listing(folder)


def fast_theme(config: MkDocsConfig) -> None:
    """Let this configuration's theme give environments that reuse listings and compiled templates."""
    theme = config.theme
    if "get_env" in vars(theme):
        return
    make_env = theme.get_env
    project = Path(config.config_file_path or ".").resolve().parent

    def get_env() -> jinja2.Environment:
        env = make_env()
        env.loader = _ThemeLoader(list(theme.dirs), project)
        env.bytecode_cache = compiled
        return env

    theme.get_env = get_env  # type: ignore[method-assign]
