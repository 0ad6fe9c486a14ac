"""The social media handbook: plans/ as data, checked and rendered.

``define_env`` is the mkdocs-macros entry point; everything else lives in
modules named after what they do (loader, models, check, render, …).
"""

from __future__ import annotations

from typing import Any


def define_env(env: Any) -> None:
    """Register the macros that content pages call (mkdocs-macros)."""
    from .site.macros_api import register

    register(env)
