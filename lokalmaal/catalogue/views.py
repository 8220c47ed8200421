"""Pages of the SDG catalogue; each is a thin shell around a read in reads.py."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from lokalmaal.catalogue import reads
from lokalmaal.catalogue.vocabulary import (
    RELEVANCE_LABELS,
    ROLE_LABELS,
    SERVICE_AREA_LABELS,
    options,
)
from lokalmaal.web.pagecache import anonymous_page
from lokalmaal.web.params import goal_param


def goal_list(request: HttpRequest) -> HttpResponse:
    return render(request, "catalogue/goal_list.html", {"goals": reads.list_goals(get_language())})


def goal_detail(request: HttpRequest, number: int) -> HttpResponse:
    # Only the catalogue, which changes when data is loaded: the same for every anonymous visitor
    # (a 404 for a goal that does not exist is raised, never kept).
    return anonymous_page(
        request,
        lambda: render(
            request, "catalogue/goal_detail.html", {"goal": reads.get_goal(number, get_language())}
        ),
    )


def target_list(request: HttpRequest) -> HttpResponse:
    language = get_language()
    goal = goal_param(request)
    filters = reads.TargetFilter(
        goal=goal,
        q=request.GET.get("q", "")[:200],
        relevance=request.GET.get("relevans", ""),
        role=request.GET.get("rolle", ""),
        service_area=request.GET.get("tjeneste", ""),
    )
    context = {
        "targets": reads.list_targets(language, filters),
        "filters": filters,
        "goals": reads.list_goals(language),
        "relevance_options": options(RELEVANCE_LABELS, language),
        "role_options": options(ROLE_LABELS, language),
        "service_area_options": options(SERVICE_AREA_LABELS, language),
    }
    return render(request, "catalogue/target_list.html", context)


def target_detail(request: HttpRequest, code: str) -> HttpResponse:
    from lokalmaal.localgoals.reads import SIZE_CLASSES, prioritised_by
    from lokalmaal.regions.reads import list_regions

    target = reads.get_target(code, get_language())
    county = request.GET.get("fylke", "")[:2]
    size = request.GET.get("storleik", "")
    from lokalmaal.indicators.reads import framework_concepts, list_indicators

    context = {
        "target": target,
        "lokalmaal_indicators": [
            i for i in list_indicators(get_language()) if code in i.sdg_targets
        ],
        "concepts": framework_concepts(code),
        "prioritised_by": prioritised_by(code, county, size if size in SIZE_CLASSES else ""),
        "counties": list_regions("county"),
        "county": county,
        "size": size,
    }
    return render(request, "catalogue/target_detail.html", context)
