"""The engine's default navigation, theme features and Markdown extensions (``defaults.yml``).

The plugin reads the extensions with MkDocs' YAML loader (their options hold Python tags); the
export copies the blocks as written."""

from __future__ import annotations

import copy
import re
from functools import cache
from pathlib import Path
from typing import Any

from .settings import read_settings

DEFAULTS = Path(__file__).with_name("defaults.yml")


def text() -> str:
    return DEFAULTS.read_text(encoding="utf-8")


@cache
def _defaults() -> dict[str, Any]:
    return read_settings(text())  # nav and features; extension options (Python tags) become None


def nav() -> list:
    """A fresh copy of the default navigation (MkDocs' nav format)."""
    return copy.deepcopy(_defaults()["nav"])


def features() -> list[str]:
    return list(_defaults()["features"])


def extensions(loaded: dict[str, Any]) -> dict[str, dict]:
    """Extension name -> options, in order, from defaults.yml as loaded by MkDocs' loader."""
    out: dict[str, dict] = {}
    for item in loaded["markdown_extensions"]:
        if isinstance(item, dict):
            ((name, options),) = item.items()
            out[name] = dict(options or {})
        else:
            out[item] = {}
    return out


def block(key: str) -> str:
    """A top-level block of defaults.yml as written (comments and tags kept), for exports."""
    match = re.search(rf"^{re.escape(key)}:.*?(?=^\S|\Z)", text(), re.MULTILINE | re.DOTALL)
    return match.group(0) if match else ""
