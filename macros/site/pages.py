"""The Markdown source of generated pages (where they live is declared in ``macros.data.kinds``)."""

from __future__ import annotations


def page_source(kind: str, record_id: str) -> str:
    """The Markdown source of a generated page: one macro call, no data text.

    The id is validated (lowercase, digits, hyphens), so no YAML text ever
    reaches Jinja as template source.
    """
    return f'{{{{ record_page("{kind}", "{record_id}") }}}}\n'
