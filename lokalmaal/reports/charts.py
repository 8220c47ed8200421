"""Charts for reports as standalone SVG: the same drawing goes inline into the HTML page, into the
PDF (typst draws SVG as vectors) and into the Word file (SVG with a PNG fallback).

Pure functions: numbers in, SVG text out. Colours are set as attributes, never by CSS classes or
style attributes, so that the drawing looks the same outside the site and passes the site's CSP.
Lines differ by dash and marker as well as colour (WCAG 1.4.1), and every chart comes with a data
table and a text alternative from the caller.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from lokalmaal.web.svg import multi_line_chart

FONT = "Inter, 'Inter Ext', Arial, sans-serif"
TEXT = "#292c30"
GRID = "#bbbcbd"

# (colour, dash pattern, marker) per series: the municipality, similar municipalities, the county,
# the country. Colours are Designsystemet's; each has at least 3:1 contrast on white.
SERIES_STYLES: tuple[tuple[str, str, str], ...] = (
    ("#0062ba", "", "circle"),
    ("#0d7a5f", "6 3", "square"),
    ("#5b3fa0", "2 3", "diamond"),
    ("#80540f", "10 4 2 4", "triangle"),
)

# Status categories of a goal's status picture, in reading order, with colour and symbol.
STATUS_COLOURS: dict[str, str] = {
    "good": "#068718",
    "some": "#0a71c0",
    "bad": "#c01b1b",
    "unknown": "#77797b",
    "outdated": "#a56d13",
    "missing": "#bbbcbd",
}


@dataclass(frozen=True)
class Chart:
    svg: str  # a complete <svg> element
    alt: str  # the text alternative: what the chart shows, in words


def _marker(kind: str, x: str, y: str, colour: str, label: str) -> str:
    title = f"<title>{escape(label)}</title>"
    fx, fy = float(x), float(y)
    if kind == "square":
        return (
            f'<rect x="{fx - 3.5:.1f}" y="{fy - 3.5:.1f}" width="7" height="7" '
            f'fill="{colour}">{title}</rect>'
        )
    if kind == "diamond":
        points = f"{fx:.1f},{fy - 4.5:.1f} {fx + 4.5:.1f},{fy:.1f} {fx:.1f},{fy + 4.5:.1f} {fx - 4.5:.1f},{fy:.1f}"
        return f'<polygon points="{points}" fill="{colour}">{title}</polygon>'
    if kind == "triangle":
        points = (
            f"{fx:.1f},{fy - 4.5:.1f} {fx + 4.5:.1f},{fy + 3.5:.1f} {fx - 4.5:.1f},{fy + 3.5:.1f}"
        )
        return f'<polygon points="{points}" fill="{colour}">{title}</polygon>'
    return f'<circle cx="{x}" cy="{y}" r="3.5" fill="{colour}">{title}</circle>'


def _open(width: int, height: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" font-family="{escape(FONT)}" '
        f'font-size="13"><title>{escape(title)}</title>'
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>'
    )


def line_chart(
    series: Sequence[tuple[str, Sequence[tuple[int, float]]]], alt: str, width: int = 640
) -> Chart | None:
    """Lines of (label, [(year, value)]) in the report's series order; None with under two years."""
    styled = [(label, f"s{index}", points) for index, (label, points) in enumerate(series)]
    drawing = multi_line_chart(styled, width=width, height=260)
    if drawing is None:
        return None
    legend_rows = (len(drawing.lines) + 1) // 2
    height = drawing.height + 8 + legend_rows * 22
    parts = [_open(width, height, alt)]
    for tick in drawing.y_ticks:
        parts.append(
            f'<line x1="{drawing.left}" x2="{width}" y1="{tick.position}" y2="{tick.position}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{drawing.left - 6}" y="{tick.position}" text-anchor="end" '
            f'dominant-baseline="middle" fill="{TEXT}">{escape(tick.label)}</text>'
        )
    for tick in drawing.x_ticks:
        parts.append(
            f'<text x="{tick.position}" y="{drawing.bottom + 20}" text-anchor="middle" '
            f'fill="{TEXT}">{escape(tick.label)}</text>'
        )
    for line in drawing.lines:
        colour, dash, marker = SERIES_STYLES[int(line.css[1:]) % len(SERIES_STYLES)]
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<g><polyline points="{line.points}" fill="none" stroke="{colour}" '
            f'stroke-width="2.5"{dashes}/>'
        )
        parts.extend(_marker(marker, x, y, colour, label) for x, y, label in line.dots)
        parts.append("</g>")
    for index, line in enumerate(drawing.lines):
        colour, dash, marker = SERIES_STYLES[int(line.css[1:]) % len(SERIES_STYLES)]
        x = 16 + (index % 2) * (width // 2)
        y = drawing.height + 8 + (index // 2) * 22 + 8
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{x}" x2="{x + 34}" y1="{y}" y2="{y}" stroke="{colour}" '
            f'stroke-width="2.5"{dashes}/>'
            + _marker(marker, str(x + 17), str(y), colour, line.label)
            + f'<text x="{x + 42}" y="{y}" dominant-baseline="middle" fill="{TEXT}">'
            f"{escape(line.label)}</text>"
        )
    parts.append("</svg>")
    return Chart("".join(parts), alt)


def status_chart(bars: Sequence[tuple[str, str, int]], alt: str, width: int = 640) -> Chart | None:
    """Horizontal bars of (category, label, count), the count written beside each bar so that the
    chart never relies on colour; None when every count is zero."""
    bars = [bar for bar in bars if bar[2] > 0]
    if not bars:
        return None
    row, label_width = 26, 230
    height = row * len(bars) + 8
    most = max(count for _c, _l, count in bars)
    room = width - label_width - 48
    parts = [_open(width, height, alt)]
    for index, (category, label, count) in enumerate(bars):
        y = 4 + index * row
        length = max(2.0, room * count / most)
        colour = STATUS_COLOURS.get(category, STATUS_COLOURS["unknown"])
        parts.append(
            f'<text x="{label_width - 8}" y="{y + row / 2 - 1:.0f}" text-anchor="end" '
            f'dominant-baseline="middle" fill="{TEXT}">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{row - 8}" '
            f'fill="{colour}"><title>{escape(label)}: {count}</title></rect>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + row / 2 - 1:.0f}" '
            f'dominant-baseline="middle" fill="{TEXT}">{count}</text>'
        )
    parts.append("</svg>")
    return Chart("".join(parts), alt)


def bar_chart(bars: Sequence[tuple[str, float, str]], alt: str, width: int = 640) -> Chart | None:
    """Horizontal bars of (label, value, value as text) from zero, in the series' colours and
    with the value written beside each bar; None without bars or with a negative value (a bar
    from zero would mislead there)."""
    if not bars or any(value < 0 for _l, value, _t in bars):
        return None
    row, label_width = 28, 230
    height = row * len(bars) + 8
    most = max(value for _l, value, _t in bars) or 1.0
    room = width - label_width - 90
    parts = [_open(width, height, alt)]
    for index, (label, value, text) in enumerate(bars):
        y = 4 + index * row
        length = max(2.0, room * value / most)
        colour = SERIES_STYLES[index % len(SERIES_STYLES)][0]
        parts.append(
            f'<text x="{label_width - 8}" y="{y + row / 2 - 1:.0f}" text-anchor="end" '
            f'dominant-baseline="middle" fill="{TEXT}">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="{row - 10}" '
            f'fill="{colour}"><title>{escape(label)}: {escape(text)}</title></rect>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + row / 2 - 1:.0f}" '
            f'dominant-baseline="middle" fill="{TEXT}">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return Chart("".join(parts), alt)
