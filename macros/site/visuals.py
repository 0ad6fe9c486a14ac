"""Charts rendered at build time as inline SVG (no script, no third party),
each followed by a text equivalent for screen readers and search.

Every chart is drawn on the same width (``WIDTH`` user units) with no text smaller than
``MIN_FONT``: where the figure is narrower than ``WIDTH * 12 / MIN_FONT`` pixels its text would
render below 12 px, and handbook.css hides the chart there (a container query on the figure) and
shows a note pointing to the text equivalent, which holds every entry. Labels wrap to the space
they have; a label shortened after ``max_lines`` keeps its full text in a ``<title>``. Colours
are explained by an HTML legend under the chart (it wraps and stays readable at any width).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable

from ..data.labels import capital, date_short, duration, label
from ..data.plan import today
from .escape import attr as _x
from .escape import internal_href as _u
from .render import Renderer

WIDTH = 700
"""Width of every chart in SVG user units (px at scale 1)."""
MIN_FONT = 13
"""Smallest font size in a chart, in user units; handbook.css hides a chart narrower than
WIDTH * 12 / MIN_FONT px (646 px), where this size would render below 12 px."""
_CHAR = 0.62
"""Estimated average glyph width per font size (generous: wide system fonts, bold, capitals)."""
_INK = "#1b1f24"

_COLORS = {"high": "#b3261e", "medium": "#a35c00", "low": "#5f6b7a"}
_STATUS = {
    "planned": "#5b6f8a",
    "in_progress": "#1f5fc4",
    "done": "#2e7d32",
    "on_hold": "#a35c00",
    "cancelled": "#767676",
}
_LADDER = ["#2e6b30", "#8a4b00", "#b02e0c", "#9c1f17", "#6a1b9a", "#4a148c"]
"""Step colours of the escalation ladder (white text on each keeps at least 4.5:1)."""


def _figure(
    name: str, svg: str, caption: str, text: str, legend: list[tuple[str, str, str]] | None = None
) -> str:
    """The chart with its legend ((kind 'box' or 'line', colour, text) per entry), the note shown
    where it is hidden for lack of width, the caption and, after the figure, its text equivalent."""
    items = "".join(
        f'<li><span class="hb-legend__swatch hb-legend__swatch--{kind}" style="--hb-swatch: {color}"></span>'
        f"{_x(entry)}</li>"
        for kind, color, entry in legend or []
    )
    legend_html = f'<ul class="hb-legend" aria-label="Legende">{items}</ul>\n' if items else ""
    return (
        f'<figure class="hb-visual hb-{name}" markdown="0">\n'
        f'<div class="hb-visual__chart">\n{svg}\n{legend_html}</div>\n'
        '<p class="hb-visual__fallback">Für die Grafik ist hier zu wenig Platz: '
        "die Tabelle darunter enthält dieselben Angaben.</p>\n"
        f"<figcaption>{_x(caption)}</figcaption>\n</figure>\n\n{text}"
    )


def _svg(label_: str, title: str, height: float, parts: list[str]) -> str:
    return (
        f'<svg class="hb-svg" viewBox="0 0 {WIDTH} {math.ceil(height)}" role="group" '
        f'aria-label="{_x(label_)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{_x(title)}</title>{''.join(parts)}</svg>"
    )


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_PIECES = re.compile(r"[^-]+-*|-+")


def wrap(text: str, font: float, width: float, max_lines: int) -> list[str]:
    """``text`` in lines that fit ``width`` at ``font`` (estimated); at most ``max_lines``, the last
    one ending in '…' when the text is longer. A word longer than a line is split with a hyphen."""
    per_line = max(4, int(width / (font * _CHAR)))
    lines: list[str] = []
    current = ""
    for word in str(text).split():
        # A compound breaks after its hyphens first ("Corporate-|Influencer-|Programm").
        for index, piece in enumerate(_PIECES.findall(word)):
            glue = "" if index else " "
            while len(piece) > per_line:
                if current:
                    lines.append(current)
                    current = ""
                lines.append(piece[: per_line - 1] + "-")
                piece = piece[per_line - 1 :]
            candidate = f"{current}{glue}{piece}" if current else piece
            if len(candidate) <= per_line:
                current = candidate
            else:
                lines.append(current)
                current = piece
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1].rstrip("-")
        lines[-1] = (last if len(last) < per_line else last[: per_line - 1].rstrip()) + "…"
    return lines or [""]


def _text(x: float, y: float, lines: list[str], font: float, line_h: float, extra: str = "") -> str:
    """A <text> of several lines; y is the first line's baseline."""
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if i == 0 else line_h}">{_x(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{font}" {extra}>{spans}</text>'


