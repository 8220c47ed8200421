"""Pages of municipalities and counties; thin shells around reads.py."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lokalmaal.regions import reads
from lokalmaal.regions.models import Region, RegionKind
from lokalmaal.reports.content import county_alignment
from lokalmaal.reports.published import county_fingerprint
from lokalmaal.web.language import use_region_language
from lokalmaal.web.maps import children_map
from lokalmaal.web.pagecache import anonymous_page
from lokalmaal.web.svg import MapDrawing, multi_line_chart


def municipality_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    county = request.GET.get("fylke", "")[:2]
    municipalities = reads.list_regions(RegionKind.MUNICIPALITY, query, county)
    counties = reads.list_regions(RegionKind.COUNTY)
    context = {"municipalities": municipalities, "counties": counties, "q": query, "county": county}
    return render(request, "regions/municipality_list.html", context)


def county_list(request: HttpRequest) -> HttpResponse:
    counties = reads.list_regions(RegionKind.COUNTY)
    return render(request, "regions/county_list.html", {"counties": counties})


def _map_for(region: Region) -> MapDrawing | None:
    """A municipality among its county's municipalities, or a county's municipalities."""
    if region.kind == RegionKind.MUNICIPALITY and region.parent:
        return children_map(region.parent.code, highlight=region.code)
    return children_map(region.code)


def region_detail(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    region = Region.objects.select_related("parent").filter(code=code).first()
    if region is None:
        raise Http404("No such region")
    if region.kind != kind:
        target = (
            "regions:municipality" if region.kind == RegionKind.MUNICIPALITY else "regions:county"
        )
        return redirect(target, code=code)
    use_region_language(request, region.written_standard)
    # A county's alignment section shows published goal sets, which change without a new data
    # version: their fingerprint is part of the cache key.
    variant = county_fingerprint(region) if region.kind == RegionKind.COUNTY else ""
    return anonymous_page(request, lambda: _render_region(request, region), variant)


def _render_region(request: HttpRequest, region: Region) -> HttpResponse:
    detail = reads.get_region(region.code)
    population = [(p.year, float(p.value)) for p in detail.population_series]
    chart = multi_line_chart([(_("Population"), "line--own", population)])
    context = {
        "region": detail,
        "map": _map_for(region),
        "chart": chart,
        "language": get_language(),
        "alignment": county_alignment(region, get_language())
        if region.kind == RegionKind.COUNTY
        else None,
    }
    return render(request, "regions/region_detail.html", context)
