"""/api/v1/overview/: KS's national overview, the twin of /oversikt/."""

from typing import Literal

from django.http import HttpRequest
from django.utils import translation
from ninja import Router

from lokalmaal.reports import overview

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
