"""Nothing hidden on any screen: every page of both samples (plans/ and samples/sportverein/, whose
names are long) at 1400 x 900 and at 390 x 844, measured in Chromium.

- Tables: no cell's content runs out of the cell; a table wider than its place scrolls inside a
  container with a visible affordance (shadows at its edges) and a first column that stays in view,
  or is stacked (one block per row, each value under its header); the page itself never scrolls
  sideways. At 1400 px the columns readers come for (due date, responsible role, response time,
  frequency) are in view without scrolling.
- Charts: every label lies inside the chart and inside its box, no two labels overlap, text renders
  at 12 px or more, colours have a legend, an abbreviated label keeps its full text, every record
  appears; where a chart cannot be read it gives way to a note and its text equivalent.

Every page is photographed at both widths (set HANDBOOK_LAYOUT_SCREENSHOTS to a folder to keep them).
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from macros.checks.check import check
from macros.site.build import load_plan
from macros.site.page_fixes import fix_page
from macros.site.render import Renderer
from macros.site.visuals import priority_matrix, wrap

from .browser_support import PREFIX, page_paths
from .conftest import SAMPLES
from .site_support import edited_plans

SCREENS = {"wide": {"width": 1400, "height": 900}, "phone": {"width": 390, "height": 844}}
KEY_COLUMNS = ["Fällig", "Verantwortlich", "Führt aus", "Frequenz", "Reaktion", "Leitung"]
MIN_PX = 12
WAIT = 30_000

MEASURE_JS = """({minPx, keyColumns, wide}) => {
    const problems = [];
    const charts = [];
    const article = document.querySelector('article');
    const viewport = document.documentElement.clientWidth;
    const shown = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const text = el => (el.textContent || '').replace(/\\s+/g, ' ').trim();
    const short = el => text(el).slice(0, 50);
    const hidden = el => { const r = el.getBoundingClientRect(); return r.width <= 1 && r.height <= 1; };
    const outside = (r, box) => r.left < box.left - 1 || r.right > box.right + 1
        || r.top < box.top - 1 || r.bottom > box.bottom + 1;

    if (document.documentElement.scrollWidth > viewport + 1) {
        const width = document.documentElement.scrollWidth;
        problems.push(`the page scrolls sideways: ${width} px in ${viewport} px`);
    }

    [...article.querySelectorAll('table')].forEach((table, index) => {
        if (!shown(table)) return;
        const head = table.tHead ? [...table.tHead.rows[0].cells].map(text) : [];
        const name = `table ${index + 1} (${head.slice(0, 3).join(' | ')})`;
        const headHidden = table.tHead !== null && hidden(table.tHead);
        let scroller = null;
        for (let el = table; el && el !== article; el = el.parentElement) {
            const overflow = getComputedStyle(el).overflowX;
            if ((overflow === 'auto' || overflow === 'scroll') && el.scrollWidth > el.clientWidth + 1) {
                scroller = el;
                break;
            }
        }
        for (const cell of table.querySelectorAll('th, td')) {
            if (!shown(cell) || (headHidden && cell.closest('thead'))) continue;
            if (cell.scrollWidth > cell.clientWidth + 1) {
                const size = `${cell.scrollWidth} px in ${cell.clientWidth} px`;
                problems.push(`${name}: cell "${short(cell)}" is cut (${size})`);
            }
            const r = cell.getBoundingClientRect();
            if (!scroller && (r.right > viewport + 1 || r.left < -1)) {
                const where = `${Math.round(r.left)}..${Math.round(r.right)} px`;
                problems.push(`${name}: cell "${short(cell)}" lies outside the screen (${where})`);
            }
        }
        if (headHidden) {
            // Stacked: every value is shown under its column's header.
            for (const cell of table.querySelectorAll('tbody td')) {
                if (!shown(cell) || text(cell) === '') continue;
                const column = head[cell.cellIndex] || '';
                const label = getComputedStyle(cell, '::before').content;
                if (column !== '' && label !== JSON.stringify(column)) {
                    problems.push(`${name}: stacked "${short(cell)}" is not labelled "${column}" (${label})`);
                }
            }
        }
        if (scroller) {
            const style = getComputedStyle(scroller);
            if (!style.backgroundImage.includes('gradient') || style.scrollbarWidth === 'none') {
                problems.push(`${name}: scrolls sideways without a visible affordance`);
            }
            const first = table.rows[0].cells[0];
            if (getComputedStyle(first).position !== 'sticky') {
                problems.push(`${name}: scrolls sideways and its first column does not stay in view`);
            } else if (first.getBoundingClientRect().width > scroller.clientWidth / 2) {
                problems.push(`${name}: its first column takes more than half of the scrolling view`);
            }
            if (wide && table.tHead) {
                const box = scroller.getBoundingClientRect();
                for (const cell of table.tHead.rows[0].cells) {
                    const right = cell.getBoundingClientRect().right;
                    if (keyColumns.includes(text(cell)) && right > box.right + 1) {
                        problems.push(`${name}: column "${text(cell)}" is out of view until one scrolls`);
                    }
                }
            }
        }
    });

    for (const svg of article.querySelectorAll('svg')) {
        const figure = svg.closest('figure');
        if (!figure || svg.closest('a, button, .md-icon, .twemoji')) continue;  // icons, not charts
        const name = `chart ${figure.className}`;
        if (!shown(svg)) {
            const note = figure.querySelector('.hb-visual__fallback');
            let next = figure.nextElementSibling;
            const table = next && (next.matches('table') ? next : next.querySelector('table'));
            if (!note || !shown(note)) problems.push(`${name}: hidden without a note`);
            if (!table || !shown(table)) problems.push(`${name}: hidden and no text equivalent follows`);
            charts.push({kind: figure.className, shown: false});
            continue;
        }
        const frame = svg.getBoundingClientRect();
        const ctm = svg.getScreenCTM();
        const scale = Math.hypot(ctm.a, ctm.b);
        const labels = [...svg.querySelectorAll('text')].filter(shown);
        const boxes = labels.map(t => t.getBoundingClientRect());
        labels.forEach((label, i) => {
            const px = parseFloat(getComputedStyle(label).fontSize) * scale;
            if (px < minPx - 0.01) problems.push(`${name}: "${short(label)}" renders at ${px.toFixed(1)} px`);
            if (outside(boxes[i], frame)) problems.push(`${name}: "${short(label)}" is cut at the edge`);
            if (boxes[i].right > viewport + 1 || boxes[i].left < -1) {
                problems.push(`${name}: "${short(label)}" lies outside the screen`);
            }
            if (text(label).includes('…')) {
                const holder = label.closest('a, g');
                const title = holder && holder.querySelector('title');
                if (!title || text(title).length < text(label).length) {
                    problems.push(`${name}: "${short(label)}" is shortened and its full text is nowhere`);
                }
            }
            for (let j = i + 1; j < labels.length; j++) {
                const a = boxes[i], b = boxes[j];
                const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
                const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
                if (w > 1 && h > 2) problems.push(`${name}: "${short(label)}" covers "${short(labels[j])}"`);
            }
        });
        for (const box of svg.querySelectorAll('g.hb-box')) {
            const edge = box.querySelector('rect').getBoundingClientRect();
            for (const label of box.querySelectorAll('text')) {
                if (outside(label.getBoundingClientRect(), edge)) {
                    problems.push(`${name}: "${short(label)}" runs out of its box`);
                }
            }
        }
        const marks = [...svg.querySelectorAll('.hb-mark')];
        const colours = new Set(marks.map(m => getComputedStyle(m).fill));
        const legend = new Set([...figure.querySelectorAll('.hb-legend__swatch')].filter(shown).map(s => {
            const style = getComputedStyle(s);
            const box = style.backgroundColor;
            return box !== 'rgba(0, 0, 0, 0)' ? box : style.borderTopColor;
        }));
        if (colours.size > 1) {
            for (const colour of colours) {
                if (!legend.has(colour)) problems.push(`${name}: colour ${colour} is not in a legend`);
            }
        }
        const links = svg.querySelectorAll('a').length;
        charts.push({kind: figure.className, shown: true, links, marks: marks.length});
    }
    return {problems, charts};
}"""


def expected_entries(plans: Path) -> dict[str, int]:
    """Chart figure class -> how many records the chart must show (links or marks)."""
    plan = load_plan(plans)
    return {
        "hb-matrix": sum(1 for g in plan.target_groups if g.influence and g.interest),
        "hb-timeline": len(plan.measures),
        "hb-ladder": len(plan.crisis.levels) if plan.crisis else 0,
    }


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("sample", list(SAMPLES))
def test_nothing_hidden_on_any_page(
    browser: Browser,
    sample_sites: dict[str, Path],
    sample_servers: dict[str, str],
    tmp_path: Path,
    sample: str,
    screen: str,
) -> None:
    shots = Path(os.environ.get("HANDBOOK_LAYOUT_SCREENSHOTS") or tmp_path) / f"{sample}-{screen}"
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=SCREENS[screen], locale="de-DE", timezone_id="Europe/Berlin")
    context.set_default_timeout(WAIT)
    page = context.new_page()
    problems: list[str] = []
    charts: dict[str, list[dict]] = {}
    paths = page_paths(sample_sites[sample])
    try:
        for path in paths:
            page.goto(sample_servers[sample] + path, wait_until="load")
            # Material wraps every table into its scrolling container once its script has run.
            page.wait_for_function(
                """() => document.fonts.status === 'loaded' && [...document.querySelectorAll('article table')]
                    .every(t => t.closest('.md-typeset__scrollwrap') || t.hasAttribute('class'))"""
            )
            page.evaluate(
                "() => document.querySelectorAll('article details').forEach(d => { d.open = true; })"
            )
            result = page.evaluate(
                MEASURE_JS, {"minPx": MIN_PX, "keyColumns": KEY_COLUMNS, "wide": screen == "wide"}
            )
            problems += [f"{PREFIX}{path}: {p}" for p in result["problems"]]
            for chart in result["charts"]:
                charts.setdefault(path, []).append(chart)
            target = shots / f"{path.strip('/').replace('/', '_') or 'start'}.jpg"
            page.screenshot(path=target, full_page=True, type="jpeg", quality=70, animations="disabled")
            assert target.stat().st_size > 5_000
    finally:
        context.close()
    assert len(list(shots.glob("*.jpg"))) == len(paths)

    # Every chart of the sample was measured, and where it is drawn it shows every record.
    expected = {kind: n for kind, n in expected_entries(SAMPLES[sample]).items() if n}
    found = {
        kind for items in charts.values() for c in items for kind in c["kind"].split() if kind in expected
    }
    assert found == set(expected), f"charts found: {charts}"
    for path, items in charts.items():
        for chart in items:
            kind = next(k for k in chart["kind"].split() if k in expected)
            if screen == "wide":
                assert chart["shown"], f"{path}: the {kind} chart is hidden at 1400 px"
            if chart["shown"]:
                count = chart["marks"] if kind == "hb-timeline" else chart["links"]
                assert count == expected[kind], f"{path}: {kind} shows {count} of {expected[kind]} records"
    if problems:
        pytest.fail(
            f"{len(problems)} layout problem(s) at {SCREENS[screen]['width']} px:\n" + "\n".join(problems)
        )


# --- without a browser -----------------------------------------------------------------------------


def test_wrap_keeps_every_word_and_marks_what_it_shortens() -> None:
    assert wrap("Erhöhte Aufmerksamkeit", 14, 154, 4) == ["Erhöhte", "Aufmerksamkeit"]
    # Compounds break after their hyphens; a word longer than a line is split with a hyphen.
    assert wrap("Corporate-Influencer-Programm „Stimmen“", 13, 224, 2) == [
        "Corporate-Influencer-",
        "Programm „Stimmen“",
    ]
    split = wrap("Donaudampfschifffahrtsgesellschaft", 13, 100, 3)  # 12 characters a line
    assert split == ["Donaudampfs-", "chifffahrts-", "gesellschaft"]
    long = "Abteilungsleiterinnen und Abteilungsleiter der Jugendabteilungen aller Sparten des Vereins"
    lines = wrap(long, 13, 150, 2)
    assert len(lines) == 2 and lines[-1].endswith("…") and all(len(line) <= 18 for line in lines)
    assert wrap("", 13, 150, 2) == [""]


def test_table_cells_carry_their_column_header() -> None:
    table = (
        "<table>\n<thead>\n<tr>\n<th>Fällig &amp; &quot;bald&quot;</th>\n"
        '<th style="text-align: center;"><a href="x.html">Rolle <abbr title="t">A</abbr></a></th>\n'
        "<th></th>\n"
        "</tr>\n</thead>\n<tbody>\n<tr>\n<td>1.12.</td>\n"
        '<td style="text-align: center;">R</td>\n<td>x</td>\n</tr>\n</tbody>\n</table>'
    )
    fixed = fix_page(table)
    assert '<td data-label="Fällig &amp; &quot;bald&quot;">1.12.</td>' in fixed
    assert '<td data-label="Rolle A" style="text-align: center;">R</td>' in fixed
    assert "<td>x</td>" in fixed  # a column without a header gets no label
    assert (
        fix_page("<table><tr><td>ohne Kopf</td></tr></table>") == "<table><tr><td>ohne Kopf</td></tr></table>"
    )


def test_priority_matrix_shows_every_group_of_a_crowded_cell(tmp_path: Path) -> None:
    plans = edited_plans(tmp_path / "plans", {})
    path = plans / "target-groups.yml"
    record = path.read_text(encoding="utf-8").split("target_groups:\n", 1)[1]
    names = [
        f"Gruppe {i} mit einem ziemlich langen Namen aus der Praxis des Vereins Nummer {i}" for i in range(9)
    ]
    extra = "".join(
        record.replace("id: makers", f"id: group-{i}").replace("name: Bastler", f"name: {name}")
        for i, name in enumerate(names)
    )
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    result = check(plans)
    assert result.plan is not None, result.problems
    svg = priority_matrix(Renderer(result.plan, "zielgruppen/index.md")).split("</svg>", 1)[0]
    titles = [html.unescape(t) for t in re.findall(r"<a href=[^>]*><title>([^<]*)</title>", svg)]
    assert sorted(titles) == sorted(["Bastler", *[" ".join(n.split()) for n in names]])
    assert svg.count('class="hb-mark"') == 10
