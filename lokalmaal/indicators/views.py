"""Indicator pages: the library, one indicator across municipalities, a municipality's SDG
dashboard, comparison, similar municipalities, coverage and proposals."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lokalmaal.accounts.models import User
from lokalmaal.accounts.permissions import is_platform_admin
from lokalmaal.catalogue.models import Goal
from lokalmaal.indicators import actions, analysis, downloads, picture, reads
from lokalmaal.indicators.forms import ProposalForm
from lokalmaal.indicators.models import Proposal
from lokalmaal.lib.spreadsheet import csv_writer
from lokalmaal.regions.models import Region, RegionKind
from lokalmaal.regions.reads import MunicipalityChoice, municipality_choices
from lokalmaal.web import maps
from lokalmaal.web.language import use_region_language
from lokalmaal.web.middleware import no_store
from lokalmaal.web.pagecache import anonymous_page
from lokalmaal.web.params import goal_param
from lokalmaal.web.svg import BarChart, bar_chart, multi_line_chart, sparkline
from lokalmaal.web.templatetags.lokalmaal import figure


def indicator_list(request: HttpRequest) -> HttpResponse:
    return anonymous_page(request, lambda: _render_indicator_list(request))


def _render_indicator_list(request: HttpRequest) -> HttpResponse:
    goal = goal_param(request)
    context = {
        "indicators": reads.list_indicators(get_language(), goal),
        "goals": Goal.objects.all(),
        "goal": goal,
        "may_update": is_platform_admin(request.user),
    }
    return render(request, "indicators/indicator_list.html", context)


SORTS = {"namn": lambda r: r.name, "verdi": lambda r: r.value, "kode": lambda r: r.code}


def _municipality_names() -> list[MunicipalityChoice]:
    """For a choice of municipality: code and name (with the county where two share a name)."""
    return municipality_choices()


def indicator_detail(request: HttpRequest, indicator_id: str) -> HttpResponse:
    language = get_language()
    detail = reads.memo(
        f"indicator:{indicator_id}:{language}", lambda: reads.get_indicator(indicator_id, language)
    )
    return anonymous_page(request, lambda: _render_indicator(request, detail))


def _render_indicator(request: HttpRequest, detail: reads.IndicatorDetail) -> HttpResponse:
    indicator_id = detail.id
    code = request.GET.get("kommune", "")[:4]
    region = (
        Region.objects.filter(code=code, kind=RegionKind.MUNICIPALITY).first() if code else None
    )
    chart = None
    rows_by_year: list[reads.ComparisonRow] = []
    if region:
        rows_by_year = reads.comparison(indicator_id, region.code)
        lines = [
            (
                region.name,
                "line--own",
                [(r.year, r.municipality) for r in rows_by_year if r.municipality is not None],
            ),
            (
                _("Similar municipalities (median)"),
                "line--similar",
                [(r.year, r.similar) for r in rows_by_year if r.similar is not None],
            ),
            (
                _("County (median)"),
                "line--county",
                [(r.year, r.county) for r in rows_by_year if r.county is not None],
            ),
            (
                _("Norway (median)"),
                "line--country",
                [(r.year, r.country) for r in rows_by_year if r.country is not None],
            ),
        ]
        chart = multi_line_chart(lines)
    sort = request.GET.get("sorter", "verdi")
    rows = sorted(detail.latest, key=SORTS.get(sort, SORTS["verdi"]), reverse=sort == "verdi")
    values = {r.code: r.value for r in detail.latest}
    context = {
        "indicator": detail, "rows": rows, "sort": sort, "region": region, "comparison": rows_by_year,
        "chart": chart, "map": maps.choropleth(detail.id, values, detail.unit),
        "municipalities": _municipality_names(),
    }  # fmt: skip
    return render(request, "indicators/indicator_detail.html", context)


def indicator_download(request: HttpRequest, indicator_id: str, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404("No such format")
    language = get_language()
    indicator, values = reads.indicator_series(indicator_id, language)
    table = downloads.rows(indicator, values, language)
    if fmt == "csv":
        response = HttpResponse(
            downloads.to_csv(table, language), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(downloads.to_xlsx(table, indicator_id), content_type=downloads.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{indicator_id}.{fmt}"'
    return response


def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    region = reads.memo(
        f"region:{code}", lambda: Region.objects.select_related("parent").filter(code=code).first()
    )
    if region is None or region.kind != RegionKind.MUNICIPALITY:
        raise Http404("No such municipality")
    use_region_language(request, region.written_standard)
    language = get_language()
    return anonymous_page(request, lambda: _render_dashboard(request, region, language))


def _render_dashboard(request: HttpRequest, region: Region, language: str) -> HttpResponse:
    code = region.code
    rows = reads.region_indicators(code, language)
    goals = reads.goal_names(language)
    histories = reads.region_histories(code)
    grouped: dict[int, list[tuple[reads.RegionIndicatorOut, str]]] = {}
    for row in rows:
        spark = sparkline(histories.get(row.indicator, {}))
        grouped.setdefault(row.goal, []).append((row, spark))
    context = {
        "region": region,
        "groups": [(number, goals.get(number, ""), grouped[number]) for number in sorted(grouped)],
        "similar": reads.similar_municipalities(code, language=language),
        "pictures": picture.goal_pictures(rows, goals),
        "picture_labels": picture_labels(),
        "with_data": sum(1 for r in rows if r.value is not None),
        "total": len(rows),
        **_ages(rows),
        # The rendered tables are cached per data version (the template's {% cache %} block).
        "version": reads.data_version(),
    }
    return render(request, "indicators/dashboard.html", context)


def picture_labels() -> list[tuple[str, str]]:
    """The dashboard picture's categories and their names in the page's language."""
    names = {
        "on_track": _("On track"),
        "progress": _("Some progress"),
        "worsening": _("Worsening"),
        "not_assessed": _("Not assessed"),
        "outdated": _("Data too old"),
        "missing": _("No figures"),
    }
    return [(category, str(names[category])) for category in picture.CATEGORIES]


def _ages(rows: list[reads.RegionIndicatorOut]) -> dict[str, object]:
    """How old the dashboard's figures are: newest, oldest, and how many are recent."""
    years = [r.year for r in rows if r.year is not None]
    ages = [r.age for r in rows if r.age is not None]
    if not years:
        return {}
    return {
        "newest": max(years),
        "oldest": min(years),
        "oldest_age": max(ages),
        "recent": sum(1 for age in ages if age <= analysis.OUTDATED_AFTER),
    }


