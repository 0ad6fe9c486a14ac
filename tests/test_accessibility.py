"""Accessibility: axe-core (bundled with axe-playwright-python, injected from disk: nothing is
downloaded) on every page of both samples (plans/ and samples/sportverein/) at 1400 x 900 and at
390 x 844, with the rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA. No page may have a serious
or critical violation.

Collapsed details are opened before the check, so that what a reader unfolds is checked too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from macros.data.models import PRIMARY_COLOURS

from .browser_support import AXE_JS, PREFIX, page_paths
from .conftest import SAMPLES

SCREENS = {"wide": {"width": 1400, "height": 900}, "phone": {"width": 390, "height": 844}}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
IMPACTS = ("serious", "critical")
WAIT = 30_000  # ms

EXCLUDE: dict[str, str] = {}
"""Selectors axe leaves out, each with the reason why it cannot be fixed from an override."""

AXE_RUN = """async ({tags, exclude}) => {
    document.querySelectorAll('article details').forEach(d => { d.open = true; });
    const context = {include: [document], exclude: exclude.map(s => [s])};
    const options = {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']};
    const result = await axe.run(context, options);
    return {
        version: result.testEngine.version,
        violations: result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({impact: n.impact, target: n.target, html: n.html})),
        })),
    };
}"""

CONTRAST_RUN = """async () => {
    const options = {runOnly: ['color-contrast'], resultTypes: ['violations']};
    const result = await axe.run(document, options);
    return result.violations.flatMap(v => v.nodes.map(n => `${n.target.join(' ')}: ${n.any[0].message}`));
}"""


def serious(path: str, result: dict) -> list[str]:
    """One line per element with a serious or critical violation: page, rule, target, snippet."""
    lines = []
    for violation in result["violations"]:
        for node in violation["nodes"]:
            if (node["impact"] or violation["impact"]) not in IMPACTS:
                continue
            snippet = " ".join(node["html"].split())
            snippet = snippet if len(snippet) <= 160 else snippet[:159] + "…"
            target = " ".join(map(str, node["target"]))
            lines.append(
                f"{PREFIX}{path}: {violation['id']} ({node['impact'] or violation['impact']}, "
                f"{violation['help']}) at {target}: {snippet}"
            )
    return lines


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("sample", list(SAMPLES))
def test_no_serious_violation_on_any_page(
    browser: Browser, sample_sites: dict[str, Path], sample_servers: dict[str, str], sample: str, screen: str
) -> None:
    context = browser.new_context(viewport=SCREENS[screen], locale="de-DE", timezone_id="Europe/Berlin")
    context.set_default_timeout(WAIT)
    context.add_init_script(path=str(AXE_JS))
    page = context.new_page()
    found: list[str] = []
    paths = page_paths(sample_sites[sample])
    version = "?"
    try:
        for path in paths:
            response = page.goto(sample_servers[sample] + path, wait_until="load")
            assert response is not None and response.status == 200, path
            page.wait_for_function("() => document.fonts.status === 'loaded' && window.axe !== undefined")
            result = page.evaluate(AXE_RUN, {"tags": TAGS, "exclude": list(EXCLUDE)})
            version = result["version"]
            found += serious(path, result)
    finally:
        context.close()
    assert len(paths) > 20, paths  # every page was visited, not an empty site
    if found:
        pytest.fail(
            f"axe-core {version} found {len(found)} serious or critical violation(s) on {sample} "
            f"at {SCREENS[screen]['width']} px ({len(paths)} pages):\n" + "\n".join(found)
        )


def test_every_named_colour_keeps_header_and_links_legible(
    browser: Browser, sample_servers: dict[str, str]
) -> None:
    """Any organisation may pick any of Material's named colours (site.colours.primary): the start
    page passes axe's contrast rule in each of them (header, tabs, repository name, links)."""
    context = browser.new_context(viewport=SCREENS["wide"], locale="de-DE")
    context.set_default_timeout(WAIT)
    context.add_init_script(path=str(AXE_JS))
    page = context.new_page()
    found = []
    try:
        page.goto(sample_servers["company"], wait_until="load")
        page.wait_for_function("() => document.fonts.status === 'loaded' && window.axe !== undefined")
        # Switching the colour on a loaded page would start Material's colour transitions.
        page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
        for colour in PRIMARY_COLOURS:
            page.evaluate(
                "(c) => document.body.setAttribute('data-md-color-primary', c)", colour.replace(" ", "-")
            )
            result = page.evaluate(CONTRAST_RUN)
            found += [f"{colour}: {line}" for line in result]
    finally:
        context.close()
    assert not found, f"{len(found)} contrast violation(s):\n" + "\n".join(found)
