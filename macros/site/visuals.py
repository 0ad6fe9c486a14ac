"""Charts rendered at build time as inline SVG (no script, no third party),
each followed by a text equivalent for screen readers and search."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ..data.labels import date_short, duration, label
from ..data.plan import today
from .escape import attr as _x
from .escape import internal_href as _u
from .render import Renderer

_COLORS = {"high": "#b3261e", "medium": "#c77700", "low": "#5f6b7a"}
_STATUS = {
    "planned": "#7a8ca3",
    "in_progress": "#1f6feb",
    "done": "#2e7d32",
    "on_hold": "#c77700",
    "cancelled": "#9e9e9e",
}


def _figure(name: str, svg: str, caption: str, text: str) -> str:
    return (
        f'<figure class="hb-visual hb-{name}" markdown="0">\n{svg}\n'
        f"<figcaption>{_x(caption)}</figcaption>\n</figure>\n\n{text}"
    )


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def priority_matrix(r: Renderer) -> str:
    """Target groups by influence (x) and interest (y), coloured by priority."""
    if not r.plan.target_groups:
        return "*Die Matrix erscheint, sobald Zielgruppen erfasst sind (plans/target-groups.yml).*\n"
    levels = ["low", "medium", "high"]
    cell_w, cell_h, left, top = 280, 130, 90, 20
    cells: dict[tuple[str, str], list] = {}
    unplaced = []
    for group in r.plan.target_groups:
        if group.influence and group.interest:
            cells.setdefault((group.influence, group.interest), []).append(group)
        else:
            unplaced.append(group)
    parts = []
    width, height = left + 3 * cell_w + 10, top + 3 * cell_h + 60
    for xi, influence in enumerate(levels):
        for yi, interest in enumerate(reversed(levels)):
            x, y = left + xi * cell_w, top + yi * cell_h
            weight = xi + (2 - yi)
            shade = "#eef3f8" if weight < 3 else "#dfe9f3" if weight < 4 else "#cddcec"
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell_w}" height="{cell_h}" fill="{shade}" '
                f'stroke="#fff" stroke-width="2"/>'
            )
            for i, group in enumerate(cells.get((influence, interest), [])[:5]):
                ty = y + 24 + i * 21
                color = _COLORS[group.priority]
                parts.append(
                    f'<a href="{_u(r.url(group))}"><circle cx="{x + 14}" cy="{ty - 4}" r="5" fill="{color}"/>'
                    f'<text x="{x + 24}" y="{ty}" font-size="14" fill="#1b1f24">'
                    f"{_x(_clip(group.name, 36))}</text></a>"
                )
    for i, level in enumerate(levels):
        parts.append(
            f'<text x="{left + i * cell_w + cell_w / 2}" y="{top + 3 * cell_h + 20}" font-size="13" '
            f'text-anchor="middle" fill="#1b1f24">{_x(label("level", level))}</text>'
        )
        parts.append(
            f'<text x="{left - 10}" y="{top + (2 - i) * cell_h + cell_h / 2}" font-size="13" '
            f'text-anchor="end" fill="#1b1f24">{_x(label("level", level))}</text>'
        )
    parts.append(
        f'<text x="{left + 1.5 * cell_w}" y="{top + 3 * cell_h + 42}" font-size="13" font-weight="bold" '
        f'text-anchor="middle" fill="#1b1f24">Einfluss →</text>'
    )
    parts.append(
        f'<text x="16" y="{top + 1.5 * cell_h}" font-size="13" font-weight="bold" text-anchor="middle" '
        f'fill="#1b1f24" transform="rotate(-90 16 {top + 1.5 * cell_h})">Interesse →</text>'
    )
    svg = (
        f'<svg class="hb-svg" viewBox="0 0 {width} {height}" role="group" '
        f'aria-label="Prioritätenmatrix der Zielgruppen nach Einfluss und Interesse; '
        f'Textfassung in der Tabelle darunter" xmlns="http://www.w3.org/2000/svg">'
        f"<title>Prioritätenmatrix der Zielgruppen</title>{''.join(parts)}</svg>"
    )
    text = r.render("visual_matrix_text.md", unplaced=unplaced)
    return _figure(
        "matrix",
        svg,
        "Zielgruppen nach Einfluss und Interesse; Farbe = Priorität (rot hoch, orange mittel, grau niedrig).",
        text,
    )


def timeline(r: Renderer) -> str:
    """The action plan as a Gantt chart by month."""
    measures = sorted(r.plan.measures, key=lambda m: (m.start, m.end, m.id))
    if not measures:
        return "Der Maßnahmenplan enthält noch keine Maßnahmen.\n"
    first = min(m.start for m in measures).replace(day=1)
    last = max(m.end for m in measures)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    label_w, month_w, row_h, top = 270, max(28, min(60, 660 // months)), 26, 34
    width = label_w + months * month_w + 10
    height = top + row_h * len(measures) + 10

    def x_of(day: dt.date) -> float:
        index = (day.year - first.year) * 12 + day.month - first.month
        return label_w + (index + (day.day - 1) / 31) * month_w

    parts = []
    for i in range(months):
        year, month = divmod(first.month - 1 + i, 12)
        x = label_w + i * month_w
        fill = "#f3f6f9" if i % 2 else "#ffffff"
        parts.append(f'<rect x="{x}" y="{top - 4}" width="{month_w}" height="{height - top}" fill="{fill}"/>')
        parts.append(
            f'<text x="{x + month_w / 2}" y="{top - 10}" font-size="11" text-anchor="middle" '
            f'fill="#1b1f24">{month + 1:02d}/{(first.year + year) % 100:02d}</text>'
        )
    for i, measure in enumerate(measures):
        y = top + i * row_h
        x0, x1 = x_of(measure.start), x_of(measure.end) + month_w / 31
        parts.append(
            f'<a href="{_u(r.url(measure))}"><text x="4" y="{y + 16}" font-size="12" fill="#1b1f24">'
            f"{_x(_clip(measure.title, 38))}</text></a>"
        )
        parts.append(
            f'<rect x="{x0:.1f}" y="{y + 5}" width="{max(x1 - x0, 4):.1f}" height="{row_h - 10}" rx="3" '
            f'fill="{_STATUS[measure.status]}"><title>{_x(measure.title)}: '
            f"{date_short(measure.start)} – {date_short(measure.end)}, "
            f"{_x(label('status', measure.status))}</title></rect>"
        )
    now = today()
    if first <= now <= last:
        x = x_of(now)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height}" stroke="#b3261e" '
            f'stroke-width="2" stroke-dasharray="4 3"/>'
        )
    svg = (
        f'<svg class="hb-svg" viewBox="0 0 {width} {height}" role="group" '
        f'aria-label="Zeitplan der Maßnahmen; Textfassung in der Tabelle darunter" '
        f'xmlns="http://www.w3.org/2000/svg"><title>Zeitplan der Maßnahmen</title>{"".join(parts)}</svg>'
    )
    legend = ", ".join(f"{label('status', s)}" for s in _STATUS)
    return _figure(
        "timeline",
        svg,
        f"Maßnahmen nach Monaten; Farben nach Status ({legend}); gestrichelt: heute.",
        r.render("visual_timeline_text.md", measures=measures),
    )


def escalation(r: Renderer) -> str:
    """Crisis severity levels as a rising ladder."""
    crisis = r.plan.crisis
    if crisis is None or not crisis.levels:
        return "Es sind noch keine Krisenstufen festgelegt.\n"
    levels = sorted(crisis.levels, key=lambda lv: lv.level)
    step_w, step_h, gap = 240, 52, 8
    n = len(levels)
    width = n * (step_w + gap) + 10
    height = n * step_h + 40
    colors = ["#2e7d32", "#c77700", "#d84315", "#b3261e", "#7b1fa2", "#4a148c"]
    custom = r.plan.custom_labels
    parts = []
    for i, level in enumerate(levels):
        h = (i + 1) * step_h
        x, y = i * (step_w + gap), height - h
        parts.append(
            f'<a href="{_u(r.url(level))}"><rect x="{x}" y="{y}" width="{step_w}" height="{h}" rx="4" '
            f'fill="{colors[min(i, len(colors) - 1)]}"/>'
            f'<text x="{x + 10}" y="{y + 22}" font-size="17" font-weight="bold" fill="#ffffff">'
            f"Stufe {level.level}: {_x(_clip(level.name, 21))}</text>"
            f'<text x="{x + 10}" y="{y + 42}" font-size="15" fill="#ffffff">'
            f"Reaktion: {_x(duration(level.response_time.value, level.response_time.unit, custom=custom))}"
            "</text></a>"
        )
    svg = (
        f'<svg class="hb-svg" viewBox="0 0 {width} {height}" role="group" '
        f'aria-label="Eskalationsleiter der Krisenstufen; Textfassung in der Liste darunter" '
        f'xmlns="http://www.w3.org/2000/svg"><title>Eskalationsleiter</title>{"".join(parts)}</svg>'
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
