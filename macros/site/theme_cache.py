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

import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates by name, kept for the process; Jinja checks each against its source."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Any) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Any) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


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
