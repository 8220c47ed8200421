"""Maps of municipalities and counties, drawn once per data version and kept in the process.

Geometry is read and decoded only here, and only when the data version changes: a page that
shows a map takes a finished drawing, so no request decodes a boundary. The full geometry stays
in the database for /api/v1/regions/{code}/boundary/.
"""

import statistics
from collections.abc import Mapping
from dataclasses import dataclass, replace

from django.utils.translation import get_language

from lokalmaal.indicators.reads import memo
from lokalmaal.regions.models import Boundary, RegionKind
from lokalmaal.web.svg import MapDrawing, MapShape, draw_map
from lokalmaal.web.templatetags.lokalmaal import figure

CLASSES = 5  # a choropleth's classes, map__class-1 … map__class-5 in site.css


@dataclass(frozen=True)
class Choropleth:
    view_box: str
    # Shapes grouped by their class ("map__class-1" … "map__class-5", "" without a value), so
    # the page names each class once rather than on each of 357 shapes.
    groups: list[tuple[str, list[MapShape]]]
    legend: list[tuple[str, str]]  # (css class, "low–high")


def _draw_municipalities() -> MapDrawing | None:
    rows = Boundary.objects.filter(region__kind=RegionKind.MUNICIPALITY).order_by("region__code")
    outlines = rows.values_list("region__code", "region__name", "geometry")
    # Shown at most about 550 px wide, where simplifying by 0.7 units does not show.
    return draw_map(outlines, width=420, decimals=0, tolerance=0.7)


def _draw_children(parent: str) -> MapDrawing | None:
    rows = Boundary.objects.filter(region__parent__code=parent).order_by("region__code")
    return draw_map(rows.values_list("region__code", "region__name", "geometry"))


def children_map(parent: str, highlight: str = "") -> MapDrawing | None:
    """The regions under `parent` (a county's municipalities, the country's counties), with
    `highlight` drawn on top in the accent colour."""
    drawing = memo(f"map:children:{parent}", lambda: _draw_children(parent))
    if drawing is None or not highlight:
        return drawing
    shapes = [replace(s, highlighted=True) if s.code == highlight else s for s in drawing.shapes]
    shapes.sort(key=lambda s: s.highlighted)
    return MapDrawing(drawing.view_box, shapes)


def choropleth(key: str, values: Mapping[str, float], unit: str = "") -> Choropleth | None:
    """Every municipality coloured by its value in five quantile classes; `key` names the values
    (an indicator's id) so the drawing is made once per data version and language (legends and
    labels are numbers written as the page's tables write them). None with too few values."""
    language = get_language()
    return memo(f"map:choropleth:{key}:{language}", lambda: _choropleth(values, unit))


def _choropleth(values: Mapping[str, float], unit: str = "") -> Choropleth | None:
    drawing = memo("map:municipalities", _draw_municipalities)
    if drawing is None or len(values) < CLASSES:
        return None
    cuts = statistics.quantiles(values.values(), n=CLASSES)
    edges = [min(values.values()), *cuts, max(values.values())]
    legend = [
        (
            f"map__class-{number + 1}",
            f"{figure(edges[number], unit)}–{figure(edges[number + 1], unit)}",
        )
        for number in range(CLASSES)
    ]
    groups: dict[str, list[MapShape]] = {}
    for shape in drawing.shapes:
        value = values.get(shape.code)
        css = f"map__class-{1 + sum(value > cut for cut in cuts)}" if value is not None else ""
        label = f"{shape.label}: {figure(value, unit)}"
        groups.setdefault(css, []).append(replace(shape, label=label))
    return Choropleth(drawing.view_box, sorted(groups.items()), legend)
