"""The day that review dates and goal deadlines are measured against (light: the command's result
cache reads it without importing the models)."""

from __future__ import annotations

import datetime as dt
import os


class SettingError(Exception):
    """An environment setting has a value that cannot be used."""


def today() -> dt.date:
    """The reference date for review status; HANDBOOK_TODAY (YYYY-MM-DD) pins it."""
    pinned = os.environ.get("HANDBOOK_TODAY")
    if not pinned:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(pinned)
    except ValueError:
        raise SettingError(f"HANDBOOK_TODAY must be a date like 2026-11-22, not '{pinned}'") from None