def priority_matrix(r: Renderer) -> str:
    """Target groups by influence (x) and interest (y), coloured by priority; every group with
    both values is placed, however many share a cell."""
    if not r.plan.target_groups:
        return "*Die Matrix erscheint, sobald Zielgruppen erfasst sind (plans/target-groups.yml).*\n"
    levels = ["low", "medium", "high"]
    font, line_h, gap = 13, 16, 6
    left, top = 84, 8
    cell_w = (WIDTH - left - 4) / 3
    text_w = cell_w - 24 - 6
    cells: dict[tuple[str, str], list] = {}
    unplaced = []
    for group in r.plan.target_groups:
        if group.influence and group.interest:
            cells.setdefault((group.influence, group.interest), []).append(group)
        else:
            unplaced.append(group)
    wrapped = {key: [(g, wrap(g.name, font, text_w, 3)) for g in groups] for key, groups in cells.items()}

    def content_h(key: tuple[str, str]) -> float:
        return 12 + sum(len(lines) * line_h + gap for _, lines in wrapped.get(key, []))

    rows = list(reversed(levels))  # interest: high on top
    row_h = {i: max(96, *(content_h((inf, i)) for inf in levels)) for i in rows}
    parts = []
    y = top
    for yi, interest in enumerate(rows):
        h = row_h[interest]
        for xi, influence in enumerate(levels):
            x = left + xi * cell_w
            weight = xi + (2 - yi)
            shade = "#eef3f8" if weight < 3 else "#dfe9f3" if weight < 4 else "#cddcec"
            inner = [
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell_w:.1f}" height="{h:.1f}" fill="{shade}" '
                f'stroke="#fff" stroke-width="2"/>'
            ]
            ty = y + 8
            for group, lines in wrapped.get((influence, interest), []):
                color = _COLORS[group.priority]
                inner.append(
                    f'<a href="{_u(r.site_url(group))}"><title>{_x(group.name)}</title>'
                    f'<circle class="hb-mark" cx="{x + 13:.1f}" cy="{ty + 8:.1f}" r="5" fill="{color}"/>'
                    + _text(x + 24, ty + 12, lines, font, line_h, f'fill="{_INK}"')
                    + "</a>"
                )
                ty += len(lines) * line_h + gap
            parts.append(f'<g class="hb-box">{"".join(inner)}</g>')
        parts.append(
            f'<text x="{left - 8}" y="{y + h / 2 + 4:.1f}" font-size="{font}" text-anchor="end" '
            f'fill="{_INK}">{_x(label("level", interest))}</text>'
        )
        y += h
    for i, level in enumerate(levels):
        parts.append(
            f'<text x="{left + i * cell_w + cell_w / 2:.1f}" y="{y + 18:.1f}" font-size="{font}" '
            f'text-anchor="middle" fill="{_INK}">{_x(label("level", level))}</text>'
        )
    parts.append(
        f'<text x="{left + 1.5 * cell_w:.1f}" y="{y + 40:.1f}" font-size="{font}" font-weight="bold" '
        f'text-anchor="middle" fill="{_INK}">Einfluss →</text>'
    )
    middle = top + (y - top) / 2
    parts.append(
        f'<text x="18" y="{middle:.1f}" font-size="{font}" font-weight="bold" text-anchor="middle" '
        f'fill="{_INK}" transform="rotate(-90 18 {middle:.1f})">Interesse →</text>'
    )
    svg = _svg(
        "Prioritätenmatrix der Zielgruppen nach Einfluss und Interesse; Textfassung in der Tabelle darunter",
        "Prioritätenmatrix der Zielgruppen",
        y + 50,
        parts,
    )
    used = {g.priority for g in r.plan.target_groups if g.influence and g.interest}
    legend = [
        ("box", _COLORS[p], f"Priorität {label('priority', p)}")
        for p in ("high", "medium", "low")
        if p in used
    ]
    return _figure(
        "matrix",
        svg,
        "Zielgruppen nach Einfluss und Interesse; die Farbe eines Punktes zeigt die Priorität.",
        r.render("visual_matrix_text.md", unplaced=unplaced),
        legend,
    )


