"""The SDG report of a municipality or county as a page, a PDF and a Word file; KS's national
overview. Views parse, call the plain modules and render."""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language

from lokalmaal.regions.models import Region, RegionKind
from lokalmaal.reports import cache, overview
from lokalmaal.reports.content import Report, build_report
from lokalmaal.web.language import use_region_language

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _region(code: str, kind: str) -> Region:
    region = Region.objects.select_related("parent").filter(code=code).first()
    if region is None or region.kind not in (RegionKind.MUNICIPALITY, RegionKind.COUNTY):
        raise Http404("No such municipality or county")
    return region


def _redirect_kind(region: Region, suffix: str) -> HttpResponse:
    base = "kommuner" if region.kind == RegionKind.MUNICIPALITY else "fylker"
    return redirect(f"/{base}/{region.code}/{suffix}")


def report_page(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    region = _region(code, kind)
    if region.kind != kind:
        return _redirect_kind(region, "rapport/")
    use_region_language(request, region.written_standard)
    language = get_language()
    report = cache.report(region, language, lambda: build_report(region.code, language))
    return render(request, "reports/report.html", {"report": report, "region": region})


def report_file(request: HttpRequest, code: str, kind: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("No such format")
    region = _region(code, kind)
    if region.kind != kind:
        return _redirect_kind(region, f"rapport.{fmt}")
    use_region_language(request, region.written_standard)
    language = get_language()
    content = cache.rendered(region, language, fmt, lambda: _render(region.code, language, fmt))
    response = HttpResponse(content, content_type=FORMATS[fmt])
    name = f"berekraftsrapport-{region.slug}-{language}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _render(code: str, language: str, fmt: str) -> bytes:
    from lokalmaal.reports import pdf, word

    report = build_report(code, language)
    writers: dict[str, Callable[[Report], bytes]] = {"pdf": pdf.to_pdf, "docx": word.to_docx}
    return writers[fmt](report)


def overview_page(request: HttpRequest) -> HttpResponse:
    filters = overview.Filters.from_query(request.GET)
    data = overview.national_overview(get_language(), filters)
    paths = overview.map_paths()
    shapes = [(r, paths.get(r.code, "")) for r in data.map_regions]
    shapes.sort(key=lambda item: item[0].highlighted)  # highlighted outlines drawn on top
    context = {
        "overview": data,
        "filters": filters,
        "choices": overview.filter_choices(),
        "shapes": shapes,
        "marked": sum(1 for r in data.map_regions if r.highlighted),
    }
    return render(request, "reports/overview.html", context)
