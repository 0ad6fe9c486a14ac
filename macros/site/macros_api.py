"""The macros content pages may call. Each returns finished, escaped Markdown."""

from __future__ import annotations

from typing import Any

from ..data.kinds import KINDS
from .build import current_plan
from .render import Renderer, md
from .visuals import VISUALS


def register(env: Any) -> None:
    def renderer() -> Renderer:
        page = getattr(env, "page", None)
        src = page.file.src_uri if page is not None else "index.md"
        return Renderer(current_plan(), src)

    @env.macro
    def record_page(kind: str, record_id: str) -> str:
        """The whole body of a generated page (one per target group, channel, …)."""
        if kind not in KINDS or not KINDS[kind].folder:
            raise LookupError(f"record_page: unknown kind '{kind}' (no page kind)")
        plan = current_plan()
        record = plan.get(kind, record_id)
        if record is None:
            raise LookupError(f"record_page: no {kind} '{record_id}' in plans/")
        return renderer().render(KINDS[kind].template, record=record)

    @env.macro
    def show(name: str, **options: Any) -> str:
        """A data fragment from macros/site/templates/<name>.md, e.g. show('goals')."""
        return renderer().render(f"{name}.md", **options)

    @env.macro
    def visual(name: str) -> str:
        """A chart rendered at build time (SVG) with its text equivalent."""
        if name not in VISUALS:
            raise LookupError(f"visual: unknown visual '{name}'; known: {', '.join(sorted(VISUALS))}")
        r = renderer()
        return VISUALS[name](r)

    plan = current_plan()
    org = plan.organisation
    env.variables["company"] = md(org.company.name) if org else md("Unser Unternehmen")
