"""MkDocs' entry point of the ``handbook`` plugin (pyproject.toml): the process collects cycles
less often (``gc_thresholds``) before the plugin's imports declare the models, whose classes would
otherwise set off full collections while they are made.
"""

from __future__ import annotations

from ..data.gc_thresholds import collect_less

collect_less()

from .plugin import HandbookPlugin  # noqa: E402 - after the thresholds are set

__all__ = ["HandbookPlugin"]
