"""Server-rendered SVG for maps and charts, so pages need no JavaScript and no map tiles from
another host. Pure functions: geometry or numbers in, drawing instructions out."""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from lokalmaal.web.templatetags.lokalmaal import number

type Ring = Sequence[Sequence[float]]


@dataclass(frozen=True)
class MapShape:
    code: str
    label: str
    path: str
    highlighted: bool


@dataclass(frozen=True)
class MapDrawing:
    view_box: str
    shapes: list[MapShape]


def _polygons(geometry: dict[str, Any]) -> list[list[Ring]]:
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def simplify(points: Sequence[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker: drop every point closer than `tolerance` to the line that would replace
    it. Iterative (a long coastline would overflow recursion); the first and last point stay."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    limit = tolerance * tolerance
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        ax, ay = points[first]
        bx, by = points[last]
        dx, dy = bx - ax, by - ay
        length = dx * dx + dy * dy
        farthest, distance = 0, limit
        for index in range(first + 1, last):
            px, py = points[index]
            if length:
                # Squared distance to the segment's line, scaled by its squared length.
                cross = dx * (py - ay) - dy * (px - ax)
                squared = cross * cross / length
            else:
                squared = (px - ax) ** 2 + (py - ay) ** 2
            if squared > distance:
                farthest, distance = index, squared
        if farthest:
            keep[farthest] = True
            stack.append((first, farthest))
            stack.append((farthest, last))
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def draw_map(
    regions: Iterable[tuple[str, str, dict[str, Any] | None]],
    highlight: str = "",
    width: float = 400,
    decimals: int = 1,
    tolerance: float = 0.5,
) -> MapDrawing | None:
    """Project (code, label, GeoJSON geometry) with an equirectangular projection scaled by the
    cosine of the mean latitude: good enough at municipal scale and in Norway's latitudes.

    The drawing keeps only what shows at its size: outlines are simplified to `tolerance` units
    of the view box and rounded to `decimals`, and islands smaller than a unit are left out
    (a region's largest ring is always drawn). That keeps a map of all 357 municipalities around
    60 KB instead of several hundred."""
    items = [(code, label, _polygons(geometry)) for code, label, geometry in regions if geometry]
    points = [p for _, _, polys in items for poly in polys for ring in poly for p in ring]
    if not points:
        return None
    min_lon = min(p[0] for p in points)
    max_lon = max(p[0] for p in points)
    min_lat = min(p[1] for p in points)
    max_lat = max(p[1] for p in points)
    x_scale = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = max((max_lon - min_lon) * x_scale, 1e-9)
    span_y = max(max_lat - min_lat, 1e-9)
    scale = width / span_x
    height = span_y * scale

    def project(ring: Ring) -> list[tuple[float, float]]:
        return [((p[0] - min_lon) * x_scale * scale, (max_lat - p[1]) * scale) for p in ring]

    def extent(ring: list[tuple[float, float]]) -> float:
        xs = [x for x, _ in ring]
        ys = [y for _, y in ring]
        return max(max(xs) - min(xs), max(ys) - min(ys))

    unit = 10**decimals

    def number(steps: int) -> str:
        if not decimals:
            return str(steps)
        text = f"{steps / unit:.{decimals}f}".rstrip("0").rstrip(".")
        return text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text

    def ring_path(ring: list[tuple[float, float]]) -> str:
        # Rounded to whole steps of the drawing's resolution; points that land on the same step
        # add bytes but nothing visible. After the first point, each is drawn relative to the
        # one before ("l"), which is shorter, and numbers are separated by a space only where
        # no minus sign separates them.
        steps: list[tuple[int, int]] = []
        for x, y in simplify(ring, tolerance):
            point = (round(x * unit), round(y * unit))
            if not steps or steps[-1] != point:
                steps.append(point)
        if len(steps) < 3:
            return ""
        path = [f"M{number(steps[0][0])} {number(steps[0][1])}l"]
        for (px, py), (x, y) in pairwise(steps):
            for value in (number(x - px), number(y - py)):
                path.append(value if value[0] == "-" or path[-1][-1] == "l" else " " + value)
        return "".join(path) + "z"

    shapes = []
    for code, label, polys in items:
        rings = [project(ring) for poly in polys for ring in poly if ring]
        extents = [extent(ring) for ring in rings]
        largest = max(extents, default=0.0)
        parts = [
            ring_path(ring)
            for ring, size in zip(rings, extents, strict=True)
            if size >= 1.0 or size == largest
        ]
        shapes.append(MapShape(code, label, "".join(parts), code == highlight))
    # Highlighted shapes last so their outline is drawn on top.
    shapes.sort(key=lambda s: s.highlighted)
    return MapDrawing(f"0 0 {width:.0f} {height:.0f}", shapes)


# Coordinates are strings so that templates never localise them ("228,0" is not SVG).
@dataclass(frozen=True)
class Tick:
    position: str
    label: str


def _nice_step(span: float, count: int = 4) -> float:
    raw = span / count if span > 0 else 1
    magnitude = 10.0 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * magnitude >= raw:
            return factor * magnitude
    return 10 * magnitude


def format_number(value: float) -> str:
    """A whole number as the page's tables write it (no-break space between thousands)."""
    return number(value, 0)


@dataclass(frozen=True)
class Line:
    label: str
    css: str
    points: str
    dots: list[tuple[str, str, str]]


@dataclass(frozen=True)
class MultiLineChart:
    width: int
    height: int
    lines: list[Line]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    left: int
    bottom: int


def _decimals(step: float) -> int:
    return max(0, -math.floor(math.log10(step))) if step < 1 else 0


def _format(value: float, decimals: int) -> str:
    """Axis and point labels as the page's tables write them: decimal comma in Norwegian."""
    return number(value, decimals)


def multi_line_chart(
    series: Sequence[tuple[str, str, Sequence[tuple[int, float]]]],
    width: int = 640,
    height: int = 280,
) -> MultiLineChart | None:
    """Lines of (label, css class, [(year, value)]) on shared axes; None when there is too little."""
    series = [(label, css, sorted(points)) for label, css, points in series if points]
    years = sorted({year for _, _, points in series for year, _ in points})
    values = [value for _, _, points in series for _, value in points]
    if len(years) < 2:
        return None
    left, right, top, bottom = 80, 16, 12, height - 32
    step = _nice_step(max(values) - min(values))
    decimals = _decimals(step)
    low = math.floor(min(values) / step) * step
    high = math.ceil(max(values) / step) * step
    if high == low:
        high = low + step

    def x(year: int) -> float:
        return float(
            left + (year - years[0]) / max(years[-1] - years[0], 1) * (width - left - right)
        )

    def y(value: float) -> float:
        return float(bottom - (value - low) / (high - low) * (bottom - top))

    lines = []
    for label, css, points in series:
        dots = [
            (
                f"{x(year):.1f}",
                f"{y(value):.1f}",
                f"{label}, {year}: {_format(value, decimals + 1)}",
            )
            for year, value in points
        ]
        lines.append(Line(label, css, " ".join(f"{dx},{dy}" for dx, dy, _ in dots), dots))
    y_ticks = []
    tick = low
    while tick <= high + step / 2:
        y_ticks.append(Tick(f"{y(tick):.1f}", _format(tick, decimals)))
        tick += step
    every = max(1, math.ceil(len(years) / 8))
    x_ticks = [Tick(f"{x(year):.1f}", str(year)) for year in years[::every]]
    return MultiLineChart(width, height, lines, x_ticks, y_ticks, left, bottom)


def sparkline(points: dict[int, float], width: int = 64, height: int = 18) -> str:
    """The polyline points of a small line over the years (oldest left), scaled to its own
    range; "" with fewer than two years. Decoration beside a trend written in words."""
    years = sorted(points)
    if len(years) < 2:
        return ""
    low, high = min(points.values()), max(points.values())
    span = (high - low) or 1.0
    first, last = years[0], years[-1]
    return " ".join(
        f"{2 + (year - first) / (last - first) * (width - 4):.1f},"
        f"{height - 2 - (points[year] - low) / span * (height - 4):.1f}"
        for year in years
    )


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str  # the figure as the table writes it, "–" without one
    y: float
    x: float  # where the bar starts (the zero line, or the bar's end for a negative value)
    width: float
    text_x: float  # where the figure is written, after the bar


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    zero_x: float
    label_x: int  # right edge of the names, left of the bars
    bars: list[Bar]


def bar_chart(
    items: Sequence[tuple[str, float | None]], value_text: Sequence[str], width: int = 420
) -> BarChart | None:
    """Horizontal bars, one per (name, value), in the order given, with a zero line; the figures
    are written beside the bars as `value_text` gives them. None when no item has a value."""
    values = [value for _, value in items if value is not None]
    if not values:
        return None
    row, left, right = 22, 180, 56
    low, high = min(0.0, *values), max(0.0, *values)
    span = (high - low) or 1.0
    plot = width - left - right

    def x(value: float) -> float:
        return left + (value - low) / span * plot

    bars = []
    for index, ((label, value), text) in enumerate(zip(items, value_text, strict=True)):
        y = 4 + index * row
        if value is None:
            bars.append(Bar(label, "–", y, x(0), 0, x(0) + 4))
            continue
        start, end = sorted((x(0), x(value)))
        bars.append(Bar(label, text, y, round(start, 1), round(end - start, 1), round(end + 4, 1)))
    return BarChart(width, 8 + len(items) * row, round(x(0), 1), left - 6, bars)
