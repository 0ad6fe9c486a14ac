"""The macros content pages may call. Each returns finished, escaped Markdown.

``macros(plan, page)`` gives them for one page; mkdocs-macros gets them through ``register``
and the renderer-neutral export (``export.py``) renders pages with them directly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..data.kinds import KINDS
from ..data.plan import Plan
from .build import current_plan
from .render import Renderer, md
from .visuals import VISUALS


def macros(plan: Callable[[], Plan], page: Callable[[], str]) -> dict[str, Callable[..., str]]:
    """The macro functions for the page whose docs path ``page()`` returns."""

    def renderer() -> Renderer:
        return Renderer(plan(), page())

    def record_page(kind: str, record_id: str) -> str:
        """The whole body of a generated page (one per target group, channel, …)."""
        if kind not in KINDS or not KINDS[kind].folder:
            raise LookupError(f"record_page: unknown kind '{kind}' (no page kind)")
        record = plan().get(kind, record_id)
        if record is None:
            raise LookupError(f"record_page: no {kind} '{record_id}' in plans/")
        return renderer().render(KINDS[kind].template, record=record)

    def show(name: str, **options: Any) -> str:
        """A data fragment from macros/site/templates/<name>.md, e.g. show('goals')."""
        return renderer().render(f"{name}.md", **options)

    def visual(name: str) -> str:
        """A chart rendered at build time (SVG) with its text equivalent."""
        if name not in VISUALS:
            raise LookupError(f"visual: unknown visual '{name}'; known: {', '.join(sorted(VISUALS))}")
        return VISUALS[name](renderer())

    return {"record_page": record_page, "show": show, "visual": visual}


def variables(plan: Plan) -> dict[str, str]:
    """Variables content pages may use: ``{{ company }}``."""
    org = plan.organisation
    return {"company": md(org.company.name) if org else md("Unser Unternehmen")}


def register(env: Any) -> None:
    """mkdocs-macros' entry (called from ``macros.define_env``)."""

    def page() -> str:
        current = getattr(env, "page", None)
        return current.file.src_uri if current is not None else "index.md"

    for name, function in macros(current_plan, page).items():
        env.macro(function, name)
    env.variables.update(variables(current_plan()))
