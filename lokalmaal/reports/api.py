"""/api/v1/overview/: KS's national overview, the twin of /oversikt/."""

from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from ninja import Router

from lokalmaal.indicators.reads import memo
from lokalmaal.reports import opensdg, overview

router = Router(tags=["overview"])


@router.get(
    "/",
    response=overview.OverviewOut,
    summary="The national picture: workspaces, priorities, indicator status, examples, networks",
)
def national(
    request: HttpRequest,
    lang: Literal["nb", "nn", "en"] = "nb",
    county: str = "",
    size: Literal["", "small", "medium", "large"] = "",
    kostra: str = "",
    target: str = "",
) -> overview.OverviewOut:
    filters = overview.Filters(county=county[:2], size=size, kostra=kostra[:8], target=target[:6])
    with translation.override(lang):
        return overview.national_overview(lang, filters)


open_data_router = Router(tags=["open data"])


@open_data_router.get(
    "/opensdg.zip",
    summary="Every indicator figure in Open SDG's format (data/, meta/, datapackage.json) as ZIP",
    response={200: None},
)
def opensdg_zip(request: HttpRequest, lang: Literal["nb", "nn", "en"] = "nb") -> HttpResponse:
    content = memo(f"opensdg:{lang}", lambda: opensdg.to_zip(lang))
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="lokalmaal-opensdg-{lang}.zip"'
    return response
