"""Charts as inline SVG, drawn on the server: no script, no library, nothing fetched.

Every shape is styled by class (static/pages.css) and every attribute value is escaped, so a
chart is safe under a Content-Security-Policy that allows styles and scripts from self only.
Each chart is also readable without its picture: the numbers are printed in it, every cell or
bar has a <title>, and its link goes where the numbers come from.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

FONT_WIDTH = 6.6  # px per character of the 12px labels, to size the label column
CELL_W, CELL_H, HEAD_H = 84, 30, 34
BAR_H, BAR_GAP = 16, 6


@dataclass(frozen=True)
class Cell:
    count: int
    href: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    second: float | None = None
    href: str | None = None


def _attr(text: str) -> str:
    return escape(text, quote=True)


def _linked(inner: str, href: str | None, title: str | None) -> str:
    titled = f"<title>{escape(title)}</title>{inner}" if title else inner
    return f'<a href="{_attr(href)}">{titled}</a>' if href else f"<g>{titled}</g>"


def grid(rows: list[tuple[str, list[Cell]]], columns: list[str], label: str) -> Markup:
    """A count per row and column (statements per domain and level, say), shaded by count."""
    if not rows or not columns:
        return Markup("")
    label_w = int(max(len(name) for name, _cells in rows) * FONT_WIDTH) + 16
    width, height = label_w + CELL_W * len(columns), HEAD_H + CELL_H * len(rows)
    most = max((c.count for _n, cells in rows for c in cells), default=0) or 1
    parts = [f'<svg class="chart grid" role="img" aria-label="{_attr(label)}" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">']
    for i, name in enumerate(columns):
        x = label_w + CELL_W * i + CELL_W / 2
        parts.append(f'<text class="axis" x="{x:.0f}" y="{HEAD_H - 12}" text-anchor="middle">{escape(name)}</text>')
    for r, (name, cells) in enumerate(rows):
        y = HEAD_H + CELL_H * r
        parts.append(f'<text x="0" y="{y + CELL_H / 2 + 4:.0f}">{escape(name)}</text>')
        for i, cell in enumerate(cells):
            shade = 0 if cell.count == 0 else 1 + min(3, int(3 * cell.count / most))
            x = label_w + CELL_W * i
            text_class = ' class="on-dark"' if shade >= 3 else ""
            inner = (f'<rect class="cell-{shade}" x="{x + 1}" y="{y + 1}" width="{CELL_W - 2}" height="{CELL_H - 2}" rx="4"/>'
                     f'<text{text_class} x="{x + CELL_W / 2:.0f}" y="{y + CELL_H / 2 + 4:.0f}" text-anchor="middle">{cell.count}</text>')
            parts.append(_linked(inner, cell.href if cell.count else None, cell.title))
    parts.append("</svg>")
    return Markup("".join(parts))


def bars(items: list[Bar], scale_max: float, label: str, second_max: float | None = None,
         names: tuple[str, str] = ("", "")) -> Markup:
    """Horizontal bars, one per item (its value on 0..scale_max), and a thinner second bar under
    each when the items have a second value on 0..second_max (importance and level, say)."""
    if not items:
        return Markup("")
    paired = second_max is not None and any(b.second is not None for b in items)
    row_h = BAR_H * (2 if paired else 1) + BAR_GAP
    label_w = int(min(34, max(len(b.label) for b in items)) * FONT_WIDTH) + 12
    track_w, value_w = 260, 44
    width, height = label_w + track_w + value_w, row_h * len(items) + BAR_GAP
    parts = [f'<svg class="chart bars" role="img" aria-label="{_attr(label)}" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">']
    for i, b in enumerate(items):
        y = BAR_GAP + row_h * i
        shown = b.label if len(b.label) <= 34 else b.label[:33] + "…"
        inner = [f'<text x="0" y="{y + BAR_H - 4}">{escape(shown)}</text>',
                 f'<rect class="track" x="{label_w}" y="{y}" width="{track_w}" height="{BAR_H - 2}" rx="3"/>']
        if b.value is not None:
            inner.append(f'<rect class="bar" x="{label_w}" y="{y}" width="{track_w * b.value / scale_max:.1f}" '
                         f'height="{BAR_H - 2}" rx="3"/>')
            inner.append(f'<text class="value" x="{label_w + track_w + 6}" y="{y + BAR_H - 4}">{b.value:g}</text>')
        if paired and b.second is not None:
            y2 = y + BAR_H
            inner.append(f'<rect class="bar second" x="{label_w}" y="{y2}" width="{track_w * b.second / second_max:.1f}" '
                         f'height="{BAR_H - 4}" rx="3"/>')
            inner.append(f'<text class="value" x="{label_w + track_w + 6}" y="{y2 + BAR_H - 6}">{b.second:g}</text>')
        title = f"{b.label}: {names[0]} {b.value:g}" if b.value is not None else b.label
        if paired and b.second is not None:
            title += f", {names[1]} {b.second:g}"
        parts.append(_linked("".join(inner), b.href, title))
    parts.append("</svg>")
    return Markup("".join(parts))


__all__ = ["Cell", "Bar", "grid", "bars"]