def compare(request: HttpRequest) -> HttpResponse:
    return anonymous_page(request, lambda: _render_compare(request))


def _render_compare(request: HttpRequest) -> HttpResponse:
    # In the order chosen, each once; columns follow that order, not the codes'.
    codes = list(dict.fromkeys(c.strip()[:4] for c in request.GET.getlist("k") if c.strip()))[:10]
    found = Region.objects.filter(code__in=codes, kind=RegionKind.MUNICIPALITY)
    regions = sorted(found, key=lambda region: codes.index(region.code))
    labels = {m.code: m.name for m in municipality_choices()}
    for region in regions:
        region.name = labels.get(region.code, region.name)  # shown only, never saved
    language = get_language()
    table = []
    if len(regions) >= 2:
        by_region = {
            r.code: {x.indicator: x for x in reads.region_indicators(r.code, language)}
            for r in regions
        }
        for indicator in reads.list_indicators(language):
            cells = [by_region[r.code].get(indicator.id) for r in regions]
            if any(c and c.value is not None for c in cells):
                table.append((indicator, cells, _compare_chart(regions, cells, indicator.unit)))
    context = {
        "regions": regions, "table": table, "codes": codes,
        "municipalities": _municipality_names(),
        "too_few": bool(codes) and len(regions) < 2,
    }  # fmt: skip
    return render(request, "indicators/compare.html", context)


def _compare_chart(
    regions: list[Region], cells: list[reads.RegionIndicatorOut | None], unit: str
) -> BarChart | None:
    """One bar per municipality, in the order chosen, for the comparison's chart."""
    values = [c.value if c is not None else None for c in cells]
    return bar_chart(
        [(r.name, v) for r, v in zip(regions, values, strict=True)],
        [figure(v, unit) for v in values],
    )


def coverage(request: HttpRequest) -> HttpResponse:
    language = get_language()
    context = {"goals": reads.coverage(language)}
    return render(request, "indicators/coverage.html", context)


def proposals(request: HttpRequest) -> HttpResponse:
    form = ProposalForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/konto/login/?next={request.path}")
        if form.is_valid():
            data = form.cleaned_data
            assert isinstance(request.user, User)
            actions.do_propose(
                request.user,
                data["title"],
                data["what"],
                data["why"],
                data["target"],
                data["possible_source"],
            )
            messages.success(request, _("Thank you. Your proposal was saved."))
            return redirect("indicators:proposals")
    items = Proposal.objects.select_related("target", "created_by").prefetch_related("supporters")
    context = {"form": form, "proposals": items, "may_export": is_platform_admin(request.user)}
    return render(request, "indicators/proposals.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def support(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = Proposal.objects.filter(pk=proposal_id).first()
    if proposal is None:
        raise Http404("No such proposal")
    assert isinstance(request.user, User)
    actions.do_support(proposal, request.user, request.POST.get("support") == "1")
    return redirect("indicators:proposals")


@login_required
def proposals_csv(request: HttpRequest) -> HttpResponse:
    if not is_platform_admin(request.user):
        return HttpResponse(status=403)
    buffer = io.StringIO()
    writer = csv_writer(buffer, delimiter=";")  # defuses formulas: titles are typed by anyone
    writer.writerow(
        [
            "id",
            "indikator",
            "kva",
            "kvifor",
            "delmål",
            "mogleg kjelde",
            "støttespelarar",
            "oppretta",
        ]
    )
    for p in Proposal.objects.select_related("target").prefetch_related("supporters"):
        writer.writerow(
            [
                p.pk,
                p.title,
                p.what,
                p.why,
                p.target.code,
                p.possible_source,
                p.supporters.count(),
                p.created_at.date().isoformat(),
            ]
        )
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="indikatorforslag.csv"'
    return no_store(response)


@login_required
@require_POST
def start_update(request: HttpRequest) -> HttpResponse:
    """Platform admins start a refresh from SSB; it runs as a background task."""
    if not is_platform_admin(request.user):
        return HttpResponse(status=403)
    from lokalmaal.indicators.tasks import refresh_indicators

    indicator_id = request.POST.get("indicator", "")
    result = refresh_indicators.enqueue([indicator_id] if indicator_id else [])
    messages.success(request, _("The update was started (task %(id)s).") % {"id": result.id})
    return redirect(request.POST.get("next") or "indicators:list")


def method(request: HttpRequest) -> HttpResponse:
    return render(request, "indicators/method.html", {})