def timeline(r: Renderer) -> str:
    """The action plan as a Gantt chart by month."""
    measures = sorted(r.plan.measures, key=lambda m: (m.start, m.end, m.id))
    if not measures:
        return "Der Maßnahmenplan enthält noch keine Maßnahmen.\n"
    first = min(m.start for m in measures).replace(day=1)
    last = max(m.end for m in measures)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    font, line_h, top, label_w = MIN_FONT, 16, 30, 236
    month_w = (WIDTH - label_w - 4) / months
    every = max(1, math.ceil(48 / month_w))  # a month label needs about 48 units ("11/26" plus a gap)
    labels = [wrap(m.title, font, label_w - 12, 2) for m in measures]
    heights = [len(lines) * line_h + 10 for lines in labels]
    height = top + sum(heights) + 6

    def x_of(day: dt.date) -> float:
        index = (day.year - first.year) * 12 + day.month - first.month
        return label_w + (index + (day.day - 1) / 31) * month_w

    parts = []
    for i in range(months):
        year, month = divmod(first.month - 1 + i, 12)
        x = label_w + i * month_w
        fill = "#f3f6f9" if i % 2 else "#ffffff"
        parts.append(
            f'<rect x="{x:.1f}" y="{top - 4}" width="{month_w:.1f}" height="{height - top:.1f}" '
            f'fill="{fill}"/>'
        )
        if i % every == 0:
            parts.append(
                f'<text x="{x + 2:.1f}" y="{top - 12}" font-size="{font}" fill="{_INK}">'
                f"{month + 1:02d}/{(first.year + year) % 100:02d}</text>"
            )
    y = top
    for measure, lines, h in zip(measures, labels, heights, strict=True):
        x0, x1 = x_of(measure.start), x_of(measure.end) + month_w / 31
        when = f"{date_short(measure.start)} – {date_short(measure.end)}, {label('status', measure.status)}"
        parts.append(
            f'<g class="hb-box"><rect x="0" y="{y:.1f}" width="{label_w - 4}" height="{h}" fill="none"/>'
            f'<a href="{_u(r.site_url(measure))}"><title>{_x(measure.title)}</title>'
            + _text(4, y + 5 + 12, lines, font, line_h, f'fill="{_INK}"')
            + "</a></g>"
        )
        parts.append(
            f'<rect class="hb-mark" x="{x0:.1f}" y="{y + h / 2 - 7:.1f}" width="{max(x1 - x0, 4):.1f}" '
            f'height="14" '
            f'rx="3" fill="{_STATUS[measure.status]}"><title>{_x(measure.title)}: {_x(when)}</title></rect>'
        )
        y += h
    now = today()
    today_shown = first <= now <= last
    if today_shown:
        x = x_of(now)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height:.1f}" stroke="#b3261e" '
            f'stroke-width="2" stroke-dasharray="4 3"/>'
        )
    svg = _svg(
        "Zeitplan der Maßnahmen; Textfassung in der Tabelle darunter", "Zeitplan der Maßnahmen", height, parts
    )
    used = {m.status for m in measures}
    legend = [("box", color, capital(label("status", s))) for s, color in _STATUS.items() if s in used]
    if today_shown:
        legend.append(("line", "#b3261e", f"heute ({date_short(now)})"))
    return _figure(
        "timeline",
        svg,
        "Maßnahmen nach Monaten; die Farbe eines Balkens zeigt den Status.",
        r.render("visual_timeline_text.md", measures=measures),
        legend,
    )


def escalation(r: Renderer) -> str:
    """Crisis severity levels as a rising ladder, each step labelled with its level, name and
    response time (the labels name what the colours stand for)."""
    crisis = r.plan.crisis
    if crisis is None or not crisis.levels:
        return "Es sind noch keine Krisenstufen festgelegt.\n"
    levels = sorted(crisis.levels, key=lambda lv: lv.level)
    custom = r.plan.custom_labels
    n, gap, font, line_h, rise = len(levels), 6, 14, 18, 22
    step_w = (WIDTH - (n - 1) * gap) / n
    blocks = []
    for level in levels:
        response = duration(level.response_time.value, level.response_time.unit, custom=custom)
        name = wrap(level.name, font, step_w - 16, 4)
        reaction = wrap(f"Reaktion: {response}", MIN_FONT, step_w - 16, 3)
        blocks.append((level, name, reaction))
    text_h = max(10 + (1 + len(name)) * line_h + len(reaction) * 16 + 8 for _, name, reaction in blocks)
    height = text_h + (n - 1) * rise + 2
    parts = []
    for i, (level, name, reaction) in enumerate(blocks):
        h = text_h + i * rise
        x, y = i * (step_w + gap), height - h
        parts.append(
            f'<a href="{_u(r.site_url(level))}"><title>Stufe {level.level}: {_x(level.name)}</title>'
            f'<g class="hb-box"><rect x="{x:.1f}" y="{y:.1f}" width="{step_w:.1f}" height="{h:.1f}" rx="4" '
            f'fill="{_LADDER[min(i, len(_LADDER) - 1)]}"/>'
            + _text(
                x + 8,
                y + 22,
                [f"Stufe {level.level}:", *name],
                font,
                line_h,
                'font-weight="bold" fill="#ffffff"',
            )
            + _text(x + 8, y + 22 + (1 + len(name)) * line_h, reaction, MIN_FONT, 16, 'fill="#ffffff"')
            + "</g></a>"
        )
    svg = _svg(
        "Eskalationsleiter der Krisenstufen; Textfassung in der Tabelle darunter",
        "Eskalationsleiter",
        height,
        parts,
    )
    return _figure(
        "ladder",
        svg,
        "Je höher die Stufe, desto schneller die Reaktion und desto höher die Verantwortung.",
        r.render("visual_ladder_text.md", levels=levels),
    )


def coverage(r: Renderer) -> str:
    """Goals x target groups, with the channels that connect them."""
    return r.render("visual_coverage.md")


def raci(r: Renderer) -> str:
    """Who is responsible, accountable, consulted, informed in every process step."""
    return r.render("visual_raci.md", processes=r.plan.processes)


VISUALS: dict[str, Callable[[Renderer], str]] = {
    "priority_matrix": priority_matrix,
    "timeline": timeline,
    "escalation": escalation,
    "coverage": coverage,
    "raci": raci,
}
