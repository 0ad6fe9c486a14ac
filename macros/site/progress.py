"""Reading progress kept in the reader's browser: ticked tasks and self-checks, and which pages
changed since the last visit.

Everything happens in the browser (``assets/progress.js``, stored in ``localStorage`` under the
site's base path, so two handbooks on one host keep apart); nothing is sent anywhere. The build
only adds ``assets/changes.js``: each page's address with the time its data last changed (from
git, see ``macros.review.changes``). A script file rather than JSON to fetch, so that a site
opened from disk (``file://``) works the same.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import yaml

from ..data.kinds import kind_of_page
from ..review.changes import last_changes
from .overlay import FRONT_MATTER

CHANGES = "assets/changes.js"
SCRIPT = "assets/progress.js"
STYLE = "assets/progress.css"


def plans_of(markdown: str) -> list[str]:
    """The plans files a written page names in its front matter (``plans: crisis`` or a list)."""
    match = FRONT_MATTER.match(markdown)
    if not match:
        return []
    try:
        meta = yaml.safe_load(match.group(1) or "") or {}
    except yaml.YAMLError:
        return []
    value = meta.get("plans") if isinstance(meta, dict) else None
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def page_keys(src_uri: str, markdown: str | None) -> list[str]:
    """What a page shows, as keys of ``last_changes``: its record (a generated page), every record
    of its kind (a section's index page), the plans files its front matter names."""
    found = kind_of_page(src_uri)
    if found is not None:
        kind, rid = found
        return [f"kind:{kind.name}"] if rid == "index" else [f"record:{kind.name}:{rid}"]
    return [f"file:{stem}" for stem in plans_of(markdown or "")]


def page_times(pages: Iterable[tuple[str, str, str | None]], changes: dict[str, int]) -> dict[str, int]:
    """``{page url: last change}`` for ``(src_uri, url, markdown)`` of each page that has one."""
    times: dict[str, int] = {}
    for src_uri, url, markdown in pages:
        when = [changes[k] for k in page_keys(src_uri, markdown) if k in changes]
        if when:
            times[url] = max(when)
    return dict(sorted(times.items()))


def changes_script(times: dict[str, int]) -> str:
    """``assets/changes.js``: the page times as a global, safe inside a <script> element."""
    data = json.dumps({"pages": times}, ensure_ascii=True, sort_keys=True)
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f"window.handbookChanges = {data};\n"


def site_changes(plans_dir: Path | None, audience: str, pages: Iterable[tuple[str, str, str | None]]) -> str:
    """The text of ``assets/changes.js`` for a build (no git history: no page is marked)."""
    changes = last_changes(plans_dir, audience) if plans_dir is not None else {}
    return changes_script(page_times(pages, changes) if changes else {})
